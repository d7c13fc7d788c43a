"""Mutation tests: every fault kind injected into the shipped data must be caught by the rule it names.

See ``mutants.py`` for the kinds and for what "killed" means: a result from one of the fault's declared
rules (a shape and constraint component, or a SPARQL check) on the mutated resource. A known survivor
is marked xfail(strict=True): it fails the suite the day the validator starts catching it, so the mark
can go. Run the whole set with a summary: ``python tests/mutations/run_mutations.py``.

The knockout: each mutant is validated again with each of its declared rules removed (a check left
out, or one constraint taken out of a shape). Aimed at that rule alone, it must then survive; with
another declared rule, it must still be killed by that one. Together with the coverage test below,
every SPARQL check and every sh:pattern of a named shape has a mutant that survives without it. The
runs of one mutant are adjacent tests on the same files, so they share one closure (see conftest.py).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from natograph.checks.rules import load_checks

from .mutants import (
    FAULTS,
    DataFiles,
    Rule,
    cli_environment,
    fault_named,
    mutate,
    run_fault,
    shipped_shapes,
    validate_twice_in_one_process,
    validate_unmutated,
)

HERE = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _quiet_rdflib():
    """Ill-typed literals are the point of some mutants: rdflib's conversion warnings are noise here."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


def _cases():
    """Per fault: the full run, then one knockout per declared rule, then (several rules) all knocked out.

    Each run validates the whole mutated data (seconds): slow. The runs of one fault are one xdist
    group, so they run in turn in one worker and share the mutant's files and closure.
    """
    for f in FAULTS:
        group = [pytest.mark.slow, pytest.mark.xdist_group(f"mutant-{f.name}")]
        marks = [pytest.mark.xfail(strict=True, reason=f"survivor: {f.survivor}")] if f.survivor else []
        yield pytest.param(f, (), id=f.name, marks=[*group, *marks])
        if f.survivor:
            continue
        for rule in f.expected_rules:
            yield pytest.param(f, (rule,), id=f"{f.name}/without {rule}", marks=group)
        if len(f.expected_rules) > 1:
            yield pytest.param(f, f.expected_rules, id=f"{f.name}/without any of its rules", marks=group)


# ---------------------------------------------------------------------------
# The set of kinds, and the baseline
# ---------------------------------------------------------------------------


def test_at_least_30_distinct_kinds():
    names = [f.name for f in FAULTS]
    assert len(names) >= 30, f"only {len(names)} fault kinds"
    assert len(set(names)) == len(names)
    assert all(f.description for f in FAULTS), "every kind says what it does"
    assert sum(f.via_cli for f in FAULTS) >= 3, "at least 3 kinds go through the real CLI"
    assert sum(not f.via_cli for f in FAULTS) > len(FAULTS) // 2, "most kinds go through the Python API"


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_mutation_applies(fault):
    """Each mutation finds its target in the shipped data and changes the graph (cheap: no validation)."""
    pristine = DataFiles.shipped()
    data, focus = mutate(fault)
    assert focus
    assert len(focus) == 1 or fault.relational, "a kind that accepts several resources says which (relational=...)"
    assert data.modified
    changed = [name for name in data.graphs if set(data.graphs[name]) != set(pristine.graphs[name])]
    assert changed, "the mutation left every graph as it was"
    assert set(changed) <= data.modified


@pytest.mark.slow  # validates the whole data
def test_unmutated_data_passes():
    """The baseline: an unmutated copy, validated alone, has no violation (exit 0)."""
    verdict = validate_unmutated()
    assert verdict.exit_code == 0
    assert verdict.violations == (), verdict.violations


@pytest.mark.slow  # validates the whole data
def test_unmutated_data_passes_through_the_cli():
    verdict = validate_unmutated(channel="cli")
    assert verdict.exit_code == 0
    assert verdict.violations == ()
    assert verdict.json_document["summary"]["violation"] == 0


@pytest.mark.slow  # validates the whole data
def test_reserialised_data_passes():
    """The null mutant: every file re-serialised by rdflib, nothing changed. Any violation in a mutant is the fault's."""
    verdict = validate_unmutated(reserialise=True)
    assert verdict.exit_code == 0
    assert verdict.violations == (), verdict.violations


# ---------------------------------------------------------------------------
# One test per kind
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault, without", list(_cases()))
def test_fault_is_killed_by_its_rule(fault, without, mutant_folder, forget_other_mutants):
    forget_other_mutants(fault.name)
    outcome = run_fault(fault, without=without, folder=mutant_folder(fault))
    remaining = [rule for rule in fault.expected_rules if rule not in without]
    if without and not remaining:
        # The knockout: without the rule(s) it is aimed at, the mutant survives: the named rule is what works.
        assert not outcome.killed, (
            f"{fault.name} is still killed without {'; '.join(map(str, without))}: by {outcome.rules}"
        )
        assert outcome.detail
        return
    assert outcome.killed, (
        f"SURVIVED {fault.name} ({fault.description}) via {outcome.channel}: {outcome.detail}; "
        f"expected a result on {', '.join(outcome.focus)}"
        + (f" ({fault.relational})" if fault.relational else "")
        + f" from {'; '.join(map(str, remaining))}"
        + (f" (knocked out: {'; '.join(map(str, without))})" if without else "")
    )
    assert outcome.exit_code == 1
    assert outcome.rules and all(m.strip() for m in outcome.messages)
    assert all(any(rule.fired(h) for rule in remaining) for h in outcome.hits)
    if outcome.channel == "cli":
        # End to end: the JSON report also says where the fault is written (the mutated file, a line in it).
        assert any(Path(h.file).name in outcome.files and h.line > 0 for h in outcome.hits), outcome.hits


