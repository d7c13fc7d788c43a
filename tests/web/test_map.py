"""The home page's map through time, as the server answers it (in-process): coloured from the stored
queries' answers as of the asked year, a link per country to its page, every word in the page's
language, the data at /map.json, nothing inline that a strict CSP would block, a bad year a 400."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from natograph.graph.store.opening import open_engine
from natograph.pages import relations
from natograph.pages.worldmap import load

from .test_map_data import expected_colours


def _classes(html: str) -> dict[str, str]:
    """Country code -> the class of its shape on the map (paths and markers agree)."""
    svg = html[re.search(r'<svg [^>]*class="worldmap"', html).start():]
    svg = svg[:svg.index("</svg>")]
    found: dict[str, str] = {}
    for code, css in re.findall(r'data-code="([A-Z]{2})" class="rel-([a-z]+)"', svg):
        assert found.setdefault(code, css) == css
    return found


def _data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)[1])


@pytest.mark.parametrize("year", ["1955", "2004", "2014", "2023"])
def test_the_map_is_coloured_as_the_queries_answer_as_of_the_year(client, year):
    html = client.get("/", params={"year": year}).text
    shown = {code: css for code, css in _classes(html).items() if css != "none"}
    assert shown == {code: relation.lower() for code, relation in expected_colours(year).items()}
    assert f'value="{year}"' in html and f"as of 31 December {year}" in html


def test_today_is_the_default_and_the_slider_runs_from_1949(client):
    import datetime as dt

    html = client.get("/").text
    today = dt.date.today()
    assert f'min="1949" max="{today.year}" step="1" value="{today.year}"' in html
    assert {c: css for c, css in _classes(html).items() if css != "none"} == {
        code: relation.lower() for code, relation in expected_colours("today").items()}
    assert "today, " in html


def test_every_country_of_the_data_links_to_its_page_and_small_ones_have_markers(client):
    html = client.get("/", params={"year": "2021"}).text
    data = _data(html)
    assert set(data["countries"]) == {code for code in _classes(html)} and len(data["countries"]) >= 60
    for code in data["countries"]:
        assert f'<a href="id/country/{code}">' in html
    for code in ("AL", "MT", "BH", "QA", "LU"):
        assert client.get(f"/id/country/{code}").status_code == 200
    world = load()
    for code in ("MT", "BH", "QA", "LU"):  # too small for the map: a marker, and a line of the lists
        assert world.countries[code].small
        assert f'id="map-{code}-marker" data-code="{code}"' in html
        label = data["countries"][code]["label"]["en"]
        assert f'<a href="id/country/{code}" title="{label}: ' in html
    assert "<title>Malta: Partnership for Peace (since 2008-04-03)</title>" in html
    assert "<title>Russia: Partnership for Peace, suspended (since 1994-06-22)</title>" in html


def test_the_page_in_french(client):
    html = unescape(client.get("/", params={"lang": "fr", "year": "2014"}).text)
    assert '<html lang="fr">' in html
    for words in ("Les membres et partenaires de l'OTAN au fil du temps", "au 31 décembre 2014", "Membre de l'OTAN",
                  "Partenariat pour la paix", "Dialogue méditerranéen", "Initiative de coopération d'Istanbul",
                  "Partenaires dans le monde", "Partenariat suspendu", "Aucune relation", ">Requêtes<",
                  "Russie : Partenariat pour la paix, suspendu (depuis 1994-06-22)", "Année précédente",
                  "prend la couleur de la première dans cet ordre"):
        assert words in html, words
    assert '<a href="id/country/FR?lang=fr">' in html
    shown = re.sub(r"<(script|textarea)\b.*?</\1>", "", html, flags=re.S)  # SPARQL text stays as written
    for english in ("as of", "NATO member", "Hover over", "Previous year", "Stored queries", ">Run<"):
        assert english not in shown, english


def test_the_page_loads_its_script_and_styles_as_files_and_nothing_inline(client):
    html = client.get("/").text
    assert 'src="static/map.js"' in html and 'href="static/map.css"' in html
    assert not re.search(r"<script(?![^>]*(\bsrc=|type=\"application/json\"))", html)  # no inline script
    assert " style=" not in html and "<style" not in html and " on" + "click=" not in html
    for name in ("map.js", "map.css", "natograph.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_map_json_is_the_sweep_of_the_stored_queries(client):
    served = client.get("/map.json").json()
    assert served == json.loads(json.dumps(relations.sweep(open_engine())))
    assert served["relations"] == ["member", "suspended", "PfP", "MD", "ICI", "PATG"]


@pytest.mark.parametrize("year", ["1948", "3000", "20x4", "", "٢٠٢٠"])
def test_a_year_the_map_does_not_have_is_a_400_with_one_line(client, year):
    response = client.get("/", params={"year": year})
    assert response.status_code == 400
    assert response.text.startswith("year must be a year from 1949 to ") and response.text.count("\n") == 1
