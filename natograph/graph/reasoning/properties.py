"""The ``prp-`` rules: what a triple implies through its property (domain, range, characteristics,
super- and inverse properties, chains, keys), and the class restrictions on that property
(``cls-svf``, ``cls-avf``, ``cls-hv2``: their body is the property's triple)."""

from __future__ import annotations


class PropertyRules:
    """Mixed into ``closure._Closure``: ``self`` is the chainer's index (``index.Index``)."""

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

    def property_rules(self, s: int, p: int, o: int, found: tuple) -> None:
        """The rules the new triple (s p o) fires as a triple of *p*, from *p*'s profile *found*."""
        add, objs, subjs, has = self.add, self.objs, self.subjs, self.has
        TYPE = self.TYPE
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

    def inverse_rules(self, s: int, o: int) -> None:
        """A new (s owl:inverseOf o), over the triples of both properties."""
        add = self.add
        for x, y in self.pairs(s):
            add(y, o, x)  # prp-inv1
        for x, y in self.pairs(o):
            add(y, s, x)  # prp-inv2

    def characteristic_rules(self, x: int, c: int) -> None:
        """A property *x* newly declared functional, inverse functional, symmetric or transitive (*c*)."""
        add, objs = self.add, self.objs
        if c == self.FP:
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

    def key_rounds(self) -> None:
        """prp-key, over the whole graph between rounds (it joins many data triples at once)."""
        for c, head in self.pairs(self.HASKEY):
            self.has_key(c, self.read_list(head))

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
