"""Stored queries: the ``#+`` header of each ``queries/<name>.rq``, the catalogue of them, and running one.

A stored query is a ``queries/<name>.rq`` file, runnable as-is in any SPARQL tool, with a header
(comment lines, so every SPARQL tool reads past it):

    #+ summary: Partners, by framework
    #+ summary@fr: Les partenaires, par cadre
    #+ param: framework choice(PfP|MD|ICI|PATG) optional -- the partnership framework
    #+ param@fr: framework -- le cadre de partenariat
    #+ choice: framework PfP -- Partnership for Peace
    #+ choice@fr: framework PfP -- Partenariat pour la paix
    #+ param: as_of date-end default=today -- a year (its last day) or a date
    #+ param@fr: as_of -- une année (son dernier jour) ou une date
    #+ columns: code, label, framework, joined, status
    #+ columns@fr: code, libellé, cadre, adhésion, statut

``summary`` and ``columns`` are required; ``param`` (``NAME TYPE[(A|B)] [optional|required|default=VALUE]
-- text``) declares a parameter; the rest is for people to read. ``choice: NAME VALUE --
label`` names one value of a choice parameter (all of its values, or none). A key tagged ``@fr`` is
the French of the untagged line: ``param@fr`` and ``choice@fr`` name the parameter (and value) they
translate, ``columns@fr`` gives one heading per column, in order; the variables stay as they are,
only what people read changes. Lines may come in any order. ``StoredQuery.texts(lang)`` gives it all
in a language (``texts``); a text a header does not translate is read in English, and
``StoredQuery.untranslated("fr")`` lists it (the tests want none for a shipped query). A tag other
than ``@fr``, a French line for a parameter, value or text that does not exist, a heading count other
than the columns', a line given twice: each is an error naming the file and line.

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
from . import texts as _texts
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

    def describe(self, lang: str = "en") -> str:
        """``as_of: date-end, default today``; in French ``as_of : date (fin de période), par défaut : aujourd'hui``."""
        return _texts.describe(self, lang)

    def kind(self, lang: str = "en") -> str:
        """What a value looks like, in a sentence: ``a year or a month (its last day), or a date: ...``."""
        return _texts.kind(self, lang)

    def status(self, lang: str = "en") -> str:
        """``required``, ``optional`` or ``default VALUE``, in *lang*."""
        return _texts.status(self, lang)


# A named tuple, not a dataclass: dataclasses imports inspect, 10 ms a cold query does not need.
class StoredQuery(namedtuple("StoredQuery", "name path text summary columns params words", defaults=((), {}))):
    """A stored query: ``name``, ``path``, ``text``, ``summary``, ``columns``, ``params`` (English and
    SPARQL, as the untagged header lines give them) and ``words`` (language -> ``texts.Words``)."""

    __slots__ = ()

    def texts(self, lang: str = "en") -> _texts.QueryTexts:
        """Everything people read about the query in *lang* (``en`` or ``fr``): summary, column
        headings, each parameter's doc, type, hint, status and choice labels."""
        return _texts.texts(self, lang)

    def untranslated(self, lang: str) -> list[str]:
        """What the header gives in English and not in *lang* (``summary``, ``param as_of``, ...)."""
        return _texts.untranslated(self, lang)

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
    words = _texts.HeaderWords(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#+"):
            continue
        key, sep, value = line[2:].partition(":")
        key, value = key.strip(), value.strip()
        if not sep:
            raise QueryError(f"{path}:{number}: header line without 'key: value'")
        key, tagged, lang = key.partition("@")
        if tagged or key == "choice":
            words.read(number, key, lang.strip() if tagged else None, value)
        elif key == "summary":
            words.read(number, key, None, value)  # once, and not empty
            summary = value
        elif key == "columns":
            words.read(number, key, None, value)
            columns = tuple(c.strip() for c in value.split(",") if c.strip())
        elif key == "param":
            params.append(_parse_param(path, number, value))
            if sum(p.name == params[-1].name for p in params) > 1:
                raise QueryError(f"{path}:{number}: parameter {params[-1].name!r} declared twice")
        else:
            raise QueryError(f"{path}:{number}: unknown header key {key!r}")
    if not summary or not columns:
        raise QueryError(f"{path}: stored query needs '#+ summary:' and '#+ columns:' header lines")
    params_ = tuple(params)
    return StoredQuery(name=name, path=path, text=text, summary=summary, columns=columns, params=params_,
                       words=words.finish(summary, columns, params_))


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


