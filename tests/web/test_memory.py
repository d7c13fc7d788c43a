"""The query workers hold a graph kept on disk (``DISK_FROM`` triples or more) in their memory, up to
``Settings.memory_triples`` (``--memory-triples``), and answer exactly as the on-disk database does."""

from __future__ import annotations

import pytest

from natograph.graph import resources
from natograph.graph.store.opening import MEMORY_COPY, forget, open_engine

FILLER = 21_000  # with the shipped graph, over DISK_FROM: the entry is an on-disk database


@pytest.fixture
def big_graph(tmp_path, monkeypatch):
    """The shipped files and a filler of FILLER triples, with a cache of this test's own."""
    filler = tmp_path / "filler.nt"
    filler.write_text("".join(f'<urn:x:filler:{i}> <urn:x:filler:p> "{i}" .\n' for i in range(FILLER)),
                      encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("NATOGRAPH_CACHE_DIR", str(cache))  # the spawned workers read it too
    forget()
    yield (*resources.graph_files(), filler), cache
    forget()


def _answers(files, limit: int) -> tuple[list, list]:
    from starlette.testclient import TestClient

    from natograph.web.app import make_app
    from natograph.web.settings import Settings

    with TestClient(make_app(Settings(workers=1, graph_files=files, memory_triples=limit))) as client:
        members = client.get("/queries/members", params={"lang": "fr"})
        count = client.post("/sparql", data={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:x:filler:p> ?o }"},
                            headers={"Accept": "application/sparql-results+json"})
    assert members.status_code == 200 and count.status_code == 200
    return members.json()["results"]["bindings"], count.json()["results"]["bindings"]


def test_workers_hold_the_graph_in_memory_up_to_the_limit(big_graph):
    files, cache = big_graph
    on_disk = _answers(files, 0)
    (entry,) = cache.glob("store-*")
    assert (entry / "db").is_dir() and not (entry / MEMORY_COPY).exists(), "0 should mean never"
    assert open_engine(files).triples > FILLER
    too_small = _answers(files, FILLER)  # a limit under the graph's triples: still the database
    assert not (entry / MEMORY_COPY).exists()
    held = _answers(files, 1_000_000)
    assert (entry / MEMORY_COPY).is_file(), "the worker did not hold the graph in memory"
    assert held == on_disk == too_small
    assert len(held[0]) == 32 and held[1][0]["n"]["value"] == str(FILLER)
