"""The SPARQL 1.1 Protocol's dataset parameters and the endpoint's base IRI, driven in-process:
``default-graph-uri`` and ``named-graph-uri`` name the graphs natograph holds (each file's, the
asserted, the inferred, the alignments'), an unknown graph is empty and never fetched, several default graphs merge,
the parameters override a query's FROM, and relative IRIs resolve against the endpoint's URL."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.compare import isomorphic

GRAPHS = "https://w3id.org/natograph/graph/"
MEMBERS = GRAPHS + "data/members"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
CHECKOUT = Path(__file__).resolve().parents[2]
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")


def count(client, *params: tuple[str, str]) -> int:
    response = client.get("/sparql", params=[("query", COUNT), *params])
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def per_graph(client, *params: tuple[str, str]) -> dict[str, int]:
    response = client.get("/sparql", params=[("query", PER_GRAPH), *params])
    assert response.status_code == 200, response.text
    return {row["g"]["value"]: int(row["n"]["value"]) for row in response.json()["results"]["bindings"]}


def test_a_default_graph_uri_reads_exactly_one_files_triples(client):
    response = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }", "default-graph-uri": MEMBERS},
                          headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    served = Graph().parse(data=response.text, format="nt")
    assert isomorphic(served, Graph().parse(CHECKOUT / "data" / "members.ttl"))


def test_named_graph_uris_alone_make_an_empty_default_graph(client):
    ontology, absent = GRAPHS + "ontology/natograph", "https://example.org/not-held"
    named = [("named-graph-uri", MEMBERS), ("named-graph-uri", ontology), ("named-graph-uri", absent)]
    counts = per_graph(client, *named)
    assert sorted(counts) == [MEMBERS, ontology]
    assert counts[MEMBERS] == count(client, ("default-graph-uri", MEMBERS))
    assert count(client, *named) == 0
    only_default = per_graph(client, ("default-graph-uri", MEMBERS))
    assert only_default == {}  # named graphs are the parameters' only: none given, none there


def test_an_unknown_graph_is_empty_and_never_fetched(client):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/graph.ttl"
        assert count(client, ("default-graph-uri", url)) == 0
        assert per_graph(client, ("named-graph-uri", url)) == {}
        from_url = client.post("/sparql", params={"default-graph-uri": url},
                               content=f"SELECT * FROM <{url}> FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}".encode(),
                               headers={"Content-Type": "application/sparql-query"})
        assert from_url.status_code == 200 and from_url.json()["results"]["bindings"] == []
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):  # nobody connected
            listener.accept()


def test_several_default_graphs_are_merged(client):
    closure = count(client)
    asserted = count(client, ("default-graph-uri", GRAPHS + "asserted"))
    inferred = count(client, ("default-graph-uri", GRAPHS + "inferred"))
    assert asserted > 0 and inferred > 0
    assert count(client, ("default-graph-uri", GRAPHS + "asserted"), ("default-graph-uri", GRAPHS + "inferred")) == closure
    # members' triples are asserted ones: the merge holds each once
    assert count(client, ("default-graph-uri", GRAPHS + "asserted"), ("default-graph-uri", MEMBERS)) == asserted
    assert count(client, ("default-graph-uri", MEMBERS), ("default-graph-uri", MEMBERS)) == count(
        client, ("default-graph-uri", MEMBERS))


def test_the_parameters_override_the_querys_from(client):
    query = (f"SELECT (COUNT(*) AS ?n) FROM <{GRAPHS}inferred> FROM NAMED <{GRAPHS}asserted> "
             "WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
    response = client.get("/sparql", params={"query": query, "default-graph-uri": MEMBERS})
    assert response.status_code == 200
    assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == count(client, ("default-graph-uri", MEMBERS))
    refused = client.get("/sparql", params={"query": query})  # without parameters, FROM stays refused
    assert refused.status_code == 400 and "FROM" in refused.text


def test_dataset_parameters_arrive_by_get_form_and_url_of_a_direct_post(client):
    expected = count(client, ("default-graph-uri", MEMBERS))
    form = client.post("/sparql", data={"query": COUNT, "default-graph-uri": MEMBERS})
    direct = client.post("/sparql", params={"default-graph-uri": MEMBERS}, content=COUNT.encode(),
                         headers={"Content-Type": "application/sparql-query"})
    for response in (form, direct):
        assert response.status_code == 200
        assert int(response.json()["results"]["bindings"][0]["n"]["value"]) == expected


@pytest.mark.parametrize(("param", "value", "says"), [
    ("default-graph-uri", "data/members", "not an absolute IRI"),
    ("named-graph-uri", "http://exa mple.org/", "not an absolute IRI"),
    ("using-graph-uri", MEMBERS, "parameters of updates"),
    ("using-named-graph-uri", MEMBERS, "parameters of updates"),
])
def test_a_bad_dataset_parameter_is_400(client, param, value, says):
    response = client.get("/sparql", params={"query": COUNT, param: value})
    assert response.status_code == 400 and says in response.text


def test_the_service_description_lists_every_graph_a_query_can_name(client):
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    description = Graph().parse(data=response.text, format="turtle")
    (service,) = description.subjects(SD.endpoint, None)
    (available,) = description.objects(service, SD.availableGraphs)
    sizes = {str(description.value(named, SD.name)): int(description.value(description.value(named, SD.graph), VOID.triples))
             for named in description.objects(available, SD.namedGraph)}
    files = {GRAPHS + "ontology/natograph", GRAPHS + "ontology/alignments",
             *(GRAPHS + "data/" + p.stem for p in (CHECKOUT / "data").glob("*.ttl"))}
    assert set(sizes) == files | {GRAPHS + "asserted", GRAPHS + "inferred", GRAPHS + "alignments"}
    for name, size in sizes.items():
        assert size > 0 and count(client, ("default-graph-uri", name)) == size, name


@pytest.mark.parametrize(("query", "iri"), [
    ("SELECT ?x WHERE { BIND (<rel> AS ?x) }", "http://testserver/rel"),
    ("SELECT ?x WHERE { BIND (<../a/b?c#d> AS ?x) }", "http://testserver/a/b?c#d"),
    ("BASE <https://example.org/base/> SELECT ?x WHERE { BIND (<rel> AS ?x) }", "https://example.org/base/rel"),
])
def test_relative_iris_resolve_against_the_endpoint(client, query, iri):
    for params in ({"query": query}, {"query": query, "default-graph-uri": MEMBERS}):
        response = client.get("/sparql", params=params)
        assert response.status_code == 200, response.text
        assert response.json()["results"]["bindings"][0]["x"] == {"type": "uri", "value": iri}


def test_a_construct_with_relative_iris_is_the_protocol_suites_answer(client):
    response = client.post("/sparql", content=b"CONSTRUCT { <s> <p> 1 } WHERE {}",
                           headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert response.status_code == 200
    integer = "<http://www.w3.org/2001/XMLSchema#integer>"
    assert response.text.strip() == f'<http://testserver/s> <http://testserver/p> "1"^^{integer} .'


def test_a_blank_node_is_one_node_across_the_graphs(client):
    """A blank node of a file is the same node in that file's graph and in the asserted graph (the
    dataset is built from the store's own terms), so a query can join them."""
    blank = "FILTER (isBlank(?b))"
    in_asserted = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPHS}asserted> {{ ?b ?p ?o }} {blank} }}"
    joined = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPHS}asserted> {{ ?b ?p ?o }} GRAPH ?file {{ ?b ?p ?o }} "
              f"FILTER (?file != <{GRAPHS}asserted>) {blank} }}")
    files = [*(CHECKOUT / "ontology").glob("*.ttl"), *(CHECKOUT / "data").glob("*.ttl")]
    names = [("named-graph-uri", GRAPHS + "asserted"),
             *(("named-graph-uri", f"{GRAPHS}{p.parent.name}/{p.stem}") for p in files)]
    totals = []
    for query in (in_asserted, joined):
        response = client.get("/sparql", params=[("query", query), *names])
        assert response.status_code == 200, response.text
        totals.append(int(response.json()["results"]["bindings"][0]["n"]["value"]))
    assert totals[0] > 0 and totals[0] == totals[1]


def test_the_alignments_graph_is_named_apart_and_holds_what_stats_counts(client, capsys):
    from natograph.cli import main

    aligned = count(client, ("default-graph-uri", GRAPHS + "alignments"))
    assert main(["stats"]) == 0
    stated = capsys.readouterr().out.split("nodes the alignments generate (export --alignments)\n")[1].split()[0]
    assert aligned == int(stated) > 1000
    closure = count(client, ("default-graph-uri", GRAPHS + "asserted"), ("default-graph-uri", GRAPHS + "inferred"))
    assert count(client) == closure  # the default graph is the closure: never the generated nodes
    time = "ASK { ?s <http://www.w3.org/2006/time#hasTime> ?o }"
    for graphs, expected in (((), False), ((("default-graph-uri", GRAPHS + "alignments"),), True)):
        response = client.get("/sparql", params=[("query", time), *graphs])
        assert response.json()["boolean"] is expected
