"""Worker processes that run the queries, so a runaway query can be stopped; and the admission of
requests to them (a lane: its workers, its bounded queue, its cap per client).

pyoxigraph evaluates a query in Rust: no Python signal or thread can interrupt one ``next()``. So
every query runs in a worker process (each opens the store read-only with ``open_engine``). There are
two lanes, each a ``WorkerPool``: the stored queries, and ``/sparql``, so that ad-hoc queries cannot
make the catalogue wait.

An ad-hoc query (the ``isolated`` lane) runs in a child the worker forked (``queries.limits.Runner``),
at a lower CPU priority, under the memory ceiling (``--max-memory`` more than the worker holds) and
the deadline: a query past either, or one that crashes the parser, takes that child with it; the
worker answers 503 (500 for a crash) in one line and forks another child in about 2 ms, where
starting a worker anew takes seconds. A stored query runs in the worker itself (the catalogue's
queries are known); past the deadline its worker is killed and a fresh one started, as is any worker
that dies. A job is a picklable tuple; its answer is a ``jobs.Answer``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .jobs import Answer, error, run_job

_log = logging.getLogger("uvicorn.error")
NICE = 10
"""CPU priority of an ad-hoc query's child: the server, its pages and the stored queries come first."""
GRACE = 5.0
"""Seconds past ``--timeout`` the server waits for an isolated worker (which enforces the deadline on
its child itself) before it kills it."""


class Refused(Exception):
    """A request the lane does not take: ``status``, the one-line message and ``Retry-After`` seconds."""

    def __init__(self, status: int, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.status, self.retry_after = status, retry_after


@dataclass(frozen=True)
class Lane:
    """What a pool needs to know: its name, its size and limits, and what its workers load."""

    name: str
    size: int
    timeout: float
    max_rows: int
    queue: int
    queue_timeout: float
    per_client: int
    isolated: bool = False
    max_memory: int = 256
    max_answer: int = 16
    memory_triples: int = 0
    files: tuple[str, ...] | None = None


def _serve(conn, lane: Lane) -> None:  # the worker's main loop (a fresh, spawned process)
    import logging
    import signal

    from ..graph.store.opening import in_memory, open_engine

    # Ctrl-C reaches the whole process group: the server shuts the workers down itself, so a worker
    # ignores it rather than print a traceback from the middle of a query.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    engine = open_engine([Path(f) for f in lane.files] if lane.files is not None else None)
    if engine.triples <= lane.memory_triples:
        engine = in_memory(engine)
    # One query of each kind, here: what a query imports and warms (lazily, on first use) is then
    # held by every child forked for the next ones, instead of being loaded again in each.
    for job in (("sparql", "ASK { ?s ?p ?o }", None, None, None, None), ("stored", "frameworks", {}, None, None)):
        _answered(engine, job, lane)
    runner = _runner(engine, lane) if lane.isolated else None
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        if runner is None:
            answer = _answered(engine, job, lane)
        else:
            answer = _isolated(runner, engine, job, lane)
        conn.send(answer)
        if runner is not None:
            runner.prepare()  # after a stop, the next child, once the answer is on its way


def _answered(engine, job, lane: Lane) -> Answer:
    """*job*'s answer: never an exception (the server would see a broken pipe), never too big."""
    try:
        answer = run_job(engine, job, max_rows=lane.max_rows)
    except Exception as exc:
        return error(500, f"internal error: {type(exc).__name__}: {exc}")
    if len(answer.body) > lane.max_answer * 1024 * 1024:
        return error(503, f"the answer is over {lane.max_answer} MiB, the answer limit (--max-answer "
                          f"{lane.max_answer}); add a LIMIT")
    return answer


def _runner(engine, lane: Lane):
    import pickle

    from ..queries.limits import Limits, Runner

    def work(data: bytes) -> tuple[int, bytes]:
        return 0, pickle.dumps(_answered(engine, pickle.loads(data), lane))

    runner = Runner(work, Limits(timeout=lane.timeout, max_rows=None, max_memory_mib=lane.max_memory), nice=NICE)
    runner.prepare()
    return runner


def _isolated(runner, engine, job, lane: Lane) -> Answer:
    """*job* run by the runner child: its answer, or the limit that stopped it."""
    import pickle

    from ..queries.limits import LimitError
    from .dataset import needs_preparing, prepare

    if job[0] == "sparql" and job[-1] is not None and needs_preparing(engine):
        runner.close()  # the next child must hold the dataset's graphs: build them once, here
        prepare(engine)
    try:
        code, payload = runner.run(pickle.dumps(job))
    except LimitError as exc:
        if exc.kind == "time":
            return _timed_out(lane.timeout)
        if exc.kind == "memory":
            return error(503, f"query stopped: it needed more than {lane.max_memory} MiB of memory, the limit "
                              f"(--max-memory {lane.max_memory})")
        _log.warning("natograph: a query crashed its process: %s", exc)
        return error(500, f"query stopped: {exc}")
    if code != 0 or not payload:
        return error(500, "internal error: the query's process failed (see the server's log)")
    return pickle.loads(payload)


def _timed_out(timeout: float) -> Answer:
    return Answer(503, "text/plain; charset=utf-8",
                  f"query stopped: it ran past the {timeout:g} s limit (--timeout {timeout:g})\n".encode(),
                  {"Retry-After": "1"})


class _Worker:
    def __init__(self, ctx, lane: Lane) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, lane), daemon=True, name=f"natograph-{lane.name}")
        self.process.start()
        child.close()
        self.jobs = 0

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
        self.process.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()


