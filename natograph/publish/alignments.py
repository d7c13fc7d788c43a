"""What the alignments describe but OWL cannot entail: new nodes, written by SPARQL CONSTRUCT queries.

``ontology/alignments.ttl`` holds the axioms; the OWL RL closure carries what they entail
(``org:memberOf``, ``schema:startDate``, ``prov:wasDerivedFrom``, the aligned classes). OWL never
creates nodes, and OWL 2 RL cannot restrict ``ng:participant`` to memberships, so the queries in
``queries/alignments/`` write the rest: OWL-Time intervals and instants, ORG's ``org:member`` and
``org:memberDuring`` on memberships of NATO, and PROV-O quotations of the source sentences.

They are not inferred triples: no OWL reasoner would write them. So they are a graph of their own,
named ``ALIGNMENTS``, which ``inferred`` never includes: ``natograph export --alignments`` adds it
(to the asserted graph, or with ``--inferred`` to the closure), the TriG and N-Quads exports name
it, and a release ships it as the ``-alignments`` dumps.
"""

from __future__ import annotations

from rdflib import Graph

from ..graph import resources
from ..graph.loading import graph_of
from ..graph.store.engine import GRAPHS

ALIGNMENTS = GRAPHS + "alignments"
"""The name of the graph the alignment queries write (the TriG and N-Quads exports, the release's dumps)."""


def generated(closure: Graph) -> Graph:
    """The triples the CONSTRUCT queries of ``queries/alignments/`` write from *closure* (not changed)."""
    out = Graph()
    for path in resources.alignment_query_files():
        result = closure.query(path.read_text(encoding="utf-8"))
        out.addN((s, p, o, out) for s, p, o in result.graph)
    return out


def generated_in_store(engine):
    """The same triples as :func:`generated`, written by the store (an Engine) from its closure, as
    pyoxigraph triples (repeats possible): the export of a big graph needs no rdflib Graph of it."""
    for path in resources.alignment_query_files():
        yield from engine.query(path.read_text(encoding="utf-8"), inferred=True)


def alignment_triples(engine):
    """The graph ``ALIGNMENTS`` of the store (an Engine): the distinct triples :func:`generated_in_store`
    writes that the closure does not hold (on the shipped graph, it holds none of them), as pyoxigraph triples."""
    seen = set()
    for triple in generated_in_store(engine):
        if triple not in seen and not engine.holds(triple.subject, triple.predicate, triple.object):
            seen.add(triple)
            yield triple


def alignments_graph(engine) -> Graph:
    """The graph ``ALIGNMENTS`` as a new rdflib Graph (for the serializers)."""
    from ..graph.terms import to_rdflib

    return graph_of((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in alignment_triples(engine))


def with_generated(closure: Graph) -> Graph:
    """A new graph: *closure* and the generated alignment triples."""
    return graph_of(closure, generated(closure))
