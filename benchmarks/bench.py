"""natograph's speed figures: medians of repeated runs, and the ratios the targets are stated in.

    python benchmarks/bench.py [--repeat N]

Targets (2-core machine): a cold `natograph query ...` (a new process, closure cached) within 4x a
bare `python -c "import rdflib"`; `natograph validate` of the shipped graph under 2 s.
Prints figures only; it asserts nothing (these machines are noisy: compare medians and ratios).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process(*argv: str, env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([sys.executable, *argv], check=True, env=env, stdout=subprocess.DEVNULL)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    repeat = args.repeat

    cache = tempfile.mkdtemp(prefix="natograph-bench-")
    env = {**os.environ, "NATOGRAPH_CACHE_DIR": cache}
    os.environ["NATOGRAPH_CACHE_DIR"] = cache

    from natograph import graph, queries, validation

    rows: list[tuple[str, float]] = []

    def record(name: str, seconds: float) -> None:
        rows.append((name, seconds))
        print(f"{seconds * 1000:10.1f} ms  {name}", flush=True)

    print(f"natograph benchmark: median of {repeat} runs, Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    record("parse ontology + data (rdflib)", median_seconds(lambda: graph.parse_files(graph.shipped_files()), repeat))
    asserted = graph.parse_files(graph.shipped_files())
    record("OWL RL inference (owlrl), uncached", median_seconds(lambda: graph.inferred_triples(asserted), max(3, repeat // 2)))
    graph.load()  # fill the cache
    record("load graph from the closure cache", median_seconds(graph.load, repeat))
    closure = graph.load()
    for name in sorted(queries.catalogue()):
        params = {"initiative-participants": {"initiative": "EOP"}, "country": {"code": "FI"}}.get(name, {})
        record(f"query {name} (in process)", median_seconds(lambda n=name, p=params: queries.run_stored(closure, n, p), repeat))
    record("validate shipped graph (in process)", median_seconds(validation.validate, max(3, repeat // 2)))

    bare = median_seconds(process("-c", "import rdflib", env=env), repeat)
    record('python -c "import rdflib"', bare)
    cold = median_seconds(process("-m", "natograph", "query", "members", env=env), repeat)
    record("natograph query members (new process, cached closure)", cold)
    validate_cli = median_seconds(process("-m", "natograph", "validate", env=env), max(3, repeat // 2))
    record("natograph validate (new process)", validate_cli)

    print()
    print(f"cold query / bare rdflib import: {cold / bare:.1f}x (target <= 4x)")
    print(f"natograph validate: {validate_cli:.2f} s (target < 2 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
