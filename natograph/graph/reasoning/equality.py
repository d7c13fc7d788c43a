"""The ``eq-`` rules: owl:sameAs is symmetric and transitive, and a triple holds of every name of its
terms (``eq-rep-s``, ``eq-rep-p``, ``eq-rep-o``). Reflexive sameAs (``eq-ref``) is implied by the index."""

from __future__ import annotations


class EqualityRules:
    """Mixed into ``closure._Closure``: ``self`` is the chainer's index (``index.Index``)."""

    def same_rules(self, a: int, b: int) -> None:
        """A new (a owl:sameAs b)."""
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

    def replacement_rules(self, s: int, p: int, o: int) -> None:
        """eq-rep-s, eq-rep-p, eq-rep-o: the new triple (s p o) with each term replaced by its other names."""
        add, objs = self.add, self.objs
        for s2 in tuple(objs(s, self.SAME)):
            add(s2, p, o)
        for p2 in tuple(objs(p, self.SAME)):
            add(s, p2, o)
        for o2 in tuple(objs(o, self.SAME)):
            add(s, p, o2)
