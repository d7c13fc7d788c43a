"""The SPARQL 1.1 Protocol (https://www.w3.org/TR/sparql11-protocol/), read-only, implemented once.

``read_operation`` turns a request into an ``Operation`` (or the error the protocol prescribes);
the app gives it to a worker and ``to_response`` turns the worker's answer into a response. Updates are refused
(403) whichever way they arrive; a query that is really an update, or that uses SERVICE or LOAD, is
refused as a bad request (400) by ``natograph.queries.lexer.check_safe`` in the worker, and so is FROM /
FROM NAMED unless dataset parameters override it.

Dataset parameters: ``default-graph-uri`` and ``named-graph-uri`` (by GET, or POST in the URL or the
form, each as many times as needed; each an absolute IRI, else 400) make the query's dataset, with
the Protocol's meaning over the graphs natograph holds: each file's graph, ``.../graph/asserted``
and ``.../graph/inferred`` (``natograph.web.dataset`` says which, and what an unknown IRI gives: an
empty graph, never a fetch). ``using-graph-uri`` and ``using-named-graph-uri`` belong to updates:
a query carrying them is refused (400).

Relative IRIs in a query resolve against the endpoint's URL as the service description gives it
(``sd:endpoint``): ``--base-url`` + ``/sparql``, never what a request's ``Host`` says; a query's own
``BASE`` wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import Response

from .jobs import Answer
from .settings import Settings

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
_TEXT = "text/plain; charset=utf-8"


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status

    def response(self) -> Response:
        return Response(str(self) + "\n", status_code=self.status, media_type=_TEXT)


async def read_body(request: Request, settings: Settings) -> bytes:
    """The request body, refused (413) past ``settings.max_body`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > settings.max_body:
        raise ProtocolError(413, f"request body over {settings.max_body} bytes (--max-body)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > settings.max_body:
            raise ProtocolError(413, f"request body over {settings.max_body} bytes (--max-body)")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"{what} is not UTF-8") from None


def _pairs(raw: bytes | str, what: str) -> list[tuple[str, str]]:
    text = _decode(raw, what) if isinstance(raw, bytes) else raw
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"{what} is not UTF-8 once percent-decoded") from None


def _one(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise ProtocolError(400, f"several '{name}' parameters: give exactly one")
    return values[0] if values else None


@dataclass(frozen=True)
class Operation:
    """A query to run: its text and the dataset its parameters name (None: natograph's graph)."""

    text: str
    dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None


def _dataset(pairs: list[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """(default graph IRIs, named graph IRIs) of the dataset parameters, or None when there are none."""
    if any(k in ("using-graph-uri", "using-named-graph-uri") for k, _ in pairs):
        raise ProtocolError(400, "using-graph-uri and using-named-graph-uri are parameters of updates: "
                                 "a query names its dataset with default-graph-uri and named-graph-uri")
    graphs: dict[str, list[str]] = {"default-graph-uri": [], "named-graph-uri": []}
    for key, value in pairs:
        if key in graphs:
            try:
                ox.NamedNode(value)
            except ValueError:
                raise ProtocolError(400, f"{key} {value!r} is not an absolute IRI") from None
            graphs[key].append(value)
    if not graphs["default-graph-uri"] and not graphs["named-graph-uri"]:
        return None
    return tuple(graphs["default-graph-uri"]), tuple(graphs["named-graph-uri"])


async def read_operation(request: Request, settings: Settings) -> Operation | None:
    """The query of a protocol request, or None for GET without a query (the service description).
    Raises ProtocolError with the status the protocol prescribes."""
    query_string = request.scope.get("query_string", b"")
    pairs = _pairs(query_string, "the query string")
    if request.method in ("GET", "HEAD"):
        if _one(pairs, "update") is not None:
            raise ProtocolError(403, "updates are refused: this endpoint is read-only (and updates are never sent by GET)")
        text = _one(pairs, "query")
        if text is None:
            return None
        return Operation(_bounded(text, settings, 414), _dataset(pairs))
    if request.method != "POST":
        raise ProtocolError(405, f"method {request.method} is not allowed: use GET or POST")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == UPDATE:
        raise ProtocolError(403, "updates are refused: this endpoint is read-only")
    body = await read_body(request, settings)
    if media == FORM:
        pairs = pairs + _pairs(body, "the request body")
        if _one(pairs, "update") is not None:
            raise ProtocolError(403, "updates are refused: this endpoint is read-only")
        text = _one(pairs, "query")
        if text is None:
            raise ProtocolError(400, "the form has no 'query' parameter")
    elif media == QUERY:
        if _one(pairs, "query") is not None:
            raise ProtocolError(400, "a POSTed query must not also have a 'query' URL parameter")
        text = _decode(body, "the request body")
    else:
        raise ProtocolError(415, f"unsupported media type {media or '(none)'!r}: send {FORM} or {QUERY}")
    return Operation(_bounded(text, settings, 413), _dataset(pairs))


def _bounded(text: str, settings: Settings, status: int) -> str:
    if len(text) > settings.max_query_length:
        raise ProtocolError(status, f"query over {settings.max_query_length} characters (--max-query-length)")
    if not text.strip():
        raise ProtocolError(400, "the query is empty")
    return text


def to_response(answer: Answer, *, vary: bool = True) -> Response:
    headers = dict(answer.headers)
    if vary:
        headers["Vary"] = "Accept"
    return Response(answer.body, status_code=answer.status, media_type=answer.media_type, headers=headers)
