"""Running a query on a source: the shipped store (None), an Engine, a remote Endpoint, or an rdflib
Graph a caller hands over (evaluated by rdflib). ``select`` runs natograph's own SELECT queries;
``run_sparql`` a user's read-only query of any form, under the nesting and row limits.

Relative IRIs in a query resolve against a base IRI (``base_iri``): the store and rdflib are given
it; a remote endpoint gets it as the query's own first line, ``BASE <...>``, the one way every
endpoint honours. ``default_base`` is the command line's default, as Jena's ``arq`` does: the query
file's ``file:`` URI, else the working directory's. The command line sends a remote endpoint only a
base it was given: the default, a local ``file:`` URI, would tell another host the user's folders and
name nothing it holds; without one, the endpoint resolves against its own base (its URL, in Oxigraph
and natograph serve), as the SPARQL Protocol's clients expect."""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import QueryError
from ..graph.terms import from_rdflib
from .lexer import check_safe, query_form
from .results import QueryResult


def _is_rdflib_graph(source) -> bool:
    if source is None:
        return False
    from ..graph.store.engine import Engine
    from .remote import Endpoint  # only when a source is given: the cold path does not import it

    return not isinstance(source, (Engine, Endpoint))


def _engine(source):
    if source is None:
        from ..graph.store.opening import open_engine

        return open_engine()
    return source


def check_base(iri: str) -> str:
    """*iri* if it can be a base IRI (absolute: a scheme; no space or control character), else a
    QueryError in one line."""
    try:
        ox.NamedNode(iri)  # an absolute IRI, by RFC 3987's grammar: a scheme, no space, no control character
    except ValueError as exc:
        reason = "".join(c if c.isprintable() else repr(c)[1:-1] for c in one_line(str(exc)))
        raise QueryError(f"base IRI {iri!r} is not an absolute IRI ({reason})") from None
    return iri


def default_base(query_file: str | None = None) -> str | None:
    """The base IRI of a query read from *query_file* (its ``file:`` URI), or of one given inline or on
    standard input (``-``, None: the working directory's ``file:`` URI, with a final slash, so
    ``<x>`` is a file in it); None when the working directory no longer exists."""
    from pathlib import Path

    try:
        if query_file is not None and query_file != "-":
            return Path(query_file).resolve().as_uri()
        folder = Path.cwd().resolve().as_uri()
        return folder if folder.endswith("/") else folder + "/"
    except (OSError, ValueError):
        return None


def select(source, text: str, *, inferred: bool = True, base_iri: str | None = None) -> QueryResult:
    """Run a SELECT *text* (trusted: natograph's own) on *source* (None: the shipped store; an Engine;
    a remote Endpoint; or an rdflib Graph); rows as pyoxigraph terms. Relative IRIs resolve against
    *base_iri* (checked by ``check_base``)."""
    if base_iri is not None:
        check_base(base_iri)
    if _is_rdflib_graph(source):
        result = source.query(text, base=base_iri)
        columns = tuple(str(v) for v in result.vars)
        return QueryResult(columns, tuple(tuple(from_rdflib(v) for v in row) for row in result))
    engine = _engine(source)
    try:
        solutions = engine.query(text, inferred=inferred, base_iri=base_iri)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {one_line(str(exc))}") from None
    columns = tuple(v.value for v in solutions.variables)
    # A solution iterates over its values in the order of its variables (by name: 10% slower at 22,000 rows).
    return QueryResult(columns, tuple(tuple(solution) for solution in solutions))


def run_sparql(source, text: str, *, inferred: bool = True, max_rows: int | None = None,
               base_iri: str | None = None):
    """Run a read-only query on *source* (as for ``select``): (form, result), where result is a
    QueryResult for SELECT, a bool for ASK, and a list of (s, p, o) pyoxigraph triples for CONSTRUCT
    and DESCRIBE. More than *max_rows* rows or triples is a LimitError (read lazily: never more in memory).
    Relative IRIs resolve against *base_iri* (checked by ``check_base``; without one, they are an error
    on the store, kept relative by rdflib, and resolved by a remote endpoint as it does)."""
    from .limits import capped, check_nesting

    check_safe(text)
    check_nesting(text)
    if base_iri is not None:
        check_base(base_iri)
    if _is_rdflib_graph(source):
        return _run_sparql_rdflib(source, text, base_iri)
    engine = _engine(source)
    try:
        result = engine.query(text, inferred=inferred, base_iri=base_iri)
        if isinstance(result, ox.QueryBoolean):
            return "ASK", bool(result)
        if hasattr(result, "variables"):  # pyoxigraph's QuerySolutions, or an endpoint's Solutions
            columns = tuple(v.value for v in result.variables)
            rows = tuple(tuple(s[c] for c in columns) for s in capped(result, max_rows))
            return "SELECT", QueryResult(columns, rows)
        return query_form(text), [(t.subject, t.predicate, t.object) for t in capped(result, max_rows)]
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {one_line(str(exc))}") from None
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"SPARQL evaluation failed: {one_line(str(exc))}") from None


def _run_sparql_rdflib(graph, text: str, base_iri: str | None):
    try:
        result = graph.query(text, base=base_iri)
        if result.type == "ASK":
            return "ASK", bool(result.askAnswer)
        if result.type == "SELECT":
            columns = tuple(str(v) for v in result.vars)
            rows = tuple(tuple(from_rdflib(row[i]) for i in range(len(columns))) for row in result)
            return "SELECT", QueryResult(columns, rows)
        return result.type, [tuple(from_rdflib(t) for t in triple) for triple in result.graph]
    except Exception as exc:  # rdflib raises plain exceptions for syntax and evaluation errors
        raise QueryError(f"SPARQL error: {one_line(str(exc))}") from None


def one_line(text: str) -> str:
    return " ".join(text.split())[:300]
