"""Every limit of the server, in one object handed to ``make_app``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _default_workers() -> int:
    return max(2, min(4, os.cpu_count() or 2))


@dataclass(frozen=True)
class Settings:
    """What ``natograph serve`` is allowed to do; the CLI flags fill the first four."""

    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 30.0
    """Seconds a query may run; past it the worker running it is killed and the client gets a 503."""
    max_rows: int = 10_000
    """Rows (or triples) a query returns at most; a longer result is cut and says so in a header."""
    max_body: int = 100_000
    """Bytes a request body may hold (a POSTed query or form)."""
    max_query_length: int = 50_000
    """Characters a query text may hold, however it arrives."""
    workers: int = field(default_factory=_default_workers)
    """Worker processes that run queries in parallel (each holds the store, read-only)."""
    memory_triples: int = 1_000_000
    """A graph of at most this many triples (its closure included) is held in each worker's memory
    (``store.opening.in_memory``: queries up to 4x faster than on the on-disk database at 100x the shipped data,
    about 350 bytes a triple); a larger one is read from the on-disk database. 0: never."""
    queue_timeout: float = 30.0
    """Seconds a request waits for a free worker before it is answered 503."""
    graph_files: tuple[Path, ...] | None = None
    """The files of the graph served (default: the shipped ontology and data)."""

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"
