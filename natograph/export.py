"""Export the graph for other linked-data tools: deterministic bytes, files written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from . import graph as graphs
from .errors import InputError
from .namespaces import BASE, bind_all

EXPORT_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
    "nquads": "nquads",
}
GRAPH_NAME = URIRef(BASE + "graph")


def _sorted_copy(source: Graph) -> Graph:
    """The same triples inserted in sorted order, so serializers walk them in a stable order."""
    out = Graph()
    bind_all(out)
    for triple in sorted(source, key=lambda t: tuple(term.n3() for term in t)):
        out.add(triple)
    return out


def serialize(source: Graph, fmt: str) -> bytes:
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "ntriples":
        lines = sorted({" ".join(term.n3() for term in t) + " .\n" for t in source})
        return "".join(lines).encode("utf-8")
    if fmt == "nquads":
        suffix = f" {GRAPH_NAME.n3()} .\n"
        lines = sorted({" ".join(term.n3() for term in t) + suffix for t in source})
        return "".join(lines).encode("utf-8")
    ordered = _sorted_copy(source)
    if fmt == "trig":
        dataset = Dataset()
        bind_all(dataset)
        named = dataset.graph(GRAPH_NAME)
        for triple in ordered:
            named.add(triple)
        return dataset.serialize(format="trig", encoding="utf-8")
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in ordered.namespaces() if prefix}
        return ordered.serialize(format="json-ld", context=context, sort_keys=True, indent=2, encoding="utf-8")
    return ordered.serialize(format=EXPORT_FORMATS[fmt], encoding="utf-8")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("folder does not exist", path=str(folder))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write here ({exc.strerror})", path=str(folder)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write file ({exc.strerror})", path=str(target)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(fmt: str = "turtle", *, inferred: bool = False, output: str | Path | None = None) -> bytes:
    """The shipped graph (with its OWL RL closure when *inferred*) in *fmt*; written to *output* if given."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    data = serialize(graphs.load(inferred=inferred), fmt)
    if output is not None:
        write_atomic(output, data)
    return data
