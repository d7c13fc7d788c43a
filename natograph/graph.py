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

_CACHE_FORMAT = 2
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


def _read_cache(key: str) -> list[tuple] | None:
    path = cache_dir() / f"closure-{key}.pickle"
    try:
        with path.open("rb") as handle:
            payload = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("key") != key:
        return None
    return payload["triples"]


def _write_cache(key: str, triples: list[tuple]) -> None:
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".closure-", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump({"key": key, "triples": triples}, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"closure-{key}.pickle")
        # Keep the few most recent closures (the shipped graph, and the user's files being checked).
        stale = sorted(folder.glob("closure-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in stale[_CACHE_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def load(*, inferred: bool = True, extra: Sequence[Path] = (), use_cache: bool = True) -> Graph:
    """The shipped graph (ontology and data), with the OWL RL closure when *inferred*.

    *extra* adds the user's own files (parsed strictly). The closure is cached by content.
    """
    paths = [*shipped_files(), *[Path(p) for p in extra]]
    if not inferred:
        return parse_files(paths)
    key = content_key(paths)
    triples = _read_cache(key) if use_cache else None
    graph = Graph()
    if triples is not None:
        graph.addN((s, p, o, graph) for s, p, o in triples)
        bind_all(graph)
        return graph
    asserted = parse_files(paths)
    added = inferred_triples(asserted)
    for triple in asserted:
        graph.add(triple)
    for triple in added:
        graph.add(triple)
    bind_all(graph)
    if use_cache:
        _write_cache(key, list(graph))
    return graph


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
