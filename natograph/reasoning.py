"""The OWL 2 RL closure: a fast forward chainer, and owlrl as the reference it must equal.

``inferred(asserted)`` returns the set of triples OWL 2 RL adds to *asserted* (any iterable of rdflib
triples, an ``rdflib.Graph`` included), without the noise ``is_meaningful`` drops. It gives exactly
what ``reference_inferred(asserted)`` gives: owlrl's ``DeductiveClosure(OWLRL_Semantics,
axiomatic_triples=False, datatype_axioms=False)``, the same noise filter. ``tests/test_reasoning.py``
compares the two on the shipped graph, on every test fixture and on small ontologies built for each rule.

How: owlrl's rules (``owlrl/OWLRL.py``, every ``prp-``, ``eq-``, ``cls-``, ``cax-``, ``scm-`` and
``dt-`` rule it implements, with its quirks and its error messages) are rewritten for semi-naive
evaluation. Terms become integers; triples live in two hash indexes (predicate -> subject -> objects,
predicate -> object -> subjects); each new triple is joined, once, with what is already there, from
every position it can take in a rule body, so no triple is looked at twice, where owlrl re-scans the
whole graph on every cycle. Rules about the schema alone (``scm-hv``, ``scm-svf``, ``scm-avf``), and
the rare rules that join many data triples at once (``prp-key``, ``cls-maxc2``, ``cls-maxqc3/4``),
run over the whole graph between rounds until nothing changes. Inconsistencies become owlrl's own
error messages (``[] a err:ErrorMessage ; err:error "..."``), checked once at the fixpoint, where the
monotone conditions owlrl checks on every cycle all hold. Reflexive ``owl:sameAs`` (``eq-ref``) is
implied, not stored, unless ``owl:sameAs`` itself is described (then it is stored, as owlrl does).

Why this and not another engine, measured on the shipped graph (4,680 asserted triples; 1,276 inferred
after the filter) on the project's shared 2-core machine, CPU seconds, 2026-11-26:

- owlrl (the reference): 3.4-5.3 s.
- ``reasonable`` (Rust, PyPI, rdflib in and out): 0.07-0.11 s, but not owlrl's closure: it misses 688
  triples (the three ``owl:propertyChainAxiom`` and what follows from them through inverses and
  restrictions: ``ng:participatesIn``, ``ng:hasParticipant``, ``ng:partnerIn``, ``ng:memberOf``, types;
  and 267 ``scm-`` schema triples) and hands every plain literal back typed ``xsd:string``, 585
  triples rdflib counts as new. Matching owlrl would take a second reasoner beside it, over a native
  dependency.
- SPARQL rules run to a fixpoint in pyoxigraph: not built; each round re-reads whole patterns (the
  naive evaluation that makes owlrl slow), and owlrl's error messages and datatype checks would still
  need Python.
- this chainer: 0.04-0.06 s at 1x, exact on every graph the tests build; 10x and 100x figures are in
  the README's Speed section (``benchmarks/closure.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

__all__ = ["inferred", "is_meaningful", "reference_inferred"]

_NOISE_TYPES = frozenset({OWL.Thing, RDFS.Resource})
_VOCABULARIES = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"

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


def inferred(asserted: Iterable[Triple]) -> set[Triple]:
    """The triples OWL 2 RL adds to *asserted* (rdflib terms), without the noise; *asserted* is not changed.

    Exactly ``reference_inferred(asserted)``, in a fraction of its time. Error messages of an
    inconsistent input come out as owlrl writes them, each on a fresh blank node.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()  # millions of small sets and tuples, no cycles: the collector would only rescan them
    try:
        return _Closure(asserted).run()
    finally:
        if enabled:
            gc.enable()


# ---------------------------------------------------------------------------
# The chainer
# ---------------------------------------------------------------------------

_EMPTY: frozenset = frozenset()

_ANNOTATIONS = (RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.deprecated, OWL.versionInfo,
                OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith)


class _Fallback(Exception):
    """Input owlrl itself handles in a way not worth mirroring (it may crash): use the reference."""


