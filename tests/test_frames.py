"""Results for notebooks: ``QueryResult.to_pandas()`` with typed columns, and ``_repr_html_``.

Each dtype is checked on a result built from pyoxigraph terms, as the store answers, and on real
stored queries over the shipped graph (``partners``, ``frameworks``, ``timeline``): dates keep their
precision, a column of mixed precisions sorts and filters, and the HTML table renders hostile text
and IRIs inert, with or without pandas installed.
"""

from __future__ import annotations

import html.parser
import os
import subprocess
import sys
from collections import Counter

import pyoxigraph as ox
import pytest

import natograph
from natograph.queries.results import QueryResult

try:
    import pandas as pd  # the test extra installs it; natograph itself never needs it
except ImportError:
    if os.environ.get("CI"):
        raise  # CI installs the test extra: a missing pandas is a broken install, not a skip
    pytest.skip("pandas is not installed (pip install 'natograph[pandas]')", allow_module_level=True)

XSD = "http://www.w3.org/2001/XMLSchema#"


def lit(value: str, datatype: str | None = None, *, language: str | None = None) -> ox.Literal:
    if language is not None:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype)) if datatype else ox.Literal(value)


def result(columns: dict[str, list]) -> QueryResult:
    names = tuple(columns)
    return QueryResult(names, tuple(zip(*columns.values(), strict=True)))


FIXTURE = result({
    "iri": [ox.NamedNode("https://w3id.org/natograph/id/country/GE"), None, ox.BlankNode("b0")],
    "label": [lit("Géorgie", language="fr"), lit("Georgia", language="en"), None],
    "count": [lit("42", "integer"), None, lit("-7", "int")],
    "share": [lit("0.5", "decimal"), lit("1E3", "double"), lit(" 3 ", "integer")],
    "odd": [lit("-INF", "double"), lit("NaN", "float"), lit(".5", "decimal")],
    "flag": [lit("true", "boolean"), lit("0", "boolean"), None],
    "day": [lit("1994-03-23", "date"), lit("2000-02-29", "date"), None],
    "month": [lit("1995-02", "gYearMonth"), None, lit("2017-12", "gYearMonth")],
    "year": [lit("2017", "gYear"), lit("1994", "gYear"), None],
    "joined": [lit("1995-02", "gYearMonth"), lit("1994", "gYear"), lit("1994-03-23", "date")],
    "stamp": [lit("2026-12-07T10:00:00Z", "dateTime"), None, lit("2026-12-07T12:30:00+01:00", "dateTime")],
    "mixed": [ox.NamedNode("http://example.org/a"), lit("3", "integer"), None],
    "nothing": [None, None, None],
})


def test_each_kind_of_term_has_its_dtype():
    frame = FIXTURE.to_pandas()
    assert list(frame.columns) == ["iri", "label", "count", "share", "odd", "flag", "day", "month", "year",
                                   "joined", "joined_start", "joined_end", "stamp", "mixed", "nothing"]
    dtypes = {name: str(dtype) for name, dtype in frame.dtypes.items()}
    assert dtypes == {
        "iri": "string", "label": "string", "count": "Int64", "share": "Float64", "odd": "Float64", "flag": "boolean",
        "day": "period[D]", "month": "period[M]", "year": str(pd.PeriodDtype("Y")),  # Y-DEC (A-DEC before 2.2)
        "joined": "string", "joined_start": "period[D]", "joined_end": "period[D]",
        "stamp": dtypes["stamp"],
        "mixed": "string", "nothing": "object",
    }
    assert dtypes["stamp"].startswith("datetime64[") and dtypes["stamp"].endswith(", UTC]")  # ns (pandas 2) or us (3)
    assert frame["iri"].tolist() == ["https://w3id.org/natograph/id/country/GE", pd.NA, "_:b0"]
    assert frame["label"].tolist() == ["Géorgie", "Georgia", pd.NA]  # the text, without its language tag
    assert frame["count"].tolist() == [42, pd.NA, -7]
    assert frame["share"].tolist() == [0.5, 1000.0, 3.0]
    assert frame["odd"][0] == float("-inf") and frame["odd"][2] == 0.5
    assert frame["flag"].tolist() == [True, False, pd.NA]
    assert frame["stamp"].tolist()[0] == pd.Timestamp("2026-12-07T10:00:00Z")
    assert frame["stamp"].tolist()[2] == pd.Timestamp("2026-12-07T11:30:00Z")
    assert frame["mixed"].tolist() == ["http://example.org/a", "3", pd.NA]  # no common kind: text as written
    assert frame["nothing"].isna().all()
    assert frame.isna().sum().to_dict() == {
        "iri": 1, "label": 1, "count": 1, "share": 0, "odd": 0, "flag": 1, "day": 1, "month": 1, "year": 1,
        "joined": 0, "joined_start": 0, "joined_end": 0, "stamp": 1, "mixed": 1, "nothing": 3}


