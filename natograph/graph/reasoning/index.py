"""The chainer's store: terms as integers, the triples in two hash indexes (predicate -> subject ->
objects, predicate -> object -> subjects), the queue of new triples, RDF lists as rdflib reads them."""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Literal
from rdflib.namespace import OWL, RDF, RDFS

Triple = tuple[Any, Any, Any]

EMPTY: frozenset = frozenset()


class Fallback(Exception):
    """Input owlrl itself handles in a way not worth mirroring (it may crash): use the reference."""


class Index:
    """The triples (integers) and the vocabulary the rules name (``self.TYPE``, ``self.SAME``...); the rule
    families (``properties``, ``classes``...) are mixed in beside it by ``closure._Closure``."""

    def __init__(self) -> None:
        self.ids: dict[Any, int] = {}
        self.terms: list[Any] = []
        self.literal: set[int] = set()
        self.bnode: set[int] = set()
        k = self.id
        (self.TYPE, self.SAME, self.DIFF, self.SC, self.EQC, self.SPO, self.EQP, self.DOMAIN, self.RANGE,
         self.INV, self.CHAIN, self.SVF, self.AVF, self.HV, self.ONPROP, self.ONCLASS, self.INTER, self.UNION,
         self.ONEOF, self.HASKEY, self.MAXC, self.MAXQC, self.FIRST, self.REST, self.NIL, self.THING,
         self.NOTHING, self.CLASS, self.FP, self.IFP, self.SYM, self.TRANS, self.OBJPROP, self.DATAPROP,
         self.RDFPROP, self.ANNOTATION) = (
            k(RDF.type), k(OWL.sameAs), k(OWL.differentFrom), k(RDFS.subClassOf), k(OWL.equivalentClass),
            k(RDFS.subPropertyOf), k(OWL.equivalentProperty), k(RDFS.domain), k(RDFS.range), k(OWL.inverseOf),
            k(OWL.propertyChainAxiom), k(OWL.someValuesFrom), k(OWL.allValuesFrom), k(OWL.hasValue),
            k(OWL.onProperty), k(OWL.onClass), k(OWL.intersectionOf), k(OWL.unionOf), k(OWL.oneOf),
            k(OWL.hasKey), k(OWL.maxCardinality), k(OWL.maxQualifiedCardinality), k(RDF.first), k(RDF.rest),
            k(RDF.nil), k(OWL.Thing), k(OWL.Nothing), k(OWL.Class), k(OWL.FunctionalProperty),
            k(OWL.InverseFunctionalProperty), k(OWL.SymmetricProperty), k(OWL.TransitiveProperty),
            k(OWL.ObjectProperty), k(OWL.DatatypeProperty), k(RDF.Property), k(OWL.AnnotationProperty))
        self.ps: dict[int, dict[int, set[int]]] = {}  # predicate -> subject -> objects
        self.po: dict[int, dict[int, set[int]]] = {}  # predicate -> object -> subjects
        self.queue: list[Triple] = []
        self.reflexive_same = False  # store eq-ref's (x sameAs x), only when owl:sameAs is itself described
        self.seen: set[int] = set()
        self.profiles: dict[int, tuple | None] = {}
        self.schema = {self.DOMAIN, self.RANGE, self.SPO, self.EQP, self.INV, self.ONPROP, self.SVF, self.AVF, self.HV}
        self.characteristics = {self.FP, self.IFP, self.SYM, self.TRANS}
        self.errors: list[str] = []
        self.asserted: dict[Triple, None] = {}

    # -- terms -------------------------------------------------------------

    def id(self, term: Any) -> int:
        found = self.ids.get(term)
        if found is None:
            found = self.ids[term] = len(self.terms)
            self.terms.append(term)
            if isinstance(term, Literal):
                self.literal.add(found)
            elif isinstance(term, BNode):
                self.bnode.add(found)
        return found

    def terms_of(self, t: Triple) -> Triple:
        return (self.terms[t[0]], self.terms[t[1]], self.terms[t[2]])

    # -- the store ---------------------------------------------------------

    def objs(self, s: int, p: int):
        by = self.ps.get(p)
        return by.get(s, EMPTY) if by else EMPTY

    def subjs(self, p: int, o: int):
        by = self.po.get(p)
        return by.get(o, EMPTY) if by else EMPTY

    def pairs(self, p: int) -> list[tuple[int, int]]:
        by = self.ps.get(p)
        return [(s, o) for s, os in by.items() for o in os] if by else []

    def has(self, s: int, p: int, o: int) -> bool:
        if p == self.SAME and s == o and not self.reflexive_same:
            return True
        by = self.ps.get(p)
        return bool(by) and o in by.get(s, EMPTY)

    def add(self, s: int, p: int, o: int) -> None:
        by = self.ps.get(p)
        if by is None:
            if p in self.literal:
                return  # owlrl never stores a triple whose predicate is a literal
            by = self.ps[p] = {}
            self.po[p] = {}
        objects = by.get(s)
        if objects is not None and o in objects:
            return
        if p == self.SAME and s == o and not self.reflexive_same:
            return  # eq-ref: implied
        if objects is None:
            by[s] = {o}
        else:
            objects.add(o)
        subjects = self.po[p].get(o)
        if subjects is None:
            self.po[p][o] = {s}
        else:
            subjects.add(s)
        self.queue.append((s, p, o))
        if p in self.schema or (p == self.TYPE and o in self.characteristics):
            self.profiles.clear()  # what some property implies has changed
        if self.reflexive_same:
            for term in (s, p, o):
                if term not in self.seen:
                    self.seen.add(term)
                    self.add(term, self.SAME, term)

    # -- lists, values, errors ------------------------------------------------

    def read_list(self, head: int) -> tuple[int, ...]:
        """rdflib's ``Graph.items``: follow rdf:first / rdf:rest until rdf:nil.

        Where ``owl:sameAs`` gave a list node a second rdf:first or rdf:rest, rdflib takes the value stored
        first, the asserted one; with no asserted one to prefer, the reference decides (``Fallback``).
        """
        items = []
        seen = set()
        node = head
        while node != self.NIL:
            if node in seen:
                raise Fallback("an rdf:rest cycle")
            seen.add(node)
            first = self.one(node, self.FIRST)
            if first is not None:
                items.append(first)
            node = self.one(node, self.REST)
            if node is None:
                break
        return tuple(items)

    def one(self, s: int, p: int) -> int | None:
        values = self.objs(s, p)
        if len(values) <= 1:
            return next(iter(values), None)
        stated = [v for v in values if (s, p, v) in self.asserted]
        if len(stated) != 1:
            raise Fallback("a list node with several values and no single asserted one")
        return stated[0]

    def cardinality(self, n: int) -> Any:
        if n not in self.literal:
            raise Fallback("a cardinality that is not a literal")  # owlrl reads .value, and fails
        return self.terms[n].value

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)
