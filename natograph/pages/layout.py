"""The frame every page draws around its content (``templates/base.html``): a skip link, the header
with the navigation, the search box and the language switch, and the footer with the day the data
is as of, the version and the licence. ``frame(...)`` gives the template its ``site``.

A page is drawn for one of two places: ``SERVER`` (``natograph serve``: the routes ``/``, ``/queries``,
``/search``, ``/ontology``, ``/openapi.json`` exist; a language is ``?lang=fr``) or ``RELEASE`` (the
static site: files only, ``map.fr.html``, ``search.fr.html``, no query console, no API). Links are
relative to the page (*root* is the way up to the site's top: ``""``, ``"../../"``), so the same
pages work at any address, served or as files.
"""

from __future__ import annotations

from .messages import human_date, messages, other_language

SERVER = "server"
RELEASE = "release"
SEARCH_MAX_CHARS = 200
"""The longest search text the box takes (and ``/search`` answers): ``docs/limits.md``."""

LICENCE = "https://creativecommons.org/licenses/by/4.0/"


def frame(*, lang: str, root: str = "", mode: str = SERVER, other_href: str, current: str | None = None,
          query: str = "", data_as_of: str = "") -> dict:
    """What ``base.html`` shows around a page in *lang*: *root* leads from the page to the site's top,
    *other_href* is this page in the other language, *current* names the navigation entry the page
    is (``map``, ``queries``, ``ontology``...), *query* what the search box shows, *data_as_of* the
    day the data is as of (ISO; ``""`` when the graph does not say)."""
    if mode not in (SERVER, RELEASE):
        raise ValueError(f"unknown place {mode!r}: {SERVER} or {RELEASE}")
    t = messages(lang)
    up = root or "./"
    if mode == SERVER:
        suffix = "?lang=fr" if lang == "fr" else ""
        home = up + suffix
        nav = [("map", home, t["nav_map"]), ("queries", f"{root}queries{suffix}", t["nav_queries"]),
               ("sparql", f"{root}queries{suffix}#sparql", t["nav_sparql"]),
               ("ontology", f"{root}ontology{suffix}", t["nav_ontology"]),
               ("api", f"{root}openapi.json{suffix}", t["nav_api"])]
        search, void = f"{root}search", f"{root}.well-known/void"
    else:
        home = f"{root}map.{lang}.html"
        nav = [("map", home, t["nav_map"]), ("ontology", f"{root}doc/index.html", t["nav_ontology"]),
               ("data", f"{root}index.html", t["nav_data"])]
        search, void = f"{root}search.{lang}.html", f"{root}void.ttl"
    return {
        "lang": lang, "t": t, "mode": mode, "home": home, "static": f"{root}static/",
        "nav": [{"key": key, "href": href, "text": text, "current": key == current} for key, href, text in nav],
        "search_action": search, "search_lang": lang if mode == SERVER and lang != "en" else None,
        "query": query, "search_max": SEARCH_MAX_CHARS,
        "other_lang": other_language(lang), "other_href": other_href,
        "as_of": t["footer_as_of"].format(date=human_date(data_as_of, lang)) if data_as_of else "",
        "version": t["footer_version"].format(version=_version()), "licence": LICENCE, "void": void,
    }


def _version() -> str:
    from .._version import __version__

    return __version__


def data_as_of(engine) -> str:
    """The day the data of *engine* is as of, for the footer (``""`` when the graph does not say):
    the graph layer's ``natograph.graph.currency.data_as_of``."""
    from ..graph.currency import data_as_of as read

    return read(engine)


def error_html(*, lang: str, status: int, detail: str, root: str, other_href: str, mode: str = SERVER) -> str:
    """An error page in *lang*: what happened in the visitor's words, natograph's own message
    (*detail*, as the command line says it) beneath, the way back to the map and the search box."""
    from .templating import environment

    t = messages(lang)
    heading, text = {404: ("error_404", "error_404_text"), 400: ("error_400", "error_400_text"),
                     503: ("error_503", "error_503_text")}.get(status, ("error_other", "error_400_text"))
    site = frame(lang=lang, root=root, mode=mode, other_href=other_href)
    return environment().get_template("error.html").render(
        site=site, t=t, title=t[heading], heading=t[heading], text=t[text], detail=detail, status=status)
