"""Validate the graph: strict parse -> OWL RL inference (owlrl) -> SHACL (pyshacl) -> SPARQL checks.

Each result names its focus node, the shape and constraint that fired, a message a person
understands, its severity, and the file and line where the focus node is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from . import graph as graphs
from . import resources
from .errors import InputError
from .namespaces import NG, PREFIXES, bind_all
from .parsing import expand_paths, parse_file, read_checked

SEVERITIES = ("violation", "warning", "info")
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_SEVERITY_IRI = {v: k for k, v in _SEVERITY_OF.items()}


@dataclass(frozen=True, order=True)
class ValidationResult:
    """One finding. Ordered by file, line, focus, shape, message: reports are stable."""

    file: str
    line: int
    focus: str
    severity: str
    message: str
    shape: str = ""
    constraint: str = ""
    path: str = ""
    value: str = ""
    inferred_only: bool = False


@dataclass(frozen=True)
class ValidationReport:
    results: tuple[ValidationResult, ...]
    files: tuple[str, ...]
    triples: int
    checks: int = field(default=0)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)

    def fails(self, fail_on: str = "violation") -> bool:
        """True when a result is at least as severe as *fail_on*."""
        worst = SEVERITIES.index(fail_on)
        return any(SEVERITIES.index(r.severity) <= worst for r in self.results)

    @property
    def conforms(self) -> bool:
        return not self.results

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}{'s' if self.count(s) != 1 else ''}" for s in SEVERITIES)
        if self.conforms:
            verdict = "conforms"
        elif not self.fails("warning"):
            verdict = "no violations or warnings"
        else:
            verdict = "does not conform"
        return f"{verdict}: {counts} ({len(self.files)} files, {self.triples} triples after inference)"


# ---------------------------------------------------------------------------
# Where each subject is written
# ---------------------------------------------------------------------------

_PREFIX_LINE = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^(<[^>]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*)")


def locate_subjects(paths: Sequence[Path]) -> dict[str, tuple[str, int]]:
    """IRI -> (file, line) of the first line that starts a block for that subject.

    Works on hand-written Turtle (a subject at the start of a line) and on N-Triples.
    """
    where: dict[str, tuple[str, int]] = {}
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        prefixes: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            match = _PREFIX_LINE.match(line)
            if match:
                prefixes[match.group(1) or ""] = match.group(2)
                continue
            if not line or line[0].isspace() or line.startswith("#"):
                continue
            token = _SUBJECT.match(line)
            if not token:
                continue
            iri = _expand(token.group(1), prefixes)
            if iri is not None:
                where.setdefault(iri, (str(path), number))
    return where


def _expand(token: str, prefixes: dict[str, str]) -> str | None:
    if token.startswith("<"):
        return token[1:-1]
    prefix, _, local = token.partition(":")
    base = prefixes.get(prefix)
    if base is None:
        return None
    return base + re.sub(r"\\(.)", r"\1", local)


# ---------------------------------------------------------------------------
# Running the checks
# ---------------------------------------------------------------------------


def shapes_graph() -> Graph:
    shapes = Graph()
    for path in resources.shapes_files():
        parse_file(path, into=shapes)
    return shapes


@dataclass(frozen=True)
class Check:
    """A SPARQL check: queries/checks/<rule>-violation.rq; any row is a finding."""

    name: str
    severity: str
    graph: str  # "inferred" or "asserted"
    text: str


def load_checks() -> list[Check]:
    checks = []
    for path in resources.check_files():
        text = path.read_text(encoding="utf-8")
        header = dict(
            (k.strip(), v.strip())
            for k, _, v in (line[2:].partition(":") for line in text.splitlines() if line.startswith("#+"))
        )
        severity = header.get("severity", "violation")
        if severity not in SEVERITIES:
            raise InputError(f"unknown severity {severity!r}", path=str(path))
        checks.append(Check(path.name.removesuffix("-violation.rq"), severity, header.get("graph", "inferred"), text))
    return checks


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if not isinstance(term, Node):  # a pyoxigraph term, from the store
        from .queries import to_rdflib

        term = to_rdflib(term)
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(term).startswith(str(namespace)):
                return f"{prefix}:{str(term)[len(str(namespace)):]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def _shacl_results(data: Graph, shapes: Graph) -> list[dict]:
    from pyshacl import validate as shacl_validate

    _conforms, report, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        meta_shacl=False,
        advanced=True,
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
                "constraint": _short(report.value(result, SH.sourceConstraintComponent)).replace("sh:", ""),
                "path": _short(report.value(result, SH.resultPath)),
                "value": _short(report.value(result, SH.value)),
            }
        )
    return found


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
        return _short(shape)
    # An anonymous shape (inside sh:or / sh:xone): name the named shape that holds it.
    for parent in shapes.subjects(None, shape):
        if isinstance(parent, URIRef):
            return _short(parent)
    return "(anonymous shape)"


def _check_results(checks: Sequence[Check], engine, *, asserted_only: bool = False) -> list[dict]:
    """Run the SPARQL checks on the store: each on the closure, or on the triples as written when it
    says ``#+ graph: asserted`` (and all of them on the triples as written when *asserted_only*)."""
    from .queries import to_rdflib

    found = []
    for check in checks:
        inferred = check.graph != "asserted" and not asserted_only
        try:
            solutions = engine.query(check.text, inferred=inferred)
        except SyntaxError as exc:
            raise InputError(f"SPARQL check {check.name}: {' '.join(str(exc).split())}") from None
        for solution in solutions:
            message = solution["message"]
            found.append(
                {
                    "focus": to_rdflib(solution["focus"]),
                    "severity": check.severity,
                    "message": message.value if message is not None else f"check {check.name} failed",
                    "shape": f"check:{check.name}",
                    "constraint": "SPARQLCheck",
                    "path": _short(solution["path"]),
                    "value": _short(solution["value"]),
                }
            )
    return found


