"""Stored queries: read the ``#+`` header, bind parameters as RDF terms, run on the store.

A stored query is a ``queries/<name>.rq`` file, runnable as-is in any SPARQL tool, with a header:

    #+ summary: Partners, by framework
    #+ param: framework choice(PfP|MD|ICI|PATG) optional -- the partnership framework
    #+ param: as_of date-end default=today -- a year (its last day) or a date
    #+ columns: code, label, framework, joined, status

A parameter NAME is the variable ``?param_NAME``. natograph binds it the one standard way every
SPARQL 1.1 engine understands: a ``VALUES (?param_NAME ...) { (term ...) }`` block inserted as the
first element of every ``WHERE { ... }`` group that mentions the variable (the outer query's and any
sub-SELECT's), the values written as RDF terms in N-Triples syntax (never pasted user text). A
parameter left unbound keeps its default inside the query (``COALESCE``/``BOUND``). ``bind()`` does
that and ``natograph query NAME --show-query`` prints the result, so the same text runs on Jena,
GraphDB, Oxigraph or any other store.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections import namedtuple
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path

import pyoxigraph as ox

if False:  # typing.TYPE_CHECKING, without importing typing on the cold path
    from typing import Any

from .errors import ParameterError, QueryError, UnsafeQueryError
from .graph import resources
from .graph.terms import from_rdflib, to_rdflib

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NG = "https://w3id.org/natograph/ontology#"

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


# A named tuple, not a dataclass: dataclasses imports inspect, 10 ms a cold query does not need.
class Parameter(namedtuple("Parameter", "name type required default choices doc",
                           defaults=(False, None, (), ""))):
    """One declared parameter of a stored query: ``name``, ``type``, ``required``, ``default``,
    ``choices``, ``doc``."""

    __slots__ = ()

    def describe(self) -> str:
        kind = f"{self.type}({'|'.join(self.choices)})" if self.choices else self.type
        if self.required:
            extra = "required"
        elif self.default is not None:
            extra = f"default {self.default}"
        else:
            extra = "optional"
        return f"{self.name}: {kind}, {extra}"


class QueryResult:
    """Rows of a SELECT query: ``columns`` names them; each row holds RDF terms or None (unbound).

    ``terms`` holds pyoxigraph terms (what the store answers); ``rows`` the same values as rdflib
    terms, converted on first use (rdflib is imported only then); ``as_dicts()`` plain strings.
    """

    __slots__ = ("_rows", "columns", "terms")

    def __init__(self, columns: tuple[str, ...], terms: tuple[tuple[Any, ...], ...]) -> None:
        self.columns = tuple(columns)
        self.terms = tuple(tuple(row) for row in terms)
        self._rows: tuple | None = None

    @property
    def rows(self) -> tuple[tuple[Any, ...], ...]:
        if self._rows is None:
            self._rows = tuple(tuple(to_rdflib(v) for v in row) for row in self.terms)
        return self._rows

    def __eq__(self, other: object) -> bool:
        return isinstance(other, QueryResult) and (self.columns, self.terms) == (other.columns, other.terms)

    def __hash__(self) -> int:
        return hash((self.columns, self.terms))

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"QueryResult(columns={self.columns!r}, rows={len(self.terms)})"

    def as_dicts(self) -> list[dict[str, str | None]]:
        return [
            {col: (None if value is None else value.value) for col, value in zip(self.columns, row, strict=True)}
            for row in self.terms
        ]


def _xsd(name: str) -> ox.NamedNode:
    return ox.NamedNode(_XSD + name)


# A named tuple, not a dataclass: dataclasses imports inspect, 10 ms a cold query does not need.
class StoredQuery(namedtuple("StoredQuery", "name path text summary columns params", defaults=((),))):
    """A stored query: ``name``, ``path``, ``text``, ``summary``, ``columns``, ``params``."""

    __slots__ = ()

    def param(self, name: str) -> Parameter | None:
        return next((p for p in self.params if p.name == name), None)

    def bindings(self, values: Mapping[str, str], source=None, *, today: _dt.date | None = None) -> dict[str, Any]:
        """The user's text values as RDF terms (pyoxigraph), refusing any that does not fit its type.

        *source* (an Engine or an rdflib Graph) is asked for the known codes of ``code`` parameters.
        """
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
            result["param_" + param.name] = to_term(self, param, raw, source)
        return result

    def bound_text(self, values: Mapping[str, str], source=None, *, today: _dt.date | None = None) -> str:
        """The query text with its parameters bound in VALUES blocks: runnable on any SPARQL engine."""
        return bind(self.text, self.bindings(values, source, today=today), name=self.name)


def to_term(query: StoredQuery, param: Parameter, raw: str, source=None) -> ox.Literal:
    """One parameter value as an RDF literal, or a ParameterError that says what was expected."""
    value = raw.strip()
    where = f"parameter {param.name!r} of query {query.name!r}"
    if param.type == "choice":
        for choice in param.choices:
            if value.casefold() == choice.casefold():
                return ox.Literal(choice)
        raise ParameterError(f"{where}: {raw!r} is not one of {', '.join(param.choices)}")
    if param.type == "lang":
        if value.lower() in LANGUAGES:
            return ox.Literal(value.lower())
        raise ParameterError(f"{where}: {raw!r} is not a label language ({', '.join(LANGUAGES)})")
    if param.type in ("date-end", "date-start"):
        return _date_term(value, end=param.type == "date-end", where=where)
    if param.type in ("code", "initiative"):
        if not _CODE.match(value):
            raise ParameterError(f"{where}: {raw!r} is not a code (letters and digits, like FR or EOP)")
        known = _known_codes(source, value.upper(), initiatives=param.type == "initiative")
        match = known.get(value.upper())
        if match is None:
            what = "initiative" if param.type == "initiative" else "country or organisation"
            raise ParameterError(f"{where}: no {what} has the code {raw!r}")
        return ox.Literal(match)
    raise QueryError(f"query {query.name!r} declares an unknown parameter type {param.type!r}")


def _date_term(value: str, *, end: bool, where: str) -> ox.Literal:
    if not value.isascii():  # int() and \d read full-width and Arabic-Indic digits too
        raise ParameterError(f"{where}: {value!r} is not a date written with the digits 0-9")
    try:
        if _YEAR.match(value):
            year = int(value)
            if end:
                return ox.Literal(_dt.date(year, 12, 31).isoformat(), datatype=_xsd("date"))
            return ox.Literal(value, datatype=_xsd("gYear"))
        if _YEAR_MONTH.match(value):
            year, month = (int(part) for part in value.split("-"))
            if not 1 <= month <= 12:
                raise ValueError
            if end:
                day = _dt.date(year, month, calendar.monthrange(year, month)[1])
                return ox.Literal(day.isoformat(), datatype=_xsd("date"))
            return ox.Literal(value, datatype=_xsd("gYearMonth"))
        if _DATE.match(value):
            return ox.Literal(_dt.date.fromisoformat(value).isoformat(), datatype=_xsd("date"))
    except ValueError:
        raise ParameterError(f"{where}: {value!r} is not a real date") from None
    raise ParameterError(f"{where}: {value!r} is not a year (2020), a month (2020-06) or a date (2020-06-30)")


# The codes whose upper case is ?wanted (bound by ``bind``): filtered in the engine, so a lookup
# reads one or a few rows, not every code (11,000 at 100x the shipped data: 45-61 ms a parameter,
# 9 ms filtered, 2026-11-27).
_CODES_QUERY = f"""
SELECT ?code ?kind WHERE {{
    {{ ?thing <{_NG}iso3166Alpha2> ?code . BIND ("country" AS ?kind) }}
    UNION
    {{ ?thing a <{_NG}Organisation> ; <{_NG}code> ?code . BIND ("organisation" AS ?kind) }}
    UNION
    {{ ?thing <{_NG}code> ?code . BIND ("any" AS ?kind) }}
    FILTER (UCASE(STR(?code)) = ?wanted)
}}
"""


def _known_codes(source, wanted: str, *, initiatives: bool) -> dict[str, str]:
    """Upper-cased code -> the code as the data writes it, for the codes whose upper case is *wanted*
    (when several are, the first by kind, then by code: an upper-case one before the others)."""
    codes: dict[str, str] = {}
    rows = select(source, bind(_CODES_QUERY, {"wanted": ox.Literal(wanted)}, name="code lookup"))
    ordered = sorted((str(kind.value), code.value) for code, kind in rows.terms if code is not None)
    kinds = ("any",) if initiatives else ("country", "organisation")
    for kind, code in ordered:
        if kind in kinds:
            codes.setdefault(code.upper(), code)
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


def catalogue() -> dict[str, StoredQuery]:
    """Every stored query of the root in use, by name."""
    return _catalogue(resources.queries_dir())


@cache
def _catalogue(folder: Path) -> dict[str, StoredQuery]:
    result = {}
    for path in sorted(folder.glob("*.rq")):
        result[path.stem] = parse_header(path.stem, path, path.read_text(encoding="utf-8"))
    return result


def get(name: str) -> StoredQuery:
    queries = catalogue()
    if name not in queries:
        raise QueryError(f"no stored query named {name!r} (try: {', '.join(sorted(queries))})")
    return queries[name]


# ---------------------------------------------------------------------------
# A SPARQL lexer: enough to find groups, variables and keywords outside strings, IRIs and comments
# ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    |(?P<pname>(?:[A-Za-z_][\w.-]*)?:[\w.:%\\-]*)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


_Token = namedtuple("_Token", "kind text start")


def tokens(text: str) -> Iterator[_Token]:
    """The significant tokens of *text* (no white space, no comments)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        yield _Token(kind, match.group(), match.start())


