"""A SELECT result as a pandas DataFrame with typed columns (``QueryResult.to_pandas``).

pandas is an optional extra (``pip install 'natograph[pandas]'``), imported only when a frame is
asked for: importing natograph, running a query or showing a result in Jupyter never imports it.

Each column is typed by the RDF terms it holds (unbound values are missing, ``pd.NA`` or ``NaT``):

==========================================  ============================================================
values                                      column
==========================================  ============================================================
``xsd:integer`` and its derived types       ``Int64`` (nullable: any SPARQL variable can be unbound)
``xsd:decimal``, ``xsd:double``,            ``Float64`` (integers mixed with them too)
``xsd:float``
``xsd:boolean``                             ``boolean``
``xsd:date`` / ``xsd:gYearMonth`` /         ``period[D]`` / ``period[M]`` / ``period[Y-DEC]``: a date
``xsd:gYear``, all of one precision         at its precision (``1995-02`` is February 1995, not its
                                            first day)
dates of mixed precisions                   the dates as written (``string``), and beside it
                                            ``<column>_start`` and ``<column>_end`` (``period[D]``):
                                            the first and last day each value covers
``xsd:dateTime``                            ``datetime64`` (UTC when every value has a time zone)
IRIs, labels, other literals                ``string`` (the IRI, or the literal's text without its
                                            language tag; a blank node as ``_:id``)
==========================================  ============================================================

A column whose values do not share one of these kinds (IRIs and numbers; a date with a time zone, or
outside years 0001-9999; an ill-typed literal such as ``"abc"^^xsd:integer``) is ``string``, each
value as written: nothing is guessed, nothing dropped.

Why dates of mixed precisions are kept that way: pandas has no dtype for periods of different
lengths (a column of ``Period`` objects of mixed frequencies cannot be sorted or compared: pandas
raises ``IncompatibleFrequency``), and turning ``1995-02`` into a day or a timestamp would invent a
precision the source does not give. The text as written keeps each value's precision, reads as the
data does, and sorts chronologically (ISO 8601: every value is ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``, so a year sorts before its months and a month before its days); ``str.startswith``
filters by period (``df.joined.str.startswith("2005")``: every value within 2005). The two day
columns type it: ``df.joined_start.dt.year`` counts by year (drop missing dates first: pandas gives
a missing period's year as -1), ``df[df.joined_end < "2000-01-01"]``
keeps what certainly happened before 2000, ``df[df.joined_start <= day]`` what may have. An
interval dtype (``interval[datetime64]``) would hold both bounds in one column, but it shows
``[1995-02-01 00:00:00, 1995-03-01 00:00:00)`` for ``1995-02``, hiding the value a person wrote.
"""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"

