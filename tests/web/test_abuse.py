"""A real ``natograph serve`` on 127.0.0.1, tried as the attacker of issue 27 tried it: one request
cannot take the machine's memory (finding 1), a query the CLI refuses is a 400 and one that crashes
the parser a one-line 500 (finding 4), a client cannot hold every worker and a full queue answers
at once (finding 2), and the stored queries keep answering meanwhile.

Several clients are told apart by the address a proxy on the machine gives (``X-Forwarded-For``,
believed from 127.0.0.1 only), as they would be behind the proxy a public server sits behind."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DOUBLING = ('SELECT (STRLEN(?v30) AS ?n) WHERE { BIND("ab" AS ?v0) '
            + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30)) + " }")
CHAINED = "SELECT (" + "+".join(["1"] * 10_000) + " AS ?x) {}"


class Server:
    """``natograph serve --port 0 FLAGS``, its standard error kept in a file."""

    def __init__(self, tmp: Path, *flags: str) -> None:
        self.log = tmp / "stderr.txt"
        with self.log.open("w") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "natograph", "serve", "--port", "0", *flags],
                                            stdout=subprocess.PIPE, stderr=err, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", line)
        if not match:
            self.stop()
            raise RuntimeError(f"natograph serve did not start: {line!r} {self.log.read_text()!r}")
        self.url = match.group(1)

    def get(self, path: str, client: str = "127.0.0.1", timeout: float = 60, **kwargs) -> httpx.Response:
        headers = {"X-Forwarded-For": client, **kwargs.pop("headers", {})}
        return httpx.get(self.url + path, headers=headers, timeout=timeout, **kwargs)

    def sparql(self, query: str, client: str = "127.0.0.1") -> httpx.Response:
        """*query* POSTed (two identical GETs in flight would share one run)."""
        return httpx.post(self.url + "/sparql", data={"query": query}, timeout=60,
                          headers={"X-Forwarded-For": client, "Accept": "application/sparql-results+json"})

    def health(self) -> dict:
        return self.get("/health").json()

    def resident_mib(self) -> float:
        """Resident memory of the server and every process under it (Linux /proc), in MiB."""
        total, todo = 0, [self.process.pid]
        while todo:
            pid = todo.pop()
            try:
                total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text()).group(1))
                for task in Path(f"/proc/{pid}/task").iterdir():
                    todo.extend(int(c) for c in (task / "children").read_text().split())
            except (OSError, AttributeError):
                continue
        return total / 1024

    def stop(self) -> str:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        return self.log.read_text()


@pytest.fixture(scope="module")
def default_server(_private_cache, tmp_path_factory):
    """A server with the default settings."""
    server = Server(tmp_path_factory.mktemp("default-server"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def small_server(_private_cache, tmp_path_factory):
    """One ad-hoc worker, two queries a client, one waiting at most, two seconds' wait, five seconds' run."""
    server = Server(tmp_path_factory.mktemp("small-server"), "--workers", "1", "--per-client", "2", "--queue", "1",
                    "--queue-timeout", "2", "--timeout", "5")
    yield server
    server.stop()


def _peak_while(server: Server, work) -> tuple[float, list]:
    """The highest resident memory sampled while *work* runs in threads, and their results."""
    results: list = []
    threads = [threading.Thread(target=lambda w=w: results.append(w())) for w in work]
    peak = server.resident_mib()
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        peak = max(peak, server.resident_mib())
        time.sleep(0.005)
    return peak, results


def test_the_doubling_query_is_stopped_under_the_memory_ceiling(default_server):
    """One GET took the server from 186 MiB to 2,641 MiB: now a 503 in one line, the server and its
    workers under 1 GiB, even with every ad-hoc worker running the query at once."""
    server = default_server
    before = server.health()
    workers = len(before["lanes"]["sparql"]["workers"])
    peak, answers = _peak_while(server, [lambda i=i: server.sparql(DOUBLING, f"10.0.0.{i}") for i in range(workers)])
    for answer in answers:
        assert answer.status_code == 503, answer.text
        assert answer.text.count("\n") == 1 and "--max-memory 256" in answer.text and "memory" in answer.text
    assert peak < 1024, f"{peak:.0f} MiB resident"
    after = server.health()
    assert after["workers"] == before["workers"] and after["replaced"] == before["replaced"]  # only the query's process went
    assert server.sparql("ASK { ?s ?p ?o }").json()["boolean"] is True


@pytest.mark.parametrize("depth", [101, 1000, 5000])
def test_the_command_lines_nesting_limit_is_a_400(default_server, depth):
    """101 and 1,000 levels ran, 5,000 crashed the worker: each is refused before any parser sees it."""
    response = default_server.sparql("SELECT * WHERE " + "{" * depth + "}" * depth)
    assert response.status_code == 400 and response.text.count("\n") == 1
    assert "nests brackets more than 100 deep" in response.text


def test_the_query_limits_of_the_command_line_are_the_servers(default_server):
    ok = default_server.sparql("SELECT * WHERE " + "{" * 99 + "}" * 99)
    assert ok.status_code == 200  # 100 brackets deep with the outer one: within the limit


def test_a_query_that_crashes_the_parser_is_a_500_in_one_line_and_one_log_line(tmp_path, _private_cache):
    server = Server(tmp_path, "--workers", "1")
    try:
        before = server.health()
        answers = [server.sparql(CHAINED) for _ in range(3)]
        after = server.health()
        assert server.sparql("ASK { ?s ?p ?o }").status_code == 200
    finally:
        log = server.stop()
    for answer in answers:
        assert answer.status_code == 500 and answer.text.count("\n") == 1, answer.text
        assert "crashed" in answer.text and "Traceback" not in answer.text
    assert after["workers"] == before["workers"]  # no worker to start again: the query's own process died
    lines = [line for line in log.splitlines() if line.strip()]
    assert "Traceback" not in log and len(lines) == 3, log  # one line per crash, nothing else
    assert all("crashed" in line for line in lines)


def _wait_for(server: Server, lane: str, busy: int, waiting: int) -> None:
    for _ in range(600):
        state = server.health()["lanes"][lane]
        if state["busy"] == busy and state["waiting"] == waiting:
            return
        time.sleep(0.05)
    raise AssertionError(f"the {lane} lane never had {busy} busy and {waiting} waiting: {state}")


def test_a_client_cannot_hold_every_worker_and_a_full_queue_answers_at_once(small_server):
    server = small_server
    results: dict[str, httpx.Response] = {}

    def send(name: str, client: str) -> threading.Thread:
        thread = threading.Thread(target=lambda: results.update({name: server.sparql(RUNAWAY, client)}))
        thread.start()
        return thread

    first = send("first", "192.0.2.1")
    _wait_for(server, "sparql", busy=1, waiting=0)
    second = send("second", "192.0.2.1")
    _wait_for(server, "sparql", busy=1, waiting=1)
    third = server.sparql(RUNAWAY, "192.0.2.1")  # the client's third: over its share
    other = server.sparql(RUNAWAY, "192.0.2.2")  # another client: the queue is full
    stored = server.get("/queries/partners?framework=MD", "192.0.2.1")  # the stored queries' own lane
    page = server.get("/id/country/FR", "192.0.2.1", headers={"Accept": "text/html"})
    still_running = first.is_alive()
    first.join(60)
    second.join(60)
    assert still_running, "the refusals should not have waited for the running query"
    assert third.status_code == 429 and "--per-client" in third.text and third.headers["Retry-After"].isdigit()
    assert other.status_code == 503 and "--queue" in other.text and other.headers["Retry-After"].isdigit()
    assert stored.status_code == 200 and len(stored.json()["results"]["bindings"]) > 0
    assert page.status_code == 200 and "<h1>France</h1>" in page.text
    assert results["first"].status_code == 503 and "5 s limit" in results["first"].text
    # the second waited its --queue-timeout (2 s) behind a query that ran 5: refused, not left hanging
    assert results["second"].status_code == 503 and "--queue-timeout" in results["second"].text
    assert server.sparql("ASK { ?s ?p ?o }").status_code == 200


def test_health_says_what_each_lane_holds(small_server):
    health = small_server.health()
    assert set(health["lanes"]) == {"stored", "sparql"}
    assert len(health["lanes"]["sparql"]["workers"]) == 1 and len(health["lanes"]["stored"]["workers"]) == 1
    assert json.dumps(health)  # plain JSON
