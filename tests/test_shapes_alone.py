"""The shapes are the validator: pySHACL, given only the published shapes and the data, finds what
``natograph validate`` finds, result for result (focus node, path, value, severity, the shape and
constraint component that fired, the message).

The standard way to run the shapes (docs/maintaining.md, "The shapes alone"), with no natograph code:
the shapes of ``ontology/shapes/*.shapes.ttl`` on the ontology and the data with pySHACL's OWL 2 RL
inference (``inference="owlrl"``), and those of ``ontology/shapes/as-written/`` on the same files
as written (``inference="none"``). Both reports together are compared with natograph's own
(``report_graph``, its W3C SHACL report), read the same way.

- On the shipped graph, whole, through pySHACL's command line, as the shapes' README tells a reader.
- On every mutant kind of ``tests/mutations/`` (planted together in a few copies of the shipped data,
  each kind where no other touches the resources it touches): on the resources each mutant touches
  (pySHACL's ``focus_nodes``; the whole graph is the first test's), every result of the two
  validators is the same, and each kind is found by pySHACL through the rule it is aimed at.
- On every fixture of a check (``tests/fixtures/shapes/check-*``), on the resources it writes.

pySHACL runs in this process (its OWL RL inference swaps rdflib's date converters for the process:
natograph's results do not depend on them, ``tests/mutations`` checks it) except for the command line.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import pytest
from mutations.mutants import FAULTS, DataFiles, Fault, iri  # tests/mutations, on sys.path with tests/
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.extras.shacl import parse_shacl_path
from rdflib.namespace import RDF, SH

from natograph.checks.constraints import AS_WRITTEN, CHECKS
from natograph.checks.reports import report_graph
from natograph.checks.results import short_term
from natograph.checks.validation import validate
from natograph.graph import resources

HERE = Path(__file__).resolve().parent
CHECK_FIXTURES = sorted((HERE / "fixtures" / "shapes").glob("check-*/*.ttl"))


# ---------------------------------------------------------------------------
# The two validators, and their reports read the same way
# ---------------------------------------------------------------------------


@cache
def published_shapes() -> tuple[Graph, Graph]:
    """(the shapes on the closure, the shapes on the triples as written), from the files as published."""
    closure, written = Graph(), Graph()
    for path in resources.shapes_files():
        (written if path.parent.name == AS_WRITTEN else closure).parse(path, format="turtle")
    return closure, written


@cache
def _split(shapes: Graph) -> tuple[Graph, Graph]:
    """(the SHACL Core shapes, the SHACL-SPARQL checks: each node shape with sh:sparql, with its blank nodes)."""
    checks = set()
    todo = list(shapes.subjects(SH.sparql, None))
    while todo:
        node = todo.pop()
        if node not in checks:
            checks.add(node)
            todo.extend(o for o in shapes.objects(node, None) if isinstance(o, BNode))
    core, sparql = Graph(), Graph()
    for triple in shapes:
        (sparql if triple[0] in checks else core).add(triple)
    return core, sparql


def standard_report(files: Sequence[Path], focus: Iterable[URIRef] | None = None) -> Graph:
    """pySHACL's reports on the ontology and *files*, as one graph: the shapes of ontology/shapes/ on
    owlrl's closure (the call pySHACL makes for ``inference="owlrl"``, made once here for the two
    runs below), those of as-written/ on the triples as written. With *focus*, the checks report on
    those nodes only (``focus_nodes``); SHACL Core always runs on the whole graph, because pySHACL's
    ``focus_nodes`` also filters the values a nested shape (sh:or, sh:node...) is applied to, and so
    loses their results."""
    import owlrl
    from pyshacl import validate as pyshacl_validate

    closure_shapes, written_shapes = published_shapes()
    core, checks = _split(closure_shapes)
    data = Graph()
    for path in [*resources.ontology_files(), *files]:
        data.parse(path, format="turtle")
    expanded = Graph()
    expanded += data
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(expanded)
    focus = sorted(focus) if focus is not None else None
    report = Graph()
    for graph, shapes, nodes in ((expanded, core, None), (expanded, checks, focus), (data, written_shapes, focus)):
        _conforms, one, _text = pyshacl_validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                                 focus_nodes=nodes)
        report += one
    return report


def _shape_name(node, shapes: Graph) -> str:
    """A result's sourceShape as natograph names it: ``check:<name>``, ``ngsh:<Shape>``; a shape
    without a name (inside sh:or, sh:xone...) by the named shape that holds it."""
    if isinstance(node, BNode):
        for parent in shapes.subjects(None, node):
            if isinstance(parent, URIRef):
                return _shape_name(parent, shapes)
        return "(anonymous shape)"
    if str(node).startswith(str(CHECKS)):
        return "check:" + str(node)[len(str(CHECKS)):]
    return short_term(node)


def _term(term) -> str:
    """A focus node or value as N-Triples; a blank node is ``_:`` (each validator names its own), a
    language tag in lower case (tags are case-insensitive; Oxigraph keeps them lower-cased, rdflib as
    written)."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:"
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower()).n3()
    return term.n3()


