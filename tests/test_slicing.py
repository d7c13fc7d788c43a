"""SHACL in slices (natograph/checks/slicing.py) gives pySHACL's results on the whole graph, node for node,
and declines shapes that read further than a slice holds."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph
from rdflib.namespace import SH

from natograph.checks import slicing
from natograph.checks.constraints import core_shapes
from natograph.checks.rules import shapes_graph
from natograph.checks.shacl import _shacl_results
from natograph.graph import resources
from natograph.graph.store import build as store_build
from natograph.graph.store.opening import forget, open_engine

ROOT = Path(__file__).resolve().parent.parent
SHAPE_FIXTURES = sorted((ROOT / "tests" / "fixtures" / "shapes").glob("*/*.ttl"))


def _key(result: dict) -> tuple:
    return tuple(sorted((name, str(value)) for name, value in result.items()))


def _distinct(results: list) -> list:
    """The distinct results, sorted: pySHACL reports a property shape held by two node shapes of one
    node twice, slices once (they target the property shape); natograph's report is a set."""
    return sorted(set(map(_key, results)))


def _both(engine, shapes: Graph) -> tuple[list, list]:
    whole = _shacl_results(engine.rdflib_graph(), shapes)
    sliced = slicing.sliced_results(engine, shapes, lambda data, batch: _shacl_results(data, batch, advanced=False))
    assert sliced is not None, "the shapes were expected to be validated in slices"
    return _distinct(whole), _distinct(sliced)


@pytest.mark.parametrize("size", [1, 7, 2000])
def test_slices_give_the_whole_graph_results_on_every_shape_fixture_at_once(monkeypatch, size):
    """The shipped graph with every invalid and valid shape fixture added (each breaks a shape its own
    way, blank-node focus nodes included): one graph with findings of every kind, cut into slices of
    1, 7 and 2000 focus nodes."""
    monkeypatch.setattr(slicing, "SLICE", size)
    engine = open_engine([*resources.graph_files(), *SHAPE_FIXTURES], use_cache=False)
    whole, sliced = _both(engine, core_shapes(shapes_graph()))
    assert len(whole) > 100, "the fixtures should give many findings"
    assert sliced == whole


