"""``make_app(settings)``: the ASGI application of ``natograph serve``. Routes only: the protocol is
in ``sparql``, the pages in ``natograph.pages`` (drawn by ``home``, ``console`` and ``views``: search,
the console, results pages, stories as data, error pages), the query work in ``jobs`` (run by
``workers``)."""

from __future__ import annotations

import asyncio
import contextlib

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..errors import ParameterError
from ..pages import render
from ..pages.templating import STATIC
from . import catalogue, describe, sparql, views
from .home import home_html, map_data, parse_year
from .jobs import Answer
from .negotiation import negotiate
from .settings import Settings
from .workers import WorkerPool

_RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
}
_SUFFIXES = {".json": "application/json", ".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
             ".rdf": "application/rdf+xml", ".html": "text/html", ".en.html": "text/html", ".fr.html": "text/html"}
_TEXT = "text/plain; charset=utf-8"


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _rdf_response(triples, request: Request, prefixes: dict[str, str]) -> Response:
    media = negotiate(request.headers.get("accept"), ["text/turtle", *_RDF_TYPES], request.query_params.get("format"))
    if media is None or media not in _RDF_TYPES:
        return Response("available: " + ", ".join(_RDF_TYPES) + "\n", 406, media_type=_TEXT)
    body = ox.serialize(triples, format=render.FORMATS[_RDF_TYPES[media]], prefixes=prefixes)
    return Response(body, media_type=media, headers={"Vary": "Accept"})


def _error(request: Request, status: int, detail: str) -> Response:
    """An error as a page in the visitor's language to a browser, else as one line of text."""
    return sparql.to_response(views.error_answer(request.headers.get("accept"), request.url.path,
                                                 request.query_params.get("lang"), status, detail))


