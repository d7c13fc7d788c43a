"""The store under the graph: a pyoxigraph (Oxigraph) store holding the asserted triples and their
OWL RL closure, built from the parts once per content and opened read-only by every later process.

Nothing else in natograph knows where the store lives. The layout of the cache folder::

    $NATOGRAPH_CACHE_DIR (else $XDG_CACHE_HOME/natograph, else ~/.cache/natograph), mode 0700
        store-<key>/             one entry per distinct set of inputs (<key>: SHA-256 of their bytes,
                                 natograph's version and the installed rdflib, reasoner and pyoxigraph)
            graph.nq             the two graphs as N-Quads, loaded into an in-memory store (small graphs)
            db/                  or an on-disk Oxigraph (RocksDB) database, opened read-only (large graphs):
                                 the closure in its default graph, the asserted triples in ASSERTED
            manifest.json        what the entry holds, with the SHA-256 of every file in it
            memory.nq            beside db/: its two graphs as N-Quads, written once a process asks to hold
                                 it in memory (in_memory: a server's query workers)
            files.nq             each asserted triple in the graph of each file that states it (N-Quads):
                                 what the TriG and N-Quads exports write
            extras/              results computed once per entry (the validation baseline)
        .lock-<key>              serialises the build of one entry between processes

A graph of under ``DISK_FROM`` triples is kept as N-Quads and loaded into memory; a larger one as a
database, which opens in 14-30 ms whatever its size, where loading N-Quads costs about 2.8 us a
triple (19 ms for the shipped graph's 8,000, 0.2 s at 10x its size; 2026-11-26, 2-core machine).

Building: Turtle and N-Triples are parsed by pyoxigraph (rdflib reads anything else, and any file
pyoxigraph refuses, so errors keep naming the file and line), the closure is computed on rdflib
terms (each distinct term converted once), and the store is filled from term objects in chunks. At
100x the shipped data (400,000 triples written, 620,000 with the closure) this takes about 20 s and
370 MiB at its peak, where parsing everything with rdflib took 71 s and 1.7 GiB (2026-11-26).

Two graphs, laid out for the engine that reads them. In memory (``graph.nq``, ``memory.nq``, a
store built without a cache): the named graphs ``ASSERTED`` (the triples as written) and
``INFERRED`` (what the OWL RL closure adds, never a triple of ``ASSERTED``), read as their union. In
an on-disk database: the default graph holds the whole closure (asserted and inferred) and the named
graph ``ASSERTED`` the triples as written; ``INFERRED`` is the difference. Oxigraph reads the union
of named graphs by looking up two indexes (the default graph's and the named graphs') for each
triple pattern, one of them empty; from RocksDB every lookup costs, so reading the closure from the
default graph halves the lookups (``timeline`` at 100x: 32,000 -> 16,000 index seeks for its dated
events, 0.55 -> 0.45 s, the same rows; 2026-11-27). Stored queries and ``natograph sparql`` see the
closure as their default graph; the checks marked ``graph: asserted`` see the triples as written.

Trust: the cache is data, never code (no pickle). An entry is used only when its manifest's own
checksum and every file's SHA-256 match; anything else (a bit flip, a truncated or foreign entry) is
discarded and rebuilt. A cache folder, entry or file that another user can write, or that belongs
to another user, is not used: natograph says so in one line on stderr and builds the store in
memory. An entry is built in a temporary folder and renamed into place, so a reader never sees a
half-written one; concurrent processes wait for the one that builds.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import stat
import sys
import time
from collections import namedtuple
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .graph import resources

FORMAT = 4
"""Bumped whenever the layout or the meaning of an entry changes: old entries are then never read."""

KEEP = 4
"""Entries kept in the cache folder: the shipped graph, and the user's files being checked."""

DISK_FROM = 20_000
"""Graphs of this many triples or more are kept as an on-disk database rather than N-Quads: about
where the two open alike, with room for the shipped graph (8,000) to grow in memory."""

GRAPHS = "https://w3id.org/natograph/graph/"
"""Named graphs: ASSERTED and INFERRED in the store; GRAPHS + "<folder>/<file name without its
suffix>" for each input file's triples (:func:`file_quads`, the TriG and N-Quads exports)."""

