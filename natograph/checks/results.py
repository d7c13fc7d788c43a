"""What validation returns: a ``ValidationReport`` of ``ValidationResult`` findings, ordered so that
reports are stable, and the short form a result gives a term (``ng:memberOf``, ``cty:FR``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..graph.namespaces import PREFIXES

SEVERITIES = ("violation", "warning", "info")


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


def short_term(term: Node | None) -> str:
    if term is None:
        return ""
    if not isinstance(term, Node):  # a pyoxigraph term, from the store
        from ..graph.terms import to_rdflib

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
