"""Answers a client or the server keeps: validators (``ETag``, ``Last-Modified``, ``Cache-Control``),
``304 Not Modified``, and the stored queries' answers kept in the server.

Every answer the server gives to a GET is a function of the store's content (its key: a hash of every
input file, natograph's version and the libraries'), the catalogue's text, the server's own settings
that shape an answer, the request's path, query string and ``Accept`` header, and, for the stored
queries and the home page whose defaults say "today", the date. An ``ETag`` is a hash of all that,
known before any work is done: a request whose ``If-None-Match`` names it is answered 304 at once,
without a worker. A stored query's answer is kept (``AnswerCache``, bounded by ``--cache`` MiB) under
that same tag, so a repeat needs no worker either; identical requests in flight share one run.
"""

from __future__ import annotations

import asyncio
import datetime
import hashlib
import re
from collections import OrderedDict
from email.utils import formatdate, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from .._version import __version__
from .jobs import Answer

_UNSTABLE = re.compile(r"\b(?:NOW|RAND|UUID|STRUUID)\s*\(", re.IGNORECASE)
"""Functions whose value changes from one run to the next: a query using them gets no validator."""


def stable(text: str) -> bool:
    """Whether the answer to the query *text* depends only on the store (no NOW(), RAND()...).
    Read on the raw text: a mention in a string or a comment only costs the query its validator."""
    return _UNSTABLE.search(text) is None


def matches(if_none_match: str, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names *etag* (weakly, RFC 9110 13.1.2) or is ``*``."""
    return any(tag.strip().removeprefix("W/") in (etag, "*") for tag in if_none_match.split(","))


def today() -> str:
    return datetime.date.today().isoformat()  # the date a stored query's "today" default binds


class Validators:
    """The validators of one server: its content's hash, the store's date, the cache policy."""

    def __init__(self, engine, settings, catalogue_text: str) -> None:
        seed = hashlib.sha256()
        for part in (engine.key, __version__, catalogue_text, settings.public, settings.max_rows,
                     settings.max_answer):
            seed.update(str(part).encode("utf-8") + b"\0")
        self._seed = seed
        newest = max((path.stat().st_mtime for path in engine.files if path.exists()), default=0)
        self.last_modified = formatdate(int(newest), usegmt=True)
        self._modified = int(newest)
        self.cache_control = f"public, max-age={settings.max_age}"

    def etag(self, request: Request, *extra: str) -> str:
        """The tag of the answer to *request* (and *extra*: what else it depends on)."""
        tag = self._seed.copy()
        for part in (request.url.path, request.scope.get("query_string", b"").decode("latin-1"),
                     request.headers.get("accept", ""), *extra):
            tag.update(part.encode("utf-8", "surrogateescape") + b"\0")
        return '"' + tag.hexdigest()[:32] + '"'

    def fresh(self, request: Request, etag: str) -> bool:
        """Whether the client's copy is *etag*'s (RFC 9110, 13.1.2: If-None-Match first, else If-Modified-Since)."""
        wanted = request.headers.get("if-none-match")
        if wanted is not None:
            return matches(wanted, etag)
        since = request.headers.get("if-modified-since")
        if since and request.method in ("GET", "HEAD"):
            try:
                return parsedate_to_datetime(since).timestamp() >= self._modified
            except (TypeError, ValueError, OverflowError):
                return False
        return False

    def headers(self, etag: str) -> dict[str, str]:
        return {"ETag": etag, "Last-Modified": self.last_modified, "Cache-Control": self.cache_control}

    def not_modified(self, etag: str, *, vary: str | None = "Accept") -> Response:
        headers = self.headers(etag)
        if vary:
            headers["Vary"] = vary
        return Response(status_code=304, headers=headers)

    def stamp(self, response: Response, etag: str) -> Response:
        """*response* with the validators of *etag*, when it is a 200 (errors are not kept)."""
        if response.status_code == 200:
            response.headers.update(self.headers(etag))
        return response


class AnswerCache:
    """Stored queries' answers by tag, the least recently used dropped past *mib* MiB; ``run`` lets
    identical requests in flight share one run."""

    KEPT = (200, 400, 404)
    """Answers that depend only on the request: kept. A 503 (a limit, a full queue) is not."""

    def __init__(self, mib: int) -> None:
        self.limit = mib * 1024 * 1024
        self.size = 0
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._flying: dict[str, asyncio.Future] = {}
        self.hits = 0

    def get(self, tag: str) -> Answer | None:
        answer = self._answers.get(tag)
        if answer is not None:
            self._answers.move_to_end(tag)
            self.hits += 1
        return answer

    def put(self, tag: str, answer: Answer) -> None:
        size = len(answer.body) + 200
        if answer.status not in self.KEPT or size > self.limit or tag in self._answers:
            return
        self._answers[tag] = answer
        self.size += size
        while self.size > self.limit:
            _, dropped = self._answers.popitem(last=False)
            self.size -= len(dropped.body) + 200

    async def run(self, tag: str, compute, *, keep: bool = True) -> Answer:
        """The kept answer of *tag*, or the one a request in flight is computing, or ``compute()``'s
        (kept unless *keep* is false). The run is a task of its own: a client that goes away does not
        stop it for the others. A run that failed (refused to its own client, say) is not shared: the
        others run their own."""
        answer = self.get(tag) if keep else None
        if answer is not None:
            return answer
        task = self._flying.get(tag)
        if task is not None:
            try:
                return await asyncio.shield(task)
            except Exception:  # the other's run failed (refused to its own client, say): not ours to share
                pass
        task = asyncio.ensure_future(compute())
        self._flying[tag] = task
        task.add_done_callback(lambda done: self._landed(tag, done, keep))
        return await asyncio.shield(task)

    def _landed(self, tag: str, task: asyncio.Future, keep: bool) -> None:
        if self._flying.get(tag) is task:
            del self._flying[tag]
        if not task.cancelled() and task.exception() is None and keep:
            self.put(tag, task.result())
