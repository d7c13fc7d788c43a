"""SHACL by pySHACL, on the store's graph: in slices where the shapes allow it (``slicing``), else on
the whole graph as one rdflib Graph; each result read from pySHACL's report as natograph shows it."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .results import short_term

_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


def _shacl_results(data: Graph, shapes: Graph, *, advanced: bool = True) -> list[dict]:
    """pySHACL's results on *data*; *advanced* (SHACL-AF: rules, functions, SPARQL targets) costs a
    fifth more time and changes nothing for shapes that use none of it (slicing.py checks that)."""
    from pyshacl import validate as shacl_validate

    _conforms, report, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=advanced,
        do_owl_imports=False,
    )
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        source_shape = report.value(result, SH.sourceShape)
        found.append(
            {
                "focus": report.value(result, SH.focusNode),
                "severity": _SEVERITY_OF.get(report.value(result, SH.resultSeverity), "violation"),
                "message": _message(report, result, shapes, source_shape),
                "shape": _shape_name(shapes, source_shape),
                "constraint": short_term(report.value(result, SH.sourceConstraintComponent)).replace("sh:", ""),
                "path": short_term(report.value(result, SH.resultPath)),
                "value": short_term(report.value(result, SH.value)),
                "value_term": report.value(result, SH.value),
                "path_term": _path_term((report, shapes), report.value(result, SH.resultPath)),
            }
        )
    return found


def _path_term(graphs: Sequence[Graph], path: Node | None) -> Node | None:
    """The result path as an IRI or an rdflib Path (inverse, alternative, sequence...), read from the
    report or the shapes graph (rdflib's SHACL path parser); None when neither describes it."""
    from rdflib.extras.shacl import SHACLPathError, parse_shacl_path

    if isinstance(path, URIRef) or path is None:
        return path
    for graph in graphs:
        if (path, None, None) in graph:
            try:
                return parse_shacl_path(graph, path)
            except SHACLPathError:
                continue
    return None


def _message(report: Graph, result: Node, shapes: Graph, shape: Node | None) -> str:
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
    if shape is not None:
        own = [str(m) for m in shapes.objects(shape, SH.message)]
        if own:
            # pySHACL uses sh:message of the shape; for sh:sparql it substitutes {?var}.
            messages = [m for m in messages if not m.startswith("Node ")] or own
    return messages[0] if messages else "constraint not met"


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    if shape is None:
        return ""
    if isinstance(shape, URIRef):
        return short_term(shape)
    # An anonymous shape (inside sh:or / sh:xone): name the named shape that holds it.
    for parent in shapes.subjects(None, shape):
        if isinstance(parent, URIRef):
            return short_term(parent)
    return "(anonymous shape)"


def _shacl_core(data: Graph, shapes: Graph) -> list[dict]:
    """pySHACL's results without SHACL-AF, for slices (whose shapes use none of it)."""
    return _shacl_results(data, shapes, advanced=False)


def shacl_on(engine, shapes: Graph, *, inferred: bool = True, jobs: int | None = None, meanwhile=None) -> list[dict]:
    """pySHACL's results on the store's graph for the SHACL Core shapes of *shapes* (its checks, the
    SHACL-SPARQL constraints, run on the store: findings.check_results): slice by slice when the
    shapes allow it (slicing.py, in *jobs* worker processes for a big graph, while this process calls
    *meanwhile*), else on the whole graph as one rdflib Graph."""
    from .constraints import core_shapes
    from .slicing import default_jobs, sliced_results

    shapes = core_shapes(shapes)
    found = sliced_results(engine, shapes, _shacl_core, inferred=inferred,
                           jobs=default_jobs() if jobs is None else jobs, meanwhile=meanwhile)
    if found is None:
        found = _shacl_results(engine.rdflib_graph(inferred=inferred), shapes)
    return found
