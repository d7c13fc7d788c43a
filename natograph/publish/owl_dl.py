"""The ``owl-dl`` export profile: the graph, ontology and data, as an OWL 2 DL reasoner (HermiT, Protégé's
default) accepts it without switches.

OWL 2's datatype map (https://www.w3.org/TR/owl2-syntax/#Datatype_Maps) has no ``xsd:date``,
``xsd:gYearMonth`` or ``xsd:gYear``. The ontology files keep within the map (their header dates are untyped
ISO text, no property has a date range: the date rules are in the SHACL shapes), so HermiT loads them as
they are; the data's dates carry those types, the precision a source gives and never more, and HermiT
refuses any graph that holds them. The profile writes each such literal as its ISO 8601 text typed
``xsd:string`` ("1995-02"^^xsd:gYearMonth becomes "1995-02"), and any mention of those datatypes as a term
(``rdfs:range xsd:date``: none in the shipped files, any in a graph given to ``owl_dl``) as ``xsd:string``. Nothing else
changes: every class and property axiom, every resource and every other literal is kept. The ISO text keeps
the precision and orders as the stored queries compare dates (by their text), but a reasoner sees strings,
not dates: use the plain export for anything that computes with dates.
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from ..graph.namespaces import bind_all

OUTSIDE_OWL2 = frozenset({XSD.date, XSD.gYearMonth, XSD.gYear})
"""natograph's datatypes that OWL 2's datatype map lacks."""


def _term(term):
    if isinstance(term, Literal) and term.datatype in OUTSIDE_OWL2:
        return Literal(str(term), datatype=XSD.string)
    if term in OUTSIDE_OWL2:
        return XSD.string
    return term


def owl_dl(graph: Graph) -> Graph:
    """A copy of *graph* with the dates written as xsd:string and the date datatypes as xsd:string."""
    out = Graph()
    bind_all(out)
    for s, p, o in graph:
        out.add((_term(s), p, _term(o)))
    return out