def _run_all(closure: Graph, engine, shapes: Graph, checks: Sequence[Check]) -> list[dict]:
    """SHACL (pySHACL over the closure, an rdflib Graph) and the SPARQL checks (on the store)."""
    return _shacl_results(closure, shapes) + _check_results(checks, engine)


def validate(paths: Sequence[str | Path] = (), *, alone: bool = False, inferred_only: bool = False) -> ValidationReport:
    """Validate the graph of the root in use, or the user's files (with that graph unless *alone*).

    A user file named like one of the graph's files (``data/partners-south.ttl``, or a copy of it
    edited elsewhere) replaces that file; the others are added (resources.replace_files).

    The graph comes from the store (built once per content, the closure included); SHACL runs on it
    as an rdflib Graph, the SPARQL checks on the store. When *inferred_only* is set, each result says
    whether it appears only after OWL RL inference.
    """
    user_files = expand_paths(list(paths)) if paths else []
    for path in user_files:
        read_checked(path)  # refuse an empty, binary or oversized file before hashing or parsing it
    engine = graphs.engine_for(user_files, alone=alone and bool(user_files))
    inputs = graphs.inputs_for(user_files, alone=alone and bool(user_files))
    raw = findings(engine)
    before: set[tuple] = set()
    if inferred_only:
        shapes, checks = shapes_graph(), load_checks()
        asserted = engine.rdflib_graph(inferred=False)
        before = {(str(r["focus"]), r["shape"], r["message"]) for r in
                  _shacl_results(asserted, shapes) + _check_results(checks, engine, asserted_only=True)}
    where = locate_subjects(inputs)
    if user_files and not alone:
        # Report what the user's files change: results the shipped graph (of the root in use) has on
        # its own are not theirs, unless they are about a resource written in one of their files (a
        # file that replaces a shipped one is checked in full).
        known = {(str(r["focus"]), r["shape"], r["message"]) for r in findings(graphs.engine_for())}
        theirs = {str(p) for p in user_files}
        raw = [item for item in raw if (str(item["focus"]), item["shape"], item["message"]) not in known
               or where.get(str(item["focus"]), ("", 0))[0] in theirs]
    results = set()
    for item in raw:
        focus = item["focus"]
        file, line = where.get(str(focus), ("", 0))
        results.add(
            ValidationResult(
                file=file,
                line=line,
                focus=_short(focus),
                severity=item["severity"],
                message=item["message"],
                shape=item["shape"],
                constraint=item["constraint"],
                path=item["path"],
                value=item["value"],
                inferred_only=inferred_only and (str(focus), item["shape"], item["message"]) not in before,
            )
        )
    return ValidationReport(
        results=tuple(sorted(results)),
        files=tuple(str(p) for p in inputs),
        triples=engine.triples,
        checks=len(resources.check_files()),
    )


