"""The query console of ``natograph serve``, ``/queries`` for people: the stored queries as forms (their
words from their ``#+`` headers, in English or French), the results, the SPARQL editor, a timeline of
who joined which framework when and a chart of partners by framework (``queries_html``); and one
stored query's results as a page, ``/queries/NAME?...`` asked for as HTML (``results_html``): the
same form filled in, the rows under the query's own column headings, the CSV and JSON downloads.
"""

from __future__ import annotations

from urllib.parse import urlencode


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


def queries_html(engine, *, lang: str = "en") -> str:
    """The console page in *lang*."""
    from ..pages import layout
    from ..pages.templating import environment
    from ..queries.catalogue import run_stored
    from .catalogue import listing

    partners = run_stored(engine, "partners", {"lang": lang}).as_dicts()
    frameworks = run_stored(engine, "frameworks", {"lang": lang}).as_dicts()
    other = "fr" if lang == "en" else "en"
    site = layout.frame(lang=lang, current="queries", data_as_of=layout.data_as_of(engine),
                        other_href=f"queries?lang={other}")
    t = site["t"]
    return environment().get_template("queries.html").render(
        site=site, t=t, title=t["console"], queries=listing(lang), timeline=timeline(partners), bars=bars(frameworks),
        script_words={"rows": t["rows"], "one_row": t["one_row"], "running": t["running"]})


def results_html(engine, name: str, values: dict[str, str], *, lang: str, results: dict, truncated: bool,
                 max_rows: int) -> str:
    """The page of one stored query's results: *results* is its SPARQL JSON, *values* the parameters
    it was run with (``lang`` apart)."""
    from ..pages import layout
    from ..pages.links import safe_href
    from ..pages.render import BASE
    from ..pages.templating import environment
    from ..queries.catalogue import get
    from .catalogue import describe

    query = get(name)
    texts = query.texts(lang)
    asked = {k: v for k, v in values.items() if k != "lang"}
    here = {**asked, **({"lang": lang} if lang != "en" else {})}
    other = "fr" if lang == "en" else "en"
    site = layout.frame(lang=lang, root="../", current="queries", data_as_of=layout.data_as_of(engine),
                        other_href=f"{name}?" + urlencode({**asked, "lang": other}))
    columns = results["head"]["vars"]
    headings = dict(zip(query.columns, texts.headings, strict=True))
    rows = []
    for binding in results["results"]["bindings"]:
        row = []
        for column in columns:
            term = binding.get(column)
            if term is None:
                row.append({"text": ""})
            elif term["type"] == "uri":
                iri = term["value"]
                local = "../" + iri[len(BASE):] + ("?lang=fr" if lang == "fr" else "") if iri.startswith(BASE) else None
                row.append({"text": iri, "href": local or safe_href(iri), "code": True})
            else:
                row.append({"text": term["value"], "code": "xml:lang" not in term})  # a plain value: the query's own code
        rows.append(row)
    t = site["t"]
    count = t["one_row"] if len(rows) == 1 else t["rows"].format(n=len(rows))
    download = urlencode({**here, "format": "csv"}), urlencode({**here, "format": "json"})
    return environment().get_template("results.html").render(
        site=site, t=t, title=t["results_of"].format(name=name), q=describe(query, lang), name=name, values=asked,
        headings=[headings.get(c, c) for c in columns], columns=columns, rows=rows, count=count,
        truncated=t["truncated"].format(n=max_rows) if truncated else "",
        csv_href=f"{name}?{download[0]}", json_href=f"{name}?{download[1]}")