def keywords(text: str) -> list[str]:
    """Upper-cased keywords of *text*: words outside strings, IRIs, comments and language tags."""
    out = []
    previous = None
    for token in tokens(text):
        if token.kind == "word" and not (previous is not None and previous.text == "@"):
            out.append(token.text.upper())
        previous = token
    return out


def _groups(text: str) -> list[tuple[int, int]]:
    """(position after '{', position of the matching '}') of every ``WHERE {`` group, outermost first."""
    stack: list[tuple[int, bool]] = []
    found: list[tuple[int, int]] = []
    after_where = False
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() == "WHERE":
            after_where = True
            continue
        if token.text == "{":
            stack.append((token.start + 1, after_where))
        elif token.text == "}" and stack:
            start, is_where = stack.pop()
            if is_where:
                found.append((start, token.start))
        after_where = False
    return sorted(found)


def bind(text: str, bindings: Mapping[str, Any], *, name: str = "query") -> str:
    """*text* with each bound variable given its value in a VALUES block that opens every ``WHERE``
    group mentioning it. Values are RDF terms (pyoxigraph or rdflib), written in N-Triples syntax."""
    if not bindings:
        return text
    values = {}
    for variable, term in bindings.items():
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            term = from_rdflib(term)
        if not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryError(f"{name}: cannot bind ?{variable} to {term!r}: only IRIs and literals are bound")
        values[variable] = str(term)
    variables = {t.text[1:] for t in tokens(text) if t.kind == "var"}
    missing = sorted(set(values) - variables)
    if missing:
        raise QueryError(f"{name}: the query never mentions ?{missing[0]}")
    inserts: list[tuple[int, str]] = []
    covered: set[str] = set()
    groups = _groups(text)
    for start, end in groups:
        # The variables of this group itself: a sub-SELECT's WHERE gets its own block.
        nested = [(s, e) for s, e in groups if start < s and e < end]
        inside = {
            t.text[1:] for t in tokens(text[start:end]) if t.kind == "var"
            and not any(s <= start + t.start < e for s, e in nested)
        }
        here = [v for v in sorted(values) if v in inside]
        if here:
            covered.update(here)
            heads = " ".join("?" + v for v in here)
            row = " ".join(values[v] for v in here)
            inserts.append((start, f" VALUES ({heads}) {{ ({row}) }}"))
    uncovered = sorted(set(values) - covered)
    if uncovered:
        raise QueryError(f"{name}: ?{uncovered[0]} appears in no WHERE group, so it cannot be bound")
    out = text
    for position, block in sorted(inserts, reverse=True):
        out = out[:position] + block + out[position:]
    return out


