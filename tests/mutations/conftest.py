"""Sharing for the mutation tests: one closure per distinct mutant.

A mutant is validated once with every rule, then again with each of its declared rules knocked out.
Its files are written once per session (``mutant_folder``), so every run reads the same bytes and
natograph's store, keyed by content, builds its closure once: a knockout run costs the SHACL and
check runs, not a second closure. ``forget_other_mutants`` drops the engines of earlier mutants from
the process when a new mutant starts, so memory does not grow with the number of mutants.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def mutant_folder(tmp_path_factory):
    """``mutant_folder(fault)``: a folder for the fault's mutant, the same one for all its runs in the session."""
    root = tmp_path_factory.mktemp("mutants")

    def folder(fault) -> Path:
        return root / fault.name / "data"

    return folder


@pytest.fixture
def forget_other_mutants():
    """Call with a fault's name: when it differs from the last one, the process forgets the engines it opened."""
    from natograph.graph.store import opening

    def forget(name: str) -> None:
        if getattr(forget_other_mutants, "last", None) != name and hasattr(opening, "forget"):
            opening.forget()
        forget_other_mutants.last = name

    return forget
