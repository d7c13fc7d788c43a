"""Writing what natograph produces, all of it or a clear error: to standard output (``write_bytes``),
or to a file replaced atomically (``write_atomic``), in blocks that are never joined (``blocks``);
text from the data made safe for a terminal (``visible``); an output path resolved as the kernel
would, refusing another user's symbolic link planted in a folder anyone can write (``resolve_output``);
temporary files and folders removed whatever stops the work (``removed_on_failure``).

Three layers write: the command line (every command's standard output, every message), the exporter
(``-o FILE``) and the release (its folder); none knows RDF here, so this module sits on the floor,
beside ``errors``.
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

    ``-`` is standard output. A symbolic link is followed to its target (the link stays), unless
    ``resolve_output`` refuses it (another user's link in a sticky folder anyone can write, like
    /tmp). A device, FIFO or socket is written in place, never replaced (``-o /dev/null`` stays a
    device). A regular file is written through a temporary file in the same folder, then renamed
    over the target: a reader sees the old file or the whole new one. A new file gets the umask's
    mode, an existing one keeps its mode (and, when permitted, its owner). The temporary file is
    removed on every failure, Ctrl-C, SIGTERM and SIGHUP; one left by a process killed outright is
    removed by the next write.
    """
    import secrets  # not at the top: a command that writes to standard output does not pay for it

    if str(path) == "":
        raise InputError("the output file name is empty (give a file name, or '-' for standard output)")
    if str(path) == "-":
        _write_stream(data)
        return
    given = str(path)
    target = resolve_output(given)
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
    with removed_on_failure() as pending:
        tmp = folder / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        pending.append(tmp)  # before it exists: a signal right after the open still finds it listed
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except OSError as exc:
            pending.clear()  # never remove what another process made under this name
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
            pending.clear()
        except OSError as exc:
            raise InputError(f"cannot write file ({_reason(exc)})", path=given) from None


_MAX_LINKS = 40  # as Linux's MAXSYMLINKS


def resolve_output(given: str) -> Path:
    """The path *given* names, its symbolic links followed as the kernel follows them, except one the
    kernel's ``fs.protected_symlinks`` would refuse to follow: a link in a sticky folder anyone can
    write (/tmp, /var/tmp) that belongs neither to this user nor to the folder's owner. natograph
    follows links itself (to write beside the target and rename over it), where the kernel's rule
    cannot apply; so it applies the rule itself, whatever the system's setting."""
    path = given if os.path.isabs(given) else os.path.join(os.getcwd(), given)
    pending = [part for part in reversed(path.split("/")) if part]
    current, links = "/", 0
    while pending:
        name = pending.pop()
        if name == ".":
            continue
        if name == "..":
            current = os.path.dirname(current)
            continue
        candidate = os.path.join(current, name)
        try:
            st = os.lstat(candidate)
        except OSError:  # missing (it will be created) or unreadable (the write says why)
            current = candidate
            continue
        if not stat.S_ISLNK(st.st_mode):
            current = candidate
            continue
        links += 1
        if links > _MAX_LINKS:
            raise InputError(_reason(OSError(errno.ELOOP, "loop")), path=given)
        _check_protected(candidate, current, st)
        target = os.readlink(candidate)
        if target.startswith("/"):
            current = "/"
        pending.extend(part for part in reversed(target.split("/")) if part)
    return Path(current)


def _check_protected(link: str, folder: str, st: os.stat_result) -> None:
    try:
        fst = os.stat(folder)
    except OSError:
        return
    sticky_and_open = fst.st_mode & stat.S_ISVTX and fst.st_mode & stat.S_IWOTH
    if sticky_and_open and st.st_uid not in (os.geteuid(), fst.st_uid):
        raise InputError(f"a symbolic link another user (uid {st.st_uid}) owns, in a folder anyone can write "
                         f"({folder}): refusing to follow it, as the kernel's protected_symlinks does; give "
                         "another name, or remove the link", path=link)


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
            st = leftover.lstat()
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and not process_exists(int(pid)):
                leftover.unlink(missing_ok=True)
        except OSError:
            continue


def process_exists(pid: int) -> bool:
    """Whether process *pid* exists (one of another user counts: it may still be writing)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True
    return True


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


_STOPPING = ("SIGTERM", "SIGHUP")
_ALL_STOPS = ("SIGINT", "SIGTERM", "SIGHUP")


@contextlib.contextmanager
def removed_on_failure(remover=None):
    """Run the block with SIGTERM and SIGHUP turned into an exception; on any way out but a normal
    one (an error, Ctrl-C, SIGTERM, SIGHUP), remove the files and folders the block listed in the
    yielded list (the block empties it once they are in place), with *remover* (default ``remove``).
    After a signal, its usual effect follows: the process terminates as it would have."""
    pending: list[Path] = []
    previous: dict[int, object] = {}

    def stop(signum, frame):
        raise _Stopped(signum)

    with _no_file_size_signal():
        if threading.current_thread() is threading.main_thread():
            for name in _STOPPING:
                if hasattr(signal, name):
                    number = getattr(signal, name)
                    previous[number] = signal.signal(number, stop)
        try:
            yield pending
        except BaseException as exc:
            with signals_held():  # a second Ctrl-C or SIGTERM cannot cut the cleaning short
                for path in pending:
                    (remover or remove)(path)
                pending.clear()
                for number, handler in previous.items():
                    signal.signal(number, handler)
                previous.clear()
                if isinstance(exc, _Stopped):
                    os.kill(os.getpid(), exc.signum)  # delivered, with its usual effect, once released
            if isinstance(exc, _Stopped):
                raise KeyboardInterrupt from None  # only if the signal's handler returned
            raise
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)


@contextlib.contextmanager
def signals_held():
    """Hold SIGINT, SIGTERM and SIGHUP back during the block (two renames that belong together, a
    cleaning); one that arrives meanwhile is delivered when the block ends. (The mask is the calling
    thread's: it holds in natograph's commands, which write from their one thread.)"""
    numbers = {getattr(signal, name) for name in _ALL_STOPS if hasattr(signal, name)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, numbers)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def remove(path: Path) -> None:
    """Remove *path*: a folder with what it holds (a link to one is removed, never followed), or a file."""
    import shutil

    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass
