"""Helpers shared by the maintainer's-loop and diff tests: a copy of the checkout to edit, an exact
edit, the CLI run in process, and no root leaking in from the environment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from natograph.cli import main
from natograph.graph import resources


def checkout(folder: Path) -> Path:
    """A copy of the project's ontology, data and queries: what a clone holds."""
    source = resources.installed_root()
    folder.mkdir(parents=True, exist_ok=True)
    for part in ("ontology", "data", "queries"):
        shutil.copytree(source / part, folder / part)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path} no longer holds {old!r}: update the test"
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _no_root_from_the_environment(monkeypatch):
    monkeypatch.delenv(resources.ENV_VAR, raising=False)
    yield
    resources.use_root(None)
