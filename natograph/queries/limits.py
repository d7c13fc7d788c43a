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
``--max-rows`` and ``--max-memory``; the web server can pass its own to ``run_limited``).
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
    """A limit stopped the work (exit code 2); the message names the limit and its flag."""


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
                raise LimitError(f"the query nests brackets more than {limit} deep (the nesting limit)")
        elif token.text in ")]}" and depth:
            depth -= 1


def capped(rows: Iterable[_T], max_rows: int | None) -> Iterator[_T]:
    """*rows*, stopping with a LimitError at row *max_rows* + 1: never more than that in memory."""
    for number, row in enumerate(rows, start=1):
        if max_rows is not None and number > max_rows:
            raise LimitError(f"the result has more than {max_rows} rows (--max-rows {max_rows}); "
                             "add a LIMIT or raise --max-rows")
        yield row


_under_ceiling = False


def _limit_memory(mib: int | None) -> None:
    global _under_ceiling
    if mib is None:
        return
    try:
        import resource

        ceiling = mib * 1024 * 1024
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


def _child(work: Callable[[], tuple[int, bytes]], limits: Limits, read_fd: int, write_fd: int) -> None:
    """The forked child of ``run_limited``: run *work* under the memory ceiling, send its bytes, exit
    with its code (a failure of its own as one line on the real stderr, never a traceback)."""
    code = 70
    saved_stderr = 2
    try:
        os.close(read_fd)
        # Native code (Oxigraph, on a failed allocation) writes to file descriptor 2 directly;
        # the parent says what happened in one line instead.
        saved_stderr = os.dup(2)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)
        os.close(null)
        os.setpgid(0, 0)  # its own process group: the deadline kills its helpers too
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        _limit_memory(limits.max_memory_mib)
        code, out = work()
        view = memoryview(out)
        while view:
            view = view[os.write(write_fd, view):]
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
                raise LimitError(f"stopped after {limits.timeout:g} s: the time limit (--timeout {limits.timeout:g})")
            if selector.select(remaining):
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        name = signal.Signals(number).name if number in signal.Signals._value2member_map_ else str(number)
        if number == signal.SIGABRT and limits.max_memory_mib is not None:  # a failed allocation in Rust
            raise LimitError(_memory_message(limits))
        if number == signal.SIGSEGV:
            raise LimitError("the evaluation crashed (SIGSEGV): the query nests or chains too many operators")
        raise LimitError(f"the evaluation was stopped by {name}")
    code = os.WEXITSTATUS(status)
    if code == _MEMORY_EXIT:
        raise LimitError(_memory_message(limits))
    if code == 70:
        return 2, b""  # the child said why, in one line
    return code, b"".join(chunks)


def _memory_message(limits: Limits) -> str:
    return (f"stopped: the work needed more than {limits.max_memory_mib} MiB, "
            f"the memory limit (--max-memory {limits.max_memory_mib})")


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
