"""Fast for the public (issue 27, point 8): every GET carries an ``ETag`` derived from the store's
content (and ``Last-Modified``, ``Cache-Control``) and answers 304 to ``If-None-Match``; a stored
query's answer is kept by (store content, query, parameters, format), so a repeat needs no worker."""

from __future__ import annotations

import hashlib
import os
import signal
from email.utils import formatdate

import httpx
import pytest

from natograph.graph import resources
from natograph.pages.templating import STATIC

GETS = [
    ("/", {}),
    ("/?lang=fr", {}),
    ("/queries/partners?framework=MD", {}),
    ("/queries/partners?framework=MD", {"Accept": "text/csv"}),
    ("/queries/members?lang=fr", {}),
    ("/id/country/FR", {"Accept": "text/html"}),
    ("/id/country/FR", {"Accept": "text/turtle"}),
    ("/id/country/FR.jsonld", {}),
    ("/ontology", {"Accept": "text/html"}),
    ("/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", {}),
    ("/sparql", {"Accept": "text/turtle"}),
    ("/static/natograph.js", {}),
    ("/static/natograph.css", {}),
    ("/queries", {}),
    ("/openapi.json", {}),
    ("/.well-known/void", {"Accept": "text/turtle"}),
]


@pytest.mark.parametrize(("path", "headers"), GETS, ids=[f"{p} {h}" for p, h in GETS])
def test_every_get_has_validators_and_answers_304(client, path, headers):
    first = client.get(path, headers=headers)
    assert first.status_code == 200
    tag = first.headers["etag"]
    assert tag.startswith('"') and tag.endswith('"') and len(tag) > 10
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert first.headers["last-modified"].endswith(" GMT")
    again = client.get(path, headers=headers)
    assert again.headers["etag"] == tag and again.content == first.content  # the same answer, the same tag
    for asked in (tag, f"W/{tag}", f'"other", {tag}', "*"):
        not_modified = client.get(path, headers={**headers, "If-None-Match": asked})
        assert not_modified.status_code == 304 and not_modified.content == b""
        assert not_modified.headers["etag"] == tag and "cache-control" in not_modified.headers
    assert client.get(path, headers={**headers, "If-None-Match": '"other"'}).status_code == 200


def test_an_answer_and_its_tag_change_with_what_was_asked(client):
    tags = {client.get(path, headers=headers).headers["etag"] for path, headers in [
        ("/queries/partners?framework=MD", {}), ("/queries/partners?framework=PfP", {}),
        ("/queries/partners?framework=MD", {"Accept": "text/csv"}), ("/queries/partners?framework=MD&lang=fr", {}),
        ("/id/country/FR", {"Accept": "text/html"}), ("/id/country/FR", {"Accept": "text/turtle"}),
        ("/id/country/FR?lang=fr", {"Accept": "text/html"})]}
    assert len(tags) == 7


def test_if_modified_since_the_stores_files_is_a_304(client):
    newest = max(path.stat().st_mtime for path in resources.graph_files())
    response = client.get("/queries/frameworks", headers={"If-Modified-Since": formatdate(newest + 1, usegmt=True)})
    assert response.status_code == 304
    assert client.get("/queries/frameworks", headers={"If-Modified-Since": formatdate(newest - 86400, usegmt=True)
                                                      }).status_code == 200


@pytest.mark.parametrize("function", ["NOW()", "RAND()", "STRUUID()", "uuid()"])
def test_a_query_whose_answer_changes_run_to_run_has_no_validator(client, function):
    response = client.get("/sparql", params={"query": f"SELECT ?x WHERE {{ BIND({function} AS ?x) }}"})
    assert response.status_code == 200
    assert "etag" not in response.headers and response.headers["cache-control"] == "no-store"


def test_errors_carry_no_validator(client):
    for path in ("/queries/partners?framework=XX", "/id/country/ZZ", "/sparql?query=SELEC"):
        response = client.get(path)
        assert response.status_code in (400, 404) and "etag" not in response.headers
        assert response.headers["cache-control"] == "no-store"


def test_a_static_files_tag_is_the_hash_of_its_bytes(client):
    data = (STATIC / "natograph.js").read_bytes()
    assert client.get("/static/natograph.js").headers["etag"] == '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def test_another_store_content_is_another_tag(client, tmp_path):
    from starlette.testclient import TestClient

    from natograph.web.app import make_app
    from natograph.web.settings import Settings

    extra = tmp_path / "extra.ttl"
    extra.write_text("<urn:x:a> <urn:x:b> <urn:x:c> .\n", encoding="utf-8")
    files = (*resources.graph_files(), extra)
    with TestClient(make_app(Settings(workers=1, graph_files=files, base_url="http://testserver"))) as other:
        for path in ("/queries/frameworks", "/id/country/FR"):
            assert other.get(path).headers["etag"] != client.get(path).headers["etag"], path


def test_a_repeated_stored_query_needs_no_worker(server):
    """The stored queries' worker stopped (SIGSTOP): an answer already given is given again, at once."""
    url = server + "/queries/partners?framework=ICI"
    first = httpx.get(url, timeout=60)
    assert first.status_code == 200
    health = httpx.get(server + "/health", timeout=60).json()
    (worker,) = health["lanes"]["stored"]["workers"]
    os.kill(worker, signal.SIGSTOP)
    try:
        again = httpx.get(url, timeout=30)
        csv = httpx.get(url, headers={"Accept": "text/csv"}, timeout=2)  # never asked: needs the worker
    except httpx.TimeoutException:
        csv = None
    finally:
        os.kill(worker, signal.SIGCONT)
    assert again.status_code == 200 and again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    assert csv is None, "a new answer should have waited for the stopped worker"
    assert httpx.get(server + "/health", timeout=60).json()["kept"] > health["kept"]


def test_a_run_refused_to_one_client_is_not_shared_with_another():
    """Two identical requests in flight share one run; but when that run is refused to its own client
    (its --per-client share), the other runs its own instead of taking the refusal."""
    import asyncio

    from natograph.web.caching import AnswerCache
    from natograph.web.jobs import Answer, error
    from natograph.web.workers import Refused

    async def scenario() -> tuple:
        cache = AnswerCache(1)
        started = asyncio.Event()

        async def refused() -> Answer:
            started.set()
            await asyncio.sleep(0.01)
            raise Refused(429, "too many queries at once from A", 2)

        async def answered() -> Answer:
            return error(200, "B's answer")

        first = asyncio.ensure_future(cache.run('"t"', refused))
        await started.wait()
        second = await cache.run('"t"', answered)
        try:
            await first
        except Refused as exc:
            return second, exc
        return second, None

    second, refusal = asyncio.run(scenario())
    assert refusal is not None and refusal.status == 429
    assert second.body == b"B's answer\n"
