"""OWL 2 DL: the published ontology with no switch, and the ontology plus the data, in HermiT (shipped inside
owlready2, run with Java) and in the OWL API's OWL 2 DL profile check.

The ontology as the release publishes it (``ontology/natograph.ttl`` and ``ontology/alignments.ttl``, the
Turtle files and their RDF/XML and N-Triples dumps) uses only the datatypes of the OWL 2 datatype map, so
HermiT loads it as a user runs it: owlready2's ``sync_reasoner`` and HermiT's own command line, without
``--ignoreUnsupportedDatatypes``; it is consistent and no class is unsatisfiable. Both files are in the OWL 2
DL profile as the OWL API checks it (``OWL2DLProfile``, what ROBOT's ``validate-profile --profile DL`` runs),
called through JPype on the OWL API classes HermiT's jar carries. Each check is shown to catch its mutant.

The data keeps its dates at the precision of their sources, xsd:date, xsd:gYearMonth and xsd:gYear, which
the map lacks, so the ontology together with the data runs with --ignoreUnsupportedDatatypes: literals of
those types are opaque to the reasoner, every class and property axiom is reasoned over (the ``owl-dl``
export profile writes them as text for a reasoner without the switch: tests/test_export_formats.py). In CI
Java is installed by .ci/run; elsewhere the tests are skipped, saying why, when no Java is found.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import OWL

from natograph.graph import loading, resources
from natograph.graph.serializing import serialize
from natograph.publish import ontodoc

FIXTURES = Path(__file__).parent / "fixtures" / "reasoner"


def java_and_hermit() -> tuple[str, Path]:
    """The java command and HermiT's folder inside owlready2 (its jar carries the OWL API too)."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("Java is missing in CI: .ci/run should have installed it")
        pytest.skip("no Java on this machine: the OWL 2 DL check needs it (.ci/run installs it in CI)")
    owlready2 = pytest.importorskip("owlready2")
    return java, Path(owlready2.__file__).parent / "hermit"


def hermit(owl_file: Path, *, unsupported_datatypes: bool = True) -> subprocess.CompletedProcess:
    """HermiT's command line on *owl_file*; with ``unsupported_datatypes=False`` it runs without the
    switch that lets it skip datatypes outside the OWL 2 map, as Protégé users run it."""
    java, folder = java_and_hermit()
    classpath = f"{folder}{os.pathsep}{folder / 'HermiT.jar'}"
    switches = ["--ignoreUnsupportedDatatypes"] if unsupported_datatypes else []
    command = [java, "-Xmx1500M", "-cp", classpath, "org.semanticweb.HermiT.cli.CommandLine",
               "-k", "-U", *switches, owl_file.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def write_owl(tmp_path: Path, extra: list[Path]) -> Path:
    target = tmp_path / "graph.owl"
    target.write_bytes(serialize(loading.load(inferred=False, extra=extra), "xml"))
    return target


def unsatisfiable(output: str) -> list[str]:
    lines = output.split("Classes equivalent to 'owl:Nothing':", 1)[1].splitlines()
    return [line.strip() for line in lines if line.strip() and line.strip() != "owl:Nothing"]


def test_ontology_and_data_are_consistent_with_no_unsatisfiable_class(tmp_path):
    done = hermit(write_owl(tmp_path, []))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "owl#Thing is satisfiable" in done.stdout
    assert unsatisfiable(done.stdout) == []


def test_an_inconsistent_addition_is_detected(tmp_path):
    done = hermit(write_owl(tmp_path, [FIXTURES / "inconsistent-country-and-organisation.ttl"]))
    assert done.returncode != 0
    assert "InconsistentOntologyException" in done.stderr


def test_an_unsatisfiable_class_is_reported(tmp_path):
    done = hermit(write_owl(tmp_path, [FIXTURES / "unsatisfiable-class.ttl"]))
    assert done.returncode == 0, done.stderr
    assert any("CountryOrganisation" in name for name in unsatisfiable(done.stdout))


# ---------------------------------------------------------------------------
# The ontology as published, with no switch
# ---------------------------------------------------------------------------

COUNTED_AS_OF_A_DATE = ("<https://w3id.org/natograph/ontology#countedAsOf> <http://www.w3.org/2000/01/rdf-schema#range> "
                        "<http://www.w3.org/2001/XMLSchema#date> .\n")


@cache
def published_dumps(path: Path) -> dict[str, bytes]:
    """The dumps the release publishes of an ontology file, at the file's own version IRI."""
    (version,) = Graph().parse(path).objects(None, OWL.versionIRI)
    return ontodoc.version_dumps()[str(version)]


def owlready2_hermit(path: Path) -> list[str]:
    """Load *path* (RDF/XML or N-Triples) in owlready2 and run HermiT through ``sync_reasoner`` with no
    switch; the IRIs of the unsatisfiable classes (owlready2 lists owl:Nothing with them when there are
    some). An inconsistent ontology, or a datatype HermiT refuses, raises, as it does for a user."""
    java, _folder = java_and_hermit()
    import owlready2

    owlready2.JAVA_EXE = java
    world = owlready2.World()
    world.get_ontology(path.resolve().as_uri()).load()
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=False)
    return sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)  # Nothing: by definition


