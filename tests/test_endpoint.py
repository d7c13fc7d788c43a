"""The catalogue on a real SPARQL server: Oxigraph's (the ``oxigraph`` test dependency), on 127.0.0.1.

The graph goes into the server the two documented ways: ``natograph export --inferred --format
ntriples`` then ``oxigraph load`` and ``oxigraph serve-read-only``; and ``natograph export --to``
into a writable ``oxigraph serve`` (the SPARQL 1.1 Graph Store Protocol). Then ``--endpoint`` runs
every stored query there and must print exactly the local rows. Each query fixture also gets a server
of its own, so every fixture's rows are compared too. The error paths (nothing listening, a refusal,
a timeout, garbage) are one line and exit code 2.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import ClassVar

import pytest
from test_queries import CASES, TODAY, fixture_graph, params_of

from natograph.cli import main
from natograph.errors import RemoteError
from natograph.graph.store.opening import open_engine
from natograph.queries.catalogue import catalogue, run_stored
from natograph.queries.remote import Endpoint, put_graph
from natograph.queries.running import select


def oxigraph() -> str:
    found = shutil.which("oxigraph") or shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph binary is missing in CI: the test extra should install it")
        pytest.skip("no oxigraph binary (pip install oxigraph, part of the test extra)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(arguments: tuple[str, ...], tries: int = 3) -> tuple[subprocess.Popen, str]:
    """``oxigraph ARGUMENTS`` on a free port, once it answers. Oxigraph takes no port 0, so the port is
    found free first; another process (an xdist worker) may take it meanwhile: then a new port."""
    for attempt in range(tries):
        port = free_port()
        process = subprocess.Popen([oxigraph(), *arguments, "--bind", f"127.0.0.1:{port}"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=5):
                    return process, base
            except OSError:
                if process.poll() is not None:
                    error = process.stderr.read().decode()
                    if attempt + 1 < tries and "in use" in error.lower():
                        break
                    raise RuntimeError(f"oxigraph did not start: {error}") from None
                if time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError("oxigraph did not answer within 60 s") from None
                time.sleep(0.1)
    raise AssertionError("unreachable")


@contextlib.contextmanager
def server(*arguments: str):
    """Run ``oxigraph ARGUMENTS --bind 127.0.0.1:PORT``; yield its base URL once it answers."""
    process, base = _start(arguments)
    try:
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load(location: Path, data_file: Path) -> None:
    subprocess.run([oxigraph(), "load", "--location", str(location), "--file", str(data_file)],
                   check=True, capture_output=True, timeout=300)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def exported_triples() -> int:
    """Triples of ``export --inferred``: the closure and the nodes the alignments generate."""
    import natograph

    return len(natograph.export("ntriples", inferred=True).splitlines())


REAL_VALUES = {"code": "FR", "initiative": "DCB"}


def every_run() -> list[tuple[str, dict[str, str]]]:
    """Each stored query with its defaults, in French, and with each fixture's parameters that are
    not the fixtures' invented codes."""
    runs = []
    for name, query in sorted(catalogue().items()):
        required = {p.name: REAL_VALUES[p.name] for p in query.params if p.required}
        runs.append((name, required))
        if query.param("lang") is not None:
            runs.append((name, {**required, "lang": "fr"}))
    for case in CASES:
        values = params_of(case)
        if not {"code", "initiative", "operation", "programme"} & set(values):
            runs.append((case.stem.split("@")[0], values))
    return runs


@pytest.fixture(scope="module")
def shipped_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oxigraph")
    dump = folder / "natograph.nt"
    assert main(["export", "--inferred", "--format", "ntriples", "-o", str(dump)]) == 0
    load(folder / "db", dump)
    with server("serve-read-only", "--location", str(folder / "db")) as base:
        yield base


def test_every_stored_query_gives_the_local_rows_through_the_endpoint(shipped_server):
    endpoint = Endpoint(shipped_server + "/query")
    runs = every_run()
    assert {name for name, _ in runs} == set(catalogue())
    with_rows = set()
    for name, values in runs:
        local = run_stored(None, name, values, today=TODAY)
        remote = run_stored(endpoint, name, values, today=TODAY)
        assert remote == local, (name, values)
        if len(local) > 0:
            with_rows.add(name)
    # Every query gives rows in some run, so no comparison is empty for every run of it; a run may be
    # empty when that is the answer (stale, measured from the data's own day, lists nothing while every
    # source is recent; its fixture's as_of=2030 run lists the open facts).
    assert with_rows == set(catalogue())


