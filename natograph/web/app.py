"""``make_app(settings)``: the ASGI application of ``natograph serve``. Routes only: the protocol is
in ``sparql``, the answers the server computes itself in ``resources`` (pages, RDF) and ``views`` (search,
the console, a query's results as a page, stories as data, error pages), the query work in ``jobs``
(run by ``workers``, in two lanes), validators and kept answers in ``caching``, the headers every
response carries in ``headers``."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route

from ..errors import ParameterError
from ..pages.templating import STATIC
from . import catalogue, resources, sparql, views
from .caching import AnswerCache, Validators, stable, today
from .headers import Guard
from .home import map_data
from .jobs import Answer
from .settings import Settings
from .static import StaticFiles
from .workers import Lane, Refused, WorkerPool

_TEXT = "text/plain; charset=utf-8"


def lanes(settings: Settings) -> dict[str, Lane]:
    """The two lanes of workers: the stored queries', and /sparql's (each query in a process of its own)."""
    files = None if settings.graph_files is None else tuple(str(f) for f in settings.graph_files)
    common = dict(timeout=settings.timeout, max_rows=settings.max_rows, queue=settings.queue,
                  queue_timeout=settings.queue_timeout, per_client=settings.per_client,
                  max_answer=settings.max_answer, memory_triples=settings.memory_triples, files=files)
    return {"stored": Lane("stored", settings.stored_workers, **common),
            "sparql": Lane("sparql", settings.workers, isolated=True, max_memory=settings.max_memory, **common)}


def _code_hash() -> str:
    """A hash of the package's code, templates and static files: what shapes an answer besides the data."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".html", ".css", ".js", ".json") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _json(status: int, value) -> Answer:
    return Answer(status, "application/json", json.dumps(value, ensure_ascii=False).encode("utf-8"))


def _refused(exc: Refused) -> Response:
    return Response(str(exc) + "\n", exc.status, media_type=_TEXT, headers={"Retry-After": str(exc.retry_after)})


def _accept_and_format(request: Request) -> tuple[str | None, str | None]:
    return request.headers.get("accept"), request.query_params.get("format")


