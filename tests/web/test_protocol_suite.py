"""The W3C SPARQL 1.1 Protocol test suite, replayed against a real ``natograph serve``.

The manifest (``tests/standards/sparql11-protocol/manifest.ttl``, vendored unchanged) is read with
rdflib. Each case is one test: its HTTP requests (``ht:Request``: method, path, headers, body in its
stated character encoding) are sent in order over a plain socket connection to a server started on a
free 127.0.0.1 port, and each response is checked as the case says: the status class
(``mf:expectedStatus``), the format of the results (``mf:expectedFormat``: a boolean, a table or RDF,
in a media type the protocol lists, and parsed) and the answer of an ASK (``mf:expectedBoolean``).

What the runner adapts, as the manifest tells a runner to:

- the path prefix ``/sparql/`` becomes natograph's endpoint, ``/sparql``;
- the data of a case (``ut:graphData``: ``data1.nt`` as the graph its ``rdfs:label`` names) is served
  as natograph serves any data file: the server runs on a root holding the shipped ontology, queries
  and data plus ``data/data1.ttl`` (the same bytes: N-Triples is Turtle), whose graph natograph names
  ``https://w3id.org/natograph/graph/data/data1``. Where a request names a case's graph as a graph (a
  ``default-graph-uri`` or ``named-graph-uri`` value, a ``FROM`` or ``FROM NAMED`` IRI), that name is
  sent instead; an IRI the data holds as a subject is sent as it is. The service description must
  list each of those graphs (``test_the_suite_graphs_are_in_the_service_description``).

``NEEDS_WRITING`` lists the cases that cannot pass on a read-only endpoint, with the reason: each of
them must fail at an update refused with 403 (a strict xfail), and every name listed must still be a
case of the manifest.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

CHECKOUT = Path(__file__).resolve().parents[2]
SUITE = CHECKOUT / "tests" / "standards" / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FILE_GRAPHS = "https://w3id.org/natograph/graph/data/"
"""natograph's name for the graph of ``data/<name>.ttl`` is this + ``<name>``."""

_READ_ONLY = "SPARQL Update: natograph serve is a read-only endpoint, every update is refused with 403"
NEEDS_WRITING = {
    "update_dataset_default_graph": _READ_ONLY,
    "update_dataset_default_graphs": _READ_ONLY,
    "update_dataset_named_graphs": _READ_ONLY,
    "update_dataset_full": _READ_ONLY,
    "update_post_form": _READ_ONLY,
    "update_post_direct": _READ_ONLY,
    "update_base_uri": _READ_ONLY + " (the case writes a triple, then reads it back to see its base IRI)",
}

FORMATS = {
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples", "text/plain"},
}
"""The media types a case's ``mf:expectedFormat`` allows (the suite names them in each case's
``mf:name``: "expect one of: XML, JSON, CSV, TSV", "RDF/XML, Turtle, N-Triples, RDFa"; ``text/plain``
is N-Triples' older type)."""
_RDFLIB_FORMATS = {"application/rdf+xml": "xml", "text/turtle": "turtle", "application/n-triples": "nt",
                   "text/plain": "nt"}
_RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"


class CaseFailed(AssertionError):
    """A response is not what the case expects."""


class UpdateRefused(CaseFailed):
    """The case failed at an update request, refused with 403 (what a read-only endpoint does)."""


def _items(graph: Graph, head) -> list:
    return list(Collection(graph, head)) if head is not None else []


def _manifest() -> Graph:
    return Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID=SUITE.as_uri() + "/manifest.ttl")


def _cases() -> list[tuple[str, URIRef]]:
    graph = _manifest()
    (manifest,) = graph.subjects(RDF.type, MF.Manifest)
    return [(str(entry).rpartition("#")[2], entry) for entry in _items(graph, graph.value(manifest, MF.entries))]