def read(report: Graph) -> dict[tuple, set[str]]:
    """A W3C SHACL report as {(focus, shape, component, path, value, severity): messages}, each
    message in lower case (a message may quote a language tag, see _term)."""
    closure, written = published_shapes()
    shapes = closure + written
    found: dict[tuple, set[str]] = {}
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        if isinstance(path, BNode):
            path = parse_shacl_path(report, path)
        value = report.value(result, SH.value)
        key = (
            _term(focus),
            _shape_name(report.value(result, SH.sourceShape), shapes),
            str(report.value(result, SH.sourceConstraintComponent)),
            path.n3() if path is not None else "",
            _term(value),
            str(report.value(result, SH.resultSeverity)),
        )
        found.setdefault(key, set()).update(str(m).lower() for m in report.objects(result, SH.resultMessage))
    return found


def natograph_report(paths: Sequence[Path], focus: Iterable[URIRef] | None = None) -> Graph:
    """``natograph validate`` of the ontology and *paths* (alone: nothing else of the shipped graph)
    as its W3C report (on *focus* only, when given)."""
    report = validate(paths, alone=True) if paths else validate()
    if focus is not None:
        wanted = set(focus)
        report = type(report)(tuple(r for r in report.results if r.focus_term in wanted), report.files, report.triples)
    return report_graph(report)


def on(focus: Iterable[URIRef], found: dict[tuple, set[str]]) -> dict[tuple, set[str]]:
    """The results of *found* whose focus node is one of *focus*."""
    wanted = {node.n3() for node in focus}
    return {key: messages for key, messages in found.items() if key[0] in wanted}


def assert_agree(natograph: dict, standard: dict) -> None:
    missing = sorted(set(natograph) - set(standard))
    extra = sorted(set(standard) - set(natograph))
    assert not missing and not extra, (
        "natograph validate and pySHACL on the published shapes disagree:\n"
        + "".join(f"  natograph only: {key}\n" for key in missing)
        + "".join(f"  pySHACL only:   {key}\n" for key in extra))
    for key, messages in natograph.items():
        assert messages <= standard[key], f"{key}: natograph says {messages}, pySHACL {standard[key]}"


# ---------------------------------------------------------------------------
# The shipped graph, through pySHACL's command line
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_the_shapes_alone_agree_on_the_shipped_graph(tmp_path):
    """The commands the shapes' README gives, on the shipped ontology and data: the same results as
    natograph validate (the infos of the undated participations, no violation)."""
    closure_shapes, written_shapes = tmp_path / "shapes.ttl", tmp_path / "shapes-as-written.ttl"
    folder = resources.root() / "ontology" / "shapes"
    closure_shapes.write_bytes(b"".join(p.read_bytes() for p in sorted(folder.glob("*.shapes.ttl"))))
    written_shapes.write_bytes(b"".join(p.read_bytes() for p in sorted((folder / AS_WRITTEN).glob("*.shapes.ttl"))))
    graph = [str(p) for p in resources.graph_files()]
    report = Graph()
    for shapes, inference in ((closure_shapes, "owlrl"), (written_shapes, "none")):
        out = tmp_path / f"{shapes.stem}-report.ttl"
        proc = subprocess.run([sys.executable, "-m", "pyshacl", "-s", str(shapes), "-i", inference, "-w", "-f", "turtle",
                               "-o", str(out), *graph], capture_output=True, text=True, timeout=3600, check=False)
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        report.parse(out, format="turtle")
    standard = read(report)
    assert_agree(read(natograph_report([])), standard)
    assert standard, "the shipped graph has its infos (undated participations)"
    assert {key[5] for key in standard} == {str(SH.Info)}