# ---------------------------------------------------------------------------
# Which rules the mutants cover
# ---------------------------------------------------------------------------


def _named_constraints(*components: str) -> set[Rule]:
    """Every (named shape, component) in the shipped shapes that holds one of *components*' parameters."""
    from rdflib import URIRef
    from rdflib.namespace import SH

    from natograph.graph.namespaces import SHAPES

    parameter = {
        "PatternConstraintComponent": SH.pattern,
        "MinCountConstraintComponent": SH.minCount,
        "MaxCountConstraintComponent": SH.maxCount,
    }
    shapes = shipped_shapes()
    found = set()
    for component in components:
        for shape in shapes.subjects(parameter[component], None):
            if isinstance(shape, URIRef) and str(shape).startswith(str(SHAPES)):
                found.add(Rule("ngsh:" + str(shape)[len(str(SHAPES)) :], component))
    return found


def _aimed_alone() -> set[Rule]:
    """The rules some mutant is aimed at alone (so the knockout shows it survives without that rule)."""
    return {f.expected_rules[0] for f in FAULTS if len(f.expected_rules) == 1 and not f.survivor}


# Cardinalities no mutant is aimed at yet: each entry is a gap to close with a mutant (and must go then).
CARDINALITY_GAPS: set[Rule] = set()


def test_every_check_has_a_mutant_aimed_at_it_alone():
    checks = {Rule(f"check:{c.name}") for c in load_checks()}
    missing = sorted(str(rule) for rule in checks - _aimed_alone())
    assert not missing, f"SPARQL checks no mutant is aimed at alone: {missing}"


def test_every_pattern_of_a_named_shape_has_a_mutant_aimed_at_it_alone():
    missing = sorted(str(rule) for rule in _named_constraints("PatternConstraintComponent") - _aimed_alone())
    assert not missing, f"sh:pattern constraints no mutant is aimed at alone: {missing}"


def test_every_cardinality_has_a_mutant_or_is_a_listed_gap():
    cardinalities = _named_constraints("MinCountConstraintComponent", "MaxCountConstraintComponent")
    covered = {rule for f in FAULTS for rule in f.expected_rules}
    missing = sorted(str(rule) for rule in cardinalities - covered - CARDINALITY_GAPS)
    assert not missing, f"sh:minCount / sh:maxCount constraints no mutant is aimed at: {missing}"
    closed = sorted(str(rule) for rule in CARDINALITY_GAPS & covered)
    assert not closed, f"covered now, remove from CARDINALITY_GAPS: {closed}"


def test_every_declared_rule_exists():
    """A declared rule names a real check, or a named shape that holds that constraint component."""
    from natograph.graph.namespaces import SHAPES

    from .mutants import _PARAMETERS

    checks = {f"check:{c.name}" for c in load_checks()}
    shapes = shipped_shapes()
    from rdflib.namespace import SH

    for f in FAULTS:
        assert f.expected_rules, f"{f.name} declares no rule"
        for rule in f.expected_rules:
            if rule.is_check:
                assert rule.shape in checks, f"{f.name}: no such check {rule}"
                continue
            shape = SHAPES[rule.shape[len("ngsh:") :]]
            held = [name for name in _PARAMETERS.get(rule.constraint, ()) if (shape, SH[name], None) in shapes]
            assert held, f"{f.name}: {rule.shape} holds no {rule.constraint}"


# ---------------------------------------------------------------------------
# What mutation testing found about the validator itself
# ---------------------------------------------------------------------------


@pytest.mark.slow  # validates the whole data
def test_validation_is_the_same_twice_in_one_process():
    """owlrl swaps rdflib's xsd:gYear/gYearMonth converters; the shapes' patterns make the verdict independent of that."""
    first, second = validate_twice_in_one_process(fault_named("malformed-year-month"))
    assert first == second


# ---------------------------------------------------------------------------
# The runner script
# ---------------------------------------------------------------------------


def run_runner(cwd: Path, *args: str, timeout: int) -> subprocess.CompletedProcess:
    """The runner script as a user starts it, from *cwd* (any folder)."""
    return subprocess.run(
        [sys.executable, str(HERE / "run_mutations.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=cli_environment(),
        timeout=timeout,
        check=False,
    )


def test_runner_lists_the_kinds(tmp_path):
    proc = run_runner(tmp_path, "--list", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(FAULTS)} fault kinds" in proc.stdout


@pytest.mark.slow  # validates the whole data
def test_runner_runs_a_kind_from_any_directory(tmp_path):
    proc = run_runner(tmp_path, "--no-baseline", "missing-french-label", timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "killed    missing-french-label" in proc.stdout
    assert "kill rate: 1/1 (100%)" in proc.stdout
