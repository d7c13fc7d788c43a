"""The rules validation applies: the SHACL shapes of ``ontology/shapes/``, the SPARQL checks of
``queries/checks/`` (a ``#+`` header: severity, graph, summary), and what identifies the set of them
(``rules_digest``, the key of the findings kept per store entry)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from ..errors import InputError
from ..graph import resources
from ..graph.parsing import parse_file
from .results import SEVERITIES


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


def rules_digest() -> str:
    import hashlib

    digest = hashlib.sha256()
    for path in [*resources.shapes_files(), *resources.check_files()]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
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