def _graph_data(graph: Graph) -> dict[str, str]:
    """{graph label: file name} over every case of the manifest."""
    out = {}
    for node in graph.objects(None, UT.graphData):
        label, data = str(graph.value(node, RDFS.label)), graph.value(node, UT.graph)
        out[label] = Path(urlsplit(str(data)).path).name
    return out


def _graph_names(graph: Graph) -> dict[str, str]:
    """{graph label in the manifest: the name natograph gives the same data}."""
    return {label: FILE_GRAPHS + Path(name).stem for label, name in _graph_data(graph).items()}


# ---------------------------------------------------------------------------
# The server: natograph serve on a root holding the shipped files and the suite's data
# ---------------------------------------------------------------------------


def _suite_root(folder: Path) -> Path:
    (folder / "ontology").mkdir()
    for path in (CHECKOUT / "ontology").glob("*.ttl"):
        shutil.copyfile(path, folder / "ontology" / path.name)
    shutil.copytree(CHECKOUT / "queries", folder / "queries")
    (folder / "data").mkdir()
    for path in (CHECKOUT / "data").glob("*.ttl"):
        shutil.copyfile(path, folder / "data" / path.name)
    for name in sorted(set(_graph_data(_manifest()).values())):
        shutil.copyfile(SUITE / name, folder / "data" / (Path(name).stem + ".ttl"))
    return folder


