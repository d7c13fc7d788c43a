"""Test set-up shared by every test module.

- Every test session gets its own closure cache (``NATOGRAPH_CACHE_DIR``), so tests never read a stale
  one and never write to the user's cache folder. With pytest-xdist the session's workers share it:
  the store is built once per content and is safe between processes (a lock per key, entries written
  whole then renamed), so a closure one worker built is read, not rebuilt, by the others.
- ``computed_once(key, compute)``: a result computed once per session across all workers (the owlrl
  reference closures, the validation reports of the shape fixtures), kept pickled in the session's
  shared folder.
- ``in_xdist_worker()``: a module that fans work out to its own processes up front does not, inside
  a worker: the worker runs only some of its tests, and the workers are the parallelism.

What a test must do to run safely beside others (CONTRIBUTING.md, "Tests in parallel"): write only
under ``tmp_path`` (or ``tmp_path_factory``), listen only on a port the system gives (port 0), set
environment variables only through ``monkeypatch``, and never change the checkout.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def in_xdist_worker() -> bool:
    """True inside a pytest-xdist worker (a run with ``-n 2``, ``-n auto``), False in a plain run."""
    return bool(os.environ.get("PYTEST_XDIST_WORKER"))


def _session_folder(tmp_path_factory) -> Path:
    """A folder of this session that all its xdist workers see (each worker's own basetemp is a
    ``popen-gwN`` folder inside the controller's)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if in_xdist_worker() else base


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    folder = _session_folder(tmp_path_factory) / "natograph-cache"
    folder.mkdir(mode=0o700, exist_ok=True)
    mp = pytest.MonkeyPatch()
    mp.setenv("NATOGRAPH_CACHE_DIR", str(folder))
    yield
    mp.undo()


class _Lock:
    """An exclusive lock between the session's processes (fcntl; without it, no lock: the work may
    then be done twice, never read half-written, since results are written whole and renamed)."""

    def __init__(self, path: Path) -> None:
        self.path, self.fd = path, None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:
            return self
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock


@pytest.fixture(scope="session")
def computed_once(tmp_path_factory, _private_cache) -> Callable[[Any, Callable[[], Any]], Any]:
    """``computed_once(key, compute)``: ``compute()``'s result, computed once per test session, the
    same across xdist workers. *key* (any value with a stable ``repr``: strings, paths, tuples) names
    the work; the result must pickle. A result is only shared when ``compute`` returned it: an
    exception propagates to the caller and the next caller computes again."""
    folder = _session_folder(tmp_path_factory) / "computed-once"
    folder.mkdir(exist_ok=True)
    memo: dict[str, Any] = {}

    def get(key: Any, compute: Callable[[], Any]) -> Any:
        name = hashlib.sha256(repr(key).encode()).hexdigest()[:32]
        if name in memo:
            return memo[name]
        done = folder / f"{name}.pickle"
        with _Lock(folder / f"{name}.lock"):
            if done.exists():
                value = pickle.loads(done.read_bytes())
            else:
                value = compute()
                partial = folder / f"{name}.{os.getpid()}.partial"
                partial.write_bytes(pickle.dumps(value))
                os.replace(partial, done)
        memo[name] = value
        return value

    return get


@pytest.fixture(scope="session")
def shipped_graph(_private_cache):
    """The shipped graph with its OWL RL closure (built once per session)."""
    import natograph

    return natograph.load()


@pytest.fixture(scope="session")
def release_folder(_private_cache, tmp_path_factory):
    """A release of the shipped graph, built once per session (per worker under xdist), with a
    --site-url: ``natograph release -o DIR --site-url https://natograph.example.org/``. Tests read it;
    one rebuilds it in place, which gives the same bytes."""
    import shutil

    from natograph.cli import main

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed: a release draws the class diagram with it")
    folder = tmp_path_factory.mktemp("release") / "site"
    assert main(["release", "-o", str(folder), "--site-url", "https://natograph.example.org/"]) == 0
    return folder
