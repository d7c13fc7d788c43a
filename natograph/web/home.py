"""The home page of ``natograph serve``: the map through time (``natograph.pages.explorer``), in
English or French, and the map's data, computed once per store."""

from __future__ import annotations

import datetime as _dt
import functools
import threading

_MAP_LOCK = threading.Lock()


@functools.lru_cache(maxsize=4)
def _map_data(engine) -> dict:
    from ..pages import relations

    return relations.sweep(engine)


def map_data(engine) -> dict:
    """The map's data for *engine* (``relations.sweep``: a second of queries), computed once and kept;
    ``/map.json`` serves it. Callers share one computation (the server begins it as it starts)."""
    with _MAP_LOCK:
        return _map_data(engine)


def home_html(engine, *, lang: str = "en", settings=None, data=None, year: int | None = None,
              today: _dt.date | None = None) -> str:
    """The home page in *lang*: the map as of *year*'s last day (today by default, and in the current
    year). *data* is the map's (``map_data(engine)`` when None). The query console is ``/queries``
    (``console.queries_html``)."""
    from ..pages import explorer, layout

    today = today or _dt.date.today()
    data = data if data is not None else map_data(engine)
    day = explorer.day_of(year, today)
    other = "fr" if lang == "en" else "en"
    site = layout.frame(lang=lang, current="map", data_as_of=layout.data_as_of(engine),
                        other_href=f"./?lang={other}" + (f"&year={year}" if year is not None else ""))
    return explorer.page_html(
        data, lang=lang, day=day, max_year=today.year, today=day == today.isoformat(),
        link="id/country/{code}" + ("?lang=fr" if lang == "fr" else ""), site=site)


def parse_year(value: str | None, *, today: _dt.date | None = None) -> int | None:
    """The home page's ``year`` (None when absent), or a ParameterError that says what was expected."""
    from ..errors import ParameterError
    from ..pages.relations import FIRST_YEAR

    if value is None:
        return None
    last = (today or _dt.date.today()).year
    if not (value.isascii() and value.isdigit() and FIRST_YEAR <= int(value) <= last):
        raise ParameterError(f"year must be a year from {FIRST_YEAR} to {last}, not {value!r}")
    return int(value)
