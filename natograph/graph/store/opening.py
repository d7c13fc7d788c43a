"""The engine of a set of input files (by default the shipped ones): opened from the cache, or built
once per content; held in a process's memory (``in_memory``); its extras (``add_extra``); each
asserted triple in the graph of its file (``file_quads``).
"""

from __future__ import annotations

import hashlib
import itertools
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from .. import resources
from .build import build_entry, homes_quads, memory_engine
from .cache import (
    Lock,
    content_key,
    file_matches,
    load_nquads,
    open_entry,
    prune,
    read_manifest,
    sha256_file,
    usable_cache_dir,
    verified_manifest,
    warn,
    write_manifest,
)
from .engine import ASSERTED, HOMES, Engine


def file_quads(engine: Engine, *, reopen: bool = True) -> tuple[Engine, Iterator[ox.Quad]]:
    """Each asserted triple of *engine* in the named graph of each file that states it (a triple two
    files state is in both; :func:`file_graph`), and the engine whose store has the same terms (its
    blank nodes too): *engine*, read from its entry's copy (``HOMES``), verified first.

    When the entry is not the one *engine* opened (another process pruned it, and perhaps built it
    again, while this one had it open: its blank nodes are new), the graph is opened again; when
    the copy does not match its own entry (damaged), the graph is built again in memory, with one
    line on stderr."""
    if engine._homes is not None:
        return engine, homes_quads(engine.files, engine._homes)
    assert engine.location is not None
    path = engine.location / HOMES
    damaged = HOMES
    if file_matches(path, engine.manifest.get("homes")):
        try:
            labelled = _with_file_labels(engine)
            if labelled is not None:
                return labelled, ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
            damaged = "graph.nq"
        except (OSError, RuntimeError, ValueError, SyntaxError):
            pass
    if reopen and _replaced(engine):
        if _OPEN.get(engine.key) is engine:
            del _OPEN[engine.key]
        return file_quads(open_engine(engine.files), reopen=False)
    warn(f"the store in {engine.location} has a damaged {damaged}: the graph is built again in memory")
    rebuilt = memory_engine(engine.key, engine.files)
    return file_quads(rebuilt)


def _with_file_labels(engine: Engine) -> Engine | None:
    """*engine*, or the same entry opened again, so that its blank nodes have the labels its files
    have (those of ``HOMES``): a database has them; a graph loaded from N-Quads (``graph.nq``, or a
    held copy) was given new ones, so the database, or ``graph.nq`` verified again, is read. None when
    ``graph.nq`` no longer matches its entry."""
    assert engine.location is not None
    if engine.held:
        return Engine(ox.Store.read_only(str(engine.location / "db")), engine.manifest, engine.files, engine.location)
    if engine.manifest["kind"] != "nquads":
        return engine
    path = engine.location / "graph.nq"
    store = (load_nquads(path, keep_labels=True) if file_matches(path, engine.manifest["files"].get("graph.nq"))
             else None)
    return None if store is None else Engine(store, engine.manifest, engine.files, engine.location)


def _replaced(engine: Engine) -> bool:
    """Whether *engine*'s entry is gone, or was built again (new blank nodes: another ``files.nq``)."""
    assert engine.location is not None
    manifest = read_manifest(engine.location)
    return manifest is None or manifest.get("homes") != engine.manifest.get("homes")


_OPEN: dict[str, Engine] = {}


def forget() -> None:
    """Drop the engines this process has opened: the next open reads the cache again."""
    _OPEN.clear()


def open_engine(paths: Sequence[Path] | None = None, *, use_cache: bool = True) -> Engine:
    """The engine for *paths* (default: the shipped ontology and data), from the cache or built.

    Within one process an engine is opened once per content key. Another copy of the same files
    (a clone, a temporary copy since removed) has the same key: the engine then names the paths
    asked for last, which are there, for what reads the files again (``file_quads``).
    """
    paths = [Path(p) for p in (paths if paths is not None else shipped_files())]
    key = content_key(paths)
    if key in _OPEN:
        engine = _OPEN[key]
        engine.files = tuple(paths)
        return engine
    folder = usable_cache_dir() if use_cache else None
    if folder is None:
        engine = memory_engine(key, paths)
    else:
        engine = _open_or_build(folder, key, paths)
    _OPEN[key] = engine
    return engine


