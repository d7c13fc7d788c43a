"""Debian's headless Chromium driven by Selenium, as the map's browser tests use it: a private profile
per browser (safe under pytest-xdist), the browser's console kept, the window set to a CSS width."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("chromedriver") is None,
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)


@contextlib.contextmanager
def chromium(width: int = 1400, height: int = 1800):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="natograph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def set_width(driver, width: int, height: int = 900) -> None:
    """Lay the page out *width* CSS pixels wide, as a window that wide would (a real window has a
    minimum width of its own; the emulation has none)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})


def console_errors(driver) -> list[str]:
    """The browser console's errors since the last call (a blocked script or style, a failed load,
    an exception), but for the favicon no page declares."""
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]


def map_classes(driver) -> dict[str, str]:
    """Code -> the class of its shapes on the map (the path and the marker must agree)."""
    pairs = driver.execute_script(
        "return Array.from(document.querySelectorAll('svg.worldmap [data-code]'))"
        ".map((e) => [e.dataset.code, e.getAttribute('class') || ''])")
    found: dict[str, str] = {}
    for code, css in pairs:
        assert found.setdefault(code, css) == css, code
    return found


def move_to_year(driver, year: int) -> str:
    """Set the slider as a script would, then wait for the map's day; returns it."""
    return driver.execute_script(
        "const s = document.getElementById('map-year'); s.value = String(arguments[0]);"
        "s.dispatchEvent(new Event('input', {bubbles: true}));"
        "return document.getElementById('map').dataset.day;", year)


@contextmanager
def strictly_served(folder: Path):
    """*folder* served on 127.0.0.1 under the strictest policy a static host could send (every
    resource from the site itself, nothing inline): yields the base URL."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Strict(SimpleHTTPRequestHandler):
        def end_headers(self):
            self.send_header("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                                                        "img-src 'self'; connect-src 'self'; base-uri 'none'")
            super().end_headers()

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Strict, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
