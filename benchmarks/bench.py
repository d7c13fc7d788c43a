"""natograph's speed figures at 1x (the shipped graph): medians, CPU time beside wall time, and the
ratios the targets are stated in, each against a bare import measured in the same run.

    python benchmarks/bench.py [--repeat N]

Targets (issue 7, 2-core machine):
- a cold ``natograph query partners -p framework=PfP -p as_of=2000`` (a new process, store cached)
  faster than a bare ``python -c "import rdflib"`` (ratio < 1);
- ``natograph validate`` of the shipped graph, warm: <= 3x a bare ``python -c "import rdflib, pyshacl, owlrl"``;
- the closure after any change: <= 0.5 s.

It prints figures only and asserts nothing: these machines are shared and noisy, so compare the
medians and the ratios measured in the same run. Each new process is timed alternately with its
reference (a bare import, then natograph, then the bare import again...), so that both meet the
machine at the same speed. natograph's modules are byte-compiled first, as ``pip install`` compiles
an installed package's: an editable checkout run with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise
compile them at every start (24 ms of a 130 ms cold query, measured 2026-11-27), which no installed
copy does, while the bare imports read their compiled modules.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median wall seconds, median CPU seconds) of *repeat* runs of *action* in this process."""
    walls, cpus = [], []
    for _ in range(repeat):
        cpu0, wall0 = _self_cpu(), time.perf_counter()
        action()
        walls.append(time.perf_counter() - wall0)
        cpus.append(_self_cpu() - cpu0)
    return statistics.median(walls), statistics.median(cpus)


def alternated(actions: list[Callable[[], None]], repeat: int) -> list[tuple[float, float]]:
    """(median wall seconds, median CPU seconds of the child processes) of each of *actions*, run
    in turn *repeat* times: one run of each, then again."""
    walls: list[list[float]] = [[] for _ in actions]
    cpus: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for i, action in enumerate(actions):
            cpu0, wall0 = _children_cpu(), time.perf_counter()
            action()
            walls[i].append(time.perf_counter() - wall0)
            cpus[i].append(_children_cpu() - cpu0)
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus, strict=True)]


def byte_compile() -> str:
    """Compile natograph's modules to bytecode as ``pip install`` does; what was done, in words."""
    import compileall

    import natograph

    folder = os.path.dirname(natograph.__file__)
    done = compileall.compile_dir(folder, quiet=1)
    return f"natograph's modules byte-compiled in {folder}" if done else f"could not byte-compile {folder}"


def process(*argv: str, env: dict[str, str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([sys.executable, *argv], check=False, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    repeat = args.repeat

    cache = tempfile.mkdtemp(prefix="natograph-bench-")
    env = {**os.environ, "NATOGRAPH_CACHE_DIR": cache}
    os.environ["NATOGRAPH_CACHE_DIR"] = cache

    from natograph.graph import loading
    from natograph.graph.store.opening import forget, open_engine
    from natograph.queries.catalogue import catalogue, run_stored

    def show(name: str, wall: float, cpu: float) -> None:
        print(f"{wall * 1000:10.1f} ms wall {cpu * 1000:10.1f} ms CPU  {name}", flush=True)

    print(f"natograph benchmark, 1x: median of {repeat} runs, Python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    asserted = loading.parse_files(loading.shipped_files())
    show("parse ontology + data (rdflib)", *measure(lambda: loading.parse_files(loading.shipped_files()), repeat))
    closure = measure(lambda: loading.inferred_triples(asserted), repeat)
    show("OWL RL closure (the fast path), uncached", *closure)

    def cold_store() -> None:
        forget()
        open_engine(use_cache=False)

    show("build the store (parse + closure + load), uncached", *measure(cold_store, max(3, repeat // 3)))
    forget()
    engine = open_engine()

    def warm_open() -> None:
        forget()
        open_engine()

    show("open the cached store (verify + load)", *measure(warm_open, repeat))
    engine = open_engine()
    for name in sorted(catalogue()):
        params = {"initiative-participants": {"initiative": "EOP"}, "country": {"code": "FI"},
                  "story": {"code": "FI"}}.get(name, {})
        show(f"query {name} (in process, pyoxigraph)",
             *measure(lambda n=name, p=params: run_stored(engine, n, p), repeat))

    print(byte_compile())
    query = process("-m", "natograph", "query", "partners", "-p", "framework=PfP", "-p", "as_of=2000", env=env)
    query()  # the entry for these files is built and cached: every timed run finds it
    bare_rdflib, cold = alternated([process("-c", "import rdflib", env=env), query], repeat)
    show('python -c "import rdflib"', *bare_rdflib)
    show("natograph query partners -p framework=PfP -p as_of=2000 (new process)", *cold)
    validate_warm = process("-m", "natograph", "validate", env=env)
    validate_warm()  # the findings are computed once and kept in the entry: every timed run reads them
    bare_three, validate = alternated([process("-c", "import rdflib, pyshacl, owlrl", env=env), validate_warm],
                                      repeat)
    show('python -c "import rdflib, pyshacl, owlrl"', *bare_three)
    show("natograph validate (new process, warm)", *validate)

    print()
    print(f"cold query / bare rdflib import: {cold[0] / bare_rdflib[0]:.2f}x wall, "
          f"{cold[1] / bare_rdflib[1]:.2f}x CPU (target < 1)")
    print(f"validate / bare rdflib+pyshacl+owlrl import: {validate[0] / bare_three[0]:.2f}x wall, "
          f"{validate[1] / bare_three[1]:.2f}x CPU (target <= 3)")
    print(f"closure after a change: {closure[0]:.3f} s wall, {closure[1]:.3f} s CPU (target <= 0.5 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
