"""Export the graph for other linked-data tools: deterministic bytes, files written atomically.

Byte-stable means: blank nodes get canonical labels (rdflib.compare, RDF canonicalisation; W3C
RDFC-1.0 for the datasets), and every format is written in sorted order by natograph itself, except
Turtle, whose rdflib serializer already sorts. rdflib's RDF/XML, JSON-LD and TriG serializers walk
the store in an order that changes with Python's hash seed, so they are not used.

JSON-LD is compact, with an inline ``@context`` of natograph's prefixes (namespaces.PREFIXES): no
remote context, IRIs read as ``cty:FR``, ``ng:memberOf``.

TriG and N-Quads are datasets whose named graphs say where each triple comes from (GRAPHS):
``<https://w3id.org/natograph/graph/ontology/natograph>`` for the ontology file,
``<.../graph/data/members>`` for each data file, and ``<.../graph/inferred>`` for what OWL RL adds,
and ``<.../graph/alignments>`` for the nodes the alignments generate (with ``--inferred``). A
triple written in two files is in both graphs. The stored queries read
the default graph, so a store that loads a dataset must query the union of its graphs (Oxigraph
``--union-default-graph``, Jena ``tdb2:unionDefaultGraph``; the README has the commands).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.nt import _nt_row

from . import store
from .errors import InputError
from .graph import loading
from .graph.namespaces import PREFIXES, bind_all
from .output import write_atomic

EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "xml", "trig", "nquads")
PROFILES = ("owl-dl", "wikidata")
"""Profiles of the graph (``--profile``): ``owl-dl``, for OWL 2 DL reasoners (natograph.owl_dl);
``wikidata``, Wikidata's statement model (natograph.profiles)."""
GRAPHS = store.GRAPHS
"""Named graphs of the TriG and N-Quads exports: GRAPHS + "ontology/natograph", "data/<file>", "inferred",
"alignments"."""


def canonical(source: Graph) -> Graph:
    """The same graph with canonical blank-node labels, and natograph's prefixes bound."""
    out = Graph()
    bind_all(out)
    for triple in to_canonical_graph(source):
        out.add(triple)
    return out


def _ntriples_lines(source: Graph) -> list[str]:
    return sorted({_nt_row(triple) for triple in source})


def _store_ntriples(engine, *, inferred: bool) -> list[bytes]:
    """``serialize(graph, "ntriples")`` of the store's graph (with *inferred*, the closure and the
    alignments' nodes, generated in the store), written one triple at a time instead of through an
    rdflib Graph of it all: at 100x the data that Graph took 2 GiB. Blank-node labels depend only on
    the triples a blank node is in (rdflib.compare colours a blank node by its neighbours), so those
    triples alone are labelled together; every other line is the store's triple as rdflib writes it
    (to_rdflib, then rdflib's own N-Triples row: the same literals, normalised by rdflib, as before).
    The sorted, distinct lines, to be written in blocks (see blocks) rather than joined into one."""
    from .alignments import generated_in_store
    from .graph.terms import to_rdflib

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
    if inferred:
        for triple in generated_in_store(engine):
            add(triple.subject, triple.predicate, triple.object)
    lines.extend(_nt_row(triple).encode("utf-8") for triple in to_canonical_graph(blank))
    lines.sort()  # UTF-8 bytes sort as their code points, like the str lines of _ntriples_lines
    return [line for line, _ in itertools.groupby(lines)]


def _key(term) -> tuple[int, str]:
    return (0 if isinstance(term, URIRef) else 1 if isinstance(term, BNode) else 2, term.n3())


def _to_xml(source: Graph) -> str:
    used = {}
    for predicate in {p for _, p, _ in source} | {RDF.type}:
        for prefix, namespace in PREFIXES.items():
            local = str(predicate)[len(str(namespace)):]
            if str(predicate).startswith(str(namespace)) and local and (local[0].isalpha() or local[0] == "_") and all(
                c.isalnum() or c in "_-." for c in local
            ):
                used[predicate] = (prefix, local)
                break
        else:
            raise InputError(f"cannot write <{predicate}> as an RDF/XML element: no known namespace")
    prefixes = sorted({prefix for prefix, _ in used.values()} | {"rdf"})
    out = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    out.extend(f"    xmlns:{p}={quoteattr(str(PREFIXES[p]))}" for p in prefixes)
    out[-1] += ">"
    for subject in sorted(set(source.subjects()), key=_key):
        about = f"rdf:nodeID={quoteattr(str(subject))}" if isinstance(subject, BNode) else f"rdf:about={quoteattr(str(subject))}"
        out.append(f"  <rdf:Description {about}>")
        for predicate, obj in sorted(source.predicate_objects(subject), key=lambda po: (str(po[0]), _key(po[1]))):
            tag = ":".join(used[predicate])
            if isinstance(obj, URIRef):
                out.append(f"    <{tag} rdf:resource={quoteattr(str(obj))}/>")
            elif isinstance(obj, BNode):
                out.append(f"    <{tag} rdf:nodeID={quoteattr(str(obj))}/>")
            else:
                attrs = ""
                if obj.language:
                    attrs = f" xml:lang={quoteattr(obj.language)}"
                elif obj.datatype:
                    attrs = f" rdf:datatype={quoteattr(str(obj.datatype))}"
                out.append(f"    <{tag}{attrs}>{escape(str(obj))}</{tag}>")
        out.append("  </rdf:Description>")
    out.append("</rdf:RDF>")
    return "\n".join(out) + "\n"


