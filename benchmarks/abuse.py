"""``natograph serve`` under abuse, beside the same server quiet, in one run, on 127.0.0.1.

    python -m pip install '.[bench]' && python benchmarks/abuse.py [--seconds 20] [--clients 6]

Starts ``natograph serve`` with its default settings, then runs three phases of --seconds each, while
one visitor (the probe) asks ``/queries/partners?framework=MD`` every 50 ms:

    quiet      nothing else
    runaway    --clients clients looping a runaway cross join on /sparql (each waits for its answer,
               then asks again at once, whatever it was answered)
    doubling   --clients clients looping a query that doubles a string 30 times (2 GiB at the end)

Each client is a client of its own (its address given as a proxy on the machine gives it, in
``X-Forwarded-For``). For each phase it prints the probe's median and 99th percentile latency and its
failed requests, what the abusers were answered, the resident memory of the server and all its
processes (sampled every 20 ms, from /proc), and the CPU time the server's processes and the
benchmark's own used beside the wall time. Prints figures only; it asserts nothing. Targets (issue
27): under the runaway phase the probe's p50 <= 50 ms, p99 <= 500 ms, no failure; under the
doubling phase the server's memory under 1 GiB.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

PROBE = "/queries/partners?framework=MD"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DOUBLING = ('SELECT (STRLEN(?v30) AS ?n) WHERE { BIND("ab" AS ?v0) '
            + " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30)) + " }")
TICKS = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """*pid* and every process under it (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def resident_mib(pid: int) -> float:
    total = 0
    for member in tree(pid):
        try:
            total += int(re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{member}/status").read_text()).group(1))
        except (OSError, AttributeError):
            continue
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time of *pid*'s tree: each process's own, and that of its children it has reaped."""
    total = 0
    for member in tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
        except (OSError, IndexError, ValueError):
            continue
    return total / TICKS


def abuser(base: str, query: str, address: str, stop: float, answers) -> None:
    """One client: ask *query*, wait for the answer, ask again at once, until *stop*."""
    import httpx

    with httpx.Client(timeout=120, headers={"X-Forwarded-For": address}) as http:
        while time.time() < stop:
            try:
                status = http.post(base + "/sparql", data={"query": query}).status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            answers.put(status)


def phase(base: str, pid: int, query: str | None, clients: int, seconds: float) -> dict:
    import httpx

    answers = multiprocessing.Queue()
    stop = time.time() + seconds
    abusers = [multiprocessing.Process(target=abuser, args=(base, query, f"198.51.100.{i + 1}", stop, answers))
               for i in range(clients if query else 0)]
    memory, latencies, failures = [resident_mib(pid)], [], 0
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            memory.append(resident_mib(pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    cpu, own, wall = cpu_seconds(pid), time.process_time(), time.perf_counter()
    for process in abusers:
        process.start()
    sampler.start()
    with httpx.Client(timeout=60, headers={"X-Forwarded-For": "203.0.113.1"}) as http:
        time.sleep(min(1.0, seconds / 4))  # the abusers first
        while time.time() < stop:
            started = time.perf_counter()
            try:
                failures += http.get(base + PROBE).status_code != 200
            except httpx.HTTPError:
                failures += 1
            latencies.append(time.perf_counter() - started)
            time.sleep(max(0.0, 0.05 - (time.perf_counter() - started)))
    for process in abusers:
        process.join(180)
    sampling.set()
    sampler.join()
    answered = Counter()
    while not answers.empty():
        answered[answers.get()] += 1
    latencies.sort()
    return {"probes": len(latencies), "p50": statistics.median(latencies) * 1000,
            "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, "failed": failures,
            "peak": max(memory), "wall": time.perf_counter() - wall, "server_cpu": cpu_seconds(pid) - cpu,
            "own_cpu": time.process_time() - own, "abusers": answered}


def start(flags: list[str]) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "natograph", "serve", "--port", "0", *flags],
                               stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
    if not match:
        process.kill()
        sys.exit(f"benchmarks/abuse.py: natograph serve did not start: {line!r}")
    return process, match.group(1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20, help="seconds per phase (default 20)")
    parser.add_argument("--clients", type=int, default=6, help="abusive clients (default 6)")
    parser.add_argument("--phases", default="quiet,runaway,doubling", help="the phases to run, in order")
    parser.add_argument("--timeout", default=None, help="natograph serve --timeout (default: its own, 30 s)")
    args = parser.parse_args()
    from natograph import __version__

    load = os.getloadavg()[0]
    flags = ["--timeout", args.timeout] if args.timeout else []
    server, base = start(flags)
    try:
        import httpx

        httpx.get(base + PROBE, timeout=60)  # the store opened, the answer kept: as a visitor finds it
        idle = resident_mib(server.pid)
        queries = {"quiet": None, "runaway": RUNAWAY, "doubling": DOUBLING}
        results = {name: phase(base, server.pid, queries[name], args.clients, args.seconds)
                   for name in args.phases.split(",")}
    finally:
        server.terminate()
        server.wait(30)
    settings = "its default settings" + (" but " + " ".join(flags) if flags else "")
    print(f"# {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, natograph {__version__}, {os.cpu_count()} CPUs, "
          f"load average {load:.1f} before the run; natograph serve with {settings}; "
          f"{args.clients} abusive clients (distinct addresses), {args.seconds:g} s a phase; probe: GET {PROBE} "
          f"every 50 ms; client and server on the same machine; idle server {idle:.0f} MiB resident")
    print(f"{'phase':9} {'probes':>6} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'peak MiB':>8} {'wall s':>6} "
          f"{'server CPU s':>12} {'bench CPU s':>11}  abusers answered")
    for name, r in results.items():
        answered = ", ".join(f"{status}: {count}" for status, count in sorted(r["abusers"].items(), key=str)) or "-"
        print(f"{name:9} {r['probes']:>6} {r['p50']:>7.1f} {r['p99']:>7.1f} {r['failed']:>6} {r['peak']:>8.0f} "
              f"{r['wall']:>6.1f} {r['server_cpu']:>12.1f} {r['own_cpu']:>11.1f}  {answered}")
    quiet, runaway, doubling = (results.get(name) for name in ("quiet", "runaway", "doubling"))
    if quiet and runaway:
        print(f"runaway / quiet p50: {runaway['p50'] / quiet['p50']:.2f}x; runaway p50 {runaway['p50']:.1f} ms "
              f"(target <= 50), p99 {runaway['p99']:.1f} ms (target <= 500), {runaway['failed']} errors (target 0)")
    if doubling:
        print(f"doubling: peak {doubling['peak']:.0f} MiB resident, server and workers (target < 1024)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
