"""The home page's map through time, for the server (``/``) and the release (``map.en.html``,
``map.fr.html``): the world map coloured as of one day, the year slider, the legend, the countries as
lists, and the data the page's script (``static/map.js``) recolours it from, in English or French.

``map_view(data, lang=..., day=...)`` gives the template (``_map.html``) everything it shows; *data* is
``relations.sweep``'s (the answers of the stored queries ``members`` and ``partners``). Every word the
map shows is in ``WORDS`` (English and French), except the frameworks' names, which are the stored
query ``partners``'s own choice labels.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Mapping

from . import relations

LANGUAGES = ("en", "fr")
_CODE = re.compile(r"^[A-Z]{2}$")

WORDS = {
    "en": {
        "title": "natograph — NATO's partnerships as a knowledge graph",
        "map_heading": "NATO's members and partners through time",
        "intro": "Each country is coloured by its relation with NATO on the chosen day. Move the slider "
                 "back to 1949; select a country to read its story.",
        "year": "Year", "previous": "Previous year", "next": "Next year",
        "as_of": "as of {date}", "today": "today, {date}",
        "map_label": "World map: each country's relation with NATO",
        "legend": "Legend", "none": "No relation",
        "precedence": "A country in several relations takes the colour of the first in this order.",
        "member": "NATO member", "suspended": "Partnership suspended",
        "suspended_in": "{framework}, suspended",
        "since": "since {date}", "undated": "start not dated",
        "hint": "Hover over or focus a country to read its relation; select it to open its page.",
        "no_relation": "{name}: no relation with NATO on this day",
        "not_in_data": "{name}: not in natograph's data",
        "skip": "Skip the map: the countries as lists",
        "lists": "The countries by relation, {date}",
        "empty": "none",
        "source": "From the stored queries members and partners, as of the year's last day (today for the "
                  "current year): the answers of natograph query partners -p as_of=YEAR. "
                  "Map: Natural Earth (public domain), Equal Earth projection.",
        "data": "The map's data (JSON)",
        "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December"],
        "colon": ":",
        "other": "Français", "console_link": "Queries and SPARQL", "downloads": "Downloads", "ontology": "Ontology",
        "console": "Query the graph",
        "console_intro": "Run a stored query with your own parameters, or write SPARQL; every result downloads as CSV or JSON.",
        "catalogue": "Stored queries", "run": "Run", "results": "Results", "editor": "SPARQL editor",
        "example": "Example", "timeline": "Who joined which framework when (current partners)",
        "chart": "Partners by framework, today", "download": "Download", "stated": "stated by NATO",
    },
    "fr": {
        "title": "natograph — les partenariats de l'OTAN en graphe de connaissances",
        "map_heading": "Les membres et partenaires de l'OTAN au fil du temps",
        "intro": "Chaque pays est coloré selon sa relation avec l'OTAN au jour choisi. Déplacez le curseur "
                 "jusqu'en 1949 ; sélectionnez un pays pour lire son histoire.",
        "year": "Année", "previous": "Année précédente", "next": "Année suivante",
        "as_of": "au {date}", "today": "aujourd'hui, {date}",
        "map_label": "Carte du monde : la relation de chaque pays avec l'OTAN",
        "legend": "Légende", "none": "Aucune relation",
        "precedence": "Un pays engagé dans plusieurs relations prend la couleur de la première dans cet ordre.",
        "member": "Membre de l'OTAN", "suspended": "Partenariat suspendu",
        "suspended_in": "{framework}, suspendu",
        "since": "depuis {date}", "undated": "début non daté",
        "hint": "Survolez un pays, ou placez-y le focus, pour lire sa relation ; sélectionnez-le pour ouvrir sa page.",
        "no_relation": "{name} : aucune relation avec l'OTAN ce jour-là",
        "not_in_data": "{name} : absent des données de natograph",
        "skip": "Passer la carte : les pays en listes",
        "lists": "Les pays par relation, {date}",
        "empty": "aucun",
        "source": "D'après les requêtes enregistrées members et partners, au dernier jour de l'année "
                  "(aujourd'hui pour l'année en cours) : les réponses de natograph query partners -p as_of=ANNÉE. "
                  "Carte : Natural Earth (domaine public), projection Equal Earth.",
        "data": "Les données de la carte (JSON)",
        "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                   "octobre", "novembre", "décembre"],
        "colon": " :",
        "other": "English", "console_link": "Requêtes et SPARQL", "downloads": "Téléchargements",
        "ontology": "Ontologie",
        "console": "Interroger le graphe",
        "console_intro": "Lancez une requête enregistrée avec vos paramètres, ou écrivez du SPARQL ; chaque résultat "
                         "se télécharge en CSV ou en JSON.",
        "catalogue": "Requêtes enregistrées", "run": "Exécuter", "results": "Résultats", "editor": "Éditeur SPARQL",
        "example": "Exemple", "timeline": "Qui a rejoint quel cadre, et quand (partenaires actuels)",
        "chart": "Partenaires par cadre, aujourd'hui", "download": "Télécharger", "stated": "selon l'OTAN",
    },
}


def words(lang: str) -> dict:
    if lang not in WORDS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return WORDS[lang]


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


def page_html(data: Mapping, *, lang: str, day: str, max_year: int, today: bool, link: str, nav, home_href: str,
              other_lang_href: str, data_href: str = "map.json", console: Mapping | None = None) -> str:
    """The whole page (``index.html``): the map as of *day*, then the query console when *console*
    (the template's ``queries``, ``timeline`` and ``bars``: the server's; the release has none)."""
    from .templating import environment

    view = map_view(data, lang=lang, day=day, max_year=max_year, today=today, link=link, data_href=data_href)
    return environment().get_template("index.html").render(
        lang=lang, other_lang="fr" if lang == "en" else "en", map=view, t=view["w"], nav=nav, home_href=home_href,
        other_lang_href=other_lang_href, console=console is not None, **(console or {}))
