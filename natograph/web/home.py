"""The home page of ``natograph serve``: the stored queries as forms, a timeline of who joined which
framework when, and a chart of partners by framework, in English or French."""

from __future__ import annotations

from ..pages.templating import environment


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


HOME = {
    "en": {"title": "natograph — NATO's partnerships as a knowledge graph", "catalogue": "Stored queries", "run": "Run",
           "results": "Results", "editor": "SPARQL editor", "example": "Example", "timeline":
           "Who joined which framework when (current partners)", "chart": "Partners by framework, today",
           "download": "Download", "api": "API", "other": "Français", "rows": "rows", "stated": "stated by NATO",
           "required": "required", "optional": "optional", "default": "default"},
    "fr": {"title": "natograph — les partenariats de l'OTAN en graphe de connaissances", "catalogue": "Requêtes",
           "run": "Exécuter", "results": "Résultats", "editor": "Éditeur SPARQL", "example": "Exemple",
           "timeline": "Qui a rejoint quel cadre, et quand (partenaires actuels)", "chart": "Partenaires par cadre, aujourd'hui",
           "download": "Télécharger", "api": "API", "other": "English", "rows": "lignes", "stated": "selon l'OTAN",
           "required": "obligatoire", "optional": "facultatif", "default": "défaut"},
}


def home_html(engine, *, lang: str = "en", settings=None) -> str:
    from ..queries.catalogue import run_stored
    from .catalogue import listing

    partners = run_stored(engine, "partners", {"lang": lang}).as_dicts()
    frameworks = run_stored(engine, "frameworks", {"lang": lang}).as_dicts()
    return environment().get_template("index.html").render(
        lang=lang, t=HOME[lang], other_lang="fr" if lang == "en" else "en", queries=listing(),
        timeline=timeline(partners), bars=bars(frameworks), settings=settings,
    )