def _rules_digest() -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in [*resources.shapes_files(), *resources.check_files()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def findings(engine) -> list[dict]:
    """SHACL's and the checks' results on *engine*'s graph: computed once per store entry and per
    version of the shapes and checks, then kept in the entry (checksummed like the rest of it), so
    validating unchanged inputs again reads them instead of running pySHACL."""
    import json

    from rdflib import BNode

    from .store import add_extra

    name = f"findings-{_rules_digest()}.json"
    stored = engine.extra(name)
    if stored is not None:
        try:
            items = json.loads(stored)
            for item in items:
                focus = item["focus"]
                item["focus"] = BNode(focus[2:]) if focus.startswith("_:") else URIRef(focus)
            return items
        except (ValueError, TypeError, KeyError, AttributeError):
            pass
    found = _run_all(engine.rdflib_graph(), engine, shapes_graph(), load_checks())
    portable = [
        {**item, "focus": f"_:{item['focus']}" if isinstance(item["focus"], BNode) else str(item["focus"])}
        for item in found
    ]
    add_extra(engine, name, json.dumps(portable, sort_keys=True).encode("utf-8"))
    return found


# ---------------------------------------------------------------------------
# Report formats
# ---------------------------------------------------------------------------


def _relative(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
    except ValueError:
        return file


def report_text(report: ValidationReport) -> str:
    """Grouped by focus node, each with its file:line and its messages."""
    out: list[str] = []
    current = None
    for r in report.results:
        key = (r.file, r.line, r.focus)
        if key != current:
            current = key
            where = f"{_relative(r.file)}:{r.line}: " if r.file else ""
            out.append(f"{where}{r.focus}")
        detail = f" [{r.shape}" + (f" {r.constraint}" if r.constraint else "") + "]"
        path = f" {r.path}:" if r.path else ""
        value = f" (value: {r.value})" if r.value else ""
        extra = " (only after inference)" if r.inferred_only else ""
        out.append(f"  {r.severity}:{path} {r.message}{value}{detail}{extra}")
    out.append(report.summary())
    return "\n".join(out) + "\n"


def report_json(report: ValidationReport) -> str:
    import json

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


def report_turtle(report: ValidationReport) -> str:
    """A W3C SHACL validation report (sh:ValidationReport) in Turtle, stable order."""
    from rdflib import BNode

    out = Graph()
    bind_all(out)
    root = URIRef("urn:natograph:validation-report")
    out.add((root, RDF.type, SH.ValidationReport))
    out.add((root, SH.conforms, Literal(report.conforms)))
    for index, r in enumerate(report.results):
        node = BNode(f"r{index:05d}")
        out.add((root, SH.result, node))
        out.add((node, RDF.type, SH.ValidationResult))
        out.add((node, SH.focusNode, _iri(r.focus)))
        out.add((node, SH.resultSeverity, _SEVERITY_IRI[r.severity]))
        out.add((node, SH.resultMessage, Literal(r.message)))
        if r.shape.startswith("ngsh:"):
            out.add((node, SH.sourceShape, _iri(r.shape)))
        if r.file:
            out.add((node, NG.note, Literal(f"{_relative(r.file)}:{r.line}")))
    return out.serialize(format="turtle")


def _iri(short: str) -> URIRef:
    if short.startswith("<") and short.endswith(">"):
        return URIRef(short[1:-1])
    prefix, _, local = short.partition(":")
    namespace = PREFIXES.get(prefix)
    return URIRef(str(namespace) + local) if namespace is not None else URIRef(short)


def report_sarif(report: ValidationReport) -> str:
    """SARIF 2.1.0, so code-review tools can annotate the lines."""
    import json

    from . import __version__

    level = {"violation": "error", "warning": "warning", "info": "note"}
    rules = sorted({r.shape or "natograph" for r in report.results})
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
                        "rules": [{"id": rule} for rule in rules],
                    }
                },
                "results": [
                    {
                        "ruleId": r.shape or "natograph",
                        "level": level[r.severity],
                        "message": {"text": f"{r.focus}: {r.message}"},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": _relative(r.file)},
                                    "region": {"startLine": max(r.line, 1)},
                                }
                            }
                        ]
                        if r.file
                        else [],
                    }
                    for r in report.results
                ],
            }
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


REPORT_FORMATS = {"text": report_text, "turtle": report_turtle, "json": report_json, "sarif": report_sarif}
