"""``natograph serve`` on the command line: bad flags and a busy port are one-line errors (exit 2);
IRIs that try to break out of the SPARQL they are put in are 404s."""

from __future__ import annotations

import socket

import pytest

from natograph.cli import main


@pytest.mark.parametrize("flags", [["--timeout", "0"], ["--max-rows", "-1"], ["--port", "70000"], ["--workers", "0"],
                                   ["--timeout", "soon"], ["--memory-triples", "-1"], ["--memory-triples", "many"]])
def test_bad_flags_are_usage_errors(capsys, flags):
    assert main(["serve", *flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith("natograph: error:") and len(err.strip().splitlines()) == 1


def test_a_busy_port_is_one_line_and_exit_2(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"natograph: error: cannot listen on 127.0.0.1:{port}") and len(err.strip().splitlines()) == 1


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