def test_the_command_line_prints_the_same_bytes_through_the_endpoint(shipped_server, capsys):
    for argv in (["query", "partners", "-p", "framework=MD"], ["query", "country", "-p", "code=fr", "--lang", "fr"],
                 ["query", "frameworks", "-p", "as_of=2000", "--format", "json"],
                 ["sparql", "PREFIX ng: <https://w3id.org/natograph/ontology#> ASK { ?c a ng:MemberState }",
                  "--format", "xml"],
                 ["sparql", "DESCRIBE <https://w3id.org/natograph/id/country/FR>", "--format", "ntriples"]):
        local = run(capsys, *argv)
        remote = run(capsys, *argv, "--endpoint", shipped_server + "/query", "--timeout", "30")
        assert remote == local and local[0] == 0 and local[1], argv


def test_a_long_query_goes_by_post(shipped_server):
    padding = "# " + "x" * 3000 + "\n"  # longer than a GET URL may be
    text = padding + "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    remote = select(Endpoint(shipped_server + "/query"), text)
    assert int(remote.terms[0][0].value) == exported_triples()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_every_fixture_gives_its_rows_through_the_endpoint(case, tmp_path):
    name = case.stem.split("@")[0]
    dump = tmp_path / "fixture.nt"
    dump.write_bytes(fixture_graph(case).serialize(format="nt", encoding="utf-8"))
    load(tmp_path / "db", dump)
    with server("serve-read-only", "--location", str(tmp_path / "db")) as base:
        remote = run_stored(Endpoint(base + "/query"), name, params_of(case), today=TODAY)
    local = run_stored(fixture_graph(case), name, params_of(case), today=TODAY)
    assert remote == local and len(local) > 0


def test_export_to_a_graph_store_then_the_catalogue_runs_there(tmp_path, capsys):
    with server("serve", "--location", str(tmp_path / "db")) as base:
        code, _, err = run(capsys, "export", "--inferred", "--to", base + "/store")
        assert code == 0, err
        assert "replace the default graph" in err
        endpoint = Endpoint(base + "/query")
        for name, values in every_run():
            assert run_stored(endpoint, name, values, today=TODAY) == \
                run_stored(None, name, values, today=TODAY), (name, values)
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert int(select(endpoint, count).terms[0][0].value) == exported_triples()
        # A second PUT replaces the graph: asserted triples only now, nothing left over.
        assert run(capsys, "export", "--to", base + "/store")[0] == 0
        assert int(select(endpoint, count).terms[0][0].value) == open_engine().manifest["asserted"]
        # Into a named graph: the default graph is untouched.
        graph = "https://example.org/graph/natograph"
        assert run(capsys, "export", "--to", base + "/store", "--graph", graph)[0] == 0
        named = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        assert int(select(endpoint, named).terms[0][0].value) == open_engine().manifest["asserted"]


# -- when the other side misbehaves ---------------------------------------------------------------


class Fake(http.server.BaseHTTPRequestHandler):
    """Answers every request as the class attributes say, and records what it was sent."""

    status = 200
    content_type = "application/sparql-results+json"
    body = b""
    delay = 0.0
    seen: ClassVar[list] = []

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        Fake.seen.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
        time.sleep(self.delay)
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args):
        pass


