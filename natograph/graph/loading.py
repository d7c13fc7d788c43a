"""Load the parts of the graph as rdflib Graphs, and compute the OWL RL closure.

The store (natograph.graph.store) holds the asserted triples and the closure, built once per content;
the functions here hand them to rdflib-based callers (pySHACL, the serializers, the Python API).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from . import resources
from .namespaces import bind_all
from .parsing import parse_file


@dataclass(frozen=True)
class Part:
    """One named part of the graph: a file of the ontology or the data, or the inferred triples."""

    name: str
    triples: int


def shipped_files() -> list[Path]:
    """The ontology and every data file, in a stable order (the shapes are not part of the graph)."""
    return resources.graph_files()


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
    vocabularies themselves. Computed by ``reasoning.closure.inferred`` (a fast chainer giving exactly owlrl's
    triples; owlrl stays the reference, ``reasoning.reference.reference_inferred``, that tests compare it with).
    """
    from .reasoning.closure import inferred  # deferred: only a closure being built needs it

    added = Graph()
    added.addN((s, p, o, added) for s, p, o in inferred(asserted))
    bind_all(added)
    return added


def is_meaningful(triple: tuple) -> bool:
    """False for owlrl's noise (see ``reasoning.reference.is_meaningful``)."""
    from .reasoning.reference import is_meaningful as meaningful

    return meaningful(triple)


def graph_of(*parts: Iterable[tuple]) -> Graph:
    graph = Graph()
    for part in parts:
        graph.addN((s, p, o, graph) for s, p, o in part)
    bind_all(graph)
    return graph


def engine_for(extra: Sequence[Path] = (), *, use_cache: bool = True, alone: bool = False):
    """The store (an Engine) of the shipped graph plus *extra* files, or of the ontology plus *extra*
    when *alone*. A file of *extra* named like a shipped file replaces it (resources.replace_files).
    Built once per distinct content; see natograph.graph.store."""
    from .store.opening import open_engine

    return open_engine(inputs_for(extra, alone=alone), use_cache=use_cache)


def inputs_for(extra: Sequence[Path] = (), *, alone: bool = False) -> list[Path]:
    """The input files of :func:`engine_for` (an engine opened earlier for the same content may
    carry another copy's paths in ``Engine.files``: ask here for the paths of this run)."""
    files = resources.ontology_files() if alone else shipped_files()
    inputs, _replaced = resources.replace_files(files, [Path(p) for p in extra])
    return inputs


def load_both(*, extra: Sequence[Path] = (), use_cache: bool = True) -> tuple[Graph, Graph]:
    """(asserted, closure): the triples as written, and with the OWL RL closure, as rdflib Graphs."""
    engine = engine_for(extra, use_cache=use_cache)
    return engine.rdflib_graph(inferred=False), engine.rdflib_graph(inferred=True)


def load(*, inferred: bool = True, extra: Sequence[Path] = (), use_cache: bool = True) -> Graph:
    """The shipped graph (ontology and data), with the OWL RL closure when *inferred*, as an rdflib Graph.

    *extra* adds the user's own files (parsed strictly). Read from the store (built once per content).
    """
    return engine_for(extra, use_cache=use_cache).rdflib_graph(inferred=inferred)


def parts() -> list[Part]:
    """Triples per part: each shipped file, then the inferred triples."""
    return [Part(p.name, p.triples) for p in engine_for().parts()]