def _compact(iri: str, used: set[str]) -> str:
    """*iri* as a compact IRI ``prefix:local`` under natograph's longest matching namespace (noting the
    prefix in *used*), or the full IRI. A local part starting with "//" would read as an absolute IRI,
    so such an IRI stays whole."""
    best = None
    for prefix, namespace in PREFIXES.items():
        ns = str(namespace)
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            if best is None or len(ns) > len(str(PREFIXES[best])):
                best = prefix
    if best is None:
        return iri
    used.add(best)
    return f"{best}:{iri[len(str(PREFIXES[best])):]}"


def _jsonld_id(term, used: set[str]) -> str:
    return f"_:{term}" if isinstance(term, BNode) else _compact(str(term), used)


def _jsonld_value(term, used: set[str]):
    if isinstance(term, (URIRef, BNode)):
        return {"@id": _jsonld_id(term, used)}
    assert isinstance(term, Literal)
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype and str(term.datatype) != str(XSD.string):
        return {"@value": str(term), "@type": _compact(str(term.datatype), used)}
    return str(term)


def _to_jsonld(source: Graph) -> str:
    """Compact JSON-LD with an inline ``@context`` of natograph's prefixes (nothing to fetch): one
    node object per subject, IRIs as ``prefix:local``, plain strings bare, a single value unwrapped,
    the text of a property that only ever holds language-tagged text as a language map
    (``"rdfs:label": {"en": "France", "fr": "France"}``), the values of a property that only ever
    links to resources as plain IRI strings (``"ng:participant": "cty:FR"``), everything sorted, so the
    bytes are stable."""
    used: set[str] = set()
    predicates = {p for p in set(source.predicates()) if p != RDF.type}
    by_language = {p for p in predicates if all(isinstance(o, Literal) and o.language for o in source.objects(None, p))}
    by_iri = {p for p in predicates if all(isinstance(o, (URIRef, BNode)) for o in source.objects(None, p))}
    nodes = []
    for subject in sorted(set(source.subjects()), key=_key):
        node: dict = {"@id": _jsonld_id(subject, used)}
        types = sorted(_compact(str(o), used) for o in source.objects(subject, RDF.type) if isinstance(o, URIRef))
        if types:
            node["@type"] = types[0] if len(types) == 1 else types
        for predicate in sorted({p for p in source.predicates(subject)}, key=lambda p: _compact(str(p), set())):
            values = list(source.objects(subject, predicate))
            if predicate == RDF.type:
                values = [o for o in values if not isinstance(o, URIRef)]
                if not values:
                    continue
            if predicate in by_language:
                texts: dict[str, list[str]] = {}
                for value in values:
                    texts.setdefault(value.language, []).append(str(value))
                node[_compact(str(predicate), used)] = {
                    lang: found[0] if len(found) == 1 else sorted(found) for lang, found in sorted(texts.items())
                }
                continue
            if predicate in by_iri:
                rendered = [_jsonld_id(o, used) for o in sorted(values, key=_key)]
            else:
                rendered = [_jsonld_value(o, used) for o in sorted(values, key=_key)]
            node[_compact(str(predicate), used)] = rendered[0] if len(rendered) == 1 else rendered
        nodes.append(node)
    context: dict = {prefix: str(namespace) for prefix, namespace in PREFIXES.items() if prefix in used}
    for predicate in sorted(by_language | by_iri, key=lambda p: _compact(str(p), set())):
        name = _compact(str(predicate), used)
        context[name] = {"@id": name, **({"@container": "@language"} if predicate in by_language else {"@type": "@id"})}
    context = {k: context[k] for k in [*(p for p in PREFIXES if p in context), *(k for k in context if k not in PREFIXES)]}
    return json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


def serialize(source: Graph, fmt: str) -> bytes:
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    data = canonical(source)
    if fmt == "ntriples":
        return "".join(_ntriples_lines(data)).encode("utf-8")
    if fmt in ("nquads", "trig"):  # one graph: the default graph of the dataset
        return b"".join(_dataset_bytes({None: [line.encode("utf-8") for line in _ntriples_lines(data)]}, fmt))
    if fmt == "xml":
        return _to_xml(data).encode("utf-8")
    if fmt == "jsonld":
        return _to_jsonld(data).encode("utf-8")
    return data.serialize(format="turtle", encoding="utf-8")


