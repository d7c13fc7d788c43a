"""The release carries the explorer: ``natograph release`` writes each resource's page with its story,
and search (``search.LANG.html``, ``search.json``, ``static/search.js``), which work from a plain
static file server (``python -m http.server`` on 127.0.0.1, no natograph running) in headless
Chromium: the search box of any page finds what the server's ``/search`` finds, in the same order;
a result leads to its story; in French every word read is French; under the strictest policy a
static host could send, nothing is refused; axe-core finds no serious violation on the map."""

from __future__ import annotations

import json

import pytest

from natograph.pages import search

from .chromium import console_errors, needs_chromium, strictly_served
from .test_pages_browser import _axe, english_words, need_axe

pytestmark = [needs_chromium, pytest.mark.slow, pytest.mark.xdist_group("explorer-release")]

TYPED = ["algerie", "Algérie", "OTAN-Ukraine", "pfp", "PPP", "ukr", "un", "nato", "dcb", "vilnius 2023", "x", "géorgie",
         "Partnership for", "zzzz", "ISAF", "a"]


def test_the_release_holds_stories_and_search(site):
    folder, _ = site
    for name in ("search.en.html", "search.fr.html", "search.json", "static/search.js", "static/links.js",
                 "static/natograph.css"):
        assert (folder / name).is_file(), name
    sums = (folder / "SHA256SUMS").read_text("utf-8")
    assert "  search.json\n" in sums and "  static/search.js\n" in sums
    page = (folder / "id/country/UA.fr.html").read_text("utf-8")
    assert '<ol class="timeline">' in page and '<ol class="glance"' in page
    assert 'href="../../static/natograph.css"' in page and "<style" not in page and " style=" not in page
    assert 'action="../../search.fr.html"' in page and 'href="../../map.fr.html"' in page
    assert 'href="../framework/PfP"' in page  # links read as the IRIs do
    index = json.loads((folder / "search.json").read_text("utf-8"))
    assert {e["path"] for e in index} >= {"id/country/DZ", "id/council/NUC-2023", "id/framework/PfP"}


def _find(browser, typed: str, lang: str) -> tuple[list[str], int]:
    return browser.execute_script(
        "const [found, total] = window.natographSearch.find(arguments[0], 100);"
        "return [found.map((e) => e.path), total];", typed)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_browser_finds_what_the_server_finds_in_the_same_order(site, browser, lang):
    from selenium.webdriver.support.ui import WebDriverWait

    folder, url = site
    entries = json.loads((folder / "search.json").read_text("utf-8"))
    browser.get(f"{url}/search.{lang}.html")
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return document.documentElement.dataset.searchReady"))
    for typed in TYPED:
        found, total = search.search(entries, typed, lang=lang, limit=100)
        assert _find(browser, typed, lang) == [[e["path"] for e in found], total], typed


def test_from_a_story_by_the_search_box_to_another_story(site, browser):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    _, url = site
    browser.get(f"{url}/id/country/UA.fr.html")
    assert browser.find_elements("css selector", "ol.timeline li.entry")
    browser.find_element("id", "site-search").send_keys("algerie", Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: d.current_url.startswith(f"{url}/search.fr.html?q=algerie"))
    WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", "#search-results a"))
    assert browser.find_element("id", "search-status").text == "1 résultat pour « algerie »"
    assert browser.find_element("id", "site-search").get_attribute("value") == "algerie"
    assert english_words(browser) == []
    browser.find_element("css selector", "#search-results a").click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url == f"{url}/id/country/DZ.fr.html")
    assert browser.find_element("tag name", "h1").text == "Algérie"
    assert english_words(browser) == []
    assert console_errors(browser) == []


def test_stories_and_search_under_a_strict_content_security_policy(site, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    with strictly_served(site[0]) as url:
        browser.get(f"{url}/id/country/UA.en.html")
        colour = browser.execute_script("return getComputedStyle(document.querySelector('header.site')).backgroundColor")
        assert colour == "rgb(0, 73, 144)"  # the stylesheet was loaded, as a file
        browser.get(f"{url}/search.en.html?q=pfp")
        WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", "#search-results a"))
        assert browser.find_element("css selector", "#search-results a").text == "Partnership for Peace"
        assert console_errors(browser) == []


@pytest.mark.parametrize("page", ["map.en.html", "map.fr.html", "search.fr.html?q=ukraine", "id/country/GE.en.html"])
def test_axe_finds_no_serious_violation_in_the_release(site, browser, page):
    from selenium.webdriver.support.ui import WebDriverWait

    need_axe()
    _, url = site
    browser.set_script_timeout(60)
    browser.get(f"{url}/{page}")
    if page.startswith("search"):
        WebDriverWait(browser, 30).until(lambda d: d.find_elements("css selector", "#search-results a"))
    assert _axe(browser) == [], page
