"""The graph the alignment queries write (``queries/alignments/*.rq``, SPARQL CONSTRUCT): OWL-Time
intervals and instants, ORG's ``org:member`` and ``org:memberDuring``, PROV-O quotations — nodes OWL
cannot entail, so never part of the inferred graph. Here, in the graph layer, because the exports and
the release (``natograph.publish.alignments``) and the server (which offers it as a named graph to the
Protocol's dataset parameters) both read it.
"""

from __future__ import annotations

from . import resources
from .store.engine import GRAPHS

ALIGNMENTS = GRAPHS + "alignments"
"""The name of the graph the alignment queries write (the TriG and N-Quads exports, the release's dumps)."""


def generated_in_store(engine):
    """The triples the CONSTRUCT queries write (``natograph.publish.alignments.generated`` on an rdflib
    Graph), written by the store (an Engine) from its closure, as
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
