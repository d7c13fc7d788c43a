"""Take the screenshots the docs show, from a running ``natograph serve``, in English and in French.

A maintainer runs it after changing how a page looks (it needs Debian's chromium and chromium-driver,
and Selenium from the test extra)::

    python docs/screenshots.py                 # writes docs/*.png
    python docs/screenshots.py --out /tmp/shots --width 360 --height 640   # smaller, elsewhere

It starts ``natograph serve`` on a free port of 127.0.0.1 (the package it runs is the one Python
imports: from a checkout, ``PYTHONPATH=. python docs/screenshots.py``), opens each page in headless
Chromium at the given window size, writes one PNG per page and language, stops the server, and
prints each file it wrote. A page that does not load, a server that does not start or a browser
that is missing is one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHOTS = (
    # file stem, path on the server, what to wait for (CSS selector)
    ("serve-home", "/?year=2023", "svg.worldmap"),
    ("serve-story", "/id/country/UA", "ol.timeline"),
    ("serve-search", "/search?q=otan-ukraine", "#search-results"),
    ("release-resource", "/id/country/FR", "ol.timeline"),
)
"""The pages the docs show: the home page with its map, a country's story, search results, a
resource's page (the release's are the same)."""


def _serve(timeout: float = 90) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "natograph", "serve", "--port", "0", "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        match = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", line)
        if match:
            return process, match.group(1)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"natograph serve did not start: {process.stderr.read().strip()[-300:]}")


def _browser(width: int, height: int, profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--disable-background-networking", "--no-first-run", f"--user-data-dir={profile}",
                 f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    # the page laid out exactly width x height CSS pixels (a real window has a minimum width of its own)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    return driver


def take(out: Path, *, width: int, height: int, langs=("en", "fr")) -> list[Path]:
    """Write the screenshots into *out*: ``serve-home.png`` (English), ``serve-home.fr.png`` (French)..."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        raise RuntimeError("needs Debian's chromium and chromium-driver")
    out.mkdir(parents=True, exist_ok=True)
    process, url = _serve()
    profile = tempfile.mkdtemp(prefix="natograph-shots-")
    written = []
    try:
        driver = _browser(width, height, profile)
        try:
            for stem, path, ready in SHOTS:
                for lang in langs:
                    address = url + path + ("&" if "?" in path else "?") + "lang=fr" if lang == "fr" else url + path
                    driver.get(address)
                    WebDriverWait(driver, 30).until(lambda d, css=ready: d.find_elements(By.CSS_SELECTOR, css))
                    target = out / (f"{stem}.png" if lang == "en" else f"{stem}.{lang}.png")
                    if not driver.save_screenshot(str(target)):
                        raise RuntimeError(f"no screenshot of {address}")
                    written.append(target)
        finally:
            driver.quit()
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="the folder to write the PNG files into (default: docs/)")
    parser.add_argument("--width", type=int, default=1280, help="window width in CSS pixels (320 to 3840; default 1280)")
    parser.add_argument("--height", type=int, default=900, help="window height in CSS pixels (320 to 4000; default 900)")
    args = parser.parse_args(argv)
    if not (320 <= args.width <= 3840 and 320 <= args.height <= 4000):
        print("screenshots: --width must be 320 to 3840 and --height 320 to 4000", file=sys.stderr)
        return 2
    try:
        for path in take(args.out, width=args.width, height=args.height):
            print(path)
    except Exception as exc:  # a browser, a server or a page that fails: one line, exit 2
        print(f"screenshots: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
