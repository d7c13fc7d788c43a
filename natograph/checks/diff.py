"""What an edit changes: the triples added and removed between two sets of input files, grouped by
resource with its label, the inferred triples that appear or disappear with them, and the stored
queries whose answers change.

Each side is opened as a store (natograph.graph.store.opening.open_engine: built once per content, cached), the
set differences are taken on the stores' triples; blank nodes, which have no name to compare by, are
compared by rdflib.compare's canonical labelling (only the triples that hold one are relabelled).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@dataclass(frozen=True)
class ResourceChange:
    """The changes about one subject: asserted triples added and removed, inferred triples that
    appear and disappear. Each triple is (predicate, object) in N-Triples-like short text."""

    subject: str
    name: str
    label: str | None
    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()
    inferred_added: tuple[tuple[str, str], ...] = ()
    inferred_removed: tuple[tuple[str, str], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        def pairs(items):
            return [{"predicate": p, "object": o} for p, o in items]

        return {
            "subject": self.subject,
            "name": self.name,
            "label": self.label,
            "added": pairs(self.added),
            "removed": pairs(self.removed),
            "inferredAdded": pairs(self.inferred_added),
            "inferredRemoved": pairs(self.inferred_removed),
        }


@dataclass(frozen=True)
class QueryChange:
    """A stored query (run with its default parameters) whose rows differ between the two sides."""

    name: str
    summary: str
    columns: tuple[str, ...]
    added: tuple[tuple[str, ...], ...]
    removed: tuple[tuple[str, ...], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary,
            "columns": list(self.columns),
            "added": [dict(zip(self.columns, row, strict=True)) for row in self.added],
            "removed": [dict(zip(self.columns, row, strict=True)) for row in self.removed],
        }


@dataclass(frozen=True)
class DiffResult:
    old_files: tuple[str, ...]
    new_files: tuple[str, ...]
    old_triples: int
    new_triples: int
    resources: tuple[ResourceChange, ...]
    queries: tuple[QueryChange, ...] = ()
    skipped_queries: tuple[str, ...] = ()
    today: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def equal(self) -> bool:
        """True when both sides hold the same triples (as written, and so after inference too)."""
        return not self.resources

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict (the shape of ``natograph diff --format json``)."""
        return {
            "equal": self.equal,
            "old": {"files": list(self.old_files), "triples": self.old_triples},
            "new": {"files": list(self.new_files), "triples": self.new_triples},
            "counts": dict(self.counts),
            "resources": [r.as_dict() for r in self.resources],
            "queries": {
                "asOf": self.today,
                "changed": [q.as_dict() for q in self.queries],
                "skipped": list(self.skipped_queries),
            },
        }


# ---------------------------------------------------------------------------
# Terms as short text
# ---------------------------------------------------------------------------


def _prefixes() -> list[tuple[str, str]]:
    from ..graph.namespaces import PREFIXES

    table = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    table.setdefault("rdfs", "http://www.w3.org/2000/01/rdf-schema#")
    table.setdefault("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")
    table.setdefault("owl", "http://www.w3.org/2002/07/owl#")
    table.setdefault("xsd", "http://www.w3.org/2001/XMLSchema#")
    return sorted(table.items(), key=lambda item: -len(item[1]))


class _Shortener:
    def __init__(self) -> None:
        self.prefixes = _prefixes()

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and iri != namespace:
                local = iri[len(namespace):]
                if local and all(c.isalnum() or c in "_-." for c in local):
                    return f"{prefix}:{local}"
        return f"<{iri}>"

    def term(self, term) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        if isinstance(term, ox.Literal):
            text = '"' + term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
            if term.language:
                return f"{text}@{term.language}"
            if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                return f"{text}^^{self.iri(term.datatype.value)}"
            return text
        return str(term)


# ---------------------------------------------------------------------------
# Set differences
# ---------------------------------------------------------------------------


def _triples(quads: Iterable[ox.Quad]) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in quads}


def _has_blank(triple: tuple) -> bool:
    return isinstance(triple[0], ox.BlankNode) or isinstance(triple[2], ox.BlankNode)


def _canonical(triples: Iterable[tuple]) -> set[tuple]:
    """Triples holding blank nodes, relabelled canonically (rdflib.compare), as pyoxigraph terms."""
    triples = list(triples)
    if not triples:
        return set()
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    from ..graph.terms import from_rdflib, to_rdflib

    graph = Graph()
    for triple in triples:
        graph.add(tuple(to_rdflib(t) for t in triple))
    return {tuple(from_rdflib(t) for t in triple) for triple in to_canonical_graph(graph)}


