"""natograph: NATO's partnerships as a bilingual knowledge graph, with stored queries and validation.

Nothing runs at import time: the graph is parsed, and the closure computed or read from the cache,
only when a function asks for it.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError, NatographError, ParameterError, QueryError, UnsafeQueryError
from .exporting import export
from .graph import load
from .queries import QueryResult, StoredQuery, catalogue
from .validation import ValidationReport, ValidationResult, validate

try:
    __version__ = version("natograph")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"


def query(name: str, params: dict[str, str] | None = None, *, lang: str = "en", graph=None) -> QueryResult:
    """Run the stored query *name* with *params* (text values, checked against the query's header)."""
    from .queries import get, run_stored

    values = dict(params or {})
    if get(name).param("lang") is not None:
        values.setdefault("lang", lang)
    return run_stored(graph if graph is not None else load(), name, values)


__all__ = [
    "InputError",
    "NatographError",
    "ParameterError",
    "QueryError",
    "QueryResult",
    "StoredQuery",
    "UnsafeQueryError",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "catalogue",
    "export",
    "load",
    "query",
    "validate",
]
