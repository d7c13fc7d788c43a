"""Stored queries: read the ``#+`` header, prepare once, bind parameters as RDF terms.

A stored query is a ``queries/<name>.rq`` file, runnable as-is in any SPARQL tool, with a header:

    #+ summary: Partners, by framework
    #+ param: framework choice(PfP|MD|ICI|PATG) optional -- the partnership framework
    #+ param: as_of date-end default=today -- a year (its last day) or a date
    #+ columns: code, label, framework, joined, status

A parameter NAME binds the variable ``?param_NAME``; it reaches SPARQL only as an RDF term,
through ``initBindings``: never as text. In another SPARQL tool, bind ``?param_NAME`` in a VALUES
block, or leave it unbound for its default.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, Variable
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from . import resources
from .errors import ParameterError, QueryError, UnsafeQueryError
from .namespaces import NG

PARAM_TYPES = ("choice", "date-end", "date-start", "lang", "code", "initiative")
LANGUAGES = ("en", "fr")

_PARAM_LINE = re.compile(
    r"^(?P<name>[a-z_]+)\s+(?P<type>[a-z-]+)(?:\((?P<choices>[^)]*)\))?"
    r"(?P<flags>(?:\s+(?:optional|required|default=\S+))*)\s*(?:--\s*(?P<doc>.*))?$"
)
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,9}$")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a stored query."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    choices: tuple[str, ...] = ()
    doc: str = ""

    def describe(self) -> str:
        kind = f"{self.type}({'|'.join(self.choices)})" if self.choices else self.type
        if self.required:
            extra = "required"
        elif self.default is not None:
            extra = f"default {self.default}"
        else:
            extra = "optional"
        return f"{self.name}: {kind}, {extra}"


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT query: ``columns`` names them, each row holds RDF terms or None."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def as_dicts(self) -> list[dict[str, str | None]]:
        return [
            {col: (None if value is None else str(value)) for col, value in zip(self.columns, row, strict=True)}
            for row in self.rows
        ]


@dataclass(frozen=True)
class StoredQuery:
    name: str
    path: Path
    text: str
    summary: str
    columns: tuple[str, ...]
    params: tuple[Parameter, ...] = field(default_factory=tuple)

    def param(self, name: str) -> Parameter | None:
        return next((p for p in self.params if p.name == name), None)

    def bindings(self, values: Mapping[str, str], graph: Graph, *, today: _dt.date | None = None) -> dict:
        """Turn the user's text values into RDF terms, refusing any that does not fit its type."""
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            accepted = ", ".join(p.name for p in self.params) or "none"
            raise ParameterError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (its parameters: {accepted})"
            )
        result = {}
        for param in self.params:
            raw = values.get(param.name)
            if raw is None and param.default is not None:
                raw = (today or _dt.date.today()).isoformat() if param.default == "today" else param.default
            if raw is None:
                if param.required:
                    raise ParameterError(f"query {self.name!r} needs parameter {param.name!r} (-p {param.name}=...)")
                continue
            result[Variable("param_" + param.name)] = to_term(self, param, raw, graph)
        return result


def to_term(query: StoredQuery, param: Parameter, raw: str, graph: Graph) -> Literal:
    """One parameter value as an RDF literal, or a ParameterError that says what was expected."""
    value = raw.strip()
    where = f"parameter {param.name!r} of query {query.name!r}"
    if param.type == "choice":
        for choice in param.choices:
            if value.casefold() == choice.casefold():
                return Literal(choice)
        raise ParameterError(f"{where}: {raw!r} is not one of {', '.join(param.choices)}")
    if param.type == "lang":
        if value.lower() in LANGUAGES:
            return Literal(value.lower())
        raise ParameterError(f"{where}: {raw!r} is not a label language ({', '.join(LANGUAGES)})")
    if param.type in ("date-end", "date-start"):
        return _date_term(value, end=param.type == "date-end", where=where)
    if param.type in ("code", "initiative"):
        if not _CODE.match(value):
            raise ParameterError(f"{where}: {raw!r} is not a code (letters and digits, like FR or EOP)")
        known = _known_codes(graph, initiatives=param.type == "initiative")
        match = known.get(value.upper())
        if match is None:
            what = "initiative" if param.type == "initiative" else "country or organisation"
            raise ParameterError(f"{where}: no {what} has the code {raw!r}")
        return Literal(match)
    raise QueryError(f"query {query.name!r} declares an unknown parameter type {param.type!r}")


def _date_term(value: str, *, end: bool, where: str) -> Literal:
    try:
        if _YEAR.match(value):
            year = int(value)
            if end:
                return Literal(_dt.date(year, 12, 31))
            return Literal(value, datatype=XSD.gYear)
        if _YEAR_MONTH.match(value):
            year, month = (int(part) for part in value.split("-"))
            if not 1 <= month <= 12:
                raise ValueError
            if end:
                return Literal(_dt.date(year, month, calendar.monthrange(year, month)[1]))
            return Literal(value, datatype=XSD.gYearMonth)
        if _DATE.match(value):
            return Literal(_dt.date.fromisoformat(value))
    except ValueError:
        raise ParameterError(f"{where}: {value!r} is not a real date") from None
    raise ParameterError(f"{where}: {value!r} is not a year (2020), a month (2020-06) or a date (2020-06-30)")


