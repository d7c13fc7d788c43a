"""The SHACL shapes and the SPARQL checks, rule by rule, on small fixtures.

``tests/fixtures/shapes/<NodeShape>/`` (one folder per node shape, e.g. ``CountryShape``) and
``tests/fixtures/shapes/check-<name>/`` (one per ``queries/checks/<name>-violation.rq``) hold small
Turtle files, each validated alone, against the ontology only: ``natograph.validate([file], alone=True)``.

- ``valid-*.ttl``: no violation and no warning; an info only from a rule declared ``sh:Info``.
- ``invalid-NN-<reason>.ttl``: the file begins with one or more lines
      ``# expect: <shape or check> <constraint component or SPARQLCheck> <focus>``
  (``# expect: ngsh:CountryShape-iso3166Alpha2 PatternConstraintComponent cty:XA``,
  ``# expect: check:start-after-end SPARQLCheck ptn:XA-PfP``). Each line must be matched by a result
  with that shape, constraint and focus, a message, and the severity the rule declares; and the lines
  are the exact set: a result (of any severity) that no line names fails the fixture.
  The focus ``_:`` stands for any blank node. The constraint ``*`` stands for any constraint of the
  shape: it is only for a gap whose fix (and so whose constraint) is not decided yet.

A known gap keeps its fixture and is marked ``xfail(strict=True)`` in ``GAPS`` below: when the shape is
fixed the test passes, strict xfail turns that into a failure, and the entry must go.

Each fixture is validated once per session (about a second: owlrl's closure of the ontology and the
parsing of the twelve checks). The fixtures the selected tests need are validated up front, in
parallel worker processes where the platform forks; ``NATOGRAPH_TEST_JOBS=1`` validates them in turn.
Under pytest-xdist each report is computed by the first worker that needs it and shared with the
others (``computed_once`` in ``conftest.py``).
"""

from __future__ import annotations

import multiprocessing
import os
import re
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SH

import natograph
from natograph.checks.results import ValidationReport, ValidationResult
from natograph.checks.rules import load_checks, shapes_graph
from natograph.graph.namespaces import SHAPES

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"
FILES = sorted(FIXTURES.glob("*/*.ttl"))

_EXPECT = re.compile(r"^# expect: (\S+) (\S+) (\S+)\s*$")
_PREFIXED_OR_IRI = re.compile(r"^(<[^>]*>|[A-Za-z][\w.-]*:\S*)$")
_SEVERITY = {SH.Violation: "violation", SH.Warning: "warning", SH.Info: "info"}

# Invalid fixtures that do not fire today: real gaps in the shapes. Each stays here only until its
# shape is fixed (strict xfail fails as soon as the fixture fires).
GAPS: dict[str, str] = {}


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _params(*, with_gaps: bool) -> list:
    params = []
    for path in FILES:
        marks = []
        if with_gaps and fixture_id(path) in GAPS:
            marks = [pytest.mark.xfail(strict=True, reason=GAPS[fixture_id(path)])]
        params.append(pytest.param(path, id=fixture_id(path), marks=marks))
    return params


# ---------------------------------------------------------------------------
# Reading the fixtures
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    shape: str
    constraint: str
    focus: str

    def __str__(self) -> str:
        return f"{self.shape} {self.constraint} {self.focus}"

    def matches(self, result: ValidationResult) -> bool:
        if result.shape != self.shape:
            return False
        if self.constraint != "*" and result.constraint != self.constraint:
            return False
        if self.focus == "_:":
            return is_blank(result.focus)
        return result.focus == self.focus


def is_blank(focus: str) -> bool:
    """A report names an IRI as ``prefix:local`` or ``<iri>``; anything else is a blank node."""
    return not _PREFIXED_OR_IRI.match(focus)


