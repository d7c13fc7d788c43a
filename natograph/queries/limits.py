"""Limits that hold: a deadline and a memory ceiling on evaluation, a cap on result rows, and a bound
on how deeply a query may nest.

pyoxigraph evaluates a query in Rust without giving control back to Python: no signal handler runs
until the evaluation step returns (measured: a SIGALRM due after 2 s was still pending after 60 s of
a three-pattern cross join; Ctrl-C is just as deaf). So the work runs in a forked child process that
the parent kills at the deadline (fork costs about 0.5 ms before the store is open, 5 ms after).
The child also runs under an address-space ceiling (RLIMIT_AS), and a crash of the child (Oxigraph's
parser overflows its stack on about 10,000 nested or chained operators) is reported in one line
instead of taking the process down. The child sends back the bytes to print; nothing is printed
until the work is complete, so a stopped command never leaves half an answer.

One ``Limits`` object carries the settings (``natograph`` builds it from ``--timeout``,
``--max-rows`` and ``--max-memory``). A server, which cannot pay for a fork on every request, keeps
a ``Runner``: a child it forks once, that runs its works one after the other under the same
limits, and is forked again (in about 2 ms, not the seconds of a new process) when a limit stopped one.
"""

from __future__ import annotations

import os
import selectors
import signal
import sys
import time
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator

from ..errors import NatographError

DEFAULT_TIMEOUT = 30.0
"""Seconds a query or sparql command may evaluate (the shipped store is opened, or built once, before
the clock starts)."""

DEFAULT_VALIDATE_TIMEOUT = 120.0
"""Seconds a validate command may run, inference on the user's files included (validating the
shipped graph takes 2.5 s warm; 56 s was measured for a cold run under a load of 12 on 2 cores)."""

DEFAULT_MAX_ROWS = 100_000
"""Rows a SELECT may return (the largest stored query returns a few hundred)."""

DEFAULT_MAX_MEMORY_MIB = 2048
"""Address space of the evaluating process, in MiB (validating the shipped graph runs within 512 MiB;
the shipped store itself is opened, or built, before the child starts, outside this ceiling)."""

MAX_NESTING = 100
"""Brackets ( [ { a query may nest; the stored queries nest 6 deep at most."""

if False:  # typing.TYPE_CHECKING, without importing typing on the cold path
    from typing import TypeVar

    _T = TypeVar("_T")


class LimitError(NatographError):
    """A limit stopped the work (exit code 2); the message names the limit and its flag. ``kind``
    says which: ``time``, ``memory``, ``crash`` (the child died of a signal), ``rows`` or ``nesting``."""

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind


# A named tuple, not a dataclass: dataclasses imports inspect, 10 ms a cold query does not need.
class Limits(namedtuple("Limits", "timeout max_rows max_memory_mib",
                        defaults=(DEFAULT_TIMEOUT, DEFAULT_MAX_ROWS, DEFAULT_MAX_MEMORY_MIB))):
    """The limits of one command or request: ``timeout`` (seconds), ``max_rows``, ``max_memory_mib``.
    None switches a limit off."""

    __slots__ = ()


def check_nesting(text: str, *, limit: int = MAX_NESTING) -> None:
    """Refuse a query nested deeper than *limit* brackets, before any parser sees it."""
    from .lexer import tokens

    depth = 0
    for token in tokens(text):
        if token.kind != "punct":
            continue
        if token.text in "([{":
            depth += 1
            if depth > limit:
                raise LimitError(f"the query nests brackets more than {limit} deep (the nesting limit)", "nesting")
        elif token.text in ")]}" and depth:
            depth -= 1


def capped(rows: Iterable[_T], max_rows: int | None) -> Iterator[_T]:
    """*rows*, stopping with a LimitError at row *max_rows* + 1: never more than that in memory."""
    for number, row in enumerate(rows, start=1):
        if max_rows is not None and number > max_rows:
            raise LimitError(f"the result has more than {max_rows} rows (--max-rows {max_rows}); "
                             "add a LIMIT or raise --max-rows", "rows")
        yield row


