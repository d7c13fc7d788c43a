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
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "sh": SH,
    "foaf": FOAF,
    "vann": VANN,
}


def bind_all(graph) -> None:
    """Bind natograph's prefixes on *graph* (replacing rdflib's defaults for the same names)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
