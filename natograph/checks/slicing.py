"""SHACL in slices: pySHACL run on a few thousand focus nodes at a time, each time on the part of the
graph those nodes' shapes can read, taken from the store.

Why: pySHACL needs an rdflib Graph, and the whole closure as one costs memory in proportion to the
graph (at 100x the shipped data, 620,000 triples took 700 MiB before pySHACL started) while a shape
applied to one focus node reads only around that node. So, when every shape reads only

- the triples whose subject or object is the focus node (``sh:path`` an IRI, ``sh:inversePath`` of
  one, or ``sh:alternativePath`` of those; ``sh:minCount``, ``sh:equals``, ``sh:closed``...),
- the values' own terms (``sh:datatype``, ``sh:pattern``, ``sh:in``...), and
- the types of the focus node and of its neighbours (``sh:class``, through ``rdfs:subClassOf``),

the focus nodes of every shape (``sh:targetClass`` through ``rdfs:subClassOf*``, ``sh:targetNode``)
are taken from the store, sorted, and validated in slices of ``SLICE`` nodes: the slice's graph holds
exactly what those shapes can read (every ``rdfs:subClassOf`` triple included), and each shape names
its focus nodes of the slice with ``sh:targetNode`` in place of its targets. The property shapes of a
node shape that no other shape refers to (and that is neither closed nor deactivated) name the same
nodes, in place of its ``sh:property``: pySHACL calls a property shape once per focus node when it
reaches it through ``sh:property`` and once per slice when it is targeted, with the same results
(the value node of a node shape is its focus node; a result's severity and message are the property
shape's), except that a property shape shared by two node shapes of one node is reported once, not
twice, as natograph's report does anyway. It took a fifth to a quarter of the CPU time off a cold
``validate`` at 100x the data (2026-11-27, benchmarks/at_scale.py). A constraint that pySHACL can
decide from a value's term alone (an ``sh:or`` of datatypes, say: ``value_constraints``) is taken out
of the slices' shapes and validated once per distinct value, each value's results going to every
focus node that has it (a fifth of a cold ``validate``'s time at 100x, the same day). A blank node
is described in pySHACL's messages by its triples, so a slice holds every triple of its blank nodes
and of those they reach. The distinct results are the same
as pySHACL's on the whole graph, node for node (``tests/test_slicing.py`` compares them on the shipped
graph with every shape fixture added, in slices of 1, 7 and 2,000 nodes and in worker processes, and
on hand-made shapes; the mutation suite validates through it); a shapes graph that reads further
(``sh:sparql``, sequence or transitive paths, a shape on its values' own properties, other kinds of
targets) is validated on the whole graph, as before.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH

SLICE = 2000
"""Focus nodes validated together: large enough that pySHACL's fixed cost per call (reading the
shapes) is small, small enough that a slice's graph stays a few megabytes."""

_SH = str(SH)
# What a shape may say and still be validated in slices (the rest of the sh: vocabulary is not).
_TERM_ONLY = {SH.datatype, SH.nodeKind, SH.minExclusive, SH.minInclusive, SH.maxExclusive, SH.maxInclusive,
              SH.minLength, SH.maxLength, SH.pattern, SH.flags, SH.languageIn, SH["in"], SH.hasValue}
_VALUES_OF_FOCUS = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan,
                    SH.lessThanOrEquals, SH.closed, SH.ignoredProperties}