def test_dates_keep_their_precision():
    frame = FIXTURE.to_pandas()
    assert frame["month"][0] == pd.Period("1995-02", freq="M")  # February 1995, not its first day
    assert frame["month"][0].start_time.day == 1 and frame["month"][0].end_time.day == 28
    assert frame["year"][0] == pd.Period("2017", freq="Y")
    assert (frame["year"][0].start_time.month, frame["year"][0].end_time.month) == (1, 12)
    assert frame["day"][1] == pd.Period("2000-02-29", freq="D")
    assert [str(p) for p in frame["month"].dropna()] == ["1995-02", "2017-12"]
    assert [str(p) for p in frame["year"].dropna()] == ["2017", "1994"]


def test_mixed_precisions_keep_the_text_and_type_its_first_and_last_day():
    frame = FIXTURE.to_pandas()
    assert frame["joined"].tolist() == ["1995-02", "1994", "1994-03-23"]  # as written: each its precision
    assert [str(p) for p in frame["joined_start"]] == ["1995-02-01", "1994-01-01", "1994-03-23"]
    assert [str(p) for p in frame["joined_end"]] == ["1995-02-28", "1994-12-31", "1994-03-23"]
    # it sorts chronologically (a year before its months and days) and filters by day or by period
    assert frame.sort_values("joined")["joined"].tolist() == ["1994", "1994-03-23", "1995-02"]
    assert frame[frame["joined_end"] < "1995-01-01"]["joined"].tolist() == ["1994", "1994-03-23"]
    assert frame[frame["joined"].str.startswith("1994")]["joined"].tolist() == ["1994", "1994-03-23"]
    assert frame["joined_start"].dt.year.tolist() == [1995, 1994, 1994]


def test_leap_years_and_name_clashes():
    frame = result({
        "d": [lit("2000-02", "gYearMonth"), lit("1900-02", "gYearMonth"), lit("2024", "gYear")],
        "d_start": [lit("x"), lit("y"), lit("z")],
    }).to_pandas()
    assert list(frame.columns) == ["d", "d_start_", "d_end", "d_start"]
    assert [str(p) for p in frame["d_end"]] == ["2000-02-29", "1900-02-28", "2024-12-31"]


@pytest.mark.parametrize("terms", [
    [lit("abc", "integer"), lit("1", "integer")],      # an ill-typed integer
    [lit("1_000", "integer"), lit("1", "integer")],    # Python reads it, XSD does not
    [lit("infinity", "double"), lit("1.5", "decimal")],
    [lit("maybe", "boolean"), lit("true", "boolean")],
    [lit("2005-02Z", "gYearMonth"), lit("2005", "gYear")],  # a time zone: no Period holds it
    [lit("2005-13", "gYearMonth"), lit("2005-01", "gYearMonth")],
    [lit("-0044", "gYear"), lit("2005", "gYear")],  # before year 1
])
def test_values_that_do_not_fit_their_type_keep_the_column_as_text(terms):
    frame = result({"v": terms}).to_pandas()
    assert str(frame["v"].dtype) == "string"
    assert frame["v"].tolist() == [t.value for t in terms]


def test_integers_beyond_64_bits_stay_exact():
    big = "123456789012345678901234567890"
    frame = result({"n": [lit(big, "integer"), None]}).to_pandas()
    assert frame["n"][0] == int(big) and frame["n"].isna().tolist() == [False, True]


def test_triple_terms_are_text():
    triple = ox.Triple(ox.NamedNode("javascript:alert(1)"), ox.NamedNode("http://example.org/p"), lit("<b>"))
    answer = result({"t": [triple, None]})
    assert answer.to_pandas()["t"].tolist() == ['<javascript:alert(1)> <http://example.org/p> "<b>"', pd.NA]
    found = parse(answer.to_html())
    assert found.links == [] and found.cells == ['<javascript:alert(1)> <http://example.org/p> "<b>"', ""]


def test_an_empty_result_has_its_columns():
    frame = QueryResult(("a", "b"), ()).to_pandas()
    assert list(frame.columns) == ["a", "b"] and len(frame) == 0


def test_partners_on_the_shipped_graph():
    answer = natograph.query("partners", {"as_of": "2005"})
    frame = answer.to_pandas()
    assert len(frame) == len(answer)
    assert {c: str(t) for c, t in frame.dtypes.items()} == {
        "code": "string", "label": "string", "framework": "string", "joined": "string",
        "joined_start": "period[D]", "joined_end": "period[D]", "status": "string"}
    # joined mixes days, months and years in the data: each kept as written
    kinds = Counter(len(value) for value in frame["joined"].dropna())
    assert set(kinds) == {4, 7, 10}
    for record, row in zip(answer.as_dicts(), frame.itertuples(index=False), strict=True):
        assert (row.code, row.label, row.framework) == (record["code"], record["label"], record["framework"])
        if record["joined"] is None:
            assert pd.isna(row.joined) and pd.isna(row.joined_start) and pd.isna(row.joined_end)
        else:
            assert row.joined == record["joined"]
            assert str(row.joined_start).startswith(record["joined"]) and str(row.joined_end).startswith(record["joined"])
            assert row.joined_start <= row.joined_end and row.joined_start.year <= 2005
    by_framework = frame.groupby("framework").size().to_dict()
    assert sum(by_framework.values()) == len(frame) and set(by_framework) <= {"PfP", "MD", "ICI", "PATG"}


