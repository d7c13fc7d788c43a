"""Each country's and organisation's story: its page opens with the answer of the stored query
``story`` (the page and ``natograph query story`` agree, row for row), which agrees with the query
``country``; other resources' stories list who took part, contributed, decided, with the stored
queries' dates; labels, never raw prefixed names; the story as JSON."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest

import natograph
from natograph.cli import main
from natograph.graph.store.opening import open_engine
from natograph.pages import story
from natograph.pages.render import BASE, resource_html

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def engine():
    return open_engine()


def _cli_rows(capsys, *argv) -> list[dict]:
    assert main(["query", *argv, "--format", "csv"]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def _timeline(html: str) -> list[tuple[str, str, str, list[str]]]:
    """(date, relation word, what, sources) of each entry of the page's timeline, as shown."""
    body = html[html.index('<ol class="timeline">'):]
    body = body[:body.index("</ol>")]
    out = []
    for entry in re.findall(r'<li class="entry[^"]*">(.*?)</li>', body, re.S):
        date = re.search(r'<time class="when" datetime="([^"]*)"', entry).group(1)
        badge = unescape(re.search(r'<span class="badge">([^<]*)</span>', entry).group(1))
        what = unescape(re.search(r'</span> (?:<a href="[^"]*">)?([^<]*)', entry).group(1))
        sources = [unescape(s) for s in re.findall(r'<a class="src" href="([^"]*)"', entry)]
        out.append((date, badge, what, sources))
    return out


@pytest.mark.parametrize("code, lang", [("UA", "en"), ("UA", "fr"), ("RU", "en"), ("GE", "fr"), ("UN", "en")])
def test_the_page_opens_with_what_natograph_query_story_answers(engine, capsys, code, lang):
    rows = _cli_rows(capsys, "story", "-p", f"code={code}", "--lang", lang)
    iri = BASE + ("id/organisation/" if code == "UN" else "id/country/") + code
    shown = _timeline(resource_html(engine, iri, lang=lang))
    words = natograph.pages.messages.messages(lang)
    assert len(shown) == len(rows) > 2
    for (date, badge, what, sources), row in zip(shown, rows, strict=True):
        assert (date, badge, what) == (row["date"], words["rel_" + row["relation"]], row["label"])
        assert sorted(sources) == sorted(row["sources"].split())


def _actors(engine) -> list[str]:
    rows = engine.query("PREFIX ng: <https://w3id.org/natograph/ontology#> SELECT ?code WHERE {"
                        " { ?a ng:iso3166Alpha2 ?code } UNION { ?a a ng:Organisation ; ng:code ?code } } ORDER BY ?code")
    return [row["code"].value for row in rows]


def test_story_agrees_with_the_query_country_for_every_country_and_organisation(engine):
    actors = _actors(engine)
    assert len(actors) > 70
    events = ("summit", "ministerial meeting")
    for code in actors:
        for lang in ("en", "fr"):
            told = [r for r in natograph.query("story", {"code": code, "lang": lang}).as_dicts() if r["relation"] not in events]
            profile = natograph.query("country", {"code": code, "lang": lang}).as_dicts()
            assert [(r["relation"], r["label"], r["date"], r["until"]) for r in told] == \
                [(r["relation"], r["target"], r["since"], r["until"]) for r in profile], (code, lang)
            for t, p in zip(told, profile, strict=True):
                assert p["source"] in (t["sources"] or "").split(), (code, t)


def test_ukraines_path_reads_at_a_glance(engine):
    html = resource_html(engine, BASE + "id/country/UA")
    glance = html[html.index('<ol class="glance"'):]
    glance = glance[:glance.index("</ol>")]
    path = [(unescape(label), year) for label, year in
            re.findall(r'<a href="[^"]*">([^<]*)</a> <span class="glance-year">.*?<time[^>]*>(\d{4})</time>', glance)]
    wanted = [("Partnership for Peace", "1994"), ("NATO-Ukraine Commission", "1997"), ("Annual National Programme", "2008"),
              ("Enhanced Opportunities Partners", "2020"), ("NATO-Ukraine Council", "2023")]
    assert [step for step in path if step in wanted] == wanted, path
    assert [year for _, year in path] == sorted(year for _, year in path)


def _names(html: str) -> str:
    """What the page names things by: the text of its links (a note of the data, a literal, may cite
    a prefixed name: it is shown as written)."""
    return " | ".join(unescape(text) for text in re.findall(r"<a\b[^>]*>([^<]*)</a>", html))


