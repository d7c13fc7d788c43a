"""Mutation tests: every fault kind injected into the shipped data must be caught by validation.

See ``mutants.py`` for the kinds and for what "killed" means. A known survivor is marked
xfail(strict=True): it fails the suite the day the validator starts catching it, so the mark
can go. Run the whole set with a summary: ``python tests/mutations/run_mutations.py``.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from .mutants import (
    FAULTS,
    DataFiles,
    cli_environment,
    fault_named,
    mutate,
    run_fault,
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


def _params():
    for f in FAULTS:
        marks = [pytest.mark.xfail(strict=True, reason=f"survivor: {f.survivor}")] if f.survivor else []
        yield pytest.param(f, id=f.name, marks=marks)


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


def test_unmutated_data_passes():
    """The baseline: an unmutated copy, validated alone, has no violation (exit 0)."""
    verdict = validate_unmutated()
    assert verdict.exit_code == 0
    assert verdict.violations == (), verdict.violations


def test_unmutated_data_passes_through_the_cli():
    verdict = validate_unmutated(channel="cli")
    assert verdict.exit_code == 0
    assert verdict.violations == ()
    assert verdict.json_document["summary"]["violation"] == 0


def test_reserialised_data_passes():
    """The null mutant: every file re-serialised by rdflib, nothing changed. Any violation in a mutant is the fault's."""
    verdict = validate_unmutated(reserialise=True)
    assert verdict.exit_code == 0
    assert verdict.violations == (), verdict.violations


# ---------------------------------------------------------------------------
# One test per kind
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("fault", list(_params()))
def test_fault_is_killed(fault):
    outcome = run_fault(fault)
    assert outcome.killed, (
        f"SURVIVED {fault.name} ({fault.description}) via {outcome.channel}: {outcome.detail}; "
        f"expected a violation on {', '.join(outcome.focus)}"
        + (f" ({fault.relational})" if fault.relational else "")
        + (f" from {', '.join(fault.expected_rules)}" if fault.expected_rules else "")
    )
    assert outcome.exit_code == 1
    assert outcome.rules and all(m.strip() for m in outcome.messages)
    if outcome.channel == "cli":
        # End to end: the JSON report also says where the fault is written (the mutated file, a line in it).
        assert any(Path(h.file).name in outcome.files and h.line > 0 for h in outcome.hits), outcome.hits


# ---------------------------------------------------------------------------
# What mutation testing found about the validator itself
# ---------------------------------------------------------------------------


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


def test_runner_runs_a_kind_from_any_directory(tmp_path):
    proc = run_runner(tmp_path, "--no-baseline", "missing-french-label", timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "killed    missing-french-label" in proc.stdout
    assert "kill rate: 1/1 (100%)" in proc.stdout