ASSERTED = ox.NamedNode(GRAPHS + "asserted")
INFERRED = ox.NamedNode(GRAPHS + "inferred")
HOMES = "files.nq"
"""In every entry: each asserted triple in the named graph of each file that states it, as N-Quads
(:func:`file_quads`), written by the build; its SHA-256 (manifest key ``"homes"``) is checked when it
is read, not on every open (the TriG and N-Quads exports read it, nothing else does)."""

_STALE_BUILD_SECONDS = 3600
_warned: set[str] = set()


# A named tuple, not a dataclass: dataclasses imports inspect, 10 ms a cold query does not need.
class Part(namedtuple("Part", "name triples")):
    """One named part of the graph (``name``): a file of the ontology or the data, or the inferred
    triples; and its number of ``triples``."""

    __slots__ = ()


class Engine:
    """A read-only view of one store: the graph of a given set of input files."""

    def __init__(self, store: ox.Store, manifest: dict, files: Sequence[Path], location: Path | None) -> None:
        self.store = store
        self.manifest = manifest
        self.files = tuple(files)
        self.location = location  # the entry folder, or None for a store built in memory
        self._extras: dict[str, bytes] = {}  # extras of a store built in memory
        self._union: bool | None = None  # whether the union of all graphs is the closure (see query)
        self.held = False  # a database's graph held in memory (in_memory)
        self._homes: _Built | None = None  # what file_quads reads for a store built in memory

    @property
    def key(self) -> str:
        return self.manifest["key"]

    @property
    def triples(self) -> int:
        """Triples of the graph with its closure (asserted + inferred)."""
        return self.manifest["asserted"] + self.manifest["inferred"]

    def parts(self) -> list[Part]:
        return [Part(name, count) for name, count in self.manifest["parts"]] + [
            Part("inferred (OWL RL)", self.manifest["inferred"])
        ]

    @property
    def closure_in_default(self) -> bool:
        """Whether the store's default graph holds the closure and ``ASSERTED`` the triples as written
        (an on-disk database), rather than the named graphs ``ASSERTED`` and ``INFERRED`` (a store in
        memory); see the module's docstring."""
        return self.manifest.get("kind") == "database" and not self.held

    def graphs(self, *, inferred: bool = True) -> list[ox.NamedNode | ox.DefaultGraph]:
        """The graphs of the store whose triples are the graph (with the closure, or as written)."""
        if self.closure_in_default:
            return [ox.DefaultGraph()] if inferred else [ASSERTED]
        return [ASSERTED, INFERRED] if inferred else [ASSERTED]

    def lookup_graphs(self, *, inferred: bool = True) -> list[ox.NamedNode | ox.DefaultGraph | None]:
        """The graph names to give ``store.quads_for_pattern`` to read the graph: with the closure in
        memory, None (every graph, as :meth:`query` reads them) when the store holds only the asserted
        and inferred graphs."""
        if inferred and self._two_graphs():
            return [None]
        return self.graphs(inferred=inferred)

    def query(self, text: str, *, inferred: bool = True):
        """Run SPARQL *text* (already checked by the caller) over the graph; pyoxigraph's result.

        In memory, with the closure, the default graph is the union of the store's graphs, which are
        the two named graphs (asserted, inferred) and nothing else: the same triples as naming both,
        read 12-40% faster by Oxigraph at 100x (the named graphs' index is read once, not once per
        graph, besides the empty default graph's). Otherwise the graphs :meth:`graphs` names: a
        database's default graph holds the closure, one index a pattern."""
        if inferred and self._two_graphs():
            return self.store.query(text, use_default_graph_as_union=True)
        return self.store.query(text, default_graph=self.graphs(inferred=inferred))

    def inferred_quads(self, subject: ox.NamedNode | ox.BlankNode | None = None) -> Iterator[ox.Quad]:
        """The triples the closure adds (none is asserted), of *subject* or all, as quads in the graph
        ``INFERRED``. In a database they are the default graph's less ``ASSERTED``'s: for one subject,
        a membership test for each of its triples; for the whole graph, an anti-join (``MINUS``) in
        Oxigraph for each predicate, whose hash table holds that predicate's asserted triples only
        (at 100x: 2.0 s and 70 MiB; one ``MINUS`` for all took 2.6 s and 185 MiB, a membership
        test per triple 5.5 s, ``FILTER NOT EXISTS`` 3.6 s; reading a named graph of them 1.4 s;
        measured 2026-11-27)."""
        if not self.closure_in_default:
            yield from self.store.quads_for_pattern(subject, None, None, INFERRED)
        elif subject is not None:
            for q in self.store.quads_for_pattern(subject, None, None, ox.DefaultGraph()):
                if ox.Quad(q.subject, q.predicate, q.object, ASSERTED) not in self.store:
                    yield ox.Quad(q.subject, q.predicate, q.object, INFERRED)
        else:
            predicates = [row[0] for row in self.store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }")]
            for predicate in predicates:  # IRIs of the store itself, written as N-Triples terms
                for s, o in self.store.query(
                        f"SELECT ?s ?o WHERE {{ {{ ?s {predicate} ?o }} MINUS {{ GRAPH {ASSERTED} {{ ?s {predicate} ?o }} }} }}"):
                    yield ox.Quad(s, predicate, o, INFERRED)

    def holds(self, s, p, o) -> bool:
        """Whether the graph with its closure has the triple (*s*, *p*, *o*)."""
        return any(ox.Quad(s, p, o, name) in self.store for name in self.graphs(inferred=True))

    def _two_graphs(self) -> bool:
        """Whether the closure is the union of the store's graphs, read as one: a store in memory
        holding the named graphs ``ASSERTED`` and ``INFERRED`` and nothing else (never a database,
        whose default graph holds the closure)."""
        if self._union is None:
            self._union = not self.closure_in_default and set(self.store.named_graphs()) <= {ASSERTED, INFERRED} and not any(
                True for _ in self.store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        return self._union

    def dump(self, *, inferred: bool = True) -> bytes:
        """The graph as N-Triples: the triples as written, then (*inferred*) what the closure adds."""
        out = [self.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ASSERTED)]
        if inferred:
            out.append(ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in self.inferred_quads()),
                                    format=ox.RdfFormat.N_TRIPLES))
        return b"".join(out)

    def rdflib_graph(self, *, inferred: bool = True):
        """The graph as an rdflib Graph (for pySHACL, the serializers and the Python API)."""
        from rdflib import Graph

        from .graph.namespaces import bind_all
        from .graph.terms import to_rdflib

        graph = Graph()
        for name in self.graphs(inferred=inferred):
            graph.addN(
                (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), graph)
                for q in self.store.quads_for_pattern(None, None, None, name)
            )
        bind_all(graph)
        return graph

    def extra(self, name: str) -> bytes | None:
        """A file stored beside the database in this entry (e.g. a validation baseline), verified."""
        if self.location is None:
            return self._extras.get(name)
        expected = self.manifest.get("extras", {}).get(name)
        if expected is None:
            return None
        try:
            data = (self.location / "extras" / name).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == expected else None