class Quiet(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client hung up (the timeout test): nothing to report


@pytest.fixture
def fake():
    Fake.seen = []
    httpd = Quiet(("127.0.0.1", 0), Fake)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Fake, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    Fake.status, Fake.content_type, Fake.body, Fake.delay = 200, "application/sparql-results+json", b"", 0.0


@pytest.mark.parametrize(
    ("setup", "fragment"),
    [
        ({"status": 400, "content_type": "text/plain", "body": b"Parse error: unexpected token"},
         "refused the query: HTTP 400: Parse error: unexpected token"),
        ({"status": 503, "content_type": "text/html", "body": b"<h1>down</h1>"}, "refused the query: HTTP 503"),
        ({"content_type": "text/html", "body": b"<html>hello</html>"}, "not what was asked (text/html)"),
        ({"body": b'{"head": {"vars": ["x"]}, "results": '}, "not what was asked (application/sparql-results+json)"),
        ({"body": b'{"head": {}, "boolean": true}'}, "a boolean answer to a SELECT query"),
        ({"status": 401, "content_type": "text/plain"}, "asks for authentication (HTTP 401)"),
    ],
)
def test_a_misbehaving_endpoint_is_one_line_and_exit_2(fake, capsys, setup, fragment):
    handler, base = fake
    for name, value in setup.items():
        setattr(handler, name, value)
    code, out, err = run(capsys, "query", "members", "--endpoint", base + "/sparql", "--timeout", "1")
    assert (code, out) == (2, "")
    assert fragment in err, err
    assert err.startswith("natograph: error: endpoint http://127.0.0.1:") and len(err.strip().splitlines()) == 1


def test_a_slow_endpoint_is_stopped_by_the_timeout(fake, capsys):
    handler, base = fake
    handler.delay, handler.body = 3.0, b'{"head": {"vars": []}, "results": {"bindings": []}}'
    with pytest.raises(RemoteError, match=r"endpoint http://127\.0\.0\.1:\d+/sparql gave no answer within 1 s"):
        select(Endpoint(base + "/sparql", timeout=1), "SELECT * WHERE {}")
    started = time.monotonic()
    code, out, err = run(capsys, "query", "members", "--endpoint", base + "/sparql", "--timeout", "1")
    assert (code, out) == (2, "") and time.monotonic() - started < 2.9
    assert "--timeout" in err and len(err.strip().splitlines()) == 1  # the endpoint's wait, or the command's limit


def test_nothing_listening_is_one_line_and_exit_2(capsys):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    code, out, err = run(capsys, "sparql", "ASK {}", "--endpoint", url)
    assert (code, out) == (2, "")
    assert f"endpoint {url} cannot be reached" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("argv", "fragment"), [
    (["query", "members", "--endpoint", "ftp://example.org/sparql"], "is not an http:// or https:// URL"),
    (["query", "members", "--endpoint", "http://user:secret@127.0.0.1:9/sparql"], "put no user or password in the URL"),
    (["sparql", "ASK {}", "--asserted", "--endpoint", "http://127.0.0.1:9/q"], "--asserted cannot be used"),
    (["export", "--to", "http://127.0.0.1:9/store", "-o", "x.nt"], "either --to URL or -o FILE"),
    (["export", "--to", "http://127.0.0.1:9/store", "--format", "turtle"], "--to sends N-Triples"),
    (["export", "--graph", "https://example.org/g"], "--graph and --timeout go with --to"),
    (["export", "--to", "http://127.0.0.1:9/store", "--graph", "not an iri"], "is not an absolute IRI"),
])
def test_remote_usage_errors(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert fragment in err and len(err.strip().splitlines()) == 1


def test_get_for_short_queries_post_when_the_endpoint_refuses_get_and_auth_from_the_environment(fake, monkeypatch):
    handler, base = fake
    handler.body = b'{"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "1"}}]}}'
    monkeypatch.setenv("NATOGRAPH_STORE_USER", "alice")
    monkeypatch.setenv("NATOGRAPH_STORE_PASSWORD", "s3cret")
    rows = select(Endpoint(base + "/sparql"), "SELECT ?n WHERE {}")
    assert rows.as_dicts() == [{"n": "1"}]
    method, path, headers, _ = handler.seen[-1]
    assert method == "GET" and path.startswith("/sparql?query=SELECT")
    assert headers["Authorization"] == "Basic YWxpY2U6czNjcmV0"  # alice:s3cret
    assert headers["Accept"].startswith("application/sparql-results+json")
    monkeypatch.setenv("NATOGRAPH_STORE_TOKEN", "t0ken")
    handler.status = 405
    with pytest.raises(RemoteError, match="HTTP 405"):  # GET refused, then POST refused as well
        select(Endpoint(base + "/sparql"), "SELECT ?n WHERE {}")
    (get, *_), (post, path, headers, body) = handler.seen[-2:]
    assert (get, post, path) == ("GET", "POST", "/sparql")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded" and body.startswith(b"query=SELECT")
    assert headers["Authorization"] == "Bearer t0ken"


def test_put_graph_sends_n_triples_to_the_default_graph_or_a_named_one(fake):
    handler, base = fake
    handler.status = 204
    assert put_graph(base + "/store", b"<a:s> <a:p> <a:o> .\n") == 204
    method, path, headers, body = handler.seen[-1]
    assert (method, path, headers["Content-Type"], body) == ("PUT", "/store?default", "application/n-triples",
                                                            b"<a:s> <a:p> <a:o> .\n")
    put_graph(base + "/store", b"", graph="https://example.org/g?x=1")
    assert handler.seen[-1][1] == "/store?graph=https%3A%2F%2Fexample.org%2Fg%3Fx%3D1"
    handler.status = 403
    with pytest.raises(RemoteError, match="refused the graph: HTTP 403"):
        put_graph(base + "/store", b"")


def test_an_answer_over_the_size_limit_is_refused_and_the_limit_is_set_from_the_environment(fake, capsys, monkeypatch):
    handler, base = fake
    handler.body = b'{"head": {"vars": ["x"]}, "results": {"bindings": [' + b" " * (2 * 1024 * 1024) + b"]}}"
    monkeypatch.setenv("NATOGRAPH_MAX_ANSWER_MIB", "1")
    code, out, err = run(capsys, "sparql", "--endpoint", base + "/sparql", "SELECT ?x WHERE { ?s ?p ?x }")
    assert (code, out) == (2, "") and "answered more than 1 MiB (NATOGRAPH_MAX_ANSWER_MIB)" in err, err
    monkeypatch.setenv("NATOGRAPH_MAX_ANSWER_MIB", "3")
    code, out, err = run(capsys, "sparql", "--endpoint", base + "/sparql", "--format", "csv", "SELECT ?x WHERE { ?s ?p ?x }")
    assert (code, out, err) == (0, "x\r\n", "")
    monkeypatch.setenv("NATOGRAPH_MAX_ANSWER_MIB", "5000")
    code, out, err = run(capsys, "sparql", "--endpoint", base + "/sparql", "SELECT ?x WHERE { ?s ?p ?x }")
    assert code == 2 and "NATOGRAPH_MAX_ANSWER_MIB must be a whole number of MiB from 1 to 4096" in err


def test_export_to_timeout_is_checked_like_the_other_timeouts(fake, capsys):
    handler, base = fake
    handler.status = 201
    for value in ("-1", "nan", "inf", "1e308", "abc"):
        code, _, err = run(capsys, "export", "--to", base + "/store", "--timeout", value)
        assert code == 2 and err.count("\n") == 1 and "--timeout must be" in err, (value, err)
    code, _, err = run(capsys, "export", "--to", base + "/store", "--timeout", "0")  # 0: no limit, as elsewhere
    assert code == 0 and "(HTTP 201)" in err, err
    for value in (0, -1, float("nan"), 1e308):
        with pytest.raises(RemoteError, match="timeout must be a number of seconds above 0"):
            put_graph(base + "/store", b"", timeout=value)


def test_codes_are_checked_against_the_endpoint_graph_not_the_local_one(fake, capsys):
    handler, base = fake
    # The endpoint's graph knows one code, ZZ, and not FR (which the local graph knows).
    handler.body = (b'{"head": {"vars": ["code", "kind"]}, "results": {"bindings": [{"code": {"type": "literal", '
                    b'"value": "ZZ"}, "kind": {"type": "literal", "value": "country"}}]}}')
    code, _, err = run(capsys, "query", "country", "-p", "code=FR", "--endpoint", base + "/sparql")
    assert code == 2 and "no country or organisation has the code 'FR'" in err
    code, shown, _ = run(capsys, "query", "country", "-p", "code=zz", "--endpoint", base + "/sparql", "--show-query")
    assert code == 0 and 'VALUES (?param_code ?param_lang) { ("ZZ" "en") }' in shown
    assert all(path.startswith("/sparql?query=") for _, path, _, _ in handler.seen)


def test_the_python_api_runs_on_an_endpoint(shipped_server):
    import natograph

    remote = natograph.query("partners", {"framework": "ICI"}, lang="fr", endpoint=shipped_server + "/query", timeout=30)
    assert remote == natograph.query("partners", {"framework": "ICI"}, lang="fr") and len(remote) == 4
