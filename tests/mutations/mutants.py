"""Mutation testing of natograph's validation: one fault at a time in the shipped data.

Each *fault kind* takes the shipped data (``natograph.graph.resources.data_files()``, parsed per file
with natograph's own strict parser), injects ONE mistake a person could make when editing the
Turtle, writes ALL the data files (the mutated ones re-serialised by rdflib, the others copied
byte for byte) to a temporary folder, and checks that folder with the real validator
(``natograph.checks.validation.validate(paths=[folder], alone=True)``, i.e. the ontology plus those
files; a few kinds go through the real CLI in a subprocess instead).

Each kind declares the *rule(s)* that must catch it (``rules=``): a shape and one of its constraint
components (``"ngsh:CountryShape-iso3166Alpha2 PatternConstraintComponent"``) or a SPARQL check
(``"check:duplicate-identifier"``). A fault is *killed* when all of these hold:

(a) the exit code is 1 (for the API: ``report.fails(...)`` at the rules' severity), and
(b) a result from one of the declared rules, at the severity that rule declares, has as its focus
    the mutated resource, or, for a relational fault, one of the resources involved (each kind
    says which), and
(c) that result's message is not empty.

A violation from any other rule does not count: the mutant shows that the named rule works. The
*knockout* (``knocked_out``) validates a mutant against the rules with one declared rule removed:
a kind aimed at that rule alone must then survive, a kind with another declared rule must still die.

A fault that only makes the validator crash (an exception, or exit code 2) is NOT killed.

The pristine data must validate with zero violations (see ``validate_unmutated``): that is
what makes any violation in a mutant the mutation's doing.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

import natograph
from natograph.checks.rules import load_checks, shapes_graph
from natograph.graph import resources
from natograph.graph.namespaces import NG, PREFIXES, bind_all
from natograph.graph.parsing import parse_file

HERE = Path(__file__).resolve().parent


class MutationError(Exception):
    """The mutation could not be applied as written (its target is missing): a broken test, not a kill."""


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def iri(name: str | Node) -> URIRef:
    """``"cty:FI"`` -> the full IRI, with natograph's one prefix table; ``"<...>"`` and IRIs pass."""
    if isinstance(name, URIRef):
        return name
    text = str(name)
    if text.startswith("<") and text.endswith(">"):
        return URIRef(text[1:-1])
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return URIRef(str(PREFIXES[prefix]) + local)
    return URIRef(text)


def short(node: Node | str) -> str:
    """The prefixed name of an IRI, as the validator's reports write it (``cty:FI``, ``<https://...>``)."""
    text = str(node)
    for prefix, namespace in PREFIXES.items():
        if text.startswith(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)) :]}"
    return f"<{text}>"


# ---------------------------------------------------------------------------
# The data, one graph per file
# ---------------------------------------------------------------------------


