"""Every page kind of ``natograph serve`` in a real headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium), as visitors use them: in French every word read is French; no
page is wider than the window at 360, 768, 1280 and 1920 px; the keyboard reaches everything (a skip
link first, the search box, a visible focus); axe-core finds no serious or critical violation; the
search box leads from a name to its story.

axe-core is the npm package, installed where ``.ci/run`` puts it (``npm install --prefix tests/.npm
axe-core@4``; the folder is git-ignored). Without it the accessibility test is skipped, unless
``NATOGRAPH_REQUIRE_AXE=1`` (``.ci/run`` sets it), which makes its absence a failure.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import natograph

from .chromium import chromium, console_errors, needs_chromium, set_width
from .conftest import ARTEFACTS

pytestmark = [needs_chromium, pytest.mark.slow, pytest.mark.xdist_group("pages-browser")]

AXE = Path(__file__).resolve().parents[1] / ".npm" / "node_modules" / "axe-core" / "axe.min.js"

PAGE_KINDS = {
    "home": "/?year=2014", "queries": "/queries", "results": "/queries/partners?framework=MD",
    "search": "/search?q=ukraine", "country": "/id/country/UA", "framework": "/id/framework/PfP",
    "event": "/id/event/vilnius-2023", "ontology": "/ontology", "error": "/no/such/page",
}

# Words no French sentence has: a page in French showing one shows English.
ENGLISH = set("""the and of with from this that these those is are was were been by for which who whom whose when
where since until to its their has have had not all each one be it you your in at into than then there here what
query queries result results search searched member members partner partners partnership country countries
year years today download run previous next none show shows map more about through time day days after
before between suspended joined row rows stored framework frameworks data summit summits meeting operation
story glance linked triples relation relations source sources ongoing undated with""".split())
ALLOWED = {
    # the stored queries' names and their parameters' names are identifiers, the same in every language
    *natograph.catalogue(), *{p.name for q in natograph.catalogue().values() for p in q.params},
    # proper names the French data keeps in English (operations' names), and the formats' names
    "resolute", "support", "active", "endeavour", "ocean", "shield", "sea", "guardian", "natural", "earth", "equal",
    "relations", "sources", "source", "relation",  # the same words in French
}

_TEXT = """
const out = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const parent = walker.currentNode.parentElement;
  if (!parent || parent.closest('[translate="no"], script, style, textarea')) continue;
  if (!parent.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) continue;
  out.push(walker.currentNode.textContent);
}
for (const el of document.querySelectorAll('[placeholder], [aria-label], option')) {
  if (el.closest('[translate="no"]')) continue;
  out.push(el.getAttribute('placeholder') || el.getAttribute('aria-label') || el.textContent);
}
return out.join(' ');
"""


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def english_words(driver) -> list[str]:
    """The English words a reader sees on the page (text, placeholders, accessible names, options;
    not what is marked translate="no": codes, identifiers, SPARQL)."""
    text = re.sub(r"\b[\w-]+(\.[\w-]+)+\b", " ", driver.execute_script(_TEXT))  # a source's host: nato.int, esteri.it
    words = re.findall(r"[^\W\d_]+", text)
    # an all-capitals word is a code (MAP, the Membership Action Plan's), the same in every language
    return sorted({w for w in words if w.lower() in ENGLISH and w.lower() not in ALLOWED and not w.isupper()})


def _run_console_query(driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    form = driver.find_element(By.ID, "form-partners")
    Select(form.find_element(By.NAME, "framework")).select_by_value("MD")
    form.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "results-table"))


@pytest.mark.parametrize("path", ["/?year=2014", "/id/country/UA", "/id/framework/PfP", "/queries/partners?framework=MD",
                                  "/search?q=ukraine", "/queries", "/no/such/page"])
def test_in_french_every_word_read_is_french(browser, server, path):
    browser.get(server + path + ("&" if "?" in path else "?") + "lang=fr")
    if path == "/queries":
        _run_console_query(browser)
        headings = [th.text for th in browser.find_elements("css selector", "#results-table th")]
        assert headings == list(natograph.catalogue()["partners"].texts("fr").headings)
    assert browser.find_element("css selector", "html").get_attribute("lang") == "fr"
    assert english_words(browser) == [], path
    assert [e for e in console_errors(browser) if "404 (Not Found)" not in e or "/no/such/page" not in e] == []


def test_the_english_words_test_catches_english(browser, server):
    """The check above is not blind: the English pages fail it."""
    browser.get(server + "/id/country/UA")
    assert {"with", "the"} <= {w.lower() for w in english_words(browser)}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_page_is_wider_than_the_window(browser, server, lang):
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    try:
        for width in (360, 768, 1280, 1920):
            set_width(browser, width)
            for kind, path in PAGE_KINDS.items():
                browser.get(server + path + ("&" if "?" in path else "?") + f"lang={lang}")
                wide = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
                assert wide[0] <= wide[1] == width, (kind, width, wide)
                if width == 360:
                    browser.save_screenshot(str(ARTEFACTS / f"page-{kind}-{lang}-360.png"))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("kind", ["country", "search", "results", "queries"])
def test_by_keyboard_a_skip_link_then_the_search_box_with_a_visible_focus(browser, server, kind):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.get(server + PAGE_KINDS[kind])
    ActionChains(browser).send_keys(Keys.TAB).perform()  # from the top of the page
    first = browser.switch_to.active_element
    assert first.get_attribute("class") == "skip-link" and first.is_displayed()
    outline = browser.execute_script("const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth]", first)
    assert outline[0] != "none" and outline[1] != "0px", outline
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    browser.get(server + PAGE_KINDS[kind])
    presses = 0
    while browser.switch_to.active_element.get_attribute("id") != "site-search" and presses < 12:
        ActionChains(browser).send_keys(Keys.TAB).perform()
        presses += 1
    # the skip link, the name, the navigation (5 entries), then the search box
    assert browser.switch_to.active_element.get_attribute("id") == "site-search" and presses <= 8, presses


def test_the_search_box_leads_from_a_name_to_its_story(browser, server):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server + "/id/framework/PfP?lang=fr")
    box = browser.find_element("id", "site-search")
    box.send_keys("algerie", Keys.ENTER)
    WebDriverWait(browser, 30).until(lambda d: "/search?q=algerie&lang=fr" in d.current_url)
    first = browser.find_element("css selector", "#search-results a")
    assert first.text == "Algérie"
    first.click()
    WebDriverWait(browser, 30).until(lambda d: d.current_url.endswith("/id/country/DZ?lang=fr"))
    assert browser.find_element("tag name", "h1").text == "Algérie"
    assert browser.find_elements("css selector", "ol.timeline li.entry")


def need_axe() -> None:
    """Skip without axe-core, or fail when .ci/run asked for it (NATOGRAPH_REQUIRE_AXE=1)."""
    if not AXE.is_file():
        if os.environ.get("NATOGRAPH_REQUIRE_AXE") == "1":
            pytest.fail(f"axe-core is not installed at {AXE}: npm install --prefix tests/.npm axe-core@4")
        pytest.skip("axe-core not installed: npm install --prefix tests/.npm axe-core@4 (.ci/run does)")


def _axe(driver) -> list[dict]:
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then((r) => done(r.violations.map((v) =>"
        " ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))),"
        " (e) => done([{id: 'axe failed', impact: 'critical', nodes: [String(e)]}]));")
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", ["/?year=2014", "/?year=1995", "/id/country/UA", "/queries/partners?framework=MD",
                                  "/search?q=ukraine"])
def test_axe_finds_no_serious_violation(browser, server, path, lang):
    """The home page and its map (at two years), a country's story, a query's results, search results."""
    need_axe()
    browser.set_script_timeout(60)
    browser.get(server + path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert _axe(browser) == [], path


def test_axe_is_not_blind(browser, server):
    """The check above finds what it is for: a page stripped of its language and of a field's label fails."""
    need_axe()
    browser.set_script_timeout(60)
    browser.get(server + "/search?q=ukraine")
    browser.execute_script("document.documentElement.removeAttribute('lang');"
                           "document.querySelector('label[for=site-search]').remove();"
                           "document.getElementById('site-search').removeAttribute('placeholder');")
    assert {"html-has-lang", "label"} <= {v["id"] for v in _axe(browser)}
