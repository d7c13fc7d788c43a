"""natograph: NATO's partnerships as a bilingual knowledge graph, with stored queries and validation.

Nothing runs at import time: the graph is parsed, and the closure computed or read from the cache,
only when a function asks for it. Submodules load on first use, so a query does not pay for the
validator's imports.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (a cold query never needs it)

if TYPE_CHECKING:
    from pathlib import Path

    from rdflib import Graph

    from ._version import __version__
    from .checks.results import ValidationReport, ValidationResult
    from .errors import InputError, NatographError, ParameterError, QueryError, RemoteError, UnsafeQueryError
    from .queries.catalogue import StoredQuery
    from .queries.results import QueryResult

# Even the version and the exceptions load on first use: the command's entry point
# (natograph.cli.entry_point) makes Ctrl-C one line, and it can only run once this module has; the
# less this module does, the shorter the moment where Ctrl-C is the interpreter's traceback.
_LAZY = {
    "__version__": "_version",
    "InputError": "errors",
    "NatographError": "errors",
    "ParameterError": "errors",
    "QueryError": "errors",
    "RemoteError": "errors",
    "UnsafeQueryError": "errors",
    "QueryResult": "queries.results",
    "StoredQuery": "queries.catalogue",
    "ValidationReport": "checks.results",
    "ValidationResult": "checks.results",
}


def __getattr__(name: str):
    """The version, the exceptions and the classes load with their module on first use."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'natograph' has no attribute {name!r}")


def load(*, inferred: bool = True, extra=(), use_cache: bool = True) -> Graph:
    """The shipped graph (ontology and data), with its OWL RL closure when *inferred* (cached by content)."""
    from .graph.loading import load as _load

    return _load(inferred=inferred, extra=extra, use_cache=use_cache)


def query(name: str, params: dict[str, str] | None = None, *, lang: str = "en", graph: Graph | None = None,
          endpoint: str | None = None, timeout: float | None = None) -> QueryResult:
    """Run the stored query *name* with *params* (text values, checked against the query's header).

    It runs on the store (pyoxigraph) of the shipped graph; given *graph* (an rdflib Graph), on that
    graph, evaluated by rdflib; given *endpoint* (a SPARQL 1.1 Protocol URL), on that endpoint,
    waiting *timeout* seconds at most. Always with the same bound query text.
    """
    from .queries.catalogue import get, run_stored

    values = dict(params or {})
    if get(name).param("lang") is not None:
        values.setdefault("lang", lang)
    source = graph
    if endpoint is not None:
        from .queries.remote import DEFAULT_TIMEOUT, Endpoint

        if graph is not None:
            raise TypeError("give either graph or endpoint")
        source = Endpoint(endpoint, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
    return run_stored(source, name, values)


def catalogue() -> dict[str, StoredQuery]:
    """Every stored query, by name."""
    from .queries.catalogue import catalogue as _catalogue

    return _catalogue()


def validate(paths=(), *, alone: bool = False, inferred_only: bool = False) -> ValidationReport:
    """Validate the shipped graph, or the user's files with it (see natograph.checks.validation.validate)."""
    from .checks.validation import validate as _validate

    return _validate(paths, alone=alone, inferred_only=inferred_only)


def export(fmt: str = "turtle", *, inferred: bool = False, alignments: bool = False, profile: str | None = None,
           output: str | Path | None = None) -> bytes:
    """The shipped graph in *fmt* (with *inferred*, its OWL RL closure; with *alignments*, the nodes
    the alignment queries generate; re-shaped by *profile*, e.g. ``owl-dl``), byte-stable; written
    atomically to *output* when given."""
    from .publish.exporting import export as _export

    return _export(fmt, inferred=inferred, alignments=alignments, profile=profile, output=output)


__all__ = [
    "InputError",
    "NatographError",
    "ParameterError",
    "QueryError",
    "QueryResult",
    "RemoteError",
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