def expectations(path: Path) -> list[Expectation]:
    """The ``# expect:`` lines of the comment block that opens the file."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _EXPECT.match(line)
        if match:
            found.append(Expectation(*match.groups()))
    return found


def block_starts(path: Path) -> dict[str, int]:
    """Subject token (as written, ``cty:XA`` or ``<iri>``) -> line of the first block it starts."""
    starts: dict[str, int] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line or line[0].isspace() or line.startswith(("#", "@")):
            continue
        starts.setdefault(line.split()[0], number)
    return starts


@cache
def declared_severity() -> dict[str, str]:
    """Every named shape (``ngsh:...``) and check (``check:...``) -> the severity it declares."""
    shapes = shapes_graph()
    severities = {}
    for kind in (SH.NodeShape, SH.PropertyShape):
        for shape in shapes.subjects(RDF.type, kind):
            if isinstance(shape, URIRef) and str(shape).startswith(str(SHAPES)):
                name = "ngsh:" + str(shape)[len(str(SHAPES)) :]
                severities[name] = _SEVERITY.get(shapes.value(shape, SH.severity), "violation")
    for check in load_checks():
        severities[f"check:{check.name}"] = check.severity
    return severities


def node_shapes() -> list[str]:
    shapes = shapes_graph()
    return sorted(
        str(s)[len(str(SHAPES)) :]
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and str(s).startswith(str(SHAPES))
    )


def property_shapes() -> list[str]:
    shapes = shapes_graph()
    return sorted(
        "ngsh:" + str(s)[len(str(SHAPES)) :]
        for s in shapes.subjects(RDF.type, SH.PropertyShape)
        if isinstance(s, URIRef) and str(s).startswith(str(SHAPES))
    )


def describe(results) -> str:
    return (
        "\n".join(f"  {r.severity} {r.focus} [{r.shape} {r.constraint}] {r.path} {r.value!r}: {r.message}" for r in results)
        or "  (no results)"
    )


# ---------------------------------------------------------------------------
# Validating each fixture once
# ---------------------------------------------------------------------------

_REPORTS: dict[Path, object] = {}


def _validate(path: Path):
    """The report, or the traceback as text (an exception may not survive the trip back from a worker)."""
    try:
        return natograph.validate([path], alone=True)
    except Exception:
        return traceback.format_exc()


def _jobs() -> int:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return 1  # a worker runs only some of the tests: the workers are the parallelism
    explicit = os.environ.get("NATOGRAPH_TEST_JOBS", "").strip()
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    return os.cpu_count() or 1


@pytest.fixture(scope="module")
def report_of(request, computed_once):
    """``report_of(path)``: the fixture's validation report, computed once per session."""
    wanted = sorted(
        {
            value
            for item in request.session.items
            for value in getattr(getattr(item, "callspec", None), "params", {}).values()
            if isinstance(value, Path) and value.parent.parent == FIXTURES and value not in _REPORTS
        }
    )
    jobs = min(_jobs(), len(wanted))
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for path, outcome in zip(wanted, pool.map(_validate, wanted), strict=True):
                _REPORTS[path] = outcome

    def get(path: Path) -> ValidationReport:
        if path not in _REPORTS:
            _REPORTS[path] = computed_once(("validate alone", str(path)), lambda: _validate(path))
        outcome = _REPORTS[path]
        if isinstance(outcome, str):
            pytest.fail(f"validate([{fixture_id(path)}], alone=True) raised:\n{outcome}")
        return outcome

    return get


# ---------------------------------------------------------------------------
# The rules, fixture by fixture
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fixture_file", _params(with_gaps=True))
def test_fixture(fixture_file: Path, report_of) -> None:
    report = report_of(fixture_file)
    severity = declared_severity()
    if fixture_file.name.startswith("valid"):
        failing = [r for r in report.results if r.severity in ("violation", "warning")]
        assert not failing, f"a valid fixture must raise no violation or warning:\n{describe(failing)}"
        stray = [r for r in report.results if severity.get(r.shape) != "info"]
        assert not stray, f"only a rule declared sh:Info may report on a valid fixture:\n{describe(stray)}"
        return
    expected = expectations(fixture_file)
    assert expected, "an invalid fixture starts with at least one '# expect:' line"
    for expectation in expected:
        hits = [r for r in report.results if expectation.matches(r)]
        assert hits, f"expected {expectation}; the fixture gave:\n{describe(report.results)}"
        for result in hits:
            assert result.message.strip(), f"{expectation}: the result has no message"
            assert result.severity == severity[expectation.shape], (
                f"{expectation}: severity {result.severity}, the rule declares {severity[expectation.shape]}"
            )
    # The exact set: every result the fixture gives is one it expects (none unrelated, whatever the severity).
    unexpected = [r for r in report.results if not any(e.matches(r) for e in expected)]
    assert not unexpected, f"results no '# expect:' line names:\n{describe(unexpected)}"


