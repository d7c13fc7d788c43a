"""The query console (/queries) in a real headless Chromium (Debian's chromium + chromium-driver, driven by
Selenium): it loads, a stored query runs from its form, the table shows the expected rows, the SPARQL
editor runs an example; screenshots are kept under test-artefacts/ (NATOGRAPH_TEST_ARTEFACTS)."""

from __future__ import annotations

import shutil
import tempfile

import pytest

import natograph

from .conftest import ARTEFACTS

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("chromedriver") is None,
    reason="needs Debian's chromium and chromium-driver (.ci/run installs them)",
)


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
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _rows(browser):
    from selenium.webdriver.common.by import By

    table = browser.find_element(By.ID, "results-table")
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_a_stored_query_runs_from_its_form(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server + "/queries")
    assert "natograph" in browser.title
    assert len(browser.find_elements(By.CSS_SELECTOR, "#timeline circle.dot")) > 30
    form = browser.find_element(By.ID, "form-partners")
    Select(form.find_element(By.NAME, "framework")).select_by_value("MD")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 30).until(ec.presence_of_element_located((By.ID, "results-table")))
    expected = [[row["code"], row["label"], row["framework"], row["joined"], row["status"]]
                for row in natograph.query("partners", {"framework": "MD"}).as_dicts()]
    assert _rows(browser) == expected
    assert browser.find_element(By.ID, "status").text == f"{len(expected)} rows"
    csv_link = browser.find_element(By.ID, "dl-csv").get_attribute("href")
    assert csv_link.endswith("framework=MD&lang=en&format=csv")
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(ARTEFACTS / "home-partners-md.png"))


def test_the_sparql_editor_runs_an_example_and_shows_errors(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server + "/queries?lang=fr")
    Select(browser.find_element(By.ID, "example")).select_by_value("summits")
    editor = browser.find_element(By.ID, "sparql")
    assert "#+ summary:" in editor.get_attribute("value")
    browser.find_element(By.CSS_SELECTOR, "#editor button").click()
    WebDriverWait(browser, 30).until(lambda b: b.find_element(By.ID, "status").text.endswith("lignes"))
    expected = [[row[c] or "" for c in ("year", "label", "place")] for row in natograph.query("summits").as_dicts()]
    assert len(_rows(browser)) == len(expected)
    editor.clear()
    editor.send_keys("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    browser.find_element(By.CSS_SELECTOR, "#editor button").click()
    WebDriverWait(browser, 30).until(lambda b: "refused" in b.find_element(By.ID, "status").text)
    assert browser.find_element(By.ID, "status").get_attribute("class") == "error"
    assert browser.save_screenshot(str(ARTEFACTS / "home-editor-error.png"))
