"""natograph at 1x, 10x and 100x the shipped world: load, closure, store, each stored query, validate,
export and peak memory, as medians with the ratio to the previous scale.

    python benchmarks/at_scale.py [--factors 1,10,100] [--repeat 5]

The bigger worlds are roots of their own (``scale.scaled_root``: the shipped data copied with fresh,
valid identifiers; it validates like the shipped data). Each scale runs nine child processes, in
the order a user meets them, each with its own peak memory (maximum resident set size), after a
reference: ``python -c "import rdflib"`` in a new process, timed the same way, so that a figure can
be read against the machine's speed at that moment (it moves by 30-60% within an hour on the shared
2-core machine);

0. *first*: one build of the store on an empty cache, alone in its process (the peak of a first command);
1. *build*: parse (pyoxigraph, rdflib terms), the closure, and the whole store build (parse + closure
   + fill + write), timed apart, each ``--repeat`` times;
2. *queries*: opening the cached store, and every stored query (the same parameters at every scale);
   then the graph held in memory (``store.opening.in_memory``, as a server's query workers hold it: the first
   time writes the entry's N-Quads copy) and every stored query again;
3. *one-shot*: each stored query once, first thing after opening the cached store, in a new process
   each time (what ``natograph query NAME`` does, less printing the rows): Oxigraph's block cache is
   empty then, where the repeated runs of *queries* find it warm;
4. *validate, cold*: SHACL (in slices) and the SPARQL checks on the cached store, with no findings
   kept for the rules in use (each run asks for another version of the rules; the process is the same);
5. *validate, warm* (findings kept in the store);
6. *export*: ``natograph export --inferred --alignments --format ntriples -o FILE`` (the closure, the
   alignments' nodes, canonical blank nodes, sorted lines written in blocks);
7. *datasets*: ``natograph export --inferred --alignments --format trig -o FILE`` (a named graph per input file,
   read from the store's copy of the files' triples, and the inferred and alignments' graphs).

Then, with two scales or more, the growth from the last but one scale to the last of the parse,
the closure and each stored query, measured in one process that alternates the two scales (and
opens both stores, on disk and in memory): the ratio of each pair of runs taken seconds apart, as a
median. The machine's speed moves over the minutes between the scales' own parts (by 30% or more on
the shared machine), and a ratio of two medians taken minutes apart carries that drift.

CPU time counts the worker processes validate starts for a big graph; peak memory is the largest
process, the workers included.

Prints figures only, asserts nothing. natograph keeps a graph of ``store.build.DISK_FROM`` triples or more
(about 2.5x) as an on-disk database, so 10x and 100x are compared on the same storage.

Targets (issue 7): at 100x every stored query <= 0.5 s, validate <= 30 s, peak memory <= 500 MiB;
cost growing no worse than linearly from 10x to 100x for load, closure and queries.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PARAMS = {"initiative-participants": {"initiative": "EOP"}, "country": {"code": "FI"}, "story": {"code": "FI"},
          "partners": {"framework": "PfP", "as_of": "2000"}}
PARTS = ("reference", "first", "build", "queries", "one-shot", "validate", "warm", "export", "datasets")
GROWTH = "growth"


def _cpu() -> float:
    """CPU seconds of this process and of the worker processes it waited for (validate's SHACL)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def _timed(action, repeat: int = 1, before=None) -> dict:
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()  # not timed
        cpu0, wall0 = _cpu(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - wall0)
        cpus.append(_cpu() - cpu0)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def _peak() -> float:
    """The largest resident set of this process or of any worker it waited for, in MiB."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024


def growth(small: int, large: int, repeat: int, caches: dict[int, str]) -> dict:
    """The parse, the closure and each stored query at *small* and *large* scale, alternated in this
    process (the queries on the database, then held in memory): the median of the runs' ratios,
    large to small."""
    sys.path.insert(0, str(HERE))
    from scale import scaled_root

    from natograph.graph import resources
    from natograph.graph.reasoning import closure
    from natograph.graph.store.build import parse_inputs
    from natograph.graph.store.opening import forget, in_memory, open_engine
    from natograph.queries.catalogue import catalogue, run_stored

    roots = {f: scaled_root(f) for f in (small, large)}
    engines, files = {}, {}
    for factor in (small, large):
        os.environ["NATOGRAPH_CACHE_DIR"] = caches[factor]
        resources.use_root(roots[factor])
        files[factor] = resources.graph_files()
        database = open_engine(files[factor])
        forget()  # in_memory would otherwise replace the database in this process's engines
        engines[factor] = {"cached": database, "in memory": in_memory(database)}
    asserted = {factor: parse_inputs(files[factor])[0] for factor in (small, large)}  # the closure's input
    steps = {"parse": lambda f: parse_inputs(files[f]), "closure": lambda f: closure.inferred(asserted[f])}
    out: dict = {}
    for step, action in steps.items():
        ratios = []
        for _ in range(max(3, repeat // 3)):
            walls = {}
            for factor in (small, large):
                wall0 = time.perf_counter()
                action(factor)
                walls[factor] = time.perf_counter() - wall0
            ratios.append(walls[large] / walls[small])
        out[f"growth {large // small}x, {step}"] = statistics.median(ratios)
    # the cached store is an on-disk database from store.build.DISK_FROM triples, N-Quads loaded in memory below
    kinds = {f: engines[f]["cached"].manifest["kind"] for f in (small, large)}
    cached = kinds[small] if kinds[small] == kinds[large] else f"{kinds[small]} at {small}x, {kinds[large]} at {large}x"
    for name in sorted(catalogue()):
        params = PARAMS.get(name, {})
        for kind in ("cached", "in memory"):
            ratios = []
            for _ in range(repeat):
                walls = {}
                for factor in (small, large):
                    wall0 = time.perf_counter()
                    run_stored(engines[factor][kind], name, params)
                    walls[factor] = time.perf_counter() - wall0
                ratios.append(walls[large] / walls[small])
            out[f"growth {large // small}x, query {name}, {cached if kind == 'cached' else kind}"] = statistics.median(ratios)
    return out


_ONE_SHOT = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from scale import scaled_root
from natograph.graph import resources
from natograph.graph.store.opening import open_engine
from natograph.queries.catalogue import run_stored
resources.use_root(scaled_root(int(sys.argv[2])))
engine = open_engine(resources.graph_files())
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu, wall = usage.ru_utime + usage.ru_stime, time.perf_counter()
run_stored(engine, sys.argv[3], json.loads(sys.argv[4]))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": usage.ru_utime + usage.ru_stime - cpu}))
"""


def child(factor: int, part: str, repeat: int) -> dict:
    """One part measured at one scale, in this (child) process; the cache folder comes from the parent."""
    sys.path.insert(0, str(HERE))
    from scale import scaled_root

    from natograph.checks import findings, validation
    from natograph.graph import resources
    from natograph.graph.reasoning import closure
    from natograph.graph.store.build import parse_inputs
    from natograph.graph.store.opening import forget, in_memory, open_engine
    from natograph.output import write_atomic
    from natograph.publish.exporting import export_parts
    from natograph.queries.catalogue import catalogue, run_stored

    resources.use_root(scaled_root(factor))
    files = resources.graph_files()
    out: dict = {}
    if part == "reference":  # the machine's speed now: a bare import in a new process
        def bare_import() -> None:
            subprocess.run([sys.executable, "-c", "import rdflib"], check=True)

        out["reference: python -c 'import rdflib'"] = _timed(bare_import, repeat)
    elif part == "first":  # one build on an empty cache, alone in its process: its peak memory
        out["first command on an empty cache (build)"] = _timed(lambda: open_engine(files))
        out["peak MiB, first command (build)"] = _peak()
    elif part == "build":
        holder: dict = {}

        def parse() -> None:
            holder["asserted"], _ = parse_inputs(files)

        out["load (parse)"] = _timed(parse, repeat)
        out["triples asserted"] = len(holder["asserted"])

        def close() -> None:
            holder["inferred"] = closure.inferred(holder["asserted"])

        out["closure"] = _timed(close, repeat)
        out["triples inferred"] = len(holder["inferred"])
        holder.clear()

        def empty_cache() -> None:
            forget()
            for entry in Path(os.environ["NATOGRAPH_CACHE_DIR"]).glob("store-*"):
                shutil.rmtree(entry)

        out["store build (parse + closure + fill + write)"] = _timed(lambda: open_engine(files), repeat,
                                                                     before=empty_cache)
    elif part == "queries":
        holder = {}

        def reopen() -> None:
            forget()
            holder["engine"] = open_engine(files)

        out["store open, cached"] = _timed(reopen, repeat)
        def each_query(engine, suffix: str = "") -> None:
            for name in sorted(catalogue()):
                params = PARAMS.get(name, {})
                out[f"query {name}{suffix}"] = _timed(lambda n=name, p=params: run_stored(engine, n, p), repeat)

        each_query(holder["engine"])
        out["peak MiB, queries"] = _peak()
        # The same queries on the graph held in memory (a server's workers): the first hold writes
        # the entry's N-Quads copy, each later one verifies and loads it.
        def hold() -> None:
            holder["held"] = in_memory(holder["engine"])

        out["hold in memory, first (writes the copy)"] = _timed(hold)
        def drop() -> None:  # not timed: the previous copy is dropped, so the peak is one copy's, as in a worker
            holder.pop("held", None)
            forget()  # in_memory would give this process's copy again

        out["hold in memory (copy kept)"] = _timed(hold, repeat, before=drop)
        each_query(holder["held"], ", in memory")
        out["peak MiB, queries in memory"] = _peak()
    elif part == "one-shot":
        for name in sorted(catalogue()):
            runs = []
            for _ in range(repeat):
                done = subprocess.run([sys.executable, "-c", _ONE_SHOT, str(HERE), str(factor), name,
                                       json.dumps(PARAMS.get(name, {}))],
                                      capture_output=True, text=True, check=True)
                runs.append(json.loads(done.stdout))
            out[f"query {name}, once in a new process"] = {
                "wall": statistics.median(r["wall"] for r in runs), "cpu": statistics.median(r["cpu"] for r in runs)}
    elif part == "validate":
        holder = {}

        def check() -> None:
            holder["report"] = validation.validate()

        runs = iter(range(repeat))
        real_digest = findings.rules_digest

        def new_rules() -> None:  # findings are kept per version of the rules: each run finds none kept
            run = next(runs)
            findings.rules_digest = lambda: f"{real_digest()}-bench-{run}"

        out["validate, cold (SHACL + checks)"] = _timed(check, repeat, before=new_rules)
        findings.rules_digest = real_digest
        validation.validate()  # keeps the findings of the rules in use, for the warm part (not timed)
        out["validate violations"] = holder["report"].count("violation")
        out["validate results (infos included)"] = len(holder["report"].results)
        out["peak MiB, validate cold"] = _peak()
    elif part == "warm":
        out["validate, warm (findings kept)"] = _timed(validation.validate, repeat)
        out["peak MiB, validate warm"] = _peak()
    elif part == "export":  # what `natograph export --inferred --alignments --format ntriples -o FILE` does
        with tempfile.TemporaryDirectory() as folder:
            out["export ntriples --inferred --alignments -o FILE"] = _timed(
                lambda: write_atomic(Path(folder) / "graph.nt", export_parts("ntriples", inferred=True, alignments=True)),
                repeat)
        out["peak MiB, export"] = _peak()
    else:  # `natograph export --inferred --alignments --format trig -o FILE`: a graph per file, read from the store
        with tempfile.TemporaryDirectory() as folder:
            out["export trig --inferred --alignments -o FILE"] = _timed(
                lambda: write_atomic(Path(folder) / "graph.trig", export_parts("trig", inferred=True, alignments=True)),
                repeat)
        out["peak MiB, export trig"] = _peak()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--part", choices=(*PARTS, GROWTH), help=argparse.SUPPRESS)
    parser.add_argument("--caches", help=argparse.SUPPRESS)  # growth: {factor: cache folder} as JSON
    args = parser.parse_args()
    if args.part == GROWTH:
        caches = {int(k): v for k, v in json.loads(args.caches).items()}
        small, large = sorted(caches)[-2:]
        print(json.dumps(growth(small, large, args.repeat, caches)))
        return 0
    if args.child is not None:
        print(json.dumps(child(args.child, args.part, args.repeat)))
        return 0
    factors = [int(f) for f in args.factors.split(",")]
    print(f"natograph at scale: medians of {args.repeat} runs; "
          f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}", flush=True)
    results = []
    caches = {}
    for factor in factors:
        caches[factor] = tempfile.mkdtemp(prefix=f"natograph-cache-{factor}x-")
        env = {**os.environ, "NATOGRAPH_CACHE_DIR": caches[factor]}
        env.pop("NATOGRAPH_ROOT", None)
        result: dict = {"factor": factor}
        for part in PARTS:
            done = subprocess.run([sys.executable, __file__, "--child", str(factor), "--part", part,
                                   "--repeat", str(args.repeat)], capture_output=True, text=True, check=False,
                                  env=env)
            if done.returncode != 0:
                print(f"{factor}x {part} failed: {done.stderr.strip().splitlines()[-1:]}", flush=True)
                continue
            result.update(json.loads(done.stdout.strip().splitlines()[-1]))
        results.append(result)
        print(f"  {factor}x done", flush=True)
    if not results:
        return 1
    ratios: dict = {}
    if len(factors) >= 2:
        env = {k: v for k, v in os.environ.items() if k not in ("NATOGRAPH_ROOT", "NATOGRAPH_CACHE_DIR")}
        done = subprocess.run([sys.executable, __file__, "--part", GROWTH, "--repeat", str(args.repeat * 3),
                               "--caches", json.dumps({f: caches[f] for f in factors[-2:]})],
                              capture_output=True, text=True, check=False, env=env)
        if done.returncode != 0:
            print(f"growth failed: {done.stderr.strip().splitlines()[-1:]}", flush=True)
        else:
            ratios = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"  growth {factors[-2]}x -> {factors[-1]}x done", flush=True)
    keys = list(dict.fromkeys(k for r in results for k in r if k != "factor"))
    rows = []
    for key in keys:
        cells = []
        previous = None
        for result in results:
            value = result.get(key)
            if value is None:
                cells.append("-")
                continue
            if isinstance(value, dict):
                text = f"{value['wall'] * 1000:.1f} ms ({value['cpu'] * 1000:.0f} CPU)"
                ratio = value["wall"] / previous["wall"] if previous and previous["wall"] > 0 else None
                previous = value
            else:
                text = f"{value:.0f}" if isinstance(value, float) else str(value)
                ratio = value / previous if isinstance(previous, (int, float)) and previous else None
                previous = value
            cells.append(text + (f" x{ratio:.1f}" if ratio else ""))
        rows.append((key, cells))
    first = max(len(key) for key in keys) + 2  # every column as wide as its widest cell, two spaces apart
    widths = [max(len(f"{r['factor']}x"), *(len(cells[i]) for _, cells in rows)) + 2 for i, r in enumerate(results)]
    print(f"{'':{first}}" + "".join(f"{str(r['factor']) + 'x':>{w}}" for r, w in zip(results, widths, strict=True)))
    for key, cells in rows:
        print(f"{key:{first}}" + "".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True)))
    if ratios:
        print(f"\nThe parse, the closure and each stored query, {factors[-2]}x and {factors[-1]}x alternated in one process "
              f"(median of {args.repeat * 3} ratios, {factors[-1]}x to {factors[-2]}x):")
        first = max(len(key) for key in ratios) + 2
        for key, ratio in ratios.items():
            print(f"{key:{first}}x{ratio:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
