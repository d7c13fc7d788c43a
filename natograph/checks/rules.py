"""The rules validation applies: the SHACL shapes of ``ontology/shapes/`` (SHACL Core, and the checks
across resources as SHACL-SPARQL constraints: ``constraints``), and what identifies the set of them
(``rules_digest``, the key of the findings kept per store entry)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from ..errors import InputError
from ..graph import resources
from ..graph.parsing import parse_file
from .constraints import sparql_shapes


def shapes_graph() -> Graph:
    """Every shape of ``ontology/shapes/``: the SHACL Core shapes and the checks (SHACL-SPARQL), those
    on the closure and those on the triples as written (``as-written/``)."""
    shapes = Graph()
    for path in resources.shapes_files():
        parse_file(path, into=shapes)
    return shapes


@dataclass(frozen=True)
class Check:
    """A check: the SHACL-SPARQL constraint of the node shape ``check:<name>``; natograph runs *text*
    (``constraints.standalone_query``, also ``queries/checks/<name>-violation.rq``) and any row is a
    finding on ``?this``, whose message is *message* with the row's values in it."""

    name: str
    severity: str
    graph: str  # "inferred" or "asserted" (a shape of ontology/shapes/as-written/)
    text: str
    summary: str = ""
    message: str = ""
    source: str = ""  # the shapes file, relative to the root


def checks_in(shapes: Graph, *, graph: str, source: str = "") -> list[Check]:
    """The checks of a shapes graph (each node shape with an ``sh:sparql`` constraint)."""
    from .constraints import check_name, constraint_of, severity_of, standalone_query, summary_of

    found = []
    for shape in sparql_shapes(shapes):
        constraint = constraint_of(shapes, shape)
        found.append(Check(check_name(shape), severity_of(shapes, shape), graph, standalone_query(constraint),
                           summary_of(shapes, shape), constraint.message, source))
    return found


def load_checks() -> list[Check]:
    """Every check of the shapes files, ordered by name; a name given twice is an error."""
    from .constraints import AS_WRITTEN

    root = resources.root()
    checks: dict[str, Check] = {}
    for path in resources.shapes_files():
        graph = "asserted" if path.parent.name == AS_WRITTEN else "inferred"
        try:
            source = path.relative_to(root).as_posix()
        except ValueError:
            source = path.name
        for check in checks_in(parse_file(path), graph=graph, source=source):
            if check.name in checks:
                raise InputError(f"check:{check.name} is declared twice", path=str(path))
            checks[check.name] = check
    return [checks[name] for name in sorted(checks)]


def rules_digest() -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in resources.shapes_files():
        digest.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def declared_path(shape: str) -> Node | None:
    """The sh:path of the named property shape ``ngsh:<Shape>`` (an IRI or an rdflib Path), or None."""
    from rdflib.extras.shacl import SHACLPathError, parse_shacl_path

    from ..graph.namespaces import SHAPES

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