EX = """@prefix ex: <http://example.org/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""

DATA = EX + """
ex:Thing rdfs:subClassOf ex:Base .
ex:Special rdfs:subClassOf ex:Thing .
ex:a a ex:Thing ; ex:p ex:b , ex:c ; ex:q "x" .
ex:b a ex:Other .
ex:c a ex:Special ; ex:p ex:a .
ex:d a ex:Special ; ex:q "y"@en , "z"@en .
ex:e ex:p ex:a , ex:b .
ex:f a ex:Thing ; ex:r "x" , ex:a .
ex:a ex:r "x" .
"""


@pytest.mark.parametrize("shape", [
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:property [ sh:path ex:p ; sh:class ex:Thing ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 2 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property [ sh:path ex:q ; sh:uniqueLang true ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetNode ex:b , ex:e ; "
    "sh:property [ sh:path ex:p ; sh:node ex:T ] . ex:T a sh:NodeShape ; sh:class ex:Thing .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:or ( [ sh:path ex:q ; sh:minCount 1 ] [ sh:class ex:Special ] ) .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; "
    "sh:closed true ; sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; "
    "sh:property [ sh:path ex:q ; sh:disjoint ex:r ] , [ sh:path ex:p ; sh:equals ex:r ] .",
    # property shapes targeted in place of sh:property (slicing.held_properties), and where they are not:
    # one held by two node shapes of the same nodes (pySHACL reports it twice)
    "ex:S a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:P . "
    "ex:U a sh:NodeShape ; sh:targetClass ex:Base ; sh:property ex:P . ex:P a sh:PropertyShape ; sh:path ex:q ; sh:minCount 1 .",
    # the severity is the property shape's, not its holder's
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:severity sh:Warning ; "
    "sh:property [ sh:path ex:q ; sh:minCount 1 ] , [ sh:path ex:p ; sh:maxCount 1 ; sh:severity sh:Info ] .",
    # a closed shape reads its property shapes' paths: they stay
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:closed true ; "
    "sh:ignoredProperties ( <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ) ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
    # a node shape another shape nests keeps its property shapes there
    "ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:q ; sh:minCount 1 ] . "
    "ex:R a sh:NodeShape ; sh:targetClass ex:Special ; sh:node ex:S .",
    # disjoint qualified value shapes find their siblings through their holders' sh:property
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:property "
    "[ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:Thing ] ; sh:qualifiedMinCount 1 ; "
    "  sh:qualifiedValueShapesDisjoint true ] , "
    "[ sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:Special ] ; sh:qualifiedMinCount 1 ; "
    "  sh:qualifiedValueShapesDisjoint true ] .",
    # a deactivated node shape's property shapes are not validated
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:deactivated true ; sh:property ex:P . "
    "ex:P sh:path ex:q ; sh:minCount 1 . ex:U a sh:NodeShape ; sh:targetClass ex:Special ; "
    "sh:property [ sh:path ex:p ; sh:minCount 1 ] .",
])
def test_local_shapes_are_sliced_and_agree(tmp_path, monkeypatch, shape):
    monkeypatch.setattr(slicing, "SLICE", 1)
    data = tmp_path / "data.ttl"
    data.write_text(DATA, encoding="utf-8")
    shapes = Graph().parse(data=EX + shape, format="turtle")
    engine = open_engine([data], use_cache=False)
    whole, sliced = _both(engine, shapes)
    assert whole, "each of these shapes fails somewhere in DATA"
    assert sliced == whole


XSD = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
VALUES = XSD + """
ex:a a ex:Thing ; ex:d "2001"^^xsd:gYear , "2001-02"^^xsd:gYearMonth , ex:x ; ex:n ex:b .
ex:b a ex:Thing ; ex:d "2001"^^xsd:gYear , "01"^^xsd:gYear , [ ex:w "1" ] ; ex:n ex:c .
ex:c a ex:Special ; ex:d "2001-02-03"^^xsd:date , "2001"^^xsd:string , "2001-02"^^xsd:gYearMonth , ex:x .
ex:e a ex:Special ; ex:d "01"^^xsd:gYear , "2001" , [ ex:w "2" ] .
ex:f ex:d "bad"^^xsd:gYear .
"""


@pytest.mark.parametrize("size", [1, 2])
@pytest.mark.parametrize("shape", [
    # the shipped date rule's form, one property shape held by two node shapes (each targets it in its place)
    "ex:S sh:targetClass ex:Thing ; sh:property ex:P . ex:U sh:targetClass ex:Special ; sh:property ex:P . "
    "ex:P sh:path ex:d ; sh:maxCount 3 ; sh:message 'one of three datatypes' ; sh:or ( [ sh:datatype xsd:date ] "
    "[ sh:datatype xsd:gYearMonth ; sh:pattern '^[0-9]{4}-[0-9]{2}$' ] [ sh:datatype xsd:gYear ; sh:pattern '^[0-9]{4}$' ] ) .",
    # pySHACL's own messages (no sh:message), the values IRIs and literals
    "ex:S sh:targetClass ex:Base ; sh:property [ sh:path ex:d ; sh:or ( [ sh:datatype xsd:gYear ] [ sh:nodeKind sh:IRI ] ) ] .",
    "ex:S sh:targetClass ex:Base ; sh:property [ sh:path ex:d ; sh:severity sh:Warning ; sh:message 'xone' ; "
    "sh:xone ( [ sh:nodeKind sh:Literal ] [ sh:datatype xsd:gYear ] ) ] .",
    "ex:S sh:targetClass ex:Base ; sh:property [ sh:path ex:d ; sh:message 'and' ; "
    "sh:and ( [ sh:nodeKind sh:Literal ] [ sh:pattern '^2' ] ) ; sh:not [ sh:in ( '2001' ex:x ) ] ] .",
    # a property shape targeted itself as well as held
    "ex:P sh:targetNode ex:f , ex:e ; sh:path ex:d ; sh:message 'p' ; "
    "sh:or ( [ sh:datatype xsd:gYear ] [ sh:datatype xsd:date ] ) . "
    "ex:S sh:targetClass ex:Thing ; sh:property ex:P .",
    # shapes the values pass leaves alone, validated as before: a member reading the value's types, a
    # holder nested elsewhere, a deactivated holder, an inverse path
    "ex:S sh:targetClass ex:Base ; sh:property [ sh:path ex:n ; sh:message 'class' ; "
    "sh:or ( [ sh:class ex:Special ] [ sh:nodeKind sh:Literal ] ) ] .",
    "ex:S sh:targetClass ex:Base ; sh:property ex:P . ex:R sh:targetNode ex:a ; sh:not ex:S . "
    "ex:P sh:path ex:d ; sh:message 'nested' ; sh:or ( [ sh:datatype xsd:gYear ] [ sh:datatype xsd:date ] ) .",
    "ex:S sh:targetClass ex:Base ; sh:deactivated true ; sh:property ex:P . ex:U sh:targetClass ex:Special ; "
    "sh:property ex:P . ex:P sh:path ex:d ; sh:message 'off' ; sh:or ( [ sh:datatype xsd:gYear ] [ sh:datatype xsd:date ] ) .",
    "ex:S sh:targetClass ex:Base ; sh:property [ sh:path [ sh:inversePath ex:n ] ; sh:message 'inverse' ; "
    "sh:or ( [ sh:nodeKind sh:Literal ] [ sh:in ( ex:a ) ] ) ] .",
    # sh:node (pySHACL reports the nested shape's results too, the value as their focus)
    "ex:S sh:targetClass ex:Base ; sh:property [ sh:path ex:d ; sh:node ex:T ] . ex:T sh:datatype xsd:gYear ; sh:maxLength 4 .",
])
def test_constraints_decided_by_each_value_agree(tmp_path, monkeypatch, shape, size):
    """An sh:or, sh:xone, sh:and or sh:not that reads only the value's term is validated once
    per distinct value (slicing.value_constraints) and its results given to each focus node with that
    value: the same results as pySHACL on the whole graph, across slices (an IRI's and a literal's
    results carried from one slice to the next, a blank node's found in its slice)."""
    monkeypatch.setattr(slicing, "SLICE", size)
    data = tmp_path / "data.ttl"
    data.write_text(DATA + VALUES, encoding="utf-8")
    shapes = Graph().parse(data=EX + XSD + shape, format="turtle")
    engine = open_engine([data], use_cache=False)
    whole, sliced = _both(engine, shapes)
    assert whole, "each of these shapes fails somewhere in the data"
    assert sliced == whole


def test_which_constraints_are_decided_by_each_value():
    """The shipped date rules are; the sh:or of classes is not (it reads the value's types)."""
    shapes = core_shapes(shapes_graph())
    values = slicing.value_constraints(shapes, slicing.targeted_shapes(shapes))
    assert {str(shape).rsplit("#", 1)[1]: str(path).rsplit("#", 1)[1] for shape, (path, _) in values.items()} == {
        "startDate": "startDate", "endDate": "endDate", "DCBPackageShape-approvalDate": "approvalDate"}
    assert all([p for p, _ in constraints] == [SH["or"]] for _, constraints in values.values())


def test_each_value_is_validated_once(monkeypatch):
    """On the shipped graph with every shape fixture, in slices of 7 nodes: each (property shape, IRI
    or literal) reaches pySHACL once, however many focus nodes have it."""
    monkeypatch.setattr(slicing, "SLICE", 7)
    engine = open_engine([*resources.graph_files(), *SHAPE_FIXTURES], use_cache=False)
    shapes = core_shapes(shapes_graph())
    seen = []

    def results(data, batch):
        for shape, focus in batch.subject_objects(SH.targetNode):
            if str(focus).startswith(slicing.VALUE_FOCUS):
                seen.append((shape, *data.objects(focus, None)))
        return _shacl_results(data, batch, advanced=False)

    slicing.sliced_results(engine, shapes, results)
    graph = engine.rdflib_graph()
    pairs = [(shape, value) for shape, (path, _) in slicing.value_constraints(shapes, slicing.targeted_shapes(shapes)).items()
             for value in graph.objects(None, path)]
    terms = [key for key in seen if not isinstance(key[1], BNode)]
    assert len(terms) == len(set(terms)), "a value was validated twice"
    assert set(terms) <= set(pairs)
    assert 0 < len(seen) < len(pairs), "one validation per focus node and value"


@pytest.mark.parametrize("shape", [
    # a path of two steps reads the triples of the focus node's neighbours
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ; sh:minCount 1 ] .",
    # a shape on the values' own properties
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; "
    "sh:property [ sh:path ex:p ; sh:node ex:T ] . ex:T sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
    # the class of a value's value
    "ex:S a sh:NodeShape ; sh:targetClass ex:Base ; "
    "sh:property [ sh:path ex:p ; sh:node ex:T ] . ex:T sh:property [ sh:path ex:p ; sh:class ex:Thing ] .",
    # SPARQL reads anything
    'ex:S a sh:NodeShape ; sh:targetClass ex:Base ; sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .',
    # other kinds of targets, and implicit class targets
    "ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
    "ex:Thing a sh:NodeShape , rdfs:Class ; sh:property [ sh:path ex:q ; sh:minCount 1 ] .",
])
def test_shapes_that_read_further_are_validated_whole(tmp_path, shape):
    shapes = Graph().parse(data=EX + shape, format="turtle")
    assert slicing.targeted_shapes(shapes) is None


