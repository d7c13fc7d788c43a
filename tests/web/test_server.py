"""A real ``natograph serve`` on 127.0.0.1, used by the tools people use: SPARQLWrapper, rdflib's
SPARQLStore, ``Graph().parse(url)``, curl; and a runaway query cut at the timeout while another
request is still answered."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

import natograph

NG = "https://w3id.org/natograph/ontology#"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~5000^3 rows


def test_sparqlwrapper_queries_it(server):
    from SPARQLWrapper import JSON, SPARQLWrapper

    endpoint = SPARQLWrapper(server + "/sparql")
    endpoint.setQuery(f"PREFIX ng: <{NG}> SELECT ?code WHERE {{ ?c ng:iso3166Alpha2 ?code ; ng:memberOf ?nato }} ORDER BY ?code")
    endpoint.setReturnFormat(JSON)
    rows = endpoint.query().convert()["results"]["bindings"]
    codes = sorted({r["code"]["value"] for r in rows})
    assert codes == sorted(row["code"] for row in natograph.query("members").as_dicts())
    endpoint.setMethod("POST")
    endpoint.setQuery("ASK { ?s a <https://w3id.org/natograph/ontology#Country> }")
    assert endpoint.query().convert()["boolean"] is True


def test_rdflib_sparqlstore_reads_it(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"))
    rows = list(graph.query(f"PREFIX ng: <{NG}> SELECT ?label WHERE {{ <https://w3id.org/natograph/id/country/FR> "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER (LANG(?label) = 'fr') }"))
    assert [str(r[0]) for r in rows] == ["France"]
    assert (URIRef("https://w3id.org/natograph/id/country/FR"), URIRef(NG + "iso3166Alpha2"), Literal("FR")) in graph


def test_sparqlwrapper_and_sparqlstore_name_a_files_graph(server):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from SPARQLWrapper import JSON, POSTDIRECTLY, URLENCODED, SPARQLWrapper

    members = "https://w3id.org/natograph/graph/data/members"
    expected = len(Graph().parse(Path(__file__).resolve().parents[2] / "data" / "members.ttl"))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    for method, request in (("GET", URLENCODED), ("POST", URLENCODED), ("POST", POSTDIRECTLY)):
        endpoint = SPARQLWrapper(server + "/sparql")
        endpoint.setMethod(method)
        endpoint.setRequestMethod(request)
        endpoint.setReturnFormat(JSON)
        endpoint.addDefaultGraph(members)
        endpoint.setQuery(count)
        assert int(endpoint.query().convert()["results"]["bindings"][0]["n"]["value"]) == expected, (method, request)
    endpoint = SPARQLWrapper(server + "/sparql")
    endpoint.setReturnFormat(JSON)
    endpoint.addNamedGraph(members)
    endpoint.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert [row["g"]["value"] for row in endpoint.query().convert()["results"]["bindings"]] == [members]
    graph = Graph(store=SPARQLStore(server + "/sparql", returnFormat="json"), identifier=URIRef(members))
    assert [int(row[0]) for row in graph.query(count)] == [expected]


def test_graph_parse_dereferences_an_iri(server):
    graph = Graph().parse(server + "/id/framework/MD")
    md = URIRef("https://w3id.org/natograph/id/framework/MD")
    assert (md, URIRef(NG + "code"), Literal("MD")) in graph
    assert len(graph) > 10


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_gets_csv_and_html(server):
    query = f"PREFIX ng: <{NG}> SELECT ?code WHERE {{ ?f a ng:PartnershipFramework ; ng:code ?code }} ORDER BY ?code"
    out = subprocess.run(["curl", "-sS", "-H", "Accept: text/csv", "--data-urlencode", f"query={query}", server + "/sparql"],
                         capture_output=True, text=True, timeout=30, check=True).stdout
    assert out.splitlines() == ["code", "ICI", "MD", "PATG", "PfP"]
    page = subprocess.run(["curl", "-sS", "-H", "Accept: text/html", server + "/id/country/DZ"],
                          capture_output=True, text=True, timeout=30, check=True).stdout
    assert "<h1>Algeria</h1>" in page


def _get(url: str, timeout: float = 30) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode(), time.monotonic() - started


def test_a_runaway_query_is_cut_at_the_timeout_while_others_are_served(server):
    from urllib.parse import quote

    before = json.loads(_get(server + "/health")[1])
    outcome = {}
    runaway = threading.Thread(target=lambda: outcome.update(slow=_get(server + "/sparql?query=" + quote(RUNAWAY))))
    runaway.start()
    time.sleep(0.5)
    quick = []
    while runaway.is_alive() and len(quick) < 50:
        quick.append(_get(server + "/queries/partners?framework=MD"))
        time.sleep(0.1)
    runaway.join(30)
    status, body, seconds = outcome["slow"]
    assert status == 503 and "3 s limit" in body
    assert 2.5 < seconds < 10  # --timeout 3: stopped, not left to run for minutes
    assert quick and all(s == 200 for s, _, _ in quick)  # served while the runaway ran
    assert max(t for _, _, t in quick) < 2.5
    # only the query's own process (forked by its worker) was killed: the workers stay, none replaced
    after = json.loads(_get(server + "/health")[1])
    assert after["replaced"] == before["replaced"]
    assert set(after["workers"]) == set(before["workers"])
    assert _get(server + "/queries/frameworks")[0] == 200


def test_parallel_requests_are_all_answered(server):
    from concurrent.futures import ThreadPoolExecutor

    urls = [server + "/queries/partners", server + "/queries/timeline", server + "/id/country/FR",
            server + "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"] * 10
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(_get, urls))
    assert all(status == 200 for status, _, _ in results)

