"""Test set-up: every test session gets its own closure cache, so tests never read a stale one
and never write to the user's cache folder."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("NATOGRAPH_CACHE_DIR", str(tmp_path_factory.mktemp("natograph-cache")))
    yield
    mp.undo()


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
