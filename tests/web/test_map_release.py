"""The release carries the map: ``natograph release`` writes map.en.html and map.fr.html, which work
from a plain static file server (``python -m http.server`` on 127.0.0.1, no natograph running) in
headless Chromium: coloured as the stored queries answer for each year, every request to that server
alone (nothing from a CDN: it works offline), countries linking to their pages' files."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest

from .chromium import console_errors, map_classes, move_to_year, needs_chromium, strictly_served
from .test_map_data import expected_colours

# A browser (and a release) per module: its tests stay together in one xdist worker.
pytestmark = [needs_chromium, pytest.mark.slow, pytest.mark.xdist_group("map-release")]


def test_the_release_holds_the_map_and_its_files(site):
    folder, _ = site
    for name in ("map.en.html", "map.fr.html", "map.json", "static/map.js", "static/map.css", "static/natograph.css"):
        assert (folder / name).is_file(), name
    sums = (folder / "SHA256SUMS").read_text("utf-8")
    assert "  map.en.html\n" in sums and "  static/map.js\n" in sums
    landing = (folder / "index.html").read_text("utf-8")
    assert 'href="map.en.html"' in landing and 'href="map.fr.html"' in landing
    page = (folder / "map.en.html").read_text("utf-8")
    assert " style=" not in page and "<style" not in page and 'href="id/country/FR.en.html"' in page
    assert "static/natograph.js" not in page and 'id="console"' not in page  # no server: no query console


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_static_map_moves_through_the_years_as_the_queries_answer(site, browser, lang):
    _, url = site
    browser.get(f"{url}/map.{lang}.html")
    today = dt.date.today()
    assert browser.execute_script("return document.getElementById('map-year').max") == str(today.year)
    assert browser.execute_script("return document.getElementById('map').dataset.day") == today.isoformat()
    for year in ("1949", "1995", "2004", "2014", "2023"):
        move_to_year(browser, int(year))
        shown = {c: css.removeprefix("rel-") for c, css in map_classes(browser).items() if css and css != "rel-none"}
        assert shown == {c: r.lower() for c, r in expected_colours(year).items()}, year
    requests = browser.execute_script("return performance.getEntriesByType('resource').map((r) => r.name)")
    assert requests and all(name.startswith(url + "/") for name in requests)
    assert console_errors(browser) == []


def test_a_country_opens_its_page_file_and_the_language_switch_its_twin(site, browser):
    from selenium.webdriver.common.by import By

    _, url = site
    browser.get(f"{url}/map.fr.html?year=2010")
    assert browser.find_element(By.ID, "map-day").text == "au 31 décembre 2010"
    browser.find_element(By.ID, "map-MT-marker").click()
    assert browser.current_url == f"{url}/id/country/MT.fr.html"
    assert "Malte" in browser.title
    browser.get(f"{url}/map.fr.html")
    browser.find_element(By.ID, "other-lang").click()
    assert browser.current_url == f"{url}/map.en.html"
    move_to_year(browser, 2004)
    browser.find_element(By.ID, "map-prev").click()
    browser.find_element(By.ID, "other-lang").click()
    assert browser.current_url == f"{url}/map.fr.html?year=2003"
    assert browser.find_element(By.ID, "map-day").text == "au 31 décembre 2003"
    for link in browser.find_elements(By.CSS_SELECTOR, "#map-lists a"):
        with urllib.request.urlopen(link.get_attribute("href")) as response:  # every country's page is a file
            assert response.status == 200


def test_the_map_works_under_a_strict_content_security_policy(site, browser):
    """No inline script, no inline style: served with the strictest policy a static host could send
    (nothing but this origin's files), the map loads, is styled and moves, and nothing is refused."""
    from selenium.webdriver.common.by import By

    with strictly_served(site[0]) as url:
        browser.get(f"{url}/map.en.html")
        move_to_year(browser, 2014)
        fills = browser.execute_script("return ['FR', 'RU', 'DZ'].map((c) => getComputedStyle("
                                       "document.getElementById('map-' + c)).fill)")
        assert fills[0] == "rgb(0, 114, 178)" and fills[1].startswith("url(") and fills[2] == "rgb(0, 158, 115)"
        assert browser.find_element(By.ID, "map-day").text == "as of 31 December 2014"
        assert console_errors(browser) == []