@pytest.fixture(scope="module")
def suite_server(_private_cache, tmp_path_factory):
    """(host, port) of ``natograph --root <suite root> serve`` on a free port."""
    root = _suite_root(tmp_path_factory.mktemp("protocol-root"))
    process = subprocess.Popen(
        [sys.executable, "-m", "natograph", "--root", str(root), "serve", "--port", "0", "--workers", "2",
         "--timeout", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, line = time.monotonic() + 120, ""
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            match = re.search(r"serving on http://(127\.0\.0\.1):(\d+)/", line)
            if match:
                break
            if process.poll() is not None:
                raise RuntimeError(f"natograph serve did not start: {line!r} {process.stderr.read()!r}")
        else:
            raise RuntimeError(f"natograph serve did not start in time: {line!r}")
        yield match.group(1), int(match.group(2))
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


# ---------------------------------------------------------------------------
# Replaying a request
# ---------------------------------------------------------------------------


def _renamed_parameters(query: str, names: dict[str, str]) -> str:
    """A query string or form with each ``default-graph-uri`` / ``named-graph-uri`` value that is a
    case's graph replaced by natograph's name for it; everything else byte for byte."""
    pairs = []
    for pair in query.split("&"):
        key, eq, value = pair.partition("=")
        if eq and key in ("default-graph-uri", "named-graph-uri"):
            iri = unquote(value.replace("+", " "))
            if iri in names:
                value = quote(names[iri], safe="")
        pairs.append(key + eq + value)
    return "&".join(pairs)


def _renamed_from(text: str, names: dict[str, str]) -> str:
    """*text* (a query) with ``FROM <g>`` / ``FROM NAMED <g>`` of a case's graph naming natograph's graph."""
    def rename(match: re.Match) -> str:
        return match.group(1) + "<" + names.get(match.group(2), match.group(2)) + ">"

    return re.sub(r"(\bFROM\s+(?:NAMED\s+)?)<([^>]*)>", rename, text, flags=re.IGNORECASE)


def _request(graph: Graph, node, names: dict[str, str]) -> dict:
    path = str(graph.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    rest = path[len("/sparql/"):]
    if rest.startswith("?"):
        rest = "?" + _renamed_parameters(rest[1:], names)
    headers = {str(graph.value(h, HT.fieldName)): str(graph.value(h, HT.fieldValue))
               for h in _items(graph, graph.value(node, HT.headers))}
    body = None
    content = graph.value(node, HT.body)
    if content is not None:
        text = str(graph.value(content, CNT.chars))
        media = next((v for k, v in headers.items() if k.lower() == "content-type"), "").split(";")[0].strip()
        if media == "application/x-www-form-urlencoded":
            text = _renamed_parameters(text, names)
        elif media == "application/sparql-query":
            text = _renamed_from(text, names)
        body = text.encode(str(graph.value(content, CNT.characterEncoding) or "UTF-8"))
    return {"method": str(graph.value(node, HT.methodName)), "path": "/sparql" + rest, "headers": headers,
            "body": body, "response": graph.value(node, HT.resp)}


def _send(address: tuple[str, int], request: dict) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=60)
    try:
        connection.request(request["method"], request["path"], body=request["body"], headers=request["headers"])
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _boolean(media: str, body: bytes) -> bool:
    if media == "application/sparql-results+json":
        value = json.loads(body)["boolean"]
        if not isinstance(value, bool):
            raise CaseFailed(f"'boolean' is not a JSON boolean: {value!r}")
        return value
    element = ET.fromstring(body).find(_RESULTS_XML + "boolean")
    if element is None or element.text not in ("true", "false"):
        raise CaseFailed("no <boolean>true|false</boolean> in the XML results")
    return element.text == "true"


def _check_format(kind: str, media: str, body: bytes) -> None:
    """The body is a well-formed answer of *kind* in *media*: parse it."""
    if media not in FORMATS[kind]:
        raise CaseFailed(f"expected {kind} results as one of {sorted(FORMATS[kind])}, got {media or '(none)'}")
    if kind == "boolean":
        _boolean(media, body)
    elif kind == "RDF":
        Graph().parse(data=body, format=_RDFLIB_FORMATS[media])
    elif media == "application/sparql-results+json":
        data = json.loads(body)
        if not isinstance(data["head"]["vars"], list) or not isinstance(data["results"]["bindings"], list):
            raise CaseFailed("JSON results without head.vars and results.bindings")
    elif media == "application/sparql-results+xml":
        if ET.fromstring(body).find(_RESULTS_XML + "results") is None:
            raise CaseFailed("XML results without <results>")
    elif not body.decode("utf-8").splitlines():
        raise CaseFailed("CSV/TSV results without a header line")


def _check(graph: Graph, request: dict, status: int, media: str, body: bytes) -> None:
    response = request["response"]
    classes = sorted(str(c).rpartition("#")[2] for c in graph.objects(response, MF.expectedStatus))
    wanted = {name[len("StatusCode"):][0] for name in classes}
    if str(status)[0] not in wanted:
        error = UpdateRefused if status == 403 and _is_update(request) else CaseFailed
        raise error(f"{request['method']} {request['path']}: expected {', '.join(classes)}, got {status}: "
                    f"{body[:300].decode('utf-8', 'replace').strip()}")
    kind, expected = graph.value(response, MF.expectedFormat), graph.value(response, MF.expectedBoolean)
    try:
        if kind is not None:
            _check_format(str(kind), media, body)
        answer = None if expected is None else _boolean(media, body)
    except (ValueError, SyntaxError, KeyError, TypeError) as exc:  # JSON, XML, RDF that does not parse
        raise CaseFailed(f"{request['method']} {request['path']}: the {media} body does not parse: {exc}") from None
    if expected is not None and answer is not expected.toPython():
        raise CaseFailed(f"expected the answer {expected.toPython()}, got {answer}")


def _is_update(request: dict) -> bool:
    media = next((v for k, v in request["headers"].items() if k.lower() == "content-type"), "")
    return media.startswith("application/sparql-update") or (request["body"] or b"").startswith(b"update=")


def run_case(address: tuple[str, int], graph: Graph, case: URIRef) -> None:
    names = _graph_names(graph)
    requests = [_request(graph, node, names) for node in _items(graph, graph.value(graph.value(case, MF.action),
                                                                                         HT.requests))]
    assert requests, f"{case} has no request"
    for request in requests:
        status, content_type, body = _send(address, request)
        _check(graph, request, status, content_type.split(";")[0].strip().lower(), body)


# ---------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------


def _params():
    for name, node in _cases():
        marks = ()
        if name in NEEDS_WRITING:
            marks = pytest.mark.xfail(reason=NEEDS_WRITING[name], raises=UpdateRefused, strict=True)
        yield pytest.param(node, id=name, marks=marks)


@pytest.fixture(scope="module")
def manifest() -> Graph:
    return _manifest()


def pytest_generate_tests(metafunc):
    """One test per case, read from the manifest when the tests are collected (not at import)."""
    if "case" in metafunc.fixturenames:
        metafunc.parametrize("case", list(_params()))


def test_protocol_case(suite_server, manifest, case):
    run_case(suite_server, manifest, case)


def test_every_exception_is_a_case_of_the_manifest():
    names = {name for name, _ in _cases()}
    assert len(names) == 34
    assert set(NEEDS_WRITING) <= names, f"listed but not in the manifest: {sorted(set(NEEDS_WRITING) - names)}"


def test_the_suite_graphs_are_in_the_service_description(suite_server, manifest):
    status, media, body = _send(suite_server, {"method": "GET", "path": "/sparql", "body": None,
                                               "headers": {"Accept": "text/turtle"}})
    assert status == 200 and media.startswith("text/turtle")
    description = Graph().parse(data=body, format="turtle")
    named = {str(description.value(g, SD.name)) for g in description.objects(None, SD.namedGraph)}
    assert set(_graph_names(manifest).values()) <= named


def _first_request(graph: Graph, name: str) -> dict:
    case = dict(_cases())[name]
    node = _items(graph, graph.value(graph.value(case, MF.action), HT.requests))[0]
    return _request(graph, node, _graph_names(graph))


def test_the_runner_fails_what_a_case_does_not_expect(manifest):
    """The checks can fail: a wrong status class, media type, body or answer is a failed case."""
    ask = _first_request(manifest, "query_dataset_default_graphs_post")  # 2xx or 3xx, a boolean, true
    assert "default-graph-uri=https%3A%2F%2Fw3id.org%2Fnatograph%2Fgraph%2Fdata%2Fdata1" in ask["path"]
    true, false = b'{"head": {}, "boolean": true}', b'{"head": {}, "boolean": false}'
    _check(manifest, ask, 200, "application/sparql-results+json", true)
    _check(manifest, ask, 200, "application/sparql-results+xml",
           b'<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>true</boolean></sparql>')
    for status, media, body in [(400, "application/sparql-results+json", true),
                                (200, "application/json", true),
                                (200, "application/sparql-results+json", false),
                                (200, "application/sparql-results+json", b'{"head": {}, "boolean": "true"}'),
                                (200, "application/sparql-results+xml", b"<sparql><boolean>true</boolean>")]:
        with pytest.raises(CaseFailed):
            _check(manifest, ask, status, media, body)
    construct = _first_request(manifest, "query_content_type_construct")  # RDF
    _check(manifest, construct, 200, "text/turtle", b"<http://a/s> <http://a/p> 1 .")
    for media, body in [("application/ld+json", b"[]"), ("text/turtle", b"<http://a/s> <http://a/p> ."),
                        ("application/sparql-results+json", b'{"head": {"vars": []}, "results": {"bindings": []}}')]:
        with pytest.raises(CaseFailed):
            _check(manifest, construct, 200, media, body)
    bad = _first_request(manifest, "bad_query_syntax")  # 4xx
    _check(manifest, bad, 400, "text/plain", b"")
    for status in (200, 500):
        with pytest.raises(CaseFailed):
            _check(manifest, bad, status, "text/plain", b"")
    update = _first_request(manifest, "update_post_form")
    with pytest.raises(UpdateRefused):
        _check(manifest, update, 403, "text/plain", b"updates are refused")
