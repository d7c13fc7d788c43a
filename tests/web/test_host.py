"""Nothing the server writes comes from the request's ``Host`` (issue 27, finding 5): redirects are
relative; VoID, the OpenAPI ``servers``, the service description and the base of relative IRIs in a
query come from ``--base-url``, by default the address the server listens on."""

from __future__ import annotations

import http.client
import json
from urllib.parse import quote, urlsplit

import pytest
from rdflib import Graph, URIRef

from .conftest import start_server, stop_server

VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
EVIL = "evil.example"


def _raw(url: str, path: str, host: str = EVIL, accept: str = "*/*") -> tuple[int, dict, str]:
    """GET *path* with a Host header of our choosing, over a plain connection."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        connection.putheader("Accept", accept)
        connection.putheader("X-Forwarded-Host", EVIL)
        connection.putheader("X-Forwarded-Proto", "https")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    finally:
        connection.close()


def _written(url: str) -> dict[str, str]:
    """Every address the server writes, asked with a hostile Host."""
    status, headers, _ = _raw(url, "/queries/")
    assert status == 307
    void = Graph().parse(data=_raw(url, "/.well-known/void", accept="text/turtle")[2], format="turtle")
    description = Graph().parse(data=_raw(url, "/sparql", accept="text/turtle")[2], format="turtle")
    query = quote("SELECT ?x WHERE { BIND (<rel> AS ?x) }")
    rows = json.loads(_raw(url, f"/sparql?query={query}", accept="application/sparql-results+json")[2])
    return {
        "location": headers["location"],
        "void": str(void.value(URIRef("https://w3id.org/natograph/"), URIRef(VOID + "sparqlEndpoint"))),
        "service": str(next(description.objects(None, URIRef(SD + "endpoint")))),
        "openapi": json.loads(_raw(url, "/openapi.json")[2])["servers"][0]["url"],
        "relative": rows["results"]["bindings"][0]["x"]["value"],
    }


def test_by_default_the_server_writes_the_address_it_listens_on(server):
    written = _written(server)
    assert written == {"location": "../queries", "void": server + "/sparql", "service": server + "/sparql",
                       "openapi": server, "relative": server + "/rel"}
    assert not any(EVIL in value for value in written.values())


@pytest.fixture(scope="module")
def public_server(_private_cache):
    process, url = start_server("--base-url", "https://data.example.org/natograph/")
    yield url
    stop_server(process)


def test_a_configured_base_url_is_what_the_server_writes(public_server):
    base = "https://data.example.org/natograph"
    assert _written(public_server) == {"location": "../queries", "void": base + "/sparql",
                                       "service": base + "/sparql", "openapi": base, "relative": base + "/rel"}


@pytest.mark.parametrize(("path", "location"), [("/queries/", "../queries"), ("/queries/?lang=fr", "../queries?lang=fr"),
                                                ("/openapi.json/", "../openapi.json")])
def test_a_trailing_slash_is_redirected_relatively(client, path, location):
    response = client.get(path, headers={"Host": EVIL}, follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == location
    assert client.get(path, headers={"Host": EVIL}).status_code == 200  # and the redirect leads there


@pytest.mark.parametrize("path", ["/nothing/", "/queries//", "/static/"])
def test_a_path_that_is_not_a_route_is_404_even_with_a_slash(client, path):
    assert client.get(path, follow_redirects=False).status_code == 404