@pytest.mark.parametrize("fixture_file", _params(with_gaps=False))
def test_results_point_at_the_focus_block(fixture_file: Path, report_of) -> None:
    """Each result written in the fixture names the fixture and the line where its focus's block starts."""
    report = report_of(fixture_file)
    starts = block_starts(fixture_file)
    text = fixture_file.read_text(encoding="utf-8")
    for expectation in expectations(fixture_file):
        if expectation.focus != "_:" and expectation.focus not in starts:
            # A result may fall on a resource the fixture only names (the target of a dangling reference).
            assert expectation.focus in text, f"{expectation}: the focus is neither a block nor named in the fixture"
    for result in report.results:
        if result.focus not in starts:
            continue
        where = (Path(result.file).resolve() if result.file else None, result.line)
        assert where == (fixture_file, starts[result.focus]), (
            f"{result.focus} [{result.shape}]: reported at {result.file}:{result.line}, "
            f"its block starts at line {starts[result.focus]}"
        )


# ---------------------------------------------------------------------------
# Coverage and hygiene of the fixtures themselves
# ---------------------------------------------------------------------------


def test_every_node_shape_and_check_has_fixtures() -> None:
    """Adding a node shape or a check without valid and invalid fixtures fails here."""
    folders = [*node_shapes(), *(f"check-{c.name}" for c in load_checks())]
    missing = []
    for folder in folders:
        names = [p.name for p in (FIXTURES / folder).glob("*.ttl")]
        if not any(n.startswith("valid-") for n in names):
            missing.append(f"{folder}/valid-01.ttl")
        if not any(n.startswith("invalid-") for n in names):
            missing.append(f"{folder}/invalid-01-<reason>.ttl")
    assert not missing, "missing fixtures:\n  " + "\n  ".join(missing)
    strays = sorted({p.parent.name for p in FILES} - set(folders))
    assert not strays, f"fixture folders that name no node shape or check: {strays}"


def test_every_property_shape_is_expected_by_a_fixture() -> None:
    """Each named property shape fires in at least one invalid fixture (ngsh:labels, ngsh:Country-...)."""
    named = {e.shape for path in FILES for e in expectations(path)}
    unexercised = [s for s in property_shapes() if s not in named]
    assert not unexercised, f"property shapes no '# expect:' line names: {unexercised}"


@pytest.mark.parametrize("fixture_file", _params(with_gaps=False))
def test_fixture_header(fixture_file: Path) -> None:
    """Names follow valid-NN / invalid-NN-<reason>; every '# expect:' line is well-formed and names a known rule."""
    assert re.fullmatch(r"(valid-\d\d(-[a-z0-9-]+)?|invalid-\d\d-[a-z0-9-]+)\.ttl", fixture_file.name)
    header = []
    for line in fixture_file.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    assert header, "a fixture opens with a comment saying what it shows"
    written = [line for line in header if line.startswith("# expect")]
    assert all(_EXPECT.match(line) for line in written), f"malformed: {written}"
    expected = expectations(fixture_file)
    if fixture_file.name.startswith("valid"):
        assert not expected, "a valid fixture expects nothing"
        return
    assert expected, "an invalid fixture opens with '# expect: <shape> <constraint> <focus>'"
    known = declared_severity()
    for e in expected:
        assert e.shape in known, f"{e}: no such shape or check"
        if e.shape.startswith("check:"):
            assert e.constraint == "SPARQLCheck", f"{e}: a check's constraint is SPARQLCheck"
        else:
            assert e.constraint == "*" or e.constraint.endswith("ConstraintComponent"), f"{e}: constraint?"
        assert e.focus == "_:" or _PREFIXED_OR_IRI.match(e.focus), f"{e}: focus as prefix:local or <iri>"
    folder = fixture_file.parent.name
    if folder.startswith("check-"):
        assert any(e.shape == f"check:{folder[len('check-') :]}" for e in expected), "expects its own check"
    else:
        own = f"ngsh:{folder}"
        shared = {"ngsh:labels", "ngsh:source", "ngsh:startDate", "ngsh:endDate"}
        assert any(e.shape == own or e.shape.startswith(own + "-") or e.shape in shared for e in expected), (
            f"expects a rule of {own}"
        )


