"""The ontology and every Turtle file: strict parsing, term hygiene, and inference doing real work."""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from natograph.graph import loading, resources
from natograph.graph.namespaces import CTY, FW, IORG, NG, ONTOLOGY_IRI

TURTLE = [*resources.ontology_files(), *resources.shapes_files(), *resources.data_files()]


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_turtle_file_parses_in_oxigraph_strictly(path):
    triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert triples
    assert len(triples) == len(Graph().parse(path, format="turtle"))


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_turtle_file_parses_in_raptor_strictly(path):
    import os
    import re
    import shutil
    import subprocess

    rapper = shutil.which("rapper")
    if rapper is None:
        if os.environ.get("CI"):
            pytest.fail("raptor's rapper is missing in CI: .ci/run should have installed raptor2-utils")
        pytest.skip("raptor's rapper is not installed (Debian package raptor2-utils)")
    done = subprocess.run([rapper, "-i", "turtle", "-c", str(path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stderr and "Warning" not in done.stderr, done.stderr
    count = int(re.search(r"returned (\d+) triples", done.stderr).group(1))
    assert count == len(Graph().parse(path, format="turtle"))


@pytest.mark.parametrize("path", TURTLE, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_hand_written_turtle_uses_four_spaces_and_no_tabs(path):
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        assert "\t" not in line, f"{path.name}:{number}: tab"
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 4 == 0, f"{path.name}:{number}: indentation of {indent}"
        assert line == line.rstrip(), f"{path.name}:{number}: trailing white space"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(resources.ontology_file())


def test_header_is_complete(ontology):
    header = URIRef(ONTOLOGY_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionIRI, OWL.versionInfo, URIRef("http://purl.org/dc/terms/license"),
                 URIRef("http://purl.org/dc/terms/created"), URIRef("http://purl.org/dc/terms/modified"),
                 URIRef("http://purl.org/dc/terms/creator")):
        assert ontology.value(header, prop) is not None, prop
    from importlib.metadata import version

    assert str(ontology.value(header, OWL.versionInfo)) == version("natograph")


@pytest.mark.parametrize("path", [resources.ontology_file(), resources.alignments_file()], ids=lambda p: p.name)
def test_header_dates_are_days_as_untyped_iso_text(path):
    """OWL 2's datatype map has no xsd:date, and xsd:dateTime would invent a time: the header's dates are
    ISO 8601 days as plain text (the release types them xsd:date in void.ttl, which no reasoner reads)."""
    import datetime

    g = Graph().parse(path)
    (header,) = g.subjects(RDF.type, OWL.Ontology)
    for prop in (DCTERMS.created, DCTERMS.modified):
        (value,) = g.objects(header, prop)
        assert value.datatype is None and value.language is None, f"{path.name}: {prop} {value.n3()}"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and datetime.date.fromisoformat(value), f"{path.name}: {value}"


def test_every_term_has_both_labels_a_definition_and_is_defined_by(ontology):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    declared = {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    terms = {s for s in declared if str(s).startswith(str(NG))}
    assert len(terms) > 40
    # Terms of other vocabularies are declared only (OWL 2 DL reads nothing undeclared), by their own vocabulary.
    for term in declared - terms:
        assert ontology.value(term, RDFS.isDefinedBy) not in (None, URIRef(ONTOLOGY_IRI)), term
        assert not set(ontology.objects(term, RDFS.label)) and not set(ontology.objects(term, SKOS.definition)), term
    assert {s for s in ontology.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI))} == terms
    for term in terms:
        assert str(term).startswith(str(NG)), term
        assert sorted(lbl.language for lbl in ontology.objects(term, RDFS.label)) == ["en", "fr"], term
        assert sorted(d.language for d in ontology.objects(term, SKOS.definition)) == ["en", "fr"], term
        assert ontology.value(term, RDFS.isDefinedBy) == URIRef(ONTOLOGY_IRI), term
        local = str(term)[len(str(NG)):]
        is_class = (term, RDF.type, OWL.Class) in ontology
        assert local[0].isupper() == is_class, f"{local}: classes UpperCamelCase, properties lowerCamelCase"


def test_owl_rl_derives_direct_properties_and_classes(shipped_graph):
    assert (CTY.FI, NG.memberOf, IORG.NATO) in shipped_graph
    assert (CTY.FI, NG.partnerIn, FW.PfP) in shipped_graph  # a former partner: derivations are time-agnostic
    assert (CTY.FI, RDF.type, NG.MemberState) in shipped_graph
    assert (CTY.DZ, RDF.type, NG.PartnerCountry) in shipped_graph
    assert (FW.MD, NG.hasParticipant, CTY.DZ) in shipped_graph
    assert (CTY.DZ, RDF.type, NG.MemberState) not in shipped_graph
    memberships = set(shipped_graph.subjects(RDF.type, NG.Membership))
    assert len(memberships) == 32


def test_closure_drops_owlrl_noise_and_does_not_mutate_its_input():
    asserted = loading.parse_files(loading.shipped_files())
    before = len(asserted)
    added = loading.inferred_triples(asserted)
    assert len(asserted) == before
    for s, p, o in added:
        assert not (p == OWL.sameAs and s == o)
        assert not (p == RDF.type and o in (OWL.Thing, RDFS.Resource))


def ground(g):
    """The triples without blank nodes (blank node labels differ from one parse to the next)."""
    from rdflib import BNode

    return {t for t in g if not any(isinstance(term, BNode) for term in t)}


def test_import_does_no_work():
    import subprocess
    import sys

    code = ("import sys, natograph; "
            "assert 'owlrl' not in sys.modules and 'pyshacl' not in sys.modules, 'heavy imports at import time'")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