def _address_space() -> int:
    """This process's address space now, in bytes (0 where /proc cannot say)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_under_ceiling = False


def _limit_memory(mib: int | None, *, above: int = 0) -> None:
    """Cap the address space at *mib* MiB (*above* bytes more: what the process holds already)."""
    global _under_ceiling
    if mib is None:
        return
    try:
        import resource

        ceiling = above + mib * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            ceiling = min(ceiling, hard)
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, hard))
        _under_ceiling = True
    except (ImportError, ValueError, OSError):
        pass


def memory_failure(exc: BaseException) -> bool:
    """Whether *exc*, in the child ``run_limited`` runs, is the memory ceiling's doing: a MemoryError,
    or a module whose shared library the dynamic loader could not map under the ceiling (``import
    csv`` under ``--max-memory 1`` is an ImportError: 'failed to map segment from shared object')."""
    if not _under_ceiling:
        return False
    if isinstance(exc, MemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, (ImportError, OSError)) and ("failed to map" in text or "cannot allocate memory" in text)


_MEMORY_EXIT = 86  # the child ran out of memory under the ceiling


def run_limited(work: Callable[[], tuple[int, bytes]], limits: Limits) -> tuple[int, bytes]:
    """Run *work* (which returns an exit code and the bytes to print) in a forked child under
    *limits*: killed at the deadline, under the memory ceiling. Returns what *work* returned.

    Errors *work* reports itself (on stderr, in the child) come back as its exit code. A stop at a
    limit, or a crash, is a LimitError. Without fork (Windows), *work* runs here, without a deadline.
    """
    if not hasattr(os, "fork"):
        return work()
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    pid = os.fork()
    if pid == 0:  # the child: never returns
        _child(work, limits, read_fd, write_fd)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)  # also here, so that a kill right after fork reaches the whole group
    except OSError:
        pass
    previous = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread (a server's worker): its caller handles SIGTERM
        previous = None
    try:
        return _collect(pid, read_fd, limits)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_fd)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _child(work: Callable[[], tuple[int, bytes]], limits: Limits, read_fd: int, write_fd: int, *,
           above: int = 0) -> None:
    """The forked child of ``run_limited``: run *work* under the memory ceiling, send its bytes, exit
    with its code (a failure of its own as one line on the real stderr, never a traceback)."""
    code = 70
    saved_stderr = 2
    try:
        os.close(read_fd)
        # Native code (Oxigraph, on a failed allocation) writes to file descriptor 2 directly;
        # the parent says what happened in one line instead.
        saved_stderr = os.dup(2)
        if "faulthandler" in sys.modules:  # (pytest's, -X faulthandler): it would print a traceback
            sys.modules["faulthandler"].disable()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
        os.setpgid(0, 0)  # its own process group: the deadline kills its helpers too
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _limit_memory(limits.max_memory_mib, above=above)
        code, out = work()
        view = memoryview(out)
        while view:
            view = view[os.write(write_fd, view):]
        os.close(write_fd)  # the end of the answer now, not once the process is torn down
    except MemoryError:
        code = _MEMORY_EXIT
    except BaseException as exc:  # one line, never a traceback
        try:
            from ..output import visible

            line = visible(" ".join(f"natograph: error: internal error ({type(exc).__name__}: {exc})".split()))
            os.write(saved_stderr, (line + "\n").encode("utf-8", "replace"))
        except BaseException:
            pass
        code = 70
    finally:
        os._exit(code)


def _collect(pid: int, read_fd: int, limits: Limits) -> tuple[int, bytes]:
    deadline = None if limits.timeout is None else time.monotonic() + limits.timeout
    chunks = []
    with selectors.DefaultSelector() as selector:
        selector.register(read_fd, selectors.EVENT_READ)
        while True:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                _kill(pid)
                raise LimitError(f"stopped after {limits.timeout:g} s: the time limit (--timeout {limits.timeout:g})",
                                 "time")
            if selector.select(remaining):
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    _stopped_by(status, limits)
    code = os.WEXITSTATUS(status)
    if code == 70:
        return 2, b""  # the child said why, in one line
    return code, b"".join(chunks)


def _stopped_by(status: int, limits: Limits) -> None:
    """Raise the LimitError a child's wait *status* means: killed by a signal, or out of memory."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        if number == signal.SIGABRT and limits.max_memory_mib is not None:  # a failed allocation in Rust
            raise LimitError(_memory_message(limits), "memory")
        if number == signal.SIGSEGV:
            raise LimitError("the evaluation crashed (SIGSEGV): the query nests or chains too many operators", "crash")
        raise LimitError(f"the evaluation was stopped by {name}", "crash")
    if os.WEXITSTATUS(status) == _MEMORY_EXIT:
        raise LimitError(_memory_message(limits), "memory")


def _memory_message(limits: Limits) -> str:
    return (f"stopped: the work needed more than {limits.max_memory_mib} MiB, "
            f"the memory limit (--max-memory {limits.max_memory_mib})")


