"""The dataset described for machines: VoID (``/.well-known/void``) and the SPARQL 1.1 Service
Description (GET ``/sparql`` without a query, ``service_triples``), as pyoxigraph triples."""

from __future__ import annotations

import pyoxigraph as ox

from .._version import __version__
from ..graph.currency import data_as_of
from ..graph.store.engine import ASSERTED
from .dataset import names as available_graphs

BASE = "https://w3id.org/natograph/"
DATASET = ox.NamedNode(BASE)
_VOID = "http://rdfs.org/ns/void#"
_SD = "http://www.w3.org/ns/sparql-service-description#"
_DCT = "http://purl.org/dc/terms/"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_FORMATS = "http://www.w3.org/ns/formats/"
_XSD = "http://www.w3.org/2001/XMLSchema#"
PREFIXES = {"void": _VOID, "sd": _SD, "dcterms": _DCT, "rdf": _RDF, "formats": _FORMATS, "xsd": _XSD,
            "ng": BASE + "ontology#"}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_n(_XSD + "integer"))


def _count(engine, text: str) -> int:
    return int(next(iter(engine.query(text)))["n"].value)


def void_triples(engine, endpoint: str | None = None) -> list[ox.Triple]:
    """VoID: the dataset, its size, its URI space, its vocabulary, the day its data is as of
    (``ng:dataAsOf``), one partition per class."""
    t = []
    add = lambda s, p, o: t.append(ox.Triple(s, _n(p), o))  # noqa: E731
    add(DATASET, _RDF + "type", _n(_VOID + "Dataset"))
    add(DATASET, _DCT + "title", ox.Literal("natograph: NATO's partnerships", language="en"))
    add(DATASET, _DCT + "title", ox.Literal("natograph : les partenariats de l'OTAN", language="fr"))
    add(DATASET, _DCT + "description", ox.Literal(
        "NATO's partnerships as an open, bilingual knowledge graph: members, partners, frameworks, initiatives and "
        "events, each fact with its public source.", language="en"))
    add(DATASET, _DCT + "license", _n("https://creativecommons.org/licenses/by/4.0/"))
    add(DATASET, _VOID + "triples", _int(engine.triples))
    add(DATASET, _VOID + "uriSpace", ox.Literal(BASE + "id/"))
    add(DATASET, _VOID + "vocabulary", _n(BASE + "ontology#"))
    add(DATASET, _VOID + "exampleResource", _n(BASE + "id/country/FR"))
    add(DATASET, _VOID + "exampleResource", _n(BASE + "id/framework/PfP"))
    add(DATASET, _DCT + "hasVersion", ox.Literal(__version__))
    as_of = data_as_of(engine)
    if as_of:
        add(DATASET, BASE + "ontology#dataAsOf", ox.Literal(as_of, datatype=_n(_XSD + "date")))
    if endpoint:
        add(DATASET, _VOID + "sparqlEndpoint", _n(endpoint))
    add(DATASET, _VOID + "distinctSubjects", _int(_count(engine, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")))
    add(DATASET, _VOID + "properties", _int(_count(engine, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")))
    rows = engine.query(f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
        GRAPH <{ASSERTED.value}> {{ ?s a ?class }} FILTER (STRSTARTS(STR(?class), "{BASE}")) }}
        GROUP BY ?class ORDER BY ?class""")
    classes = [(row["class"], row["n"]) for row in rows]
    add(DATASET, _VOID + "classes", _int(len(classes)))
    for cls, n in classes:
        part = _n(f"{BASE}void#class-{cls.value.rpartition('#')[2]}")
        add(DATASET, _VOID + "classPartition", part)
        add(part, _VOID + "class", cls)
        add(part, _VOID + "entities", _int(n.value))
    return t


RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_triples(engine, endpoint: str) -> list[ox.Triple]:
    """The SPARQL 1.1 Service Description of the endpoint: what it speaks, its default dataset (the
    graph with its closure, in one default graph) and, as ``sd:availableGraphs``, the graphs the
    Protocol's dataset parameters can name (``natograph.web.dataset``), each with its size."""
    t = []
    add = lambda s, p, o: t.append(ox.Triple(s, _n(p), o))  # noqa: E731
    service = _n(endpoint + "#service")
    add(service, _RDF + "type", _n(_SD + "Service"))
    add(service, _SD + "endpoint", _n(endpoint))
    add(service, _SD + "supportedLanguage", _n(_SD + "SPARQL11Query"))
    for fmt in RESULT_FORMATS:
        add(service, _SD + "resultFormat", _n(_FORMATS + fmt))
    add(service, _SD + "feature", _n(_SD + "UnionDefaultGraph"))
    dataset = ox.BlankNode("dataset")
    graph = ox.BlankNode("default")
    add(service, _SD + "defaultDataset", dataset)
    add(dataset, _RDF + "type", _n(_SD + "Dataset"))
    add(dataset, _DCT + "source", DATASET)
    add(dataset, _SD + "defaultGraph", graph)
    add(graph, _RDF + "type", _n(_SD + "Graph"))
    add(graph, _VOID + "triples", _int(engine.triples))
    available = ox.BlankNode("available")
    add(service, _SD + "availableGraphs", available)
    add(available, _RDF + "type", _n(_SD + "GraphCollection"))
    for index, (name, triples) in enumerate(available_graphs(engine)):
        named, described = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        add(available, _SD + "namedGraph", named)
        add(named, _RDF + "type", _n(_SD + "NamedGraph"))
        add(named, _SD + "name", name)
        add(named, _SD + "graph", described)
        add(described, _RDF + "type", _n(_SD + "Graph"))
        add(described, _VOID + "triples", _int(triples))
    return t
