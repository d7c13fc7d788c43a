"""The maintainer's loop, timed: `natograph validate` right after changing one literal in one file,
beside a bare `python -c "import rdflib, pyshacl, owlrl"` measured in the same run.

    python benchmarks/edit.py [--repeat N]

Works on a copy of the project's files in a temporary folder (a checkout: natograph reads the files
there), with a fresh cache folder whose shipped entry is built first. Each timed run edits the note
of one resource in data/partners-south.ttl to a text never seen before, so every run pays for what
an edit costs (a new store: parse, closure, SHACL, checks), then runs a new `natograph validate`
process. Prints medians of wall time and of CPU time (user + system of the child process), and the
ratio to the bare imports. Target (issue 8): validate after an edit within 6x the bare imports.
It asserts nothing: these machines are shared and noisy; compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

EDITED = "data/partners-south.ttl"
LITERAL = "The day of acceptance is not given"


def timed(argv: list[str], *, cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one child process; cpu = its user + system time."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if child.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({child.returncode}): {err.strip()}")
    return wall, usage.ru_utime + usage.ru_stime


def medians(runs: int, action: Callable[[int], tuple[float, float]]) -> tuple[float, float]:
    results = [action(i) for i in range(runs)]
    return statistics.median(r[0] for r in results), statistics.median(r[1] for r in results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (default 5)")
    args = parser.parse_args()

    from natograph.graph import resources

    work = Path(tempfile.mkdtemp(prefix="natograph-edit-bench-"))
    try:
        root = work / "checkout"
        for part in ("ontology", "data", "queries"):
            shutil.copytree(resources.installed_root() / part, root / part)
        env = {k: v for k, v in os.environ.items() if k != resources.ENV_VAR}
        env["NATOGRAPH_CACHE_DIR"] = str(work / "cache")
        natograph = [sys.executable, "-m", "natograph"]
        edited = root / EDITED
        original = edited.read_text(encoding="utf-8")
        if original.count(LITERAL) != 1:
            raise SystemExit(f"{EDITED} no longer holds {LITERAL!r}: update benchmarks/edit.py")

        def edit(i: int) -> None:
            edited.write_text(original.replace(LITERAL, f"{LITERAL} (edit {time.time_ns()}-{i})"), encoding="utf-8")

        print(f"natograph edit benchmark: median of {args.repeat} runs, Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
        timed([*natograph, "validate"], cwd=root, env=env)  # the shipped entry and its baseline, built once

        rows: list[tuple[str, float, float]] = []

        def record(name: str, figures: tuple[float, float]) -> tuple[float, float]:
            rows.append((name, *figures))
            print(f"{figures[0]:8.2f} s wall {figures[1]:8.2f} s cpu  {name}", flush=True)
            return figures

        bare = record('python -c "import rdflib, pyshacl, owlrl"',
                      medians(args.repeat, lambda i: timed([sys.executable, "-c", "import rdflib, pyshacl, owlrl"],
                                                           cwd=root, env=env)))

        def after_edit(argv: list[str]) -> Callable[[int], tuple[float, float]]:
            def run(i: int) -> tuple[float, float]:
                edit(i)
                return timed(argv, cwd=root, env=env)
            return run

        file_run = record(f"natograph validate {EDITED}, after editing one literal in it",
                          medians(args.repeat, after_edit([*natograph, "validate", EDITED])))
        all_run = record("natograph validate (the whole checkout), after editing one literal",
                         medians(args.repeat, after_edit([*natograph, "validate"])))
        cached = record("natograph validate again, nothing changed (store cached)",
                        medians(args.repeat, lambda i: timed([*natograph, "validate"], cwd=root, env=env)))
        edited.write_text(original, encoding="utf-8")

        print()
        for name, (wall, cpu) in ((f"validate {EDITED} after an edit", file_run), ("validate after an edit", all_run),
                                  ("validate, cached", cached)):
            print(f"{name} / bare imports: {wall / bare[0]:.1f}x wall, {cpu / bare[1]:.1f}x cpu (target <= 6x after an edit)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
