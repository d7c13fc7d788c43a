"""The table of the server's limits: each with its flag, the values it accepts and a line of help.

``LIMITS`` is the one list: ``natograph serve`` makes its flags from it (so this module stays light:
every command's parser reads it), ``Settings`` refuses a value outside it, and docs/limits.md shows it
(a test checks that every flag is there). The defaults are ``Settings``'s.
"""

from __future__ import annotations

import math
import os


def _cpus() -> int:
    return os.cpu_count() or 2


def default_workers() -> int:
    return max(2, min(4, _cpus()))


def max_workers() -> int:
    """The most query workers of one kind a server may start: twice the CPUs, at least 4."""
    return max(4, 2 * _cpus())


def _physical_mib() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError, AttributeError):
        return 65_536


def number(value) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class Limit:
    """One limit of the server: its flag, its type, its default, the range of its values (``high`` and
    ``default`` may be functions of the machine; ``low_open``: the value must be more than ``low``),
    its unit and what it bounds."""

    __slots__ = ("default", "flag", "help", "high", "kind", "low", "low_open", "unit")

    def __init__(self, flag: str, kind: type, default, low: float, high, unit: str, help: str, *,
                 low_open: bool = False):
        self.flag, self.kind, self.default, self.low, self.high = flag, kind, default, low, high
        self.unit, self.help, self.low_open = unit, help, low_open

    def highest(self):
        return self.high() if callable(self.high) else self.high

    def accepted(self) -> str:
        high = number(self.highest())
        if self.low_open:
            return f"more than {number(self.low)} and at most {high}"
        return f"from {number(self.low)} to {high}"

    def check(self, value, shown: str | None = None) -> None:
        """Raise ValueError, one line naming the flag and the accepted values, unless *value* fits."""
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if ok and self.kind is int:
            ok = float(value).is_integer()
        if ok:
            ok = (value > self.low if self.low_open else value >= self.low) and value <= self.highest()
        if not ok:
            raise ValueError(f"{self.flag} must be {self._what()} {self.accepted()}, not {shown or repr(value)}")

    def parse(self, text: str):
        """The value of ``--flag TEXT``, or ValueError in one line."""
        try:
            value = self.kind(text)
        except ValueError:
            raise ValueError(f"{self.flag} must be {self._what()} {self.accepted()}, not {text!r}") from None
        self.check(value, repr(text))
        return value

    def _what(self) -> str:
        return "a whole number" if self.kind is int else "a number"


LIMITS: dict[str, Limit] = {
    "port": Limit("--port", int, 8000, 0, 65_535, "", "port to listen on, 0 picks a free one"),
    "timeout": Limit("--timeout", float, 30.0, 0, 3_600, "s",
                     "seconds a query may run; past them it is stopped and the client gets a 503", low_open=True),
    "max_rows": Limit("--max-rows", int, 10_000, 1, 1_000_000, "rows",
                      "rows (or triples) a result holds at most; a longer one is cut and says so in the "
                      "Natograph-Truncated header"),
    "max_memory": Limit("--max-memory", int, 256, 32, _physical_mib, "MiB",
                        "memory one SPARQL query may take beyond what its worker holds; past it the query is "
                        "stopped and the client gets a 503"),
    "workers": Limit("--workers", int, default_workers, 1, max_workers, "",
                     "worker processes running /sparql queries in parallel"),
    "stored_workers": Limit("--stored-workers", int, 1, 1, max_workers, "",
                            "worker processes of the stored queries (/queries/NAME), apart, so /sparql cannot make "
                            "them wait"),
    "per_client": Limit("--per-client", int, 4, 1, 1_000, "",
                        "queries one client address may have running or waiting at once, per kind (/sparql, "
                        "stored); one more is answered 429 at once"),
    "queue": Limit("--queue", int, 8, 0, 1_000, "",
                   "queries that may wait for a busy worker, per kind; one more is answered 503 at once"),
    "queue_timeout": Limit("--queue-timeout", float, 10.0, 0, 300, "s",
                           "seconds a query may wait for a worker before it is answered 503", low_open=True),
    "header_timeout": Limit("--header-timeout", float, 10.0, 0, 300, "s",
                            "seconds a client has to send a whole request (line, headers, body); a slower one "
                            "is answered 408 and cut off", low_open=True),
    "max_body": Limit("--max-body", int, 100_000, 1_000, 10_000_000, "bytes",
                      "bytes a request body may hold; 413 past them"),
    "max_query_length": Limit("--max-query-length", int, 50_000, 100, 1_000_000, "characters",
                              "characters a query text may hold; 414 on GET, 413 on POST past them"),
    "max_answer": Limit("--max-answer", int, 16, 1, 1_024, "MiB", "MiB one answer may hold; 503 past them"),
    "cache": Limit("--cache", int, 32, 0, 4_096, "MiB",
                   "MiB of answers (stored queries, pages) kept in the server, so a repeat needs no worker; 0: none"),
    "max_age": Limit("--max-age", int, 300, 0, 86_400, "s",
                     "seconds a client or a proxy may reuse an answer without asking (Cache-Control)"),
    "memory_triples": Limit("--memory-triples", int, 1_000_000, 0, 1_000_000_000, "triples",
                            "hold a graph of at most N triples in each worker's memory, a larger one is read from "
                            "the on-disk database; 0: never"),
}


def check_base_url(url: str) -> str:
    """*url* without its trailing slash, or ValueError in one line: an absolute http(s) URL without
    query, fragment, spaces or control characters."""
    message = f"--base-url must be an absolute http or https URL without query or fragment, not {url!r}"
    if any(ord(c) <= 32 or c in '"<>\\^`{|}' or 127 <= ord(c) < 160 for c in url):
        raise ValueError(message)
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (a bad port raises ValueError)
    except ValueError:
        raise ValueError(message) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment or "#" in url \
            or "?" in url:
        raise ValueError(message)
    return url.rstrip("/")
