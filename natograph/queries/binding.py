"""Parameters as RDF terms: each declared type (``PARAM_TYPES``) read from the user's text into a literal,
or a ParameterError that says what was expected; and the terms bound into the query's text.

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
from collections.abc import Mapping

import pyoxigraph as ox

if False:  # typing.TYPE_CHECKING, without importing typing on the cold path
    from typing import Any

from ..errors import ParameterError, QueryError
from ..graph.terms import from_rdflib
from .lexer import tokens, where_groups
from .running import select

_XSD = "http://www.w3.org/2001/XMLSchema#"


_NG = "https://w3id.org/natograph/ontology#"


PARAM_TYPES = ("choice", "date-end", "date-start", "lang", "code", "initiative")


LANGUAGES = ("en", "fr")


_YEAR = re.compile(r"^\d{4}$")


_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,9}$")


def _xsd(name: str) -> ox.NamedNode:
    return ox.NamedNode(_XSD + name)


def to_term(query, param, raw: str, source=None) -> ox.Literal:
    """One value of *param* (a ``catalogue.Parameter`` of the stored *query*) as an RDF literal, or a
    ParameterError that says what was expected."""
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
            # An initiative-typed parameter names what it takes (operation, programme, initiative):
            # the message says that, not the type's name.
            what = param.name.replace("_", " ") if param.type == "initiative" else "country or organisation"
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
    groups = where_groups(text)
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
