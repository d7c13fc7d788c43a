"""Writing what natograph produces, all of it or a clear error: to standard output (``write_bytes``),
or to a file replaced atomically (``write_atomic``), in blocks that are never joined (``blocks``).

Two layers write: the command line (every command's standard output) and the exporter (``-o FILE``);
neither knows RDF here, so this module sits on the floor, beside ``errors``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import sys
import threading
from pathlib import Path

from .errors import InputError


def write_bytes(data: bytes) -> None:
    """Write *data* to standard output, all of it or an OSError: a buffered write can stop short
    without an error (under a file size limit it returns the count it managed)."""
    sys.stdout.flush()
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests capture it)
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES: dict[int, str] = {}


def visible(text: str) -> str:
    """*text* as a terminal should show it: C0 and C1 control characters (ESC, BEL, CR, a line break,
    DEL...) and the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) written as
    escapes (``\\x1b``, ``\\u202e``; ``\\t``, ``\\n``, ``\\r``), so that a label from the data can neither clear the screen,
    retitle the terminal, rewrite a line nor reverse what follows it. Every text natograph writes for
    people to read (tables, diffs, reports, messages) goes through here; machine formats (CSV, TSV,
    JSON, XML, RDF) carry the data as it is."""
    if not _ESCAPES:
        _ESCAPES.update({code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in _CONTROLS})
        _ESCAPES.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
    return text.translate(_ESCAPES)


BLOCK = 1 << 20


def blocks(data: bytes | list[bytes]):
    """*data* (bytes, or lines) as blocks of about BLOCK bytes to write one after the other."""
    if isinstance(data, bytes):
        yield data
        return
    batch: list[bytes] = []
    size = 0
    for line in data:
        batch.append(line)
        size += len(line)
        if size >= BLOCK:
            yield b"".join(batch)
            batch.clear()
            size = 0
    if batch:
        yield b"".join(batch)


def write_atomic(path: str | Path, data: bytes | list[bytes]) -> None:
    """Write *data* (bytes, or lines written one after the other) to *path* without ever destroying
    what is there.

    ``-`` is standard output. A symbolic link is followed to its target (the link stays). A device,
    FIFO or socket is written in place, never replaced (``-o /dev/null`` stays a device). A regular
    file is written through a temporary file in the same folder, then renamed over the target: a
    reader sees the old file or the whole new one. A new file gets the umask's mode, an existing one
    keeps its mode (and, when permitted, its owner). The temporary file is removed on every failure,
    Ctrl-C and SIGTERM; one left by a process killed outright is removed by the next write.
    """
    import secrets  # not at the top: a command that writes to standard output does not pay for it

    if str(path) == "":
        raise InputError("the output file name is empty (give a file name, or '-' for standard output)")
    if str(path) == "-":
        _write_stream(data)
        return
    given = str(path)
    target = Path(os.path.realpath(given))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(_reason(exc), path=given) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise InputError("is a folder, not a file", path=given)
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_in_place(target, given, data)
        return
    folder = target.parent
    if not folder.is_dir():
        raise InputError("folder does not exist", path=str(folder))
    _remove_orphans(folder, target.name)
    with _cleanup_on_signals() as pending:
        tmp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        pending.append(tmp)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as exc:
            raise InputError(f"cannot write here ({_reason(exc)})", path=str(folder)) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                if st is not None:
                    os.fchmod(handle.fileno(), stat.S_IMODE(st.st_mode))
                    if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
                        with contextlib.suppress(OSError):
                            os.fchown(handle.fileno(), st.st_uid, st.st_gid)
                for block in blocks(data):
                    handle.write(block)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InputError(f"cannot write file ({_reason(exc)})", path=given) from None
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "a loop of symbolic links"
    return exc.strerror or str(exc)


def _write_stream(data: bytes | list[bytes]) -> None:
    with _no_file_size_signal():
        try:
            for block in blocks(data):
                write_bytes(block)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise InputError(f"cannot write ({_reason(exc)})", path="standard output") from None


def _write_in_place(target: Path, given: str, data: bytes | list[bytes]) -> None:
    """A device, FIFO or socket: opened and written as it is, never replaced or truncated away."""
    with _no_file_size_signal():
        try:
            fd = os.open(target, os.O_WRONLY)
        except OSError as exc:
            raise InputError(f"cannot write ({_reason(exc)})", path=given) from None
        try:
            for block in blocks(data):
                view = memoryview(block)
                while view:
                    view = view[os.write(fd, view):]
        except OSError as exc:
            raise InputError(f"cannot write ({_reason(exc)})", path=given) from None
        finally:
            os.close(fd)


def _remove_orphans(folder: Path, name: str) -> None:
    """Remove temporary files of earlier writes to *name* whose process no longer exists."""
    import glob

    for leftover in folder.glob(f".{glob.escape(name)}.*.tmp"):
        pid = leftover.name[len(name) + 2:].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue


@contextlib.contextmanager
def _no_file_size_signal():
    """A file size limit (ulimit -f) kills the process with SIGXFSZ by default: ignore it for the
    write, which then fails with EFBIG and is reported."""
    previous = None
    if hasattr(signal, "SIGXFSZ") and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGXFSZ, previous)


class _Stopped(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _cleanup_on_signals():
    """Run the block with SIGTERM (and SIGHUP) turned into an exception, so that the temporary
    files listed in the yielded list are removed; then the signal's usual effect follows."""
    pending: list[Path] = []
    previous: dict[int, object] = {}

    def stop(signum, frame):
        raise _Stopped(signum)

    with _no_file_size_signal():
        if threading.current_thread() is threading.main_thread():
            for name in ("SIGTERM", "SIGHUP"):
                if hasattr(signal, name):
                    number = getattr(signal, name)
                    previous[number] = signal.signal(number, stop)
        try:
            yield pending
        except _Stopped as stopped:
            for tmp in pending:
                tmp.unlink(missing_ok=True)
            for number, handler in previous.items():
                signal.signal(number, handler)
            previous.clear()
            os.kill(os.getpid(), stopped.signum)  # the usual effect: terminate
            raise KeyboardInterrupt from None  # only if the handler returned
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
