"""Each country's relation with NATO through time, as the stored queries ``members`` and ``partners``
answer it: the data of the map on the home page (``map.json``).

The answers are read, not the data a second time. A query's answer can change only on a day one of
the dates it compares begins (``STR(?joined) <= ?at``, ``STR(?end) > ?at``: a partial date counts
from the first day of its period); the stored query ``timeline`` lists every date of a participation
and of a suspension. ``sweep`` runs ``members`` and ``partners`` as of each of those days (and as of a
day before them all), and joins the days on which a country holds a relation into spans::

    {"relation": "PfP", "status": "active", "from": "1994-06-22", "until": "2014-04-01", "joined": "1994-06-22"}

``from`` is the first day the queries answer it (None: as of any day before), ``until`` the first day
they no longer do (None: still), ``joined`` the query's ``joined`` column as the data writes it
(``1994``, ``1994-05``, ``1994-05-09``). On a day *d* (an ISO date), a span holds when ``from <= d <
until``, compared as text: the map (``static/map.js``) and ``holding`` below apply that one rule, so
the map as of a day is the queries' answer as of that day.

A country coloured on the map shows the first of ``RELATIONS`` it holds: a member, else a suspended
partner, else Partnership for Peace, Mediterranean Dialogue, Istanbul Cooperation Initiative,
partners across the globe.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping

RELATIONS = ("member", "suspended", "PfP", "MD", "ICI", "PATG")
"""The map's colours, in precedence order: a country in several shows the first."""

FRAMEWORKS = ("PfP", "MD", "ICI", "PATG")
FIRST_YEAR = 1949
BEFORE = "0001-01-01"  # a day before every date of the data: spans without a start hold on it
_EVENTS = ("joined", "left", "suspended", "suspension-lifted")  # the timeline's dates of participations
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def first_day(text: str) -> str | None:
    """The first day of a date's period, as the queries' text comparison counts it: ``1994`` ->
    ``1994-01-01``, ``1994-05`` -> ``1994-05-01``; None for a text that is no date."""
    match = _DATE.match(text or "")
    if not match:
        return None
    year, month, day = match.groups()
    return f"{year}-{month or '01'}-{day or '01'}"


def as_of_day(value: str, *, today: _dt.date | None = None) -> str:
    """The day ``-p as_of=VALUE`` means (``date-end``): a year's last day, a month's last day, a date;
    ``today`` for ``today``."""
    from ..queries.binding import to_term
    from ..queries.catalogue import get

    if value == "today":
        return (today or _dt.date.today()).isoformat()
    query = get("members")
    return to_term(query, query.param("as_of"), value).value


def breakpoints(engine) -> list[str]:
    """The days on which the answer of ``members`` or ``partners`` may change, sorted, with ``BEFORE``
    first: the first day of every date of a participation or a suspension in ``timeline``'s answer."""
    from ..queries.catalogue import run_stored

    days = {BEFORE}
    for row in run_stored(engine, "timeline", {}).as_dicts():
        if row["event"] in _EVENTS:
            day = first_day(row["date"] or "")
            if day is not None:
                days.add(day)
    return sorted(days)


def answers(engine, day: str, *, lang: str = "en") -> list[dict]:
    """What ``members`` and ``partners`` answer as of *day*: one dict per row, ``relation`` (``member``
    or the framework's code), ``status`` (``active``, ``suspended``), ``code``, ``label``, ``joined``."""
    from ..queries.catalogue import run_stored

    rows = [{"relation": "member", "status": "active", "code": r["code"], "label": r["label"], "joined": r["joined"]}
            for r in run_stored(engine, "members", {"as_of": day, "lang": lang}).as_dicts()]
    rows += [{"relation": r["framework"], "status": r["status"], "code": r["code"], "label": r["label"],
              "joined": r["joined"]}
             for r in run_stored(engine, "partners", {"as_of": day, "lang": lang}).as_dicts()]
    return rows


def sweep(engine, *, languages: Iterable[str] = ("en", "fr")) -> dict:
    """The map's data: ``{"relations": RELATIONS, "first_year": 1949, "countries": {code: {"label":
    {lang: label}, "spans": [...]}}}`` (countries by code, spans by start), from the queries' answers
    as of each day ``breakpoints`` gives."""
    languages = tuple(languages)
    days = breakpoints(engine)
    spans: dict[tuple, list[dict]] = {}  # (code, relation, status, joined) -> spans, the last one open
    labels: dict[str, dict[str, str]] = {}
    first_seen: dict[str, str] = {}
    previous: set[tuple] = set()
    for day in days:
        now = set()
        for row in answers(engine, day, lang=languages[0]):
            key = (row["code"], row["relation"], row["status"], row["joined"] or "")
            now.add(key)
            labels.setdefault(row["code"], {})[languages[0]] = row["label"]
            first_seen.setdefault(row["code"], day)
            if key not in previous:
                spans.setdefault(key, []).append({"from": None if day == BEFORE else day, "until": None})
        for key in previous - now:
            spans[key][-1]["until"] = day
        previous = now
    for lang in languages[1:]:  # the other languages' labels, from the answers that first named each country
        for day in sorted(set(first_seen.values())):
            for row in answers(engine, day, lang=lang):
                labels.setdefault(row["code"], {})[lang] = row["label"]
    countries: dict[str, dict] = {}
    for (code, relation, status, joined), found in sorted(spans.items()):
        entry = countries.setdefault(code, {"label": labels[code], "spans": []})
        entry["spans"] += [{"relation": relation, "status": status, **span, "joined": joined or None} for span in found]
    for entry in countries.values():
        entry["spans"].sort(key=lambda s: (s["from"] or "", RELATIONS.index(_relation(s))))
    return {"relations": list(RELATIONS), "first_year": FIRST_YEAR, "countries": countries}


def _relation(span: Mapping) -> str:
    return "suspended" if span["status"] == "suspended" else span["relation"]


def holds(span: Mapping, day: str) -> bool:
    """The one rule: *span* holds as of *day* (an ISO date) when ``from <= day < until``, as text."""
    return (span["from"] is None or span["from"] <= day) and (span["until"] is None or day < span["until"])


def holding(data: Mapping, day: str) -> dict[str, list[Mapping]]:
    """Code -> the spans that hold as of *day*, for every country that holds one."""
    out = {}
    for code, entry in data["countries"].items():
        found = [s for s in entry["spans"] if holds(s, day)]
        if found:
            out[code] = found
    return out


def colour(spans: Iterable[Mapping]) -> str | None:
    """The relation a country shows, of those it holds: the first of ``RELATIONS``."""
    held = {_relation(s) for s in spans}
    return next((r for r in RELATIONS if r in held), None)


def colours(data: Mapping, day: str) -> dict[str, str]:
    """Code -> the relation it shows as of *day* (``member``, ``suspended``, ``PfP`` ...)."""
    return {code: colour(spans) for code, spans in holding(data, day).items()}
