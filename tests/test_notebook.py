"""``docs/notebook.ipynb``, the analyst's example, runs as a reader runs it: every cell, in a Jupyter
kernel started here (ipykernel, over Unix sockets), on a copy in a temporary folder, each cell within a
time bound. The stored file keeps no outputs, so running it never changes it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "docs" / "notebook.ipynb"
CELL_TIMEOUT = 300
"""Seconds a cell may run (the first query may build the store's cache on a loaded machine)."""

try:
    import nbclient
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
except ImportError:
    if os.environ.get("CI"):
        raise  # CI installs the test extra: a missing nbclient is a broken install, not a skip
    pytest.skip("nbclient and ipykernel are not installed (the test extra)", allow_module_level=True)


def test_the_stored_notebook_is_valid_and_keeps_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "the notebook has no code"
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None, cell.source
        assert cell.metadata == {}, cell.source  # no execution timestamps
    assert [cell.id for cell in notebook.cells] == [f"cell-{i:02d}" for i in range(len(notebook.cells))]
    assert NOTEBOOK.read_text(encoding="utf-8") == nbformat.writes(notebook) + "\n"  # as nbformat writes it


def _kernel(folder: Path) -> KernelManager:
    """A kernel of this very Python (not whichever ``python`` a kernelspec finds on the PATH), spoken to
    over Unix sockets in *folder* (IPC), not TCP: no port is opened."""
    spec = folder / "kernels" / "natograph-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "natograph test", "language": "python"}), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")])
    return KernelManager(kernel_name="natograph-test", kernel_spec_manager=specs, transport="ipc",
                         ip=str(folder / "kernel-ipc"))


def _output(notebook, start: str) -> str:
    """Everything the code cell whose source starts with *start* showed, as one text."""
    (cell,) = [c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(start)]
    parts = []
    for output in cell.outputs:
        data = output.get("data", {})
        parts += [data.get("text/html", ""), data.get("text/plain", ""), output.get("text", "")]
    return "\n".join(parts)


def test_the_notebook_runs_cell_by_cell(tmp_path):
    stored = NOTEBOOK.read_bytes()
    copy = tmp_path / "notebook.ipynb"
    shutil.copyfile(NOTEBOOK, copy)
    notebook = nbformat.read(copy, as_version=4)
    client = nbclient.NotebookClient(notebook, km=_kernel(tmp_path), timeout=CELL_TIMEOUT, startup_timeout=120,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # CellExecutionError at the first cell that fails
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, cell.source
            assert all(output.output_type != "error" for output in cell.outputs), cell.source
    # what a reader sees: the result as a table, typed columns, the counts, links to the sources
    table = _output(notebook, "partners = ")
    assert '<table class="natograph-result">' in table and "<th>joined</th>" in table
    dtypes = _output(notebook, "df = partners.to_pandas()")
    assert "joined_start" in dtypes and "period[D]" in dtypes and "string" in dtypes
    assert "ICI" in _output(notebook, 'df.groupby(["framework"')
    georgia = _output(notebook, "georgia = ")
    assert "NATO-Georgia Commission" in georgia and '<a href="https://www.nato.int/' in georgia
    assert "1994-03-23" in _output(notebook, "ge = georgia.to_pandas()")  # Georgia joined PfP that day
    bars = _output(notebook, "events = ")
    assert "linear-gradient" in bars and "1949" in bars
    assert NOTEBOOK.read_bytes() == stored  # the run touched only the copy
