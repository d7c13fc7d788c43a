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