@pytest.mark.parametrize("path", ["id/country/UA", "id/framework/PfP", "id/council/NUC-1997", "id/event/vilnius-2023",
                                  "id/operation/KFOR", "id/initiative/ANP", "id/organisation/NATO"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_labels_never_raw_prefixed_names(engine, path, lang):
    """Nothing a page shows is a prefixed name of the data's (ptn:UA-ANP) where the data has a label:
    a participation reads as its participant and its structure."""
    text = _names(resource_html(engine, BASE + path, lang=lang))
    raw = re.findall(r"\b(?:ptn|cty|iorg|fw|ini|cncl|evt|op|ctb|susp|pkg|doc|cnt|obj|area):[A-Za-z]", text)
    assert raw == [], (path, raw[:5])


def test_the_with_column_is_filled_for_bodies_and_participations(engine):
    html = resource_html(engine, BASE + "id/country/UA")
    table = html[html.index('<table class="rel">'):]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>\s*<td>(.*?)</td>", table, re.S)
    by_subject = {unescape(re.sub(r"<[^>]+>", "", s)): unescape(re.sub(r"<[^>]+>", "", w)) for s, _, w in rows}
    assert by_subject["NATO-Ukraine Commission"] == "NATO-Ukraine Commission"
    assert by_subject["Ukraine in Annual National Programme"] == "Annual National Programme"
    assert by_subject["Ukraine in the Partnership for Peace"] == "Partnership for Peace"  # its own label


def test_an_operations_story_is_its_contributors_as_the_query_contributions_gives_them(engine):
    rows, command = story.story_rows(engine, BASE + "id/operation/KFOR", "en")
    assert command is None
    told = sorted((r["label"], r["date"], r["until"]) for r in rows if r["relation"] == "contributor")
    listed = sorted((r["label"], r["since"] or "", r["until"] or "")
                    for r in natograph.query("contributions", {"operation": "KFOR"}).as_dicts())
    assert told == listed and len(told) > 5


def test_a_programmes_story_is_who_holds_it_as_the_query_programmes_gives_it(engine):
    rows, _ = story.story_rows(engine, BASE + "id/initiative/ANP", "fr")
    told = sorted((r["label"], r["date"], r["until"]) for r in rows if r["relation"] in ("participant", "holder"))
    listed = sorted((r["label"], r["since"] or "", r["until"] or "")
                    for r in natograph.query("programmes", {"programme": "ANP", "lang": "fr"}).as_dicts())
    assert told == listed and len(told) >= 2


def test_an_events_story_names_what_it_launched_and_decided(engine):
    rows, _ = story.story_rows(engine, BASE + "id/event/vilnius-2023", "en")
    assert ("launched", "NATO-Ukraine Council") in {(r["relation"], r["label"]) for r in rows}
    assert ("concerns", "Ukraine in Annual National Programme") in {(r["relation"], r["label"]) for r in rows}


def test_the_story_as_data(client):
    data = client.get("/id/country/UA.json").json()
    assert data["iri"] == BASE + "id/country/UA" and data["kind"] == "country" and data["label"] == "Ukraine"
    assert data["command"] == "natograph query story -p code=UA"
    assert [r["date"] for r in data["rows"]] == [r["date"] or "" for r in natograph.query("story", {"code": "UA"}).as_dicts()]
    french = client.get("/id/country/UA", params={"lang": "fr"}, headers={"Accept": "application/json"})
    assert french.headers["content-type"] == "application/json"
    assert french.json()["rows"][0]["label"] == "Partenariat pour la paix"
    assert client.get("/id/framework/PfP.json").json()["kind"] == "framework"
    assert client.get("/id/country/XX.json").status_code == 404
    assert client.get("/id/country/UA", headers={"Accept": "application/ld+json"}).headers["content-type"].startswith(
        "application/ld+json")  # JSON-LD stays JSON-LD


def test_dates_at_their_precision():
    from natograph.pages.messages import human_date, until

    assert [human_date(d, "en") for d in ("1994", "1994-05", "1994-05-09")] == ["1994", "May 1994", "9 May 1994"]
    assert [human_date(d, "fr") for d in ("1994", "1994-05", "1994-05-01")] == ["1994", "mai 1994", "1er mai 1994"]
    assert [until(d, "fr") for d in ("2003", "2003-06", "2003-06-14")] == [
        "jusqu'en 2003", "jusqu'en juin 2003", "jusqu'au 14 juin 2003"]
