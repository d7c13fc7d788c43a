"""The findings of the rules on one store: SHACL and the SPARQL checks run together (the checks on the
store while workers run SHACL), and the shipped rules' findings kept in the store's entry, so
validating unchanged inputs again reads them instead of running pySHACL."""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import InputError
from .results import short_term
from .rules import Check, load_checks, rules_digest, shapes_graph
from .shacl import shacl_on


def check_results(checks: Sequence[Check], engine, *, asserted_only: bool = False) -> list[dict]:
    """Run the checks on the store: each on the closure, or on the triples as written when its shape
    is in ``ontology/shapes/as-written/`` (and all of them on the triples as written when
    *asserted_only*). Each row is a SHACL result (``constraints``): focus ``?this``, path ``?path``,
    value ``?value`` or else the focus node, the message filled from the row."""
    from ..graph.terms import to_rdflib
    from .constraints import fill

    found = []
    for check in checks:
        inferred = check.graph != "asserted" and not asserted_only
        try:
            solutions = engine.query(check.text, inferred=inferred)
        except SyntaxError as exc:
            raise InputError(f"check {check.name}: {' '.join(str(exc).split())}") from None
        names = [variable.value for variable in solutions.variables]
        for solution in solutions:
            row = {name: to_rdflib(solution[name]) for name in names if solution[name] is not None}
            focus = row["this"]
            value = row.get("value", focus)
            found.append(
                {
                    "focus": focus,
                    "severity": check.severity,
                    "message": fill(check.message, row) if check.message else f"check {check.name} failed",
                    "shape": f"check:{check.name}",
                    "constraint": "SPARQLCheck",
                    "path": short_term(row.get("path")),
                    "value": short_term(value),
                    "value_term": value,
                    "path_term": row.get("path"),
                }
            )
    return found


def run_all(engine, shapes: Graph, checks: Sequence[Check], jobs: int | None = None, meanwhile=None) -> list[dict]:
    """SHACL Core (pySHACL, on the store's graph with the closure: *shapes* without their checks) and
    the checks (*checks*, on the store, while worker processes run SHACL, when they do; then
    *meanwhile*, when given)."""
    checked: list[list[dict]] = []

    def run_checks() -> None:
        checked.append(check_results(checks, engine))
        if meanwhile is not None:
            meanwhile()

    found = shacl_on(engine, shapes, jobs=jobs, meanwhile=run_checks)
    if not checked:
        run_checks()
    return found + checked[0]


def findings(engine, jobs: int | None = None, meanwhile=None) -> list[dict]:
    """SHACL's and the checks' results on *engine*'s graph: computed once per store entry and per
    version of the shapes and checks, then kept in the entry (checksummed like the rest of it), so
    validating unchanged inputs again reads them instead of running pySHACL. *meanwhile* is called
    while they are computed (see run_all), never when they are read."""
    import json

    from rdflib import BNode
    from rdflib.util import from_n3

    from ..graph.store.opening import add_extra

    name = f"findings-{rules_digest()}.json"
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
    found = run_all(engine, shapes_graph(), load_checks(), jobs, meanwhile)
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
