"""Validate the graph: strict parse -> OWL RL inference (the store) -> SHACL (pySHACL) -> SPARQL checks.

Each result names its focus node, the shape and constraint that fired, a message a person
understands, its severity, and the file and line where the focus node is written.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from rdflib import Graph

from ..graph import loading, resources
from ..graph.parsing import expand_paths, read_checked
from .findings import check_results, findings, run_all
from .results import ValidationReport, ValidationResult, short_term
from .rules import Check, declared_path, load_checks, shapes_graph
from .shacl import shacl_on

_PREFIX_LINE = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_SUBJECT = re.compile(r"^(<[^>]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*)")


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
        raw = run_all(engine, shapes, checks, jobs, locate)
    else:
        raw = findings(engine, jobs, locate)
    before: set[tuple] = set()
    if inferred_only:
        shapes, checks = shapes_graph(), load_checks()
        before = {_key(r) for r in
                  shacl_on(engine, shapes, inferred=False, jobs=jobs) + check_results(checks, engine, asserted_only=True)}
    where = located[0] if located else locate_subjects(inputs)
    if user_files and not alone:
        raw = _theirs(raw, user_files, where, jobs, rules=(shapes, checks) if custom else None)
    results = {_result(item, where, inferred_only=inferred_only, before=before) for item in raw}
    return ValidationReport(
        results=tuple(sorted(results)),
        files=tuple(str(p) for p in inputs),
        triples=engine.triples,
        checks=len(resources.check_files()),
    )


def _key(item: dict) -> tuple:
    """What identifies a finding across two runs: its focus, shape and message."""
    return (str(item["focus"]), item["shape"], item["message"])


def _theirs(raw: list[dict], user_files: Sequence[Path], where: dict, jobs: int | None, *, rules) -> list[dict]:
    """What the user's files change: results the shipped graph (of the root in use) has on its own
    are not theirs, unless they are about a resource written in one of their files (a file that
    replaces a shipped one is checked in full). The shipped graph is checked with *rules* (shapes,
    checks) when given, else with the shipped rules (``findings``, kept in the store's entry)."""
    base = loading.engine_for()
    base_raw = run_all(base, *rules, jobs) if rules is not None else findings(base, jobs)
    known = {_key(r) for r in base_raw}
    theirs = {str(p) for p in user_files}
    return [item for item in raw if _key(item) not in known or where.get(str(item["focus"]), ("", 0))[0] in theirs]


def _result(item: dict, where: dict, *, inferred_only: bool, before: set[tuple]) -> ValidationResult:
    """One finding as a ValidationResult, with the file and line where its focus node is written."""
    focus = item["focus"]
    file, line = where.get(str(focus), ("", 0))
    return ValidationResult(
        file=file,
        line=line,
        focus=short_term(focus),
        focus_term=focus,
        value_term=item.get("value_term"),
        path_term=item.get("path_term") or (declared_path(item["shape"]) if item["path"] else None),
        severity=item["severity"],
        message=item["message"],
        shape=item["shape"],
        constraint=item["constraint"],
        path=item["path"],
        value=item["value"],
        inferred_only=inferred_only and _key(item) not in before,
    )


# ---------------------------------------------------------------------------
# Where each subject is written
# ---------------------------------------------------------------------------


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