def _split(triples: set[tuple]) -> tuple[set[tuple], list[tuple]]:
    ground, blank = set(), []
    for triple in triples:
        (blank.append(triple) if _has_blank(triple) else ground.add(triple))
    return ground, blank


def _side(engine) -> tuple[set[tuple], set[tuple]]:
    """(asserted, closure) of one side; the triples holding blank nodes canonically relabelled."""
    from ..graph.store.engine import ASSERTED

    asserted_ground, asserted_blank = _split(_triples(engine.store.quads_for_pattern(None, None, None, ASSERTED)))
    inferred_ground, inferred_blank = _split(_triples(engine.inferred_quads()))
    asserted = asserted_ground | _canonical(asserted_blank)
    return asserted, asserted | inferred_ground | _canonical(inferred_blank)


# ---------------------------------------------------------------------------
# The diff
# ---------------------------------------------------------------------------


def _labels(engines, subjects: Iterable) -> dict[Any, str]:
    """Subject -> its English label (else French, else any), from the first engine that has one."""
    found: dict[Any, str] = {}
    for subject in subjects:
        if not isinstance(subject, ox.NamedNode):
            continue
        for engine in engines:
            labels = {q.object.language: q.object.value for q in engine.store.quads_for_pattern(subject, RDFS_LABEL, None)
                      if isinstance(q.object, ox.Literal)}
            if labels:
                found[subject] = labels.get("en") or labels.get("fr") or next(iter(labels.values()))
                break
    return found


def _rows(result) -> list[tuple[str, ...]]:
    return [tuple("" if t is None else t.value for t in row) for row in result.terms]


def _query_changes(old_engine, new_engine, today: _dt.date) -> tuple[list[QueryChange], list[str]]:
    from collections import Counter

    from ..queries.catalogue import catalogue, run_stored

    changed, skipped = [], []
    for name, query in sorted(catalogue().items()):
        if any(p.required and p.default is None for p in query.params):
            skipped.append(name)  # no default for a required parameter: nothing to run it with
            continue
        old_rows = Counter(_rows(run_stored(old_engine, name, {}, today=today)))
        new_rows = Counter(_rows(run_stored(new_engine, name, {}, today=today)))
        added = tuple(sorted((new_rows - old_rows).elements()))
        removed = tuple(sorted((old_rows - new_rows).elements()))
        if added or removed:
            changed.append(QueryChange(name, query.summary, query.columns, added, removed))
    return changed, skipped


def diff_engines(old_engine, new_engine, *, queries: bool = True, today: _dt.date | None = None,
                 old_files: Sequence[Path] | None = None, new_files: Sequence[Path] | None = None) -> DiffResult:
    """The diff between two opened stores (see :func:`diff_roots`)."""
    today = today or _dt.date.today()
    short = _Shortener()
    if old_engine.key == new_engine.key:
        old_asserted = new_asserted = old_closure = new_closure = set()
    else:
        old_asserted, old_closure = _side(old_engine)
        new_asserted, new_closure = _side(new_engine)
    added = new_asserted - old_asserted
    removed = old_asserted - new_asserted
    appear = new_closure - old_closure - new_asserted
    disappear = old_closure - new_closure - old_asserted
    by_subject: dict[Any, dict[str, list]] = {}
    for kind, triples in (("added", added), ("removed", removed), ("inferred_added", appear), ("inferred_removed", disappear)):
        for s, p, o in triples:
            by_subject.setdefault(s, {"added": [], "removed": [], "inferred_added": [], "inferred_removed": []})[kind].append(
                (short.term(p), short.term(o)))
    labels = _labels((new_engine, old_engine), by_subject)
    changes = []
    for subject, kinds in by_subject.items():
        name = short.term(subject)
        changes.append(ResourceChange(
            subject=subject.value if isinstance(subject, ox.NamedNode) else name,
            name=name,
            label=labels.get(subject),
            **{kind: tuple(sorted(items)) for kind, items in kinds.items()},
        ))
    changes.sort(key=lambda c: (c.name.startswith("_:"), c.name))
    query_changes, skipped = ([], [])
    if queries and changes:
        query_changes, skipped = _query_changes(old_engine, new_engine, today)
    return DiffResult(
        old_files=tuple(str(f) for f in (old_files if old_files is not None else old_engine.files)),
        new_files=tuple(str(f) for f in (new_files if new_files is not None else new_engine.files)),
        old_triples=old_engine.triples,
        new_triples=new_engine.triples,
        resources=tuple(changes),
        queries=tuple(query_changes),
        skipped_queries=tuple(skipped),
        today=today.isoformat(),
        counts={"added": len(added), "removed": len(removed), "inferredAdded": len(appear),
                "inferredRemoved": len(disappear), "queriesChanged": len(query_changes)},
    )


