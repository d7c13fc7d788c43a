"""One store, read-only: the ``Engine`` every query, check and page reads the graph through.

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
"""

from __future__ import annotations

import hashlib
from collections import namedtuple
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

GRAPHS = "https://w3id.org/natograph/graph/"
"""Named graphs: ASSERTED and INFERRED in the store; GRAPHS + "<folder>/<file name without its
suffix>" for each input file's triples (:func:`file_quads`, the TriG and N-Quads exports)."""

ASSERTED = ox.NamedNode(GRAPHS + "asserted")
INFERRED = ox.NamedNode(GRAPHS + "inferred")
HOMES = "files.nq"
"""In every entry: each asserted triple in the named graph of each file that states it, as N-Quads
(:func:`file_quads`), written by the build; its SHA-256 (manifest key ``"homes"``) is checked when it
is read, not on every open (the TriG and N-Quads exports read it, nothing else does)."""


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
        self._homes = None  # for a store built in memory, what file_quads reads (a build.Built)

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

    def query(self, text: str, *, inferred: bool = True, base_iri: str | None = None):
        """Run SPARQL *text* (already checked by the caller) over the graph; pyoxigraph's result.
        Relative IRIs in *text* resolve against *base_iri* (without one, they are a syntax error).

        In memory, with the closure, the default graph is the union of the store's graphs, which are
        the two named graphs (asserted, inferred) and nothing else: the same triples as naming both,
        read 12-40% faster by Oxigraph at 100x (the named graphs' index is read once, not once per
        graph, besides the empty default graph's). Otherwise the graphs :meth:`graphs` names: a
        database's default graph holds the closure, one index a pattern."""
        if inferred and self._two_graphs():
            return self.store.query(text, use_default_graph_as_union=True, base_iri=base_iri)
        return self.store.query(text, default_graph=self.graphs(inferred=inferred), base_iri=base_iri)

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

        from ..namespaces import bind_all
        from ..terms import to_rdflib

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




