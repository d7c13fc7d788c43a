"""What the alignments describe but OWL cannot entail: new nodes, written by SPARQL CONSTRUCT queries.

``ontology/alignments.ttl`` holds the axioms; the OWL RL closure carries what they entail
(``org:memberOf``, ``schema:startDate``, ``prov:wasDerivedFrom``, the aligned classes). OWL never
creates nodes, and OWL 2 RL cannot restrict ``ng:participant`` to memberships, so the queries in
``queries/alignments/`` write the rest: OWL-Time intervals and instants, ORG's ``org:member`` and
``org:memberDuring`` on memberships of NATO, and PROV-O quotations of the source sentences.
``natograph export --inferred`` adds them to the closure.
"""

from __future__ import annotations

from rdflib import Graph

from ..graph import resources
from ..graph.loading import graph_of


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


def with_generated(closure: Graph) -> Graph:
    """A new graph: *closure* and the generated alignment triples."""
    return graph_of(closure, generated(closure))
