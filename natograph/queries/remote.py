"""Other stores, over HTTP: the SPARQL 1.1 Protocol to query them, the SPARQL 1.1 Graph Store HTTP
Protocol to put the graph into them.

``Endpoint(url)`` runs a query the way the protocol says (https://www.w3.org/TR/sparql11-protocol/):
a GET with ``?query=`` when the URL stays short, else a POST of an ``application/x-www-form-urlencoded``
body, and a POST again when the endpoint refuses the GET (405, 414). It asks for the W3C results
formats (SPARQL JSON, then XML, then TSV) or, for CONSTRUCT and DESCRIBE, for N-Triples, Turtle or
RDF/XML, and reads the answer with pyoxigraph's parsers, whatever the endpoint (Fuseki, GraphDB,
Oxigraph, QLever, Virtuoso...).

``put_graph(url, data)`` replaces one graph of a store (the default graph, or ``graph``) with an HTTP
PUT of N-Triples (https://www.w3.org/TR/sparql11-http-rdf-update/): the store swaps the graph's
content in one request.

Authentication comes from the environment, never from the command line or the URL:
``NATOGRAPH_STORE_TOKEN`` (sent as ``Authorization: Bearer ...``), else ``NATOGRAPH_STORE_USER``
and ``NATOGRAPH_STORE_PASSWORD`` (HTTP Basic).

Every failure (unreachable, refused, too slow, an answer that is not what was asked) is a
``RemoteError``: one line naming the URL, exit code 2 on the command line. urllib is imported on
first use, so a local query does not pay for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox

from ..errors import RemoteError

DEFAULT_TIMEOUT = 60.0
"""Seconds to wait for an endpoint's answer (``--timeout``)."""

GET_LIMIT = 2000
"""Longest request URL sent as a GET; a longer query is POSTed (many servers refuse URLs over 2-8 KB)."""

MAX_ANSWER = 512 * 1024 * 1024
"""Largest answer read from an endpoint, in bytes: a larger one is refused rather than exhausting
memory. ``NATOGRAPH_MAX_ANSWER_MIB`` sets another size (``max_answer_bytes``)."""

MAX_ANSWER_VARIABLE = "NATOGRAPH_MAX_ANSWER_MIB"
MAX_ANSWER_MIB_BOUND = 4096
"""The largest size the variable may set: the answer is held whole, then parsed; 4 GiB is twice what
the default --max-memory lets a command hold."""

TOKEN_VARIABLE = "NATOGRAPH_STORE_TOKEN"
USER_VARIABLE = "NATOGRAPH_STORE_USER"
PASSWORD_VARIABLE = "NATOGRAPH_STORE_PASSWORD"

_RESULTS_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                   "text/tab-separated-values;q=0.5")
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_RESULTS_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' media type before RDF 1.1, still sent by some stores
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


@dataclass(frozen=True)
class Solutions:
    """A SELECT answer read in full (so a broken answer fails here, not half-way through printing):
    ``variables`` as pyoxigraph Variables, and the solutions."""

    variables: tuple[ox.Variable, ...]
    solutions: tuple[ox.QuerySolution, ...]

    def __iter__(self) -> Iterator[ox.QuerySolution]:
        return iter(self.solutions)

    def __len__(self) -> int:
        return len(self.solutions)


def auth_header() -> str | None:
    """The Authorization header the environment asks for, or None."""
    token = os.environ.get(TOKEN_VARIABLE)
    if token:
        return f"Bearer {token}"
    user = os.environ.get(USER_VARIABLE)
    if user:
        import base64

        secret = f"{user}:{os.environ.get(PASSWORD_VARIABLE, '')}".encode()
        return "Basic " + base64.b64encode(secret).decode("ascii")
    return None


