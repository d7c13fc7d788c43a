"""Validation reports, each valid by its own standard: text for people, JSON, SHACL (Turtle), SARIF 2.1.0.

- ``text``: grouped by focus node, each with its file:line, then a summary line.
- ``json``: one object (the fields are listed in ``report_json``'s docstring and in the README).
- ``turtle``: a W3C SHACL validation report (``sh:ValidationReport``, SHACL §3.6): ``sh:conforms``
  and, per result, exactly one ``sh:focusNode`` (the focus term itself: an IRI or a blank node),
  ``sh:resultSeverity``, ``sh:sourceConstraintComponent`` and ``sh:sourceShape``, ``sh:resultPath``
  and ``sh:value`` where the rule names them, and ``sh:resultMessage``. A check (``check:<name>`` in
  the other formats) is its shape ``https://w3id.org/natograph/checks#<name>`` with
  ``sh:SPARQLConstraintComponent``, as a SHACL-SPARQL engine reports it.
- ``sarif``: SARIF 2.1.0 (OASIS), one run, one rule per shape or check with its short description.
"""

from __future__ import annotations

import json
from pathlib import Path as FilePath

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.paths import Path
from rdflib.term import Node

from ..graph.namespaces import NG, PREFIXES, bind_all
from .constraints import CHECKS
from .results import SEVERITIES, ValidationReport, ValidationResult

_SEVERITY_IRI = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
_SARIF_LEVEL = {"violation": "error", "warning": "warning", "info": "note"}


def _relative(file: str) -> str:
    try:
        return str(FilePath(file).resolve().relative_to(FilePath.cwd()))
    except ValueError:
        return file


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


