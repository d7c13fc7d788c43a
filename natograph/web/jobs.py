"""What a worker does with a job: run a SPARQL query or a stored query on the engine and serialize
the answer. Jobs and answers are plain picklable values; nothing here knows about HTTP requests.

Jobs:
    ("sparql", text, accept, fmt, base, dataset)
                                           any read-only query; accept: the Accept header, fmt: a
                                           ``format=`` shortcut or None; base: the IRI relative IRIs
                                           resolve against (the endpoint's URL); dataset: None, or
                                           (default graph IRIs, named graph IRIs) from the Protocol's
                                           parameters (``natograph.web.dataset``)
    ("stored", name, values, accept, fmt)  a stored query with its text parameters, checked exactly
                                           as ``natograph query`` checks them
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import ParameterError, QueryError, UnsafeQueryError
from .negotiation import GRAPH_TYPES, RESULT_TYPES, negotiate

_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Answer:
    """An HTTP answer computed by a worker."""

    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str) -> Answer:
    return Answer(status, _TEXT, (message.rstrip("\n") + "\n").encode("utf-8"))


def run_job(engine, job, *, max_rows: int) -> Answer:
    kind = job[0]
    if kind == "sparql":
        _, text, accept, fmt, base, dataset = job
        return run_sparql(engine, text, accept, fmt, max_rows=max_rows, base_iri=base, dataset=dataset)
    if kind == "stored":
        _, name, values, accept, fmt = job
        return run_stored(engine, name, values, accept, fmt, max_rows=max_rows)
    raise ValueError(f"unknown job {kind!r}")


def _prefixes() -> dict[str, str]:
    from ..graph.namespaces import PREFIXES

    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def _first(items, max_rows: int) -> tuple[list, bool]:
    """The first *max_rows* of *items* (read lazily: one more at most), and whether there were more."""
    from itertools import islice

    taken = list(islice(items, max_rows + 1))
    return taken[:max_rows], len(taken) > max_rows


def _select(result_columns, solutions, max_rows: int):
    from ..queries.results import QueryResult

    taken, truncated = _first(solutions, max_rows)
    rows = tuple(tuple(solution[c] for c in result_columns) for solution in taken)
    return QueryResult(tuple(result_columns), rows), truncated


def select_answer(result, truncated: bool, accept: str | None, fmt: str | None, *, max_rows: int) -> Answer:
    """A SELECT result in the negotiated SPARQL results format (the formats ``natograph query`` writes)."""
    from ..queries.formats import render

    media = negotiate(accept, RESULT_TYPES, fmt)
    if media is None:
        return _not_acceptable(RESULT_TYPES)
    body = render(result, RESULT_TYPES[media]).encode("utf-8")
    headers = {"Natograph-Rows": str(len(result.terms))}
    if truncated:
        headers["Natograph-Truncated"] = f"results cut at {max_rows} rows (--max-rows)"
    return Answer(200, _with_charset(media), body, headers)


def _with_charset(media: str) -> str:
    return media + "; charset=utf-8" if media.startswith("text/") or media.endswith("json") else media


def _not_acceptable(types: dict[str, str]) -> Answer:
    return error(406, "none of the Accept header's media types is served here; available: " + ", ".join(types))


def run_sparql(engine, text: str, accept: str | None, fmt: str | None, *, max_rows: int,
               base_iri: str | None = None, dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None) -> Answer:
    from ..queries.lexer import check_safe
    from ..queries.limits import LimitError, check_nesting
    from ..queries.running import one_line

    try:
        check_nesting(text)  # the command line's limit, before any parser sees the query
        check_safe(text, dataset_given=dataset is not None)
    except (UnsafeQueryError, LimitError) as exc:
        return error(400, str(exc))
    try:
        if dataset is None:
            result = engine.query(text, base_iri=base_iri)
        else:
            from .dataset import query

            result = query(engine, text, default=dataset[0], named=dataset[1], base_iri=base_iri)
        if isinstance(result, ox.QueryBoolean):
            media = negotiate(accept, _BOOLEAN_TYPES, fmt)
            if media is None:
                return _not_acceptable(_BOOLEAN_TYPES)
            return Answer(200, _with_charset(media), result.serialize(format=_BOOLEAN_TYPES[media]))
        if isinstance(result, ox.QuerySolutions):
            columns = [v.value for v in result.variables]
            table, truncated = _select(columns, result, max_rows)
            return select_answer(table, truncated, accept, fmt, max_rows=max_rows)
        media = negotiate(accept, GRAPH_TYPES, fmt)
        if media is None:
            return _not_acceptable(GRAPH_TYPES)
        triples, truncated = _first(result, max_rows)
        body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes=_prefixes())
        headers = {"Natograph-Rows": str(len(triples))}
        if truncated:
            headers["Natograph-Truncated"] = f"results cut at {max_rows} triples (--max-rows)"
        return Answer(200, _with_charset(media), body, headers)
    except SyntaxError as exc:
        return error(400, f"SPARQL syntax error: {one_line(str(exc))}")
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return error(400, f"SPARQL evaluation failed: {one_line(str(exc))}")


_BOOLEAN_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def run_stored(engine, name: str, values: dict[str, str], accept: str | None, fmt: str | None, *,
               max_rows: int) -> Answer:
    """A stored query, its parameters checked as ``natograph query`` checks them (same messages)."""
    from ..queries.binding import LANGUAGES
    from ..queries.catalogue import get, run_stored

    try:
        stored = get(name)
    except QueryError as exc:
        return _json_error(404, str(exc))
    values = dict(values)
    lang = values.pop("lang", "en")
    if lang not in LANGUAGES:
        return _json_error(400, f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    if stored.param("lang") is not None:
        values["lang"] = lang
    try:
        result = run_stored(engine, name, values)
    except ParameterError as exc:
        return _json_error(400, str(exc))
    from ..queries.results import QueryResult

    truncated = len(result.terms) > max_rows
    if truncated:
        result = QueryResult(result.columns, result.terms[:max_rows])
    return select_answer(result, truncated, accept, fmt, max_rows=max_rows)


def _json_error(status: int, message: str) -> Answer:
    body = json.dumps({"error": message}, ensure_ascii=False).encode("utf-8") + b"\n"
    return Answer(status, "application/json", body)
