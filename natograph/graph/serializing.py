"""The graph as bytes, the same bytes every time: Turtle, N-Triples, JSON-LD, RDF/XML, and N-Quads or
TriG of one graph. One writer for every layer that writes RDF (the exports, a CONSTRUCT's answer,
the release's dumps and pages, the ontology's documentation).

Byte-stable means: blank nodes get canonical labels (rdflib.compare, RDF canonicalisation), and
every format is written in sorted order by natograph itself, except Turtle, whose rdflib serializer
already sorts. rdflib's RDF/XML, JSON-LD and TriG serializers walk the store in an order that changes
with Python's hash seed, so they are not used.

JSON-LD is compact, with an inline ``@context`` of natograph's prefixes (namespaces.PREFIXES): no
remote context, IRIs read as ``cty:FR``, ``ng:memberOf``.
"""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF, XSD
from rdflib.plugins.serializers.nt import _nt_row

from ..errors import InputError
from .namespaces import PREFIXES, bind_all

EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "xml", "trig", "nquads")


def canonical(source: Graph) -> Graph:
    """The same graph with canonical blank-node labels, and natograph's prefixes bound."""
    out = Graph()
    bind_all(out)
    for triple in to_canonical_graph(source):
        out.add(triple)
    return out


def _ntriples_lines(source: Graph) -> list[str]:
    return sorted({_nt_row(triple) for triple in source})


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
        return b"".join(dataset_bytes({None: [line.encode("utf-8") for line in _ntriples_lines(data)]}, fmt))
    if fmt == "xml":
        return _to_xml(data).encode("utf-8")
    if fmt == "jsonld":
        return _to_jsonld(data).encode("utf-8")
    return data.serialize(format="turtle", encoding="utf-8")


def dataset_bytes(graphs_lines: dict, fmt: str) -> list[bytes]:
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