# ---------------------------------------------------------------------------
# Keys and the cache folder
# ---------------------------------------------------------------------------


def _libraries() -> str:
    """natograph's and pyoxigraph's versions, and where and when rdflib, owlrl, reasonable and pyshacl
    (whose findings an entry keeps) were installed: their location and modification time. Reading
    their versions would cost importing importlib.metadata, or them, on every query; an upgrade
    rewrites those files."""
    from importlib.util import find_spec

    from ._version import __version__

    out = [f"natograph={__version__}", f"pyoxigraph={ox.__version__}"]
    for package in ("rdflib", "owlrl", "reasonable", "pyshacl"):
        try:
            spec = find_spec(package)
            origin = spec.origin if spec is not None else None
            stamp = os.stat(origin).st_mtime_ns if origin else "-"
        except (ImportError, ValueError, OSError):
            origin, stamp = None, "-"
        out.append(f"{package}={origin}@{stamp}")
    return "\n".join(out)


def content_key(paths: Sequence[Path]) -> str:
    """A SHA-256 over the libraries that shape a store and every input file's name and bytes."""
    digest = hashlib.sha256()
    digest.update(f"format={FORMAT}\n{_libraries()}\n".encode())
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file ({exc.strerror})", path=str(path)) from None
        digest.update(f"{Path(path).name}:{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def cache_dir() -> Path:
    explicit = os.environ.get("NATOGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "natograph"


def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        sys.stderr.write(f"natograph: warning: {message}\n")


def _unsafe(path: Path, st: os.stat_result) -> str | None:
    """Why *path* may not be trusted (another user owns it or can write it), or None."""
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not stat.S_ISLNK(st.st_mode):
        return f"{path} can be written by other users"
    return None


def usable_cache_dir() -> Path | None:
    """The cache folder, created 0700 when missing; None (with a warning) when it cannot be trusted."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
    except OSError as exc:
        _warn(f"cache folder {folder} is not usable ({exc.strerror}): the store is built in memory")
        return None
    if not stat.S_ISDIR(st.st_mode):
        _warn(f"cache folder {folder} is not a folder: the store is built in memory")
        return None
    why = _unsafe(folder, st)
    if why:
        _warn(f"cache not used: {why}; the store is built in memory")
        return None
    return folder


# ---------------------------------------------------------------------------
# Entries: verify, open, build
# ---------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_checksum(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _entry_files(entry: Path, manifest: dict) -> dict[str, str]:
    return {**manifest.get("files", {}), **{f"extras/{k}": v for k, v in manifest.get("extras", {}).items()}}


def _verified_manifest(entry: Path, key: str) -> dict | None:
    """The entry's manifest when the entry is whole, ours and untouched; None otherwise."""
    try:
        st = entry.lstat()
        if not stat.S_ISDIR(st.st_mode) or _unsafe(entry, st):
            return None
        manifest = json.loads((entry / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("checksum") != _manifest_checksum(manifest):
            return None
        if manifest.get("key") != key or manifest.get("format") != FORMAT or manifest.get("kind") not in _KINDS:
            return None
        if manifest["kind"] == "database" and {p.name for p in (entry / "db").iterdir()} != {
            name.removeprefix("db/") for name in manifest["files"]
        }:
            return None
        if not all(_file_matches(entry / name, digest) for name, digest in _entry_files(entry, manifest).items()):
            return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _file_matches(path: Path, digest: str | None) -> bool:
    """Whether *path* is a regular file of ours, that others cannot write, whose SHA-256 is *digest*."""
    try:
        pst = path.lstat()
        return (digest is not None and stat.S_ISREG(pst.st_mode) and not _unsafe(path, pst)
                and _sha256_file(path) == digest)
    except OSError:
        return False


def _load_nquads(path: Path, *, keep_labels: bool) -> ox.Store | None:
    """An in-memory store loaded from N-Quads natograph wrote and whose SHA-256 has just matched (so
    read leniently: its IRIs and language tags need no second validation, a third of the load: 17 ->
    11 ms at 1x); None when it cannot be read.

    ``Store.load`` gives the blank nodes new labels; with *keep_labels* they keep the file's, which
    are the entry's ``HOMES`` file's: parsed into Python objects and added in bulk, which costs more
    (1x: 14.4 against 11.6 ms in a loop, 23 against 17 ms the first time in a process; 100x: 15%
    slower and 160 MiB more at its peak; measured 2026-11-27), so only the TriG and N-Quads exports
    load a graph that way (:func:`file_quads`); every other reader, a cold query first, loads the
    fast way."""
    store = ox.Store()
    try:
        if keep_labels:
            store.bulk_extend(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True))
        else:
            store.load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
    except (OSError, RuntimeError, ValueError, SyntaxError):
        return None
    return store


_KINDS = ("nquads", "database")


def _open_entry(entry: Path, key: str) -> tuple[ox.Store, dict] | None:
    manifest = _verified_manifest(entry, key)
    if manifest is None:
        return None
    if manifest["kind"] == "nquads":
        store = _load_nquads(entry / "graph.nq", keep_labels=False)
        return None if store is None else (store, manifest)
    try:
        return ox.Store.read_only(str(entry / "db")), manifest
    except (OSError, RuntimeError, ValueError, SyntaxError):
        return None


def parse_each(paths: Sequence[Path]):
    """Each file of *paths* with its distinct triples as rdflib terms, in the order the file states
    them (the keys of a dict), one object per distinct term across the files. Turtle and N-Triples
    are read by pyoxigraph (``parsing.parse_fast``), anything else, and any file pyoxigraph refuses,
    by rdflib (``parsing.parse_file``: its errors name the file and line); each term as rdflib has it
    (its normalised literals), so what the store receives does not depend on which parser read a file."""
    from .graph.parsing import parse_fast, parse_file
    from .graph.terms import RdflibTerms

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


class _Built(namedtuple("_Built", "asserted inferred counts homes")):
    """A build's graphs as pyoxigraph terms, one object per distinct term: the ``asserted`` and the
    ``inferred`` triples, the triples of each file (``counts``), and, aligned with ``asserted``, the
    ``homes`` of each triple: the index of the file that states it, or the indexes of the files."""

    __slots__ = ()


def _build_graphs(paths: Sequence[Path]) -> _Built:
    """Parse the inputs strictly (:func:`parse_inputs`) and compute the closure (on rdflib terms)."""
    from .graph.reasoning.closure import inferred as closure
    from .graph.terms import OxTerms

    with _collector_off():
        shared: dict[tuple, list[int]] = {}
        asserted, counts = parse_inputs(paths, shared)
        inferred = closure(asserted)
        stored = OxTerms()  # rdflib term -> the pyoxigraph term the store receives
        homes = [shared.get(triple, home) for triple, home in asserted.items()] if shared else list(asserted.values())
        return _Built([(stored[s], stored[p], stored[o]) for s, p, o in asserted],
                      [(stored[s], stored[p], stored[o]) for s, p, o in inferred], counts, homes)


def file_graph(path: Path) -> ox.NamedNode:
    """The named graph of the triples *path* states: ``GRAPHS`` + ``data/members`` for data/members.ttl."""
    return ox.NamedNode(f"{GRAPHS}{path.parent.name}/{path.stem}")


def _homes_quads(paths: Sequence[Path], built: _Built):
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


def _build_entry(folder: Path, key: str, paths: Sequence[Path]) -> Path | None:
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
            manifest["files"] = {"graph.nq": _sha256_file(tmp / "graph.nq")}
        else:
            database = ox.Store(str(tmp / "db"))
            _fill(database, asserted, inferred, closure_in_default=True)
            manifest = _new_manifest(key, paths, database, counts, closure_in_default=True)
            manifest["kind"] = "database"
            database.flush()
            database.optimize()
            del database  # closes the database: its files are final from here on
            manifest["files"] = {f"db/{p.name}": _sha256_file(p) for p in sorted((tmp / "db").iterdir())}
        ox.serialize(_homes_quads(paths, built), output=str(tmp / HOMES), format=ox.RdfFormat.N_QUADS)
        manifest["homes"] = _sha256_file(tmp / HOMES)
        manifest["extras"] = {}
        manifest["checksum"] = _manifest_checksum(manifest)
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


def _memory_engine(key: str, paths: Sequence[Path]) -> Engine:
    built = _build_graphs(paths)
    store = ox.Store()
    _fill(store, built.asserted, built.inferred)
    engine = Engine(store, _new_manifest(key, paths, store, built.counts), paths, None)
    engine._homes = built._replace(inferred=[])  # the triples and their files: 45 MB at 100x, as Quads 230 MB
    return engine


def file_quads(engine: Engine, *, reopen: bool = True) -> tuple[Engine, Iterator[ox.Quad]]:
    """Each asserted triple of *engine* in the named graph of each file that states it (a triple two
    files state is in both; :func:`file_graph`), and the engine whose store has the same terms (its
    blank nodes too): *engine*, read from its entry's copy (``HOMES``), verified first.

    When the entry is not the one *engine* opened (another process pruned it, and perhaps built it
    again, while this one had it open: its blank nodes are new), the graph is opened again; when
    the copy does not match its own entry (damaged), the graph is built again in memory, with one
    line on stderr."""
    if engine._homes is not None:
        return engine, _homes_quads(engine.files, engine._homes)
    assert engine.location is not None
    path = engine.location / HOMES
    damaged = HOMES
    if _file_matches(path, engine.manifest.get("homes")):
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
    _warn(f"the store in {engine.location} has a damaged {damaged}: the graph is built again in memory")
    rebuilt = _memory_engine(engine.key, engine.files)
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
    store = (_load_nquads(path, keep_labels=True) if _file_matches(path, engine.manifest["files"].get("graph.nq"))
             else None)
    return None if store is None else Engine(store, engine.manifest, engine.files, engine.location)


def _replaced(engine: Engine) -> bool:
    """Whether *engine*'s entry is gone, or was built again (new blank nodes: another ``files.nq``)."""
    assert engine.location is not None
    try:
        manifest = json.loads((engine.location / "manifest.json").read_text(encoding="utf-8"))
        return not isinstance(manifest, dict) or manifest.get("homes") != engine.manifest.get("homes")
    except (OSError, ValueError):
        return True


def _prune(folder: Path, keep: Path) -> None:
    """Keep the KEEP most recent entries; remove build folders left by killed processes."""
    import shutil

    now = time.time()
    try:
        entries = sorted(
            (p for p in folder.glob("store-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in [p for p in entries if p != keep][KEEP - 1:]:
            shutil.rmtree(old, ignore_errors=True)
        for leftover in folder.glob(".build-*"):
            if now - leftover.stat().st_mtime > _STALE_BUILD_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
        for lock in folder.glob(".lock-*"):
            if now - lock.stat().st_mtime > _STALE_BUILD_SECONDS:
                lock.unlink(missing_ok=True)
    except OSError:
        pass


class _Lock:
    """An exclusive lock on one key between processes (fcntl), released on exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self):
        try:
            import fcntl

            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except (OSError, ImportError):
            if self.fd is not None:
                os.close(self.fd)
            self.fd = None  # no lock: building twice is wasteful, never wrong
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)


_OPEN: dict[str, Engine] = {}


def forget() -> None:
    """Drop the engines this process has opened: the next open reads the cache again."""
    _OPEN.clear()


def open_engine(paths: Sequence[Path] | None = None, *, use_cache: bool = True) -> Engine:
    """The engine for *paths* (default: the shipped ontology and data), from the cache or built.

    Within one process an engine is opened once per content key.
    """
    paths = [Path(p) for p in (paths if paths is not None else shipped_files())]
    key = content_key(paths)
    if key in _OPEN:
        return _OPEN[key]
    folder = usable_cache_dir() if use_cache else None
    if folder is None:
        engine = _memory_engine(key, paths)
    else:
        engine = _open_or_build(folder, key, paths)
    _OPEN[key] = engine
    return engine


def _open_or_build(folder: Path, key: str, paths: Sequence[Path]) -> Engine:
    entry = folder / f"store-{key}"
    opened = _open_entry(entry, key) if entry.exists() else None
    if opened is None:
        with _Lock(folder / f".lock-{key[:32]}"):
            opened = _open_entry(entry, key) if entry.exists() else None
            if opened is None:
                built = _build_entry(folder, key, paths)
                opened = _open_entry(built, key) if built is not None else None
                _prune(folder, entry)
    if opened is None:
        _warn(f"cannot write the store under {folder}: it is built in memory")
        return _memory_engine(key, paths)
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
        with _Lock(entry.parent / f".lock-{engine.key[:32]}"):
            manifest = _verified_manifest(entry, engine.key)
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
            _write_manifest(entry, manifest)
            engine.manifest = manifest
    except OSError:
        return


def _write_manifest(entry: Path, manifest: dict) -> None:
    """Checksum *manifest* and replace the entry's manifest with it, atomically (the caller holds the lock)."""
    import tempfile

    manifest["checksum"] = _manifest_checksum(manifest)
    fd, tmp = tempfile.mkstemp(dir=entry, prefix=".manifest.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, sort_keys=True, indent=1))
        os.replace(tmp, entry / "manifest.json")
    finally:
        Path(tmp).unlink(missing_ok=True)


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
    memory = None if copy is None else _load_nquads(copy, keep_labels=False)
    if memory is None:
        _warn(f"cannot keep an N-Quads copy of the store in {engine.location}: queries read the on-disk database")
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
    if _file_matches(path, engine.manifest.get("memory")):
        return path
    try:
        with _Lock(entry.parent / f".lock-{engine.key[:32]}"):
            manifest = _verified_manifest(entry, engine.key)
            if manifest is None:
                return None
            if not _file_matches(path, manifest.get("memory")):  # another process may have written it meanwhile
                for left in entry.glob(".memory.*.tmp"):  # by a process killed while it wrote (we hold the lock)
                    left.unlink(missing_ok=True)
                fd, tmp = tempfile.mkstemp(dir=entry, prefix=".memory.", suffix=".tmp")
                os.close(fd)
                try:
                    ox.serialize(itertools.chain(engine.store.quads_for_pattern(None, None, None, ASSERTED),
                                                 engine.inferred_quads()),
                                 output=tmp, format=ox.RdfFormat.N_QUADS)
                    manifest["memory"] = _sha256_file(Path(tmp))
                    os.replace(tmp, path)
                finally:
                    Path(tmp).unlink(missing_ok=True)
                _write_manifest(entry, manifest)
            engine.manifest = manifest
            return path
    except (OSError, RuntimeError, ValueError):
        return None


def shipped_files() -> list[Path]:
    return resources.graph_files()
