"""The map through time in a real headless Chromium, as a visitor uses it: the slider (by keyboard and
by script) recolours the map as the stored queries answer for each year, hovering or focusing a
country names it and its relation, a click opens its page, the lists follow, in English and in
French, with no horizontal scrolling at 360, 768, 1280 and 1920 px and no error in the console
(a script or style a strict CSP blocks is one)."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from html import unescape

import pytest

import natograph

from .chromium import chromium, console_errors, map_classes, move_to_year, needs_chromium, set_width
from .conftest import ARTEFACTS
from .test_map_data import YEARS, expected_colours

# A browser (and a release) per module: its tests stay together in one xdist worker.
pytestmark = [needs_chromium, pytest.mark.slow, pytest.mark.xdist_group("map-browser")]


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def _shown(driver) -> dict[str, str]:
    return {code: css.removeprefix("rel-") for code, css in map_classes(driver).items() if css and css != "rel-none"}


def _expected(year: str) -> dict[str, str]:
    return {code: relation.lower() for code, relation in expected_colours(year).items()}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_year_of_the_slider_is_what_the_queries_answer(browser, server, lang):
    browser.get(f"{server}/?lang={lang}")
    assert _shown(browser) == _expected("today")
    for year in YEARS:
        number = dt.date.today().year if year == "today" else int(year)
        day = move_to_year(browser, number)
        assert day == (dt.date.today().isoformat() if year == "today" else f"{year}-12-31")
        assert _shown(browser) == _expected(year), year
        counts = browser.execute_script(
            "return Object.fromEntries(Array.from(document.querySelectorAll('#map-lists section'))"
            ".map((s) => [s.dataset.relation, s.querySelectorAll('li a').length]))")
        wanted = _expected(year)
        assert counts == {r: sum(1 for v in wanted.values() if v == r.lower())
                          for r in ("member", "suspended", "PfP", "MD", "ICI", "PATG")}
    assert console_errors(browser) == []


def test_the_script_colours_every_day_an_answer_changes_as_the_queries_answer(browser, server):
    """Day by day, not only on the last days of years: the script's rule is the queries' (the Python
    side is held to the queries on the same days by test_map_data)."""
    from natograph.graph.store.opening import open_engine
    from natograph.pages import relations

    engine = open_engine()
    data = relations.sweep(engine)
    days = []
    for day in relations.breakpoints(engine)[1:]:
        days += [(dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat(), day]
    browser.get(server + "/")
    drawn = browser.execute_script("return arguments[0].map((d) => window.natographMap.coloursOn(d))", days)
    assert len(drawn) == len(days) > 100
    for day, colours in zip(days, drawn, strict=True):
        assert colours == relations.colours(data, day), day


def test_the_slider_by_keyboard_and_the_address_it_keeps(browser, server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/")
    slider = browser.find_element(By.ID, "map-year")
    slider.send_keys(Keys.HOME)
    assert slider.get_attribute("value") == "1949"
    assert browser.find_element(By.ID, "map-day").text == "as of 31 December 1949"
    assert browser.current_url.endswith("/?year=1949")
    assert _shown(browser) == _expected("1949")
    slider.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)
    assert slider.get_attribute("value") == "1951"
    assert slider.get_attribute("aria-valuetext") == "as of 31 December 1951"
    browser.find_element(By.ID, "map-next").click()
    assert browser.find_element(By.ID, "map-day").text == "as of 31 December 1952"
    assert _shown(browser) == _expected("1952")
    assert browser.find_element(By.ID, "other-lang").get_attribute("href") == server + "/?lang=fr&year=1952"
    browser.get(server + "/?year=1994")  # the address brings the year back
    assert browser.find_element(By.ID, "map-year").get_attribute("value") == "1994"
    assert _shown(browser) == _expected("1994")


def test_hovering_and_focusing_a_country_names_it_and_its_relation(browser, server):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server + "/?year=2005")
    joined = {r["code"]: r["joined"] for r in natograph.query("partners", {"as_of": "2005"}).as_dicts()}
    ActionChains(browser).move_to_element(browser.find_element(By.ID, "map-KZ")).perform()
    assert browser.find_element(By.ID, "map-info").text == f"Kazakhstan: Partnership for Peace (since {joined['KZ']})"
    move_to_year(browser, 2022)
    ActionChains(browser).move_to_element(browser.find_element(By.ID, "map-BY")).perform()
    assert browser.find_element(By.ID, "map-info").text == f"Belarus: Partnership for Peace, suspended (since {joined['BY']})"
    ActionChains(browser).move_to_element(browser.find_element(By.ID, "map-heading")).perform()  # off the map
    browser.find_element(By.ID, "map-year").send_keys(Keys.TAB)  # the next-year button, the skip link, the map
    passed = []
    for _ in range(4):
        focused = browser.switch_to.active_element
        if browser.execute_script("return arguments[0].closest('svg.worldmap') !== null", focused):
            break
        passed.append(focused.get_attribute("id") or focused.get_attribute("class"))
        ActionChains(browser).send_keys(Keys.TAB).perform()
    assert passed == ["map-next", "skip"]
    code = focused.find_element(By.CSS_SELECTOR, "[data-code]").get_attribute("data-code")
    info = browser.find_element(By.ID, "map-info").text
    label = natograph.query("country", {"code": code}) and browser.execute_script(
        "return JSON.parse(document.getElementById('map-data').textContent).countries[arguments[0]].label.en", code)
    assert info.startswith(label + ": ") and info != label + ": "
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.current_url.endswith(f"/id/country/{code}")


def test_a_small_state_is_found_by_its_marker_and_in_the_lists(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server + "/?year=2010")
    marker = browser.find_element(By.ID, "map-MT-marker")
    assert marker.is_displayed() and "rel-pfp" == marker.get_attribute("class")
    assert browser.find_element(By.CSS_SELECTOR, '#map-lists section[data-relation="PfP"] a[href="id/country/MT"]')
    move_to_year(browser, 1990)  # Malta not yet a partner: no marker
    assert not browser.find_element(By.ID, "map-MT-marker").is_displayed()
    move_to_year(browser, 2010)
    assert browser.find_element(By.ID, "map-BH-marker").is_displayed()  # beside Qatar's: both in the lists
    assert browser.find_element(By.CSS_SELECTOR, '#map-lists section[data-relation="ICI"] a[href="id/country/BH"]')
    browser.find_element(By.ID, "map-MT-marker").click()
    assert browser.current_url.endswith("/id/country/MT")
    assert "Malta" in browser.title


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_horizontal_scrolling_at_any_width(browser, server, lang):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    try:
        for width in (360, 768, 1280, 1920):
            set_width(browser, width)
            browser.get(f"{server}/?lang={lang}&year=2014")
            wide = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth,"
                                          " document.querySelector('svg.worldmap').getBoundingClientRect().width]")
            assert wide[0] <= wide[1] == width, (width, wide)
            assert wide[2] >= min(width - 60, 1000)  # the map takes the width it has (up to the page's)
            browser.save_screenshot(str(ARTEFACTS / f"map-{lang}-{width}.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert console_errors(browser) == []


def test_french_words_through_the_years(browser, server):
    from selenium.webdriver.common.by import By

    browser.get(server + "/?lang=fr&year=2023")
    with urllib.request.urlopen(server + "/?lang=fr&year=2023") as response:  # as drawn by the server
        served = re.findall(r'<li><a href="id/country/[A-Z]{2}\?lang=fr" title="[^"]*">([^<]*)</a>', response.read().decode())
    drawn = browser.execute_script("return Array.from(document.querySelectorAll('#map-lists li a')).map((a) => a.text)")
    assert [unescape(label) for label in served] == drawn  # the script sorts as the server does (États after Estonie)
    assert drawn.index("États-Unis") == drawn.index("Estonie") + 1
    move_to_year(browser, 2014)
    assert browser.find_element(By.ID, "map-day").text == "au 31 décembre 2014"
    assert browser.find_element(By.ID, "map-lists-heading").text == "Les pays par relation, 31 décembre 2014"
    title = browser.execute_script("return document.querySelector('#map-RU').parentNode.querySelector('title').textContent")
    assert title == "Russie : Partenariat pour la paix, suspendu (depuis 1994-06-22)"
    link = browser.find_element(By.CSS_SELECTOR, '#map-lists a[href="id/country/FR?lang=fr"]')
    assert link.text == "France"
    move_to_year(browser, 2001)
    assert browser.find_element(By.ID, "map-day").text == "au 31 décembre 2001"
    move_to_year(browser, 1999)
    assert browser.find_element(By.CSS_SELECTOR, '#map-lists section[data-relation="suspended"] li').text == "aucun"