class DataFiles:
    """The shipped data files as one rdflib graph each; mutations edit them, ``write`` saves a folder."""

    _pristine: DataFiles | None = None

    def __init__(self, originals: dict[str, bytes], graphs: dict[str, Graph]):
        self.originals = originals
        self.graphs = graphs
        self.modified: set[str] = set()

    @classmethod
    def shipped(cls) -> DataFiles:
        """A fresh, independent copy of the shipped data (parsed once per process)."""
        if cls._pristine is None:
            originals: dict[str, bytes] = {}
            graphs: dict[str, Graph] = {}
            for path in resources.data_files():
                originals[path.name] = path.read_bytes()
                graphs[path.name] = parse_file(path)
            if not graphs:
                raise MutationError("no shipped data files found")
            cls._pristine = cls(originals, graphs)
        return cls._pristine.copy()

    def copy(self) -> DataFiles:
        graphs = {}
        for name, graph in self.graphs.items():
            clone = Graph()
            clone.addN((s, p, o, clone) for s, p, o in graph)
            graphs[name] = clone
        return DataFiles(dict(self.originals), graphs)

    def union(self) -> Graph:
        whole = Graph()
        for graph in self.graphs.values():
            whole.addN((s, p, o, whole) for s, p, o in graph)
        bind_all(whole)
        return whole

    # -- reading ---------------------------------------------------------------

    def home(self, subject: str | Node) -> str:
        """The file that defines *subject* (states its rdf:type), else the first file that describes it."""
        s = iri(subject)
        for name, graph in self.graphs.items():
            if (s, RDF.type, None) in graph:
                return name
        for name, graph in self.graphs.items():
            if (s, None, None) in graph:
                return name
        raise MutationError(f"{short(s)} is not described in any data file")

    def objects(self, subject: str | Node, predicate: Node) -> list[Node]:
        s = iri(subject)
        found = {o for graph in self.graphs.values() for o in graph.objects(s, predicate)}
        return sorted(found, key=lambda o: (type(o).__name__, str(o), str(getattr(o, "language", ""))))

    def value(self, subject: str | Node, predicate: Node) -> Node:
        values = self.objects(subject, predicate)
        if len(values) != 1:
            raise MutationError(f"{short(iri(subject))} has {len(values)} values for {short(predicate)}, expected 1")
        return values[0]

    def require_type(self, subject: str | Node, cls: Node) -> URIRef:
        s = iri(subject)
        if not any((s, RDF.type, cls) in graph for graph in self.graphs.values()):
            raise MutationError(f"{short(s)} is not an {short(cls)} in the shipped data")
        return s

    # -- editing ---------------------------------------------------------------

    def add(self, subject: str | Node, predicate: Node, obj: Node, *, into: str | None = None) -> None:
        s = iri(subject)
        name = into or self.home(s)
        if (s, predicate, obj) in self.graphs[name]:
            raise MutationError(f"{short(s)} already has {short(predicate)} {obj!r}")
        self.graphs[name].add((s, predicate, obj))
        self.modified.add(name)

    def remove(self, subject: str | Node | None, predicate: Node | None = None, obj: Node | None = None) -> int:
        """Remove every matching triple from every file; at least one must match."""
        s = iri(subject) if subject is not None else None
        removed = 0
        for name, graph in self.graphs.items():
            matches = list(graph.triples((s, predicate, obj)))
            for triple in matches:
                graph.remove(triple)
            if matches:
                self.modified.add(name)
                removed += len(matches)
        if not removed:
            raise MutationError(f"nothing to remove: ({s and short(s)}, {predicate and short(predicate)}, {obj!r})")
        return removed

    def replace(self, subject: str | Node, predicate: Node, new: Node, *, old: Node | None = None) -> None:
        """Replace the value(s) of *predicate* on *subject* (only *old* when given) by *new*."""
        s = iri(subject)
        name = self.home(s)
        self.remove(s, predicate, old)
        self.graphs[name].add((s, predicate, new))
        self.modified.add(name)

    def rename_predicate(self, subject: str | Node, predicate: Node, new_predicate: Node) -> None:
        s = iri(subject)
        name = self.home(s)
        values = self.objects(s, predicate)
        self.remove(s, predicate)
        for value in values:
            self.graphs[name].add((s, new_predicate, value))
        self.modified.add(name)

    def clone(self, subject: str | Node, new_subject: str | Node) -> URIRef:
        """Copy every triple about *subject* under a new IRI, in the same file."""
        s, t = iri(subject), iri(new_subject)
        name = self.home(s)
        if any((t, None, None) in graph for graph in self.graphs.values()):
            raise MutationError(f"{short(t)} already exists")
        triples = list(self.graphs[name].triples((s, None, None)))
        for _, p, o in triples:
            self.graphs[name].add((t, p, o))
        self.modified.add(name)
        return t

    def touch_all(self) -> None:
        """Mark every file as modified, so ``write`` re-serialises all of them (the null mutant)."""
        self.modified.update(self.graphs)

    def write(self, folder: Path, *, note: str = "") -> list[Path]:
        """Every data file into *folder*: re-serialised when modified, else the original bytes."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, graph in self.graphs.items():
            path = folder / name
            if name in self.modified:
                bind_all(graph)
                header = f"# natograph mutant{': ' + note if note else ''} (re-serialised by rdflib)\n"
                path.write_text(header + graph.serialize(format="turtle"), encoding="utf-8")
            else:
                path.write_bytes(self.originals[name])
            written.append(path)
        return written


# ---------------------------------------------------------------------------
# Running the validator
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    focus: str
    severity: str
    message: str
    shape: str
    constraint: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Verdict:
    """What the validator said about one folder."""

    exit_code: int
    findings: tuple[Finding, ...]
    channel: str  # "api" or "cli"
    json_document: dict | None = None

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "violation")


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Rule:
    """A rule that can catch a fault: a shape and one of its constraint components, or a SPARQL check."""

    shape: str  # "ngsh:<Shape>" or "check:<name>"
    constraint: str = ""  # a SHACL constraint component's local name; "" for a check

    @classmethod
    def parse(cls, text: str) -> Rule:
        shape, _, constraint = text.strip().partition(" ")
        constraint = constraint.strip()
        if shape.startswith("check:"):
            if constraint:
                raise ValueError(f"{text!r}: a check names no constraint component")
        elif not (shape.startswith("ngsh:") and constraint.endswith("ConstraintComponent")):
            raise ValueError(f"{text!r}: write 'ngsh:<Shape> <Component>ConstraintComponent' or 'check:<name>'")
        return cls(shape, constraint)

    @property
    def is_check(self) -> bool:
        return self.shape.startswith("check:")

    def fired(self, finding: Finding) -> bool:
        return finding.shape == self.shape and (self.is_check or finding.constraint == self.constraint)

    def __str__(self) -> str:
        return self.shape if self.is_check else f"{self.shape} {self.constraint}"


def declared_severity(rule: Rule) -> str:
    """The severity the rule declares (a check's ``#+ severity``, a shape's ``sh:severity``)."""
    from rdflib.namespace import SH


    if rule.is_check:
        for check in load_checks():
            if f"check:{check.name}" == rule.shape:
                return check.severity
        raise KeyError(rule.shape)
    severity = shipped_shapes().value(iri(rule.shape), SH.severity)
    return {SH.Warning: "warning", SH.Info: "info"}.get(severity, "violation")


_SHAPES: Graph | None = None


def shipped_shapes() -> Graph:
    """The shipped shapes graph (parsed once per process; callers copy it before changing it)."""
    global _SHAPES
    if _SHAPES is None:

        _SHAPES = shapes_graph()
    return _SHAPES


# The parameters of each constraint component (SHACL §4): removing them removes the constraint.
_PARAMETERS = {
    "ClassConstraintComponent": ("class",),
    "DatatypeConstraintComponent": ("datatype",),
    "NodeKindConstraintComponent": ("nodeKind",),
    "MinCountConstraintComponent": ("minCount",),
    "MaxCountConstraintComponent": ("maxCount",),
    "MinInclusiveConstraintComponent": ("minInclusive",),
    "MaxInclusiveConstraintComponent": ("maxInclusive",),
    "MinExclusiveConstraintComponent": ("minExclusive",),
    "MaxExclusiveConstraintComponent": ("maxExclusive",),
    "MinLengthConstraintComponent": ("minLength",),
    "MaxLengthConstraintComponent": ("maxLength",),
    "PatternConstraintComponent": ("pattern", "flags"),
    "LanguageInConstraintComponent": ("languageIn",),
    "UniqueLangConstraintComponent": ("uniqueLang",),
    "InConstraintComponent": ("in",),
    "HasValueConstraintComponent": ("hasValue",),
    "OrConstraintComponent": ("or",),
    "XoneConstraintComponent": ("xone",),
    "AndConstraintComponent": ("and",),
    "NotConstraintComponent": ("not",),
    "NodeConstraintComponent": ("node",),
    "QualifiedMinCountConstraintComponent": ("qualifiedMinCount",),
    "QualifiedMaxCountConstraintComponent": ("qualifiedMaxCount",),
    "ClosedConstraintComponent": ("closed",),
    "EqualsConstraintComponent": ("equals",),
    "DisjointConstraintComponent": ("disjoint",),
    "LessThanConstraintComponent": ("lessThan",),
    "LessThanOrEqualsConstraintComponent": ("lessThanOrEquals",),
}


def knocked_out(removed: Sequence[Rule], *, keep_checks: Sequence[str] | None = None) -> tuple[Graph, list]:
    """The shipped shapes and checks with each rule in *removed* taken out: a check is dropped, a shape
    loses the parameters of that one constraint component (its other constraints stay).

    *keep_checks*, when given, keeps only those checks (``check:<name>``) besides: a judge that looks only
    at declared rules cannot be swayed by the others, and each check costs time.
    """
    from rdflib.namespace import SH


    shapes = Graph()
    shapes.addN((s, p, o, shapes) for s, p, o in shipped_shapes())
    bind_all(shapes)
    checks = load_checks()
    names = {f"check:{c.name}" for c in checks}
    for rule in removed:
        if rule.is_check:
            if rule.shape not in names:
                raise MutationError(f"no such check: {rule}")
            checks = [c for c in checks if f"check:{c.name}" != rule.shape]
            continue
        shape = iri(rule.shape)
        parameters = _PARAMETERS.get(rule.constraint)
        if parameters is None:
            raise MutationError(f"cannot knock out {rule}: unknown constraint component")
        found = [(shape, SH[name], o) for name in parameters for o in shapes.objects(shape, SH[name])]
        if not found:
            raise MutationError(f"{rule.shape} has no {', '.join('sh:' + n for n in parameters)} to knock out")
        for triple in found:
            shapes.remove(triple)
    if keep_checks is not None:
        checks = [c for c in checks if f"check:{c.name}" in set(keep_checks)]
    return shapes, checks


class ValidatorCrash(Exception):
    """The validator raised, or the CLI exited with something other than 0 or 1."""


def validate_api(folder: Path, *, fail_on: str = "violation", shapes: Graph | None = None, checks=None) -> Verdict:
    """``natograph.checks.validation.validate([folder], alone=True)``, with the shipped rules or the given ones."""
    from natograph.checks.validation import validate

    try:
        report = validate(paths=[folder], alone=True, shapes=shapes, checks=checks)
    except Exception as exc:  # a crash is not a kill
        raise ValidatorCrash(f"{type(exc).__name__}: {exc}") from exc
    findings = tuple(Finding(r.focus, r.severity, r.message, r.shape, r.constraint, r.file, r.line) for r in report.results)
    return Verdict(1 if report.fails(fail_on) else 0, findings, "api")


def cli_environment() -> dict[str, str]:
    """The current environment, with natograph's checkout importable whatever the working directory."""
    env = dict(os.environ)
    package_parent = str(Path(natograph.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH", "")) if p)
    return env


def validate_cli(folder: Path, *extra: str, fail_on: str = "violation") -> Verdict:
    """``python -m natograph validate FOLDER --alone --format json``, in a subprocess."""
    command = [sys.executable, "-m", "natograph", "validate", str(folder), "--alone", "--format", "json",
               "--fail-on", fail_on, *extra]
    proc = subprocess.run(
        command, capture_output=True, text=True, cwd=folder.parent, env=cli_environment(), timeout=900, check=False
    )
    if proc.returncode not in (0, 1):
        raise ValidatorCrash(f"exit code {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    try:
        document = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ValidatorCrash(f"the JSON report does not parse: {exc}; stdout starts {proc.stdout[:300]!r}") from exc
    findings = tuple(
        Finding(
            focus=r.get("focus") or "",
            severity=r.get("severity") or "",
            message=r.get("message") or "",
            shape=r.get("shape") or "",
            constraint=r.get("constraint") or "",
            file=r.get("file") or "",
            line=r.get("line") or 0,
        )
        for r in document.get("results", [])
    )
    return Verdict(proc.returncode, findings, "cli", document)


# ---------------------------------------------------------------------------
# Fault kinds
# ---------------------------------------------------------------------------

Apply = Callable[[DataFiles], Sequence[str]]


@dataclass(frozen=True)
class Fault:
    """One kind of mistake. ``apply`` mutates the data and returns the resources a kill must name.

    The first resource returned is the one mutated; a relational fault returns every resource
    involved (``relational`` says which roles they play), and a violation on any of them kills.
    """

    name: str
    description: str
    apply: Apply
    expected_rules: tuple[Rule, ...] = ()
    relational: str = ""
    via_cli: bool = False
    survivor: str = ""  # a known survivor: why it is not caught (the test is xfail, strict)

    @property
    def fail_on(self) -> str:
        """The least severe severity among the declared rules: the kill is judged at that level."""
        severities = [declared_severity(rule) for rule in self.expected_rules]
        return max(severities, key=("violation", "warning", "info").index) if severities else "violation"


FAULTS: list[Fault] = []


def fault(name: str, *, rules: Sequence[str], relational: str = "", cli: bool = False, survivor: str = ""):
    if not rules:
        raise ValueError(f"fault kind {name!r} declares no rule that must catch it")
    parsed = tuple(Rule.parse(rule) for rule in rules)

    def register(fn: Apply) -> Apply:
        if any(f.name == name for f in FAULTS):
            raise ValueError(f"fault kind {name!r} registered twice")
        doc = " ".join((fn.__doc__ or "").split())
        FAULTS.append(Fault(name, doc, fn, parsed, relational, cli, survivor))
        return fn

    return register


def fault_named(name: str) -> Fault:
    for f in FAULTS:
        if f.name == name:
            return f
    raise KeyError(name)


def lang_of(data: DataFiles, subject: str, predicate: Node, lang: str) -> Literal:
    for value in data.objects(subject, predicate):
        if isinstance(value, Literal) and value.language == lang:
            return value
    raise MutationError(f"{subject} has no {short(predicate)} in @{lang}")


def date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def former_pfp_partner_in_nato(data: DataFiles) -> tuple[URIRef, URIRef]:
    """The first (in IRI order) PfP participation that ended, whose participant is a NATO member."""
    rows = data.union().query(
        """
        PREFIX ng: <https://w3id.org/natograph/ontology#>
        PREFIX fw: <https://w3id.org/natograph/id/framework/>
        PREFIX iorg: <https://w3id.org/natograph/id/organisation/>
        SELECT ?ptn ?country WHERE {
            ?ptn ng:partnershipIn fw:PfP ; ng:participant ?country ; ng:endDate ?end .
            ?membership ng:membershipIn iorg:NATO ; ng:participant ?country .
        } ORDER BY STR(?ptn)
        """
    )
    for row in rows:
        return row.ptn, row.country
    raise MutationError("no former PfP partner that joined NATO in the data")


# -- labels -------------------------------------------------------------------


@fault("missing-french-label", rules=["ngsh:labels MinCountConstraintComponent"])
def _missing_french_label(data: DataFiles):
    """Country cty:FI loses its French rdfs:label."""
    data.require_type("cty:FI", NG.Country)
    data.remove("cty:FI", RDFS.label, lang_of(data, "cty:FI", RDFS.label, "fr"))
    return ["cty:FI"]


@fault("missing-english-label", rules=["ngsh:labels MinCountConstraintComponent"])
def _missing_english_label(data: DataFiles):
    """Framework fw:PfP loses its English rdfs:label."""
    data.require_type("fw:PfP", NG.PartnershipFramework)
    data.remove("fw:PfP", RDFS.label, lang_of(data, "fw:PfP", RDFS.label, "en"))
    return ["fw:PfP"]


@fault("empty-label", rules=["ngsh:labels PatternConstraintComponent"])
def _empty_label(data: DataFiles):
    """Organisation iorg:UN's English label becomes "" (still tagged @en)."""
    data.require_type("iorg:UN", NG.Organisation)
    data.replace("iorg:UN", RDFS.label, Literal("", lang="en"), old=lang_of(data, "iorg:UN", RDFS.label, "en"))
    return ["iorg:UN"]


@fault("two-english-labels", rules=["ngsh:labels UniqueLangConstraintComponent"])
def _two_english_labels(data: DataFiles):
    """Document doc:strategic-concept-2010 gets a second, different English label."""
    data.require_type("doc:strategic-concept-2010", NG.StrategicConcept)
    data.add("doc:strategic-concept-2010", RDFS.label, Literal("Active Engagement, Modern Defence", lang="en"))
    return ["doc:strategic-concept-2010"]


@fault(
    "label-without-language",
    rules=[
        "ngsh:labels DatatypeConstraintComponent",
        "ngsh:labels LanguageInConstraintComponent",
        "check:label-language",
    ],
)
def _label_without_language(data: DataFiles):
    """Summit evt:wales-2014's English label loses its language tag (a plain xsd:string)."""
    data.require_type("evt:wales-2014", NG.Summit)
    old = lang_of(data, "evt:wales-2014", RDFS.label, "en")
    data.replace("evt:wales-2014", RDFS.label, Literal(str(old)), old=old)
    return ["evt:wales-2014"]


@fault("label-in-third-language", rules=["ngsh:labels LanguageInConstraintComponent", "check:label-language"])
def _label_in_third_language(data: DataFiles):
    """Country cty:DE's French label is tagged @de instead of @fr."""
    data.require_type("cty:DE", NG.Country)
    old = lang_of(data, "cty:DE", RDFS.label, "fr")
    data.replace("cty:DE", RDFS.label, Literal(str(old), lang="de"), old=old)
    return ["cty:DE"]


# -- dates ----------------------------------------------------------------------


@fault("malformed-date", rules=["ngsh:startDate OrConstraintComponent"], cli=True)
def _malformed_date(data: DataFiles):
    """Participation ptn:FI-PfP's start date becomes "2020-13-45"^^xsd:date (month 13, day 45)."""
    data.require_type("ptn:FI-PfP", NG.Participation)
    data.replace("ptn:FI-PfP", NG.startDate, date("2020-13-45"))
    return ["ptn:FI-PfP"]


@fault("impossible-date", rules=["ngsh:startDate OrConstraintComponent"])
def _impossible_date(data: DataFiles):
    """Participation ptn:FI-NATO's start date becomes "2023-02-30"^^xsd:date (no 30 February)."""
    data.require_type("ptn:FI-NATO", NG.Participation)
    data.replace("ptn:FI-NATO", NG.startDate, date("2023-02-30"))
    return ["ptn:FI-NATO"]


@fault("date-as-free-text", rules=["ngsh:startDate OrConstraintComponent"])
def _date_as_free_text(data: DataFiles):
    """Participation ptn:AT-PfP's start date becomes the plain literal "May 1994"."""
    data.require_type("ptn:AT-PfP", NG.Participation)
    data.replace("ptn:AT-PfP", NG.startDate, Literal("May 1994"))
    return ["ptn:AT-PfP"]


@fault("year-typed-as-date", rules=["ngsh:startDate OrConstraintComponent"])
def _year_typed_as_date(data: DataFiles):
    """Framework fw:MD's start "1994"^^xsd:gYear is retyped "1994"^^xsd:date (lexical form and datatype disagree)."""
    data.require_type("fw:MD", NG.PartnershipFramework)
    data.replace("fw:MD", NG.startDate, date("1994"))
    return ["fw:MD"]


@fault(
    "malformed-year-month",
    rules=["ngsh:endDate OrConstraintComponent"],
    cli=True,
)
def _malformed_year_month(data: DataFiles):
    """Participation ptn:MT-PfP's end "1996-10"^^xsd:gYearMonth becomes "1996-13"^^xsd:gYearMonth (month 13)."""
    data.require_type("ptn:MT-PfP", NG.Participation)
    data.replace("ptn:MT-PfP", NG.endDate, Literal("1996-13", datatype=XSD.gYearMonth))
    return ["ptn:MT-PfP"]


@fault(
    "malformed-year",
    rules=["ngsh:startDate OrConstraintComponent"],
    cli=True,
)
def _malformed_year(data: DataFiles):
    """Framework fw:ICI's start "2004"^^xsd:gYear becomes "200"^^xsd:gYear (a digit dropped)."""
    data.require_type("fw:ICI", NG.PartnershipFramework)
    data.replace("fw:ICI", NG.startDate, Literal("200", datatype=XSD.gYear))
    return ["fw:ICI"]


@fault(
    "participation-before-structure-launch",
    rules=["check:before-launch"],
)
def _participation_before_structure_launch(data: DataFiles):
    """Participation ptn:AT-PfP starts 1990-02-10 (a typo for 1995), before fw:PfP was launched (1994-01)."""
    data.require_type("ptn:AT-PfP", NG.Participation)
    data.replace("ptn:AT-PfP", NG.startDate, date("1990-02-10"))
    return ["ptn:AT-PfP"]


@fault("future-joining-date", rules=["check:future-date"])
def _future_joining_date(data: DataFiles):
    """Membership ptn:SE-NATO starts a year after today (a plan, not a fact)."""
    data.require_type("ptn:SE-NATO", NG.Participation)
    future = datetime.date.today() + datetime.timedelta(days=366)
    data.replace("ptn:SE-NATO", NG.startDate, date(future.isoformat()))
    return ["ptn:SE-NATO"]


@fault("end-before-start", rules=["check:start-after-end"])
def _end_before_start(data: DataFiles):
    """Participation ptn:FI-PfP ends on 1993-05-09, a year before it starts (1994-05-09)."""
    data.require_type("ptn:FI-PfP", NG.Participation)
    data.replace("ptn:FI-PfP", NG.endDate, date("1993-05-09"))
    return ["ptn:FI-PfP"]


@fault("event-ends-before-start", rules=["check:start-after-end"])
def _event_ends_before_start(data: DataFiles):
    """Summit evt:wales-2014 (2014-09-04) ends on 2014-09-03."""
    data.require_type("evt:wales-2014", NG.Summit)
    data.replace("evt:wales-2014", NG.endDate, date("2014-09-03"))
    return ["evt:wales-2014"]


@fault("two-start-dates", rules=["ngsh:startDate MaxCountConstraintComponent"])
def _two_start_dates(data: DataFiles):
    """Participation ptn:CH-PfP gets a second start date beside its own."""
    data.require_type("ptn:CH-PfP", NG.Participation)
    data.add("ptn:CH-PfP", NG.startDate, date("1996-12-12"))
    return ["ptn:CH-PfP"]


@fault("undated-participation-without-note", rules=["check:undated-participation"])
def _undated_without_note(data: DataFiles):
    """Participation ptn:UN-IO loses its start date and the ng:note that would say why."""
    data.require_type("ptn:UN-IO", NG.Participation)
    data.remove("ptn:UN-IO", NG.startDate)
    data.remove("ptn:UN-IO", NG.note)
    return ["ptn:UN-IO"]


@fault("event-without-date", rules=["ngsh:EventShape-startDate MinCountConstraintComponent"])
def _event_without_date(data: DataFiles):
    """Summit evt:madrid-2022 loses its ng:startDate."""
    data.require_type("evt:madrid-2022", NG.Summit)
    data.remove("evt:madrid-2022", NG.startDate)
    return ["evt:madrid-2022"]


# -- references -------------------------------------------------------------------
#
# The knockout showed that the shapes' sh:class on ng:participant, ng:partnershipIn, ng:adopted and
# ng:suspension never catch these kinds: OWL RL types the value with the property's rdfs:range before
# SHACL runs, so sh:class holds on the closure. The checks (read on the triples as written) are the
# rules that work, and the only ones these kinds declare.


@fault(
    "undefined-framework",
    rules=[
        "check:dangling-reference",
    ],
)
def _undefined_framework(data: DataFiles):
    """Participation ptn:AT-PfP is in fw:XYZ, a framework defined nowhere."""
    data.require_type("ptn:AT-PfP", NG.Participation)
    data.replace("ptn:AT-PfP", NG.partnershipIn, iri("fw:XYZ"))
    return ["ptn:AT-PfP"]


@fault(
    "typo-iri-participant",
    rules=[
        "check:dangling-reference",
    ],
    cli=True,
)
def _typo_iri_participant(data: DataFiles):
    """Participation ptn:FI-PfP names cty:FIN (the alpha-3 code) instead of cty:FI as participant."""
    data.require_type("ptn:FI-PfP", NG.Participation)
    data.replace("ptn:FI-PfP", NG.participant, iri("cty:FIN"), old=iri("cty:FI"))
    return ["ptn:FI-PfP"]


@fault(
    "participant-of-wrong-class",
    rules=[
        "check:wrong-class-reference",
    ],
)
def _participant_of_wrong_class(data: DataFiles):
    """Participation ptn:CH-PfP names the framework fw:PfP as its participant instead of cty:CH."""
    data.require_type("ptn:CH-PfP", NG.Participation)
    data.require_type("fw:PfP", NG.PartnershipFramework)
    data.replace("ptn:CH-PfP", NG.participant, iri("fw:PfP"), old=iri("cty:CH"))
    return ["ptn:CH-PfP"]


@fault(
    "participation-in-wrong-class",
    rules=[
        "check:wrong-class-reference",
    ],
)
def _participation_in_wrong_class(data: DataFiles):
    """Participation ptn:JO-MD's ng:partnershipIn names the country cty:IL instead of fw:MD."""
    data.require_type("ptn:JO-MD", NG.Participation)
    data.replace("ptn:JO-MD", NG.partnershipIn, iri("cty:IL"), old=iri("fw:MD"))
    return ["ptn:JO-MD"]


@fault("adopted-not-a-document", rules=["check:wrong-class-reference"])
def _adopted_not_a_document(data: DataFiles):
    """Summit evt:wales-2014 ng:adopted ini:DCB, an initiative, not a document."""
    data.require_type("evt:wales-2014", NG.Summit)
    data.require_type("ini:DCB", NG.Initiative)
    data.add("evt:wales-2014", NG.adopted, iri("ini:DCB"))
    return ["evt:wales-2014"]


@fault("participation-without-participant", rules=["ngsh:ParticipationShape-participant MinCountConstraintComponent"])
def _participation_without_participant(data: DataFiles):
    """Participation ptn:DZ-MD loses its ng:participant."""
    data.require_type("ptn:DZ-MD", NG.Participation)
    data.remove("ptn:DZ-MD", NG.participant)
    return ["ptn:DZ-MD"]


@fault("participation-without-source", rules=["ngsh:source MinCountConstraintComponent"])
def _participation_without_source(data: DataFiles):
    """Participation ptn:EG-MD loses every dcterms:source."""
    data.require_type("ptn:EG-MD", NG.Participation)
    data.remove("ptn:EG-MD", DCTERMS.source)
    return ["ptn:EG-MD"]


@fault(
    "participation-without-structure",
    rules=[
        "ngsh:ParticipationShape XoneConstraintComponent",
        "ngsh:ParticipationShape-participationIn MinCountConstraintComponent",
    ],
)
def _participation_without_structure(data: DataFiles):
    """Participation ptn:TN-MD loses its ng:partnershipIn: in nothing at all."""
    data.require_type("ptn:TN-MD", NG.Participation)
    data.remove("ptn:TN-MD", NG.partnershipIn)
    return ["ptn:TN-MD"]


@fault(
    "two-kinds-of-participation",
    rules=[
        "ngsh:ParticipationShape XoneConstraintComponent",
        "ngsh:ParticipationShape-participationIn MaxCountConstraintComponent",
    ],
)
def _two_kinds(data: DataFiles):
    """Participation ptn:MA-MD is also stated as ng:initiativeIn ini:DCB (two targets, two kinds)."""
    data.require_type("ptn:MA-MD", NG.Participation)
    data.add("ptn:MA-MD", NG.initiativeIn, iri("ini:DCB"))
    return ["ptn:MA-MD"]


@fault("membership-of-other-organisation", rules=["ngsh:ParticipationShape-membershipIn InConstraintComponent"])
def _membership_of_other_organisation(data: DataFiles):
    """Membership ptn:DE-NATO says ng:membershipIn iorg:EU instead of iorg:NATO."""
    data.require_type("ptn:DE-NATO", NG.Participation)
    data.replace("ptn:DE-NATO", NG.membershipIn, iri("iorg:EU"), old=iri("iorg:NATO"))
    return ["ptn:DE-NATO"]


@fault("two-participants", rules=["ngsh:ParticipationShape-participant MaxCountConstraintComponent"])
def _two_participants(data: DataFiles):
    """Participation ptn:JO-MD gets a second participant, cty:IL, beside cty:JO."""
    data.require_type("ptn:JO-MD", NG.Participation)
    data.add("ptn:JO-MD", NG.participant, iri("cty:IL"))
    return ["ptn:JO-MD"]


@fault("typo-property", rules=["check:unknown-term", "ngsh:ParticipationShape-participant MinCountConstraintComponent"], cli=True)
def _typo_property(data: DataFiles):
    """Participation ptn:IL-MD writes ng:partcipant (a typo) instead of ng:participant."""
    data.require_type("ptn:IL-MD", NG.Participation)
    data.rename_predicate("ptn:IL-MD", NG.participant, NG.partcipant)
    return ["ptn:IL-MD"]


@fault("typo-class", rules=["check:unknown-term"])
def _typo_class(data: DataFiles):
    """Country cty:NO is typed ng:Contry (a typo) instead of ng:Country."""
    data.require_type("cty:NO", NG.Country)
    data.replace("cty:NO", RDF.type, NG.Contry, old=NG.Country)
    return ["cty:NO"]


@fault("missing-type", rules=["check:missing-type"])
def _missing_type(data: DataFiles):
    """Country cty:GE loses its rdf:type (inference would make it an ng:Country anyway)."""
    data.require_type("cty:GE", NG.Country)
    data.remove("cty:GE", RDF.type)
    return ["cty:GE"]


@fault(
    "dangling-suspension",
    rules=["check:dangling-reference"],
    relational="the participation with the dangling link, or the suspension it no longer links",
)
def _dangling_suspension(data: DataFiles):
    """Participation ptn:RU-PfP points ng:suspension to susp:RU-PFP (wrong case), defined nowhere."""
    data.require_type("ptn:RU-PfP", NG.Participation)
    data.replace("ptn:RU-PfP", NG.suspension, iri("susp:RU-PFP"), old=iri("susp:RU-PfP"))
    return ["ptn:RU-PfP", "susp:RU-PfP"]


@fault("launched-a-country", rules=["ngsh:EventShape-launched OrConstraintComponent"])
def _launched_a_country(data: DataFiles):
    """Summit evt:wales-2014 ng:launched cty:GE (a country, neither a structure nor a document)."""
    data.require_type("evt:wales-2014", NG.Summit)
    data.add("evt:wales-2014", NG.launched, iri("cty:GE"))
    return ["evt:wales-2014"]


# -- sources ---------------------------------------------------------------------


@fault("source-not-declared", rules=["ngsh:source ClassConstraintComponent"])
def _source_not_declared(data: DataFiles):
    """Participation ptn:IL-MD cites <https://example.org/nato-israel>, a page not declared as ng:Source."""
    data.require_type("ptn:IL-MD", NG.Participation)
    data.add("ptn:IL-MD", DCTERMS.source, URIRef("https://example.org/nato-israel"))
    return ["ptn:IL-MD"]


@fault("source-as-text", rules=["ngsh:source NodeKindConstraintComponent", "ngsh:source ClassConstraintComponent"])
def _source_as_text(data: DataFiles):
    """Country cty:AT's sources are one string literal holding an address instead of IRIs."""
    data.require_type("cty:AT", NG.Country)
    data.replace("cty:AT", DCTERMS.source, Literal("https://www.iso.org/obp/ui/#iso:code:3166:AT"))
    return ["cty:AT"]


@fault("source-without-title", rules=["ngsh:SourceShape-title MinCountConstraintComponent"])
def _source_without_title(data: DataFiles):
    """The declared source <https://www.nato.int/cps/en/natohq/official_texts_17120.htm> loses its dcterms:title."""
    source = URIRef("https://www.nato.int/cps/en/natohq/official_texts_17120.htm")
    data.require_type(source, NG.Source)
    data.remove(source, DCTERMS.title)
    return [short(source)]


# -- how current the data is ----------------------------------------------------

DATASET = URIRef("https://w3id.org/natograph/dataset")


@fault("source-without-retrieval-day", rules=["check:unread-source"])
def _source_without_retrieval_day(data: DataFiles):
    """The declared source <https://www.nato.int/cps/en/natohq/official_texts_17120.htm> loses its ng:retrieved,
    in a graph that says it is as of a day."""
    source = URIRef("https://www.nato.int/cps/en/natohq/official_texts_17120.htm")
    data.require_type(source, NG.Source)
    data.remove(source, NG.retrieved)
    return [short(source)]


@fault("two-retrieval-days", rules=["ngsh:SourceShape-retrieved MaxCountConstraintComponent"])
def _two_retrieval_days(data: DataFiles):
    """The source <https://www.nato.int/cps/en/natohq/official_texts_17120.htm> is said to be read on two days
    (as when two files that declare it disagree)."""
    source = URIRef("https://www.nato.int/cps/en/natohq/official_texts_17120.htm")
    data.require_type(source, NG.Source)
    data.add(source, NG.retrieved, date("2026-11-25"))
    return [short(source)]


@fault(
    "data-as-of-not-moved",
    rules=["check:after-data-as-of"],
    relational="a source read on 2026-12-07 (focus of the check), or the dataset whose day was not moved",
)
def _data_as_of_not_moved(data: DataFiles):
    """The dataset's ng:dataAsOf is left at 2026-11-30 while sources were read on 2026-12-07."""
    source = URIRef("https://www.nato.int/cps/en/natohq/topics_52108.htm?selectedLocale=en")
    if date("2026-12-07") not in data.objects(source, NG.retrieved):
        raise MutationError(f"{short(source)} was not read on 2026-12-07")
    data.replace(DATASET, NG.dataAsOf, date("2026-11-30"))
    return [short(source), short(DATASET)]


@fault("two-data-as-of-days", rules=["ngsh:DatasetShape-dataAsOf MaxCountConstraintComponent"])
def _two_data_as_of_days(data: DataFiles):
    """The dataset is said to be as of two days, the second one earlier (2026-12-01)."""
    data.add(DATASET, NG.dataAsOf, date("2026-12-01"))
    return [short(DATASET)]


@fault(
    "stale-open-fact",
    rules=["check:stale-fact"],
    relational="Colombia's ITPP (still open), whose only source is the page re-dated",
)
def _stale_open_fact(data: DataFiles):
    """The only source of Colombia's ITPP (ptn:CO-ITPP, still open), NATO's news of 2021-12-08, is said to have
    been read that day and never since: more than three years before the data's as-of day."""
    source = URIRef("https://www.nato.int/cps/en/natohq/news_190042.htm")
    data.require_type("ptn:CO-ITPP", NG.Participation)
    if data.objects("ptn:CO-ITPP", DCTERMS.source) != [source]:
        raise MutationError("ptn:CO-ITPP no longer rests on one source")
    data.replace(source, NG.retrieved, date("2021-12-08"))
    return ["ptn:CO-ITPP"]


# -- overlaps and suspensions ---------------------------------------------------


@fault(
    "member-and-partner-overlap",
    rules=["check:member-and-partner"],
    relational="the country (focus of check:member-and-partner) or its PfP participation",
)
def _member_and_partner_overlap(data: DataFiles):
    """The first former PfP partner that joined NATO (in IRI order) loses its PfP end date: partner and member at once."""
    participation, country = former_pfp_partner_in_nato(data)
    data.remove(participation, NG.endDate)
    return [short(participation), short(country)]


@fault(
    "overlapping-periods",
    rules=["check:overlapping-participation"],
    relational="either of Malta's two PfP periods",
)
def _overlapping_periods(data: DataFiles):
    """Malta's first PfP period ptn:MT-PfP ends in 2009, after its second period ptn:MT-PfP-2 began (2008-04-03)."""
    data.require_type("ptn:MT-PfP", NG.Participation)
    data.require_type("ptn:MT-PfP-2", NG.Participation)
    data.replace("ptn:MT-PfP", NG.endDate, date("2009-01-01"))
    return ["ptn:MT-PfP", "ptn:MT-PfP-2"]


@fault(
    "duplicate-participation",
    rules=["check:overlapping-participation"],
    relational="the copy ptn:KW-ICI-2 or the original ptn:KW-ICI",
)
def _duplicate_participation(data: DataFiles):
    """Participation ptn:KW-ICI is written twice, the copy under ptn:KW-ICI-2."""
    data.require_type("ptn:KW-ICI", NG.Participation)
    data.clone("ptn:KW-ICI", "ptn:KW-ICI-2")
    return ["ptn:KW-ICI-2", "ptn:KW-ICI"]


@fault(
    "suspension-before-participation",
    rules=["check:suspension-outside-participation"],
    relational="the suspension (focus of the check) or the participation it suspends",
    cli=True,
)
def _suspension_before_participation(data: DataFiles):
    """Suspension susp:RU-PfP starts 1990-01-01, before Russia's PfP participation (1994-06-22)."""
    data.require_type("susp:RU-PfP", NG.Suspension)
    data.replace("susp:RU-PfP", NG.startDate, date("1990-01-01"))
    return ["susp:RU-PfP", "ptn:RU-PfP"]


@fault(
    "suspension-after-participation-ended",
    rules=["check:suspension-outside-participation"],
    relational="the suspension (focus of the check) or the participation it suspends",
)
def _suspension_after_participation_ended(data: DataFiles):
    """Participation ptn:RU-PfP is given an end, 2010-01-01, before its suspension susp:RU-PfP starts (2014-04-01)."""
    data.require_type("ptn:RU-PfP", NG.Participation)
    data.require_type("susp:RU-PfP", NG.Suspension)
    data.add("ptn:RU-PfP", NG.endDate, date("2010-01-01"))
    return ["susp:RU-PfP", "ptn:RU-PfP"]


@fault("suspension-without-start", rules=["ngsh:SuspensionShape-startDate MinCountConstraintComponent"])
def _suspension_without_start(data: DataFiles):
    """Suspension susp:BY-PfP loses its start date."""
    data.require_type("susp:BY-PfP", NG.Suspension)
    data.remove("susp:BY-PfP", NG.startDate)
    return ["susp:BY-PfP"]


@fault("orphan-suspension", rules=["ngsh:SuspensionShape-of MinCountConstraintComponent"])
def _orphan_suspension(data: DataFiles):
    """Participation ptn:BY-PfP no longer links its suspension susp:BY-PfP, which suspends nothing."""
    data.require_type("susp:BY-PfP", NG.Suspension)
    data.remove("ptn:BY-PfP", NG.suspension, iri("susp:BY-PfP"))
    return ["susp:BY-PfP"]


# -- identifiers ----------------------------------------------------------------


@fault(
    "duplicate-iso-alpha2",
    rules=["check:duplicate-identifier"],
    relational="cty:AT (mutated) or cty:DE (whose code it took)",
)
def _duplicate_iso_alpha2(data: DataFiles):
    """Country cty:AT's ISO alpha-2 code becomes "DE", Germany's."""
    data.require_type("cty:AT", NG.Country)
    data.require_type("cty:DE", NG.Country)
    data.replace("cty:AT", NG.iso3166Alpha2, Literal("DE"))
    return ["cty:AT", "cty:DE"]


@fault("lowercase-iso-alpha2", rules=["ngsh:CountryShape-iso3166Alpha2 PatternConstraintComponent"])
def _lowercase_alpha2(data: DataFiles):
    """Country cty:BE's ISO alpha-2 code is written "be"."""
    data.require_type("cty:BE", NG.Country)
    data.replace("cty:BE", NG.iso3166Alpha2, Literal("be"))
    return ["cty:BE"]


@fault("three-letter-iso-alpha2", rules=["ngsh:CountryShape-iso3166Alpha2 PatternConstraintComponent"])
def _three_letter_alpha2(data: DataFiles):
    """Country cty:CH's ISO alpha-2 code is written "CHE" (its alpha-3 code)."""
    data.require_type("cty:CH", NG.Country)
    data.replace("cty:CH", NG.iso3166Alpha2, Literal("CHE"))
    return ["cty:CH"]


@fault("missing-iso-alpha3", rules=["ngsh:CountryShape-iso3166Alpha3 MinCountConstraintComponent"])
def _missing_alpha3(data: DataFiles):
    """Country cty:JP loses its ISO alpha-3 code."""
    data.require_type("cty:JP", NG.Country)
    data.remove("cty:JP", NG.iso3166Alpha3)
    return ["cty:JP"]


@fault("numeric-wikidata-id", rules=["ngsh:CountryShape-wikidataId PatternConstraintComponent"])
def _numeric_wikidata(data: DataFiles):
    """Country cty:DZ's Wikidata id is written "42" (no Q)."""
    data.require_type("cty:DZ", NG.Country)
    data.replace("cty:DZ", NG.wikidataId, Literal("42"))
    return ["cty:DZ"]


@fault("malformed-wikidata-id", rules=["ngsh:OrganisationShape-wikidataId PatternConstraintComponent"])
def _malformed_wikidata(data: DataFiles):
    """Organisation iorg:EU's Wikidata id is written "Q0x"."""
    data.require_type("iorg:EU", NG.Organisation)
    data.replace("iorg:EU", NG.wikidataId, Literal("Q0x"))
    return ["iorg:EU"]


@fault(
    "iso-code-disagrees-with-iri",
    rules=["check:identifier-mismatch"],
)
def _iso_code_disagrees_with_iri(data: DataFiles):
    """Country cty:FI's ISO alpha-2 code is mistyped "FJ" (well formed, unused, but not the code in its IRI)."""
    data.require_type("cty:FI", NG.Country)
    data.replace("cty:FI", NG.iso3166Alpha2, Literal("FJ"))
    return ["cty:FI"]


@fault(
    "wikidata-id-disagrees-with-exact-match",
    rules=["check:identifier-mismatch"],
)
def _wikidata_id_disagrees_with_exact_match(data: DataFiles):
    """Country cty:FI's Wikidata id becomes "Q9999999" while its skos:exactMatch still says entity/Q33."""
    data.require_type("cty:FI", NG.Country)
    data.replace("cty:FI", NG.wikidataId, Literal("Q9999999"))
    return ["cty:FI"]


@fault("exact-match-not-wikidata", rules=["ngsh:CountryShape-exactMatch PatternConstraintComponent"])
def _exact_match_not_wikidata(data: DataFiles):
    """Country cty:NZ's skos:exactMatch points to Wikipedia instead of a Wikidata entity."""
    data.require_type("cty:NZ", NG.Country)
    data.replace("cty:NZ", SKOS.exactMatch, URIRef("https://en.wikipedia.org/wiki/New_Zealand"))
    return ["cty:NZ"]


@fault(
    "two-resources-for-one-country",
    rules=["check:duplicate-identifier"],
    relational="the copy cty:FIN or the original cty:FI",
)
def _two_resources_for_one_country(data: DataFiles):
    """Country cty:FI is copied, with all its codes, under a second IRI cty:FIN."""
    data.require_type("cty:FI", NG.Country)
    data.clone("cty:FI", "cty:FIN")
    return ["cty:FIN", "cty:FI"]


@fault("organisation-code-is-country-code", rules=["check:organisation-code-is-country-code"])
def _organisation_code_is_country_code(data: DataFiles):
    """Organisation iorg:AFRU (African Union) takes the code "AU", Australia's ISO alpha-2 code."""
    data.require_type("iorg:AFRU", NG.Organisation)
    data.require_type("cty:AU", NG.Country)
    data.replace("iorg:AFRU", NG.code, Literal("AU"))
    return ["iorg:AFRU"]


@fault(
    "duplicate-structure-code",
    rules=["check:duplicate-identifier"],
    relational="ini:BI (mutated) or fw:PfP (whose code it took)",
)
def _duplicate_structure_code(data: DataFiles):
    """Programme ini:BI's code becomes "PfP", the Partnership for Peace's."""
    data.require_type("ini:BI", NG.Programme)
    data.replace("ini:BI", NG.code, Literal("PfP"))
    return ["ini:BI", "fw:PfP"]


@fault("malformed-structure-code", rules=["ngsh:PartnershipStructureShape-code PatternConstraintComponent"])
def _malformed_structure_code(data: DataFiles):
    """Programme ini:DEEP's code is written "D E E P" (spaces)."""
    data.require_type("ini:DEEP", NG.Programme)
    data.replace("ini:DEEP", NG.code, Literal("D E E P"))
    return ["ini:DEEP"]


# -- stated counts --------------------------------------------------------------


@fault("negative-count", rules=["ngsh:StatedCountShape-statedValue MinInclusiveConstraintComponent"])
def _negative_count(data: DataFiles):
    """Stated count cnt:ici's value becomes -4."""
    data.require_type("cnt:ici", NG.StatedCount)
    data.replace("cnt:ici", NG.statedValue, Literal(-4))
    return ["cnt:ici"]


@fault("count-contradicted-unexplained", rules=["check:unexplained-count"])
def _count_contradicted(data: DataFiles):
    """Stated count cnt:md says 8 (the data enumerates 7) and carries no ng:explanation."""
    data.require_type("cnt:md", NG.StatedCount)
    if data.objects("cnt:md", NG.explanation):
        data.remove("cnt:md", NG.explanation)
    data.replace("cnt:md", NG.statedValue, Literal(8))
    return ["cnt:md"]


@fault("count-explanation-removed", rules=["check:unexplained-count"])
def _count_explanation_removed(data: DataFiles):
    """Stated count cnt:pfp (19, while the data counts 18 on 2024-03-07) loses its ng:explanation."""
    data.require_type("cnt:pfp", NG.StatedCount)
    data.remove("cnt:pfp", NG.explanation)
    return ["cnt:pfp"]


@fault("count-as-text", rules=["ngsh:StatedCountShape-statedValue DatatypeConstraintComponent"])
def _count_as_text(data: DataFiles):
    """Stated count cnt:md's value becomes the string "seven"."""
    data.require_type("cnt:md", NG.StatedCount)
    data.replace("cnt:md", NG.statedValue, Literal("seven"))
    return ["cnt:md"]


@fault("qualifier-not-allowed", rules=["ngsh:StatedCountShape-qualifier InConstraintComponent"])
def _qualifier_not_allowed(data: DataFiles):
    """Stated count cnt:members's qualifier becomes "about" (allowed: exactly, moreThan, approximately)."""
    data.require_type("cnt:members", NG.StatedCount)
    data.replace("cnt:members", NG.qualifier, Literal("about"))
    return ["cnt:members"]


@fault("count-without-scope", rules=["ngsh:StatedCountShape-countScope MinCountConstraintComponent"])
def _count_without_scope(data: DataFiles):
    """Stated count cnt:eop loses its ng:countScope."""
    data.require_type("cnt:eop", NG.StatedCount)
    data.remove("cnt:eop", NG.countScope)
    return ["cnt:eop"]


@fault("count-day-not-a-date", rules=["ngsh:StatedCountShape-countedAsOf DatatypeConstraintComponent"])
def _count_day_not_a_date(data: DataFiles):
    """Stated count cnt:members is counted as of "2024"^^xsd:gYear instead of a day."""
    data.require_type("cnt:members", NG.StatedCount)
    data.replace("cnt:members", NG.countedAsOf, Literal("2024", datatype=XSD.gYear))
    return ["cnt:members"]


# -- events, packages, lists ----------------------------------------------------------


@fault("event-without-french-place", rules=["ngsh:EventShape-place MinCountConstraintComponent"])
def _event_without_french_place(data: DataFiles):
    """Summit evt:vilnius-2023 loses its ng:place in French."""
    data.require_type("evt:vilnius-2023", NG.Summit)
    data.remove("evt:vilnius-2023", NG.place, lang_of(data, "evt:vilnius-2023", NG.place, "fr"))
    return ["evt:vilnius-2023"]


@fault("dcb-package-without-recipient", rules=["ngsh:DCBPackageShape-recipient MinCountConstraintComponent"])
def _dcb_without_recipient(data: DataFiles):
    """DCB package pkg:GE loses its ng:recipient."""
    data.require_type("pkg:GE", NG.DCBPackage)
    data.remove("pkg:GE", NG.recipient)
    return ["pkg:GE"]


@fault("dcb-package-of-other-initiative", rules=["ngsh:DCBPackageShape-packageOf HasValueConstraintComponent"])
def _dcb_of_other_initiative(data: DataFiles):
    """DCB package pkg:JO says ng:packageOf ini:PII instead of ini:DCB."""
    data.require_type("pkg:JO", NG.DCBPackage)
    data.replace("pkg:JO", NG.packageOf, iri("ini:PII"), old=iri("ini:DCB"))
    return ["pkg:JO"]


@fault(
    "end-reason-without-language",
    rules=[
        "ngsh:ParticipationShape-endReason DatatypeConstraintComponent",
        "check:label-language",
    ],
)
def _end_reason_without_language(data: DataFiles):
    """Participation ptn:MT-PfP's English end reason loses its language tag."""
    data.require_type("ptn:MT-PfP", NG.Participation)
    old = lang_of(data, "ptn:MT-PfP", NG.endReason, "en")
    data.replace("ptn:MT-PfP", NG.endReason, Literal(str(old)), old=old)
    return ["ptn:MT-PfP"]


@fault("end-reason-in-british-english", rules=["check:label-language"])
def _end_reason_in_british_english(data: DataFiles):
    """Participation ptn:MT-PfP's English end reason is tagged @en-GB (natograph's languages are exactly en and fr)."""
    data.require_type("ptn:MT-PfP", NG.Participation)
    old = lang_of(data, "ptn:MT-PfP", NG.endReason, "en")
    data.replace("ptn:MT-PfP", NG.endReason, Literal(str(old), lang="en-GB"), old=old)
    return ["ptn:MT-PfP"]


@fault("ended-without-reason", rules=["check:ended-without-reason"])
def _ended_without_reason(data: DataFiles):
    """Participation ptn:MT-PfP (ended 1996-10) loses both its end reasons, English and French."""
    data.require_type("ptn:MT-PfP", NG.Participation)
    data.remove("ptn:MT-PfP", NG.endReason)
    return ["ptn:MT-PfP"]


@fault("uncited-source", rules=["check:uncited-source"])
def _uncited_source(data: DataFiles):
    """A source <https://www.nato.int/cps/en/natohq/topics_00000.htm> is declared (typed, titled) but cited by nothing."""
    source = URIRef("https://www.nato.int/cps/en/natohq/topics_00000.htm")
    home = data.home("<https://www.nato.int/cps/en/natolive/news_64790.htm>")
    data.add(source, RDF.type, NG.Source, into=home)
    data.add(source, DCTERMS.title, Literal("A page nothing cites", lang="en"), into=home)
    return [short(source)]


@fault("lowercase-iso-alpha3", rules=["ngsh:CountryShape-iso3166Alpha3 PatternConstraintComponent"])
def _lowercase_alpha3(data: DataFiles):
    """Country cty:BE's ISO alpha-3 code is written "bel"."""
    data.require_type("cty:BE", NG.Country)
    data.replace("cty:BE", NG.iso3166Alpha3, Literal("bel"))
    return ["cty:BE"]


@fault("organisation-code-with-spaces", rules=["ngsh:OrganisationShape-code PatternConstraintComponent"])
def _organisation_code_with_spaces(data: DataFiles):
    """Organisation iorg:OSCE's code is written "O S C E" (spaces)."""
    data.require_type("iorg:OSCE", NG.Organisation)
    data.replace("iorg:OSCE", NG.code, Literal("O S C E"))
    return ["iorg:OSCE"]


@fault("dangling-founding-document", rules=["check:dangling-reference"])
def _dangling_founding_document(data: DataFiles):
    """Membership ptn:BE-NATO's founding document becomes doc:north-atlantic-traety (a typo), defined nowhere."""
    data.require_type("ptn:BE-NATO", NG.Participation)
    data.replace("ptn:BE-NATO", NG.foundingDocument, iri("doc:north-atlantic-traety"), old=iri("doc:north-atlantic-treaty"))
    return ["ptn:BE-NATO"]


@fault("founding-document-of-wrong-class", rules=["check:wrong-class-reference"])
def _founding_document_of_wrong_class(data: DataFiles):
    """Membership ptn:BE-NATO's founding document is the country cty:BE, not a document."""
    data.require_type("ptn:BE-NATO", NG.Participation)
    data.require_type("cty:BE", NG.Country)
    data.replace("ptn:BE-NATO", NG.foundingDocument, iri("cty:BE"), old=iri("doc:north-atlantic-treaty"))
    return ["ptn:BE-NATO"]


@fault("list-order-zero", rules=["ngsh:ListedItemShape-listOrder MinInclusiveConstraintComponent"])
def _list_order_zero(data: DataFiles):
    """Strategic objective obj:1's position in the list becomes 0 (positions count from 1)."""
    data.require_type("obj:1", NG.StrategicObjective)
    data.replace("obj:1", NG.listOrder, Literal(0))
    return ["obj:1"]


# Issue 12: bilateral bodies, partnership tools, contributions to operations.

_OPERATION = "https://w3id.org/natograph/id/operation/"
_CONTRIBUTION = "https://w3id.org/natograph/id/contribution/"


@fault(
    "programme-before-partnership",
    rules=["check:programme-without-partnership"],
    relational="the holding (focus of the check) or the country that holds it",
)
def _programme_before_partnership(data: DataFiles):
    """Colombia's ITPP ptn:CO-ITPP starts 2016-01-01, before Colombia became a partner (2017-05)."""
    data.require_type("ptn:CO-ITPP", NG.Participation)
    data.replace("ptn:CO-ITPP", NG.startDate, date("2016-01-01"))
    return ["ptn:CO-ITPP", "cty:CO"]


@fault(
    "body-with-country-that-left",
    rules=["check:body-without-partnership"],
    relational="the body (focus of the check), its country or the partnership that ended",
)
def _body_with_country_that_left(data: DataFiles):
    """Georgia's PfP participation ptn:GE-PfP ends 2010-01-01 while the NATO-Georgia Commission cncl:NGC goes on."""
    data.require_type("ptn:GE-PfP", NG.Participation)
    data.require_type("cncl:NGC", NG.BilateralBody)
    data.add("ptn:GE-PfP", NG.endDate, date("2010-01-01"))
    return ["cncl:NGC", "cty:GE", "ptn:GE-PfP"]


@fault(
    "contribution-before-operation",
    rules=["check:contribution-outside-operation"],
    relational="the contribution (focus of the check) or the operation",
)
def _contribution_before_operation(data: DataFiles):
    """Ukraine's contribution to Ocean Shield starts 2005-01-01, before the operation began (2009-08)."""
    contribution = f"<{_CONTRIBUTION}UA-OOS>"
    data.require_type(contribution, NG.Contribution)
    data.replace(contribution, NG.startDate, date("2005-01-01"))
    return [contribution, f"<{_OPERATION}OOS>"]


@fault(
    "contribution-after-operation-ended",
    rules=["check:open-after-end"],
    relational="the contribution (focus of the check) or the operation",
)
def _contribution_after_operation_ended(data: DataFiles):
    """Georgia's contribution to ISAF is given an end of 2016-01-01, after ISAF ended (2014-12)."""
    contribution = f"<{_CONTRIBUTION}GE-ISAF>"
    data.require_type(contribution, NG.Contribution)
    data.replace(contribution, NG.endDate, date("2016-01-01"))
    return [contribution, f"<{_OPERATION}ISAF>"]


@fault(
    "contribution-starts-after-operation-ended",
    rules=["check:contribution-outside-operation"],
    relational="the contribution (focus of the check) or the operation",
)
def _contribution_starts_after_operation_ended(data: DataFiles):
    """Ukraine's contribution to Ocean Shield starts 2017-01-01, after the operation ended (2016-12-15), and ends 2017-06-30."""
    contribution = f"<{_CONTRIBUTION}UA-OOS>"
    data.require_type(contribution, NG.Contribution)
    data.replace(contribution, NG.startDate, date("2017-01-01"))
    data.replace(contribution, NG.endDate, date("2017-06-30"))
    return [contribution, f"<{_OPERATION}OOS>"]


# Issue 28: the checks that would have caught the audit's findings.


@fault(
    "contribution-open-after-operation-ended",
    rules=["check:open-after-end"],
    relational="the contribution (focus of the check) or the operation",
)
def _contribution_open_after_operation_ended(data: DataFiles):
    """Mongolia's contribution to ISAF loses its end (2014-12): open after ISAF ended, as the audit found it."""
    contribution = f"<{_CONTRIBUTION}MN-ISAF>"
    data.require_type(contribution, NG.Contribution)
    data.remove(contribution, NG.endDate)
    return [contribution, f"<{_OPERATION}ISAF>"]


@fault(
    "holdings-open-after-tool-ended",
    rules=["check:open-after-end"],
    relational="each holding of the tool left open, or the tool",
)
def _holdings_open_after_tool_ended(data: DataFiles):
    """The Individual Partnership Action Plans end in 2021-03 (when the ITPP was established), while
    Azerbaijan's, Armenia's, Kazakhstan's, Moldova's and Serbia's IPAPs stay open."""
    data.require_type("ini:IPAP", NG.TailoredProgramme)
    data.add("ini:IPAP", NG.endDate, Literal("2021-03", datatype=XSD.gYearMonth))
    return ["ptn:AZ-IPAP", "ptn:AM-IPAP", "ptn:KZ-IPAP", "ptn:MD-IPAP", "ptn:RS-IPAP", "ini:IPAP"]


@fault(
    "holding-before-partnership",
    rules=["check:programme-without-partnership"],
    relational="the holding (focus of the check) or the country that holds it",
)
def _holding_before_partnership(data: DataFiles):
    """Georgia's SPS holding starts in 1993 (the year only), certainly before its PfP entry (1994-03-23);
    in 1994, as the data has it, it is not reported: the two dates compare at their common precision."""
    data.require_type("ptn:GE-SPS", NG.Participation)
    data.replace("ptn:GE-SPS", NG.startDate, Literal("1993", datatype=XSD.gYear))
    return ["ptn:GE-SPS", "cty:GE"]


@fault(
    "superseded-ipcp-left-open",
    rules=["check:superseded-programme"],
    relational="the superseded holding (focus of the check) or its successor",
)
def _superseded_ipcp_left_open(data: DataFiles):
    """Australia's IPCP loses its end (2023-07), though its ITPP (ini:ITPP ng:replaces ini:IPCP) starts in 2023-07."""
    data.require_type("ptn:AU-IPCP", NG.Participation)
    data.remove("ptn:AU-IPCP", NG.endDate)
    data.remove("ptn:AU-IPCP", NG.endReason)
    return ["ptn:AU-IPCP", "ptn:AU-ITPP"]


@fault(
    "superseded-ipap-left-open",
    rules=["check:superseded-programme"],
    relational="the superseded holding (focus of the check) or its successor",
)
def _superseded_ipap_left_open(data: DataFiles):
    """Georgia's IPAP never ends, though its ANP replaces it (ptn:GE-ANP ng:replaces ptn:GE-IPAP) from
    2008-12-03: the audit's finding."""
    data.require_type("ptn:GE-IPAP", NG.Participation)
    data.remove("ptn:GE-IPAP", NG.endDate)
    data.remove("ptn:GE-IPAP", NG.endReason)
    return ["ptn:GE-IPAP", "ptn:GE-ANP"]


@fault("superseded-ipcp-ends-another-day", rules=["check:superseded-programme"])
def _superseded_ipcp_ends_another_day(data: DataFiles):
    """Japan's IPCP ends in 2023-07 (the month), while its ITPP starts on 2023-07-12: not the same literal."""
    data.require_type("ptn:JP-IPCP", NG.Participation)
    data.replace("ptn:JP-IPCP", NG.endDate, Literal("2023-07", datatype=XSD.gYearMonth))
    return ["ptn:JP-IPCP"]


@fault("summit-without-last-day", rules=["check:event-days"])
def _summit_without_last_day(data: DataFiles):
    """The Strasbourg/Kehl Summit 2009 loses its last day (2009-04-04), as the audit found it recorded: one day."""
    data.require_type("evt:strasbourg-kehl-2009", NG.Summit)
    data.remove("evt:strasbourg-kehl-2009", NG.endDate)
    return ["evt:strasbourg-kehl-2009"]


@fault("summit-last-day-by-month", rules=["check:event-days"])
def _summit_last_day_by_month(data: DataFiles):
    """The Vilnius Summit 2023's last day becomes 2023-07 (a month) after its first day 2023-07-11."""
    data.require_type("evt:vilnius-2023", NG.Summit)
    data.replace("evt:vilnius-2023", NG.endDate, Literal("2023-07", datatype=XSD.gYearMonth))
    return ["evt:vilnius-2023"]


@fault(
    "body-suspended-before-established",
    rules=["check:suspension-outside-participation"],
    relational="the suspension (focus of the check) or the body it suspends",
)
def _body_suspended_before_established(data: DataFiles):
    """The suspension susp:RU-NRC of the NATO-Russia Council starts 2001-01-01, before the Council (2002-05-28)."""
    data.require_type("susp:RU-NRC", NG.Suspension)
    data.replace("susp:RU-NRC", NG.startDate, date("2001-01-01"))
    return ["susp:RU-NRC", "cncl:NRC"]


@fault("body-without-counterpart", rules=["ngsh:BilateralBodyShape-counterpart MinCountConstraintComponent"])
def _body_without_counterpart(data: DataFiles):
    """The NATO-Ukraine Council cncl:NUC-2023 loses its ng:counterpart."""
    data.require_type("cncl:NUC-2023", NG.BilateralBody)
    data.remove("cncl:NUC-2023", NG.counterpart)
    return ["cncl:NUC-2023"]


@fault("contribution-without-operation", rules=["ngsh:ContributionShape-contributionTo MinCountConstraintComponent"])
def _contribution_without_operation(data: DataFiles):
    """Mongolia's contribution to ISAF loses its ng:contributionTo."""
    contribution = f"<{_CONTRIBUTION}MN-ISAF>"
    data.require_type(contribution, NG.Contribution)
    data.remove(contribution, NG.contributionTo)
    return [contribution]


@fault("operation-without-start", rules=["ngsh:OperationShape-startDate MinCountConstraintComponent"])
def _operation_without_start(data: DataFiles):
    """Operation Ocean Shield loses its ng:startDate."""
    operation = f"<{_OPERATION}OOS>"
    data.require_type(operation, NG.Operation)
    data.remove(operation, NG.startDate)
    return [operation]


# -- cardinalities: one value too few or too many, one kind per sh:minCount / sh:maxCount ----------------


def _cardinality(name: str, rule: str, subject: str, cls: str, predicate: Node, *, add: Node | None = None,
                 description: str) -> None:
    """Register a kind that removes every *predicate* of *subject* (``add`` None) or adds the value *add*."""

    def apply(data: DataFiles):
        data.require_type(subject, NG[cls])
        if add is None:
            data.remove(subject, predicate)
        else:
            if not data.objects(subject, predicate):
                raise MutationError(f"{subject} has no {short(predicate)}: adding one would not make two")
            data.add(subject, predicate, add)
        return [subject]

    apply.__doc__ = description
    fault(name, rules=[rule])(apply)


_MIN, _MAX = "MinCountConstraintComponent", "MaxCountConstraintComponent"
for _args in [
    ("country-without-iso-alpha2", f"ngsh:CountryShape-iso3166Alpha2 {_MIN}", "cty:BE", "Country", NG.iso3166Alpha2, None,
     "Country cty:BE loses its ISO alpha-2 code."),
    ("two-iso-alpha2-codes", f"ngsh:CountryShape-iso3166Alpha2 {_MAX}", "cty:BE", "Country", NG.iso3166Alpha2, Literal("BX"),
     "Country cty:BE gets a second ISO alpha-2 code, \"BX\"."),
    ("two-iso-alpha3-codes", f"ngsh:CountryShape-iso3166Alpha3 {_MAX}", "cty:BE", "Country", NG.iso3166Alpha3, Literal("BLX"),
     "Country cty:BE gets a second ISO alpha-3 code, \"BLX\"."),
    ("country-without-wikidata-id", f"ngsh:CountryShape-wikidataId {_MIN}", "cty:NO", "Country", NG.wikidataId, None,
     "Country cty:NO loses its Wikidata id."),
    ("two-wikidata-ids", f"ngsh:CountryShape-wikidataId {_MAX}", "cty:NO", "Country", NG.wikidataId, Literal("Q99999999"),
     "Country cty:NO gets a second Wikidata id, \"Q99999999\"."),
    ("two-approval-dates", f"ngsh:DCBPackageShape-approvalDate {_MAX}", "pkg:GE", "DCBPackage", NG.approvalDate,
     Literal("2015-01", datatype=XSD.gYearMonth), "DCB package pkg:GE gets a second approval date, 2015-01."),
    ("dcb-package-without-initiative", f"ngsh:DCBPackageShape-packageOf {_MIN}", "pkg:GE", "DCBPackage", NG.packageOf, None,
     "DCB package pkg:GE loses its ng:packageOf."),
    ("dcb-package-of-two-initiatives", f"ngsh:DCBPackageShape-packageOf {_MAX}", "pkg:GE", "DCBPackage", NG.packageOf,
     iri("ini:PII"), "DCB package pkg:GE is also ng:packageOf ini:PII, beside ini:DCB."),
    ("dcb-package-with-two-recipients", f"ngsh:DCBPackageShape-recipient {_MAX}", "pkg:GE", "DCBPackage", NG.recipient,
     iri("cty:JO"), "DCB package pkg:GE gets a second recipient, cty:JO."),
    ("listed-item-without-position", f"ngsh:ListedItemShape-listOrder {_MIN}", "obj:2", "StrategicObjective", NG.listOrder, None,
     "Strategic objective obj:2 loses its position in the list."),
    ("listed-item-with-two-positions", f"ngsh:ListedItemShape-listOrder {_MAX}", "obj:2", "StrategicObjective", NG.listOrder,
     Literal(9), "Strategic objective obj:2 gets a second position, 9."),
    ("organisation-without-code", f"ngsh:OrganisationShape-code {_MIN}", "iorg:OSCE", "Organisation", NG.code, None,
     "Organisation iorg:OSCE loses its code."),
    ("organisation-with-two-codes", f"ngsh:OrganisationShape-code {_MAX}", "iorg:OSCE", "Organisation", NG.code,
     Literal("OSZE"), "Organisation iorg:OSCE gets a second code, \"OSZE\"."),
    ("organisation-with-two-wikidata-ids", f"ngsh:OrganisationShape-wikidataId {_MAX}", "iorg:EU", "Organisation",
     NG.wikidataId, Literal("Q99999998"), "Organisation iorg:EU gets a second Wikidata id, \"Q99999998\"."),
    ("two-initiatives-in-one-participation", f"ngsh:ParticipationShape-initiativeIn {_MAX}", "ptn:AU-EOP", "Participation",
     NG.initiativeIn, iri("ini:DCB"), "Participation ptn:AU-EOP is also ng:initiativeIn ini:DCB, beside ini:EOP."),
    ("two-memberships-in-one-participation", f"ngsh:ParticipationShape-membershipIn {_MAX}", "ptn:DE-NATO", "Participation",
     NG.membershipIn, iri("iorg:EU"), "Membership ptn:DE-NATO is also ng:membershipIn iorg:EU, beside iorg:NATO."),
    ("two-frameworks-in-one-participation", f"ngsh:ParticipationShape-partnershipIn {_MAX}", "ptn:JO-MD", "Participation",
     NG.partnershipIn, iri("fw:ICI"), "Participation ptn:JO-MD is also ng:partnershipIn fw:ICI, beside fw:MD."),
    ("structure-without-code", f"ngsh:PartnershipStructureShape-code {_MIN}", "ini:DEEP", "Programme", NG.code, None,
     "Programme ini:DEEP loses its code."),
    ("structure-with-two-codes", f"ngsh:PartnershipStructureShape-code {_MAX}", "ini:DEEP", "Programme", NG.code,
     Literal("DEEP2"), "Programme ini:DEEP gets a second code, \"DEEP2\"."),
    ("count-without-day", f"ngsh:StatedCountShape-countedAsOf {_MIN}", "cnt:ici", "StatedCount", NG.countedAsOf, None,
     "Stated count cnt:ici loses its ng:countedAsOf."),
    ("count-with-two-days", f"ngsh:StatedCountShape-countedAsOf {_MAX}", "cnt:ici", "StatedCount", NG.countedAsOf,
     date("2023-01-01"), "Stated count cnt:ici gets a second day, 2023-01-01."),
    ("count-without-qualifier", f"ngsh:StatedCountShape-qualifier {_MIN}", "cnt:ici", "StatedCount", NG.qualifier, None,
     "Stated count cnt:ici loses its ng:qualifier."),
    ("count-with-two-qualifiers", f"ngsh:StatedCountShape-qualifier {_MAX}", "cnt:ici", "StatedCount", NG.qualifier,
     Literal("approximately"), "Stated count cnt:ici gets a second qualifier, \"approximately\" beside \"exactly\"."),
    ("count-without-sentence", f"ngsh:StatedCountShape-sentence {_MIN}", "cnt:ici", "StatedCount", NG.sourceSentence, None,
     "Stated count cnt:ici loses the sentence it quotes (ng:sourceSentence)."),
    ("count-without-value", f"ngsh:StatedCountShape-statedValue {_MIN}", "cnt:ici", "StatedCount", NG.statedValue, None,
     "Stated count cnt:ici loses its ng:statedValue."),
    ("count-with-two-values", f"ngsh:StatedCountShape-statedValue {_MAX}", "cnt:ici", "StatedCount", NG.statedValue,
     Literal(5), "Stated count cnt:ici gets a second value, 5 beside 4."),
    ("body-with-two-counterparts", f"ngsh:BilateralBodyShape-counterpart {_MAX}", "cncl:NUC-2023", "BilateralBody",
     NG.counterpart, iri("cty:GE"), "The NATO-Ukraine Council cncl:NUC-2023 gets a second counterpart, cty:GE."),
    ("body-without-start", f"ngsh:BilateralBodyShape-startDate {_MIN}", "cncl:NUC-2023", "BilateralBody", NG.startDate,
     None, "The NATO-Ukraine Council cncl:NUC-2023 loses its ng:startDate."),
    ("contribution-to-two-operations", f"ngsh:ContributionShape-contributionTo {_MAX}", "ctb:UA-OOS", "Contribution",
     NG.contributionTo, iri("op:ISAF"), "Ukraine's contribution ctb:UA-OOS is also ng:contributionTo op:ISAF."),
    ("contribution-with-two-contributors", f"ngsh:ContributionShape-contributor {_MAX}", "ctb:UA-OOS", "Contribution",
     NG.contributor, iri("cty:GE"), "Ukraine's contribution ctb:UA-OOS gets a second contributor, cty:GE."),
    ("contribution-without-contributor", f"ngsh:ContributionShape-contributor {_MIN}", "ctb:UA-OOS", "Contribution",
     NG.contributor, None, "Ukraine's contribution ctb:UA-OOS loses its ng:contributor."),
    ("contribution-without-start", f"ngsh:ContributionShape-startDate {_MIN}", "ctb:UA-OOS", "Contribution", NG.startDate,
     None, "Ukraine's contribution ctb:UA-OOS loses its ng:startDate."),
    ("operation-without-code", f"ngsh:OperationShape-code {_MIN}", "op:OOS", "Operation", NG.code, None,
     "Operation op:OOS loses its ng:code."),
    ("operation-with-two-codes", f"ngsh:OperationShape-code {_MAX}", "op:OOS", "Operation", NG.code, Literal("OOS2"),
     "Operation op:OOS gets a second code, \"OOS2\"."),
    ("two-end-dates", f"ngsh:endDate {_MAX}", "ptn:MT-PfP", "Participation", NG.endDate,
     Literal("1997-01", datatype=XSD.gYearMonth),
     "Participation ptn:MT-PfP gets a second end date, 1997-01, beside 1996-10."),
]:
    _cardinality(*_args[:5], add=_args[5], description=_args[6])


@fault("operation-code-with-spaces", rules=["ngsh:OperationShape-code PatternConstraintComponent"])
def _operation_code_with_spaces(data: DataFiles):
    """Operation op:OOS's code is written "O O S" (spaces)."""
    data.require_type("op:OOS", NG.Operation)
    data.replace("op:OOS", NG.code, Literal("O O S"))
    return ["op:OOS"]


@fault("suspension-of-two-participations", rules=[f"ngsh:SuspensionShape-of {_MAX}"])
def _suspension_of_two_participations(data: DataFiles):
    """Suspension susp:BY-PfP is also linked from ptn:RU-PfP (ng:suspension), so two participations claim it."""
    data.require_type("susp:BY-PfP", NG.Suspension)
    data.require_type("ptn:RU-PfP", NG.Participation)
    data.add("ptn:RU-PfP", NG.suspension, iri("susp:BY-PfP"))
    return ["susp:BY-PfP"]


@fault("undated-participation-with-note", rules=["ngsh:ParticipationShape-startDate MinCountConstraintComponent"])
def _undated_participation_with_note(data: DataFiles):
    """Participation ptn:FI-PfP loses its start date but gains an ng:note saying why (only the sh:Info rule applies)."""
    data.require_type("ptn:FI-PfP", NG.Participation)
    data.remove("ptn:FI-PfP", NG.startDate)
    data.add("ptn:FI-PfP", NG.note, Literal("The start date is not known (a mutant of the mutation tests).", lang="en"))
    return ["ptn:FI-PfP"]


# ---------------------------------------------------------------------------
# Judging
# ---------------------------------------------------------------------------


@dataclass
class Outcome:
    fault: Fault
    killed: bool
    focus: tuple[str, ...] = ()  # the resources a kill must name (first: the mutated one)
    rules: tuple[str, ...] = ()  # the rules that fired on those resources at severity violation
    messages: tuple[str, ...] = ()
    detail: str = ""  # why it was not killed
    exit_code: int | None = None
    channel: str = ""
    files: tuple[str, ...] = ()  # the files the mutation changed
    seconds: float = 0.0
    hits: tuple[Finding, ...] = field(default_factory=tuple)  # the violations that kill
    other_violations: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def status(self) -> str:
        return "killed" if self.killed else "SURVIVED"


def judge(fault: Fault, focus: Sequence[str], verdict: Verdict) -> tuple[bool, str, tuple[Finding, ...]]:
    """(killed, why not, the results of a declared rule, at its severity, that name one of *focus* with a message)."""
    wanted = {iri(name) for name in focus}
    on_focus = [f for f in verdict.findings if iri(f.focus) in wanted and f.message.strip()]
    hits = tuple(
        f for f in on_focus
        if any(rule.fired(f) and f.severity == declared_severity(rule) for rule in fault.expected_rules)
    )
    if verdict.exit_code != 1:
        return False, f"exit code {verdict.exit_code}, not 1", hits
    if verdict.json_document is not None:
        doc = verdict.json_document
        if doc.get("conforms") is not False or not doc.get("summary", {}).get(fault.fail_on):
            return False, f"the JSON report does not say: not conforming, with {fault.fail_on}s", hits
    if not hits:
        named = ", ".join(short(iri(n)) for n in focus)
        rules = "; ".join(str(rule) for rule in fault.expected_rules)
        others = sorted({f"{f.focus} [{f.shape} {f.constraint}]" for f in on_focus})
        return False, f"no result of {rules} names {named}; other rules on it: {others or 'none'}", hits
    return True, "", hits


def mutate(fault: Fault) -> tuple[DataFiles, tuple[str, ...]]:
    data = DataFiles.shipped()
    focus = tuple(short(iri(name)) for name in fault.apply(data))
    if not data.modified:
        raise MutationError(f"{fault.name}: the mutation changed no file")
    if not focus:
        raise MutationError(f"{fault.name}: the mutation names no resource to expect")
    return data, focus


def run_fault(
    fault: Fault, *, channel: str | None = None, without: Sequence[Rule] = (), folder: Path | None = None
) -> Outcome:
    """Apply *fault* to a fresh copy of the shipped data, validate, judge. ``MutationError`` propagates.

    *without*: validate against the shipped rules minus these (the knockout; always through the API,
    with only the checks the fault declares). *folder*: write the mutant there (kept: the same bytes
    each time, so a closure cached by content is shared by the runs of one mutant), else in a
    temporary folder.
    """
    channel = "api" if without else channel or ("cli" if fault.via_cli else "api")
    data, focus = mutate(fault)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix=f"natograph-mutant-{fault.name}-") as tmp:
        if folder is None:
            folder = Path(tmp) / "data"
        if not folder.is_dir():
            data.write(folder, note=fault.name)
        try:
            if channel == "cli":
                verdict = validate_cli(folder, fail_on=fault.fail_on)
            elif without:
                declared = [str(rule) for rule in fault.expected_rules if rule.is_check]
                shapes, checks = knocked_out(without, keep_checks=declared)
                verdict = validate_api(folder, fail_on=fault.fail_on, shapes=shapes, checks=checks)
            else:
                verdict = validate_api(folder, fail_on=fault.fail_on)
        except ValidatorCrash as exc:
            return Outcome(
                fault,
                False,
                focus,
                detail=f"validator crashed (not a kill): {exc}",
                channel=channel,
                files=tuple(sorted(data.modified)),
                seconds=time.perf_counter() - started,
            )
    killed, why, hits = judge(fault, focus, verdict)
    hit_set = set(hits)
    return Outcome(
        fault,
        killed,
        focus,
        rules=tuple(sorted({f"{h.shape} {h.constraint}" if h.constraint != "SPARQLCheck" else h.shape for h in hits})),
        messages=tuple(sorted({h.message for h in hits})),
        detail=why,
        exit_code=verdict.exit_code,
        channel=channel,
        files=tuple(sorted(data.modified)),
        seconds=time.perf_counter() - started,
        hits=hits,
        other_violations=tuple(f for f in verdict.violations if f not in hit_set),
    )


_TWICE = """
import json, logging, sys
logging.disable(logging.WARNING)
from natograph.checks.validation import validate
runs = []
for _ in range(2):
    report = validate(paths=[sys.argv[1]], alone=True)
    runs.append(sorted([r.focus, r.severity, r.shape, r.message] for r in report.results))
print(json.dumps(runs))
"""


def validate_twice_in_one_process(fault: Fault) -> tuple[list, list]:
    """Validate *fault*'s mutant twice in ONE fresh Python process; both runs' results (focus, severity, shape, message)."""
    data, _focus = mutate(fault)
    with tempfile.TemporaryDirectory(prefix=f"natograph-twice-{fault.name}-") as tmp:
        folder = Path(tmp) / "data"
        data.write(folder, note=fault.name)
        proc = subprocess.run(
            [sys.executable, "-c", _TWICE, str(folder)],
            capture_output=True,
            text=True,
            cwd=tmp,
            env=cli_environment(),
            timeout=900,
            check=False,
        )
    if proc.returncode != 0:
        raise ValidatorCrash(f"exit code {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    first, second = json.loads(proc.stdout)
    return first, second


def validate_unmutated(*, reserialise: bool = False, channel: str = "api") -> Verdict:
    """Validate an unmutated copy of the data (optionally with every file re-serialised by rdflib)."""
    data = DataFiles.shipped()
    if reserialise:
        data.touch_all()
    with tempfile.TemporaryDirectory(prefix="natograph-unmutated-") as tmp:
        folder = Path(tmp) / "data"
        data.write(folder, note="null mutant" if reserialise else "")
        return validate_cli(folder) if channel == "cli" else validate_api(folder)
