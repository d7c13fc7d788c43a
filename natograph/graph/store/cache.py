"""The cache folder: where it is, whether it can be trusted, the key of a set of inputs, the manifest
of an entry and its checks, the lock that serialises a build, the pruning of old entries.

Trust: the cache is data, never code (no pickle). An entry is used only when its manifest's own
checksum and every file's SHA-256 match; anything else (a bit flip, a truncated or foreign entry) is
discarded and rebuilt. A cache folder, entry or file that another user can write, or that belongs
to another user, is not used: natograph says so in one line on stderr and builds the store in
memory. An entry is built in a temporary folder and renamed into place, so a reader never sees a
half-written one; concurrent processes wait for the one that builds.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ...errors import InputError

FORMAT = 4
"""Bumped whenever the layout or the meaning of an entry changes: old entries are then never read."""


KEEP = 4
"""Entries kept in the cache folder: the shipped graph, and the user's files being checked."""


_STALE_BUILD_SECONDS = 3600


_warned: set[str] = set()


def _libraries() -> str:
    """natograph's and pyoxigraph's versions, and where and when rdflib, owlrl, reasonable and pyshacl
    (whose findings an entry keeps) were installed: their location and modification time. Reading
    their versions would cost importing importlib.metadata, or them, on every query; an upgrade
    rewrites those files."""
    from importlib.util import find_spec

    from ..._version import __version__

    out = [f"natograph={__version__}", f"pyoxigraph={ox.__version__}"]
    for package in ("rdflib", "owlrl", "reasonable", "pyshacl"):
        try:
            spec = find_spec(package)
            origin = spec.origin if spec is not None else None
            stamp = os.stat(origin).st_mtime_ns if origin else "-"
        except (ImportError, ValueError, OSError):
            origin, stamp = None, "-"
        out.append(f"{package}={origin}@{stamp}")
    return "\n".join(out)


def content_key(paths: Sequence[Path]) -> str:
    """A SHA-256 over the libraries that shape a store and every input file's name and bytes."""
    digest = hashlib.sha256()
    digest.update(f"format={FORMAT}\n{_libraries()}\n".encode())
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read file ({exc.strerror})", path=str(path)) from None
        digest.update(f"{Path(path).name}:{len(data)}\n".encode())
        digest.update(data)
    return digest.hexdigest()


