"""natograph never reaches the network, and refuses input built to make it."""

from __future__ import annotations

import json
import socket

import pytest

from natograph.errors import InputError, UnsafeQueryError
from natograph.graph.parsing import parse_file
from natograph.queries.running import run_sparql


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_service_is_refused_before_evaluation(shipped_graph, no_network):
    with pytest.raises(UnsafeQueryError, match="SERVICE"):
        run_sparql(shipped_graph, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_service_nested_in_optional_is_refused(shipped_graph, no_network):
    text = "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE SILENT <http://127.0.0.1:9/q> { ?s ?x ?y } } }"
    with pytest.raises(UnsafeQueryError, match="SERVICE"):
        run_sparql(shipped_graph, text)


def test_from_graph_loading_is_refused(shipped_graph, no_network):
    with pytest.raises(UnsafeQueryError, match="FROM"):
        run_sparql(shipped_graph, "SELECT * FROM <http://127.0.0.1:9/g.ttl> WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("update", [
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "CLEAR ALL",
    "DROP DEFAULT",
])
def test_updates_are_refused(shipped_graph, no_network, update):
    before = len(shipped_graph)
    with pytest.raises(UnsafeQueryError, match="UPDATE"):
        run_sparql(shipped_graph, update)
    assert len(shipped_graph) == before


def test_rdfxml_with_external_entity_is_refused(tmp_path, no_network):
    evil = tmp_path / "evil.rdf"
    evil.write_text(
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">\n'
        '  <rdf:Description rdf:about="http://example.org/a"><ex:b>&xxe;</ex:b></rdf:Description>\n'
        "</rdf:RDF>\n"
    )
    with pytest.raises(InputError, match="DOCTYPE") as caught:
        parse_file(evil)
    assert caught.value.line == 2


def test_rdfxml_billion_laughs_is_refused_without_expanding(tmp_path):
    bomb = tmp_path / "bomb.owl"
    entities = "".join(f'<!ENTITY l{i} "&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};&l{i - 1};">' for i in range(1, 10))
    bomb.write_text(f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "lol">{entities}]><r>&l9;</r>')
    with pytest.raises(InputError, match="DOCTYPE"):
        parse_file(bomb)


def test_jsonld_remote_context_is_refused(tmp_path, no_network):
    remote = tmp_path / "remote.jsonld"
    remote.write_text(json.dumps({"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:a"}))
    with pytest.raises(InputError, match="remote @context"):
        parse_file(remote)
    nested = tmp_path / "nested.jsonld"
    nested.write_text(json.dumps({"@graph": [{"@context": ["http://127.0.0.1:9/c"], "@id": "urn:b"}]}))
    with pytest.raises(InputError, match="remote @context"):
        parse_file(nested)
    imports = tmp_path / "import.jsonld"
    imports.write_text(json.dumps({"@context": {"@import": "http://127.0.0.1:9/c"}, "@id": "urn:c"}))
    with pytest.raises(InputError, match="remote @context"):
        parse_file(imports)


def test_jsonld_with_inline_context_is_read(tmp_path, no_network):
    local = tmp_path / "local.jsonld"
    local.write_text(json.dumps({"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:b": "c"}))
    assert len(parse_file(local)) == 1


def test_owl_imports_are_not_fetched(tmp_path, no_network):
    """A user file importing a remote ontology validates without fetching it."""
    from natograph import validate

    addition = tmp_path / "imports.ttl"
    addition.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<https://example.org/mine> a owl:Ontology ; owl:imports <http://127.0.0.1:9/other.ttl> .\n"
    )
    report = validate([addition])
    assert report.count("violation") == 0


def test_whole_pipeline_runs_offline(no_network):
    """Load (from cache or not), query, validate, export: no socket is opened."""
    import natograph

    assert len(natograph.query("members").rows) == 32
    assert natograph.validate().count("violation") == 0
    assert natograph.export("jsonld").startswith(b"{")
