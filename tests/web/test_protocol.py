"""The SPARQL 1.1 Protocol at /sparql, driven in-process: forms of request, negotiation, the W3C
error behaviour, read-only refusals, the service description, CORS and the limits."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
FRAMEWORKS = """PREFIX ng: <https://w3id.org/natograph/ontology#>
SELECT ?code WHERE { ?fw a ng:PartnershipFramework ; ng:code ?code } ORDER BY ?code"""
CONSTRUCT = """PREFIX ng: <https://w3id.org/natograph/ontology#>
CONSTRUCT { ?fw ng:code ?code } WHERE { ?fw a ng:PartnershipFramework ; ng:code ?code }"""
SD = "http://www.w3.org/ns/sparql-service-description#"


def codes(response) -> list[str]:
    data = response.json()
    return [b["code"]["value"] for b in data["results"]["bindings"]]


def count(client) -> int:
    response = client.get("/sparql", params={"query": COUNT})
    assert response.status_code == 200
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_get_post_form_and_post_query_give_the_same_rows(client):
    get = client.get("/sparql", params={"query": FRAMEWORKS})
    form = client.post("/sparql", data={"query": FRAMEWORKS})
    direct = client.post("/sparql", content=FRAMEWORKS.encode(), headers={"Content-Type": "application/sparql-query"})
    assert get.status_code == form.status_code == direct.status_code == 200
    assert codes(get) == codes(form) == codes(direct) == ["ICI", "MD", "PATG", "PfP"]
    assert get.headers["content-type"].startswith("application/sparql-results+json")


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("text/html;q=0.9, text/csv;q=0.5", "text/csv"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_results_are_negotiated(client, accept, media):
    response = client.get("/sparql", params={"query": FRAMEWORKS}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    body = response.text
    if media == "text/csv":
        assert [row[0] for row in csv.reader(io.StringIO(body))] == ["code", "ICI", "MD", "PATG", "PfP"]
    elif media == "text/tab-separated-values":
        assert body.splitlines() == ["?code", '"ICI"', '"MD"', '"PATG"', '"PfP"']
    elif media.endswith("xml"):
        assert body.count("<result>") == 4 and 'name="code"' in body


def test_an_unservable_accept_is_406(client):
    response = client.get("/sparql", params={"query": FRAMEWORKS}, headers={"Accept": "image/png"})
    assert response.status_code == 406


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
])
def test_construct_results_are_negotiated_graphs(client, accept, fmt):
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=response.text, format=fmt)
    assert len(graph) == 4
    assert (URIRef("https://w3id.org/natograph/id/framework/MD"), URIRef("https://w3id.org/natograph/ontology#code"),
            Literal("MD")) in graph


def test_ask_answers_a_boolean(client):
    response = client.get("/sparql", params={"query": "ASK { ?s a <https://w3id.org/natograph/ontology#Country> }"})
    assert response.status_code == 200 and response.json() == {"head": {}, "boolean": True}


def test_a_syntax_error_is_400_with_the_parser_message(client):
    response = client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400
    assert response.text.startswith("SPARQL syntax error")


def test_several_query_parameters_are_400(client):
    response = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert response.status_code == 400 and "several 'query'" in response.text


def test_a_body_that_is_not_utf8_is_400(client):
    raw = client.post("/sparql", content=b"SELECT * WHERE { ?s ?p \xff }", headers={"Content-Type": "application/sparql-query"})
    form = client.post("/sparql", content=b"query=ASK%7B%FF%7D", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert raw.status_code == 400 and "UTF-8" in raw.text
    assert form.status_code == 400 and "UTF-8" in form.text


def test_wrong_method_and_media_type_are_4xx(client):
    assert client.put("/sparql", content=FRAMEWORKS).status_code == 405
    assert client.delete("/sparql").status_code == 405
    response = client.post("/sparql", content=FRAMEWORKS.encode(), headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert client.post("/sparql", data={"nothing": "here"}).status_code == 400


@pytest.mark.parametrize("send", ["form-update", "sparql-update", "update-as-query", "update-as-form-query", "get-update"])
def test_every_update_is_refused_and_nothing_changes(client, send):
    before = count(client)
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    if send == "form-update":
        response = client.post("/sparql", data={"update": update})
    elif send == "sparql-update":
        response = client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-update"})
    elif send == "update-as-query":
        response = client.post("/sparql", content=update.encode(), headers={"Content-Type": "application/sparql-query"})
    elif send == "update-as-form-query":
        response = client.post("/sparql", data={"query": "DROP ALL"})
    else:
        response = client.get("/sparql", params={"update": update})
    assert 400 <= response.status_code < 500
    assert count(client) == before
    ask = client.get("/sparql", params={"query": "ASK { <urn:x:a> ?p ?o }"})
    assert ask.json()["boolean"] is False


@pytest.mark.parametrize(("query", "word"), [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }", "FROM"),
    ("SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", "FROM"),
    ("LOAD <http://example.org/data.ttl>", "UPDATE"),
])
def test_service_from_and_load_are_refused(client, query, word):
    response = client.post("/sparql", data={"query": query})
    assert response.status_code == 400
    assert word in response.text


def test_get_without_query_is_the_service_description(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    services = list(graph.subjects(RDF.type, URIRef(SD + "Service")))
    assert len(services) == 1
    assert (services[0], URIRef(SD + "endpoint"), URIRef("http://testserver/sparql")) in graph
    assert (services[0], URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in graph


def test_cors_lets_other_origins_query(client):
    simple = client.get("/sparql", params={"query": FRAMEWORKS}, headers={"Origin": "https://yasgui.example"})
    assert simple.headers["access-control-allow-origin"] == "*"
    preflight = client.options("/sparql", headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "Content-Type"})
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


@pytest.fixture(scope="module")
def small_client(_private_cache):
    from starlette.testclient import TestClient

    from natograph.web.app import make_app
    from natograph.web.settings import Settings

    with TestClient(make_app(Settings(workers=1, max_rows=5, max_body=2000, max_query_length=500))) as test_client:
        yield test_client


def test_results_are_cut_at_max_rows_and_say_so(small_client):
    response = small_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 5
    assert "5 rows" in response.headers["natograph-truncated"]
    construct = small_client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
                                 headers={"Accept": "application/n-triples"})
    assert len(construct.text.strip().splitlines()) == 5
    stored = small_client.get("/queries/members")
    assert len(stored.json()["results"]["bindings"]) == 5 and "natograph-truncated" in stored.headers
    few = small_client.get("/sparql", params={"query": FRAMEWORKS})
    assert "natograph-truncated" not in few.headers


def test_bodies_and_queries_are_bounded(small_client):
    long_query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 600
    assert small_client.get("/sparql", params={"query": long_query}).status_code == 414
    assert small_client.post("/sparql", content=long_query.encode(),
                             headers={"Content-Type": "application/sparql-query"}).status_code == 413
    huge = b"query=" + b"x" * 5000
    assert small_client.post("/sparql", content=huge,
                             headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 413


def test_results_json_is_the_w3c_format(client):
    data = client.get("/sparql", params={"query": "SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) } }"}).json()
    assert data == json.loads(json.dumps({"head": {"vars": ["x", "y"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}))