_NESTED = {SH.node, SH["not"], SH.qualifiedValueShape, SH["or"], SH.xone, SH["and"], SH.property}
_OTHER = {SH.path, SH["class"], SH.targetClass, SH.targetNode, SH.message, SH.severity, SH.name,
          SH.description, SH.order, SH.group, SH.defaultValue, SH.deactivated, SH.qualifiedMinCount,
          SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
_ALLOWED = _TERM_ONLY | _VALUES_OF_FOCUS | _NESTED | _OTHER
_TARGETS = (SH.targetClass, SH.targetNode)
_RDF_TYPE = ox.NamedNode(str(RDF.type))
HELD = URIRef("urn:x-natograph:slicing:heldProperty")
"""Stands in a slice's shapes for the ``sh:property`` of a node shape whose property shapes are
targeted directly: pySHACL ignores it; it keeps the holder of an anonymous property shape known, by
which natograph names the shape of a result."""


class Reach:
    """What the shapes read around a focus node: the predicates of their paths, forwards and inverse,
    and whether one is closed (then every triple of the node)."""

    def __init__(self) -> None:
        self.forward: set = {RDF.type}
        self.inverse: set = set()
        self.closed = False


def _simple_path(shapes: Graph, path, reach: Reach) -> bool:
    """An IRI, the inverse of one, or a choice between such paths: one step from the focus node."""
    if isinstance(path, URIRef):
        reach.forward.add(path)
        return True
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        reach.inverse.add(inverse)
        return isinstance(inverse, URIRef)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return all(_simple_path(shapes, item, reach) for item in Collection(shapes, alternatives))
    return False


def _local(shapes: Graph, shape, distance: int, seen: set, reach: Reach) -> bool:
    """True when *shape*, applied to a node *distance* steps from the focus node (0 or 1), reads only
    what a slice holds: the focus node's triples, the terms, the types of nodes 0 or 1 step away."""
    if (shape, distance) in seen:
        return True
    seen.add((shape, distance))
    said = set(shapes.predicates(shape))
    if any(str(p).startswith(_SH) and p not in _ALLOWED for p in said):
        return False
    path = shapes.value(shape, SH.path)
    if path is not None:  # a property shape: reads the triples of its node along the path
        if distance != 0 or not _simple_path(shapes, path, reach):
            return False
        value = 1
    else:
        value = distance
        if said & (_VALUES_OF_FOCUS - {SH.closed, SH.ignoredProperties}) and distance != 0:
            return False
        if SH.closed in said:
            if distance != 0:
                return False
            reach.closed = True
    if SH["class"] in said and value > 1:
        return False
    for predicate in (SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals):
        for other in shapes.objects(shape, predicate):  # compared with the node's values of *other*
            if not isinstance(other, URIRef):
                return False
            reach.forward.add(other)
    for predicate in (SH.node, SH["not"], SH.qualifiedValueShape, SH.property):
        for nested in shapes.objects(shape, predicate):
            if not _local(shapes, nested, value, seen, reach):
                return False
    for predicate in (SH["or"], SH.xone, SH["and"]):
        for head in shapes.objects(shape, predicate):
            for nested in Collection(shapes, head):
                if not _local(shapes, nested, value, seen, reach):
                    return False
    return True


def targeted_shapes(shapes: Graph, reach: Reach | None = None) -> list | None:
    """The shapes that name their focus nodes, when every shape of *shapes* can be validated in
    slices (and what they read, in *reach*); None when one cannot (then the whole graph is
    validated at once)."""
    targeted = sorted({s for p in _TARGETS for s in shapes.subjects(p, None)}, key=str)
    for shape in shapes.subjects(RDF.type, None):
        kinds = set(shapes.objects(shape, RDF.type))
        if kinds & {RDFS.Class, OWL.Class} and kinds & {SH.NodeShape, SH.PropertyShape}:
            return None  # an implicit class target
    for p in (SH.targetSubjectsOf, SH.targetObjectsOf, SH.target):
        if (None, p, None) in shapes:
            return None
    seen: set = set()
    reach = reach if reach is not None else Reach()
    if not all(_local(shapes, shape, 0, seen, reach) for shape in targeted):
        return None
    return targeted


def held_properties(shapes: Graph, targeted: list) -> dict:
    """The targeted node shapes whose property shapes can be targeted in their place, each with its
    property shapes: a shape with no ``sh:path`` (its value node is its focus node), neither closed
    (``sh:closed`` reads its property shapes' paths) nor deactivated, that no shape refers to (where
    it is nested, its property shapes must stay with it), and whose property shapes all have a path
    (pySHACL's error for one that has none is kept) and none says ``sh:qualifiedValueShapesDisjoint``
    (its sibling shapes are found through the ``sh:property`` of the shapes that hold it)."""
    referred = set(shapes.objects())
    held = {}
    for shape in targeted:
        if shape in referred or any((shape, p, None) in shapes for p in (SH.path, SH.closed, SH.deactivated)):
            continue
        properties = sorted(shapes.objects(shape, SH.property), key=str)
        if properties and all((p, SH.path, None) in shapes and (p, SH.qualifiedValueShapesDisjoint, None) not in shapes
                              for p in properties):
            held[shape] = properties
    return held


_VALUE_LISTS = (SH["or"], SH.xone, SH["and"])
_VALUE_SHAPES = (SH["not"],)  # not sh:node: pySHACL reports the nested shape's results too, with the value as focus
_NAMING = {RDF.type, SH.message, SH.severity, SH.name, SH.description}
VALUE_FOCUS = "urn:x-natograph:slicing:value:"
"""Stand-in focus nodes of the values pass (``_Slicer.by_value``), one per property shape and value."""


def _term_only(shapes: Graph, shape) -> bool:
    """A shape whose verdict on a value node depends on that term alone (sh:datatype, sh:pattern, sh:in...)."""
    if not isinstance(shape, (URIRef, BNode)):
        return False
    said = set(shapes.predicates(shape))
    return bool(said) and said <= _TERM_ONLY | _NAMING


def value_constraints(shapes: Graph, targeted: list) -> dict:
    """The constraints pySHACL can decide from each value alone, {property shape: (its path,
    [(predicate, object)...])}: an ``sh:or``, ``sh:xone`` or ``sh:and`` of shapes, or an ``sh:not`` of
    one, that read the value's term alone, on a property shape whose path is an IRI,
    that is not deactivated, and that only targeted node shapes (active, nested nowhere) hold through
    ``sh:property``. Its value nodes are then the values of its path at the focus nodes of those shapes
    (and its own), and each value gets the same results at every focus node that has it.

    pySHACL validates such a constraint once per focus node and value, and each shape of an ``sh:or``
    that fails costs it a whole validation result: at 100x the shipped data, the date rules' ``sh:or``
    of three shapes took a third of the slices' time, for 21,000 start dates of which 152 differ."""
    targeted_set = set(targeted)
    referred = set(shapes.objects())
    found: dict = {}
    for shape in sorted(set(shapes.subjects(SH.path, None)), key=str):
        paths = list(shapes.objects(shape, SH.path))
        if len(paths) != 1 or not isinstance(paths[0], URIRef) or (shape, SH.deactivated, None) in shapes:
            continue
        holders = list(shapes.subject_predicates(shape))
        if not holders and shape not in targeted_set:
            continue
        if not all(predicate == SH.property and holder in targeted_set and holder not in referred
                   and (holder, SH.path, None) not in shapes and (holder, SH.deactivated, None) not in shapes
                   for holder, predicate in holders):
            continue
        constraints = [(p, head) for p in _VALUE_LISTS for head in shapes.objects(shape, p)
                       if (members := list(Collection(shapes, head)))
                       and all(_term_only(shapes, member) for member in members)]
        constraints += [(p, other) for p in _VALUE_SHAPES for other in shapes.objects(shape, p)
                        if _term_only(shapes, other)]
        if constraints:
            found[shape] = (paths[0], sorted(constraints, key=str))
    return found


def _term(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    from ..graph.terms import from_rdflib

    return from_rdflib(term)


def focus_nodes(engine, shapes: Graph, shape, *, inferred: bool) -> set:
    """The focus nodes of *shape* in the store's graph, as pySHACL finds them: the instances of each
    ``sh:targetClass`` and of its subclasses (``rdfs:subClassOf*``), and each ``sh:targetNode``."""
    found: set = set(shapes.objects(shape, SH.targetNode))
    classes = list(shapes.objects(shape, SH.targetClass))
    if classes:
        from ..graph.terms import to_rdflib

        values = " ".join(str(_term(c)) for c in classes)  # RDF terms, written as N-Triples terms
        text = ("SELECT DISTINCT ?x WHERE { VALUES ?c { " + values + " } "
                "?x <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
                "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?c }")
        found.update(to_rdflib(row["x"]) for row in engine.query(text, inferred=inferred))
    return found


class _Slicer:
    """Validates slices: builds each slice's shapes (``sh:targetNode`` in place of the targets) and
    graph, and hands both to *results*."""

    def __init__(self, engine, untargeted: list, namespaces: list, reach: Reach, inferred: bool, results,
                 held: dict, values: dict, applied: dict) -> None:
        from ..graph.terms import RdflibTerms

        self.engine = engine
        moved = {(shape, p, o) for shape, (_path, constraints) in values.items() for p, o in constraints}
        self.untargeted = [triple for triple in untargeted if triple not in moved]
        # the values pass's shapes: each property shape of *values* with its path, its names and the
        # constraints moved there, and nothing else of its own
        self.value_shapes = [(s, p, o) for s, p, o in untargeted if s not in values or p in _NAMING
                             or p == SH.path or (s, p, o) in moved]
        self.values = values
        self.applied = applied
        self.verdicts: dict = {}  # (property shape, IRI or literal) -> its results, focus node to fill
        self.held = held
        self.namespaces = namespaces
        self.reach = reach
        self.results = results
        self.graphs = engine.lookup_graphs(inferred=inferred)
        self.forward = {_term(p) for p in reach.forward}
        self.inverse = [_term(p) for p in reach.inverse]
        self.convert = RdflibTerms()
        self.types: dict = {}  # a neighbour's rdf:type triples: the same sources, countries... in every slice
        sub_class = ox.NamedNode(str(RDFS.subClassOf))
        self.schema = [(self.convert[q.subject], RDFS.subClassOf, self.convert[q.object])
                       for graph in self.graphs for q in engine.store.quads_for_pattern(None, sub_class, None, graph)]

    def neighbourhood(self, nodes: Iterable) -> Graph:
        """The triples a slice's shapes can read: the triples of each node along their paths (all of
        them when a shape is closed), the triples into it along their inverse paths, the types of the
        nodes reached, and the class hierarchy."""
        quads = self.engine.store.quads_for_pattern
        convert, forward, closed = self.convert, self.forward, self.reach.closed
        triples: list = []
        add = triples.append
        neighbours = set()
        own = set()
        for node in nodes:
            term = _term(node)
            own.add(term)
            for graph in self.graphs:
                if not isinstance(term, ox.Literal):
                    for q in quads(term, None, None, graph):
                        if closed or q.predicate in forward:
                            add((node, convert[q.predicate], convert[q.object]))
                            if not isinstance(q.object, ox.Literal):
                                neighbours.add(q.object)
                for predicate in self.inverse:
                    for q in quads(None, predicate, term, graph):
                        add((convert[q.subject], convert[predicate], node))
                        neighbours.add(q.subject)
        for term in neighbours - own:
            types = self.types.get(term)
            if types is None:
                types = self.types[term] = [(convert[term], RDF.type, convert[q.object]) for graph in self.graphs
                                            for q in quads(term, _RDF_TYPE, None, graph)]
            triples.extend(types)
        # pySHACL's messages describe a blank node by its triples, and those of the blank nodes they
        # reach: the slice has them all, so a message says what it says on the whole graph
        blank = [term for term in neighbours | own if isinstance(term, ox.BlankNode)]
        described = set(blank)
        while blank:
            term = blank.pop()
            subject = convert[term]
            for graph in self.graphs:
                for q in quads(term, None, None, graph):
                    add((subject, convert[q.predicate], convert[q.object]))
                    if isinstance(q.object, ox.BlankNode) and q.object not in described:
                        described.add(q.object)
                        blank.append(q.object)
        out = Graph()
        out.addN((s, p, o, out) for s, p, o in [*triples, *self.schema])
        return out

    def _shapes(self, triples: list) -> Graph:
        out = Graph()
        for prefix, namespace in self.namespaces:
            out.bind(prefix, namespace, override=False)
        out.addN((s, p, o, out) for s, p, o in triples)
        return out

    def __call__(self, targets: list[tuple]) -> list[dict]:
        """*targets*: (focus node, the shapes that target it) for each node of one slice."""
        batch_shapes = self._shapes(self.untargeted)
        batch_shapes.addN((target, SH.targetNode, node, batch_shapes) for node, shapes in targets for shape in shapes
                          for target in (shape, *self.held.get(shape, ())))
        data = self.neighbourhood([node for node, _ in targets])
        if len(self.convert) > 50 * SLICE:
            self.convert.clear()  # keep the memos from growing with the graph
            self.types.clear()
        if len(self.verdicts) > 100_000:  # distinct values met (152 dates at 100x the shipped data)
            self.verdicts.clear()
        found = self.results(data, batch_shapes)
        if self.values:
            found.extend(self.by_value(targets, data))
        return found

    def by_value(self, targets: list[tuple], data: Graph) -> list[dict]:
        """The results of the constraints decided by each value alone (``value_constraints``): each
        (property shape, value) met in this slice is validated once, by pySHACL, at a stand-in focus
        node that has only that value, in this slice's graph (so a value is described as it would be
        here); an IRI's or a literal's results are kept for later slices (a blank node's description
        is the slice's). Each focus node that has the value gets them, with its own name."""
        pairs = []
        stand_ins: dict = {}
        for node, shapes in targets:
            for shape in dict.fromkeys(valued for s in shapes for valued in self.applied.get(s, ())):
                for value in data.objects(node, self.values[shape][0]):
                    key = (shape, value)
                    pairs.append((node, key))
                    if key not in self.verdicts and key not in stand_ins:
                        stand_ins[key] = URIRef(f"{VALUE_FOCUS}{len(stand_ins)}")
        verdicts: dict = {key: [] for key in stand_ins}
        about_others: list = []
        if stand_ins:
            data.addN((focus, self.values[shape][0], value, data) for (shape, value), focus in stand_ins.items())
            shapes = self._shapes(self.value_shapes)
            shapes.addN((shape, SH.targetNode, focus, shapes) for (shape, _), focus in stand_ins.items())
            key_of = {focus: key for key, focus in stand_ins.items()}
            for result in self.results(data, shapes):
                if result["focus"] in key_of:
                    verdicts[key_of[result["focus"]]].append(result)
                else:  # none expected (such a shape is not moved here); kept as pySHACL gave it
                    about_others.append(result)
            self.verdicts.update((key, found) for key, found in verdicts.items() if not isinstance(key[1], BNode))
        return [{**result, "focus": node} for node, key in pairs
                for result in (verdicts[key] if key in verdicts else self.verdicts[key])] + about_others


_WORKER: _Slicer | None = None


def _start_worker(files: list, state: tuple) -> None:
    """In a worker process: open the same store (from the cache entry) and get ready for slices."""
    global _WORKER
    from ..graph.store.opening import open_engine

    _WORKER = _Slicer(open_engine(files), *state)


def _in_worker(targets: list[tuple]) -> list[dict]:
    assert _WORKER is not None
    return _WORKER(targets)


def default_jobs() -> int:
    """Worker processes for SHACL by default: one per core, at most 4."""
    import os

    return max(1, min(os.cpu_count() or 1, 4))


def sliced_results(engine, shapes: Graph, results, *, inferred: bool = True, jobs: int = 1,
                   meanwhile=None) -> list[dict] | None:
    """pySHACL's results on the store's graph (with the closure when *inferred*), slice by slice;
    None when *shapes* cannot be validated in slices. *results(data, shapes)* runs pySHACL and
    returns a dict per result, its focus node under ``"focus"`` (a module-level function: with
    *jobs* > 1 and at least three slices, slices are validated by that many worker processes,
    each opening the store's database read-only; a store built in memory (another process would
    build its own, with other blank nodes) or kept as N-Quads (under ``store.build.DISK_FROM`` triples: a
    slice or two) is validated in this process).
    *meanwhile*, when given, is called in this process while the workers run, if they do."""
    reach = Reach()
    targeted = targeted_shapes(shapes, reach)
    if targeted is None:
        return None
    shapes_of: dict = {}
    for shape in targeted:
        for node in focus_nodes(engine, shapes, shape, inferred=inferred):
            shapes_of.setdefault(node, []).append(shape)
    if not shapes_of:
        return []
    order = sorted(shapes_of, key=lambda n: (isinstance(n, Literal), isinstance(n, BNode), str(n)))
    slices = [[(node, shapes_of[node]) for node in order[start:start + SLICE]]
              for start in range(0, len(order), SLICE)]
    held = held_properties(shapes, targeted)
    untargeted = [(s, HELD if p == SH.property and s in held else p, o) for s, p, o in shapes if p not in _TARGETS]
    values = value_constraints(shapes, targeted)
    # the property shapes of *values* each targeted shape applies to its focus nodes
    applied = {shape: [valued for valued in values if valued == shape or (shape, SH.property, valued) in shapes]
               for shape in targeted}
    state = (untargeted, list(shapes.namespaces()), reach, inferred, results, held, values, applied)
    found: list[dict] = []
    if jobs > 1 and len(slices) >= 3 and engine.location is not None and engine.manifest.get("kind") == "database":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: this process holds the store open (RocksDB threads do not survive a fork)
        pool = ProcessPoolExecutor(max_workers=min(jobs, len(slices)), mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(list(engine.files), state))
        try:
            parts = pool.map(_in_worker, slices)
            if meanwhile is not None:
                meanwhile()
            for part in parts:
                found.extend(part)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return found
    slicer = _Slicer(engine, *state)
    for targets in slices:
        found.extend(slicer(targets))
    return found