def cache_dir() -> Path:
    explicit = os.environ.get("NATOGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "natograph"


def warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        from ...output import visible

        sys.stderr.write(f"natograph: warning: {visible(message)}\n")


def _unsafe(path: Path, st: os.stat_result) -> str | None:
    """Why *path* may not be trusted (another user owns it or can write it), or None."""
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return f"{path} belongs to another user"
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not stat.S_ISLNK(st.st_mode):
        return f"{path} can be written by other users"
    return None


def usable_cache_dir() -> Path | None:
    """The cache folder, created 0700 when missing; None (with a warning) when it cannot be trusted."""
    folder = cache_dir()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = folder.lstat()
    except OSError as exc:
        warn(f"cache folder {folder} is not usable ({exc.strerror}): the store is built in memory")
        return None
    if not stat.S_ISDIR(st.st_mode):
        warn(f"cache folder {folder} is not a folder: the store is built in memory")
        return None
    why = _unsafe(folder, st)
    if why:
        warn(f"cache not used: {why}; the store is built in memory")
        return None
    return folder


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_checksum(manifest: dict) -> str:
    body = {k: v for k, v in manifest.items() if k != "checksum"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _entry_files(entry: Path, manifest: dict) -> dict[str, str]:
    return {**manifest.get("files", {}), **{f"extras/{k}": v for k, v in manifest.get("extras", {}).items()}}


MAX_MANIFEST_BYTES = 4 * 1024 * 1024
"""A manifest natograph writes is a few kilobytes (with a thousand input files, about 100 KB); a
larger one is not read."""


def read_manifest(entry: Path) -> dict | None:
    """The entry's ``manifest.json`` as a dict, or None when it is not one natograph could have
    written: not a regular file of ours (a symbolic link, a FIFO, another user's), larger than
    MAX_MANIFEST_BYTES, not UTF-8 JSON, nested deeper than Python's parser goes, or not of the
    expected shape (``well_formed``). Never raises: a hostile manifest only costs a rebuild."""
    try:
        fd = os.open(entry / "manifest.json", os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or _unsafe(entry / "manifest.json", st) or st.st_size > MAX_MANIFEST_BYTES:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            return None
        manifest = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
    finally:
        os.close(fd)
    return manifest if well_formed(manifest) else None


_HEX64 = frozenset("0123456789abcdef")


def _digest(value) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX64


def _count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _file_name(name, kind: str) -> bool:
    """A file an entry may list: graph.nq, or a file of db/, by its plain name (no folder, no '..')."""
    if not isinstance(name, str):
        return False
    if kind == "nquads":
        return name == "graph.nq"
    stem = name.removeprefix("db/")
    return name.startswith("db/") and stem not in ("", ".", "..") and "/" not in stem and "\x00" not in stem


def well_formed(manifest) -> bool:
    """Whether *manifest* has the shape ``build`` writes: each key of the right type, every file name
    a plain name inside the entry, every digest 64 hexadecimal digits. (The checksum says nothing
    about shape: anyone who can write the file can compute it.)"""
    if not isinstance(manifest, dict) or not all(isinstance(k, str) for k in manifest):
        return False
    kind, files, extras = manifest.get("kind"), manifest.get("files"), manifest.get("extras", {})
    parts = manifest.get("parts")
    return (
        kind in _KINDS and isinstance(manifest.get("key"), str) and manifest.get("format") == FORMAT
        and isinstance(manifest.get("checksum"), str)
        and _count(manifest.get("asserted")) and _count(manifest.get("inferred"))
        and isinstance(parts, list)
        and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) and _count(p[1]) for p in parts)
        and isinstance(manifest.get("inputs", []), list) and all(isinstance(i, str) for i in manifest.get("inputs", []))
        and isinstance(files, dict) and bool(files)
        and all(_file_name(name, kind) and _digest(digest) for name, digest in files.items())
        and isinstance(extras, dict)
        and all(isinstance(name, str) and _plain(name) and _digest(digest) for name, digest in extras.items())
        and all(_digest(manifest[k]) for k in ("homes", "memory") if k in manifest)
    )


def _plain(name: str) -> bool:
    return name not in ("", ".", "..") and "/" not in name and "\x00" not in name


def verified_manifest(entry: Path, key: str) -> dict | None:
    """The entry's manifest when the entry is whole, ours and untouched; None otherwise."""
    try:
        st = entry.lstat()
        if not stat.S_ISDIR(st.st_mode) or _unsafe(entry, st):
            return None
        manifest = read_manifest(entry)
        if manifest is None or manifest["checksum"] != manifest_checksum(manifest) or manifest["key"] != key:
            return None
        if manifest["kind"] == "database" and {p.name for p in (entry / "db").iterdir()} != {
            name.removeprefix("db/") for name in manifest["files"]
        }:
            return None
        if not all(file_matches(entry / name, digest) for name, digest in _entry_files(entry, manifest).items()):
            return None
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def file_matches(path: Path, digest: str | None) -> bool:
    """Whether *path* is a regular file of ours, that others cannot write, whose SHA-256 is *digest*."""
    try:
        pst = path.lstat()
        return (digest is not None and stat.S_ISREG(pst.st_mode) and not _unsafe(path, pst)
                and sha256_file(path) == digest)
    except OSError:
        return False


def load_nquads(path: Path, *, keep_labels: bool) -> ox.Store | None:
    """An in-memory store loaded from N-Quads natograph wrote and whose SHA-256 has just matched (so
    read leniently: its IRIs and language tags need no second validation, a third of the load: 17 ->
    11 ms at 1x); None when it cannot be read.

    ``Store.load`` gives the blank nodes new labels; with *keep_labels* they keep the file's, which
    are the entry's ``HOMES`` file's: parsed into Python objects and added in bulk, which costs more
    (1x: 14.4 against 11.6 ms in a loop, 23 against 17 ms the first time in a process; 100x: 15%
    slower and 160 MiB more at its peak; measured 2026-11-27), so only the TriG and N-Quads exports
    load a graph that way (:func:`file_quads`); every other reader, a cold query first, loads the
    fast way."""
    store = ox.Store()
    try:
        if keep_labels:
            store.bulk_extend(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True))
        else:
            store.load(path=str(path), format=ox.RdfFormat.N_QUADS, lenient=True)
    except (OSError, RuntimeError, ValueError, SyntaxError):
        return None
    return store


_KINDS = ("nquads", "database")


def open_entry(entry: Path, key: str) -> tuple[ox.Store, dict] | None:
    manifest = verified_manifest(entry, key)
    if manifest is None:
        return None
    if manifest["kind"] == "nquads":
        store = load_nquads(entry / "graph.nq", keep_labels=False)
        return None if store is None else (store, manifest)
    try:
        return ox.Store.read_only(str(entry / "db")), manifest
    except (OSError, RuntimeError, ValueError, SyntaxError):
        return None


def prune(folder: Path, keep: Path) -> None:
    """Keep the KEEP most recent entries; remove build folders left by killed processes."""
    import shutil

    now = time.time()
    try:
        entries = sorted(
            (p for p in folder.glob("store-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True
        )
        for old in [p for p in entries if p != keep][KEEP - 1:]:
            shutil.rmtree(old, ignore_errors=True)
        for leftover in folder.glob(".build-*"):
            if now - leftover.stat().st_mtime > _STALE_BUILD_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)
        for lock in folder.glob(".lock-*"):
            if now - lock.stat().st_mtime > _STALE_BUILD_SECONDS:
                lock.unlink(missing_ok=True)
    except OSError:
        pass


class Lock:
    """An exclusive lock on one key between processes (fcntl), released on exit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self):
        try:
            import fcntl

            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except (OSError, ImportError):
            if self.fd is not None:
                os.close(self.fd)
            self.fd = None  # no lock: building twice is wasteful, never wrong
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)


def write_manifest(entry: Path, manifest: dict) -> None:
    """Checksum *manifest* and replace the entry's manifest with it, atomically (the caller holds the lock)."""
    import tempfile

    manifest["checksum"] = manifest_checksum(manifest)
    fd, tmp = tempfile.mkstemp(dir=entry, prefix=".manifest.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, sort_keys=True, indent=1))
        os.replace(tmp, entry / "manifest.json")
    finally:
        Path(tmp).unlink(missing_ok=True)
