"""The home page's map through time, in headless Chromium, against issue 30's targets.

    python benchmarks/explorer.py [--repeat 5] [--years 30]

Needs Debian's chromium and chromium-driver and Selenium (the test extra). Measures, on this machine:

    the map's data (relations.sweep: the stored queries as of every day an answer changes), in process
    the home page rendered by the server's code, in process
    the home page transferred, every request of a load (target < 500 KB)
    first render of the page in headless Chromium: first contentful paint, and the load event
        (target < 1 s), over --repeat fresh loads with the cache off
    moving the map to another year: from the slider's input to the next frame drawn (target < 100 ms),
        and the script's own recolouring, over --years changes

Wall time is a median; beside it, CPU time for what runs in this process, and the browser's
main-thread task time (Chromium's Performance.getMetrics TaskDuration) for what runs in the page.
Prints figures only; it asserts nothing (the tests run it at --repeat 1 --years 2 and read the lines).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(function, repeat: int) -> tuple[float, float, object]:
    """Median wall and CPU milliseconds of *repeat* calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus), result


def line(wall: float, other: float, unit: str, label: str) -> None:
    print(f"{wall:9.1f} ms wall {other:9.1f} ms {unit}  {label}", flush=True)


def start_server() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "natograph", "serve", "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", process.stdout.readline())
        if found:
            return process, found[1]
        if process.poll() is not None:
            break
    process.kill()
    raise SystemExit(f"natograph serve did not start: {process.stderr.read()[-2000:]}")


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="natograph-bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,1000"):
        options.add_argument(flag)
    env = dict(os.environ)
    if len(tempfile.gettempdir()) > 40:  # Chromium's socket, TMPDIR/.org.chromium.Chromium.XXXXXX/SingletonSocket,
        env["TMPDIR"] = "/tmp"  # must fit in a Unix socket's 108 bytes, or the browser exits as it starts
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver"), env=env), options=options)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    driver.execute_cdp_cmd("Performance.enable", {})
    return driver, profile


def task_ms(driver) -> float:
    metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration") * 1000


_LOAD = """
const nav = performance.getEntriesByType('navigation')[0];
const resources = performance.getEntriesByType('resource');
const paint = performance.getEntriesByName('first-contentful-paint')[0];
return {fcp: paint ? paint.startTime : null, load: nav.loadEventEnd, bytes: nav.transferSize +
        resources.reduce((n, r) => n + r.transferSize, 0), requests: 1 + resources.length,
        html: nav.transferSize, foreign: resources.filter((r) => !r.name.startsWith(location.origin)).length};
"""

_YEAR = """
const done = arguments[arguments.length - 1];
const slider = document.getElementById('map-year');
const start = performance.now();
slider.value = String(arguments[0]);
slider.dispatchEvent(new Event('input', {bubbles: true}));
const script = performance.now() - start;
requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - start, script,
    document.getElementById('map').dataset.day])));
"""


def page_loads(driver, url: str, repeat: int) -> dict:
    out: dict[str, list] = {"fcp": [], "load": [], "task": [], "bytes": [], "requests": [], "foreign": []}
    for _ in range(repeat):
        driver.get("about:blank")
        before = task_ms(driver)
        driver.get(url)
        deadline = time.monotonic() + 30
        figures = driver.execute_script(_LOAD)
        while (figures["fcp"] is None or not figures["load"]) and time.monotonic() < deadline:
            time.sleep(0.05)  # the load event and the first paint's entry land a little after get() returns
            figures = driver.execute_script(_LOAD)
        if figures["fcp"] is None:
            raise SystemExit(f"no first contentful paint recorded for {url}")
        out["task"].append(task_ms(driver) - before)
        for key in ("fcp", "load", "bytes", "requests", "foreign"):
            out[key].append(figures[key])
    return out


def year_changes(driver, url: str, changes: int) -> dict:
    driver.get(url)
    first, last = 1949, dt.date.today().year
    years = [first + (i * 37) % (last - first + 1) for i in range(1, changes + 1)]  # jumps all over the range
    frames, scripts = [], []
    before = task_ms(driver)
    for year in years:
        frame, script, day = driver.execute_async_script(_YEAR, year)
        if not day.startswith(str(year)) and year != last:
            raise SystemExit(f"the map did not move to {year}: {day}")
        frames.append(frame)
        scripts.append(script)
    return {"frame": frames, "script": scripts, "task": (task_ms(driver) - before) / len(years)}


def conditions(repeat: int, changes: int) -> str:
    chromium = subprocess.run([shutil.which("chromium") or "chromium", "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    load = " ".join(f"{v:.1f}" for v in os.getloadavg())
    return (f"natograph explorer benchmark, {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
            f"Python {platform.python_version()}, {chromium}, {os.cpu_count()} CPUs, load average {load}; "
            f"medians of {repeat} page loads (cache off) and {changes} year changes")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="page loads and in-process runs (default 5, 1 to 100)")
    parser.add_argument("--years", type=int, default=30, help="year changes on the map (default 30, 1 to 1000)")
    args = parser.parse_args(argv)
    if not (1 <= args.repeat <= 100 and 1 <= args.years <= 1000):
        parser.error("--repeat runs from 1 to 100, --years from 1 to 1000")
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        print("needs Debian's chromium and chromium-driver", file=sys.stderr)
        return 2
    from natograph.graph.store.opening import open_engine
    from natograph.pages import relations
    from natograph.web.home import home_html

    print(conditions(args.repeat, args.years))
    engine = open_engine()
    wall, cpu, data = timed(lambda: relations.sweep(engine), args.repeat)
    line(wall, cpu, "CPU ", "map data: members and partners as of every day an answer changes (in process)")
    wall, cpu, page = timed(lambda: home_html(engine, data=data), args.repeat)
    line(wall, cpu, "CPU ", f"home page rendered by the server's code (in process, {len(page.encode()) / 1000:.1f} KB)")
    process, url = start_server()
    driver, profile = browser()
    try:
        loads = page_loads(driver, url + "/", args.repeat)
        kb = statistics.median(loads["bytes"]) / 1000
        print(f"{kb:9.1f} KB transferred: the home page and everything it loads, {max(loads['requests'])} requests, "
              f"{max(loads['foreign'])} to another host (target < 500 KB)")
        line(statistics.median(loads["fcp"]), statistics.median(loads["task"]), "main thread",
             "first contentful paint, fresh load (target < 1000 ms)")
        line(statistics.median(loads["load"]), statistics.median(loads["task"]), "main thread",
             "load event end, fresh load")
        moves = year_changes(driver, url + "/", args.years)
        line(statistics.median(moves["frame"]), moves["task"], "main thread",
             f"another year: input to the next frame drawn (max {max(moves['frame']):.1f} ms; target < 100 ms)")
        line(statistics.median(moves["script"]), moves["task"], "main thread",
             "another year: the script's recolouring (map, legend, lists)")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        process.terminate()
        process.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