def _check_url(url: str, what: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RemoteError(f"{what} {url!r} is not an http:// or https:// URL")
    if parts.username or parts.password:
        raise RemoteError(f"{what} {url!r}: put no user or password in the URL; "
                          f"set {USER_VARIABLE}/{PASSWORD_VARIABLE} or {TOKEN_VARIABLE} instead")
    return url


MAX_TIMEOUT = 86_400.0
"""The longest wait for a store, in seconds (a day; None waits as long as it takes): a larger number
overflows the socket's clock."""


def _checked_timeout(timeout: float | None) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT:
        raise RemoteError(f"timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:g} "
                          f"(None: no limit), not {timeout!r}")
    return float(timeout)


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


class Endpoint:
    """A SPARQL 1.1 Protocol endpoint, queried like a local Engine: ``query(text)`` answers with
    pyoxigraph objects (Solutions, QueryBoolean, or a list of Triples)."""

    def __init__(self, url: str, *, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.url = _check_url(url, "endpoint")
        self.timeout = _checked_timeout(timeout)

    def __repr__(self) -> str:
        return f"Endpoint({self.url!r})"

    def query(self, text: str, *, inferred: bool = True, base_iri: str | None = None):
        """Run *text* on the endpoint; its default graph is whatever the endpoint serves. A *base_iri*
        (already checked) goes as the query's first line, ``BASE <base_iri>``: SPARQL's own way, which
        every endpoint honours; without one, the endpoint resolves relative IRIs as it does (its URL,
        for Oxigraph and natograph serve)."""
        from .lexer import query_form

        form = query_form(text)
        if base_iri is not None:
            text = f"BASE <{base_iri}>\n{text}"
        accept = _GRAPH_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS_ACCEPT
        media, body = self._ask(text, accept)
        if form in ("CONSTRUCT", "DESCRIBE"):
            return self._graph(media, body)
        return self._results(media, body, form)

    # -- the request ------------------------------------------------------------------------------

    def _ask(self, text: str, accept: str) -> tuple[str, bytes]:
        from urllib.parse import urlencode

        form = urlencode({"query": text})
        url = self.url + ("&" if "?" in self.url else "?") + form
        if len(url) <= GET_LIMIT:
            status, media, body = self._send(url, None, accept, post_fallback=True)
            if status not in (405, 414):
                return self._ok(status, media, body)
        status, media, body = self._send(self.url, form.encode("ascii"), accept)
        return self._ok(status, media, body)

    def _send(self, url: str, data: bytes | None, accept: str, *, post_fallback: bool = False):
        headers = {"Accept": accept, "User-Agent": _user_agent()}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return _request("POST" if data is not None else "GET", url, data, headers, self.timeout,
                        what=f"endpoint {self.url}", allow=(405, 414) if post_fallback else ())

    def _ok(self, status: int, media: str, body: bytes) -> tuple[str, bytes]:
        if status >= 400:
            raise RemoteError(f"endpoint {self.url} refused the query: HTTP {status}{_excerpt(body)}")
        return media, body

    # -- the answer -------------------------------------------------------------------------------

    def _garbage(self, media: str, detail: str) -> RemoteError:
        return RemoteError(f"endpoint {self.url} answered something that is not what was asked "
                           f"({media or 'no content type'}): {detail}")

    def _results(self, media: str, body: bytes, form: str):
        fmt = _RESULTS_FORMATS.get(media)
        if fmt is None:
            raise self._garbage(media, f"expected SPARQL results{_excerpt(body)}")
        try:
            result = ox.parse_query_results(body, fmt)
            if isinstance(result, ox.QueryBoolean):
                if form != "ASK":
                    raise self._garbage(media, f"a boolean answer to a {form} query")
                return result
            if form == "ASK":
                raise self._garbage(media, "rows in answer to an ASK query")
            return Solutions(tuple(result.variables), tuple(result))
        except (SyntaxError, ValueError, OSError) as exc:
            raise self._garbage(media, _one_line(str(exc))) from None

    def _graph(self, media: str, body: bytes) -> list:
        fmt = _GRAPH_FORMATS.get(media)
        if fmt is None:
            raise self._garbage(media, f"expected an RDF graph{_excerpt(body)}")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, fmt)]
        except (SyntaxError, ValueError, OSError) as exc:
            raise self._garbage(media, _one_line(str(exc))) from None


