"""Load on ``natograph serve`` beside the real Oxigraph server, in the same run, on 127.0.0.1.

    python -m pip install '.[bench]' && python benchmarks/serve.py [--clients 8] [--many 16] [--requests 1500] [--seconds 30]

Starts ``natograph serve`` (its default settings) and ``oxigraph serve-read-only`` (loaded with
``natograph export --inferred --format ntriples``: the same triples natograph's default graph holds),
then drives each target for at most --requests requests or --seconds seconds:

    natograph /queries/NAME     the stored queries with parameters (a mix, round robin), --clients clients
    natograph /sparql           the same queries' bound SPARQL text, POSTed (SPARQL 1.1 Protocol)
    oxigraph  /query            the very same SPARQL text, POSTed
    natograph /queries/partners one stored query (partners, framework MD), --many clients
    oxigraph  /query            its bound text, POSTed, --many clients
    natograph 304               the same stored query with If-None-Match, one client, one after the other

Each client is a client of its own, on its own kept-alive connection (its address given as a proxy
on the machine gives it, in ``X-Forwarded-For``; Oxigraph ignores it); the load generator is a lean
HTTP/1.1 client on asyncio, so that it costs less than the servers it measures. It prints
requests/s, p50 and p99 latency, failures, the servers' CPU time per request (every process of the
server, from /proc) beside the wall time, and their resident memory sampled through the run. Prints
figures only; it asserts nothing. Targets: natograph's /sparql p50 within 2x Oxigraph's; the stored
query's p50 under --many clients at most 1.0x Oxigraph's on its bound text; a 304 in at most 2 ms of
the server's time; no error; memory flat.
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
from urllib.parse import urlencode, urlsplit

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
ONE = ("partners", {"framework": "MD"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of *pid* and all its descendants, in KiB (Linux /proc)."""
    from abuse import resident_mib

    return int(resident_mib(pid) * 1024)


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


