"""The home page's map through time, for the server (``/``) and the release (``map.en.html``,
``map.fr.html``): the world map coloured as of one day, the year slider, the legend, the countries as
lists, and the data the page's script (``static/map.js``) recolours it from, in English or French.

``map_view(data, lang=..., day=...)`` gives the template (``_map.html``) everything it shows; *data* is
``relations.sweep``'s (the answers of the stored queries ``members`` and ``partners``). Every word the
map shows is in the message catalogue (``messages``, English and French), except the frameworks'
names, which are the stored query ``partners``'s own choice labels.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping

from . import relations
from .messages import messages

LANGUAGES = ("en", "fr")
_CODE = re.compile(r"^[A-Z]{2}$")

def words(lang: str) -> dict:
    """Every word of the page in *lang*: the message catalogue (``natograph.pages.messages``)."""
    return messages(lang)


def relation_names(lang: str) -> dict[str, str]:
    """Each relation's name in *lang*: the frameworks' from the stored query ``partners``'s choice labels."""
    from ..queries.catalogue import get

    w = words(lang)
    framework = next(p for p in get("partners").texts(lang).params if p.name == "framework")
    names = {"member": w["member"], "suspended": w["suspended"]}
    names.update({value: label[:1].upper() + label[1:] for value, label in framework.choices})
    return names


def long_date(day: str, lang: str) -> str:
    """``2005-12-31`` as people write it: ``31 December 2005``, ``31 décembre 2005`` (``1er`` in French)."""
    year, month, dom = (int(part) for part in day.split("-"))
    first = "1er" if lang == "fr" and dom == 1 else str(dom)
    return f"{first} {words(lang)['months'][month - 1]} {year}"


def day_of(year: int | None, today: _dt.date) -> str:
    """The day the map shows for a year of the slider: its last day, or *today* in the current year."""
    if year is None or year >= today.year:
        return today.isoformat()
    return f"{year:04d}-12-31"


def css_class(relation: str | None) -> str:
    return "rel-" + (relation or "none").lower()


def _collation(text: str) -> tuple[str, str]:
    """Sort key close to the script's ``localeCompare``: accents and case set aside (États after Estonie)."""
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return folded.casefold(), text


def label_of(entry: Mapping, lang: str, fallback: str) -> str:
    """A country's label in *lang*, else in English, else *fallback* (as the page's script reads it)."""
    return entry["label"].get(lang) or entry["label"].get("en") or fallback


def describe(entry: Mapping | None, spans, lang: str, names: Mapping[str, str], fallback: str) -> str:
    """What hovering a country says: ``Georgia: Partnership for Peace (since 1994-03-23)``."""
    w = words(lang)
    if entry is None:
        return w["not_in_data"].format(name=fallback)
    name = label_of(entry, lang, fallback)
    if not spans:
        return w["no_relation"].format(name=name)
    parts = []
    for span in sorted(spans, key=lambda s: relations.RELATIONS.index(relations.colour([s]))):
        what = names[span["relation"]]
        if span["status"] == "suspended":
            what = w["suspended_in"].format(framework=what)
        parts.append(f"{what} ({w['since'].format(date=span['joined']) if span['joined'] else w['undated']})")
    return f"{name}{w['colon']} " + "; ".join(parts)


def map_view(data: Mapping, *, lang: str, day: str, max_year: int, today: bool, link: str,
             data_href: str = "map.json") -> dict:
    """What ``_map.html`` shows as of *day*. *link* makes a country's page address from its code
    (``id/country/{code}``: relative, natograph's own); *max_year* ends the slider; *today* says the
    day is today (the slider's last year)."""
    from .worldmap import load, world_svg

    w = words(lang)
    names = relation_names(lang)
    world = load()
    held = relations.holding(data, day)
    countries = data["countries"]
    shown = {code: relations.colour(held.get(code, ())) for code in countries}
    titles = {code: describe(countries.get(code), held.get(code, ()), lang, names, country.names.get(lang, code))
              for code, country in world.countries.items()}
    links = {code: link.format(code=code) for code in countries if _CODE.match(code)}
    svg = world_svg({code: css_class(r) for code, r in shown.items()}, titles=titles, links=links, lang=lang,
                    label=w["map_label"], marker_radius=12)
    # Chromium stops Tab on an <svg> of links unless told not to: the countries are the stops.
    svg = svg.replace("<svg ", '<svg tabindex="-1" ', 1)
    groups = []
    for relation in relations.RELATIONS:
        members = sorted((c for c, r in shown.items() if r == relation),
                         key=lambda c: _collation(label_of(countries[c], lang, c)))
        groups.append({"relation": relation, "css": css_class(relation), "name": names[relation], "countries": [
            {"code": c, "label": label_of(countries[c], lang, c), "href": links.get(c),
             "title": titles.get(c, "")} for c in members]})
    shown_date = (w["today"] if today else w["as_of"]).format(date=long_date(day, lang))
    payload = {"lang": lang, "link": link, "relations": list(relations.RELATIONS), "names": names,
               "words": {k: w[k] for k in ("as_of", "today", "since", "undated", "suspended_in", "no_relation", "not_in_data",
                                           "lists", "empty", "months", "colon")},
               "first_year": data["first_year"], "max_year": max_year, "countries": countries}
    return {"w": w, "svg": svg, "groups": groups, "day": day, "year": int(day[:4]), "first_year": data["first_year"],
            "max_year": max_year, "shown_date": shown_date, "lists_heading": w["lists"].format(date=long_date(day, lang)),
            "none_css": css_class(None), "payload": payload, "data_href": data_href}


def page_html(data: Mapping, *, lang: str, day: str, max_year: int, today: bool, link: str, site: Mapping,
              data_href: str = "map.json") -> str:
    """The whole page (``index.html``): the map as of *day* in the frame *site* (``layout.frame``)."""
    from .templating import environment

    view = map_view(data, lang=lang, day=day, max_year=max_year, today=today, link=link, data_href=data_href)
    return environment().get_template("index.html").render(lang=lang, map=view, t=view["w"], site=site)