# ---------------------------------------------------------------------------
# Running: on the store (pyoxigraph), or on an rdflib Graph a caller hands over
# ---------------------------------------------------------------------------


def _is_rdflib_graph(source) -> bool:
    if source is None:
        return False
    from .graph.store.engine import Engine
    from .remote import Endpoint  # only when a source is given: the cold path does not import it

    return not isinstance(source, (Engine, Endpoint))


def _engine(source):
    if source is None:
        from .graph.store.opening import open_engine

        return open_engine()
    return source


def select(source, text: str, *, inferred: bool = True) -> QueryResult:
    """Run a SELECT *text* (trusted: natograph's own) on *source* (None: the shipped store; an Engine;
    a remote Endpoint; or an rdflib Graph); rows as pyoxigraph terms."""
    if _is_rdflib_graph(source):
        result = source.query(text)
        columns = tuple(str(v) for v in result.vars)
        return QueryResult(columns, tuple(tuple(from_rdflib(v) for v in row) for row in result))
    engine = _engine(source)
    try:
        solutions = engine.query(text, inferred=inferred)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {_one_line(str(exc))}") from None
    columns = tuple(v.value for v in solutions.variables)
    # A solution iterates over its values in the order of its variables (by name: 10% slower at 22,000 rows).
    return QueryResult(columns, tuple(tuple(solution) for solution in solutions))


