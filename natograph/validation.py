"""Validate the graph: strict parse -> OWL RL inference (owlrl) -> SHACL (pyshacl) -> SPARQL checks.

Each result names its focus node, the shape and constraint that fired, a message a person
understands, its severity, and the file and line where the focus node is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from .errors import InputError
from .graph import loading, resources
from .graph.namespaces import PREFIXES
from .graph.parsing import expand_paths, parse_file, read_checked

SEVERITIES = ("violation", "warning", "info")
_SEVERITY_OF = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}


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
    # The RDF terms themselves (an IRI or a blank node of the validated graph), for the SHACL report.
    # Not compared: the strings above order and identify a result.
    focus_term: Node | None = field(default=None, compare=False)
    value_term: Node | None = field(default=None, compare=False)
    path_term: Node | None = field(default=None, compare=False)


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
    summary: str = ""


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
        checks.append(Check(path.name.removesuffix("-violation.rq"), severity, header.get("graph", "inferred"), text,
                            header.get("summary", "")))
    return checks


def _short(term: Node | None) -> str:
    if term is None:
        return ""
    if not isinstance(term, Node):  # a pyoxigraph term, from the store
        from .graph.terms import to_rdflib

        term = to_rdflib(term)
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(term).startswith(str(namespace)):
                return f"{prefix}:{str(term)[len(str(namespace)):]}"
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


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
                "constraint": _short(report.value(result, SH.sourceConstraintComponent)).replace("sh:", ""),
                "path": _short(report.value(result, SH.resultPath)),
                "value": _short(report.value(result, SH.value)),
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
        return _short(shape)
    # An anonymous shape (inside sh:or / sh:xone): name the named shape that holds it.
    for parent in shapes.subjects(None, shape):
        if isinstance(parent, URIRef):
            return _short(parent)
    return "(anonymous shape)"


def _check_results(checks: Sequence[Check], engine, *, asserted_only: bool = False) -> list[dict]:
    """Run the SPARQL checks on the store: each on the closure, or on the triples as written when it
    says ``#+ graph: asserted`` (and all of them on the triples as written when *asserted_only*)."""
    from .graph.terms import to_rdflib

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
                    "value_term": to_rdflib(solution["value"]),
                    "path_term": to_rdflib(solution["path"]),
                }
            )
    return found


def _shacl_core(data: Graph, shapes: Graph) -> list[dict]:
    """pySHACL's results without SHACL-AF, for slices (whose shapes use none of it)."""
    return _shacl_results(data, shapes, advanced=False)


def _shacl_on(engine, shapes: Graph, *, inferred: bool = True, jobs: int | None = None, meanwhile=None) -> list[dict]:
    """pySHACL's results on the store's graph: slice by slice when the shapes allow it (slicing.py,
    in *jobs* worker processes for a big graph, while this process calls *meanwhile*), else on the
    whole graph as one rdflib Graph."""
    from .slicing import default_jobs, sliced_results

    found = sliced_results(engine, shapes, _shacl_core, inferred=inferred,
                           jobs=default_jobs() if jobs is None else jobs, meanwhile=meanwhile)
    if found is None:
        found = _shacl_results(engine.rdflib_graph(inferred=inferred), shapes)
    return found


def _run_all(engine, shapes: Graph, checks: Sequence[Check], jobs: int | None = None, meanwhile=None) -> list[dict]:
    """SHACL (pySHACL, on the store's graph with the closure) and the SPARQL checks (on the store,
    while worker processes run SHACL, when they do; then *meanwhile*, when given)."""
    checked: list[list[dict]] = []

    def run_checks() -> None:
        checked.append(_check_results(checks, engine))
        if meanwhile is not None:
            meanwhile()

    found = _shacl_on(engine, shapes, jobs=jobs, meanwhile=run_checks)
    if not checked:
        run_checks()
    return found + checked[0]


