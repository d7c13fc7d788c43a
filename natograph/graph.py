"""Load the parts of the graph; build the OWL RL closure and cache it by the content of its inputs.

The closure costs seconds (owlrl); a query must not. The closure is stored under the user's cache
folder, keyed by a SHA-256 of every input file, natograph's version and owlrl's version, so a
changed file or a new release is never served a stale closure. A cache that cannot be read or
written is ignored: natograph then computes the closure in memory.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from . import resources
from .namespaces import bind_all
from .parsing import parse_file

_CACHE_FORMAT = 4
_CACHE_KEEP = 4
_NOISE_TYPES = frozenset({OWL.Thing, RDFS.Resource})
_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")


@dataclass(frozen=True)
class Part:
    """One named part of the graph: a file of the ontology or the data, or the inferred triples."""

    name: str
    triples: int


def shipped_files() -> list[Path]:
    """The ontology and every data file, in a stable order (the shapes are not part of the graph)."""
    return [resources.ontology_file(), *resources.data_files()]


def parse_files(paths: Iterable[Path], *, into: Graph | None = None) -> Graph:
    graph = into if into is not None else Graph()
    for path in paths:
        parse_file(path, into=graph)
    bind_all(graph)
    return graph


def inferred_triples(asserted: Graph) -> Graph:
    """The triples OWL RL adds to *asserted*, without owlrl's noise; *asserted* is not changed.

    Dropped as noise: reflexive ``owl:sameAs``, triples about literals, ``rdf:type owl:Thing`` /
    ``rdfs:Resource`` / an anonymous restriction, and statements about the RDF, RDFS, OWL and XSD
    vocabularies themselves.
    """
    import owlrl  # deferred: importing owlrl costs more than a cached query

    work = Graph()
    for triple in asserted:
        work.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    added = Graph()
    for s, p, o in work:
        if (s, p, o) in asserted or not is_meaningful((s, p, o)):
            continue
        added.add((s, p, o))
    bind_all(added)
    return added


def is_meaningful(triple: tuple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal):
        return False
    if p == OWL.sameAs and s == o:
        return False
    if p == RDF.type and (o in _NOISE_TYPES or isinstance(o, BNode)):
        return False  # membership of owl:Thing, rdfs:Resource or an anonymous restriction
    return not (isinstance(s, URIRef) and str(s).startswith(_VOCABULARIES))


def content_key(paths: Sequence[Path]) -> str:
    """A SHA-256 over natograph's and owlrl's versions and every input file's name and bytes."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256()
    for package in ("natograph", "owlrl", "rdflib"):
        try:
            digest.update(f"{package}={version(package)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=?\n".encode())
    digest.update(f"format={_CACHE_FORMAT}\n".encode())
    for path in paths:
        data = Path(path).read_bytes()
        digest.update(f"{Path(path).name}:{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def cache_dir() -> Path:
    explicit = os.environ.get("NATOGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "natograph"


def _read_cache(key: str) -> tuple[list[tuple], Graph] | None:
    path = cache_dir() / f"closure-{key}.pickle"
    try:
        with path.open("rb") as handle:
            payload = pickle.load(handle)
        if not isinstance(payload, dict) or payload.get("key") != key:
            return None
        asserted, closure = payload["asserted"], payload["closure"]
        if not isinstance(asserted, list) or not isinstance(closure, Graph):
            return None
        return asserted, closure
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, KeyError, TypeError, ImportError):
        return None


def _write_cache(key: str, asserted: Graph, closure: Graph) -> None:
    folder = cache_dir()
    payload = {"key": key, "asserted": list(asserted), "closure": closure}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".closure-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(payload, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"closure-{key}.pickle")
        # Keep the few most recent closures (the shipped graph, and the user's files being checked).
        stale = sorted(folder.glob("closure-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in stale[_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except (OSError, pickle.PicklingError):
        return


def graph_of(*parts: Iterable[tuple]) -> Graph:
    graph = Graph()
    for part in parts:
        graph.addN((s, p, o, graph) for s, p, o in part)
    bind_all(graph)
    return graph


def _cached(extra: Sequence[Path], use_cache: bool) -> tuple[list[tuple], Graph]:
    """The asserted triples and the closure graph, from the cache (pickled as they are) or computed."""
    paths = [*shipped_files(), *[Path(p) for p in extra]]
    key = content_key(paths)
    cached = _read_cache(key) if use_cache else None
    if cached is not None:
        return cached
    asserted = parse_files(paths)
    closure = graph_of(asserted, inferred_triples(asserted))
    if use_cache:
        _write_cache(key, asserted, closure)
    return list(asserted), closure


def load_both(*, extra: Sequence[Path] = (), use_cache: bool = True) -> tuple[Graph, Graph]:
    """(asserted, closure): the triples as written, and with the OWL RL closure. Cached by content."""
    asserted, closure = _cached(extra, use_cache)
    return graph_of(asserted), closure


def load(*, inferred: bool = True, extra: Sequence[Path] = (), use_cache: bool = True) -> Graph:
    """The shipped graph (ontology and data), with the OWL RL closure when *inferred*.

    *extra* adds the user's own files (parsed strictly). The closure is cached by content.
    """
    if not inferred:
        return parse_files([*shipped_files(), *[Path(p) for p in extra]])
    return _cached(extra, use_cache)[1]


def parts() -> list[Part]:
    """Triples per part: each shipped file, then the inferred triples."""
    result = []
    asserted = Graph()
    for path in shipped_files():
        one = parse_file(path)
        result.append(Part(f"{path.parent.name}/{path.name}", len(one)))
        asserted += one
    closure = load(inferred=True)
    result.append(Part("inferred (OWL RL)", len(closure) - len(asserted)))
    return result