def test_gaps_name_existing_fixtures() -> None:
    stale = sorted(set(GAPS) - {fixture_id(p) for p in FILES})
    assert not stale, f"GAPS entries without a fixture: {stale}"


# ---------------------------------------------------------------------------
# The shapes themselves, and the shipped graph
# ---------------------------------------------------------------------------


# SHACL Core's constraint parameters (SHACL §4); a shape that holds one reports results under its name.
_PARAMETERS = frozenset(
    SH[name]
    for name in (
        "class datatype nodeKind minCount maxCount minExclusive minInclusive maxExclusive maxInclusive minLength"
        " maxLength pattern languageIn uniqueLang equals disjoint lessThan lessThanOrEquals not and or xone node"
        " qualifiedValueShape qualifiedMinCount qualifiedMaxCount closed hasValue in sparql"
    ).split()
)


def constraints_without_message(shapes: Graph) -> list[str]:
    """Shapes that hold a constraint but no sh:message of their own, as "shape: parameters".

    A shape reports its own results (SHACL §3.6.2: the result's sh:sourceShape) when it is a declared
    sh:NodeShape or sh:PropertyShape, or a property shape of one (sh:property, recursively). Shapes that
    are only operands of sh:or / sh:xone / sh:and / sh:not / sh:node report nothing under their own name:
    the operator's shape does, with its message. An sh:sparql constraint (a check) needs its own
    sh:message, which SHACL-SPARQL fills from each row; its node shape then needs none (pySHACL would
    add the shape's to every result of the constraint).
    """
    reporting = {s for kind in (SH.NodeShape, SH.PropertyShape) for s in shapes.subjects(RDF.type, kind)}
    todo = list(reporting)
    while todo:
        for child in shapes.objects(todo.pop(), SH.property):
            if child not in reporting:
                reporting.add(child)
                todo.append(child)
    missing = []
    for shape in reporting:
        held = sorted(p.n3(shapes.namespace_manager) for p in _PARAMETERS - {SH.sparql} if (shape, p, None) in shapes)
        messages = [m for m in shapes.objects(shape, SH.message) if str(m).strip()]
        if held and not messages:
            missing.append(f"{shape.n3(shapes.namespace_manager)}: {', '.join(held)}")
        for sparql in shapes.objects(shape, SH.sparql):
            if not any(str(m).strip() for m in shapes.objects(sparql, SH.message)):
                missing.append(f"{shape.n3(shapes.namespace_manager)}: sh:sparql without sh:message")
    return sorted(missing)


def shapes_files_graph() -> Graph:
    """The shapes files as written, read by rdflib (not pySHACL's report, which always has a message)."""
    from natograph.graph import resources

    graph = Graph()
    for path in resources.shapes_files():
        graph.parse(path, format="turtle")
    return graph


def test_every_constraint_has_its_own_message() -> None:
    missing = constraints_without_message(shapes_files_graph())
    assert not missing, "constraints without an sh:message of their own shape:\n  " + "\n  ".join(missing)


def test_a_constraint_without_message_is_found() -> None:
    """The test above has teeth: a node shape's sh:nodeKind without sh:message, and a property shape without one."""
    shapes = shapes_files_graph()
    country = SHAPES["CountryShape"]
    alpha2 = SHAPES["CountryShape-iso3166Alpha2"]
    shapes.remove((country, SH.message, None))
    shapes.remove((alpha2, SH.message, None))
    found = constraints_without_message(shapes)
    assert any(line.startswith("ngsh:CountryShape:") and "sh:nodeKind" in line for line in found), found
    assert any(line.startswith("ngsh:CountryShape-iso3166Alpha2:") and "sh:pattern" in line for line in found), found


