"""The routes of ``natograph serve`` that answer people as well as programs: search (``/search``), the
query console (``/queries`` as HTML), a stored query's results as a page (``/queries/NAME`` as
HTML), a resource's story as data (``/id/...json``), and the error pages (404 and the other errors
a browser asks for, in the visitor's language). ``make_app`` (``app``) wires them.

Every page is drawn by ``natograph.pages`` in the frame of ``templates/base.html``.
"""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .negotiation import negotiate

_TEXT = "text/plain; charset=utf-8"
_RESULTS_JSON = "application/sparql-results+json"


def language(request: Request) -> str:
    """The page's language: ``lang=fr`` gives French; anything else English."""
    return "fr" if request.query_params.get("lang") == "fr" else "en"


def wants_html(request: Request, data_types: list[str]) -> bool:
    """Whether the client prefers a page to every one of *data_types* (a browser does; a program
    asking for ``*/*`` or a data type does not)."""
    chosen = negotiate(request.headers.get("accept"), [*data_types, "text/html"], request.query_params.get("format"))
    return chosen == "text/html"


def _root(request: Request) -> str:
    """The way up from the request's path to the site's top: ``""`` for ``/search``, ``"../../"`` for
    ``/id/country/XX``."""
    return "../" * max(request.url.path.count("/") - 1, 0)


def error_page(request: Request, status: int, detail: str = "") -> Response:
    """The error *status* as a page in the visitor's language when a browser asks, else one line of text."""
    if not wants_html(request, ["text/plain", "application/json"]):
        return Response((detail or "not found") + "\n", status, media_type=_TEXT)
    from ..pages.layout import error_html

    lang = language(request)
    other = "fr" if lang == "en" else "en"
    page = error_html(lang=lang, status=status, detail=detail, root=_root(request),
                      other_href=f"{request.url.path.rsplit('/', 1)[-1] or './'}?lang={other}")
    return HTMLResponse(page, status_code=status)


async def not_found(request: Request, exc) -> Response:
    return error_page(request, 404, request.url.path)


def search_route(state):
    async def search(request: Request) -> Response:
        from ..pages import layout, search
        from ..pages.messages import messages

        lang = language(request)
        text = request.query_params.get("q", "")
        as_json = not wants_html(request, ["application/json"])
        t = messages(lang)
        found, total, limit, error = [], 0, search.DEFAULT_RESULTS, ""
        raw = request.query_params.get("limit")
        if len(text) > search.MAX_CHARS:
            error = t["search_too_long"].format(n=search.MAX_CHARS)
        elif raw is not None and not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= search.MAX_RESULTS):
            error = t["search_bad_limit"].format(n=search.MAX_RESULTS)
        else:
            limit = int(raw) if raw is not None else limit
            entries = await run_in_threadpool(search.index, state["engine"])
            found, total = search.search(entries, text, lang=lang, limit=limit)
        if as_json:
            if error:
                return JSONResponse({"error": error}, status_code=400)
            return JSONResponse(search.as_json(found, lang), headers={"Vary": "Accept"})
        other = "fr" if lang == "en" else "en"
        site = layout.frame(lang=lang, current=None, query=text[: search.MAX_CHARS],
                            data_as_of=await run_in_threadpool(layout.data_as_of, state["engine"]),
                            other_href="search?" + _query({"q": text, "lang": other}))
        suffix = "?lang=fr" if lang == "fr" else ""
        page = search.page_html(lang=lang, site=site, text=text, found=found, total=total, limit=limit,
                                link=lambda e: e["path"] + suffix, error=error)
        return HTMLResponse(page, status_code=400 if error else 200, headers={"Vary": "Accept"})

    return search


def _query(values: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in values.items() if v and not (k == "lang" and v == "en")})


def queries_page(state):
    async def page(request: Request) -> Response:
        from .console import queries_html

        return HTMLResponse(await run_in_threadpool(queries_html, state["engine"], lang=language(request)),
                            headers={"Vary": "Accept"})

    return page


async def results_page(request: Request, state, settings, name: str, values: dict[str, str]) -> Response:
    """A stored query's results as a page: the query runs in a worker as for a program (SPARQL JSON),
    then the page shows the rows; a bad parameter is the 400 page with the command line's message."""
    from . import sparql
    from .console import results_html

    lang = language(request)
    job = ("stored", name, {**values, "lang": lang}, _RESULTS_JSON, None)
    answer = await sparql.run(state["pool"], job, settings)
    if answer.status_code != 200:
        try:
            detail = json.loads(answer.body)["error"]
        except (ValueError, KeyError, TypeError):
            detail = answer.body.decode("utf-8", "replace").strip()
        return error_page(request, answer.status_code, detail)
    results = json.loads(answer.body)
    truncated = "natograph-truncated" in answer.headers
    page = await run_in_threadpool(results_html, state["engine"], name, values, lang=lang, results=results,
                                   truncated=truncated, max_rows=settings.max_rows)
    return HTMLResponse(page, headers={"Vary": "Accept"})


async def story_json(request: Request, engine, iri: str) -> Response:
    from ..pages import render

    data = await run_in_threadpool(render.story_json, engine, iri, lang=language(request))
    if data is None:
        return Response(f"no story for {iri}\n", 404, media_type=_TEXT)
    return JSONResponse(data, headers={"Vary": "Accept"})