class _Closure:
    def __init__(self, asserted: Iterable[Triple]):
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
        self.chains: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}  # member -> (property, chain, index)
        self.lists: dict[tuple[int, int], tuple[int, ...]] = {}  # (predicate, list head) -> members as read
        self.inter_member: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        self.inter_of: dict[int, list[tuple[int, ...]]] = {}
        self.union_member: dict[int, set[int]] = {}
        self.profiles: dict[int, tuple | None] = {}
        self.schema = {self.DOMAIN, self.RANGE, self.SPO, self.EQP, self.INV, self.ONPROP, self.SVF, self.AVF, self.HV}
        self.characteristics = {self.FP, self.IFP, self.SYM, self.TRANS}
        self.errors: list[str] = []
        # a dict, not a set: the triples keep the order they came in (see store.parse_inputs)
        self.asserted: dict[Triple, None] = dict.fromkeys((k(s), k(p), k(o)) for s, p, o in asserted)
        same = self.SAME
        self.reflexive_same = any(s == same or o == same for s, _, o in self.asserted)

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

    # -- the store ---------------------------------------------------------

    def objs(self, s: int, p: int):
        by = self.ps.get(p)
        return by.get(s, _EMPTY) if by else _EMPTY

    def subjs(self, p: int, o: int):
        by = self.po.get(p)
        return by.get(o, _EMPTY) if by else _EMPTY

    def pairs(self, p: int) -> list[tuple[int, int]]:
        by = self.ps.get(p)
        return [(s, o) for s, os in by.items() for o in os] if by else []

    def has(self, s: int, p: int, o: int) -> bool:
        if p == self.SAME and s == o and not self.reflexive_same:
            return True
        by = self.ps.get(p)
        return bool(by) and o in by.get(s, _EMPTY)

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

    def profile(self, p: int) -> tuple | None:
        """What a triple of *p* implies by the rules about its property (None: nothing), cached until
        a triple about properties (domain, range, characteristics, super, inverse, restrictions) arrives."""
        objs, subjs = self.objs, self.subjs
        kinds = objs(p, self.TYPE)
        found = (
            tuple(objs(p, self.DOMAIN)),
            tuple(objs(p, self.RANGE)),
            self.FP in kinds, self.IFP in kinds, self.SYM in kinds, self.TRANS in kinds,
            tuple(q for q in objs(p, self.SPO) if q != p)
            + tuple(q for q in (*objs(p, self.EQP), *subjs(self.EQP, p)) if q != p),
            tuple(objs(p, self.INV)) + tuple(subjs(self.INV, p)),
            tuple(self.chains.get(p, ())),
            tuple((xx, tuple(objs(xx, self.SVF)), tuple(objs(xx, self.AVF)), frozenset(objs(xx, self.HV)))
                  for xx in subjs(self.ONPROP, p)),
        )
        self.profiles[p] = found = found if any(found) else None
        return found

    def read_list(self, head: int) -> tuple[int, ...]:
        """rdflib's ``Graph.items``: follow rdf:first / rdf:rest until rdf:nil.

        Where ``owl:sameAs`` gave a list node a second rdf:first or rdf:rest, rdflib takes the value stored
        first, the asserted one; with no asserted one to prefer, the reference decides (``_Fallback``).
        """
        items = []
        seen = set()
        node = head
        while node != self.NIL:
            if node in seen:
                raise _Fallback("an rdf:rest cycle")
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
            raise _Fallback("a list node with several values and no single asserted one")
        return stated[0]

    # -- running -----------------------------------------------------------

    def run(self) -> set[Triple]:
        try:
            self.saturate()
            self.check_errors()
        except _Fallback:
            return reference_inferred(self.terms_of(t) for t in self.asserted)
        return self.result()

    def terms_of(self, t: Triple) -> Triple:
        return (self.terms[t[0]], self.terms[t[1]], self.terms[t[2]])

    def saturate(self) -> None:
        for s, p, o in self.asserted:
            self.add(s, p, o)
        self.one_time_rules()
        while True:
            self.drain()
            before = len(self.queue)
            self.global_rules()
            self.reread_lists()
            if len(self.queue) == before:
                break

    def drain(self) -> None:
        queue = self.queue
        index = 0
        while index < len(queue):
            self.rules(*queue[index])
            index += 1
            if index > 65536:
                del queue[:index]
                index = 0
        queue.clear()

    def one_time_rules(self) -> None:
        """cls-thing, cls-nothing1, prp-ap, and owlrl's datatype rules (dt-type1/2 as owlrl runs them)."""
        from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
        from owlrl.DatatypeHandling import AltXSDToPYTHON
        from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes

        k = self.id
        self.add(self.THING, self.TYPE, self.CLASS)
        self.add(self.NOTHING, self.TYPE, self.CLASS)
        for annotation in _ANNOTATIONS:
            self.add(k(annotation), self.TYPE, self.ANNOTATION)
        rl_types = {k(dt) for dt in OWL_RL_Datatypes}
        explicit: dict[int, set[int]] = {}
        implicit: dict[int, int] = {}
        for _, _, o in self.asserted:
            if o in self.literal and o not in implicit:
                datatype = self.terms[o].datatype
                if datatype is not None and k(datatype) in rl_types:
                    implicit[o] = k(datatype)
        used = set(implicit.values())
        for literal, datatype in implicit.items():
            self.add(literal, self.TYPE, datatype)
            term = self.terms[literal]
            try:
                AltXSDToPYTHON.get(term.datatype, lambda v: v)(str(term))
            except ValueError:
                self.error(f"Lexical value of the literal '{term}' does not match its datatype ({term.datatype})")
        for s, p, o in self.asserted:
            if p == self.TYPE and o in rl_types:
                used.add(o)
                if s not in implicit:
                    explicit.setdefault(s, set()).add(o)
        for s, p, o in self.asserted:
            if p == self.SAME:
                if o in implicit:
                    explicit.setdefault(s, set()).add(implicit[o])
                if o in explicit:
                    explicit.setdefault(s, set()).add(o)
                if s in explicit:
                    explicit.setdefault(o, set()).add(s)
        for dt in rl_types:
            self.add(dt, self.TYPE, k(RDFS.Datatype))
        for dts in explicit.values():
            for dt in dts:
                self.add(dt, self.TYPE, k(RDFS.Datatype))
        subsumptions = {k(dt): [k(new) for new in news] for dt, news in OWL_Datatype_Subsumptions.items()}

        def subsume(r: int, dt: int) -> None:
            for new in subsumptions.get(dt, ()):
                self.add(r, self.TYPE, new)
                self.add(new, self.TYPE, k(RDFS.Datatype))
                used.add(new)

        for r, dts in explicit.items():
            for dt in list(dts):
                subsume(r, dt)
        for r, dt in implicit.items():
            subsume(r, dt)
        for left, predicate, right in OWLRL_Datatypes_Disjointness:
            if k(left) in used and k(right) in used:
                self.add(k(left), k(predicate), k(right))

    def error(self, message: str) -> None:
        if message not in self.errors:
            self.errors.append(message)

    # -- the rules, for one new triple ---------------------------------------

    def rules(self, s: int, p: int, o: int) -> None:
        add, objs, subjs, has = self.add, self.objs, self.subjs, self.has
        TYPE = self.TYPE
        # (s p o) as a data triple of any property p
        found = self.profiles.get(p, self)
        if found is self:
            found = self.profile(p)
        if found is not None:
            domains, ranges, functional, inverse_functional, symmetric, transitive, supers, inverses, chains, on = found
            for c in domains:
                add(s, TYPE, c)  # prp-dom
            for c in ranges:
                add(o, TYPE, c)  # prp-rng
            if functional:  # prp-fp
                for y2 in tuple(objs(s, p)):
                    if y2 != o:
                        add(o, self.SAME, y2)
                        add(y2, self.SAME, o)
            if inverse_functional:  # prp-ifp
                for x2 in tuple(subjs(p, o)):
                    if x2 != s:
                        add(s, self.SAME, x2)
                        add(x2, self.SAME, s)
            if symmetric:  # prp-symp
                add(o, p, s)
            if transitive:  # prp-trp, this triple first or second
                for z in tuple(objs(o, p) - objs(s, p)):
                    add(s, p, z)
                for w in tuple(subjs(p, s) - subjs(p, o)):
                    add(w, p, o)
            for p2 in supers:
                add(s, p2, o)  # prp-spo1, prp-eqp1, prp-eqp2
            for p2 in inverses:
                add(o, p2, s)  # prp-inv1, prp-inv2
            for head, chain, index in chains:
                self.chain_through(head, chain, index, s, o)  # prp-spo2
            for xx, some, every, values in on:
                for y in some:
                    if y == self.THING or has(o, TYPE, y):
                        add(s, TYPE, xx)  # cls-svf1/2
                if every and has(s, TYPE, xx):
                    for y in every:
                        add(o, TYPE, y)  # cls-avf
                if o in values:
                    add(s, TYPE, xx)  # cls-hv2
        if self.SAME in self.ps:  # eq-rep-s, eq-rep-p, eq-rep-o
            for s2 in tuple(objs(s, self.SAME)):
                add(s2, p, o)
            for p2 in tuple(objs(p, self.SAME)):
                add(s, p2, o)
            for o2 in tuple(objs(o, self.SAME)):
                add(s, p, o2)
        # (s p o) by its predicate
        if p == TYPE:
            self.type_rules(s, o)
        elif p == self.SC:
            if s != o:
                for x in tuple(subjs(TYPE, s)):
                    add(x, TYPE, o)  # cax-sco
                for c3 in tuple(objs(o, self.SC)):
                    if c3 != s:
                        add(s, self.SC, c3)  # scm-sco, first
                for pp in tuple(subjs(self.DOMAIN, s)):
                    add(pp, self.DOMAIN, o)  # scm-dom1, second
                for pp in tuple(subjs(self.RANGE, s)):
                    add(pp, self.RANGE, o)  # scm-rng1, second
            for c1 in tuple(subjs(self.SC, s)):
                if c1 != s and c1 != o:
                    add(c1, self.SC, o)  # scm-sco, second
            if has(o, self.SC, s):
                add(s, self.EQC, o)  # scm-eqc2
                add(o, self.EQC, s)
        elif p == self.EQC:
            if s != o:
                for x in tuple(subjs(TYPE, s)):
                    add(x, TYPE, o)  # cax-eqc1
                for x in tuple(subjs(TYPE, o)):
                    add(x, TYPE, s)  # cax-eqc2
                add(s, self.SC, o)  # scm-eqc1
                add(o, self.SC, s)
        elif p == self.SPO:
            for x, y in self.pairs(s):
                add(x, o, y)  # prp-spo1
            if s != o:
                for p3 in tuple(objs(o, self.SPO)):
                    if p3 != s:
                        add(s, self.SPO, p3)  # scm-spo, first
                if has(o, self.SPO, s):
                    add(s, self.EQP, o)  # scm-eqp2
                    add(o, self.EQP, s)
                for c in tuple(objs(o, self.DOMAIN)):
                    add(s, self.DOMAIN, c)  # scm-dom2, second
                for c in tuple(objs(o, self.RANGE)):
                    add(s, self.RANGE, c)  # scm-rng2, second
            for p1 in tuple(subjs(self.SPO, s)):
                if p1 != s and p1 != o:
                    add(p1, self.SPO, o)  # scm-spo, second
        elif p == self.EQP:
            if s != o:
                for x, y in self.pairs(s):
                    add(x, o, y)  # prp-eqp1
                for x, y in self.pairs(o):
                    add(x, s, y)  # prp-eqp2
                add(s, self.SPO, o)  # scm-eqp1
                add(o, self.SPO, s)
        elif p == self.DOMAIN:
            for x, _ in self.pairs(s):
                add(x, TYPE, o)  # prp-dom
            for c2 in tuple(objs(o, self.SC)):
                if c2 != o:
                    add(s, self.DOMAIN, c2)  # scm-dom1
            for p1 in tuple(subjs(self.SPO, s)):
                if p1 != s:
                    add(p1, self.DOMAIN, o)  # scm-dom2
        elif p == self.RANGE:
            for _, y in self.pairs(s):
                add(y, TYPE, o)  # prp-rng
            for c2 in tuple(objs(o, self.SC)):
                if c2 != o:
                    add(s, self.RANGE, c2)  # scm-rng1
            for p1 in tuple(subjs(self.SPO, s)):
                if p1 != s:
                    add(p1, self.RANGE, o)  # scm-rng2
        elif p == self.INV:
            for x, y in self.pairs(s):
                add(y, o, x)  # prp-inv1
            for x, y in self.pairs(o):
                add(y, s, x)  # prp-inv2
        elif p == self.CHAIN:
            self.register_chain(s, o)
        elif p in (self.SVF, self.AVF, self.HV):
            for pp in tuple(objs(s, self.ONPROP)):
                self.restriction(s, pp)
        elif p == self.ONPROP:
            self.restriction(s, o)
        elif p == self.INTER:
            self.register_intersection(s, o)
        elif p == self.UNION:
            self.register_union(s, o)
        elif p == self.ONEOF:
            self.lists[(p, o)] = members = self.read_list(o)
            for y in members:
                add(y, TYPE, s)  # cls-oo
        elif p == self.SAME:
            self.same_rules(s, o)

    def type_rules(self, x: int, c: int) -> None:
        add, objs, subjs, has, TYPE = self.add, self.objs, self.subjs, self.has, self.TYPE
        for c2 in tuple(objs(c, self.SC)):
            if c2 != c:
                add(x, TYPE, c2)  # cax-sco
        for c2 in tuple(objs(c, self.EQC)):
            if c2 != c:
                add(x, TYPE, c2)  # cax-eqc1
        for c1 in tuple(subjs(self.EQC, c)):
            if c1 != c:
                add(x, TYPE, c1)  # cax-eqc2
        for whole, classes in tuple(self.inter_member.get(c, ())):
            if all(has(x, TYPE, k) for k in classes):
                add(x, TYPE, whole)  # cls-int1
        for classes in tuple(self.inter_of.get(c, ())):
            for k in classes:
                add(x, TYPE, k)  # cls-int2
        for whole in tuple(self.union_member.get(c, ())):
            add(x, TYPE, whole)  # cls-uni
        for xx in tuple(subjs(self.SVF, c)):  # cls-svf1: x is the value
            for pp in tuple(objs(xx, self.ONPROP)):
                for u in tuple(subjs(pp, x)):
                    add(u, TYPE, xx)
        restriction_properties = objs(c, self.ONPROP)
        if restriction_properties:
            for pp in tuple(restriction_properties):
                for y in tuple(objs(c, self.HV)):
                    add(x, pp, y)  # cls-hv1
                for y in tuple(objs(c, self.AVF)):
                    for v in tuple(objs(x, pp)):
                        add(v, TYPE, y)  # cls-avf
        # declarations
        if c == self.CLASS:  # scm-cls
            add(x, self.SC, x)
            add(x, self.EQC, x)
            add(x, self.SC, self.THING)
            add(self.NOTHING, self.SC, x)
        elif c in (self.OBJPROP, self.DATAPROP, self.RDFPROP):  # scm-op, scm-dp
            add(x, self.SPO, x)
            add(x, self.EQP, x)
        elif c == self.FP:
            for _, ys in tuple((self.ps.get(x) or {}).items()):
                for y1 in tuple(ys):
                    for y2 in tuple(ys):
                        if y1 != y2:
                            add(y1, self.SAME, y2)
        elif c == self.IFP:
            for _, xs in tuple((self.po.get(x) or {}).items()):
                for x1 in tuple(xs):
                    for x2 in tuple(xs):
                        if x1 != x2:
                            add(x1, self.SAME, x2)
        elif c == self.SYM:
            for a, b in self.pairs(x):
                add(b, x, a)
        elif c == self.TRANS:
            for a, b in self.pairs(x):
                for z in tuple(objs(b, x)):
                    add(a, x, z)

    def same_rules(self, a: int, b: int) -> None:
        add, objs, subjs, SAME = self.add, self.objs, self.subjs, self.SAME
        add(b, SAME, a)  # eq-sym
        for z in tuple(objs(b, SAME)):
            add(a, SAME, z)  # eq-trans, first
        for w in tuple(subjs(SAME, a)):
            add(w, SAME, b)  # eq-trans, second
        for q in tuple(self.ps):  # eq-rep-s, eq-rep-o: a replaced by b
            for o in tuple(self.ps[q].get(a, ())):
                add(b, q, o)
            for s in tuple(self.po[q].get(a, ())):
                add(s, q, b)
        for s, o in self.pairs(a):
            add(s, b, o)  # eq-rep-p

    def restriction(self, xx: int, pp: int) -> None:
        """cls-svf1/2, cls-avf, cls-hv1/2 for the restriction *xx* on *pp*, over every triple of *pp*."""
        add, objs, subjs, has, TYPE = self.add, self.objs, self.subjs, self.has, self.TYPE
        for y in tuple(objs(xx, self.SVF)):
            for u, v in self.pairs(pp):
                if y == self.THING or has(v, TYPE, y):
                    add(u, TYPE, xx)
        for y in tuple(objs(xx, self.AVF)):
            for u in tuple(subjs(TYPE, xx)):
                for v in tuple(objs(u, pp)):
                    add(v, TYPE, y)
        for y in tuple(objs(xx, self.HV)):
            for u in tuple(subjs(TYPE, xx)):
                add(u, pp, y)
            for u in tuple(subjs(pp, y)):
                add(u, TYPE, xx)

    def register_chain(self, prop: int, head: int) -> None:
        chain = self.read_list(head)
        self.lists[(self.CHAIN, head)] = chain
        if not chain:
            return
        self.profiles.clear()
        for index, member in enumerate(chain):
            entry = (prop, chain, index)
            if entry not in self.chains.setdefault(member, []):
                self.chains[member].append(entry)
        for u, z in self.pairs(chain[0]):
            self.chain_through(prop, chain, 0, u, z)

    def chain_through(self, prop: int, chain: tuple[int, ...], index: int, a: int, b: int) -> None:
        """prp-spo2 for every chain instance whose link *index* is (a chain[index] b)."""
        starts = {a}
        for member in reversed(chain[:index]):
            starts = {u for v in starts for u in self.subjs(member, v)}
            if not starts:
                return
        ends = {b}
        for member in chain[index + 1 :]:
            ends = {w for v in ends for w in self.objs(v, member)}
            if not ends:
                return
        for u in starts:
            for w in ends:
                self.add(u, prop, w)

    def register_intersection(self, whole: int, head: int) -> None:
        add, has, TYPE = self.add, self.has, self.TYPE
        classes = self.read_list(head)
        self.lists[(self.INTER, head)] = classes
        for k in classes:
            entry = (whole, classes)
            if entry not in self.inter_member.setdefault(k, []):
                self.inter_member[k].append(entry)
        if classes not in self.inter_of.setdefault(whole, []):
            self.inter_of[whole].append(classes)
        if classes:
            for y in tuple(self.subjs(TYPE, classes[0])):
                if all(has(y, TYPE, k) for k in classes[1:]):
                    add(y, TYPE, whole)  # cls-int1
        for y in tuple(self.subjs(TYPE, whole)):
            for k in classes:
                add(y, TYPE, k)  # cls-int2
        for k in classes:
            add(whole, self.SC, k)  # scm-int

    def register_union(self, whole: int, head: int) -> None:
        classes = self.read_list(head)
        self.lists[(self.UNION, head)] = classes
        for k in classes:
            self.union_member.setdefault(k, set()).add(whole)
            for y in tuple(self.subjs(self.TYPE, k)):
                self.add(y, self.TYPE, whole)  # cls-uni
            self.add(k, self.SC, whole)  # scm-uni

    def reread_lists(self) -> None:
        """A list read when its axiom arrived may have grown since (an inferred rdf:first): read it again."""
        for (p, head), members in tuple(self.lists.items()):
            if self.read_list(head) == members:
                continue
            for s in tuple(self.subjs(p, head)):
                self.queue.append((s, p, head))  # processed again: its rules read the list anew

    # -- rules run over the whole graph between rounds ------------------------

    def global_rules(self) -> None:
        add, objs, subjs, has = self.add, self.objs, self.subjs, self.has
        SC, SPO, ONPROP = self.SC, self.SPO, self.ONPROP
        for c1, i in self.pairs(self.HV):  # scm-hv
            for p1 in tuple(objs(c1, ONPROP)):
                for c2 in tuple(subjs(self.HV, i)):
                    for p2 in tuple(objs(c2, ONPROP)):
                        if has(p1, SPO, p2):
                            add(c1, SC, c2)
        for values, flip in ((self.SVF, False), (self.AVF, True)):
            for c1, y1 in self.pairs(values):  # scm-svf1, scm-avf1
                for pp in tuple(objs(c1, ONPROP)):
                    for c2 in tuple(subjs(ONPROP, pp)):
                        for y2 in tuple(objs(c2, values)):
                            if has(y1, SC, y2):
                                add(c1, SC, c2)
            for c1, y in self.pairs(values):  # scm-svf2, scm-avf2
                for p1 in tuple(objs(c1, ONPROP)):
                    for c2 in tuple(subjs(values, y)):
                        for p2 in tuple(objs(c2, ONPROP)):
                            if has(p1, SPO, p2):
                                add(*((c2, SC, c1) if flip else (c1, SC, c2)))
        for c, head in self.pairs(self.HASKEY):
            self.has_key(c, self.read_list(head))
        for xx, n in self.pairs(self.MAXC):
            if self.cardinality(n) == 1:  # cls-maxc2
                for pp in tuple(objs(xx, ONPROP)):
                    for u, y1 in self.pairs(pp):
                        if has(u, self.TYPE, xx):
                            for y2 in tuple(objs(u, pp)):
                                if y1 != y2:
                                    add(y1, self.SAME, y2)
        for xx, n in self.pairs(self.MAXQC):
            if self.cardinality(n) == 1:  # cls-maxqc3, cls-maxqc4
                for pp in tuple(objs(xx, ONPROP)):
                    for cc in tuple(objs(xx, self.ONCLASS)):
                        for u, y1 in self.pairs(pp):
                            if not has(u, self.TYPE, xx):
                                continue
                            if cc != self.THING and not has(y1, self.TYPE, cc):
                                continue
                            for y2 in tuple(objs(u, pp)):
                                if y1 != y2 and (cc == self.THING or has(y2, self.TYPE, cc)):
                                    add(y1, self.SAME, y2)

    def cardinality(self, n: int) -> Any:
        if n not in self.literal:
            raise _Fallback("a cardinality that is not a literal")  # owlrl reads .value, and fails
        return self.terms[n].value

    def has_key(self, c: int, keys: tuple[int, ...]) -> None:
        """prp-key as owlrl writes it (it compares all but the last key property)."""
        if not keys:
            return
        members = tuple(self.subjs(self.TYPE, c))
        for x in members:
            final = [[z] for z in self.objs(x, keys[0])]
            for key in keys[1:]:
                grown: list[list[int]] = []
                for z in self.objs(x, key):
                    grown = grown + [[*values, z] for values in final]
                final = grown
            candidates = [values for values in final if len(values) == len(keys)]
            for y in members:
                if y == x or self.has(y, self.SAME, x) or self.has(x, self.SAME, y):
                    continue
                for values in candidates:
                    if all(self.has(y, keys[i], values[i]) for i in range(len(keys) - 1)):
                        self.add(x, self.SAME, y)
                        break

    # -- inconsistencies, at the fixpoint ------------------------------------

    def check_errors(self) -> None:
        objs, subjs, has, pairs = self.objs, self.subjs, self.has, self.pairs
        t, k = self.terms, self.id
        TYPE, SAME = self.TYPE, self.SAME
        for x, y in pairs(SAME):  # eq-diff1
            if has(x, self.DIFF, y) or has(y, self.DIFF, x):
                self.error(f"'sameAs' and 'differentFrom' cannot be used on the same subject-object pair: ({t[x]}, {t[y]})")
        if not self.reflexive_same:
            for x, y in pairs(self.DIFF):
                if x == y:
                    self.error(f"'sameAs' and 'differentFrom' cannot be used on the same subject-object pair: ({t[x]}, {t[x]})")
        for x in tuple(subjs(TYPE, k(OWL.AllDifferent))):  # eq-diff2, eq-diff3
            for y in (*objs(x, k(OWL.members)), *objs(x, k(OWL.distinctMembers))):
                zis = self.read_list(y)
                for i in range(len(zis) - 1):
                    for j in range(i + 1, len(zis) - 1):
                        zi, zj = zis[i], zis[j]
                        if zi != zj and (has(zi, SAME, zj) or has(zj, SAME, zi)):
                            self.error("'sameAs' and 'AllDifferent' cannot be used on the same subject-object pair: "
                                       f"({t[zi]}, {t[zj]})")
        for p in tuple(subjs(TYPE, k(OWL.IrreflexiveProperty))):  # prp-irp
            for x, y in pairs(p):
                if x == y:
                    self.error(f"Irreflexive property used on {t[x]} with {t[p]}")
        for p in tuple(subjs(TYPE, k(OWL.AsymmetricProperty))):  # prp-asyp
            for x, y in pairs(p):
                if has(y, p, x):
                    self.error(f"Erroneous usage of asymmetric property {t[p]} on {t[x]} and {t[y]}")
        for x in tuple(subjs(TYPE, k(OWL.AllDisjointProperties))):  # prp-adp
            for y in tuple(objs(x, k(OWL.members))):
                pis = self.read_list(y)
                for i in range(len(pis) - 1):
                    for j in range(i + 1, len(pis) - 1):
                        for a, b in pairs(pis[i]):
                            if has(a, pis[j], b):
                                self.error("Disjoint properties in an 'AllDisjointProperties' are not really disjoint: "
                                           f"({t[a]}, {t[pis[i]]},{t[b]}) and ({t[a]},{t[pis[j]]},{t[b]})")
        for p1, p2 in pairs(k(OWL.propertyDisjointWith)):  # prp-pdw
            for x, y in pairs(p1):
                if has(x, p2, y):
                    self.error(f"Erroneous usage of disjoint properties {t[p1]} and {t[p2]} on {t[x]} and {t[y]}")
        for x, i1 in pairs(k(OWL.sourceIndividual)):  # prp-npa1, prp-npa2
            for p1 in tuple(objs(x, k(OWL.assertionProperty))):
                for i2 in tuple(objs(x, k(OWL.targetIndividual))):
                    if has(i1, p1, i2):
                        self.error(f"Negative (object) property assertion violated for: ({t[i1]}, {t[p1]}, {t[i2]})")
                for i2 in tuple(objs(x, k(OWL.targetValue))):
                    if has(i1, p1, i2):
                        self.error(f"Negative (datatype) property assertion violated for: ({t[i1]}, {t[p1]}, {t[i2]})")
        for c in tuple(subjs(TYPE, self.NOTHING)):  # cls-nothing2
            self.error(f"{t[c]} is defined of type 'Nothing'")
        for c1, c2 in pairs(k(OWL.complementOf)):  # cls-com (owlrl names the second class twice)
            for x1 in tuple(subjs(TYPE, c1)):
                if has(x1, TYPE, c2):
                    self.error(f"Violation of complementarity for classes {t[c1]} and {t[c2]} on element {t[c2]}")
        for xx, n in pairs(self.MAXC):  # cls-maxc1
            if self.cardinality(n) == 0:
                for pp in tuple(objs(xx, self.ONPROP)):
                    for u, y in pairs(pp):
                        if has(u, TYPE, xx):
                            self.error(f"Erroneous usage of maximum cardinality with {t[xx]} and {t[y]}")
        for xx, n in pairs(self.MAXQC):  # cls-maxqc1, cls-maxqc2
            if self.cardinality(n) == 0:
                for pp in tuple(objs(xx, self.ONPROP)):
                    for cc in tuple(objs(xx, self.ONCLASS)):
                        for u, y in pairs(pp):
                            if (has(y, TYPE, cc) or cc == self.THING) and has(u, TYPE, xx):
                                self.error(f"Erroneous usage of maximum qualified cardinality with {t[xx]}, {t[cc]} and {t[y]}")
        for c1, c2 in pairs(k(OWL.disjointWith)):  # cax-dw
            for x in tuple(subjs(TYPE, c1)):
                if has(x, TYPE, c2):
                    self.error(f"Disjoint classes {t[c1]} and {t[c2]} have a common individual {t[x]}")
        for x in tuple(subjs(TYPE, k(OWL.AllDisjointClasses))):  # cax-adc
            for y in tuple(objs(x, k(OWL.members))):
                classes = self.read_list(y)
                for i in range(len(classes) - 1):
                    for z in tuple(subjs(TYPE, classes[i])):
                        for other in classes[i + 1 :]:
                            if has(z, TYPE, other):
                                self.error(f"Disjoint classes {t[classes[i]]} and {t[other]} have a common individual {t[z]}")

    # -- the answer -----------------------------------------------------------

    def result(self) -> set[Triple]:
        terms, asserted, bnode = self.terms, self.asserted, self.bnode
        out: set[Triple] = set()
        for p, by in self.ps.items():
            if p in bnode:
                continue  # owlrl's post-processing drops generalised triples with a blank-node predicate
            pt = terms[p]
            for s, objects in by.items():
                st = terms[s]
                for o in objects:
                    if (s, p, o) in asserted:
                        continue
                    triple = (st, pt, terms[o])
                    if is_meaningful(triple):
                        out.add(triple)
        error_type, error_text = URIRef(_ERR + "ErrorMessage"), URIRef(_ERR + "error")
        for message in self.errors:
            node = BNode()
            out.add((node, RDF.type, error_type))
            out.add((node, error_text, Literal(message)))
        return out