def test_every_message_is_in_english() -> None:
    shapes = shapes_files_graph()
    untagged = sorted(str(m) for m in shapes.objects(None, SH.message) if getattr(m, "language", None) != "en")
    assert not untagged, f"sh:message values without @en: {untagged}"


def test_shapes_pass_meta_shacl() -> None:
    """The shapes validate against the SHACL shapes for SHACL (pySHACL's meta_shacl)."""
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError

    try:
        shacl_validate(Graph(), shacl_graph=shapes_graph(), meta_shacl=True)
    except ReportableRuntimeError as exc:
        pytest.fail(f"the shapes fail meta-SHACL:\n{exc}")


def test_meta_shacl_rejects_a_broken_shape() -> None:
    """The meta-SHACL check above has teeth: a minCount that is not an integer is refused."""
    from pyshacl import validate as shacl_validate
    from pyshacl.errors import ReportableRuntimeError

    broken = shapes_graph()
    broken.parse(
        data="""
            @prefix ngsh: <https://w3id.org/natograph/shapes#> .
            @prefix sh: <http://www.w3.org/ns/shacl#> .
            ngsh:labels sh:minCount "two" .
        """,
        format="turtle",
    )
    with pytest.raises(ReportableRuntimeError, match="MetaSHACL"):
        shacl_validate(Graph(), shacl_graph=broken, meta_shacl=True)


def test_shipped_graph_validates() -> None:
    report = natograph.validate()
    failing = [r for r in report.results if r.severity in ("violation", "warning")]
    assert not failing, "the shipped graph must have no violation and no warning:\n" + "\n".join(
        f"  {r.file}:{r.line}: {r.severity} {r.focus} [{r.shape} {r.constraint}]: {r.message}" for r in failing
    )
    severity = declared_severity()
    stray = [r for r in report.results if severity.get(r.shape) != "info"]
    assert not stray, f"infos from rules not declared sh:Info:\n{describe(stray)}"


# ---------------------------------------------------------------------------
# One source: the checks are in the shapes, queries/checks/ is generated from them
# ---------------------------------------------------------------------------


def test_check_files_are_generated_from_the_shapes() -> None:
    """queries/checks/<name>-violation.rq is each check's query as the shapes give it, and nothing else:
    after editing a check, `python -m natograph.checks.checkfiles` writes them again."""
    from natograph.checks import checkfiles

    found = checkfiles.differences()
    assert not found, "queries/checks/ differs from the shapes (run python -m natograph.checks.checkfiles):\n  " + \
        "\n  ".join(found)


def test_a_check_file_that_drifts_is_found(tmp_path) -> None:
    """The test above has teeth: an edited, a missing and a stray file are each named."""
    from natograph.checks import checkfiles

    assert checkfiles.write(tmp_path) and checkfiles.differences(tmp_path) == []
    (tmp_path / "start-after-end-violation.rq").write_text("SELECT * WHERE {} ORDER BY ?x\n", encoding="utf-8")
    (tmp_path / "future-date-violation.rq").unlink()
    (tmp_path / "old-rule-violation.rq").write_text("SELECT * WHERE {} ORDER BY ?x\n", encoding="utf-8")
    assert checkfiles.differences(tmp_path) == [
        "future-date-violation.rq: missing",
        "start-after-end-violation.rq: differs from its shape",
        "old-rule-violation.rq: no check generates it",
    ]
    checkfiles.write(tmp_path)
    assert checkfiles.differences(tmp_path) == [] and not (tmp_path / "old-rule-violation.rq").exists()


def test_every_check_is_a_named_shape_with_one_sparql_constraint() -> None:
    """A check is check:<name> with one sh:sparql, a summary and a target; its query binds $this."""
    from natograph.checks.constraints import CHECKS, sparql_shapes

    shapes = shapes_files_graph()
    names = sparql_shapes(shapes)
    assert {str(s)[len(str(CHECKS)):] for s in names} == {c.name for c in load_checks()}
    for check in load_checks():
        assert check.summary and check.message, check.name
        assert re.search(r"\$this\s+(\S+)\s", check.text), f"{check.name}: $this is bound by a triple pattern"
