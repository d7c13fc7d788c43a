"""Fixtures of the web tests: the ASGI app in-process (a TestClient, no port) and a real
``natograph serve`` on a free 127.0.0.1 port (a subprocess, stopped at the end)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ARTEFACTS = Path(os.environ.get("NATOGRAPH_TEST_ARTEFACTS", Path(__file__).resolve().parents[2] / "test-artefacts"))


@pytest.fixture(scope="session")
def client(_private_cache):
    from starlette.testclient import TestClient

    from natograph.web.app import make_app
    from natograph.web.settings import Settings

    # the base URL a public server is given (--base-url): TestClient's own host, so links the client
    # follows stay on it
    with TestClient(make_app(Settings(workers=2, timeout=20, base_url="http://testserver"))) as test_client:
        yield test_client


def start_server(*args: str, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "natograph", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + timeout
    line = ""
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", line)
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"natograph serve did not start: {line!r} {process.stderr.read()!r}")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


@pytest.fixture(scope="session")
def server(_private_cache):
    """A real server: (base URL). Timeout 3 s so the runaway-query test is quick."""
    process, url = start_server("--timeout", "3", "--workers", "2")
    yield url
    stop_server(process)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A module's own release (``natograph release -o DIR``), served by a plain static file server
    (``python -m http.server`` on 127.0.0.1, no natograph running): (folder, base URL)."""
    from natograph.cli import main

    folder = tmp_path_factory.mktemp("release") / "site"
    assert main(["release", "-o", str(folder)]) == 0
    process = subprocess.Popen([sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1"], cwd=folder,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        found = re.search(r"port (\d+)", process.stdout.readline())
        assert found, "python -m http.server did not say its port"
        yield folder, f"http://127.0.0.1:{found[1]}"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a module's tests."""
    from .chromium import chromium

    with chromium() as driver:
        yield driver
