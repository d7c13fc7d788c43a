"""The axioms stated once, before the first round (``cls-thing``, ``cls-nothing1``, ``prp-ap``), and owlrl's
datatype rules (``dt-type1``, ``dt-type2``, the lexical checks, the datatype subsumptions and
disjointness), as owlrl runs them."""

from __future__ import annotations

from rdflib.namespace import OWL, RDFS

ANNOTATIONS = (RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy, OWL.deprecated, OWL.versionInfo,
               OWL.priorVersion, OWL.backwardCompatibleWith, OWL.incompatibleWith)


class DatatypeRules:
    """Mixed into ``closure._Closure``: ``self`` is the chainer's index (``index.Index``)."""

    def one_time_rules(self) -> None:
        """cls-thing, cls-nothing1, prp-ap, and owlrl's datatype rules (dt-type1/2 as owlrl runs them)."""
        self.declarations()
        self.datatype_rules()

    def declarations(self) -> None:
        """cls-thing, cls-nothing1 and prp-ap: owl:Thing and owl:Nothing are classes, the annotation
        properties are annotation properties."""
        k = self.id
        self.add(self.THING, self.TYPE, self.CLASS)
        self.add(self.NOTHING, self.TYPE, self.CLASS)
        for annotation in ANNOTATIONS:
            self.add(k(annotation), self.TYPE, self.ANNOTATION)

    def datatype_rules(self) -> None:
        """dt-type1, dt-type2 and the lexical checks of the literals as owlrl runs them, then the
        datatype subsumptions and disjointness owlrl states for the datatypes in use."""
        from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
        from owlrl.DatatypeHandling import AltXSDToPYTHON
        from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes

        k = self.id
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