def run_stored(source, name: str, params: Mapping[str, str] | None = None, *,
               today: _dt.date | None = None) -> QueryResult:
    """Run the stored query *name* on *source* (the shipped store when None; an Engine; a remote
    Endpoint; or an rdflib Graph, evaluated by rdflib), always with the very same bound text."""
    query = get(name)
    text = query.bound_text(dict(params or {}), source, today=today)
    result = select(source, text)
    if result.columns != query.columns:
        raise QueryError(f"query {name!r} returns columns {result.columns}, its header declares {query.columns}")
    return result


# ---------------------------------------------------------------------------
# Ad-hoc queries (natograph sparql): read-only, offline
# ---------------------------------------------------------------------------


def check_safe(text: str) -> None:
    """Refuse updates, SERVICE, FROM / FROM NAMED and LOAD, read from the query's tokens: strings,
    IRIs and comments can neither hide nor fake a keyword."""
    words = set(keywords(text))
    if words & _UPDATE_WORDS - {"WITH", "ADD", "MOVE", "COPY"} or (
        words & {"WITH", "ADD", "MOVE", "COPY"} and not words & set(_QUERY_FORMS)
    ):
        raise UnsafeQueryError("SPARQL UPDATE is refused: natograph runs read-only queries")
    if "SERVICE" in words:
        raise UnsafeQueryError("SERVICE is refused: natograph never reaches the network")
    if "FROM" in words:
        raise UnsafeQueryError("FROM / FROM NAMED is refused: queries run over natograph's own graph")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords in *text*."""
    for word in keywords(text):
        if word in _QUERY_FORMS:
            return word
    raise QueryError("SPARQL syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE")


def run_sparql(source, text: str, *, inferred: bool = True, max_rows: int | None = None):
    """Run a read-only query on *source* (as for ``select``): (form, result), where result is a
    QueryResult for SELECT, a bool for ASK, and a list of (s, p, o) pyoxigraph triples for CONSTRUCT
    and DESCRIBE. More than *max_rows* rows or triples is a LimitError (read lazily: never more in memory)."""
    from .limits import capped, check_nesting

    check_safe(text)
    check_nesting(text)
    if _is_rdflib_graph(source):
        return _run_sparql_rdflib(source, text)
    engine = _engine(source)
    try:
        result = engine.query(text, inferred=inferred)
        if isinstance(result, ox.QueryBoolean):
            return "ASK", bool(result)
        if hasattr(result, "variables"):  # pyoxigraph's QuerySolutions, or an endpoint's Solutions
            columns = tuple(v.value for v in result.variables)
            rows = tuple(tuple(s[c] for c in columns) for s in capped(result, max_rows))
            return "SELECT", QueryResult(columns, rows)
        return query_form(text), [(t.subject, t.predicate, t.object) for t in capped(result, max_rows)]
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {_one_line(str(exc))}") from None
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"SPARQL evaluation failed: {_one_line(str(exc))}") from None


def _run_sparql_rdflib(graph, text: str):
    try:
        result = graph.query(text)
        if result.type == "ASK":
            return "ASK", bool(result.askAnswer)
        if result.type == "SELECT":
            columns = tuple(str(v) for v in result.vars)
            rows = tuple(tuple(from_rdflib(row[i]) for i in range(len(columns))) for row in result)
            return "SELECT", QueryResult(columns, rows)
        return result.type, [tuple(from_rdflib(t) for t in triple) for triple in result.graph]
    except Exception as exc:  # rdflib raises plain exceptions for syntax and evaluation errors
        raise QueryError(f"SPARQL error: {_one_line(str(exc))}") from None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
