"""Export the graph for other linked-data tools: deterministic bytes, files written atomically.

Byte-stable means: blank nodes get canonical labels (rdflib.compare, RDF canonicalisation), and
every format is written in sorted order by natograph itself, except Turtle, whose rdflib
serializer already sorts. rdflib's RDF/XML, JSON-LD and TriG serializers walk the store in an order
that changes with Python's hash seed, so they are not used.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF
from rdflib.plugins.serializers.nt import _nt_row

from . import graph as graphs
from .errors import InputError
from .namespaces import BASE, PREFIXES, bind_all

EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "xml", "trig", "nquads")
GRAPH_NAME = URIRef(BASE + "graph")


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


def _jsonld_value(term) -> dict:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    assert isinstance(term, Literal)
    if term.language:
        return {"@value": str(term), "@language": term.language}
    if term.datatype:
        return {"@value": str(term), "@type": str(term.datatype)}
    return {"@value": str(term)}


def _to_jsonld(source: Graph) -> str:
    """Expanded-IRI JSON-LD (no context to fetch), one node object per subject, all sorted."""
    nodes = []
    for subject in sorted(set(source.subjects()), key=_key):
        node: dict = {"@id": f"_:{subject}" if isinstance(subject, BNode) else str(subject)}
        types = sorted(str(o) for o in source.objects(subject, RDF.type) if isinstance(o, URIRef))
        if types:
            node["@type"] = types
        for predicate in sorted({p for p in source.predicates(subject)}, key=str):
            values = [o for o in source.objects(subject, predicate)]
            if predicate == RDF.type:
                values = [o for o in values if not isinstance(o, URIRef)]
                if not values:
                    continue
            node[str(predicate)] = [_jsonld_value(o) for o in sorted(values, key=_key)]
        nodes.append(node)
    return json.dumps({"@graph": nodes}, ensure_ascii=False, indent=2) + "\n"


def serialize(source: Graph, fmt: str) -> bytes:
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    data = canonical(source)
    if fmt == "ntriples":
        return "".join(_ntriples_lines(data)).encode("utf-8")
    if fmt == "nquads":
        name = f" {GRAPH_NAME.n3()} .\n"
        return "".join(line[: -len(" .\n")] + name for line in _ntriples_lines(data)).encode("utf-8")
    if fmt == "trig":
        lines = [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
        lines += ["\n", f"{GRAPH_NAME.n3()} {{\n"]
        lines += ["    " + line for line in _ntriples_lines(data)]
        lines.append("}\n")
        return "".join(lines).encode("utf-8")
    if fmt == "xml":
        return _to_xml(data).encode("utf-8")
    if fmt == "jsonld":
        return _to_jsonld(data).encode("utf-8")
    return data.serialize(format="turtle", encoding="utf-8")


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write *data* to *path* through a temporary file in the same folder, then rename."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("folder does not exist", path=str(folder))
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write here ({exc.strerror})", path=str(folder)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InputError(f"cannot write file ({exc.strerror})", path=str(target)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export(
    fmt: str = "turtle", *, inferred: bool = False, profile: str | None = None, output: str | Path | None = None
) -> bytes:
    """The shipped graph in *fmt*; written to *output* if given.

    *inferred* adds the OWL RL closure and the nodes the alignments generate (natograph.alignments);
    *profile* writes the graph of that profile instead (natograph.profiles: ``wikidata``).
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    if profile is not None:
        from .profiles import build

        source = build(profile, graphs.load(inferred=True))
    elif inferred:
        from .alignments import with_generated

        source = with_generated(graphs.load(inferred=True))
    else:
        source = graphs.load(inferred=False)
    data = serialize(source, fmt)
    if output is not None:
        write_atomic(output, data)
    return data