class _Server:
    """What the routes share once the app has started: the store, the validators, the kept answers,
    the two lanes of workers."""

    def __init__(self, settings: Settings, engine=None) -> None:
        self.settings = settings
        self.engine = engine
        self.endpoint = settings.public + "/sparql"
        self.pools: dict[str, WorkerPool] = {}

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        from ..graph.store.opening import open_engine
        from ..queries.catalogue import catalogue as stored_queries

        if self.engine is None:
            self.engine = await run_in_threadpool(open_engine, self.settings.graph_files)
        # The map's data (a second of queries, kept by home.map_data): begun now, in the background.
        self.map = asyncio.get_running_loop().run_in_executor(None, map_data, self.engine)
        texts = "".join(q.text for _, q in sorted(stored_queries().items()))
        self.validators = Validators(self.engine, self.settings, texts + await run_in_threadpool(_code_hash))
        self.cache = AnswerCache(self.settings.cache)
        self.pools = {name: WorkerPool(lane) for name, lane in lanes(self.settings).items()}
        try:
            for pool in self.pools.values():
                await pool.start()
            yield
        finally:
            for pool in self.pools.values():
                await pool.close()

    async def kept(self, request: Request, compute, *extra: str, keep: bool = True) -> Response:
        """A GET's answer: 304 when the client has it, else the kept one, else the one an identical
        request in flight computes, else ``compute()``'s (kept unless *keep* is false)."""
        tag = self.validators.etag(request, *extra)
        if self.validators.fresh(request, tag):
            return self.validators.not_modified(tag)
        try:
            answer = await self.cache.run(tag, compute, keep=keep)
        except Refused as exc:
            return _refused(exc)
        return self.validators.stamp(sparql.to_response(answer), tag)

    def in_thread(self, function, *args):
        """``compute()`` for ``kept``: *function*(engine, *args) in a thread."""
        async def compute() -> Answer:
            return await run_in_threadpool(function, self.engine, *args)
        return compute

    def on_lane(self, name: str, job, request: Request):
        async def compute() -> Answer:
            return await self.pools[name].run(job, _client(request))
        return compute

    async def sparql(self, request: Request) -> Response:
        try:
            operation = await sparql.read_operation(request, self.settings)
        except sparql.ProtocolError as exc:
            return exc.response()
        if operation is None:
            description = self.in_thread(resources.service_description, self.endpoint, *_accept_and_format(request))
            return await self.kept(request, description)
        job = ("sparql", operation.text, *_accept_and_format(request), self.endpoint, operation.dataset)
        compute = self.on_lane("sparql", job, request)
        if request.method in ("GET", "HEAD") and stable(operation.text):
            return await self.kept(request, compute, today(), keep=False)
        try:
            return sparql.to_response(await compute())
        except Refused as exc:
            return _refused(exc)

    async def stored(self, request: Request) -> Response:
        values: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key == "format":
                continue
            if key in values:
                return JSONResponse({"error": f"parameter {key!r} given twice"}, status_code=400)
            values[key] = value
        name = request.path_params["name"]
        accept, fmt = _accept_and_format(request)
        if views.wants_html(accept, fmt, [views.RESULTS_JSON, "text/csv"]):  # a browser: the results as a page
            return await self.kept(request, self._results_page(request, name, values), today())
        job = ("stored", name, values, accept, fmt)
        return await self.kept(request, self.on_lane("stored", job, request), today())

    def _results_page(self, request: Request, name: str, values: dict[str, str]):
        async def compute() -> Answer:
            asked = dict(values)
            lang = asked.pop("lang", None)
            job = ("stored", name, {**asked, "lang": views.language(lang)}, views.RESULTS_JSON, None)
            ran = await self.pools["stored"].run(job, _client(request))
            return await run_in_threadpool(views.results_answer, self.engine, name, asked, lang, ran,
                                           self.settings.max_rows, request.headers.get("accept"))
        return compute

    async def queries(self, request: Request) -> Response:
        """The catalogue: the console to a browser, JSON to a program."""
        if views.wants_html(*_accept_and_format(request), ["application/json"]):
            return await self.kept(request, self.in_thread(views.queries_answer, request.query_params.get("lang")))
        return await self.api(catalogue.listing)(request)

    async def search(self, request: Request) -> Response:
        params = request.query_params
        html = views.wants_html(*_accept_and_format(request), ["application/json"])
        return await self.kept(request, self.in_thread(views.search_answer, params.get("q", ""), params.get("lang"),
                                                       params.get("limit"), html))

    def api(self, function):
        """The route of a JSON answer of the API, in the asked language (400 for another)."""
        async def route(request: Request) -> Response:
            async def compute() -> Answer:
                try:
                    return _json(200, function(catalogue.language(request.query_params.get("lang"))))
                except ParameterError as exc:
                    return _json(400, {"error": str(exc)})
            return await self.kept(request, compute)
        return route

    async def void(self, request: Request) -> Response:
        return await self.kept(request, self.in_thread(resources.void, self.endpoint, *_accept_and_format(request)))

    async def resource(self, request: Request) -> Response:
        path = request.url.path.lstrip("/")
        return await self.kept(request, self.in_thread(resources.resource, path, *_accept_and_format(request),
                                                       request.query_params.get("lang")))

    async def home(self, request: Request) -> Response:
        params = request.query_params
        return await self.kept(request, self.in_thread(resources.home, params.get("lang"), params.get("year"),
                                                       self.settings), today())

    async def map_json(self, request: Request) -> Response:
        return await self.kept(request, self.in_thread(resources.map_json), today())

    async def health(self, request: Request) -> Response:
        lanes = {name: pool.health() for name, pool in self.pools.items()}
        return JSONResponse({"workers": sorted(pid for lane in lanes.values() for pid in lane["workers"]),
                             "replaced": sum(lane["replaced"] for lane in lanes.values()),
                             "kept": self.cache.hits, "lanes": lanes})

    def routes(self) -> list[Route]:
        return [
            Route("/", self.home, methods=["GET", "HEAD"]),
            Route("/sparql", self.sparql, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]),
            Route("/queries", self.queries, methods=["GET", "HEAD"]),
            Route("/queries/{name}", self.stored, methods=["GET", "HEAD"]),
            Route("/openapi.json", self.api(lambda lang: catalogue.openapi(self.settings.public, lang)),
                  methods=["GET", "HEAD"]),
            Route("/.well-known/void", self.void, methods=["GET", "HEAD"]),
            Route("/map.json", self.map_json, methods=["GET", "HEAD"]),
            Route("/search", self.search, methods=["GET", "HEAD"]),
            Route("/health", self.health, methods=["GET"]),
            Route("/ontology", self.resource, methods=["GET", "HEAD"]),
            Route("/ontology{suffix:path}", self.resource, methods=["GET", "HEAD"]),
            Route("/id/{rest:path}", self.resource, methods=["GET", "HEAD"]),
            Route("/static/{path:path}", StaticFiles(STATIC, self.settings.max_age).serve, methods=["GET", "HEAD"]),
        ]


def _errors(routes: list[Route]):
    async def http_error(request: Request, exc: HTTPException) -> Response:
        """The router's errors in one line; a path with one slash too many is redirected, relatively
        (never to the request's Host)."""
        path = request.url.path
        if exc.status_code == 404 and path.endswith("/") and not path.endswith("//") and path != "/":
            stripped = {**request.scope, "path": path[:-1]}
            if any(route.matches(stripped)[0] is Match.FULL for route in routes):
                query = request.scope.get("query_string", b"").decode("latin-1")
                location = "../" + path[:-1].rpartition("/")[2] + ("?" + query if query else "")
                return Response(status_code=307, headers={"Location": location})
        if exc.status_code == 404:  # a page in the visitor's language to a browser, else the one line
            answer = views.error_answer(request.headers.get("accept"), path, request.query_params.get("lang"), 404,
                                        f"no page at {path}")
            return sparql.to_response(answer)
        return Response(f"{exc.detail}\n", exc.status_code, media_type=_TEXT, headers=exc.headers)

    return {HTTPException: http_error}


def make_app(settings: Settings | None = None, *, engine=None) -> Starlette:
    """The app serving *settings*; *engine*: the store, when the caller opened it already (``serve``
    does, so that bad input is one line before the server starts)."""
    settings = settings or Settings()
    server = _Server(settings, engine)
    routes = server.routes()
    middleware = [Middleware(Guard),
                  Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                             allow_headers=["Accept", "Content-Type", "If-None-Match"],
                             expose_headers=["Natograph-Rows", "Natograph-Truncated", "ETag", "Retry-After"])]
    app = Starlette(routes=routes, middleware=middleware, lifespan=server.lifespan, exception_handlers=_errors(routes))
    app.router.redirect_slashes = False
    app.state.settings = settings
    return app
