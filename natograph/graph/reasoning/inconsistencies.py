"""The rules that only report an error: an inconsistent graph (sameAs and differentFrom, an
irreflexive, asymmetric or disjoint property misused, a negative assertion stated, a member of
owl:Nothing, of complementary or disjoint classes, a cardinality of 0 exceeded). Checked once, at the
fixpoint, where the monotone conditions owlrl checks on every cycle all hold; the messages are owlrl's."""

from __future__ import annotations

from rdflib.namespace import OWL


class Inconsistencies:
    """Mixed into ``closure._Closure``: ``self`` is the chainer's index (``index.Index``)."""

    def check_errors(self) -> None:
        self.equality_errors()
        self.property_errors()
        self.class_errors()

    def equality_errors(self) -> None:
        """eq-diff1, eq-diff2, eq-diff3."""
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

    def property_errors(self) -> None:
        """prp-irp, prp-asyp, prp-adp, prp-pdw, prp-npa1, prp-npa2."""
        objs, subjs, has, pairs = self.objs, self.subjs, self.has, self.pairs
        t, k = self.terms, self.id
        TYPE = self.TYPE
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

    def class_errors(self) -> None:
        """cls-nothing2, cls-com, cls-maxc1, cls-maxqc1, cls-maxqc2, cax-dw, cax-adc."""
        objs, subjs, has, pairs = self.objs, self.subjs, self.has, self.pairs
        t, k = self.terms, self.id
        TYPE = self.TYPE
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