def validate(
    paths: Sequence[str | Path] = (),
    *,
    alone: bool = False,
    inferred_only: bool = False,
    shapes: Graph | None = None,
    checks: Sequence[Check] | None = None,
    jobs: int | None = None,
) -> ValidationReport:
    """Validate the graph of the root in use, or the user's files (with that graph unless *alone*).

    A user file named like one of the graph's files (``data/partners-south.ttl``, or a copy of it
    edited elsewhere) replaces that file; the others are added (resources.replace_files).

    The graph comes from the store (built once per content, the closure included); SHACL runs on it
    as an rdflib Graph, the SPARQL checks on the store. When *inferred_only* is set, each result says
    whether it appears only after OWL RL inference.
    *shapes* and *checks* replace the shipped shapes graph and SPARQL checks (the mutation tests
    validate against a set with one rule removed or weakened); by default, the shipped ones.
    *jobs*: worker processes for SHACL on a big graph (default ``slicing.default_jobs()``).
    """
    user_files = expand_paths(list(paths)) if paths else []
    for path in user_files:
        read_checked(path)  # refuse an empty, binary or oversized file before hashing or parsing it
    engine = loading.engine_for(user_files, alone=alone and bool(user_files))
    inputs = loading.inputs_for(user_files, alone=alone and bool(user_files))
    custom = shapes is not None or checks is not None
    located: list[dict] = []

    def locate() -> None:  # reading every file for its subjects' lines: while the workers run SHACL
        located.append(locate_subjects(inputs))

    if custom:
        shapes = shapes if shapes is not None else shapes_graph()
        checks = list(checks) if checks is not None else load_checks()
        raw = _run_all(engine, shapes, checks, jobs, locate)
    else:
        raw = findings(engine, jobs, locate)
    before: set[tuple] = set()
    if inferred_only:
        shapes, checks = shapes_graph(), load_checks()
        before = {(str(r["focus"]), r["shape"], r["message"]) for r in
                  _shacl_on(engine, shapes, inferred=False, jobs=jobs) + _check_results(checks, engine, asserted_only=True)}
    where = located[0] if located else locate_subjects(inputs)
    if user_files and not alone:
        # Report what the user's files change: results the shipped graph (of the root in use) has on
        # its own are not theirs, unless they are about a resource written in one of their files (a
        # file that replaces a shipped one is checked in full).
        base = loading.engine_for()
        base_raw = _run_all(base, shapes, checks, jobs) if custom else findings(base, jobs)
        known = {(str(r["focus"]), r["shape"], r["message"]) for r in base_raw}
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
                focus_term=focus,
                value_term=item.get("value_term"),
                path_term=item.get("path_term") or (declared_path(item["shape"]) if item["path"] else None),
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


def findings(engine, jobs: int | None = None, meanwhile=None) -> list[dict]:
    """SHACL's and the checks' results on *engine*'s graph: computed once per store entry and per
    version of the shapes and checks, then kept in the entry (checksummed like the rest of it), so
    validating unchanged inputs again reads them instead of running pySHACL. *meanwhile* is called
    while they are computed (see _run_all), never when they are read."""
    import json

    from rdflib import BNode
    from rdflib.util import from_n3

    from .graph.store.opening import add_extra

    name = f"findings-{_rules_digest()}.json"
    stored = engine.extra(name)
    if stored is not None:
        try:
            items = json.loads(stored)
            for item in items:
                focus = item["focus"]
                item["focus"] = BNode(focus[2:]) if focus.startswith("_:") else URIRef(focus)
                for key in ("value_term", "path_term"):  # written as N3 (see _portable_term)
                    item[key] = from_n3(item[key]) if item.get(key) else None
            return items
        except (ValueError, TypeError, KeyError, AttributeError):
            pass
    found = _run_all(engine, shapes_graph(), load_checks(), jobs, meanwhile)
    portable = [
        {
            **item,
            "focus": f"_:{item['focus']}" if isinstance(item["focus"], BNode) else str(item["focus"]),
            "value_term": _portable_term(item.get("value_term")),
            "path_term": _portable_term(item.get("path_term")),
        }
        for item in found
    ]
    add_extra(engine, name, json.dumps(portable, sort_keys=True).encode("utf-8"))
    return found


def _portable_term(term: Node | None) -> str | None:
    """A term as N3 for the findings file (an IRI, a blank node or a literal); a complex property
    path is not kept there: the report reads it again from the shape (``declared_path``)."""
    if isinstance(term, (URIRef, BNode, Literal)):
        return term.n3()
    return None


def declared_path(shape: str) -> Node | None:
    """The sh:path of the named property shape ``ngsh:<Shape>`` (an IRI or an rdflib Path), or None."""
    from rdflib.extras.shacl import SHACLPathError, parse_shacl_path

    from .graph.namespaces import SHAPES

    if not shape.startswith("ngsh:"):
        return None
    shapes = shapes_graph()
    path = shapes.value(SHAPES[shape[len("ngsh:") :]], SH.path)
    if path is None:
        return None
    try:
        return parse_shacl_path(shapes, path)
    except SHACLPathError:
        return None


# ---------------------------------------------------------------------------
# Report formats: natograph.reports (re-exported here for compatibility)
# ---------------------------------------------------------------------------

_REPORTS = ("REPORT_FORMATS", "report_text", "report_json", "report_turtle", "report_sarif")


def __getattr__(name: str):
    if name in _REPORTS:
        from . import reports

        return getattr(reports, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
