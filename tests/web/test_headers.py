"""Every response of the server carries a strict Content-Security-Policy, ``nosniff``, a
Referrer-Policy and no framing, errors and static files included (issue 27, finding 3); the pages it
serves obey that policy (no inline script, style or event handler: the browser test reads them in
Chromium too); a bug is a one-line 500 and one line in the log, never a traceback."""

from __future__ import annotations

import logging
import re

import pytest

from natograph.web.headers import CSP

DIRECTIVES = {"script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
              "form-action 'self'", "img-src 'self' data:"}

REQUESTS = [
    ("GET", "/", {}, None),
    ("GET", "/?lang=fr", {}, None),
    ("GET", "/id/country/FR", {"Accept": "text/html"}, None),
    ("GET", "/id/country/FR", {"Accept": "text/turtle"}, None),
    ("GET", "/id/country/ZZ", {}, None),                          # 404
    ("GET", "/nothing", {}, None),                                # 404 of the router
    ("GET", "/queries/", {}, None),                               # 307
    ("GET", "/queries/partners?framework=MD", {}, None),
    ("GET", "/queries/partners?framework=XX", {}, None),          # 400
    ("GET", "/queries/nothing", {}, None),                        # 404
    ("GET", "/queries", {}, None),
    ("GET", "/openapi.json", {}, None),
    ("GET", "/.well-known/void", {}, None),
    ("GET", "/health", {}, None),
    ("GET", "/static/natograph.js", {}, None),
    ("GET", "/static/natograph.css", {}, None),
    ("GET", "/static/nothing.js", {}, None),                      # 404
    ("GET", "/sparql", {"Accept": "text/turtle"}, None),          # the service description
    ("GET", "/sparql?query=ASK%7B%7D", {}, None),
    ("GET", "/sparql?query=SELEC", {}, None),                     # 400
    ("GET", "/sparql?query=ASK%7B%7D", {"Accept": "image/png"}, None),  # 406
    ("POST", "/sparql", {"Content-Type": "text/plain"}, b"ASK {}"),      # 415
    ("POST", "/sparql", {"Content-Type": "application/sparql-update"}, b"CLEAR ALL"),  # 403
    ("DELETE", "/sparql", {}, None),                              # 405
    ("PUT", "/queries", {}, None),                                # 405 of the router
    ("GET", "/sparql?query=" + "x" * 60_000, {}, None),           # 414
    ("OPTIONS", "/sparql", {"Origin": "https://example.org", "Access-Control-Request-Method": "POST"}, None),
]


@pytest.mark.parametrize(("method", "path", "headers", "body"), REQUESTS, ids=[f"{m} {p[:40]}" for m, p, _, _ in REQUESTS])
def test_every_response_carries_the_security_headers(client, method, path, headers, body):
    response = client.request(method, path, headers=headers, content=body, follow_redirects=False)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-frame-options"] == "DENY"
    assert "cache-control" in response.headers


def test_the_policy_is_strict():
    directives = {d.strip() for d in CSP.split(";")}
    assert DIRECTIVES <= directives and "default-src 'self'" in directives
    assert "unsafe" not in CSP and "*" not in CSP and "http" not in CSP


def test_a_304_carries_them_too(client):
    tag = client.get("/queries/frameworks").headers["etag"]
    response = client.get("/queries/frameworks", headers={"If-None-Match": tag})
    assert response.status_code == 304 and response.headers["content-security-policy"] == CSP


@pytest.mark.parametrize("path", ["/", "/?lang=fr", "/id/country/FR", "/id/framework/MD", "/ontology"])
def test_the_pages_have_no_inline_script_style_or_handler(client, path):
    html = client.get(path, headers={"Accept": "text/html"}).text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="' in tag or 'type="application/json"' in tag, tag  # a data block is never run
    assert "<style" not in html and not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "an inline event handler"
    assert "javascript:" not in html.lower()


def test_a_bug_is_a_one_line_500_and_one_log_line(monkeypatch, caplog):
    from starlette.testclient import TestClient

    from natograph.web import resources
    from natograph.web.app import make_app
    from natograph.web.settings import Settings

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug\nover two lines")

    monkeypatch.setattr(resources, "home", broken)
    with caplog.at_level(logging.ERROR, logger="uvicorn.error"):
        with TestClient(make_app(Settings(workers=1))) as client:
            response = client.get("/")
    assert response.status_code == 500 and response.text.count("\n") == 1 and "a bug" not in response.text
    assert response.headers["content-security-policy"] == CSP
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is None
    assert "ZeroDivisionError: a bug over two lines" in errors[0].getMessage()


def test_a_failed_start_up_is_one_line():
    """Starlette hands uvicorn the traceback of a lifespan that failed; the Guard hands on its last line."""
    import asyncio

    from natograph.web.headers import Guard

    async def app(scope, receive, send):
        await send({"type": "lifespan.startup.failed",
                    "message": "Traceback (most recent call last):\n  File x\nRuntimeError: a query worker failed to start\n"})

    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(Guard(app)({"type": "lifespan"}, None, send))
    assert sent == [{"type": "lifespan.startup.failed", "message": "natograph: RuntimeError: a query worker failed to start"}]
