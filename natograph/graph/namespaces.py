"""The one prefix table: every module, query and test takes its namespaces from here."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, RDF, RDFS, SH, SKOS, VANN, XSD

BASE = "https://w3id.org/natograph/"
NG = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
CTY = Namespace(BASE + "id/country/")
IORG = Namespace(BASE + "id/organisation/")
FW = Namespace(BASE + "id/framework/")
INI = Namespace(BASE + "id/initiative/")
CNCL = Namespace(BASE + "id/council/")
EVT = Namespace(BASE + "id/event/")
DOC = Namespace(BASE + "id/document/")
PTN = Namespace(BASE + "id/participation/")
SUSP = Namespace(BASE + "id/suspension/")
PKG = Namespace(BASE + "id/dcb-package/")
CNT = Namespace(BASE + "id/count/")
OBJ = Namespace(BASE + "id/objective/")
AREA = Namespace(BASE + "id/area/")
BENEFIT = Namespace(BASE + "id/benefit/")
OP = Namespace(BASE + "id/operation/")
CTB = Namespace(BASE + "id/contribution/")
SHAPES = Namespace(BASE + "shapes#")
# Nodes natograph generates for the alignments and the Wikidata profile (never hand-written).
INTERVAL = Namespace(BASE + "id/interval/")
INSTANT = Namespace(BASE + "id/instant/")
QUOTATION = Namespace(BASE + "id/quotation/")
STATEMENT = Namespace(BASE + "id/statement/")
REFERENCE = Namespace(BASE + "id/reference/")
ALIGNMENTS_IRI = BASE + "alignments"

# The vocabularies natograph is aligned with (ontology/alignments.ttl). schema.org is http://schema.org/:
# its JSON-LD context expands to that form, so deployed schema.org data and Wikidata's RDF use it.
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("http://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")
P = Namespace("http://www.wikidata.org/prop/")
PS = Namespace("http://www.wikidata.org/prop/statement/")
PQ = Namespace("http://www.wikidata.org/prop/qualifier/")
PQV = Namespace("http://www.wikidata.org/prop/qualifier/value/")
PR = Namespace("http://www.wikidata.org/prop/reference/")
WIKIBASE = Namespace("http://wikiba.se/ontology#")

PREFIXES: dict[str, Namespace] = {
    "ng": NG,
    "cty": CTY,
    "iorg": IORG,
    "fw": FW,
    "ini": INI,
    "cncl": CNCL,
    "evt": EVT,
    "doc": DOC,
    "ptn": PTN,
    "susp": SUSP,
    "pkg": PKG,
    "cnt": CNT,
    "obj": OBJ,
    "area": AREA,
    "benefit": BENEFIT,
    "op": OP,
    "ctb": CTB,
    "ngsh": SHAPES,
    "interval": INTERVAL,
    "instant": INSTANT,
    "quotation": QUOTATION,
    "statement": STATEMENT,
    "reference": REFERENCE,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "sh": SH,
    "foaf": FOAF,
    "vann": VANN,
    "org": ORG,
    "prov": PROV,
    "time": TIME,
    "schema": SCHEMA,
    "wd": WD,
    "wdt": WDT,
    "p": P,
    "ps": PS,
    "pq": PQ,
    "pqv": PQV,
    "pr": PR,
    "wikibase": WIKIBASE,
}


def bind_all(graph) -> None:
    """Bind natograph's prefixes on *graph* (replacing rdflib's defaults for the same names)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
