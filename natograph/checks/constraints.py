"""The rules across resources, as the shapes state them: SHACL-SPARQL constraints (SHACL §5).

Each rule is a node shape ``check:<name>`` (``https://w3id.org/natograph/checks#<name>``) in
``ontology/shapes/``: its targets (``sh:targetClass``, ``sh:targetSubjectsOf``, ``sh:targetObjectsOf``,
``sh:targetNode``), its ``sh:severity``, a summary (``rdfs:comment``) and one ``sh:sparql`` constraint,
a ``sh:select`` query on ``$this`` and an ``sh:message`` whose ``{?var}`` are filled from each row.
Any SHACL-SPARQL engine (pySHACL, TopBraid, ...) validates them from the shapes alone. The shapes in
``ontology/shapes/as-written/`` read the triples as written (the data and the ontology, without
inference); the others, the graph with its OWL 2 RL closure.

natograph's fast path runs each one once over all its focus nodes, on the store, rather than once per
focus node: the query of :func:`standalone_query`, the shape's targets joined with its ``sh:select``
(``$this`` free, then joined: the same rows as ``$this`` pre-bound to each focus node in turn, for a
query that binds ``$this`` in a triple pattern of its own, which the agreement test holds it to).
That query is also ``queries/checks/<name>-violation.rq``, generated from the shapes
(``python -m natograph.checks.checkfiles``) for any SPARQL tool: every row is a finding.
A result is what SHACL makes of a row: the focus node ``?this``, the path ``?path`` when bound, the
value ``?value`` (else the focus node), the shape's severity, the message with the row's values in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import BNode, Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH

from ..errors import InputError

CHECKS = Namespace("https://w3id.org/natograph/checks#")
"""The namespace of the checks' node shapes: ``check:<name>`` in natograph's reports."""

AS_WRITTEN = "as-written"
"""The folder of ``ontology/shapes/`` whose shapes read the triples as written."""

_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}
_PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>\s*$", re.IGNORECASE)
_VARIABLE = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Constraint:
    """What a check's shape says, read from the shapes graph."""

    shape: URIRef
    select: str
    message: str
    targets: tuple[tuple[URIRef, URIRef], ...]  # (sh:targetClass|..., term)


def check_name(shape: URIRef) -> str:
    """``https://w3id.org/natograph/checks#before-launch`` -> ``before-launch``."""
    if not str(shape).startswith(str(CHECKS)):
        raise InputError(f"a shape with sh:sparql must be named check:<name> ({CHECKS}<name>), not <{shape}>")
    return str(shape)[len(str(CHECKS)):]


def sparql_shapes(shapes: Graph) -> list[URIRef]:
    """The node shapes that hold a ``sh:sparql`` constraint, sorted; not those deactivated
    (``sh:deactivated true`` on the shape or on its constraint), which SHACL skips."""
    return sorted({s for s, constraint in shapes.subject_objects(SH.sparql) if isinstance(s, URIRef)
                   and not _deactivated(shapes, s) and not _deactivated(shapes, constraint)})


def _deactivated(shapes: Graph, node) -> bool:
    return any(getattr(value, "value", None) is True for value in shapes.objects(node, SH.deactivated))


def core_shapes(shapes: Graph) -> Graph:
    """*shapes* without the SHACL-SPARQL checks (each shape with its constraint's blank nodes): what
    pySHACL validates in slices, while the checks run on the store."""
    drop = set()
    todo = [s for s in shapes.subjects(SH.sparql, None)]
    while todo:
        node = todo.pop()
        if node in drop:
            continue
        drop.add(node)
        todo.extend(o for o in shapes.objects(node, None) if isinstance(o, BNode))
    if not drop:
        return shapes
    core = Graph()
    for prefix, namespace in shapes.namespaces():
        core.bind(prefix, namespace, override=True)
    core.addN((s, p, o, core) for s, p, o in shapes if s not in drop)
    return core


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)


