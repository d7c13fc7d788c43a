"""Export the graph for other linked-data tools: deterministic bytes, files written atomically.

Byte-stable means: blank nodes get canonical labels (rdflib.compare, RDF canonicalisation; W3C
RDFC-1.0 for the datasets), and every format is written in sorted order by natograph itself
(``graph.serializing``), except Turtle, whose rdflib serializer already sorts. Here: the shipped
graph read from the store, a big graph written line by line, the datasets, the profiles.

TriG and N-Quads are datasets whose named graphs say where each triple comes from (``graph.store.engine.GRAPHS``):
``<https://w3id.org/natograph/graph/ontology/natograph>`` for the ontology file,
``<.../graph/data/members>`` for each data file, ``<.../graph/inferred>`` for what OWL RL adds
(with ``--inferred``) and ``<.../graph/alignments>`` for the nodes the alignments generate (with
``--alignments``, natograph.publish.alignments). A triple written in two files is in both graphs.
The stored queries read
the default graph, so a store that loads a dataset must query the union of its graphs (Oxigraph
``--union-default-graph``, Jena ``tdb2:unionDefaultGraph``; the README has the commands).
"""

from __future__ import annotations

import itertools
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph
from rdflib.plugins.serializers.nt import _nt_row

from ..errors import InputError
from ..graph import loading
from ..graph.serializing import EXPORT_FORMATS, dataset_bytes, serialize
from ..graph.store.opening import file_quads
from ..output import write_atomic

PROFILES = ("owl-dl", "wikidata")
"""Profiles of the graph (``--profile``): ``owl-dl``, for OWL 2 DL reasoners (natograph.publish.owl_dl);
``wikidata``, Wikidata's statement model (natograph.publish.wikidata)."""
# The named graphs of the TriG and N-Quads exports are graph.store.engine.GRAPHS + "ontology/natograph", "data/<file>",
# "inferred" (with inferred), "alignments" (with alignments).


def _store_ntriples(engine, *, inferred: bool, alignments: bool = False) -> list[bytes]:
    """``serialize(graph, "ntriples")`` of the store's graph (with *inferred*, the closure; with
    *alignments*, the alignments' nodes, generated in the store), written one triple at a time instead of through an
    rdflib Graph of it all: at 100x the data that Graph took 2 GiB. Blank-node labels depend only on
    the triples a blank node is in (rdflib.compare colours a blank node by its neighbours), so those
    triples alone are labelled together; every other line is the store's triple as rdflib writes it
    (to_rdflib, then rdflib's own N-Triples row: the same literals, normalised by rdflib, as before).
    The sorted, distinct lines, to be written in blocks (see blocks) rather than joined into one."""
    from ..graph.terms import to_rdflib
    from .alignments import alignment_triples

    lines: list[bytes] = []  # sorted, then repeats dropped
    blank = Graph()

    def add(s, p, o) -> None:
        triple = (to_rdflib(s), to_rdflib(p), to_rdflib(o))
        if isinstance(triple[0], BNode) or isinstance(triple[2], BNode):
            blank.add(triple)
        else:
            lines.append(_nt_row(triple).encode("utf-8"))

    for name in engine.graphs(inferred=inferred):
        for quad in engine.store.quads_for_pattern(None, None, None, name):
            add(quad.subject, quad.predicate, quad.object)
    if alignments:
        for triple in alignment_triples(engine):
            add(triple.subject, triple.predicate, triple.object)
    lines.extend(_nt_row(triple).encode("utf-8") for triple in to_canonical_graph(blank))
    lines.sort()  # UTF-8 bytes sort as their code points, like the str lines of serializing._ntriples_lines
    return [line for line, _ in itertools.groupby(lines)]