def test_frameworks_on_the_shipped_graph():
    answer = natograph.query("frameworks")
    frame = answer.to_pandas()
    assert str(frame["partners"].dtype) == "Int64" and str(frame["stated"].dtype) == "Int64"
    for record, row in zip(answer.as_dicts(), frame.itertuples(index=False), strict=True):
        assert row.partners == int(record["partners"])
        assert pd.isna(row.stated) if record["stated"] is None else row.stated == int(record["stated"])
    assert frame["partners"].sum() == sum(int(r["partners"]) for r in answer.as_dicts())


def test_timeline_on_the_shipped_graph():
    answer = natograph.query("timeline")
    frame = answer.to_pandas()
    assert list(frame.columns) == ["date", "date_start", "date_end", "event", "label"]
    assert str(frame["date_start"].dtype) == "period[D]"
    assert frame["date"].tolist() == [r["date"] for r in answer.as_dicts()]
    # the query's own order (oldest first) is the text's order and the first days'
    assert frame["date"].tolist() == sorted(frame["date"])
    assert frame["date_start"].tolist() == sorted(frame["date_start"])
    by_year = frame.groupby(frame["date_start"].dt.year).size()
    assert by_year.sum() == len(answer) and by_year.index.min() == 1949
    assert by_year[1949] == sum(1 for r in answer.as_dicts() if r["date"].startswith("1949"))


# -- HTML ---------------------------------------------------------------------------------------------


class Cells(html.parser.HTMLParser):
    """What a browser would make of the table: tags met, links, the text of each cell."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter = Counter()
        self.links: list[str] = []
        self.cells: list[str] = []
        self.langs: list[str | None] = []
        self._in_cell = False

    def handle_starttag(self, tag, attrs):
        self.tags[tag] += 1
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs["href"])
        if tag == "td":
            self.cells.append("")
            self.langs.append(attrs.get("lang"))
            self._in_cell = True

    def handle_endtag(self, tag):
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell:
            self.cells[-1] += data


def parse(text: str) -> Cells:
    parser = Cells()
    parser.feed(text)
    parser.close()
    return parser


HOSTILE = result({
    "s": [ox.NamedNode("javascript:alert(1)"), ox.NamedNode("https://example.org/a?b=1&c='d'"),
          ox.NamedNode("data:text/html,x"), ox.NamedNode("HTTP://example.org/UPPER"), None],
    "label": [lit("<script>alert(1)</script>"), lit('" onmouseover="alert(1)'), lit("a & b", language="fr"),
              lit("<img src=x onerror=alert(1)>"), lit("plain")],
})


def test_hostile_iris_and_labels_render_inert():
    text = HOSTILE._repr_html_()
    found = parse(text)
    assert "<script" not in text and "<img" not in text
    assert set(found.tags) == {"table", "thead", "tbody", "tr", "th", "td", "a", "p"}  # nothing from the data
    assert found.links == ["https://example.org/a?b=1&c='d'", "HTTP://example.org/UPPER"]  # http(s) only
    assert found.cells == ["javascript:alert(1)", "<script>alert(1)</script>",
                           "https://example.org/a?b=1&c='d'", '" onmouseover="alert(1)',
                           "data:text/html,x", "a & b",
                           "HTTP://example.org/UPPER", "<img src=x onerror=alert(1)>",
                           "", "plain"]
    assert found.langs == [None, None, None, None, None, "fr", None, None, None, None]
    assert 'href="javascript' not in text and 'href="data' not in text


def test_html_shows_at_most_max_rows():
    answer = natograph.query("timeline")
    found = parse(answer.to_html(max_rows=5))
    assert found.tags["tr"] == 6  # the header and five rows
    assert f"{len(answer)} rows, the first 5 shown" in answer.to_html(max_rows=5)
    assert parse(answer._repr_html_()).tags["tr"] == 101
    for wrong in (0, -1, 100_001, 2.5, True):
        with pytest.raises(ValueError, match="max_rows must be a whole number from 1 to 100000"):
            answer.to_html(max_rows=wrong)


def test_without_pandas_html_works_and_to_pandas_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now fails, as when it is not installed
    assert "<table" in HOSTILE._repr_html_()
    with pytest.raises(ImportError) as caught:
        HOSTILE.to_pandas()
    message = str(caught.value)
    assert message == "QueryResult.to_pandas() needs pandas: pip install 'natograph[pandas]'"
    assert "\n" not in message


def test_natograph_never_imports_pandas():
    code = ("import sys, natograph; r = natograph.query('frameworks'); r._repr_html_(); "
            "assert 'pandas' not in sys.modules and 'numpy' not in sys.modules, sorted(sys.modules)")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
