"""The OWL 2 RL closure's speed: the fast chainer against owlrl at 1x, and the chainer at 10x to 200x.

    python benchmarks/closure.py [--repeat N] [--scales 1,10,100]

Each row runs in its own child process: it loads the world (``scale.scaled_world``: the shipped data
copied N times with fresh identifiers, the ontology once; read as the store's build reads it,
``store.build.parse_inputs``: distinct triples in the files' order, one object per term, no rdflib
Graph), then computes the closure ``--repeat`` times and reports the medians of wall and CPU time,
and its peak memory (``ru_maxrss``, which counts the loaded triples too: the memory before the first
closure is shown beside it). The last row is a hostile case of the kind test fixtures hold: one
transitive property along 400 nodes.

Prints figures only; asserts nothing (these machines are shared and noisy: compare medians and ratios).
Target (issue 7): the closure in <= 0.5 s at 1x, growing no worse than linearly to 100x, peak memory
well under 500 MiB at 100x.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _load(factor: int) -> list:
    """The world's distinct triples as the store's build reads them (store.build.parse_inputs: one object
    per distinct term, in the files' order)."""
    from natograph.graph.store.build import parse_inputs

    sys.path.insert(0, str(HERE))
    from scale import scaled_world

    return list(parse_inputs(scaled_world(factor))[0])


def _transitive(nodes: int) -> list:
    from rdflib import URIRef
    from rdflib.namespace import OWL, RDF

    ex = "https://w3id.org/natograph/id/scale-test/"
    before = URIRef(ex + "before")
    return [(before, RDF.type, OWL.TransitiveProperty),
            *((URIRef(f"{ex}n{i}"), before, URIRef(f"{ex}n{i + 1}")) for i in range(nodes - 1))]


def child(engine: str, world: str, repeat: int) -> None:
    from natograph.graph.reasoning import closure, reference

    start = time.perf_counter()
    triples = _transitive(int(world[1:])) if world.startswith("t") else _load(int(world))
    load = time.perf_counter() - start
    loaded = _rss_mib()
    run = closure.inferred if engine == "fast" else reference.reference_inferred
    walls, cpus, count = [], [], 0
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        count = len(run(triples))
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(json.dumps({"asserted": len(triples), "inferred": count, "load": load, "wall": statistics.median(walls),
                      "cpu": statistics.median(cpus), "loaded_mib": loaded, "peak_mib": _rss_mib()}))


def measure(engine: str, world: str, repeat: int) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", engine, world, str(repeat)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        engine, world, repeat = args.child
        child(engine, world, int(repeat))
        return 0

    scales = [int(s) for s in args.scales.split(",")]
    plan = [("owlrl", "1", max(3, args.repeat // 2))] if 1 in scales else []
    plan += [("fast", str(s), args.repeat if s < 100 else max(3, args.repeat // 2)) for s in scales]
    plan.append(("fast", "t400", max(3, args.repeat // 2)))
    print(f"OWL 2 RL closure: medians, Python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"{time.strftime('%Y-%m-%d')}", flush=True)
    header = (f"{'world':<26} {'engine':<6} {'runs':>4} {'asserted':>9} {'inferred':>9} {'wall s':>8} {'CPU s':>8} "
              f"{'x prev':>7} {'loaded MiB':>10} {'peak MiB':>9}")
    print(header)
    print("-" * len(header))
    previous: dict[str, float] = {}
    owlrl_1x = None
    for engine, world, repeat in plan:
        row = measure(engine, world, repeat)
        name = f"transitive, {world[1:]} nodes" if world.startswith("t") else f"{world}x shipped"
        ratio = ""
        if engine == "fast" and not world.startswith("t"):
            if "fast" in previous:
                ratio = f"{row['wall'] / previous['fast']:.1f}"
            previous["fast"] = row["wall"]
        if engine == "owlrl":
            owlrl_1x = row
        print(f"{name:<26} {engine:<6} {repeat:>4} {row['asserted']:>9} {row['inferred']:>9} {row['wall']:>8.3f} "
              f"{row['cpu']:>8.3f} {ratio:>7} {row['loaded_mib']:>10.0f} {row['peak_mib']:>9.0f}", flush=True)
        if engine == "fast" and world == "1" and owlrl_1x:
            print(f"{'':<26} owlrl / fast at 1x: {owlrl_1x['cpu'] / row['cpu']:.0f}x (CPU)", flush=True)
    print("\nx prev: wall time over the previous scale's (10 = linear). loaded MiB: the process after loading the "
          "world, before any closure; peak MiB: its maximum, closures included.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
