"""The chainer: ``inferred(asserted)``, the triples OWL 2 RL adds to *asserted* (any iterable of rdflib
triples, an ``rdflib.Graph`` included), without the noise ``reference.is_meaningful`` drops; exactly
``reference.reference_inferred(asserted)``, in a fraction of its time. See the package's docstring
for how, and why.

Each new triple is joined, once, with what is already there by the rules of every family (mixed in
below); the rules that join many data triples at once, or the schema alone, run over the whole
graph between rounds until nothing changes; the inconsistencies are checked at the fixpoint.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF

from .classes import ClassRules
from .datatypes import DatatypeRules
from .equality import EqualityRules
from .inconsistencies import Inconsistencies
from .index import Fallback, Index, Triple
from .properties import PropertyRules
from .reference import is_meaningful, reference_inferred
from .schema import SchemaRules

_ERR = "http://www.daml.org/2002/03/agents/agent-ont#"


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


class _Closure(Index, PropertyRules, ClassRules, SchemaRules, EqualityRules, DatatypeRules, Inconsistencies):
    def __init__(self, asserted: Iterable[Triple]):
        super().__init__()
        k = self.id
        self.chains: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}  # member -> (property, chain, index)
        self.lists: dict[tuple[int, int], tuple[int, ...]] = {}  # (predicate, list head) -> members as read
        self.inter_member: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        self.inter_of: dict[int, list[tuple[int, ...]]] = {}
        self.union_member: dict[int, set[int]] = {}
        # a dict, not a set: the triples keep the order they came in (see store.build.parse_inputs)
        self.asserted: dict[Triple, None] = dict.fromkeys((k(s), k(p), k(o)) for s, p, o in asserted)
        same = self.SAME
        self.reflexive_same = any(s == same or o == same for s, _, o in self.asserted)
        # the rules a triple fires by its predicate (the rules by its property are in its profile)
        self.by_predicate = {
            self.TYPE: self.type_rules, self.SC: self.subclass_rules, self.EQC: self.equivalent_class_rules,
            self.SPO: self.subproperty_rules, self.EQP: self.equivalent_property_rules, self.DOMAIN: self.domain_rules,
            self.RANGE: self.range_rules, self.INV: self.inverse_rules, self.CHAIN: self.register_chain,
            self.SVF: self.restriction_value, self.AVF: self.restriction_value, self.HV: self.restriction_value,
            self.ONPROP: self.restriction, self.INTER: self.register_intersection, self.UNION: self.register_union,
            self.ONEOF: self.one_of, self.SAME: self.same_rules,
        }

    # -- running -----------------------------------------------------------

    def run(self) -> set[Triple]:
        try:
            self.saturate()
            self.check_errors()
        except Fallback:
            return reference_inferred(self.terms_of(t) for t in self.asserted)
        return self.result()

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

    def rules(self, s: int, p: int, o: int) -> None:
        """Every rule the new triple (s p o) fires, once: as a triple of its property (*p*'s profile), for
        each other name of its terms (eq-rep), and by its predicate (``by_predicate``)."""
        found = self.profiles.get(p, self)
        if found is self:
            found = self.profile(p)
        if found is not None:
            self.property_rules(s, p, o, found)
        if self.SAME in self.ps:
            self.replacement_rules(s, p, o)
        by_predicate = self.by_predicate.get(p)
        if by_predicate is not None:
            by_predicate(s, o)

    def global_rules(self) -> None:
        """The rules run over the whole graph between rounds."""
        self.schema_rounds()
        self.key_rounds()
        self.cardinality_rounds()

    def reread_lists(self) -> None:
        """A list read when its axiom arrived may have grown since (an inferred rdf:first): read it again."""
        for (p, head), members in tuple(self.lists.items()):
            if self.read_list(head) == members:
                continue
            for s in tuple(self.subjs(p, head)):
                self.queue.append((s, p, head))  # processed again: its rules read the list anew

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