def _dataset_bytes(graphs_lines: dict, fmt: str) -> list[bytes]:
    """N-Quads or TriG of {graph IRI or None (the default graph): sorted N-Triples lines (bytes)}, as
    lines to write one after the other (see blocks): at 100x they are 150 MB, never joined. Each
    graph's lines are taken out of *graphs_lines* as they are rewritten."""
    out: list[bytes] = []
    for name in sorted(graphs_lines, key=lambda n: (n is not None, n or "")):
        lines = graphs_lines.pop(name)
        if fmt == "nquads":
            suffix = b" .\n" if name is None else f" <{name}> .\n".encode()
            out.extend([line[: -len(b" .\n")] + suffix for line in lines])
        else:
            out.append((b"\n" if out else b"") + (b"{\n" if name is None else f"<{name}> {{\n".encode()))
            out.extend([b"    " + line for line in lines])
            out.append(b"}\n")
        del lines
    return out


def dataset(*, inferred: bool = False) -> dict[str, list[bytes]]:
    """The shipped graph as named graphs (see GRAPHS): {graph IRI: sorted, distinct N-Triples lines},
    blank nodes labelled by W3C RDF Dataset Canonicalization (RDFC-1.0) over the whole dataset.

    Each file's triples come from the store (``store.file_quads``), not from parsing the files again.
    Only the quads with a blank node go through the canonicalisation: RDFC-1.0 labels a blank node
    from the quads it is in and from the blank nodes those reach, never from a quad without one,
    so the labels are those of the whole dataset; the others are written as Oxigraph writes them,
    read in chunks (at 100x, 790,000 quads of which 171 have a blank node: the whole dataset in
    pyoxigraph objects took 1.8 GiB, 2026-11-27)."""
    import pyoxigraph as ox

    engine, quads = store.file_quads(loading.engine_for())
    if inferred:
        from .alignments import generated_in_store

        alignments = ox.NamedNode(GRAPHS + "alignments")
        quads = itertools.chain(
            quads, engine.inferred_quads(),
            (ox.Quad(t.subject, t.predicate, t.object, alignments) for t in generated_in_store(engine)
             if not engine.holds(t.subject, t.predicate, t.object)))
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


def _graph(*, inferred: bool) -> Graph:
    """The asserted graph, or with *inferred* the OWL RL closure and the nodes the alignments generate
    (written by the store, as for N-Triples: rdflib's SPARQL took 0.56 s over the shipped closure, the
    store 5 ms)."""
    engine = loading.engine_for()
    out = engine.rdflib_graph(inferred=inferred)  # a new Graph, this call's own
    if inferred:
        from .alignments import generated_in_store
        from .graph.terms import to_rdflib

        out.addN((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object), out)
                 for t in generated_in_store(engine))
    return out


def profile_graph(profile: str, *, inferred: bool = False) -> Graph:
    """The shipped graph re-shaped by *profile* (one of PROFILES): ``wikidata`` (natograph.profiles,
    built from the inferred graph), ``owl-dl`` (natograph.owl_dl, of the asserted or inferred graph)."""
    if profile not in PROFILES:
        raise InputError(f"unknown profile {profile!r}; expected one of {', '.join(PROFILES)}")
    if profile == "owl-dl":
        from .owl_dl import owl_dl

        return owl_dl(_graph(inferred=inferred))
    from .profiles import build

    return build(profile, loading.load(inferred=True))


def export_parts(fmt: str = "turtle", *, inferred: bool = False, profile: str | None = None) -> bytes | list[bytes]:
    """What :func:`export` returns, as bytes or as the lines to write one after the other (N-Triples
    of the graph, which ``natograph export`` writes in blocks without ever joining them)."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    if fmt in ("trig", "nquads") and profile is None:
        return _dataset_bytes(dataset(inferred=inferred), fmt)
    if fmt == "ntriples" and profile is None:
        return _store_ntriples(loading.engine_for(), inferred=inferred)
    source = _graph(inferred=inferred) if profile is None else profile_graph(profile, inferred=inferred)
    return serialize(source, fmt)


def export(fmt: str = "turtle", *, inferred: bool = False, profile: str | None = None,
           output: str | Path | None = None) -> bytes:
    """The shipped graph in *fmt*; written to *output* if given.

    *inferred* adds the OWL RL closure and the nodes the alignments generate (natograph.alignments);
    *profile* re-shapes the graph first (PROFILES: ``owl-dl``, ``wikidata``).
    """
    parts = export_parts(fmt, inferred=inferred, profile=profile)
    if output is not None:
        write_atomic(output, parts)
    return parts if isinstance(parts, bytes) else b"".join(parts)
