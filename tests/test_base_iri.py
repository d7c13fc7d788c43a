"""Relative IRIs in a user's query resolve against a base IRI, on every source a query runs on.

``natograph sparql`` resolves them as Jena's ``arq`` does: against the query file's ``file:`` URI
(``-f``), else the working directory's, unless ``--base IRI`` says otherwise. The Python API passes
``base_iri`` to the store, to rdflib (``base=``), and to a remote endpoint as the query's own ``BASE``
line, only when it is given: a remote endpoint otherwise resolves them itself (never learning a local
path). A base that is not an absolute IRI is one line and exit code 2.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from test_endpoint import server

from natograph.cli import main
from natograph.errors import QueryError
from natograph.queries.remote import Endpoint
from natograph.queries.running import default_base, run_sparql, select

BIND_REL = "SELECT ?x WHERE { BIND(<rel> AS ?x) }"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_value(out: str) -> str:
    lines = out.splitlines()
    assert lines[0] == "x" and len(lines) == 2, out
    return lines[1]


def test_inline_query_resolves_against_the_working_directory(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "sparql", BIND_REL, "--format", "csv")
    assert (code, err) == (0, "")
    assert csv_value(out) == tmp_path.resolve().as_uri() + "/rel"


def test_query_file_resolves_against_its_own_uri(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "queries dir"  # a space: the file: URI percent-encodes it
    folder.mkdir()
    (folder / "q.rq").write_text(BIND_REL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "sparql", "-f", "queries dir/q.rq", "--format", "csv")
    assert code == 0
    assert csv_value(out) == (folder / "rel").resolve().as_uri()
    assert "queries%20dir/rel" in out


def test_standard_input_resolves_against_the_working_directory(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.stdin", io.StringIO(BIND_REL))
    code, out, _ = run(capsys, "sparql", "-f", "-", "--format", "csv")
    assert code == 0
    assert csv_value(out) == tmp_path.resolve().as_uri() + "/rel"


def test_base_option_wins_and_a_query_base_resolves_against_it(capsys, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("BASE <sub/>\n" + BIND_REL, encoding="utf-8")
    code, out, _ = run(capsys, "sparql", "-f", str(query), "--base", "https://example.org/a/b", "--format", "csv")
    assert code == 0
    assert csv_value(out) == "https://example.org/a/sub/rel"


def test_construct_with_relative_iris(capsys, tmp_path):
    """The Protocol suite's ``query_content_type_construct`` query, on the command line."""
    code, out, _ = run(capsys, "sparql", "CONSTRUCT { <s> <p> 1 } WHERE {}", "--base", "http://example.org/q/",
                       "--format", "ntriples")
    assert code == 0
    assert out.strip() == ('<http://example.org/q/s> <http://example.org/q/p> '
                           '"1"^^<http://www.w3.org/2001/XMLSchema#integer> .')


@pytest.mark.parametrize("base", ["rel", "http://example.org/a b", "http://example.org/\x01", "http://example.org/>", ""])
def test_a_base_that_is_not_an_absolute_iri_is_one_line_and_exit_2(capsys, base):
    code, out, err = run(capsys, "sparql", BIND_REL, "--base", base)
    assert (code, out) == (2, "")
    assert err.startswith("natograph: error: base IRI ") and "is not an absolute IRI" in err
    assert err.endswith("\n") and err[:-1].isprintable()  # one line: no other newline, no control character


def test_default_base():
    assert default_base("some/q.rq") == Path("some/q.rq").resolve().as_uri()
    assert default_base(None) == default_base("-") == Path.cwd().resolve().as_uri().rstrip("/") + "/"


def test_python_api_on_the_store():
    form, result = run_sparql(None, BIND_REL, base_iri="urn:example:base")  # RFC 3986: no "/" in the path
    assert form == "SELECT" and result.terms == ((ox.NamedNode("urn:rel"),),)
    rows = select(None, BIND_REL, base_iri="http://example.org/x/y")
    assert rows.terms == ((ox.NamedNode("http://example.org/x/rel"),),)
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        run_sparql(None, BIND_REL)  # no base: a relative IRI cannot be resolved
    with pytest.raises(QueryError, match="not an absolute IRI"):
        select(None, BIND_REL, base_iri="no scheme")


def test_python_api_on_an_rdflib_graph():
    graph = rdflib.Graph()
    form, result = run_sparql(graph, BIND_REL, base_iri="http://example.org/g/")
    assert form == "SELECT" and result.terms == ((ox.NamedNode("http://example.org/g/rel"),),)
    assert select(graph, BIND_REL, base_iri="http://example.org/h/i").terms == ((ox.NamedNode("http://example.org/h/rel"),),)
    form, triples = run_sparql(graph, "CONSTRUCT { <s> <p> <o> } WHERE {}", base_iri="http://example.org/c/")
    assert triples == [(ox.NamedNode("http://example.org/c/s"), ox.NamedNode("http://example.org/c/p"),
                        ox.NamedNode("http://example.org/c/o"))]
    with pytest.raises(QueryError, match="not an absolute IRI"):
        run_sparql(graph, BIND_REL, base_iri="a\nb")


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    with server("serve", "--location", str(tmp_path_factory.mktemp("empty-store"))) as url:
        yield url


def test_remote_endpoint_gets_the_base_as_its_own_base_line(capsys, oxigraph_server, tmp_path, monkeypatch):
    endpoint = Endpoint(f"{oxigraph_server}/query", timeout=30)
    assert select(endpoint, BIND_REL, base_iri="http://example.org/r/").terms == ((ox.NamedNode("http://example.org/r/rel"),),)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "sparql", BIND_REL, "--endpoint", f"{oxigraph_server}/query",
                       "--base", "https://example.org/e/", "--format", "csv")
    assert code == 0 and csv_value(out) == "https://example.org/e/rel"
    # Without --base, the endpoint resolves the IRI itself: no local file: URI is sent to another host.
    code, out, _ = run(capsys, "sparql", BIND_REL, "--endpoint", f"{oxigraph_server}/query", "--format", "csv")
    assert code == 0
    assert csv_value(out).startswith("http://127.0.0.1:")
    assert str(tmp_path) not in out
