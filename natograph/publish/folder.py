"""Writing the release folder: built beside the output under a name of its own, then swapped in whole.

``write_folder(output, files)``:

- **Where.** ``output`` is resolved as the kernel would (``output.resolve_output``): a symbolic link
  to an earlier release is followed, and its target replaced (the link stays, as ``export -o`` keeps
  a link to a file); another user's link in a sticky folder anyone can write is refused.
- **Whole or nothing.** The files go into ``.NAME.PID.RANDOM.tmp`` beside the target, holding a
  marker file while it is incomplete; the marker goes last, then the folder is swapped in: on Linux
  in one step (``renameat2(RENAME_EXCHANGE)``), so a reader sees the old release or the new one and
  never no folder; elsewhere by two renames with signals held between them.
- **Any stop.** An error, Ctrl-C, SIGTERM or SIGHUP removes the temporary folder (and the old release
  once swapped out); the process then stops as the signal asks.
- **The next run.** A folder a killed process left (``kill -9``, a power cut) is removed by the next
  release to the same name, if it is recognisably one of natograph's: the name's pattern
  (``.NAME.PID.RANDOM.tmp`` or ``.old``), a process number no longer running, owned by this user, a
  real folder (never a link), and holding the marker, a natograph release, or nothing. A folder
  being removed keeps its marker to the end, so a removal cut short is recognised too. Anything
  else is left alone.
- **Modes.** Folders and files are created with the umask's mode (0755 and 0644 under 022), like
  ``mkdir`` and ``cp``; the previous release's mode is not kept.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from ..errors import InputError
from ..output import process_exists, remove, removed_on_failure, resolve_output, signals_held

IN_PROGRESS = ".natograph-release-in-progress"
"""The marker file of a folder being written; never part of a release."""


def target_of(output: str | Path) -> Path:
    """The folder a release to *output* replaces: *output*, its links followed (see ``resolve_output``)."""
    return resolve_output(str(output))


def write_folder(output: str | Path, files: dict[str, bytes], *, holds_release) -> None:
    """Write *files* (path -> bytes) as the folder *output*, replacing what is there in one swap.
    *holds_release(folder)* says whether a leftover ``.old`` folder is a release (safe to remove)."""
    import secrets

    target = target_of(output)
    parent = target.parent
    if not parent.is_dir():
        raise InputError("folder does not exist", path=str(parent))
    remove_stale(parent, target.name, holds_release=holds_release)
    with removed_on_failure(_discard) as pending:
        tmp = parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        pending.append(tmp)  # before it exists: a signal right after mkdir still finds it listed
        try:
            os.mkdir(tmp, 0o777)  # the umask applies, as to every folder and file below
        except OSError as exc:
            pending.clear()  # never remove what another process made under this name
            raise InputError(f"cannot write here ({exc.strerror})", path=str(parent)) from None
        try:
            (tmp / IN_PROGRESS).write_bytes(b"")
            for path, data in files.items():
                where = tmp / path
                where.parent.mkdir(parents=True, exist_ok=True)
                where.write_bytes(data)
            (tmp / IN_PROGRESS).unlink()
            _still_replaceable(target, holds_release)
            _swap(tmp, target, pending)
        except OSError as exc:
            raise InputError(f"cannot write the release ({exc.strerror or exc})", path=str(output)) from None


def _still_replaceable(target: Path, holds_release) -> None:
    """What is at *target* now (the build took a while) is still nothing, an empty folder or a release."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    if not stat.S_ISDIR(st.st_mode) or (os.listdir(target) and not holds_release(target)):
        raise InputError("was replaced by something that is not a natograph release while the release was "
                         "built: refusing to replace it", path=str(target))


def _swap(tmp: Path, target: Path, pending: list[Path]) -> None:
    """Put *tmp* in *target*'s place; what was there (if anything) ends in *pending*, then is removed."""
    with signals_held():
        if os.path.lexists(target) and _exchange(tmp, target):
            pending[:] = [tmp]  # tmp now holds the old release: removed below, or on a stop
        elif os.path.lexists(target):
            old = tmp.with_name(tmp.name[:-len(".tmp")] + ".old")
            os.rename(target, old)
            os.rename(tmp, target)
            pending[:] = [old]
        else:
            os.rename(tmp, target)
            pending.clear()
    for path in pending:
        _discard(path)
    pending.clear()


def _discard(folder: Path) -> None:
    """Remove *folder* so that, stopped at any point, what is left still carries the marker: the
    marker first, then everything else, the marker and the folder last."""
    try:
        (folder / IN_PROGRESS).touch()
        for entry in os.listdir(folder):
            if entry != IN_PROGRESS:
                remove(folder / entry)
        (folder / IN_PROGRESS).unlink()
        folder.rmdir()
    except OSError:
        remove(folder)


def _exchange(a: Path, b: Path) -> bool:
    """Swap *a* and *b* in one step (Linux's renameat2 with RENAME_EXCHANGE); False where it is not
    available (another system, an old kernel or C library, a file system without it)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (ImportError, OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    number = ctypes.get_errno()
    if number in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not supported here
        return False
    raise OSError(number, os.strerror(number), str(b))


def remove_stale(parent: Path, name: str, *, holds_release) -> list[Path]:
    """Remove the folders an earlier release to *name* left in *parent* when it was killed outright
    (see the module's docstring for how one is recognised); returns them."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(\d+)\.[0-9a-f]{{8}}\.(tmp|old)")
    removed = []
    try:
        names = os.listdir(parent)
    except OSError:
        return removed
    for entry in names:
        match = pattern.fullmatch(entry)
        if match is None or int(match.group(1)) == os.getpid():
            continue
        path = parent / entry
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or process_exists(int(match.group(1))):
            continue
        try:
            ours = (path / IN_PROGRESS).is_file() or not os.listdir(path) or holds_release(path)
        except OSError:
            continue
        if ours:
            _discard(path)
            removed.append(path)
    return removed