_INTEGERS = frozenset(XSD + name for name in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger", "negativeInteger",
    "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))
_FLOATS = frozenset(XSD + name for name in ("decimal", "double", "float"))
_DATES = {XSD + "date": "D", XSD + "gYearMonth": "M", XSD + "gYear": "Y"}
_DATE_FORM = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")  # YYYY, YYYY-MM, YYYY-MM-DD: no time zone
_INTEGER = re.compile(r"[+-]?[0-9]+")
_FLOAT = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([Ee][+-]?[0-9]+)?|[+-]?INF|NaN")
_ZONE = re.compile(r"(Z|[+-]\d{2}:\d{2})$")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class _IllTyped(ValueError):
    """A value whose text does not fit its column's kind: the column is kept as text."""


def kind(term) -> str | None:
    """The kind of an RDF term (pyoxigraph) for typing a column: integer, float, boolean, date:D,
    date:M, date:Y, datetime or text; None when unbound."""
    if term is None:
        return None
    datatype = getattr(term, "datatype", None)
    if datatype is None:  # an IRI or a blank node
        return "text"
    iri = datatype.value
    if iri in _INTEGERS:
        return "integer"
    if iri in _FLOATS:
        return "float"
    if iri in _DATES:
        return "date:" + _DATES[iri]
    if iri == XSD + "boolean":
        return "boolean"
    if iri == XSD + "dateTime":
        return "datetime"
    return "text"


def text(term) -> str:
    """A term as text: an IRI, a blank node as ``_:id``, a literal's lexical form, a triple term
    (RDF 1.2) in N-Triples."""
    name = type(term).__name__
    if name == "BlankNode":
        return "_:" + term.value
    return str(term) if name == "Triple" else term.value


def to_pandas(columns, terms):
    """A DataFrame of the rows *terms* (pyoxigraph terms or None) under *columns* (see the module's
    docstring for the dtypes)."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("QueryResult.to_pandas() needs pandas: pip install 'natograph[pandas]'") from None
    data = {}
    taken = set(columns)
    for index, name in enumerate(columns):
        values = [row[index] for row in terms]
        for key, array in _column(pd, name, values, taken):
            data[key] = array
            taken.add(key)
    return pd.DataFrame(data, index=pd.RangeIndex(len(terms)), columns=list(data))


def _column(pd, name: str, values: list, taken: set) -> list:
    """[(name, array)] for one column: itself, and for dates of mixed precisions the day columns."""
    kinds = {kind(v) for v in values} - {None}
    try:
        if kinds == {"integer"}:
            return [(name, _integers(pd, values))]
        if kinds and kinds <= {"integer", "float"}:
            return [(name, _floats(pd, values))]
        if kinds == {"boolean"}:
            return [(name, pd.array([None if v is None else _boolean(v.value) for v in values], dtype="boolean"))]
        if kinds == {"datetime"}:
            return [(name, _datetimes(pd, values))]
        if kinds and all(k.startswith("date:") for k in kinds):
            return _dates(pd, name, values, {k[5:] for k in kinds}, taken)
    except (_IllTyped, ValueError, OverflowError):
        pass
    if not kinds:
        return [(name, pd.array([pd.NA] * len(values), dtype=object))]
    return [(name, pd.array([None if v is None else text(v) for v in values], dtype="string"))]


def _number(lexical: str, form: re.Pattern, convert):
    """*lexical* by XSD's grammar (Python's int and float also read ``1_000``, ``infinity``, other digits)."""
    lexical = lexical.strip()
    if form.fullmatch(lexical) is None:
        raise _IllTyped(lexical)
    return convert(lexical)


def _integers(pd, values: list):
    numbers = [None if v is None else _number(v.value, _INTEGER, int) for v in values]
    try:
        return pd.array(numbers, dtype="Int64")
    except (OverflowError, TypeError, ValueError):  # beyond 64 bits (xsd:integer has no bound): exact Python ints
        return pd.array([pd.NA if n is None else n for n in numbers], dtype=object)


def _floats(pd, values: list):
    import numpy as np

    numbers = np.array([0.0 if v is None else _number(v.value, _FLOAT, float) for v in values], dtype="float64")
    return pd.arrays.FloatingArray(numbers, np.array([v is None for v in values], dtype=bool))


def _boolean(lexical: str) -> bool:
    try:
        return _BOOLEANS[lexical.strip()]
    except KeyError:
        raise _IllTyped(lexical) from None


def _datetimes(pd, values: list):
    present = [v.value.strip() for v in values if v is not None]
    zoned = {bool(_ZONE.search(v)) for v in present}
    if len(zoned) > 1:
        raise _IllTyped("date-times with and without a time zone")
    return pd.array(pd.to_datetime([None if v is None else v.value.strip() for v in values],
                                   format="ISO8601", utc=zoned == {True}))


_EPOCH = 719163
"""``datetime.date(1970, 1, 1).toordinal()``: pandas numbers periods from 1970 (its ordinals)."""


def _ordinals(lexical: str, freq: str) -> tuple[int, int, int]:
    """(the period's ordinal at its precision *freq*, its first day's, its last day's) for *lexical*,
    a date of precision *freq* (D, M, Y); _IllTyped or ValueError when it is not one."""
    import calendar
    import datetime

    match = _DATE_FORM.fullmatch(lexical)
    if match is None or "YMD"[sum(part is not None for part in match.groups()) - 1] != freq:
        raise _IllTyped(lexical)
    year, month, day = (int(part or 1) for part in match.groups())
    first = datetime.date(year, month, day).toordinal() - _EPOCH  # ValueError for a month 13, a 30 February
    if freq == "D":
        return first, first, first
    if freq == "M":
        return (year - 1970) * 12 + month - 1, first, first + calendar.monthrange(year, month)[1] - 1
    return year - 1970, first, datetime.date(year, 12, 31).toordinal() - _EPOCH


def _periods(pd, ordinals: list, freq: str):
    """A PeriodArray of *freq* from pandas ordinals (None: missing), without a Period object per value."""
    import numpy as np

    array = pd.arrays.PeriodArray(np.array([0 if o is None else o for o in ordinals], dtype="int64"),
                                  dtype=pd.PeriodDtype(freq))
    missing = np.array([o is None for o in ordinals], dtype=bool)
    if missing.any():
        array[missing] = pd.NaT
    return array


def _dates(pd, name: str, values: list, freqs: set, taken: set) -> list:
    """Dates of one precision: a Period column. Of mixed precisions: the text as written, then the
    first and last day each covers (see the module's docstring)."""
    seen: dict[tuple[str, str], tuple[int, int, int]] = {}
    own, firsts, lasts = [], [], []
    for v in values:
        if v is None:
            own.append(None), firsts.append(None), lasts.append(None)
            continue
        key = (v.value, _DATES[v.datatype.value])
        if key not in seen:
            seen[key] = _ordinals(*key)
        period, first, last = seen[key]
        own.append(period), firsts.append(first), lasts.append(last)
    if len(freqs) == 1:
        return [(name, _periods(pd, own, next(iter(freqs))))]
    start, end = _free(f"{name}_start", taken), _free(f"{name}_end", taken | {f"{name}_start"})
    return [
        (name, pd.array([None if v is None else v.value for v in values], dtype="string")),
        (start, _periods(pd, firsts, "D")),
        (end, _periods(pd, lasts, "D")),
    ]


def _free(name: str, taken: set) -> str:
    """*name*, or *name* with underscores appended until no other column has it."""
    while name in taken:
        name += "_"
    return name
