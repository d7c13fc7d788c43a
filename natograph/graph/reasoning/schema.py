"""The ``scm-`` rules: what the schema implies about itself (subclasses and subproperties, their
equivalences, domains and ranges, declarations, restrictions compared), each written with the
``cax-`` or ``prp-`` rule its new triple also fires (a new subclass axiom moves the members too)."""

from __future__ import annotations


class SchemaRules:
    """Mixed into ``closure._Closure``: ``self`` is the chainer's index (``index.Index``)."""

    def subclass_rules(self, s: int, o: int) -> None:
        """A new (s rdfs:subClassOf o): its members, and the schema that follows."""
        add, objs, subjs, has = self.add, self.objs, self.subjs, self.has
        TYPE = self.TYPE
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

    def equivalent_class_rules(self, s: int, o: int) -> None:
        """A new (s owl:equivalentClass o)."""
        add, subjs = self.add, self.subjs
        TYPE = self.TYPE
        if s != o:
            for x in tuple(subjs(TYPE, s)):
                add(x, TYPE, o)  # cax-eqc1
            for x in tuple(subjs(TYPE, o)):
                add(x, TYPE, s)  # cax-eqc2
            add(s, self.SC, o)  # scm-eqc1
            add(o, self.SC, s)

    def subproperty_rules(self, s: int, o: int) -> None:
        """A new (s rdfs:subPropertyOf o): its triples, and the schema that follows."""
        add, objs, subjs, has = self.add, self.objs, self.subjs, self.has
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

    def equivalent_property_rules(self, s: int, o: int) -> None:
        """A new (s owl:equivalentProperty o)."""
        add = self.add
        if s != o:
            for x, y in self.pairs(s):
                add(x, o, y)  # prp-eqp1
            for x, y in self.pairs(o):
                add(x, s, y)  # prp-eqp2
            add(s, self.SPO, o)  # scm-eqp1
            add(o, self.SPO, s)

    def domain_rules(self, s: int, o: int) -> None:
        """A new (s rdfs:domain o): the subjects of *s*, and the schema that follows."""
        add, objs, subjs = self.add, self.objs, self.subjs
        TYPE = self.TYPE
        for x, _ in self.pairs(s):
            add(x, TYPE, o)  # prp-dom
        for c2 in tuple(objs(o, self.SC)):
            if c2 != o:
                add(s, self.DOMAIN, c2)  # scm-dom1
        for p1 in tuple(subjs(self.SPO, s)):
            if p1 != s:
                add(p1, self.DOMAIN, o)  # scm-dom2

    def range_rules(self, s: int, o: int) -> None:
        """A new (s rdfs:range o): the objects of *s*, and the schema that follows."""
        add, objs, subjs = self.add, self.objs, self.subjs
        TYPE = self.TYPE
        for _, y in self.pairs(s):
            add(y, TYPE, o)  # prp-rng
        for c2 in tuple(objs(o, self.SC)):
            if c2 != o:
                add(s, self.RANGE, c2)  # scm-rng1
        for p1 in tuple(subjs(self.SPO, s)):
            if p1 != s:
                add(p1, self.RANGE, o)  # scm-rng2

    def declaration_rules(self, x: int, c: int) -> None:
        """*x* newly declared a class, or a property (object, datatype, RDF)."""
        add = self.add
        if c == self.CLASS:  # scm-cls
            add(x, self.SC, x)
            add(x, self.EQC, x)
            add(x, self.SC, self.THING)
            add(self.NOTHING, self.SC, x)
        elif c in (self.OBJPROP, self.DATAPROP, self.RDFPROP):  # scm-op, scm-dp
            add(x, self.SPO, x)
            add(x, self.EQP, x)

    def schema_rounds(self) -> None:
        """scm-hv, scm-svf1/2 and scm-avf1/2: rules about the schema alone, over the whole graph between rounds."""
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