def constraint_of(shapes: Graph, shape: URIRef) -> Constraint:
    """The one ``sh:sparql`` constraint of *shape*: its query, message and the shape's targets."""
    name = check_name(shape)
    constraints = list(shapes.objects(shape, SH.sparql))
    if len(constraints) != 1:
        raise InputError(f"check:{name} holds {len(constraints)} sh:sparql constraints: one per check")
    (node,) = constraints
    selects = [str(s) for s in shapes.objects(node, SH.select)]
    messages = [str(m) for m in shapes.objects(node, SH.message)]
    if len(selects) != 1 or len(messages) != 1:
        raise InputError(f"check:{name}: its sh:sparql needs one sh:select and one sh:message")
    targets = tuple((kind, term) for kind in _TARGETS for term in sorted(shapes.objects(shape, kind)))
    if not targets:
        raise InputError(f"check:{name} has no target (sh:targetClass, sh:targetSubjectsOf, ...)")
    return Constraint(shape, selects[0], messages[0], targets)


def severity_of(shapes: Graph, shape: URIRef) -> str:
    return _SEVERITY.get(shapes.value(shape, SH.severity), "violation")


def summary_of(shapes: Graph, shape: URIRef) -> str:
    return " ".join(str(shapes.value(shape, RDFS.comment) or "").split())


# ---------------------------------------------------------------------------
# The query natograph runs, and queries/checks/<name>-violation.rq
# ---------------------------------------------------------------------------


_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def _term(term: URIRef, prefixes: dict[str, str]) -> str:
    """*term* as a prefixed name when the query declares its namespace, else as ``<IRI>``."""
    for prefix, namespace in prefixes.items():
        if str(term).startswith(namespace) and _LOCAL.match(str(term)[len(namespace):]):
            return f"{prefix}:{str(term)[len(namespace):]}"
    return f"<{term}>"


def _target_pattern(kind: URIRef, term: URIRef, prefixes: dict[str, str]) -> str:
    name = _term(term, prefixes)
    if kind == SH.targetClass:
        return f"?this {_term(RDF.type, prefixes)}/{_term(RDFS.subClassOf, prefixes)}* {name}"
    if kind == SH.targetSubjectsOf:
        return f"?this {name} []"
    if kind == SH.targetObjectsOf:
        return f"[] {name} ?this"
    return f"VALUES ?this {{ {name} }}"


def split_prologue(select: str) -> tuple[list[str], str]:
    """The ``PREFIX`` lines that open a ``sh:select``, and the query after them."""
    lines = select.strip("\n").splitlines()
    prologue = []
    while lines and (not lines[0].strip() or _PREFIX_LINE.match(lines[0])):
        line = lines.pop(0)
        if line.strip():
            prologue.append(line.strip())
    return prologue, "\n".join(lines)


def standalone_query(constraint: Constraint) -> str:
    """One query for every focus node: the shape's targets (as SHACL defines them, classes through
    ``rdfs:subClassOf*``) joined with its ``sh:select``, ordered by focus node."""
    prologue, body = split_prologue(constraint.select)
    prefixes = {m.group(1) or "": m.group(2) for m in map(_PREFIX_LINE.match, prologue)}
    if any(kind == SH.targetClass for kind, _ in constraint.targets):
        for prefix, namespace in (("rdf", str(RDF)), ("rdfs", str(RDFS))):
            if prefixes.get(prefix, namespace) == namespace and prefix not in prefixes:
                prefixes[prefix] = namespace
                prologue.append(f"PREFIX {prefix}: <{namespace}>")
    targets = "\n            UNION\n".join(f"            {{ {_target_pattern(k, t, prefixes)} }}"
                                           for k, t in constraint.targets)
    inner = "\n".join(("        " + line) if line.strip() else "" for line in body.splitlines())
    return (
        "\n".join(prologue) + ("\n\n" if prologue else "")
        + "SELECT *\nWHERE {\n"
        + "    {\n        SELECT DISTINCT ?this\n        WHERE {\n" + targets + "\n        }\n    }\n"
        + "    {\n" + inner + "\n    }\n}\nORDER BY ?this\n"
    )


def fill(message: str, row: dict) -> str:
    """The message with ``{?var}`` and ``{$var}`` replaced by the row's values (as pySHACL does: an
    IRI's text, a literal's lexical form; a variable the row leaves unbound stays as written)."""

    def value(match: re.Match) -> str:
        term = row.get(match.group(1))
        return match.group(0) if term is None else str(term)

    return _VARIABLE.sub(value, message)