def _known_codes(graph: Graph, *, initiatives: bool) -> dict[str, str]:
    """Upper-cased code -> the code as the data writes it."""
    codes: dict[str, str] = {}
    if initiatives:
        for _, _, code in graph.triples((None, NG.code, None)):
            codes[str(code).upper()] = str(code)
        return codes
    for _, _, code in graph.triples((None, NG.iso3166Alpha2, None)):
        codes.setdefault(str(code).upper(), str(code))
    for organisation in graph.subjects(RDF.type, NG.Organisation):
        for code in graph.objects(organisation, NG.code):
            codes.setdefault(str(code).upper(), str(code))
    return codes


def parse_header(name: str, path: Path, text: str) -> StoredQuery:
    summary = None
    columns: tuple[str, ...] | None = None
    params: list[Parameter] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        key, sep, value = line[2:].partition(":")
        key, value = key.strip(), value.strip()
        if not sep:
            raise QueryError(f"{path}:{number}: header line without 'key: value'")
        if key == "summary":
            summary = value
        elif key == "columns":
            columns = tuple(c.strip() for c in value.split(",") if c.strip())
        elif key == "param":
            params.append(_parse_param(path, number, value))
        else:
            raise QueryError(f"{path}:{number}: unknown header key {key!r}")
    if not summary or not columns:
        raise QueryError(f"{path}: stored query needs '#+ summary:' and '#+ columns:' header lines")
    return StoredQuery(name=name, path=path, text=text, summary=summary, columns=columns, params=tuple(params))


def _parse_param(path: Path, number: int, value: str) -> Parameter:
    match = _PARAM_LINE.match(value)
    if not match or match.group("type") not in PARAM_TYPES:
        raise QueryError(f"{path}:{number}: cannot read parameter declaration {value!r}")
    flags = (match.group("flags") or "").split()
    default = next((f.split("=", 1)[1] for f in flags if f.startswith("default=")), None)
    choices = tuple(c.strip() for c in (match.group("choices") or "").split("|") if c.strip())
    return Parameter(
        name=match.group("name"),
        type=match.group("type"),
        required="required" in flags,
        default=default,
        choices=choices,
        doc=(match.group("doc") or "").strip(),
    )


@cache
def catalogue() -> dict[str, StoredQuery]:
    """Every stored query, by name."""
    result = {}
    for path in resources.query_files():
        result[path.stem] = parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return result


def get(name: str) -> StoredQuery:
    queries = catalogue()
    if name not in queries:
        raise QueryError(f"no stored query named {name!r} (try: {', '.join(sorted(queries))})")
    return queries[name]


@cache
def prepared(text: str):
    """The query parsed and translated once per process (pyparsing is the slow part)."""
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def run_stored(graph: Graph, name: str, params: Mapping[str, str] | None = None, *,
               today: _dt.date | None = None) -> QueryResult:
    query = get(name)
    bindings = query.bindings(dict(params or {}), graph, today=today)
    result = graph.query(prepared(query.text), initBindings=bindings)
    columns = tuple(str(v) for v in result.vars)
    if columns != query.columns:
        raise QueryError(f"query {name!r} returns columns {columns}, its header declares {query.columns}")
    return QueryResult(columns, tuple(tuple(row) for row in result))


# ---------------------------------------------------------------------------
# Ad-hoc queries (natograph sparql): read-only, offline
# ---------------------------------------------------------------------------


def check_safe(text: str):
    """Parse *text* as a read-only SPARQL query; refuse updates, SERVICE, FROM and anything remote."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(text)
    except ParseException as exc:
        try:
            parseUpdate(text)
        except ParseException:
            raise QueryError(f"SPARQL syntax error at line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        raise UnsafeQueryError("SPARQL UPDATE is refused: natograph runs read-only queries") from None
    if _contains(tree, "ServiceGraphPattern"):
        raise UnsafeQueryError("SERVICE is refused: natograph never reaches the network")
    if _has_dataset(tree):
        raise UnsafeQueryError("FROM / FROM NAMED is refused: queries run over natograph's own graph")
    try:
        return translateQuery(tree)
    except Exception as exc:  # rdflib raises plain exceptions for semantic errors
        raise QueryError(f"SPARQL error: {' '.join(str(exc).split())}") from None


def _has_dataset(tree) -> bool:
    return any(isinstance(part, dict) and "datasetClause" in part for part in tree)


def _contains(node, name: str) -> bool:
    """True when a CompValue called *name* occurs anywhere in rdflib's parse tree."""
    from pyparsing import ParseResults

    if isinstance(node, dict):
        if getattr(node, "name", None) == name:
            return True
        return any(_contains(v, name) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_contains(v, name) for v in node)
    return False


def run_sparql(graph: Graph, text: str):
    """Run a read-only query; returns rdflib's Result (SELECT, ASK, CONSTRUCT or DESCRIBE)."""
    prepared = check_safe(text)
    try:
        return graph.query(prepared)
    except Exception as exc:
        raise QueryError(f"SPARQL evaluation failed: {' '.join(str(exc).split())}") from None
