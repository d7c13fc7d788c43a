"""ruff is clean on the whole repository, and natograph/ keeps its layers (both set in pyproject.toml)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", str(ROOT)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` with the contracts of *root*'s pyproject.toml, on *root*'s natograph package
    (not an installed copy), in this interpreter."""
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([sys.executable, "-c", code, "--no-cache", "--no-logo", str(root / "pyproject.toml")],
                          capture_output=True, text=True, cwd=root, env=env, timeout=300)


def test_the_import_contracts_hold():
    """The layers of natograph/ (pyproject.toml, [tool.importlinter]): no import goes up a layer, the
    server and the release do not know each other, no folder holds an import cycle."""
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout, done.stdout


def test_the_import_contracts_catch_a_wrong_way_import(tmp_path):
    """The contracts have teeth: in a copy of the package, an upward import (the graph importing the
    CLI), an import across (the release importing the server) and a cycle (two modules of the graph
    importing each other, inside a function as lazy imports are) each break their contract."""
    shutil.copytree(ROOT / "natograph", tmp_path / "natograph", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    plant = {
        "graph/terms.py": "\n\ndef _upward():\n    from ..cli import main\n\n    return main\n",
        "publish/site.py": "\n\ndef _across():\n    from ..web import app\n\n    return app\n",
        "graph/namespaces.py": "\n\ndef _round():\n    from . import terms\n\n    return terms\n",
    }
    for path, text in plant.items():
        with (tmp_path / "natograph" / path).open("a", encoding="utf-8") as handle:
            handle.write(text)
    with (tmp_path / "natograph" / "graph" / "terms.py").open("a", encoding="utf-8") as handle:
        handle.write("\n\ndef _back():\n    from . import namespaces\n\n    return namespaces\n")
    done = lint_imports(tmp_path)
    assert done.returncode != 0, done.stdout
    for broken in ("each layer imports only the layers below it BROKEN",
                   "the server and the release share the pages, never each other BROKEN",
                   "no import cycle between the modules of any folder BROKEN"):
        assert broken in done.stdout, done.stdout
    assert "natograph.graph.terms -> natograph.cli" in done.stdout, done.stdout