def test_the_release_publishes_the_ontology_file_as_it_is_tested():
    assert published_dumps(resources.ontology_file()) == ontodoc.ontology_dumps()  # natograph-<version>-ontology.*
    assert published_dumps(resources.ontology_file())[".ttl"] == resources.ontology_file().read_bytes()


@pytest.mark.parametrize("suffix", [".rdf", ".nt"])
@pytest.mark.parametrize("path", resources.ontology_files(), ids=lambda p: p.name)
def test_owlready2_runs_hermit_on_each_published_ontology_without_switches(path, suffix, tmp_path):
    target = tmp_path / f"{path.stem}{suffix}"
    target.write_bytes(published_dumps(path)[suffix])
    assert owlready2_hermit(target) == []


def test_owlready2_path_catches_a_date_range_and_an_unsatisfiable_class(tmp_path):
    owlready2 = pytest.importorskip("owlready2")

    ontology = ontodoc.ontology_dumps()[".nt"]
    dated = tmp_path / "dated.nt"
    dated.write_bytes(ontology + COUNTED_AS_OF_A_DATE.encode())
    with pytest.raises(owlready2.OwlReadyJavaError, match="XMLSchema#date' is not part of the OWL 2 datatype map"):
        owlready2_hermit(dated)
    unsatisfiable_class = tmp_path / "unsatisfiable.nt"
    fixture = Graph().parse(FIXTURES / "unsatisfiable-class.ttl").serialize(format="nt", encoding="utf-8")
    unsatisfiable_class.write_bytes(ontology + fixture)
    assert owlready2_hermit(unsatisfiable_class) == ["https://example.org/CountryOrganisation"]


@pytest.mark.parametrize("path", resources.ontology_files(), ids=lambda p: p.name)
def test_hermit_reads_each_turtle_ontology_file_as_written_without_switches(path):
    done = hermit(path, unsupported_datatypes=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "owl#Thing is satisfiable" in done.stdout
    assert unsatisfiable(done.stdout) == []


PROFILE_CHECK = """
import json, sys
import jpype, jpype.imports
jpype.startJVM(classpath=[sys.argv[1]], convertStrings=True)
from java.io import File
from org.semanticweb.owlapi.apibinding import OWLManager
from org.semanticweb.owlapi.profiles import OWL2DLProfile
report = {}
for path in sys.argv[2:]:
    ontology = OWLManager.createOWLOntologyManager().loadOntologyFromOntologyDocument(File(path))
    violations = OWL2DLProfile().checkOntology(ontology).getViolations()
    report[path] = sorted({f"{v.getClass().getSimpleName()}: {str(v).split(' [', 1)[0][:200]}" for v in violations})
print(json.dumps(report))
"""


def owl2_dl_violations(*paths: Path) -> dict[str, list[str]]:
    """The OWL API's OWL 2 DL profile violations of each Turtle file (one JVM, in a child process)."""
    _java, folder = java_and_hermit()
    pytest.importorskip("jpype", reason="JPype (the test extra jpype1) calls the OWL API the profile check needs")
    done = subprocess.run([sys.executable, "-c", PROFILE_CHECK, str(folder / "HermiT.jar"), *map(str, paths)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return {Path(k).name: v for k, v in json.loads(done.stdout.splitlines()[-1]).items()}


def test_both_ontology_files_are_in_the_owl2_dl_profile_and_the_check_sees_mutants(tmp_path):
    text = resources.ontology_file().read_text(encoding="utf-8")
    langstring = tmp_path / "langstring.ttl"  # a text range as it was: OWL API 3 reads rdf:langString as a class
    langstring.write_text(text.replace("rdfs:range rdf:PlainLiteral ;", "rdfs:range rdf:langString ;", 1), encoding="utf-8")
    undeclared = tmp_path / "undeclared.ttl"  # skos:definition used without its declaration
    undeclared.write_text(text.replace("skos:definition\n    rdf:type owl:AnnotationProperty ;",
                                       "skos:definition\n    rdfs:comment \"not declared\" ;"), encoding="utf-8")
    assert text != langstring.read_text(encoding="utf-8") and text != undeclared.read_text(encoding="utf-8")
    report = owl2_dl_violations(*resources.ontology_files(), langstring, undeclared)
    assert report["natograph.ttl"] == [] and report["alignments.ttl"] == []
    assert any("rdf:langString" in v for v in report["langstring.ttl"]), report["langstring.ttl"]
    assert any(v.startswith("UseOfUndeclaredAnnotationProperty") and "skos/core#definition" in v
               for v in report["undeclared.ttl"]), report["undeclared.ttl"]
