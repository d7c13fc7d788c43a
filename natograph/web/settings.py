"""Every limit of the server, in one object handed to ``make_app``, each checked against its bounds
(``natograph.web.limits.LIMITS``)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from .limits import LIMITS, check_base_url


@dataclass(frozen=True)
class Settings:
    """What ``natograph serve`` is allowed to do; every field of ``LIMITS`` is checked against its bounds."""

    host: str = "127.0.0.1"
    port: int = LIMITS["port"].default
    base_url: str | None = None
    """The server's public address (``https://example.org/natograph``): what redirects, VoID, the OpenAPI
    ``servers``, the service description and relative IRIs in queries use. Default: the address it
    listens on. Never taken from a request's ``Host``."""
    timeout: float = LIMITS["timeout"].default
    """Seconds a query may run; past it the query is stopped and the client gets a 503."""
    max_rows: int = LIMITS["max_rows"].default
    """Rows (or triples) a query returns at most; a longer result is cut and says so in a header."""
    max_memory: int = LIMITS["max_memory"].default
    """MiB a SPARQL query may take beyond what its worker holds (its address space may grow that much)."""
    workers: int = field(default_factory=LIMITS["workers"].default)
    """Worker processes that run /sparql queries in parallel (each holds the store, read-only)."""
    stored_workers: int = LIMITS["stored_workers"].default
    """Worker processes of the stored queries' own lane."""
    per_client: int = LIMITS["per_client"].default
    """Queries (of one lane) one client address may have running or waiting at once."""
    queue: int = LIMITS["queue"].default
    """Queries (of one lane) that may wait for a busy worker."""
    queue_timeout: float = LIMITS["queue_timeout"].default
    """Seconds a request waits for a free worker before it is answered 503."""
    header_timeout: float = LIMITS["header_timeout"].default
    """Seconds a client has to send a whole request, from the connection (or its previous answer) on."""
    max_body: int = LIMITS["max_body"].default
    """Bytes a request body may hold (a POSTed query or form)."""
    max_query_length: int = LIMITS["max_query_length"].default
    """Characters a query text may hold, however it arrives."""
    max_answer: int = LIMITS["max_answer"].default
    """MiB one answer may hold."""
    cache: int = LIMITS["cache"].default
    """MiB of stored queries' answers kept in the server."""
    max_age: int = LIMITS["max_age"].default
    """Seconds of ``Cache-Control: max-age`` on the answers that carry an ``ETag``."""
    memory_triples: int = LIMITS["memory_triples"].default
    """A graph of at most this many triples (its closure included) is held in each worker's memory
    (``store.opening.in_memory``: queries up to 4x faster than on the on-disk database at 100x the shipped data,
    about 350 bytes a triple); a larger one is read from the on-disk database. 0: never."""
    graph_files: tuple[Path, ...] | None = None
    """The files of the graph served (default: the shipped ontology and data)."""

    def __post_init__(self) -> None:
        for item in fields(self):
            if item.name in LIMITS:
                LIMITS[item.name].check(getattr(self, item.name))
        if self.base_url is not None:
            object.__setattr__(self, "base_url", check_base_url(self.base_url))

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def public(self) -> str:
        """The base URL of every absolute link the server writes (no trailing slash)."""
        return self.base_url or self.address