class Connection:
    """One kept-alive HTTP/1.1 connection, as lean as a load generator's (httpx costs a client more
    CPU a request than a server spends answering, and would measure itself): a request written as
    bytes, the answer read by Content-Length or chunks."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}",
                *(f"{k}: {v}" for k, v in headers.items())]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readline()
        fields = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            while (size := int((await self.reader.readline()).split(b";")[0], 16)):
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        if fields.get("connection", "").lower() == "close":
            self.close()
        return int(status_line.split()[1])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def drive(make_request, *, clients: int, requests: int, seconds: float, sample, cpu) -> dict:
    """Run *clients* clients, each on its own connection asking ``make_request(index)`` (method, URL,
    headers, body, expected status) in turn; latencies, failures, memory samples, and the server's
    CPU seconds (``cpu()``) spent meanwhile."""
    latencies: list[float] = []
    failures = 0
    issued = 0
    memory: list[int] = []
    deadline = time.monotonic() + seconds

    async def client(number: int) -> None:
        nonlocal issued, failures
        address = {"X-Forwarded-For": f"198.51.100.{number + 1}"}
        connection = None
        while issued < requests and time.monotonic() < deadline:
            index = issued
            issued += 1
            method, url, headers, body, expected = make_request(index)
            parts = urlsplit(url)
            connection = connection or Connection(parts.hostname, parts.port)
            started = time.perf_counter()
            try:
                ok = await connection.request(method, parts.path + ("?" + parts.query if parts.query else ""),
                                              {**headers, **address}, body) == expected
            except (OSError, ValueError, asyncio.IncompleteReadError):
                connection.close()
                ok = False
            latencies.append(time.perf_counter() - started)
            failures += not ok
        if connection is not None:
            connection.close()

    async def sampler() -> None:
        while True:
            memory.append(sample())
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(sampler())
    used = cpu()
    started = time.perf_counter()
    await asyncio.gather(*(client(number) for number in range(clients)))
    elapsed = time.perf_counter() - started
    used = cpu() - used
    watcher.cancel()
    memory.append(sample())
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1000,
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "failures": failures,
        "cpu": used / max(1, len(latencies)) * 1000,
        "mem_start": memory[0] / 1024,
        "mem_end": memory[-1] / 1024,
        "mem_max": max(memory) / 1024,
    }


def _servers(tmp: str, oxigraph: str, args, processes: list) -> tuple[str, str, int, int]:
    """Start Oxigraph on the exported graph and natograph serve; their base URLs and process ids."""
    dump = Path(tmp) / "natograph.nt"
    subprocess.run([sys.executable, "-m", "natograph", "export", "--inferred", "--format", "ntriples", "-o", str(dump)],
                   check=True)
    subprocess.run([oxigraph, "load", "--location", f"{tmp}/db", "--file", str(dump)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ox_port = free_port()
    processes.append(subprocess.Popen([oxigraph, "serve-read-only", "--location", f"{tmp}/db", "--bind",
                                       f"127.0.0.1:{ox_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    serve = [sys.executable, "-m", "natograph", "serve", "--port", "0"]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    natograph = subprocess.Popen(serve, stdout=subprocess.PIPE, text=True)
    processes.append(natograph)
    base = re.search(r"(http://127\.0\.0\.1:\d+)", natograph.stdout.readline()).group(1)
    ox_base = f"http://127.0.0.1:{ox_port}"
    wait_http(ox_base + "/query?query=ASK%7B%7D")
    wait_http(base + "/queries")
    return base, ox_base, natograph.pid, processes[0].pid


def _targets(base: str, ox_base: str, natograph: int, oxigraph: int, args) -> list[tuple]:
    import httpx

    from natograph.queries.catalogue import get

    texts = [get(name).bound_text(params) for name, params in MIX]
    one = get(ONE[0]).bound_text(ONE[1])
    tag = httpx.get(f"{base}/queries/{ONE[0]}", params=ONE[1], headers={"Accept": "*/*"}, timeout=60).headers["etag"]

    def stored_request(i):
        name, params = MIX[i % len(MIX)]
        return "GET", f"{base}/queries/{name}?{urlencode(params)}", {}, b"", 200

    def sparql_request(url, queries):
        def make(i):
            return "POST", url, {"Content-Type": "application/sparql-query",
                                 "Accept": "application/sparql-results+json"}, queries[i % len(queries)].encode(), 200
        return make

    def one_request(i):
        return "GET", f"{base}/queries/{ONE[0]}?{urlencode(ONE[1])}", {"Accept": "*/*"}, b"", 200

    def not_modified(i):
        return "GET", f"{base}/queries/{ONE[0]}?{urlencode(ONE[1])}", {"Accept": "*/*", "If-None-Match": tag}, b"", 304

    return [
        ("natograph /queries/NAME", stored_request, natograph, args.clients),
        ("natograph /sparql", sparql_request(base + "/sparql", texts), natograph, args.clients),
        ("oxigraph  /query", sparql_request(ox_base + "/query", texts), oxigraph, args.clients),
        ("natograph /queries/partners", one_request, natograph, args.many),
        ("oxigraph  /query partners", sparql_request(ox_base + "/query", [one]), oxigraph, args.many),
        ("natograph 304", not_modified, natograph, 1),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--many", type=int, default=16, help="clients of the one stored query (default 16)")
    parser.add_argument("--requests", type=int, default=1500, help="requests per target at most")
    parser.add_argument("--seconds", type=float, default=30, help="seconds per target at most")
    parser.add_argument("--workers", type=int, default=None, help="natograph's query workers (default: its own)")
    args = parser.parse_args()

    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(oxigraph).exists():
        sys.exit("benchmarks/serve.py: the oxigraph binary is missing (python -m pip install '.[bench]')")
    from abuse import cpu_seconds

    processes: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="natograph-bench-") as tmp:
        try:
            base, ox_base, natograph, ox = _servers(tmp, oxigraph, args, processes)
            print(f"# {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, {os.cpu_count()} CPUs, "
                  f"{args.clients} clients for the mix ({len(MIX)} queries round robin), {args.many} for the one stored "
                  f"query, at most {args.requests} requests or {args.seconds:g} s per target; natograph serve with its "
                  f"default settings; client and servers on the same machine; load average {os.getloadavg()[0]:.1f}")
            print(f"{'target':28} {'clients':>7} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7} "
                  f"{'CPU ms/req':>10} {'errors':>6} {'RSS MiB start/end/max':>22}")
            results = {}
            for label, make, pid, clients in _targets(base, ox_base, natograph, ox, args):
                def sample(pid=pid):
                    return rss_kib(pid)

                def cpu(pid=pid):
                    return cpu_seconds(pid)

                # a short warm-up, then the measured run
                asyncio.run(drive(make, clients=clients, requests=clients * 4, seconds=10, sample=sample, cpu=cpu))
                r = asyncio.run(drive(make, clients=clients, requests=args.requests, seconds=args.seconds,
                                      sample=sample, cpu=cpu))
                results[label] = r
                print(f"{label:28} {clients:>7} {r['requests']:>8} {r['rps']:>6.0f} {r['p50']:>7.1f} {r['p99']:>7.1f} "
                      f"{r['cpu']:>10.2f} {r['failures']:>6} {r['mem_start']:>8.0f}/{r['mem_end']:.0f}/{r['mem_max']:.0f}")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
    ratio = results["natograph /sparql"]["p50"] / results["oxigraph  /query"]["p50"]
    print(f"natograph /sparql p50 / oxigraph p50: {ratio:.2f}x (target: within 2x)")
    ratio = results["natograph /queries/partners"]["p50"] / results["oxigraph  /query partners"]["p50"]
    print(f"natograph stored query p50 / oxigraph p50 on its text, {args.many} clients: {ratio:.2f}x (target <= 1.0x)")
    print(f"natograph 304: {results['natograph 304']['cpu']:.2f} ms of server CPU a request, "
          f"{results['natograph 304']['p50']:.2f} ms p50 seen by the client (target <= 2 ms of server time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
