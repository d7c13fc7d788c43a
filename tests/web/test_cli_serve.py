"""``natograph serve`` on the command line: every limit's flag bounded (a value outside its bounds,
nan and inf included, is one line and exit 2, issue 27 finding 4); bad input at start-up is one line
naming the file and line, exit 2, before anything listens (finding 6); a busy port is one line; a
SIGTERM while the workers start stops them all; IRIs that try to break out of the SPARQL they are
put in are 404s."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from natograph.cli import main
from natograph.web.limits import LIMITS, max_workers

CHECKOUT = Path(__file__).resolve().parents[2]
HOSTILE = ["nan", "inf", "-inf", "1e308", "0", "-1", "100000", "soon", ""]


def _refused(limit, text: str) -> bool:
    try:
        limit.parse(text)
    except ValueError:
        return True
    return False


CASES = [(limit.flag, text) for limit in LIMITS.values() for text in HOSTILE if _refused(limit, text)]


def test_every_flag_refuses_what_the_issue_tried():
    """nan, inf, 1e308 and negative values are refused by every limit; 0 by every one that needs a
    positive value; 100000 by the workers, the timeouts and the memory; what a flag accepts is bounded."""
    refused = {flag: {text for f, text in CASES if f == flag} for flag in (limit.flag for limit in LIMITS.values())}
    for flag, texts in refused.items():
        assert {"nan", "inf", "-inf", "1e308", "-1", "soon", ""} <= texts, flag
    for flag in ("--timeout", "--workers", "--stored-workers", "--per-client", "--max-rows", "--max-memory",
                 "--queue-timeout", "--header-timeout", "--max-answer", "--max-body", "--max-query-length"):
        assert "0" in refused[flag], flag
    for flag in ("--timeout", "--workers", "--stored-workers", "--queue-timeout", "--header-timeout", "--port"):
        assert "100000" in refused[flag], flag
    assert max_workers() >= 4 and _refused(LIMITS["workers"], str(max_workers() + 1))
    assert not _refused(LIMITS["workers"], str(max_workers()))


@pytest.mark.parametrize(("flag", "text"), CASES)
def test_a_value_outside_a_flags_bounds_is_one_line_and_exit_2(capsys, flag, text):
    assert main(["serve", f"{flag}={text}"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"natograph: error: argument {flag}: must be") and len(err.strip().splitlines()) == 1, err
    assert "from" in err or "more than" in err  # it says what is accepted


@pytest.mark.parametrize("url", ["evil.example", "ftp://example.org/", "http://", "https://example.org/a b",
                                 "https://example.org/?q=1", "https://example.org/#x", "https://example.org/\n",
                                 "https://example.org:99999/", "javascript:alert(1)"])
def test_a_base_url_that_is_not_an_absolute_http_url_is_refused(capsys, url):
    assert main(["serve", "--base-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("natograph: error: --base-url must be") and len(err.strip().splitlines()) == 1, err


def test_a_busy_port_is_one_line_and_exit_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"natograph: error: cannot listen on 127.0.0.1:{port}") and len(err.strip().splitlines()) == 1


def test_bad_turtle_under_the_root_is_one_line_with_file_and_line_before_anything_listens(tmp_path):
    root = tmp_path / "root"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(CHECKOUT / folder, root / folder)
    with (root / "data" / "members.ttl").open("a", encoding="utf-8") as data:
        data.write("ng:broken a a a .\n")
    lines = (root / "data" / "members.ttl").read_text(encoding="utf-8").count("\n")
    process = subprocess.run([sys.executable, "-m", "natograph", "--root", str(root), "serve", "--port", "0"],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "NATOGRAPH_CACHE_DIR": str(tmp_path / "cache")})
    assert process.returncode == 2, process.stderr
    assert process.stdout == ""  # never said it was serving
    assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr, process.stderr
    assert process.stderr.startswith(f"natograph: error: {root / 'data' / 'members.ttl'}:{lines}:"), process.stderr


def test_a_stored_query_that_cannot_be_read_is_one_line_before_anything_listens(tmp_path):
    root = tmp_path / "root"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(CHECKOUT / folder, root / folder)
    (root / "queries" / "broken.rq").write_text("#+ summary: broken\n#+ param: x nosuchtype -- what\nSELECT * {}\n",
                                               encoding="utf-8")
    process = subprocess.run([sys.executable, "-m", "natograph", "--root", str(root), "serve", "--port", "0"],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "NATOGRAPH_CACHE_DIR": str(tmp_path / "cache")})
    assert process.returncode == 2 and process.stdout == "", process.stderr
    assert process.stderr.count("\n") == 1 and process.stderr.startswith(f"natograph: error: {root / 'queries' / 'broken.rq'}:2:")


def test_sigterm_while_the_workers_start_stops_them_all():
    """--workers at its maximum, SIGTERM as soon as the server process runs: it exits, and no process
    of its session is left (the issue saw 448 workers forked and forking on after SIGTERM)."""
    process = subprocess.Popen([sys.executable, "-m", "natograph", "serve", "--port", "0",
                                "--workers", str(max_workers())],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(1.5)  # into the start-up (opening the store, spawning workers): not a timing assertion
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("natograph serve did not stop on SIGTERM")
    for _ in range(100):
        left = subprocess.run(["ps", "-o", "pid=", "-s", str(process.pid)], capture_output=True, text=True).stdout.split()
        if not left:
            break
        time.sleep(0.1)
    else:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"processes left after SIGTERM: {left}")
    assert "Traceback" not in process.stderr.read()


@pytest.mark.parametrize("path", [
    "/id/country/FR%3E%20%3Fp%20%3Fo%20%7D%20%23",     # FR> ?p ?o } #
    "/id/country/FR%3E",
    "/id/country/%22FR",
    "/id/country/F%20R",
])
def test_iris_that_would_break_the_query_are_404(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 404


def test_every_limit_has_its_line_in_the_docs():
    """docs/limits.md's table of the server: a row per flag, with its default and its bounds."""
    text = (CHECKOUT / "docs" / "limits.md").read_text(encoding="utf-8")
    table = text[text.index("**`natograph serve`**"):text.index("A flag given a value outside its bounds")]
    rows = {line.split("|")[3].strip(): line for line in table.splitlines() if line.startswith("| ") and "`--" in line}
    for limit in LIMITS.values():
        row = next((line for flag, line in rows.items() if flag.startswith(f"`{limit.flag}")), None)
        assert row is not None, f"{limit.flag} has no line in docs/limits.md"
        shown = "{}" if limit.flag == "--port" else "{:,}"
        default = "2–4, by CPU count" if callable(limit.default) else shown.format(limit.default).replace(".0", "")
        assert default in row.split("|")[2], (limit.flag, default, row)
        high = "twice the CPUs" if limit.high is max_workers else "the machine's memory" if callable(limit.high) \
            else shown.format(limit.highest())
        assert high in row.split("|")[4], (limit.flag, high, row)
