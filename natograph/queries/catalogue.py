"""Stored queries: the ``#+`` header of each ``queries/<name>.rq``, the catalogue of them, and running one.

A stored query is a ``queries/<name>.rq`` file, runnable as-is in any SPARQL tool, with a header:

    #+ summary: Partners, by framework
    #+ param: framework choice(PfP|MD|ICI|PATG) optional -- the partnership framework
    #+ param: as_of date-end default=today -- a year (its last day) or a date
    #+ columns: code, label, framework, joined, status

Its parameters are bound as RDF terms in VALUES blocks (``binding``), so the same text runs on any store.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import namedtuple
from collections.abc import Mapping
from functools import cache
from pathlib import Path

if False:  # typing.TYPE_CHECKING, without importing typing on the cold path
    from typing import Any

from ..errors import ParameterError, QueryError
from ..graph import resources
from .binding import PARAM_TYPES, bind, to_term
from .results import QueryResult
from .running import select

_PARAM_LINE = re.compile(
    r"^(?P<name>[a-z_]+)\s+(?P<type>[a-z-]+)(?:\((?P<choices>[^)]*)\))?"
    r"(?P<flags>(?:\s+(?:optional|required|default=\S+))*)\s*(?:--\s*(?P<doc>.*))?$"
)


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


# ---------------------------------------------------------------------------
# Running: on the store (pyoxigraph), or on an rdflib Graph a caller hands over
# ---------------------------------------------------------------------------


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