def make_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    state: dict = {}

    @contextlib.asynccontextmanager
    async def lifespan(app):
        from ..graph.store.opening import open_engine

        state["engine"] = await run_in_threadpool(open_engine, settings.graph_files)
        # The map's data (a second of queries, kept by home.map_data): begun now, in the background.
        state["map"] = asyncio.get_running_loop().run_in_executor(None, map_data, state["engine"])
        pool = WorkerPool(settings.workers, timeout=settings.timeout, queue_timeout=settings.queue_timeout,
                          max_rows=settings.max_rows, files=settings.graph_files,
                          memory_triples=settings.memory_triples)
        await pool.start()
        state["pool"] = pool
        app.state.pool = pool
        try:
            yield
        finally:
            await pool.close()

    def service_description(request: Request) -> Response:
        endpoint = sparql.endpoint_url(request, settings)
        return _rdf_response(describe.service_triples(state["engine"], endpoint), request, describe.PREFIXES)

    async def sparql_route(request: Request) -> Response:
        return await sparql.endpoint(request, state["pool"], settings, service_description)

    async def void(request: Request) -> Response:
        triples = await run_in_threadpool(describe.void_triples, state["engine"], _base_url(request) + "/sparql")
        return _rdf_response(triples, request, describe.PREFIXES)

    def _wants_html(request: Request, data_types: list[str]) -> bool:
        return views.wants_html(request.headers.get("accept"), request.query_params.get("format"), data_types)

    async def queries(request: Request) -> Response:
        if _wants_html(request, ["application/json"]):
            answer = await run_in_threadpool(views.queries_answer, state["engine"], request.query_params.get("lang"))
            return sparql.to_response(answer)
        try:
            return JSONResponse(catalogue.listing(catalogue.language(request.query_params.get("lang"))))
        except ParameterError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)

    async def openapi(request: Request) -> Response:
        try:
            lang = catalogue.language(request.query_params.get("lang"))
        except ParameterError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        return JSONResponse(catalogue.openapi(_base_url(request), lang))

    async def stored(request: Request) -> Response:
        name = request.path_params["name"]
        values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key == "format":
                continue
            if key in values:
                return JSONResponse({"error": f"parameter {key!r} given twice"}, status_code=400)
            values[key] = value
        if _wants_html(request, [views.RESULTS_JSON, "text/csv"]):  # a browser: the results as a page
            lang = values.pop("lang", None)
            ran = await sparql.run(state["pool"], ("stored", name, {**values, "lang": views.language(lang)},
                                                    views.RESULTS_JSON, None), settings)
            ran = Answer(ran.status_code, ran.media_type or "", bytes(ran.body), dict(ran.headers))
            answer = await run_in_threadpool(views.results_answer, state["engine"], name, values, lang, ran,
                                             settings.max_rows, request.headers.get("accept"))
            return sparql.to_response(answer)
        job = ("stored", name, values, request.headers.get("accept"), request.query_params.get("format"))
        return await sparql.run(state["pool"], job, settings)

    async def resource(request: Request) -> Response:
        path = request.url.path.lstrip("/")
        engine = state["engine"]
        iri = render.BASE + path
        media, lang = None, request.query_params.get("lang", "en")
        if not await run_in_threadpool(render.describe_exists, engine, iri):
            for suffix, suffix_media in sorted(_SUFFIXES.items(), key=lambda item: -len(item[0])):
                if path.endswith(suffix):
                    iri = render.BASE + path[: -len(suffix)]
                    media = suffix_media
                    if suffix in (".en.html", ".fr.html"):
                        lang = suffix[1:3]
                    break
            else:
                return _error(request, 404, f"no resource {render.BASE + path}")
        if media is None:
            media = negotiate(request.headers.get("accept"), ["text/html", *_RDF_TYPES, "application/json"],
                              request.query_params.get("format"))
        if media is None:
            return Response("available: text/html, " + ", ".join(_RDF_TYPES) + ", application/json\n", 406,
                            media_type=_TEXT)
        headers = {"Vary": "Accept", "Content-Location": request.url.path}
        if media == "application/json":
            return sparql.to_response(await run_in_threadpool(views.story_answer, engine, iri, lang))
        if media == "text/html":
            page = await run_in_threadpool(render.resource_html, engine, iri, lang=lang)
            if page is None:
                return _error(request, 404, f"no resource {iri}")
            return HTMLResponse(page, headers=headers)
        body = await run_in_threadpool(render.resource_rdf, engine, iri, _RDF_TYPES[media])
        if body is None:
            return Response(f"no resource {iri}\n", 404, media_type=_TEXT)
        return Response(body, media_type=media, headers=headers)

    async def home(request: Request) -> Response:
        lang = request.query_params.get("lang", "en")
        if lang not in ("en", "fr"):
            lang = "en"
        try:
            year = parse_year(request.query_params.get("year"))
        except ParameterError as exc:
            return Response(f"{exc}\n", 400, media_type=_TEXT)
        page = await run_in_threadpool(home_html, state["engine"], lang=lang, settings=settings, year=year)
        return HTMLResponse(page)

    async def map_json(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(map_data, state["engine"]))

    async def search(request: Request) -> Response:
        params = request.query_params
        answer = await run_in_threadpool(views.search_answer, state["engine"], params.get("q", ""), params.get("lang"),
                                         params.get("limit"), _wants_html(request, ["application/json"]))
        return sparql.to_response(answer)

    async def health(request: Request) -> Response:
        pool = state["pool"]
        return JSONResponse({"workers": pool.pids(), "replaced": pool.killed})

    routes = [
        Route("/", home, methods=["GET", "HEAD"]),
        Route("/sparql", sparql_route, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]),
        Route("/queries", queries, methods=["GET", "HEAD"]),
        Route("/queries/{name}", stored, methods=["GET", "HEAD"]),
        Route("/openapi.json", openapi, methods=["GET", "HEAD"]),
        Route("/.well-known/void", void, methods=["GET", "HEAD"]),
        Route("/map.json", map_json, methods=["GET", "HEAD"]),
        Route("/search", search, methods=["GET", "HEAD"]),
        Route("/health", health, methods=["GET"]),
        Route("/ontology", resource, methods=["GET", "HEAD"]),
        Route("/ontology{suffix:path}", resource, methods=["GET", "HEAD"]),
        Route("/id/{rest:path}", resource, methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    middleware = [Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type"], expose_headers=["Natograph-Rows", "Natograph-Truncated"])]
    async def not_found(request: Request, exc) -> Response:
        return _error(request, 404, f"no page at {request.url.path}")

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan, exception_handlers={404: not_found})
    app.state.settings = settings
    return app