class WorkerPool:
    """The workers of one lane; ``run(job, client)`` gives the job to a free one, or refuses it at once
    (``Refused``): 429 past the client's share, 503 when the queue is full or the wait too long; past the
    deadline, 503."""

    def __init__(self, lane: Lane) -> None:
        self.lane = lane
        self.deadline = lane.timeout + GRACE if lane.isolated else lane.timeout
        self._ctx = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._waiting = 0
        self._clients: Counter[str] = Counter()
        self.killed = 0
        self._starting: set[asyncio.Task] = set()
        self._threads: ThreadPoolExecutor | None = None
        self._closed = False

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        self._threads = ThreadPoolExecutor(max_workers=self.lane.size, thread_name_prefix=f"natograph-{self.lane.name}")
        await asyncio.gather(*(self._add() for _ in range(self.lane.size)))

    async def _add(self) -> None:
        if self._closed:
            return
        worker = _Worker(self._ctx, self.lane)
        self._all.add(worker)
        ready = await asyncio.get_running_loop().run_in_executor(None, _wait_ready, worker)
        if not ready or self._closed:
            worker.kill()
            self._all.discard(worker)
            if self._closed:
                return
            raise RuntimeError("a query worker failed to start (see the messages above)")
        assert self._idle is not None
        self._idle.put_nowait(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self._all.discard(worker)
        self.killed += 1
        task = asyncio.get_running_loop().create_task(self._add())
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    def _admit(self, client: str) -> None:
        lane = self.lane
        if self._clients[client] >= lane.per_client:
            raise Refused(429, f"too many queries at once from {client}: at most {lane.per_client} "
                               f"({lane.name}, --per-client); try again when one is answered", 2)
        assert self._idle is not None
        if self._idle.empty() and self._waiting >= lane.queue:
            raise Refused(503, f"every {lane.name} worker is busy and {lane.queue} queries are waiting "
                               "(--queue); try again shortly", 5)

    async def run(self, job, client: str = "") -> Answer:
        assert self._idle is not None and self._threads is not None, "the pool is not started"
        self._admit(client)
        self._clients[client] += 1
        try:
            return await self._run(job)
        finally:
            self._clients[client] -= 1
            if not self._clients[client]:
                del self._clients[client]

    async def _run(self, job) -> Answer:
        assert self._idle is not None
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.lane.queue_timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise Refused(503, f"every {self.lane.name} worker stayed busy for {self.lane.queue_timeout:g} s "
                               "(--queue-timeout); try again", 5) from None
        finally:
            self._waiting -= 1
        loop = asyncio.get_running_loop()
        try:
            # A thread waits on the pipe (blocking, with the deadline): this works whatever the event
            # loop (uvloop makes the file descriptors it watches non-blocking, which a Connection cannot read).
            answer = await loop.run_in_executor(self._threads, _exchange, worker, job, self.deadline)
        except (EOFError, OSError):
            self._replace(worker)
            _log.warning("natograph: a %s worker died; it was replaced", self.lane.name)
            return error(500, "the query's worker died; it was replaced: try again")
        except asyncio.CancelledError:  # the client went away mid-query: the worker's state is unknown
            self._replace(worker)
            raise
        if answer is _TIMED_OUT:
            self._replace(worker)
            return _timed_out(self.lane.timeout)
        worker.jobs += 1
        self._idle.put_nowait(worker)
        return answer

    async def close(self) -> None:
        self._closed = True
        for task in list(self._starting):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(Exception):
                worker.conn.send(None)
        for worker in list(self._all):
            worker.process.join(1)
            worker.kill()
        self._all.clear()
        if self._threads is not None:
            self._threads.shutdown(wait=False, cancel_futures=True)

    def pids(self) -> list[int]:
        return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    def health(self) -> dict:
        """The lane now: its workers' process ids, how many run a query, how many queries wait."""
        idle = self._idle.qsize() if self._idle is not None else 0
        return {"workers": self.pids(), "busy": len(self._all) - idle, "waiting": self._waiting,
                "replaced": self.killed}


_TIMED_OUT = object()


def _exchange(worker: _Worker, job, timeout: float):
    """Send *job* to *worker* and wait for its answer: the answer, or _TIMED_OUT."""
    worker.conn.send(job)
    if not worker.conn.poll(timeout):
        return _TIMED_OUT
    return worker.conn.recv()


def _wait_ready(worker: _Worker) -> bool:
    try:
        if worker.conn.poll(120):
            return worker.conn.recv() == "ready"
    except (EOFError, OSError):
        pass
    return False
