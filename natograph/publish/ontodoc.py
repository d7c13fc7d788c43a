"""The ontology's documentation: one HTML page with every class and property, EN and FR side by side,
and a class diagram drawn by Graphviz (``dot -Tsvg``).

natograph's own Jinja2 template rather than pyLODE: pyLODE prints one label and one definition per
term, where natograph's terms are bilingual by rule and the page shows both languages in two columns;
pyLODE 3.3.4 would also pin an old dependency set beside rdflib 7.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field

from ..errors import InputError
from ..graph import resources
from ..graph.namespaces import NG, ONTOLOGY_IRI, PREFIXES


@dataclass
class Term:
    iri: str
    name: str  # local name, the page's anchor
    kind: str  # class, object, datatype, annotation
    label: dict = field(default_factory=dict)
    definition: dict = field(default_factory=dict)
    scope_note: dict = field(default_factory=dict)  # how the term is used: the dating rules on ng:startDate, ...
    facts: list = field(default_factory=list)  # (predicate label, [rendered values])


def short(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return f"<{iri}>"


def _link(iri: str) -> dict:
    """A value as the template shows it: internal terms link to their anchor."""
    if iri.startswith(str(NG)):
        return {"text": short(iri), "href": "#" + iri[len(str(NG)):]}
    return {"text": short(iri), "href": iri if iri.startswith(("http://", "https://")) else None}


def _expression(graph, node) -> list:
    """An OWL class expression as a list of text/link pieces (Manchester-like)."""
    from rdflib import BNode, URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL

    if isinstance(node, URIRef):
        return [_link(str(node))]
    if not isinstance(node, BNode):
        return [{"text": str(node), "href": None}]
    prop = graph.value(node, OWL.onProperty)
    if prop is not None:
        for predicate, word in ((OWL.hasValue, "value"), (OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only")):
            value = graph.value(node, predicate)
            if value is not None:
                return [_link(str(prop)), {"text": f" {word} ", "href": None}, *_expression(graph, value)]
    for predicate, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        head = graph.value(node, predicate)
        if head is not None:
            pieces: list = [{"text": "(", "href": None}]
            for i, item in enumerate(Collection(graph, head)):
                if i:
                    pieces.append({"text": word, "href": None})
                pieces += _expression(graph, item)
            return [*pieces, {"text": ")", "href": None}]
    return [{"text": "(an anonymous class)", "href": None}]


def terms(graph) -> list[Term]:
    """Every term the ontology defines (rdfs:isDefinedBy the ontology), with what the page shows."""
    from rdflib import URIRef
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDF, RDFS, SKOS

    kinds = {OWL.Class: "class", OWL.ObjectProperty: "object", OWL.DatatypeProperty: "datatype",
             OWL.AnnotationProperty: "annotation"}
    out = []
    for iri in sorted(set(graph.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI))), key=str):
        kind = next((kinds[t] for t in graph.objects(iri, RDF.type) if t in kinds), None)
        if kind is None:
            continue
        term = Term(str(iri), str(iri)[len(str(NG)):], kind)
        for lit in graph.objects(iri, RDFS.label):
            term.label[lit.language] = str(lit)
        for lit in graph.objects(iri, SKOS.definition):
            term.definition[lit.language] = str(lit)
        for lit in graph.objects(iri, SKOS.scopeNote):
            term.scope_note[lit.language] = str(lit)
        facts = []
        for predicate, title in ((RDFS.subClassOf, "subclass of"), (OWL.equivalentClass, "equivalent to"),
                                 (OWL.disjointWith, "disjoint with"), (RDFS.subPropertyOf, "subproperty of"),
                                 (RDFS.domain, "domain"), (RDFS.range, "range"), (OWL.inverseOf, "inverse of")):
            values = sorted((_expression(graph, v) for v in graph.objects(iri, predicate)), key=lambda p: str(p))
            if values:
                facts.append((title, values))
        for chain in graph.objects(iri, OWL.propertyChainAxiom):
            pieces: list = []
            for i, item in enumerate(Collection(graph, chain)):
                if i:
                    pieces.append({"text": " o ", "href": None})
                pieces.append(_link(str(item)))
            facts.append(("property chain", [pieces]))
        characteristics = sorted(short(str(t)) for t in graph.objects(iri, RDF.type)
                                 if t not in kinds and str(t).startswith(str(OWL)))
        if characteristics:
            facts.append(("characteristics", [[{"text": c, "href": None}] for c in characteristics]))
        # what points here: subclasses, and properties whose domain or range is this class
        if kind == "class":
            subs = sorted(str(s) for s in graph.subjects(RDFS.subClassOf, iri) if isinstance(s, URIRef))
            if subs:
                facts.append(("superclass of", [[_link(s)] for s in subs]))
            used = sorted({str(p) for p in graph.subjects(RDFS.domain, iri)} | {str(p) for p in graph.subjects(RDFS.range, iri)})
            if used:
                facts.append(("used by", [[_link(p)] for p in used]))
        term.facts = facts
        out.append(term)
    return out


def diagram_dot(graph) -> str:
    """The classes (named ones) with their subclass links, and the object properties between them."""
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    def name(iri) -> str:
        return str(iri)[len(str(NG)):]

    def label(iri) -> str:
        return next((str(v) for v in graph.objects(iri, RDFS.label) if v.language == "en"), name(iri))

    classes = sorted({c for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and str(c).startswith(str(NG))})
    lines = ["digraph natograph {", '    graph [rankdir=BT, fontname="Helvetica", nodesep=0.3, ranksep=0.5];',
             '    node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#1f4e8c", fontname="Helvetica",'
             ' fontsize=10];',
             '    edge [fontname="Helvetica", fontsize=8, color="#555555"];']
    for c in classes:
        lines.append(f'    "{name(c)}" [label="{label(c)}", URL="#{name(c)}", tooltip="ng:{name(c)}"];')
    for c in classes:
        for sup in sorted(o for o in graph.objects(c, RDFS.subClassOf) if o in classes):
            lines.append(f'    "{name(c)}" -> "{name(sup)}" [arrowhead=empty];')
    props = sorted(p for p in graph.subjects(RDF.type, OWL.ObjectProperty) if str(p).startswith(str(NG)))
    for p in props:
        for d in sorted(o for o in graph.objects(p, RDFS.domain) if o in classes):
            for r in sorted(o for o in graph.objects(p, RDFS.range) if o in classes):
                lines.append(f'    "{name(d)}" -> "{name(r)}" [label="{name(p)}", style=dashed, arrowsize=0.6];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_svg(dot_source: str) -> bytes:
    """``dot -Tsvg``: Graphviz from the system (Debian's ``graphviz``)."""
    exe = shutil.which("dot")
    if exe is None:
        raise InputError("Graphviz's 'dot' is needed to draw the class diagram: install graphviz (apt-get install graphviz)")
    try:
        done = subprocess.run([exe, "-Tsvg"], input=dot_source.encode("utf-8"), capture_output=True, check=True, timeout=120)
    except subprocess.CalledProcessError as exc:
        raise InputError(f"dot failed: {exc.stderr.decode('utf-8', 'replace').strip()[:200]}") from None
    return done.stdout


def ontology_files(*, version: str) -> dict[str, bytes]:
    """doc/index.html (the documentation) and doc/classes.svg (the class diagram)."""
    from rdflib import URIRef
    from rdflib.namespace import DCTERMS, OWL, RDFS, VANN

    from ..graph.parsing import parse_file
    from ..pages.templating import release_environment
    from .dataset import LICENSE

    path = resources.ontology_file()
    graph = parse_file(path)
    header = URIRef(ONTOLOGY_IRI)

    def texts(predicate) -> dict:
        return {lit.language or "": str(lit) for lit in graph.objects(header, predicate)}

    all_terms = terms(graph)
    dot = diagram_dot(graph)
    svg = render_svg(dot)
    sections = [("class", "Classes", "Classes"), ("object", "Object properties", "Propriétés d'objet"),
                ("datatype", "Datatype properties", "Propriétés de données"),
                ("annotation", "Annotation properties", "Propriétés d'annotation")]
    page = release_environment().get_template("release/ontology.html").render(
        iri=ONTOLOGY_IRI, version=version, title=texts(DCTERMS.title), description=texts(DCTERMS.description),
        comment=texts(RDFS.comment), version_iri=str(graph.value(header, OWL.versionIRI) or ""),
        created=str(graph.value(header, DCTERMS.created) or ""), modified=str(graph.value(header, DCTERMS.modified) or ""),
        prefix=str(graph.value(header, VANN.preferredNamespacePrefix) or ""),
        namespace=str(graph.value(header, VANN.preferredNamespaceUri) or ""),
        license=LICENSE, terms=all_terms, sections=[(k, en, fr, [t for t in all_terms if t.kind == k]) for k, en, fr in sections],
        svg=svg.decode("utf-8")[svg.decode("utf-8").index("<svg"):],
    )
    # The standalone drawing links to the documentation; the one inside the page to its own sections.
    standalone = svg.replace(b'xlink:href="#', b'xlink:href="index.html#').replace(b' href="#', b' href="index.html#')
    return {
        "doc/index.html": page.encode("utf-8"),
        "doc/classes.svg": standalone,
    }


def version_dumps() -> dict[str, dict[str, bytes]]:
    """Each ontology file's dumps (see ontology_dumps), by the file's own owl:versionIRI."""
    from rdflib.namespace import OWL

    from ..graph.parsing import parse_file

    out = {}
    for path in resources.ontology_files():
        for version in parse_file(path).objects(None, OWL.versionIRI):
            out[str(version)] = ontology_dumps(path)
    return out


def ontology_dumps(path=None) -> dict[str, bytes]:
    """The ontology file (natograph's own by default) as written (Turtle), and in JSON-LD and RDF/XML."""
    from ..graph.parsing import parse_file
    from ..graph.serializing import serialize

    path = path or resources.ontology_file()
    graph = parse_file(path)
    return {".ttl": path.read_bytes(), ".nt": serialize(graph, "ntriples"), ".jsonld": serialize(graph, "jsonld"),
            ".rdf": serialize(graph, "xml")}
