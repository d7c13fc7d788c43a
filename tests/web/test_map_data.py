"""The map's data (natograph.pages.relations) says what the stored queries say: as of any day, the
spans that hold are the rows ``members`` and ``partners`` answer, and a country's colour is the first
relation it holds in the order the legend gives (member, suspended, PfP, MD, ICI, PATG)."""

from __future__ import annotations

import datetime as dt

import pytest

import natograph
from natograph.graph.store.opening import open_engine
from natograph.pages import relations

YEARS = ("1949", "1955", "1994", "1995", "2000", "2004", "2014", "2021", "2023", "today")


@pytest.fixture(scope="module")
def engine():
    return open_engine()


@pytest.fixture(scope="module")
def data(engine):
    return relations.sweep(engine)


def _rows(as_of: str) -> set[tuple]:
    """(code, relation, status, joined) as ``natograph query members/partners -p as_of=...`` answer
    (without ``as_of`` for ``today``: its default)."""
    params = {} if as_of == "today" else {"as_of": as_of}
    rows = {(r["code"], "member", "active", r["joined"]) for r in natograph.query("members", params).as_dicts()}
    rows |= {(r["code"], r["framework"], r["status"], r["joined"]) for r in natograph.query("partners", params).as_dicts()}
    return rows


def _held(data, day: str) -> set[tuple]:
    return {(code, s["relation"], s["status"], s["joined"]) for code, spans in relations.holding(data, day).items()
            for s in spans}


def expected_colours(as_of: str) -> dict[str, str]:
    """Each country's colour from the queries' rows alone: the test's own reading of the legend's order."""
    order = ["member", "suspended", "PfP", "MD", "ICI", "PATG"]
    out: dict[str, str] = {}
    for code, relation, status, _ in _rows(as_of):
        shown = "suspended" if status == "suspended" else relation
        if code not in out or order.index(shown) < order.index(out[code]):
            out[code] = shown
    return out


@pytest.mark.parametrize("year", YEARS)
def test_the_map_and_the_queries_agree_as_of_each_year(data, year):
    day = relations.as_of_day(year)
    assert _held(data, day) == _rows(year)
    assert relations.colours(data, day) == expected_colours(year)


@pytest.mark.slow
def test_they_agree_on_every_day_an_answer_changes_and_the_day_before(engine, data):
    days = relations.breakpoints(engine)[1:]
    assert len(days) > 50
    for day in days:
        before = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
        for when in (before, day):
            assert _held(data, when) == _rows(when), when


def test_what_the_map_shows_through_time(data):
    colours = relations.colours
    founders = dict.fromkeys(("BE", "CA", "DK", "FR", "GB", "IS", "IT", "LU", "NL", "NO", "PT", "US"), "member")
    # Japan's partnership has no start date in the data: the queries count it as holding on any day
    # before its end (members.rq's rule), so the map does too, and its hover text says so.
    assert colours(data, "1949-12-31") == {**founders, "JP": "PATG"}
    assert colours(data, "2014-12-31")["RU"] == "suspended"  # a suspended partnership, hatched
    assert colours(data, "2013-12-31")["RU"] == "PfP"
    assert colours(data, "2000-12-31")["PL"] == "member"  # joined in 1999, once a PfP partner
    assert "MT" not in colours(data, "2000-12-31") and colours(data, "2010-12-31")["MT"] == "PfP"  # Malta's two periods
    assert colours(data, "2024-12-31")["SE"] == "member"
    entry = data["countries"]["RU"]
    assert entry["label"] == {"en": "Russia", "fr": "Russie"}
    assert [(s["relation"], s["status"], s["from"], s["until"]) for s in entry["spans"]] == [
        ("PfP", "active", "1994-06-22", "2014-04-01"), ("PfP", "suspended", "2014-04-01", None)]


def test_dates_count_from_the_first_day_of_their_period():
    assert relations.first_day("1994") == "1994-01-01"
    assert relations.first_day("1994-05") == "1994-05-01"
    assert relations.first_day("1994-05-09") == "1994-05-09"
    assert relations.first_day("no date") is None
    assert relations.as_of_day("2000") == "2000-12-31"
    assert relations.as_of_day("2024-02") == "2024-02-29"
    assert relations.as_of_day("today", today=dt.date(2025, 3, 1)) == "2025-03-01"


def test_a_span_holds_from_its_first_day_until_the_day_before_its_end():
    span = {"relation": "PfP", "status": "active", "from": "1995-04-26", "until": "1996-10-01", "joined": "1995-04-26"}
    assert [relations.holds(span, d) for d in ("1995-04-25", "1995-04-26", "1996-09-30", "1996-10-01")] == [
        False, True, True, False]
    assert relations.holds({**span, "from": None}, "0001-01-01")
    assert relations.colour([span, {**span, "relation": "member"}]) == "member"
    assert relations.colour([span, {**span, "status": "suspended"}]) == "suspended"
    assert relations.colour([{**span, "relation": "PATG"}, {**span, "relation": "ICI"}]) == "ICI"
    assert relations.colour([]) is None
