"""The release's description judged by DCAT-AP's own shapes: SEMIC's, for DCAT-AP 3.0.1, vendored
unchanged in ``tests/standards/dcat-ap-3.0.1/`` (its README says what each file is and which one
result per checksum the vocabulary shapes give, and why). natograph's own shapes
(``ontology/shapes/release/dcat-ap.shapes.ttl``) are tested in test_release.py."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, SKOS

from natograph import __version__
from natograph.graph.store.opening import open_engine
from natograph.publish.dataset import AGENT_IRI, DATASET_IRI, EU_LICENCE, EU_THEME, Release
from natograph.publish.description import description_graph, statistics

STANDARD = Path(__file__).resolve().parent / "standards" / "dcat-ap-3.0.1"
SPDX = "http://spdx.org/rdf/terms#"
DCATAP = "http://data.europa.eu/r5r/"
DS = URIRef(DATASET_IRI)


@pytest.fixture(scope="module")
def official():
    """dcat-ap-SHACL.ttl (the mandatory properties, cardinalities and ranges), and the definitions
    ranges.ttl gives of the property shapes it names without defining them (two, of dcat:DataService:
    README.md), which pySHACL needs as soon as the data holds a data service."""
    shapes = Graph().parse(STANDARD / "dcat-ap-SHACL.ttl", format="turtle")
    ranges = Graph().parse(STANDARD / "ranges.ttl", format="turtle")
    undefined = {s for s in shapes.objects(None, SH.property) if shapes.value(s, SH.path) is None}
    assert len(undefined) == 2 and all(ranges.value(s, SH.path) is not None for s in undefined)
    for shape in undefined:
        for p, o in ranges.predicate_objects(shape):
            shapes.add((shape, p, o))
    return shapes


@pytest.fixture(scope="module")
def vocabularies():
    """mdr-vocabularies.shape.ttl: the controlled vocabularies."""
    return Graph().parse(STANDARD / "mdr-vocabularies.shape.ttl", format="turtle")


@pytest.fixture(scope="module")
def description(release_folder):
    return Graph().parse(release_folder / "void.ttl", format="turtle")


def results(data: Graph, shapes: Graph) -> list[tuple[str, str, str, str, str]]:
    """pySHACL's results (not the details nested in them), each (severity, focus node, path,
    constraint component, value), sorted."""
    _conforms, report, _text = pyshacl.validate(data, shacl_graph=shapes, advanced=True)
    out = []
    for result in report.objects(None, SH.result):
        out.append(tuple(str(report.value(result, p)).rpartition("#")[2] if p in (SH.resultSeverity, SH.sourceConstraintComponent)
                         else str(report.value(result, p))
                         for p in (SH.resultSeverity, SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.value)))
    return sorted(out)


def test_the_release_description_conforms_to_dcat_ap_3_0_1(description, official):
    assert len(description) > 1000  # the real description: every distribution, source and class partition
    assert results(description, official) == []


def test_the_description_of_a_release_with_an_endpoint_conforms_too(official):
    rel = Release(folder=Path("."), version=__version__, stats=statistics(open_engine()))
    graph = description_graph(rel, issued="2026-11-26", modified="2026-11-26",
                              endpoint_url="https://sparql.example.org/natograph")
    assert graph.value(None, DCAT.servesDataset, DS) is not None
    assert results(graph, official) == []


def test_the_controlled_vocabularies_hold_but_for_the_shapes_own_contradiction(description, vocabularies):
    found = results(description, vocabularies)
    checksums = set(description.objects(None, URIRef(SPDX + "checksum")))
    # One result per checksum: the shapes want an https://spdx.org/rdf/terms address, SPDX's own
    # individual (and DCAT-AP 3.0.1's namespace table) is http:// (tests/standards/dcat-ap-3.0.1/README.md).
    assert sorted(r for r in found if r[2] == SPDX + "algorithm") == sorted(
        ("Violation", str(c), SPDX + "algorithm", "NodeConstraintComponent", SPDX + "checksumAlgorithm_sha256")
        for c in checksums)
    # and a warning: the contributors are not in the EU's corporate bodies (a MAY, for EU bodies)
    assert [r for r in found if r[2] != SPDX + "algorithm"] == [
        ("Warning", DATASET_IRI, str(DCTERMS.publisher), "NodeConstraintComponent", AGENT_IRI)]


def test_the_checksum_results_are_only_the_address_pattern(description, vocabularies):
    """With the https:// address the vocabulary shapes want, their checksum results go: nothing else
    in the checksums is wrong."""
    edited = Graph()
    wrong = URIRef(SPDX + "checksumAlgorithm_sha256")
    https = URIRef("https" + wrong[len("http"):])
    for s, p, o in description:
        edited.add((https if s == wrong else s, p, https if o == wrong else o))
    assert [r for r in results(edited, vocabularies) if r[2] == SPDX + "algorithm"] == []


def _one_distribution(description: Graph) -> URIRef:
    return sorted(description.objects(DS, DCAT.distribution))[0]


def _edit(description: Graph, case: str) -> Graph:
    """*description* with one planted mistake."""
    graph = Graph()
    for triple in description:
        graph.add(triple)
    dist = _one_distribution(description)
    page = sorted(description.objects(DS, DCTERMS.relation))[0]
    new_format = URIRef("https://www.iana.org/assignments/media-types/text/turtle")
    old_availability = URIRef("http://data.europa.eu/r5r/availability/stable")
    drop, add = {
        "a web page as dct:source": ((), [(DS, DCTERMS.source, page)]),
        "no title": ([(DS, DCTERMS.title, None)], ()),
        "a licence that is no dct:LicenseDocument": ([(URIRef(EU_LICENCE), RDF.type, None)], ()),
        "a language as text": ([(DS, DCTERMS.language, None)], [(DS, DCTERMS.language, Literal("en"))]),
        "two media types": ((), [(dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/text/plain"))]),
        "a theme without its label": ([(URIRef(EU_THEME), SKOS.prefLabel, None)], ()),
        "a checksum value as text": ([(description.value(dist, URIRef(SPDX + "checksum")), URIRef(SPDX + "checksumValue"), None)],
                                     [(description.value(dist, URIRef(SPDX + "checksum")), URIRef(SPDX + "checksumValue"),
                                       Literal("0" * 64))]),
        "a format outside the EU file types": ([(dist, DCTERMS.format, None)],
                                               [(dist, DCTERMS.format, new_format),
                                                (new_format, RDF.type, DCTERMS.MediaTypeOrExtent)]),
        "DCAT-AP 2.0's availability": ([(dist, URIRef(DCATAP + "availability"), None)],
                                       [(dist, URIRef(DCATAP + "availability"), old_availability),
                                        (old_availability, RDF.type, SKOS.Concept),
                                        (old_availability, SKOS.prefLabel, Literal("stable", lang="en"))]),
    }[case]
    for pattern in drop:
        for triple in list(graph.triples(pattern)):
            graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return graph


@pytest.mark.parametrize("case, shapes, path, component", [
    ("a web page as dct:source", "official", DCTERMS.source, "ClassConstraintComponent"),
    ("no title", "official", DCTERMS.title, "MinCountConstraintComponent"),
    ("a licence that is no dct:LicenseDocument", "official", DCTERMS.license, "ClassConstraintComponent"),
    ("a language as text", "official", DCTERMS.language, "NodeKindConstraintComponent"),
    ("two media types", "official", DCAT.mediaType, "MaxCountConstraintComponent"),
    ("a theme without its label", "official", SKOS.prefLabel, "MinCountConstraintComponent"),
    ("a checksum value as text", "official", URIRef(SPDX + "checksumValue"), "DatatypeConstraintComponent"),
    ("a format outside the EU file types", "vocabularies", DCTERMS.format, "NodeConstraintComponent"),
    ("DCAT-AP 2.0's availability", "vocabularies", URIRef(DCATAP + "availability"), "NodeConstraintComponent"),
])
def test_the_official_shapes_catch_a_planted_mistake(description, official, vocabularies, case, shapes, path, component):
    """The test above can fail: each mistake the description once had, or could have, is a violation."""
    graph = _edit(description, case)
    found = [r for r in results(graph, {"official": official, "vocabularies": vocabularies}[shapes]) if r[0] == "Violation"]
    assert any(r[2] == str(path) and r[3] == component for r in found), found


def test_the_served_void_claims_no_dcat_and_merged_with_the_release_still_conforms(description, official, vocabularies):
    """``natograph serve``'s /.well-known/void is VoID only (no dcat: class, so DCAT-AP does not
    apply to it); a harvester that reads it and the release's void.ttl together still gets a
    conforming description."""
    from starlette.testclient import TestClient

    from natograph.web.app import make_app
    from natograph.web.settings import Settings

    with TestClient(make_app(Settings(workers=1, timeout=20))) as client:
        response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    served = Graph().parse(data=response.text, format="turtle")
    assert len(served) > 20
    assert not [o for o in served.objects(None, RDF.type) if str(o).startswith(str(DCAT))]
    merged = served + description
    assert results(merged, official) == []
    assert results(merged, vocabularies) == results(description, vocabularies)