# ---------------------------------------------------------------------------
# Every mutant kind
# ---------------------------------------------------------------------------


def _copy(graph: Graph) -> Graph:
    clone = Graph()
    clone.addN((s, p, o, clone) for s, p, o in graph)
    return clone


@cache
def batches() -> list[tuple[DataFiles, tuple[tuple[Fault, tuple[URIRef, ...]], ...], frozenset[URIRef]]]:
    """Every mutant kind planted in a copy of the shipped data, several kinds per copy: a kind joins the
    first copy where no other kind touches a resource it touches (those it names, and the subjects
    whose triples it changes), so each applies as it would alone."""
    logging.getLogger("rdflib").setLevel(logging.ERROR)  # ill-typed literals are the point of some kinds
    pristine = DataFiles.shipped()
    scratch = DataFiles.shipped()
    touches = []
    for fault in FAULTS:  # each kind once on the scratch copy, to see what it touches; then undone
        scratch.modified = set()
        named = tuple(iri(n) for n in fault.apply(scratch))
        touched = set(named)
        for name in scratch.modified:
            changed = set(scratch.graphs[name]) ^ set(pristine.graphs[name])
            touched |= {s for s, _p, _o in changed if isinstance(s, URIRef)}
            scratch.graphs[name] = _copy(pristine.graphs[name])
        touches.append((fault, frozenset(touched)))
    groups: list[tuple[list[Fault], set[URIRef]]] = []
    for fault, touched in touches:
        for members, taken in groups:
            if not touched & taken:
                members.append(fault)
                taken |= touched
                break
        else:
            groups.append(([fault], set(touched)))
    planted = []
    for members, taken in groups:
        data = DataFiles.shipped()
        planted.append((data, tuple((fault, tuple(iri(n) for n in fault.apply(data))) for fault in members),
                        frozenset(taken)))
    return planted


def _batch_ids() -> list[str]:
    return [f"batch-{i + 1}" for i in range(len(batches()))]


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(_batch_ids())), ids=_batch_ids())
def test_the_shapes_alone_agree_on_every_mutant_kind(index, tmp_path):
    data, faults, touched = batches()[index]
    folder = tmp_path / "data"
    files = data.write(folder, note=f"{len(faults)} mutant kinds")
    focus = set(touched)
    standard = on(focus, read(standard_report(files, focus)))
    assert_agree(read(natograph_report([folder], focus)), standard)
    for fault, named in faults:
        rules = {(rule.shape, rule.constraint or "SPARQLConstraintComponent") for rule in fault.expected_rules}
        hits = [key for key in standard
                if key[0] in {n.n3() for n in named} and (key[1], key[2].rsplit("#", 1)[-1]) in rules]
        assert hits, f"{fault.name}: pySHACL finds nothing from {sorted(rules)} on {[str(n) for n in named]}"


def test_every_mutant_kind_is_planted():
    planted = [fault.name for _data, faults, _touched in batches() for fault, _named in faults]
    assert sorted(planted) == sorted(f.name for f in FAULTS)
    assert len(batches()) <= len(FAULTS) // 5, "kinds that touch different resources share a copy"


# ---------------------------------------------------------------------------
# Every fixture of a check
# ---------------------------------------------------------------------------

def _written(path: Path) -> set[URIRef]:
    """The IRIs a fixture writes as subjects."""
    graph = Graph().parse(path, format="turtle")
    return {s for s in graph.subjects() if isinstance(s, URIRef)}


@pytest.mark.slow
@pytest.mark.parametrize("fixture_file", CHECK_FIXTURES, ids=[f"{p.parent.name}/{p.name}" for p in CHECK_FIXTURES])
def test_the_shapes_alone_agree_on_every_check_fixture(fixture_file):
    focus = _written(fixture_file)
    assert_agree(read(natograph_report([fixture_file], focus)), on(focus, read(standard_report([fixture_file], focus))))