def _open_or_build(folder: Path, key: str, paths: Sequence[Path]) -> Engine:
    entry = folder / f"store-{key}"
    opened = open_entry(entry, key) if entry.exists() else None
    if opened is None:
        with Lock(folder / f".lock-{key[:32]}"):
            opened = open_entry(entry, key) if entry.exists() else None
            if opened is None:
                built = build_entry(folder, key, paths)
                opened = open_entry(built, key) if built is not None else None
                prune(folder, entry)
    if opened is None:
        warn(f"cannot write the store under {folder}: it is built in memory")
        return memory_engine(key, paths)
    store, manifest = opened
    return Engine(store, manifest, paths, entry)


def add_extra(engine: Engine, name: str, data: bytes) -> None:
    """Store *data* beside the engine's database (verified on read like the rest of the entry)."""
    if engine.location is None:
        engine._extras[name] = data
        return
    import tempfile

    entry = engine.location
    try:
        with Lock(entry.parent / f".lock-{engine.key[:32]}"):
            manifest = verified_manifest(entry, engine.key)
            if manifest is None:
                return
            extras = entry / "extras"
            extras.mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=extras, prefix=f".{name}.", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.replace(tmp, extras / name)
            finally:
                Path(tmp).unlink(missing_ok=True)
            manifest.setdefault("extras", {})[name] = hashlib.sha256(data).hexdigest()
            write_manifest(entry, manifest)
            engine.manifest = manifest
    except OSError:
        return


MEMORY_COPY = "memory.nq"
"""In a database entry, the graph as N-Quads for :func:`in_memory`: written the first time a process
asks for it, verified against its SHA-256 in the manifest (``"memory"``) each time it is loaded,
not on every open of the entry (hashing its 145 MB at 100x would cost every command 0.17 s)."""


def in_memory(engine: Engine) -> Engine:
    """*engine*'s graph held in this process's memory: the same quads, queried up to 4x faster than the
    on-disk database at 100x the data, for a process that answers many queries (a server's worker, a
    notebook). It costs loading them: about 2 s and 230 MiB at 100x (683,000 quads), against 0.23 s to
    open the database, so a one-shot command keeps the database (measured 2026-11-27, see README
    "Speed"). A graph already in memory (under ``DISK_FROM`` triples, or built without a cache) is
    returned as it is; so is *engine*, with a warning, when the N-Quads copy cannot be written or read.
    Later ``open_engine`` and ``in_memory`` calls of this process for the same inputs return the
    engine in memory (one copy per process)."""
    if engine.held or engine.location is None or engine.manifest.get("kind") != "database":
        return engine
    current = _OPEN.get(engine.key)
    if current is not None and current.held:
        return current
    copy = _memory_copy(engine)
    memory = None if copy is None else load_nquads(copy, keep_labels=False)
    if memory is None:
        warn(f"cannot keep an N-Quads copy of the store in {engine.location}: queries read the on-disk database")
        return engine
    held = Engine(memory, engine.manifest, engine.files, engine.location)
    held.held = True
    if _OPEN.get(engine.key) is engine:
        _OPEN[engine.key] = held
    return held


def _memory_copy(engine: Engine) -> Path | None:
    """The path of the entry's verified N-Quads copy of its database, written (under the entry's lock,
    from the database itself) when missing or damaged; None when it cannot be."""
    import tempfile

    entry = engine.location
    assert entry is not None
    path = entry / MEMORY_COPY
    if file_matches(path, engine.manifest.get("memory")):
        return path
    try:
        with Lock(entry.parent / f".lock-{engine.key[:32]}"):
            manifest = verified_manifest(entry, engine.key)
            if manifest is None:
                return None
            if not file_matches(path, manifest.get("memory")):  # another process may have written it meanwhile
                for left in entry.glob(".memory.*.tmp"):  # by a process killed while it wrote (we hold the lock)
                    left.unlink(missing_ok=True)
                fd, tmp = tempfile.mkstemp(dir=entry, prefix=".memory.", suffix=".tmp")
                os.close(fd)
                try:
                    ox.serialize(itertools.chain(engine.store.quads_for_pattern(None, None, None, ASSERTED),
                                                 engine.inferred_quads()),
                                 output=tmp, format=ox.RdfFormat.N_QUADS)
                    manifest["memory"] = sha256_file(Path(tmp))
                    os.replace(tmp, path)
                finally:
                    Path(tmp).unlink(missing_ok=True)
                write_manifest(entry, manifest)
            engine.manifest = manifest
            return path
    except (OSError, RuntimeError, ValueError):
        return None


def shipped_files() -> list[Path]:
    return resources.graph_files()
