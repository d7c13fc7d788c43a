"""What the alignments describe but OWL cannot entail: new nodes, written by SPARQL CONSTRUCT queries.

``ontology/alignments.ttl`` holds the axioms; the OWL RL closure carries what they entail
(``org:memberOf``, ``schema:startDate``, ``prov:wasDerivedFrom``, the aligned classes). OWL never
creates nodes, and OWL 2 RL cannot restrict ``ng:participant`` to memberships, so the queries in
``queries/alignments/`` write the rest: OWL-Time intervals and instants, ORG's ``org:member`` and
``org:memberDuring`` on memberships of NATO, and PROV-O quotations of the source sentences.

They are not inferred triples: no OWL reasoner would write them. So they are a graph of their own,
named ``natograph.graph.generated.ALIGNMENTS`` (computed there), which ``inferred`` never includes:
``natograph export --alignments`` adds it (to the asserted graph, or with ``--inferred`` to the
closure), the TriG and N-Quads exports name it, a release ships it as the ``-alignments`` dumps, and
``natograph serve`` offers it to the dataset parameters.
"""

from __future__ import annotations

from rdflib import Graph

from ..graph import resources
from ..graph.generated import alignment_triples
from ..graph.loading import graph_of


def generated(closure: Graph) -> Graph:
    """The triples the CONSTRUCT queries of ``queries/alignments/`` write from *closure* (not changed)."""
    out = Graph()
    for path in resources.alignment_query_files():
        result = closure.query(path.read_text(encoding="utf-8"))
        out.addN((s, p, o, out) for s, p, o in result.graph)
    return out


def alignments_graph(engine) -> Graph:
    """The alignments' graph as a new rdflib Graph (for the serializers)."""
    from ..graph.terms import to_rdflib

    return graph_of((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in alignment_triples(engine))


def with_generated(closure: Graph) -> Graph:
    """A new graph: *closure* and the generated alignment triples."""
    return graph_of(closure, generated(closure))
