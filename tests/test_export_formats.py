"""Exports as other tools expect them: compact JSON-LD that three processors read back, datasets
with meaningful named graphs that a store queries as docs/using.md says, and an OWL 2 DL profile
HermiT accepts without switches."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

import natograph
from natograph.graph import resources
from natograph.graph.namespaces import PREFIXES
from natograph.graph.parsing import parse_file
from natograph.graph.serializing import serialize
from natograph.graph.store.engine import GRAPHS
from natograph.publish.alignments import generated, with_generated
from natograph.queries.catalogue import get, run_stored


def ground(triples):
    return {t for t in triples if not any(isinstance(term, BNode) for term in t)}


# -- JSON-LD ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("inferred", [False, True], ids=["asserted", "inferred"])
def test_jsonld_round_trips_through_rdflib_pyld_and_pyoxigraph(inferred):
    pyld = pytest.importorskip("pyld.jsonld")
    data = natograph.export("jsonld", inferred=inferred, alignments=inferred)
    expected = with_generated(natograph.load()) if inferred else natograph.load(inferred=False)
    by_rdflib = Graph().parse(data=data, format="json-ld")
    nquads = pyld.to_rdf(json.loads(data), {"format": "application/n-quads"})
    by_pyld = Graph().parse(data=nquads, format="nt")
    by_oxigraph = Graph().parse(data=ox.serialize(ox.parse(data, ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES),
                                format="nt")
    for graph in (by_rdflib, by_pyld, by_oxigraph):
        assert len(graph) == len(expected)
        assert isomorphic(graph, expected)


def test_jsonld_has_an_inline_compact_context_of_the_project_prefixes():
    pyld = pytest.importorskip("pyld.jsonld")
    document = json.loads(natograph.export("jsonld"))
    context = document["@context"]
    assert isinstance(context, dict)  # inline: nothing to fetch
    prefixes = {k: v for k, v in context.items() if isinstance(v, str)}
    assert prefixes == {p: str(ns) for p, ns in PREFIXES.items() if p in prefixes}
    assert {"ng", "cty", "rdfs", "xsd", "dcterms"} <= set(prefixes)
    terms = {k: v for k, v in context.items() if not isinstance(v, str)}
    assert terms["rdfs:label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert terms["ng:participant"] == {"@id": "ng:participant", "@type": "@id"}
    france = next(node for node in document["@graph"] if node["@id"] == "cty:FR")
    assert france["@type"] == "ng:Country"
    assert france["ng:iso3166Alpha2"] == "FR"
    assert france["rdfs:label"] == {"en": "France", "fr": "France"}
    assert "https://www.wikidata.org/wiki/Q142" in france["dcterms:source"]
    membership = next(node for node in document["@graph"] if node.get("ng:participant") == "cty:FR"
                      and node.get("ng:membershipIn") == "iorg:NATO")
    assert membership["ng:startDate"] == {"@value": "1949-04-04", "@type": "xsd:date"}
    # the same document, expanded (what the export was before it had a context), is far larger. Prose
    # (notes, definitions, titles, quoted sentences) is left out of the comparison: a context cannot
    # shorten it, and the data's share of it grows as sources are quoted (0.56 of the expanded size
    # when this test was written, 0.61 once issue 12's notes landed; 0.54 without prose)
    prose = {"ng:note", "skos:definition", "dcterms:title", "ng:sourceSentence", "rdfs:comment"}
    structure = {**document, "@graph": [{k: v for k, v in node.items() if k not in prose}
                                        for node in document["@graph"]]}
    compact = len(json.dumps(structure, ensure_ascii=False, indent=2))
    expanded = len(json.dumps(pyld.expand(structure), ensure_ascii=False, indent=2))
    assert compact < 0.6 * expanded


# -- TriG and N-Quads: named graphs -----------------------------------------------------------------


def graph_names():
    files = resources.graph_files()
    return {f"{GRAPHS}{p.parent.name}/{p.stem}" for p in files}


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_datasets_have_one_graph_per_file_and_one_for_the_inferred_triples(fmt):
    syntax = ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS
    inferred_only = ox.parse(natograph.export(fmt, inferred=True), syntax)  # no alignments graph without --alignments
    assert {q.graph_name.value for q in inferred_only} == graph_names() | {GRAPHS + "inferred"}
    data = natograph.export(fmt, inferred=True, alignments=True)
    dataset = Dataset()
    dataset.parse(data=data, format=fmt)
    by_oxigraph = list(ox.parse(data, syntax))
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == graph_names() | {GRAPHS + "inferred", GRAPHS + "alignments"}
    assert {q.graph_name.value for q in by_oxigraph} == names
    assert len(by_oxigraph) == sum(1 for _ in dataset.quads())
    for path in resources.graph_files():
        graph = dataset.graph(f"{GRAPHS}{path.parent.name}/{path.stem}")
        assert isomorphic(graph, parse_file(path)), path.name  # each file's graph is that file, exactly
    inferred = dataset.graph(GRAPHS + "inferred")
    asserted = natograph.load(inferred=False)
    closure = natograph.load(inferred=True)
    assert ground(inferred) == ground(closure) - ground(asserted)
    assert ground(dataset.graph(GRAPHS + "alignments")) == ground(generated(closure)) - ground(closure)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_datasets_are_read_from_the_store_not_from_the_files_again(fmt, monkeypatch):
    """Once the store is built, the datasets come from it: the input files are not parsed again."""
    from natograph.graph import parsing

    expected = natograph.export(fmt, inferred=True)

    def refuse(*args, **kwargs):
        raise AssertionError("an input file was parsed again")

    monkeypatch.setattr(parsing, "parse_fast", refuse)
    monkeypatch.setattr(parsing, "parse_file", refuse)
    assert natograph.export(fmt, inferred=True) == expected
    assert natograph.export(fmt) == natograph.export(fmt)


def test_members_runs_on_a_store_loaded_from_the_trig_export_as_the_readme_says(tmp_path):
    store = ox.Store()
    store.load(natograph.export("trig", inferred=True), ox.RdfFormat.TRIG)
    text = get("members").bound_text({"as_of": "2024"}, None)
    union = store.query(text, use_default_graph_as_union=True)  # Oxigraph: serve --union-default-graph
    rows = [tuple(s[c] for c in ("code", "label", "joined")) for s in union]
    local = run_stored(None, "members", {"as_of": "2024"})
    assert rows == list(local.terms) and len(rows) == 32
    assert list(store.query(text)) == []  # the plain default graph is empty: hence the union docs/using.md asks for


def test_datasets_are_byte_stable_and_a_lone_graph_goes_in_the_default_graph():
    assert natograph.export("nquads") == natograph.export("nquads")
    lone = Graph().parse(data="<https://example.org/s> <https://example.org/p> [ <https://example.org/q> 1 ] .",
                         format="turtle")
    quads = list(ox.parse(serialize(lone, "nquads"), ox.RdfFormat.N_QUADS))
    assert len(quads) == 2 and all(q.graph_name == ox.DefaultGraph() for q in quads)
    assert isomorphic(Graph().parse(data=serialize(lone, "trig"), format="trig"), lone)


# -- OWL 2 DL profile -------------------------------------------------------------------------------


def hermit_without_switches(owl_file: Path) -> subprocess.CompletedProcess:
    from test_reasoner import hermit

    return hermit(owl_file, unsupported_datatypes=False)


def test_hermit_accepts_the_owl_dl_profile_as_it_is_and_refuses_the_plain_export(tmp_path):
    profiled, plain = tmp_path / "natograph-dl.owl", tmp_path / "natograph.owl"
    natograph.export("xml", profile="owl-dl", output=profiled)
    natograph.export("xml", output=plain)
    done = hermit_without_switches(profiled)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "owl#Thing is satisfiable" in done.stdout
    unsatisfiable = done.stdout.split("Classes equivalent to 'owl:Nothing':", 1)[1].split()
    assert unsatisfiable == ["owl:Nothing"]
    refused = hermit_without_switches(plain)
    assert refused.returncode != 0 and "UnsupportedDatatypeException" in refused.stderr


def test_the_owl_dl_profile_changes_the_dates_only():
    plain = natograph.load(inferred=False)
    profiled = Graph().parse(data=natograph.export("ntriples", profile="owl-dl"), format="nt")
    dates = {XSD.date, XSD.gYear, XSD.gYearMonth}
    assert not any(getattr(o, "datatype", None) in dates or o in dates for _, _, o in profiled)
    changed = {t for t in ground(plain) if getattr(t[2], "datatype", None) in dates or t[2] in dates}
    assert len(changed) > 200
    # Only the data's dates: the ontology files are OWL 2 DL as they are (tests/test_reasoner.py).
    assert not any(str(s).startswith(("https://w3id.org/natograph/ontology", "https://w3id.org/natograph/alignments"))
                   or o in dates for s, _, o in changed)
    assert ground(profiled) - ground(plain) == {
        (s, p, XSD.string if o in dates else type(o)(str(o), datatype=XSD.string)) for s, p, o in changed
    }
    assert ground(plain) - ground(profiled) == changed
