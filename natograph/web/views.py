"""The answers of ``natograph serve`` for people as well as programs: search (``/search``), the query
console (``/queries`` as HTML), a stored query's results as a page (``/queries/NAME`` as HTML), a
resource's story as data (``/id/...json``), and the error pages (404 and the other errors a browser
asks for, in the visitor's language). Each is a ``jobs.Answer`` computed from the store (in a
thread: the functions here block), so the routes (``app``) can send it, or keep it, as they do a
worker's. The pages are drawn by ``natograph.pages`` in the frame of ``templates/base.html``.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from .jobs import Answer, error
from .negotiation import negotiate

_HTML = "text/html; charset=utf-8"
RESULTS_JSON = "application/sparql-results+json"


def language(value: str | None) -> str:
    """A page's language: ``lang=fr`` gives French; anything else English."""
    return "fr" if value == "fr" else "en"


def wants_html(accept: str | None, fmt: str | None, data_types: list[str]) -> bool:
    """Whether the client prefers a page to every one of *data_types* (a browser does; a program
    asking for ``*/*`` or a data type does not)."""
    return negotiate(accept, [*data_types, "text/html"], fmt) == "text/html"


def root_of(path: str) -> str:
    """The way up from a request's *path* to the site's top: ``""`` for ``/search``, ``"../../"``
    for ``/id/country/XX``."""
    return "../" * max(path.count("/") - 1, 0)


def _html(page: str, status: int = 200) -> Answer:
    return Answer(status, _HTML, page.encode("utf-8"))


def error_answer(accept: str | None, path: str, lang: str | None, status: int, detail: str) -> Answer:
    """The error *status* as a page in the visitor's language when a browser asks (a 404 names the
    path asked for; another error shows natograph's own message, *detail*), else *detail* in one line."""
    if not wants_html(accept, None, ["text/plain", "application/json"]):
        return error(status, detail)
    from ..pages.layout import error_html

    lang = language(lang)
    other = "fr" if lang == "en" else "en"
    page = error_html(lang=lang, status=status, detail=path if status == 404 else detail, root=root_of(path),
                      other_href=f"{path.rsplit('/', 1)[-1] or './'}?lang={other}")
    return _html(page, status)


def search_answer(engine, text: str, lang: str | None, limit: str | None, as_html: bool) -> Answer:
    """What ``/search?q=TEXT`` answers: ``[{iri, label, kind}]``, or the page of results; a text
    too long or a ``limit`` outside its bounds is a 400 (in the page's language on the page)."""
    from ..pages import layout, search
    from ..pages.messages import messages

    lang = language(lang)
    t = messages(lang)
    found, total, count, problem = [], 0, search.DEFAULT_RESULTS, ""
    if len(text) > search.MAX_CHARS:
        problem = t["search_too_long"].format(n=search.MAX_CHARS)
    elif limit is not None and not (limit.isascii() and limit.isdigit() and 1 <= int(limit) <= search.MAX_RESULTS):
        problem = t["search_bad_limit"].format(n=search.MAX_RESULTS)
    else:
        count = int(limit) if limit is not None else count
        found, total = search.search(search.index(engine), text, lang=lang, limit=count)
    if not as_html:
        if problem:
            return Answer(400, "application/json", json.dumps({"error": problem}, ensure_ascii=False).encode("utf-8"))
        return Answer(200, "application/json", json.dumps(search.as_json(found, lang), ensure_ascii=False).encode("utf-8"))
    other = "fr" if lang == "en" else "en"
    asked = {"q": text, **({"lang": other} if other != "en" else {}), **({"limit": limit} if limit else {})}
    site = layout.frame(lang=lang, query=text[: search.MAX_CHARS], data_as_of=layout.data_as_of(engine),
                        other_href="search?" + urlencode(asked))
    suffix = "?lang=fr" if lang == "fr" else ""
    page = search.page_html(lang=lang, site=site, text=text, found=found, total=total, limit=count,
                            link=lambda e: e["path"] + suffix, error=problem)
    return _html(page, 400 if problem else 200)


def queries_answer(engine, lang: str | None) -> Answer:
    from .console import queries_html

    return _html(queries_html(engine, lang=language(lang)))


def results_answer(engine, name: str, values: dict[str, str], lang: str | None, ran: Answer, max_rows: int,
                   accept: str | None) -> Answer:
    """A stored query's results as a page, from *ran*: the worker's answer to the query run as for a
    program (SPARQL JSON, ``RESULTS_JSON``); an error is its page, with the command line's message."""
    from .console import results_html

    lang = language(lang)
    if ran.status != 200:
        try:
            detail = json.loads(ran.body)["error"]
        except (ValueError, KeyError, TypeError):
            detail = ran.body.decode("utf-8", "replace").strip()
        return error_answer(accept, f"/queries/{name}", lang, ran.status, detail)
    truncated = any(key.lower() == "natograph-truncated" for key in ran.headers)
    return _html(results_html(engine, name, values, lang=lang, results=json.loads(ran.body), truncated=truncated,
                              max_rows=max_rows))


def story_answer(engine, iri: str, lang: str | None) -> Answer:
    """A resource's story as data (``render.story_json``), or a 404."""
    from ..pages import render

    data = render.story_json(engine, iri, lang=language(lang))
    if data is None:
        return error(404, f"no story for {iri}")
    return Answer(200, "application/json", json.dumps(data, ensure_ascii=False).encode("utf-8"))
