"""The home page of ``natograph serve``: the map through time (``natograph.pages.explorer``), then the
query console: the stored queries as forms, a timeline of who joined which framework when, and a
chart of partners by framework, in English or French."""

from __future__ import annotations

import datetime as _dt
import functools
import threading


def _year(text: str) -> float | None:
    try:
        year = int(text[:4])
    except (TypeError, ValueError):
        return None
    month = int(text[5:7]) if len(text) >= 7 and text[5:7].isdigit() else 1
    return year + (month - 1) / 12


def timeline(rows) -> dict:
    """Dots of the partners' joining dates, one lane per framework (an SVG drawn by the template)."""
    lanes = sorted({r["framework"] for r in rows}, key=lambda f: ["PfP", "MD", "ICI", "PATG"].index(f)
                   if f in ("PfP", "MD", "ICI", "PATG") else 9)
    dated = [(r, _year(r["joined"] or "")) for r in rows]
    years = [y for _, y in dated if y is not None]
    if not years:
        return {"lanes": [], "dots": [], "ticks": [], "width": 900, "height": 60}
    first, last = int(min(years)) - 1, int(max(years)) + 2
    width, left, step = 900, 70, 7
    scale = (width - left - 20) / (last - first)
    placed, stack = [], {}
    for row, year in dated:
        if year is None:
            continue
        lane = lanes.index(row["framework"])
        key = (lane, round(year * 2))  # dots of the same half-year stack up
        level = stack.get(key, 0)
        stack[key] = level + 1
        placed.append((row, year, lane, level))
    heights = [max([lvl for (ln, _), lvl in stack.items() if ln == i] or [1]) * step + 24 for i in range(len(lanes))]
    baselines, y = [], 26
    for h in heights:
        y += h
        baselines.append(y)
    dots = [{"x": round(left + (year - first) * scale, 1), "y": baselines[lane] - 4 - level * step, "code": row["code"],
             "title": f"{row['code']} {row['label']} — {row['framework']}, {row['joined']}"}
            for row, year, lane, level in placed]
    ticks = [{"x": round(left + (y - first) * scale, 1), "year": y} for y in range(first + 1, last, 5)]
    return {"lanes": [{"name": n, "y": baselines[i] - 6} for i, n in enumerate(lanes)], "dots": dots,
            "ticks": ticks, "width": width, "height": baselines[-1] + 14, "left": left}


def bars(rows) -> dict:
    """One bar per framework: partners on the day."""
    top = max([int(r["partners"] or 0) for r in rows] or [1]) or 1
    out = []
    for i, r in enumerate(rows):
        n = int(r["partners"] or 0)
        out.append({"y": 10 + i * 34, "w": round(380 * n / top, 1), "n": n, "label": f"{r['label']} ({r['framework']})",
                    "stated": r["stated"] or ""})
    return {"bars": out, "height": 20 + 34 * len(rows)}


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
    year), then the query console. *data* is the map's (``map_data(engine)`` when None)."""
    from ..pages import explorer
    from ..queries.catalogue import run_stored
    from .catalogue import listing

    today = today or _dt.date.today()
    data = data if data is not None else map_data(engine)
    w = explorer.words(lang)
    partners = run_stored(engine, "partners", {"lang": lang}).as_dicts()
    frameworks = run_stored(engine, "frameworks", {"lang": lang}).as_dicts()
    console = {"queries": listing(lang), "timeline": timeline(partners), "bars": bars(frameworks), "settings": settings}
    nav = [("#console", w["console_link"]), ("sparql", "SPARQL"), ("openapi.json", "OpenAPI"),
           (".well-known/void", "VoID"), ("ontology" + ("?lang=fr" if lang == "fr" else ""), w["ontology"])]
    day = explorer.day_of(year, today)
    other = "fr" if lang == "en" else "en"
    return explorer.page_html(
        data, lang=lang, day=day, max_year=today.year, today=day == today.isoformat(),
        link="id/country/{code}" + ("?lang=fr" if lang == "fr" else ""), nav=nav, home_href="./",
        other_lang_href=f"?lang={other}" + (f"&year={year}" if year is not None else ""), console=console)


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