def dataset(*, inferred: bool = False, alignments: bool = False) -> dict[str, list[bytes]]:
    """The shipped graph as named graphs (see the module's docstring): {graph IRI: sorted, distinct N-Triples lines},
    blank nodes labelled by W3C RDF Dataset Canonicalization (RDFC-1.0) over the whole dataset.

    Each file's triples come from the store (``store.opening.file_quads``), not from parsing the files again.
    Only the quads with a blank node go through the canonicalisation: RDFC-1.0 labels a blank node
    from the quads it is in and from the blank nodes those reach, never from a quad without one,
    so the labels are those of the whole dataset; the others are written as Oxigraph writes them,
    read in chunks (at 100x, 790,000 quads of which 171 have a blank node: the whole dataset in
    pyoxigraph objects took 1.8 GiB, 2026-11-27)."""
    import pyoxigraph as ox

    engine, quads = file_quads(loading.engine_for())
    if inferred:
        quads = itertools.chain(quads, engine.inferred_quads())
    if alignments:
        from .alignments import ALIGNMENTS, alignment_triples

        name = ox.NamedNode(ALIGNMENTS)
        quads = itertools.chain(quads, (ox.Quad(t.subject, t.predicate, t.object, name) for t in alignment_triples(engine)))
    quads = iter(quads)
    by_graph: dict[bytes, list[bytes]] = {}

    def add(nquads: bytes) -> None:
        for line in nquads.splitlines(keepends=True):
            triple, name = line[:-3].rsplit(b" ", 1)  # "<s> <p> <o> <g> .\n": a graph name has no space
            by_graph.setdefault(name, []).append(triple + b" .\n")

    blank = ox.Dataset()
    while chunk := list(itertools.islice(quads, 50_000)):
        ground = []
        for quad in chunk:
            if isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode):
                blank.add(quad)
            else:
                ground.append(quad)
        add(ox.serialize(ground, format=ox.RdfFormat.N_QUADS))
    blank.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    add(ox.serialize(blank, format=ox.RdfFormat.N_QUADS))
    out = {}
    for name in list(by_graph):
        lines = by_graph.pop(name)
        lines.sort()  # UTF-8 bytes sort as their code points
        out[name[1:-1].decode()] = [line for line, _ in itertools.groupby(lines)]
    return out


def _graph(*, inferred: bool, alignments: bool = False) -> Graph:
    """The asserted graph, or with *inferred* its OWL RL closure; with *alignments*, and the nodes the
    alignments generate (written by the store, as for N-Triples: rdflib's SPARQL took 0.56 s over the
    shipped closure, the store 5 ms)."""
    engine = loading.engine_for()
    out = engine.rdflib_graph(inferred=inferred)  # a new Graph, this call's own
    if alignments:
        from ..graph.terms import to_rdflib
        from .alignments import alignment_triples

        out.addN((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), out)
                 for t in alignment_triples(engine))
    return out


def profile_graph(profile: str, *, inferred: bool = False, alignments: bool = False) -> Graph:
    """The shipped graph re-shaped by *profile* (one of PROFILES): ``wikidata`` (natograph.publish.wikidata,
    built from the inferred graph), ``owl-dl`` (natograph.publish.owl_dl, of the asserted or inferred
    graph, with the alignments' nodes or not)."""
    if profile not in PROFILES:
        raise InputError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    if profile == "owl-dl":
        from .owl_dl import owl_dl

        return owl_dl(_graph(inferred=inferred, alignments=alignments))
    from .wikidata import build

    return build(profile, loading.load(inferred=True))


def export_parts(fmt: str = "turtle", *, inferred: bool = False, alignments: bool = False,
                 profile: str | None = None) -> bytes | list[bytes]:
    """What :func:`export` returns, as bytes or as the lines to write one after the other (N-Triples
    of the graph, which ``natograph export`` writes in blocks without ever joining them)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    if fmt in ("trig", "nquads") and profile is None:
        return dataset_bytes(dataset(inferred=inferred, alignments=alignments), fmt)
    if fmt == "ntriples" and profile is None:
        return _store_ntriples(loading.engine_for(), inferred=inferred, alignments=alignments)
    source = (_graph(inferred=inferred, alignments=alignments) if profile is None
              else profile_graph(profile, inferred=inferred, alignments=alignments))
    return serialize(source, fmt)


def export(fmt: str = "turtle", *, inferred: bool = False, alignments: bool = False, profile: str | None = None,
           output: str | Path | None = None) -> bytes:
    """The shipped graph in *fmt*; written to *output* if given.

    *inferred* adds what the OWL RL closure adds, and nothing else; *alignments* adds the nodes the
    alignments generate (the graph ``natograph.publish.alignments.ALIGNMENTS``); *profile* re-shapes
    the graph first (PROFILES: ``owl-dl``, ``wikidata``).
    """
    parts = export_parts(fmt, inferred=inferred, alignments=alignments, profile=profile)
    if output is not None:
        write_atomic(output, parts)
    return parts if isinstance(parts, bytes) else b"".join(parts)
