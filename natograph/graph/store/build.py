"""Building an entry: the input files parsed, the closure computed, the store filled (as N-Quads to
load into memory, or an on-disk database), in a temporary folder renamed into place.

A graph of under ``DISK_FROM`` triples is kept as N-Quads and loaded into memory; a larger one as a
database, which opens in 14-30 ms whatever its size, where loading N-Quads costs about 2.8 us a
triple (19 ms for the shipped graph's 8,000, 0.2 s at 10x its size; 2026-11-26, 2-core machine).

Building: Turtle and N-Triples are parsed by pyoxigraph (rdflib reads anything else, and any file
pyoxigraph refuses, so errors keep naming the file and line), the closure is computed on rdflib
terms (each distinct term converted once), and the store is filled from term objects in chunks. At
100x the shipped data (400,000 triples written, 620,000 with the closure) this takes about 20 s and
370 MiB at its peak, where parsing everything with rdflib took 71 s and 1.7 GiB (2026-11-26).
"""

from __future__ import annotations

import itertools
import json
import os
import time
from collections import namedtuple
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .cache import FORMAT, manifest_checksum, sha256_file
from .engine import ASSERTED, GRAPHS, HOMES, INFERRED, Engine

DISK_FROM = 20_000
"""Graphs of this many triples or more are kept as an on-disk database rather than N-Quads: about
where the two open alike, with room for the shipped graph (8,000) to grow in memory."""


def parse_each(paths: Sequence[Path]):
    """Each file of *paths* with its distinct triples as rdflib terms, in the order the file states
    them (the keys of a dict), one object per distinct term across the files. Turtle and N-Triples
    are read by pyoxigraph (``parsing.parse_fast``), anything else, and any file pyoxigraph refuses,
    by rdflib (``parsing.parse_file``: its errors name the file and line); each term as rdflib has it
    (its normalised literals), so what the store receives does not depend on which parser read a file."""
    from ..parsing import parse_fast, parse_file
    from ..terms import RdflibTerms

    rd = RdflibTerms()  # pyoxigraph term as parsed -> rdflib term
    for path in paths:
        fast = parse_fast(path)
        yield path, (dict.fromkeys((rd[s], rd[p], rd[o]) for s, p, o in fast) if fast is not None
                     else dict.fromkeys(parse_file(path)))


def parse_inputs(paths: Sequence[Path], shared: dict[tuple, list[int]] | None = None
                 ) -> tuple[dict[tuple, int], list[tuple[str, int]]]:
    """The distinct triples of *paths* (:func:`parse_each`), in the files' order (the keys of a dict:
    the closure then meets a resource's triples together, which made it 13-16% faster than a set's
    hash order at 10x and 100x, 2026-11-26), and the triples of each file.

    Each triple's value is the index in *paths* of the file that states it; *shared*, when given,
    receives the triples stated by more than one file, with the index of each of those files."""
    asserted: dict[tuple, int] = {}
    counts = []
    with _collector_off():
        for index, (path, one) in enumerate(parse_each(paths)):
            counts.append((f"{path.parent.name}/{path.name}", len(one)))
            if shared is not None and asserted:
                for triple in one.keys() & asserted.keys():
                    shared.setdefault(triple, [asserted[triple]]).append(index)
            asserted.update(dict.fromkeys(one, index))
    return asserted, counts


class Built(namedtuple("Built", "asserted inferred counts homes")):
    """A build's graphs as pyoxigraph terms, one object per distinct term: the ``asserted`` and the
    ``inferred`` triples, the triples of each file (``counts``), and, aligned with ``asserted``, the
    ``homes`` of each triple: the index of the file that states it, or the indexes of the files."""

    __slots__ = ()


def _build_graphs(paths: Sequence[Path]) -> Built:
    """Parse the inputs strictly (:func:`parse_inputs`) and compute the closure (on rdflib terms)."""
    from ..reasoning.closure import inferred as closure
    from ..terms import OxTerms

    with _collector_off():
        shared: dict[tuple, list[int]] = {}
        asserted, counts = parse_inputs(paths, shared)
        inferred = closure(asserted)
        stored = OxTerms()  # rdflib term -> the pyoxigraph term the store receives
        homes = [shared.get(triple, home) for triple, home in asserted.items()] if shared else list(asserted.values())
        return Built([(stored[s], stored[p], stored[o]) for s, p, o in asserted],
                      [(stored[s], stored[p], stored[o]) for s, p, o in inferred], counts, homes)


def file_graph(path: Path) -> ox.NamedNode:
    """The named graph of the triples *path* states: ``GRAPHS`` + ``data/members`` for data/members.ttl."""
    return ox.NamedNode(f"{GRAPHS}{path.parent.name}/{path.stem}")