def put_graph(url: str, data: bytes, *, graph: str | None = None, timeout: float | None = DEFAULT_TIMEOUT) -> int:
    """Replace the default graph (or *graph*, an IRI) of the Graph Store at *url* with *data*
    (N-Triples), in one HTTP PUT, waiting *timeout* seconds (None: as long as it takes). Returns the
    HTTP status (200, 201 or 204)."""
    from urllib.parse import urlencode

    _check_url(url, "graph store")
    timeout = _checked_timeout(timeout)
    if graph is not None:
        term = ox.NamedNode(graph) if _is_iri(graph) else None
        if term is None:
            raise RemoteError(f"--graph {graph!r} is not an absolute IRI")
        target = url + ("&" if "?" in url else "?") + urlencode({"graph": graph})
    else:
        target = url + ("&" if "?" in url else "?") + "default"
    headers = {"Content-Type": "application/n-triples", "User-Agent": _user_agent()}
    status, _, body = _request("PUT", target, data, headers, timeout, what=f"graph store {url}")
    if status >= 300:
        raise RemoteError(f"graph store {url} refused the graph: HTTP {status}{_excerpt(body)}")
    return status


def _is_iri(text: str) -> bool:
    from urllib.parse import urlsplit

    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return bool(urlsplit(text).scheme)


def _request(method: str, url: str, data: bytes | None, headers: dict[str, str], timeout: float, *,
             what: str, allow: tuple[int, ...] = ()) -> tuple[int, str, bytes]:
    """(status, media type, body) of one HTTP request; RemoteError for anything but an answer."""
    import urllib.error
    import urllib.request

    authorization = auth_header()
    if authorization:
        headers = {**headers, "Authorization": authorization}
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _media_type(response.headers.get("Content-Type")), _read(response, what)
    except urllib.error.HTTPError as exc:
        body = _read(exc, what) if exc.fp is not None else b""
        if exc.code == 401:
            raise RemoteError(f"{what} asks for authentication (HTTP 401): set {TOKEN_VARIABLE}, "
                              f"or {USER_VARIABLE} and {PASSWORD_VARIABLE}") from None
        if exc.code in allow or exc.code >= 400:
            return exc.code, _media_type(exc.headers.get("Content-Type") if exc.headers else None), body
        raise RemoteError(f"{what} answered HTTP {exc.code}{_excerpt(body)}") from None
    except TimeoutError:  # socket.timeout is TimeoutError
        raise RemoteError(f"{what} gave no answer within {timeout:g} s (--timeout)") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise RemoteError(f"{what} gave no answer within {timeout:g} s (--timeout)") from None
        raise RemoteError(f"{what} cannot be reached ({getattr(reason, 'strerror', None) or reason})") from None
    except (OSError, ValueError) as exc:  # a connection reset, a malformed status line...
        raise RemoteError(f"{what} failed: {_one_line(str(exc)) or type(exc).__name__}") from None


def max_answer_bytes() -> int:
    """The size above which an answer is refused: MAX_ANSWER, or ``$NATOGRAPH_MAX_ANSWER_MIB`` MiB."""
    from ..environment import mib_from_environment

    return mib_from_environment(MAX_ANSWER_VARIABLE, MAX_ANSWER // 1_048_576, MAX_ANSWER_MIB_BOUND) * 1_048_576


def _read(response, what: str) -> bytes:
    limit = max_answer_bytes()
    body = response.read(limit + 1)
    if len(body) > limit:
        raise RemoteError(f"{what} answered more than {limit // 1_048_576} MiB ({MAX_ANSWER_VARIABLE})")
    return body


def _excerpt(body: bytes) -> str:
    text = _one_line(body[:400].decode("utf-8", "replace"))
    return f": {text[:200]}" if text else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _user_agent() -> str:
    from .._version import __version__

    return f"natograph/{__version__}"
