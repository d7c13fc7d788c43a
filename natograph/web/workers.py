"""Worker processes that run the queries, so a runaway query can be stopped.

pyoxigraph evaluates a query in Rust: no Python signal or thread can interrupt one ``next()``. So
every query runs in a worker process (each opens the store read-only with ``open_engine``); when a
query runs past the timeout, the server kills that worker and starts a fresh one, while the other
workers keep answering. A job is a picklable tuple; its answer is a ``jobs.Answer``.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .jobs import Answer, run_job


class QueryTimeout(Exception):
    """The query ran past the timeout; its worker was killed."""


class Busy(Exception):
    """No worker became free in time."""


def _serve(conn, files, max_rows: int, memory_triples: int) -> None:  # the worker's main loop (a fresh, spawned process)
    import logging
    import signal

    from ..graph.store.opening import in_memory, open_engine

    # Ctrl-C reaches the whole process group: the server shuts the workers down itself, so a worker
    # ignores it rather than print a traceback from the middle of a query.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    engine = open_engine([Path(f) for f in files] if files is not None else None)
    if engine.triples <= memory_triples:
        engine = in_memory(engine)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            answer = run_job(engine, job, max_rows=max_rows)
        except Exception as exc:  # never die on one bad job: the server would see a broken pipe
            answer = Answer(500, "text/plain; charset=utf-8", f"internal error: {type(exc).__name__}: {exc}\n".encode())
        conn.send(answer)


class _Worker:
    def __init__(self, ctx, files, max_rows: int, memory_triples: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child, files, max_rows, memory_triples), daemon=True,
                                   name="natograph-worker")
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
    """``size`` worker processes; ``run(job)`` gives the job to a free one, with a timeout."""

    def __init__(self, size: int, *, timeout: float, queue_timeout: float, max_rows: int,
                 files: tuple[Path, ...] | None = None, memory_triples: int = 0) -> None:
        self.size = size
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.max_rows = max_rows
        self.memory_triples = memory_triples
        self.files = None if files is None else tuple(str(f) for f in files)
        self._ctx = multiprocessing.get_context("spawn")  # never fork a process that runs threads
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self.killed = 0
        self._starting: set[asyncio.Task] = set()
        self._threads: ThreadPoolExecutor | None = None

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        self._threads = ThreadPoolExecutor(max_workers=self.size, thread_name_prefix="natograph-pipe")
        await asyncio.gather(*(self._add() for _ in range(self.size)))

    async def _add(self) -> None:
        worker = _Worker(self._ctx, self.files, self.max_rows, self.memory_triples)
        self._all.add(worker)
        loop = asyncio.get_running_loop()
        ready = await loop.run_in_executor(None, _wait_ready, worker)
        if not ready:
            worker.kill()
            self._all.discard(worker)
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

    async def run(self, job) -> Answer:
        assert self._idle is not None and self._threads is not None, "the pool is not started"
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_timeout)
        except (asyncio.TimeoutError, TimeoutError):
            raise Busy from None
        started = time.monotonic()
        loop = asyncio.get_running_loop()
        try:
            # A thread waits on the pipe (blocking, with the timeout): this works whatever the event
            # loop (uvloop makes the file descriptors it watches non-blocking, which a Connection cannot read).
            answer = await loop.run_in_executor(self._threads, _exchange, worker, job, self.timeout)
        except (EOFError, OSError, asyncio.CancelledError):
            # The worker died, or the client went away mid-query: its state is unknown, replace it.
            self._replace(worker)
            raise
        if answer is _TIMED_OUT:
            self._replace(worker)
            raise QueryTimeout(time.monotonic() - started)
        worker.jobs += 1
        self._idle.put_nowait(worker)
        return answer

    async def close(self) -> None:
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