def test_the_shipped_shapes_are_sliced():
    shapes = core_shapes(shapes_graph())
    targeted = slicing.targeted_shapes(shapes)
    assert targeted
    # and every node shape's property shapes are targeted in its place (a fifth to a quarter of the CPU at 100x)
    assert set(slicing.held_properties(shapes, targeted)) == set(targeted)


def test_which_property_shapes_are_held():
    shapes = Graph().parse(data=EX + """
        ex:Open sh:targetClass ex:Base ; sh:property ex:P , [ sh:path ex:q ; sh:maxCount 1 ] .
        ex:Closed sh:targetClass ex:Base ; sh:closed true ; sh:property ex:P .
        ex:Off sh:targetClass ex:Base ; sh:deactivated true ; sh:property ex:P .
        ex:Nested sh:targetClass ex:Base ; sh:property ex:P .
        ex:Nester sh:targetClass ex:Base ; sh:not ex:Nested .
        ex:Pathless sh:targetClass ex:Base ; sh:property ex:Bare .
        ex:Prop sh:targetClass ex:Base ; sh:path ex:p ; sh:property ex:P .
        ex:Siblings sh:targetClass ex:Base ; sh:property ex:P , ex:Q .
        ex:Q sh:path ex:p ; sh:qualifiedValueShape ex:T ; sh:qualifiedMinCount 1 ; sh:qualifiedValueShapesDisjoint true .
        ex:P sh:path ex:p ; sh:minCount 1 .
        ex:Bare sh:minCount 1 .
    """, format="turtle")
    targeted = sorted(shapes.subjects(SH.targetClass, None))
    held = slicing.held_properties(shapes, targeted)
    assert {str(shape).rsplit("/", 1)[1]: len(properties) for shape, properties in held.items()} == {"Open": 2}


def test_worker_processes_give_the_same_results(tmp_path, monkeypatch):
    """Slices validated by two spawned workers, each opening the store's database (as a big graph is
    kept) from its cache entry; blank-node focus nodes included."""
    monkeypatch.setenv("NATOGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(slicing, "SLICE", 200)
    monkeypatch.setattr(store_build, "DISK_FROM", 0)
    forget()
    try:
        engine = open_engine([*resources.graph_files(), *SHAPE_FIXTURES])
        assert engine.manifest["kind"] == "database"
        shapes = core_shapes(shapes_graph())
        whole = _distinct(_shacl_results(engine.rdflib_graph(), shapes))
        from natograph.checks.shacl import _shacl_core

        def here(*_args):
            raise AssertionError("a slice was validated in this process, not by a worker")

        monkeypatch.setattr(slicing._Slicer, "__call__", here)  # spawned workers import it afresh
        # SLICE is read in this process: the workers validate the slices it cuts
        parallel = slicing.sliced_results(engine, shapes, _shacl_core, jobs=2)
        assert _distinct(parallel) == whole
    finally:
        forget()