def report_text(report: ValidationReport) -> str:
    """Grouped by focus node, each with its file:line and its messages; control characters from the
    data (a focus IRI, a value, a message) shown escaped (``output.visible``)."""
    from ..output import visible as v

    out: list[str] = []
    current = None
    for r in report.results:
        key = (r.file, r.line, r.focus)
        if key != current:
            current = key
            where = f"{v(_relative(r.file))}:{r.line}: " if r.file else ""
            out.append(f"{where}{v(str(r.focus))}")
        detail = f" [{v(str(r.shape))}" + (f" {v(str(r.constraint))}" if r.constraint else "") + "]"
        path = f" {v(str(r.path))}:" if r.path else ""
        value = f" (value: {v(str(r.value))})" if r.value and r.value != r.focus else ""
        extra = " (only after inference)" if r.inferred_only else ""
        out.append(f"  {r.severity}:{path} {v(str(r.message))}{value}{detail}{extra}")
    out.append(report.summary())
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def report_json(report: ValidationReport) -> str:
    """One JSON object:

    - ``conforms`` (bool): no result at all, as SHACL's ``sh:conforms``;
    - ``summary``: the number of results per severity (``violation``, ``warning``, ``info``);
    - ``triples``: the size of the validated graph after inference;
    - ``results``: one object per result, ordered by file, line, focus, shape, message:
      ``file`` (path relative to the working folder, or null), ``line`` (1-based, or null),
      ``focus`` (``prefix:local``, ``<iri>`` or a blank node label), ``severity``, ``message``,
      ``shape`` (``ngsh:<Shape>`` or ``check:<name>``), ``constraint`` (a SHACL constraint
      component's local name, or ``SPARQLCheck``), ``path`` and ``value`` (or null),
      ``inferredOnly`` (true when the result appears only after OWL RL inference; always false
      unless ``--inferred-only`` was asked).
    """
    document = {
        "conforms": report.conforms,
        "summary": {s: report.count(s) for s in SEVERITIES},
        "triples": report.triples,
        "results": [
            {
                "file": _relative(r.file) if r.file else None,
                "line": r.line or None,
                "focus": r.focus,
                "severity": r.severity,
                "message": r.message,
                "shape": r.shape,
                "constraint": r.constraint,
                "path": r.path or None,
                "value": r.value or None,
                "inferredOnly": r.inferred_only,
            }
            for r in report.results
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# SHACL validation report (Turtle)
# ---------------------------------------------------------------------------


def _iri(short: str) -> URIRef:
    if short.startswith("<") and short.endswith(">"):
        return URIRef(short[1:-1])
    prefix, _, local = short.partition(":")
    namespace = PREFIXES.get(prefix)
    if namespace is None:
        raise ValueError(f"not a known prefixed name: {short!r}")
    return URIRef(str(namespace) + local)


def source_shape(result: ValidationResult) -> URIRef:
    """The shape IRI of a result: the named shape (``ngsh:...``), or ``checks:<name>`` for a SPARQL check."""
    return source_shape_of(result.shape)


def source_constraint_component(result: ValidationResult) -> URIRef:
    if result.constraint == "SPARQLCheck":
        return SH.SPARQLConstraintComponent
    if result.constraint.startswith("<"):
        return _iri(result.constraint)
    return SH[result.constraint]


def _focus(result: ValidationResult) -> Node:
    if isinstance(result.focus_term, (URIRef, BNode)):
        return result.focus_term
    return _iri(result.focus)


def _add_path(out: Graph, node: Node, path: Node | Path | None) -> None:
    """sh:resultPath: an IRI, or a complex path written as SHACL path triples (rdflib's SHACL path builder)."""
    from rdflib.extras.shacl import build_shacl_path

    if isinstance(path, URIRef):
        out.add((node, SH.resultPath, path))
    elif isinstance(path, Path):
        path_node, _graph = build_shacl_path(path, target_graph=out)
        out.add((node, SH.resultPath, path_node))


def report_graph(report: ValidationReport) -> Graph:
    """The SHACL validation report as an rdflib graph."""
    out = Graph()
    bind_all(out)
    out.bind("checks", CHECKS)
    root = BNode("report")
    out.add((root, RDF.type, SH.ValidationReport))
    out.add((root, SH.conforms, Literal(report.conforms)))
    for index, r in enumerate(report.results):
        node = BNode(f"r{index:05d}")
        out.add((root, SH.result, node))
        out.add((node, RDF.type, SH.ValidationResult))
        out.add((node, SH.focusNode, _focus(r)))
        out.add((node, SH.resultSeverity, _SEVERITY_IRI[r.severity]))
        out.add((node, SH.sourceConstraintComponent, source_constraint_component(r)))
        out.add((node, SH.sourceShape, source_shape(r)))
        _add_path(out, node, r.path_term)
        if r.value_term is not None:
            out.add((node, SH.value, r.value_term))
        out.add((node, SH.resultMessage, Literal(r.message)))
        if r.file:
            out.add((node, NG.note, Literal(f"{_relative(r.file)}:{r.line}")))
    return out


def report_turtle(report: ValidationReport) -> str:
    """A W3C SHACL validation report (sh:ValidationReport) in Turtle."""
    return report_graph(report).serialize(format="turtle")


# ---------------------------------------------------------------------------
# SARIF 2.1.0
# ---------------------------------------------------------------------------


def _artifact_uri(file: str) -> str:
    """A URI reference: the path relative to the working folder (forward slashes), else a file: URI."""
    relative = FilePath(_relative(file))
    if relative.is_absolute():
        return relative.as_uri()
    return relative.as_posix()


def _rule_descriptions() -> dict[str, str]:
    """``ngsh:<Shape>`` -> its sh:message; ``check:<name>`` -> the check's ``#+ summary``."""
    from .rules import load_checks, shapes_graph

    shapes = shapes_graph()
    found: dict[str, str] = {}
    for shape, message in shapes.subject_objects(SH.message):
        if isinstance(shape, URIRef):
            for prefix, namespace in PREFIXES.items():
                if str(shape).startswith(str(namespace)):
                    found.setdefault(f"{prefix}:{str(shape)[len(str(namespace)) :]}", str(message))
    for check in load_checks():
        found[f"check:{check.name}"] = check.summary or f"SPARQL check {check.name}"
    return found


def report_sarif(report: ValidationReport) -> str:
    """SARIF 2.1.0, so code-review tools can annotate the lines: one rule per shape or check."""
    from .._version import __version__

    rule_ids = sorted({r.shape or "natograph" for r in report.results})
    descriptions = _rule_descriptions() if rule_ids else {}
    index = {rule: position for position, rule in enumerate(rule_ids)}
    rules = [
        {
            "id": rule,
            "shortDescription": {"text": descriptions.get(rule, rule)},
            "helpUri": str(source_shape_of(rule)),
        }
        for rule in rule_ids
    ]
    results = []
    for r in report.results:
        rule = r.shape or "natograph"
        result: dict = {
            "ruleId": rule,
            "ruleIndex": index[rule],
            "level": _SARIF_LEVEL[r.severity],
            "message": {"text": f"{r.focus}: {r.message}"},
        }
        if r.file:
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _artifact_uri(r.file)},
                        "region": {"startLine": max(r.line, 1)},
                    },
                    "logicalLocations": [{"fullyQualifiedName": r.focus, "kind": "object"}],
                }
            ]
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "natograph",
                        "version": __version__,
                        "informationUri": "https://w3id.org/natograph",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def source_shape_of(rule: str) -> URIRef:
    """The IRI of a rule named ``ngsh:<Shape>`` or ``check:<name>``."""
    if rule.startswith("check:"):
        return CHECKS[rule[len("check:") :]]
    try:
        return _iri(rule)
    except ValueError:
        return URIRef("https://w3id.org/natograph")


REPORT_FORMATS = {"text": report_text, "turtle": report_turtle, "json": report_json, "sarif": report_sarif}
