"""natograph at 1x, 10x and 100x the shipped world: load, closure, store, each stored query, validate,
export and peak memory, as medians with the ratio to the previous scale.

    python benchmarks/at_scale.py [--factors 1,10,100] [--repeat 5]

The bigger worlds come from ``scale.scaled_world`` (the shipped data copied with fresh IRIs under a
test-only namespace). Each scale runs in a child process of its own, so its peak memory (maximum
resident set size) is its own. Prints figures only, asserts nothing.

Targets (issue 7): at 100x every stored query <= 0.5 s, validate <= 30 s, peak memory <= 500 MiB;
cost growing no worse than linearly from 10x to 100x for load, closure and queries.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PARAMS = {"initiative-participants": {"initiative": "EOP"}, "country": {"code": "FI"},
          "partners": {"framework": "PfP", "as_of": "2000"}}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(action, repeat: int = 1) -> dict:
    walls, cpus = [], []
    for _ in range(repeat):
        cpu0, wall0 = _cpu(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - wall0)
        cpus.append(_cpu() - cpu0)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def child(factor: int, repeat: int) -> dict:
    """Everything measured at one scale, in this (child) process."""
    sys.path.insert(0, str(HERE))
    from scale import scaled_world

    from natograph import graph, queries, store, validation
    from natograph.exporting import serialize

    files = scaled_world(factor)
    out: dict = {"factor": factor}
    holder: dict = {}

    def parse() -> None:
        holder["asserted"] = graph.parse_files(files)

    out["load (parse, rdflib)"] = _timed(parse)
    out["triples asserted"] = len(holder["asserted"])

    def close() -> None:
        holder["inferred"] = graph.inferred_triples(holder["asserted"])

    out["closure"] = _timed(close)
    out["triples inferred"] = len(holder["inferred"])
    holder.clear()

    os.environ["NATOGRAPH_CACHE_DIR"] = tempfile.mkdtemp(prefix=f"natograph-scale-{factor}-")
    store.forget()
    out["store build (parse + closure + load + write)"] = _timed(lambda: store.open_engine(files))

    def reopen() -> None:
        store.forget()
        holder["engine"] = store.open_engine(files)

    out["store open, cached"] = _timed(reopen, repeat)
    engine = holder["engine"]
    for name in sorted(queries.catalogue()):
        params = PARAMS.get(name, {})
        out[f"query {name}"] = _timed(lambda n=name, p=params: queries.run_stored(engine, n, p), repeat)
    copies = [p for p in files if p not in graph.shipped_files()]

    def check() -> None:
        holder["report"] = validation.validate(copies) if copies else validation.validate()

    out["validate, cold (SHACL + checks)"] = _timed(check)
    out["validate findings"] = len(holder["report"].results)
    out["validate, warm (findings kept)"] = _timed(check, repeat)
    out["export ntriples --inferred"] = _timed(lambda: serialize(engine.rdflib_graph(), "ntriples"))
    out["peak memory MiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(child(args.child, args.repeat)))
        return 0
    factors = [int(f) for f in args.factors.split(",")]
    print(f"natograph at scale: medians of {args.repeat} runs for queries and warm opens, one run otherwise; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}", flush=True)
    results = []
    for factor in factors:
        done = subprocess.run([sys.executable, __file__, "--child", str(factor), "--repeat", str(args.repeat)],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(f"{factor}x failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {factor}x done", flush=True)
    if not results:
        return 1
    keys = [k for k in results[0] if k != "factor"]
    header = f"{'':48}" + "".join(f"{str(r['factor']) + 'x':>22}" for r in results)
    print(header)
    for key in keys:
        cells = []
        previous = None
        for result in results:
            value = result.get(key)
            if isinstance(value, dict):
                text = f"{value['wall'] * 1000:.1f} ms ({value['cpu'] * 1000:.0f} CPU)"
                ratio = value["wall"] / previous["wall"] if previous and previous["wall"] > 0 else None
                previous = value
            else:
                text = f"{value:.0f}" if isinstance(value, float) else str(value)
                ratio = value / previous if isinstance(previous, (int, float)) and previous else None
                previous = value
            cells.append(text + (f" x{ratio:.1f}" if ratio else ""))
        print(f"{key:48}" + "".join(f"{c:>22}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
