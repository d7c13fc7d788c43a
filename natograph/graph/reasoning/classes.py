"""The ``cls-`` and ``cax-`` rules: what an individual's type implies (super- and equivalent classes,
intersections, unions, enumerations, restrictions), and the rules a restriction axiom fires over the
triples of its property."""

from __future__ import annotations


class ClassRules:
    """Mixed into ``closure._Closure``: ``self`` is the chainer's index (``index.Index``)."""

    def type_rules(self, x: int, c: int) -> None:
        """A new (x rdf:type c): the class axioms about *c*, then what declaring *x* a *c* implies."""
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
        self.declaration_rules(x, c)  # scm-cls, scm-op, scm-dp
        self.characteristic_rules(x, c)  # prp-fp, prp-ifp, prp-symp, prp-trp

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

    def restriction_value(self, xx: int, _value: int) -> None:
        """A new owl:someValuesFrom, allValuesFrom or hasValue of the restriction *xx*."""
        for pp in tuple(self.objs(xx, self.ONPROP)):
            self.restriction(xx, pp)

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

    def one_of(self, c: int, head: int) -> None:
        """A new (c owl:oneOf list)."""
        self.lists[(self.ONEOF, head)] = members = self.read_list(head)
        for y in members:
            self.add(y, self.TYPE, c)  # cls-oo

    def cardinality_rounds(self) -> None:
        """cls-maxc2, cls-maxqc3 and cls-maxqc4, over the whole graph between rounds (they join many data
        triples at once)."""
        add, objs, has, ONPROP = self.add, self.objs, self.has, self.ONPROP
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
