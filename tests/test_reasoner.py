"""OWL 2 DL consistency: HermiT (shipped inside owlready2, run with Java) on the ontology plus data.

HermiT refuses xsd:date, xsd:gYear and xsd:gYearMonth: they are not in the OWL 2 datatype map
(natograph keeps them, because they are the honest precision of a source's date), so the check runs
with --ignoreUnsupportedDatatypes: literals of those types are opaque to the reasoner, every class
and property axiom is reasoned over. In CI Java is installed by .ci/run; elsewhere the test is
skipped, saying why, when no Java is found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from natograph.graph import loading
from natograph.graph.serializing import serialize

FIXTURES = Path(__file__).parent / "fixtures" / "reasoner"


def hermit(owl_file: Path, *, unsupported_datatypes: bool = True) -> subprocess.CompletedProcess:
    """HermiT's command line on *owl_file*; with ``unsupported_datatypes=False`` it runs without the
    switch that lets it skip datatypes outside the OWL 2 map, as Protégé users run it."""
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("Java is missing in CI: .ci/run should have installed it")
        pytest.skip("no Java on this machine: the OWL 2 DL check needs it (.ci/run installs it in CI)")
    owlready2 = pytest.importorskip("owlready2")
    folder = Path(owlready2.__file__).parent / "hermit"
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