class Runner:
    """A child a server forks to run its works one after the other, under *limits*: the memory
    ceiling counted from what the server's process held when it forked (``max_memory_mib`` more),
    each work's deadline, CPU priority *nice*. ``run(data)`` gives *data* to ``work(data)`` (which
    returns an exit code and bytes) in the child and returns what it returned. A work past the
    deadline, over the memory ceiling, or that crashes the child, is a LimitError, and the child is
    gone; ``prepare()`` forks the next one (about 2 ms: the child shares the parent's memory), as
    ``run`` does when none is ready. A child whose memory grew by more than a quarter of the ceiling
    leaves after its answer, and one past *works* works too, so none carries a big query's heap on.
    A child dies with its parent (Linux: PR_SET_PDEATHSIG)."""

    def __init__(self, work: Callable[[bytes], tuple[int, bytes]], limits: Limits, *, nice: int = 0,
                 works: int = 10_000) -> None:
        self.work, self.limits, self.nice, self.works = work, limits, nice, works
        self.pid, self._job, self._answer = 0, -1, -1

    def prepare(self) -> None:
        """Fork the child unless it is there."""
        if self.pid:
            return
        import ctypes  # noqa: F401  (imported here once, not in every child)

        above = _address_space()
        parent = os.getpid()
        job_r, job_w = os.pipe()
        answer_r, answer_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                os.close(job_w)
                os.close(answer_r)
                _die_with(parent)
                _serve_works(self, job_r, answer_w, above)
            finally:
                os._exit(0)
        os.close(job_r)
        os.close(answer_w)
        self.pid, self._job, self._answer = pid, job_w, answer_r

    def run(self, data: bytes) -> tuple[int, bytes]:
        self.prepare()
        try:
            _write_all(self._job, len(data).to_bytes(8, "big") + data)
        except BrokenPipeError:  # the child is gone: reading says how
            pass
        try:
            head, body = _read_answer(self._answer, self.limits)
        except BaseException:
            self.close()
            raise
        if head is None:  # the child died before it answered
            pid = self.pid
            self._forget()
            _, status = os.waitpid(pid, 0)
            _stopped_by(status, self.limits)
            raise LimitError("the evaluation stopped without an answer", "crash")
        code, last = head
        if last:  # the child leaves: reap it, the next run forks another
            pid = self.pid
            self._forget()
            os.waitpid(pid, 0)
        if code == _MEMORY_EXIT:
            raise LimitError(_memory_message(self.limits), "memory")
        return code, body

    def _forget(self) -> None:
        for fd in (self._job, self._answer):
            if fd >= 0:
                os.close(fd)
        self.pid, self._job, self._answer = 0, -1, -1

    def close(self) -> None:
        """Stop the child, if there is one."""
        pid = self.pid
        self._forget()
        if pid:
            _kill(pid)


def _serve_works(runner: Runner, job_fd: int, answer_fd: int, above: int) -> None:
    """The child of a Runner: one work after the other until the parent closes the pipe, or the
    child has grown too much. Answers: [code, last] + 8-byte length + bytes."""
    null = os.open(os.devnull, os.O_WRONLY)  # native code writes to fd 2 on a failed allocation: the
    saved_stderr = os.dup(2)                 # parent says what happened, in one line
    os.dup2(null, 2)
    if "faulthandler" in sys.modules:
        sys.modules["faulthandler"].disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if runner.nice:
        os.nice(runner.nice)
    _limit_memory(runner.limits.max_memory_mib, above=above)
    grown = above + (runner.limits.max_memory_mib or 0) * 1024 * 1024 // 4
    for number in range(1, runner.works + 1):
        size = int.from_bytes(_read_exactly(job_fd, 8) or b"\0" * 8, "big")
        data = _read_exactly(job_fd, size) if size else b""
        if not data:
            return
        out = b""
        try:
            code, out = runner.work(data)
        except MemoryError:
            code = _MEMORY_EXIT
        except BaseException as exc:  # one line, never a traceback
            line = " ".join(f"natograph: error: internal error ({type(exc).__name__}: {exc})".split())
            os.write(saved_stderr, (line + "\n").encode("utf-8", "replace"))
            code = 70
        last = code in (_MEMORY_EXIT, 70) or number == runner.works or _address_space() > grown
        _write_all(answer_fd, bytes([code, last]) + len(out).to_bytes(8, "big") + out)
        if last:
            return


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_answer(fd: int, limits: Limits) -> tuple[tuple[int, bool] | None, bytes]:
    """A Runner child's answer: ((code, last), bytes), or (None, b"") when the child died first; at
    the deadline, a LimitError (the caller kills the child)."""
    deadline = None if limits.timeout is None else time.monotonic() + limits.timeout
    data = bytearray()
    needed = 10
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while len(data) < needed:
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise LimitError(f"stopped after {limits.timeout:g} s: the time limit (--timeout {limits.timeout:g})",
                                 "time")
            if selector.select(remaining):
                chunk = os.read(fd, max(1 << 16, needed - len(data)))
                if not chunk:
                    return None, b""
                data += chunk
                if len(data) >= 10:
                    needed = 10 + int.from_bytes(data[2:10], "big")
    return (data[0], bool(data[1])), bytes(data[10:needed])


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 16))
        if not chunk:
            return b""
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies (Linux); exit if it is dead already."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(0)


class Terminated(KeyboardInterrupt):
    """SIGTERM while waiting for the child: stop it, then stop."""


def _terminated(signum, frame):
    raise Terminated()


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            continue
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
