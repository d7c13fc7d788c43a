"""RDF terms in both libraries: pyoxigraph's are the store's vocabulary, rdflib's are what pySHACL, the
serializers and the Python API hand over. Converting one way or the other, each distinct term once.

rdflib is imported on first use, never at import time: a cold query converts no term.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..errors import QueryError

_XSD = "http://www.w3.org/2001/XMLSchema#"


def to_rdflib(term):
    """A pyoxigraph term as an rdflib term (None stays None). Plain strings lose ``xsd:string``."""
    if term is None:
        return None
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD + "string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise QueryError(f"unsupported term {term!r}")


class RdflibTerms(dict):
    """pyoxigraph terms to rdflib terms, each distinct term converted once (``terms[ox_term]``):
    reading many triples, most terms repeat, and one object per term makes later lookups cheap."""

    def __missing__(self, term):
        found = self[term] = to_rdflib(term)
        return found


def from_rdflib(term):
    """An rdflib term as a pyoxigraph term (None stays None)."""
    if term is None:
        return None
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"unsupported term {term!r}")


class OxTerms(dict):
    """rdflib terms to pyoxigraph terms, each distinct term converted once (``terms[rdflib_term]``),
    the other way from :class:`RdflibTerms`."""

    def __missing__(self, term):
        found = self[term] = from_rdflib(term)
        return found
