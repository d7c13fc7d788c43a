"""owlrl's OWL 2 RL closure, the reference the chainer (``closure.inferred``) must equal, and the filter
of owlrl's noise both apply. Seconds on the shipped graph: for tests, and for input the chainer does
not mirror (``index.Fallback``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

_NOISE_TYPES = frozenset({OWL.Thing, RDFS.Resource})
_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")

Triple = tuple[Any, Any, Any]


def is_meaningful(triple: tuple) -> bool:
    """False for owlrl's noise: reflexive ``owl:sameAs``, triples about literals, ``rdf:type owl:Thing`` /
    ``rdfs:Resource`` / an anonymous restriction, statements about the RDF, RDFS, OWL, XSD vocabularies."""
    s, p, o = triple
    if isinstance(s, Literal):
        return False
    if p == OWL.sameAs and s == o:
        return False
    if p == RDF.type and (o in _NOISE_TYPES or isinstance(o, BNode)):
        return False  # membership of owl:Thing, rdfs:Resource or an anonymous restriction
    return not (isinstance(s, URIRef) and str(s).startswith(_VOCABULARIES))


def reference_inferred(asserted: Iterable[Triple]) -> set[Triple]:
    """owlrl's closure (the reference), minus the asserted triples and the noise. Seconds; for tests."""
    import owlrl

    work = Graph()
    for triple in asserted:
        work.add(triple)
    before = set(work)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(work)
    return {t for t in work if t not in before and is_meaningful(t)}
