"""The data cannot script a visitor (issue 27, finding 3), proved in a real headless Chromium: a data
file plants hostile IRIs (``javascript:``, ``data:``, ``vbscript:``, mixed case, leading space) and
hostile labels (``<script>``, ``<img onerror>``, ``<svg onload>``), ``natograph serve`` serves it,
and on the home page, the resource pages and the query results the console's script draws, no planted
script runs (each would set ``window.__pwned`` or open an alert), no element anywhere in the DOM has a
``javascript:``, ``vbscript:`` or ``data:`` link, and the browser reports no Content-Security-Policy
violation (a blocked injection would be one: escaping, not only the policy, keeps them out; and the
pages themselves obey the policy)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("chromedriver") is None,
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)

CHECKOUT = Path(__file__).resolve().parents[2]
SCRIPT = "window.__pwned='{}'"
HOSTILE = f"""@prefix ng: <https://w3id.org/natograph/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/natograph/id/country/ZZ>
    rdf:type ng:Country ;
    rdfs:label "<script>{SCRIPT.format('label')}</script><img src=x onerror=\\"{SCRIPT.format('img')}\\">"@en ,
        "<svg onload=\\"{SCRIPT.format('svg')}\\"></svg>\\"><script>alert(1)</script>"@fr ;
    ng:iso3166Alpha2 "ZZ" ;
    rdfs:seeAlso <javascript:{SCRIPT.format('seeAlso')}> , <JaVaScRiPt:{SCRIPT.format('case')}> ,
        <vbscript:msgbox(1)> , <data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==> ;
    dcterms:source <javascript:alert(document.domain)> .

<https://w3id.org/natograph/id/participation/ZZ-MD>
    rdf:type ng:Participation ;
    rdfs:label "ZZ <b onmouseover=alert(1)>in</b> the Mediterranean Dialogue"@en ;
    ng:participant <https://w3id.org/natograph/id/country/ZZ> ;
    ng:partnershipIn <https://w3id.org/natograph/id/framework/MD> ;
    ng:startDate "1995-01-01"^^xsd:date ;
    dcterms:source <javascript:{SCRIPT.format('source')}> , <data:text/html,hello> .
"""
LINKS = ("href", "src", "action", "formaction", "xlink:href", "data", "poster")
INSPECT = """
const bad = [];
for (const el of document.querySelectorAll('*')) {
  for (const name of NAMES) {
    const value = el.getAttribute(name);
    if (value !== null && /^\\s*(javascript|vbscript|data):/i.test(value)) bad.push(el.tagName + ' ' + name + '=' + value);
  }
  for (const attr of el.attributes) if (/^on/i.test(attr.name)) bad.push(el.tagName + ' ' + attr.name);
}
return {pwned: window.__pwned === undefined ? null : String(window.__pwned), bad: bad,
        scripts: [...document.scripts].map(s => s.src || s.type)};
""".replace("NAMES", json.dumps(LINKS))


@pytest.fixture(scope="module")
def hostile_server(_private_cache, tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-root")
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(CHECKOUT / folder, root / folder)
    (root / "data" / "hostile.ttl").write_text(HOSTILE, encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "natograph", "--root", str(root), "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NATOGRAPH_CACHE_DIR": str(root / ".cache")})
    line = process.stdout.readline()
    match = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", line)
    if not match:
        process.kill()
        raise RuntimeError(f"natograph serve did not start: {line!r} {process.stderr.read()!r}")
    yield match.group(1)
    process.terminate()
    process.wait(15)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="natograph-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", f"--user-data-dir={profile}", "--window-size=1400,1800"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _clean(browser) -> dict:
    """What the page holds now: no planted script ran, no hostile link, no CSP violation reported."""
    from selenium.common.exceptions import UnexpectedAlertPresentException

    try:
        seen = browser.execute_script(INSPECT)
    except UnexpectedAlertPresentException as alert:
        pytest.fail(f"a planted script ran: {alert}")
    violations = [entry["message"] for entry in browser.get_log("browser")
                  if "Content Security Policy" in entry["message"] or "Content-Security-Policy" in entry["message"]]
    assert seen["pwned"] is None, f"a planted script ran: window.__pwned = {seen['pwned']}"
    assert seen["bad"] == [], seen["bad"]
    assert violations == [], violations
    return seen


@pytest.mark.parametrize("path", ["/id/country/ZZ", "/id/country/ZZ?lang=fr", "/id/country/ZZ.fr.html",
                                  "/id/participation/ZZ-MD", "/id/framework/MD", "/", "/?lang=fr"])
def test_a_page_shows_hostile_data_as_text(browser, hostile_server, path):
    from selenium.webdriver.common.by import By

    browser.get(hostile_server + path)
    _clean(browser)
    browser.execute_script("document.querySelectorAll('details').forEach((d) => { d.open = true; })")  # the linked data
    text = browser.find_element(By.TAG_NAME, "body").text
    if path.startswith("/id/country/ZZ"):
        assert "<script>" in text  # the label, shown as it is written
        assert f"javascript:{SCRIPT.format('seeAlso')}" in text and "vbscript:msgbox(1)" in text  # as text
    if path == "/id/participation/ZZ-MD":
        assert f"javascript:{SCRIPT.format('source')}" in browser.page_source.replace("&#39;", "'")


def test_query_results_in_the_page_show_hostile_data_as_text(browser, hostile_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(hostile_server + "/queries")
    form = browser.find_element(By.ID, "form-partners")
    Select(form.find_element(By.NAME, "framework")).select_by_value("MD")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.ID, "results-table")))
    assert "<script>" in browser.find_element(By.ID, "results-table").text  # ZZ's label, as text
    _clean(browser)
    editor = browser.find_element(By.ID, "sparql")
    editor.clear()
    editor.send_keys("SELECT ?p ?o WHERE { <https://w3id.org/natograph/id/country/ZZ> ?p ?o }")
    browser.find_element(By.CSS_SELECTOR, "#editor button").click()
    WebDriverWait(browser, 60).until(lambda b: "javascript:" in b.find_element(By.ID, "results").text)
    seen = _clean(browser)
    links = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#results a")]
    assert links and all(link.startswith(("http://", "https://")) for link in links)
    assert seen["scripts"] and all(src.startswith(hostile_server + "/static/") or src == "application/json"
                                   for src in seen["scripts"])
