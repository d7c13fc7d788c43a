"""Load on ``natograph serve`` beside the real Oxigraph server, in the same run, on 127.0.0.1.

    python -m pip install '.[bench]' && python benchmarks/serve.py [--clients 8] [--requests 1500] [--seconds 30]

Starts ``natograph serve`` and ``oxigraph serve-read-only`` (loaded with ``natograph export
--inferred --format ntriples``: the same triples natograph's default graph holds), then drives, from
--clients concurrent clients, each target for at most --requests requests or --seconds seconds:

    natograph /queries/NAME     the stored queries with parameters (a mix, round robin)
    natograph /sparql           the same queries' bound SPARQL text, POSTed (SPARQL 1.1 Protocol)
    oxigraph  /query            the very same SPARQL text, POSTed

and prints requests/s, p50 and p99 latency, failures, and the resident memory of each server
(natograph: the server and its query workers) sampled through the run. Prints figures only; it
asserts nothing. Target: natograph's /sparql p50 within 2x Oxigraph's, no failed request, memory flat.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MIX = [
    ("partners", {"framework": "MD"}),
    ("partners", {"as_of": "2000"}),
    ("members", {"as_of": "2004"}),
    ("frameworks", {}),
    ("country", {"code": "FR"}),
    ("initiative-participants", {"initiative": "EOP"}),
    ("timeline", {"from": "2010"}),
    ("summits", {}),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of *pid* and all its descendants, in KiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, AttributeError):
            continue
    return total


def wait_http(url: str, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


async def drive(make_request, *, clients: int, requests: int, seconds: float, sample) -> dict:
    import httpx

    latencies: list[float] = []
    failures = 0
    issued = 0
    memory: list[int] = []
    deadline = time.monotonic() + seconds

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal issued, failures
        while issued < requests and time.monotonic() < deadline:
            index = issued
            issued += 1
            method, url, kwargs = make_request(index)
            started = time.perf_counter()
            try:
                response = await http.request(method, url, **kwargs)
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - started)
            failures += not ok

    async def sampler() -> None:
        while True:
            memory.append(sample())
            await asyncio.sleep(0.5)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        watcher = asyncio.create_task(sampler())
        started = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - started
        watcher.cancel()
    memory.append(sample())
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "failures": failures,
        "mem_start": memory[0] / 1024,
        "mem_end": memory[-1] / 1024,
        "mem_max": max(memory) / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1500, help="requests per target at most")
    parser.add_argument("--seconds", type=float, default=30, help="seconds per target at most")
    parser.add_argument("--workers", type=int, default=None, help="natograph's query workers (default: its own)")
    args = parser.parse_args()

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(oxigraph).exists():
        sys.exit("benchmarks/serve.py: the oxigraph binary is missing (python -m pip install '.[bench]')")

    from natograph.queries.catalogue import get

    texts = [get(name).bound_text(params) for name, params in MIX]
    stored = [(name, params) for name, params in MIX]
    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="natograph-bench-") as tmp:
        dump = Path(tmp) / "natograph.nt"
        subprocess.run([sys.executable, "-m", "natograph", "export", "--inferred", "--format", "ntriples", "-o", str(dump)],
                       check=True)
        subprocess.run([oxigraph, "load", "--location", f"{tmp}/db", "--file", str(dump)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            ox_port = free_port()
            processes.append(subprocess.Popen([oxigraph, "serve-read-only", "--location", f"{tmp}/db", "--bind",
                                               f"127.0.0.1:{ox_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            serve = [sys.executable, "-m", "natograph", "serve", "--port", "0", "--timeout", "30"]
            if args.workers:
                serve += ["--workers", str(args.workers)]
            natograph = subprocess.Popen(serve, stdout=subprocess.PIPE, text=True)
            processes.append(natograph)
            line = natograph.stdout.readline()
            base = re.search(r"(http://127\.0\.0\.1:\d+)", line).group(1)
            ox_base = f"http://127.0.0.1:{ox_port}"
            wait_http(ox_base + "/query?query=ASK%7B%7D")
            wait_http(base + "/queries")

            def stored_request(i):
                name, params = stored[i % len(stored)]
                return "GET", f"{base}/queries/{name}", {"params": params}

            def sparql_request(url):
                def make(i):
                    return "POST", url, {"content": texts[i % len(texts)].encode(), "headers": {
                        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}}
                return make

            targets = [
                ("natograph /queries/NAME", stored_request, natograph.pid),
                ("natograph /sparql", sparql_request(base + "/sparql"), natograph.pid),
                ("oxigraph  /query", sparql_request(ox_base + "/query"), processes[0].pid),
            ]
            print(f"# {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {os.cpu_count()} CPUs, "
                  f"{args.clients} clients, at most {args.requests} requests or {args.seconds:g} s per target, "
                  f"{len(MIX)} queries round robin; client and servers on the same machine; "
                  f"load average {os.getloadavg()[0]:.1f}")
            print(f"{'target':26} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>6} "
                  f"{'RSS MiB start/end/max':>22}")
            results = {}
            for label, make, pid in targets:
                # a short warm-up, then the measured run
                asyncio.run(drive(make, clients=args.clients, requests=args.clients * 4, seconds=10,
                                  sample=lambda pid=pid: rss_kib(pid)))
                r = asyncio.run(drive(make, clients=args.clients, requests=args.requests, seconds=args.seconds,
                                      sample=lambda pid=pid: rss_kib(pid)))
                results[label] = r
                print(f"{label:26} {r['requests']:>8} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} "
                      f"{r['failures']:>6} {r['mem_start']:>8.0f}/{r['mem_end']:.0f}/{r['mem_max']:.0f}")
            ratio = results["natograph /sparql"]["p50"] / results["oxigraph  /query"]["p50"]
            print(f"natograph /sparql p50 / oxigraph p50: {ratio:.2f}x (target: within 2x)")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