def diff_roots(old_files: Sequence[str | Path], new_files: Sequence[str | Path], *, queries: bool = True,
               today: _dt.date | None = None) -> DiffResult:
    """What changes from the graph of *old_files* to the graph of *new_files* (each a full list of
    input files: ontology and data). The stored queries of the root in use are run with their default
    parameters on both sides (as of *today*); queries needing a parameter without default are skipped."""
    from ..graph.parsing import read_checked
    from ..graph.store.opening import open_engine

    old = [Path(p) for p in old_files]
    new = [Path(p) for p in new_files]
    for path in (*old, *new):
        read_checked(path)
    return diff_engines(open_engine(old), open_engine(new), queries=queries, today=today, old_files=old, new_files=new)


# ---------------------------------------------------------------------------
# Text for people
# ---------------------------------------------------------------------------


def render_text(result: DiffResult) -> str:
    """The changes for people: control characters from the data shown escaped (``output.visible``)."""
    from ..output import visible as v

    if result.equal:
        return f"no change: both sides hold the same {result.new_triples} triples (with inference)\n"
    out: list[str] = []
    for change in result.resources:
        out.append(v(change.name) + (f"  {v(change.label)}" if change.label else ""))
        for sign, items in (("-", change.removed), ("+", change.added)):
            out.extend(f"  {sign} {v(p)} {v(o)}" for p, o in items)
        for sign, items in (("-", change.inferred_removed), ("+", change.inferred_added)):
            out.extend(f"  {sign} {v(p)} {v(o)}  (inferred)" for p, o in items)
    if result.queries:
        out.append("")
        out.append(f"stored queries (default parameters, as of {result.today}):")
        for query in result.queries:
            out.append(f"  {v(query.name)}: {v(query.summary)}")
            for sign, rows in (("-", query.removed), ("+", query.added)):
                out.extend(f"    {sign} " + "  ".join(v(cell) for cell in row if cell) for row in rows)
    c = result.counts
    out.append("")
    out.append(
        f"{c['added']} triples added, {c['removed']} removed; {c['inferredAdded']} inferred triples appear, "
        f"{c['inferredRemoved']} disappear; {c['queriesChanged']} stored queries answer differently"
        f" ({len(result.resources)} resources)"
    )
    return "\n".join(out) + "\n"


def render_json(result: DiffResult) -> str:
    import json

    return json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------
# A commit of the checkout as a root
# ---------------------------------------------------------------------------


def git_root(rev: str, checkout: Path, into: Path) -> Path:
    """Write the ontology, data and queries of *checkout* at commit *rev* under *into*; return it.
    (``git -C checkout archive`` archives the paths relative to *checkout*, a subfolder or the top.)

    Raises InputError when *checkout* is not in a git repository, *rev* is unknown, or the commit
    holds no natograph root at that place.
    """
    import io
    import subprocess
    import tarfile

    from ..errors import InputError
    from ..graph.resources import is_root

    if rev.startswith("-"):
        raise InputError(f"--git {rev}: not a revision")
    try:
        proc = subprocess.run(
            ["git", "-C", str(checkout), "archive", "--format=tar", rev, "--", "ontology", "data", "queries"],
            capture_output=True, check=False,
        )
    except OSError as exc:
        raise InputError(f"--git {rev}: cannot run git ({exc.strerror})") from None
    if proc.returncode != 0:
        message = " ".join(proc.stderr.decode("utf-8", "replace").split()) or f"git exited with {proc.returncode}"
        raise InputError(f"--git {rev}: {message}")
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
        members = [m for m in archive.getmembers() if (m.isfile() or m.isdir()) and not m.name.startswith(("/", ".."))
                   and ".." not in Path(m.name).parts]
        safety = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(into, members=members, **safety)  # regular files and folders only, inside *into*
    if not is_root(into):
        raise InputError(f"--git {rev}: that commit holds no ontology/natograph.ttl, data/ and queries/ in {checkout}")
    return into