def homes_quads(paths: Sequence[Path], built: Built):
    """Each asserted triple in the graph of each file that states it (a triple two files state is in both)."""
    names = [file_graph(Path(p)) for p in paths]
    for (s, p, o), home in zip(built.asserted, built.homes, strict=True):
        if isinstance(home, int):
            yield ox.Quad(s, p, o, names[home])
        else:
            yield from (ox.Quad(s, p, o, names[index]) for index in home)


@contextmanager
def _collector_off():
    """Python's cycle collector paused: a build makes hundreds of thousands of tuples and no cycles,
    and the collector only rescanned them (parsing 100x the data: 6.1 s of CPU with it, 4.0 s
    without, 2026-11-26). Restored as it was."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fill(store: ox.Store, asserted: list[tuple], inferred: list[tuple], *, closure_in_default: bool = False) -> None:
    """Load both graphs from term objects (a blank node is the same object in both: loading text in
    two documents would make the closure's ``_:b`` a different node from the asserted ``_:b``), in
    chunks: pyoxigraph's bulk loader buffers what it is given, and one call with 600,000 quads took
    300 MiB more at its peak than chunks of 100,000 (measured at 100x, 2026-11-26). With
    *closure_in_default* (a database), the asserted triples go both to the default graph and to
    ``ASSERTED``, the inferred ones to the default graph."""
    if closure_in_default:
        default = ox.DefaultGraph()
        quads = (quad for s, p, o in asserted for quad in (ox.Quad(s, p, o, default), ox.Quad(s, p, o, ASSERTED)))
        quads = itertools.chain(quads, (ox.Quad(s, p, o, default) for s, p, o in inferred))
    else:
        quads = (ox.Quad(s, p, o, graph)
                 for triples, graph in ((asserted, ASSERTED), (inferred, INFERRED)) for s, p, o in triples)
    while chunk := list(itertools.islice(quads, _FILL_CHUNK)):
        store.bulk_extend(chunk)


_FILL_CHUNK = 100_000


def _count(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> int:
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
    return int(row["n"].value)


def _new_manifest(key: str, paths: Sequence[Path], store: ox.Store, counts, *, closure_in_default: bool = False) -> dict:
    asserted = _count(store, ASSERTED)
    return {
        "format": FORMAT,
        "key": key,
        "inputs": [str(p) for p in paths],
        "parts": counts,
        "asserted": asserted,
        "inferred": _count(store, ox.DefaultGraph()) - asserted if closure_in_default else _count(store, INFERRED),
        "built": int(time.time()),
    }


def build_entry(folder: Path, key: str, paths: Sequence[Path]) -> Path | None:
    """Build the entry for *key* in a temporary folder and rename it into place."""
    built = _build_graphs(paths)
    asserted, inferred, counts = built.asserted, built.inferred, built.counts
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(dir=folder, prefix=f".build-{key[:16]}-"))
    try:
        if len(asserted) + len(inferred) < DISK_FROM:
            memory = ox.Store()
            _fill(memory, asserted, inferred)
            manifest = _new_manifest(key, paths, memory, counts)
            manifest["kind"] = "nquads"
            memory.dump(output=str(tmp / "graph.nq"), format=ox.RdfFormat.N_QUADS)
            manifest["files"] = {"graph.nq": sha256_file(tmp / "graph.nq")}
        else:
            database = ox.Store(str(tmp / "db"))
            _fill(database, asserted, inferred, closure_in_default=True)
            manifest = _new_manifest(key, paths, database, counts, closure_in_default=True)
            manifest["kind"] = "database"
            database.flush()
            database.optimize()
            del database  # closes the database: its files are final from here on
            manifest["files"] = {f"db/{p.name}": sha256_file(p) for p in sorted((tmp / "db").iterdir())}
        ox.serialize(homes_quads(paths, built), output=str(tmp / HOMES), format=ox.RdfFormat.N_QUADS)
        manifest["homes"] = sha256_file(tmp / HOMES)
        manifest["extras"] = {}
        manifest["checksum"] = manifest_checksum(manifest)
        (tmp / "manifest.json").write_text(json.dumps(manifest, sort_keys=True, indent=1), encoding="utf-8")
        entry = folder / f"store-{key}"
        if entry.exists():
            shutil.rmtree(entry, ignore_errors=True)  # damaged: it failed verification
        os.rename(tmp, entry)
        return entry
    except OSError:
        return None
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def memory_engine(key: str, paths: Sequence[Path]) -> Engine:
    built = _build_graphs(paths)
    store = ox.Store()
    _fill(store, built.asserted, built.inferred)
    engine = Engine(store, _new_manifest(key, paths, store, built.counts), paths, None)
    engine._homes = built._replace(inferred=[])  # the triples and their files: 45 MB at 100x, as Quads 230 MB
    return engine
