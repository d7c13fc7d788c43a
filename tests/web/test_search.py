"""Search as a visitor and a program use it: by label, code or alternative label, in English and
French, case and accents aside; HTML to a browser, ``[{iri, label, kind}]`` to ``Accept:
application/json``; bounded; what is typed never reaches SPARQL."""

from __future__ import annotations

import re
from html import unescape

import pytest

from natograph.graph.store.opening import open_engine
from natograph.pages import search

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
BASE = "https://w3id.org/natograph/id/"


@pytest.fixture(scope="module")
def entries():
    return search.index(open_engine())


def test_fold_sets_case_accents_and_punctuation_aside():
    assert search.fold("Algérie") == search.fold("ALGERIE") == "algerie"
    assert search.fold("OTAN-Ukraine") == "otan ukraine"
    assert search.fold("  Côte d’Ivoire! ") == "cote d ivoire"
    assert search.fold("«»—") == ""


@pytest.mark.parametrize("typed, lang, first", [
    ("algerie", "fr", "country/DZ"), ("Algeria", "en", "country/DZ"), ("ALGÉRIE", "en", "country/DZ"),
    ("pfp", "en", "framework/PfP"), ("PPP", "fr", "framework/PfP"), ("partnership for", "en", "framework/PfP"),
    ("dz", "en", "country/DZ"), ("isaf", "fr", "operation/ISAF"), ("fias", "en", "operation/ISAF"),
    ("vilnius", "en", "event/vilnius-2023"), ("united nations", "en", "organisation/UN"), ("ukr", "en", "country/UA"),
])
def test_finds_by_label_code_or_alternative_label(entries, typed, lang, first):
    found, total = search.search(entries, typed, lang=lang)
    assert total >= 1 and found[0]["iri"] == BASE + first, [e["path"] for e in found]


def test_otan_ukraine_finds_the_council_and_the_commission(entries):
    found, _ = search.search(entries, "OTAN-Ukraine", lang="fr")
    paths = [e["path"] for e in found]
    assert paths[:2] == ["id/council/NUC-1997", "id/council/NUC-2023"]
    assert "id/country/UA" not in paths  # every word typed must begin a word of one text


def test_every_kind_is_found(entries):
    kinds = {e["kind"] for e in entries}
    assert kinds == {"country", "organisation", "framework", "body", "programme", "initiative", "operation", "event",
                     "package"}
    for entry in entries:
        assert entry["label"].get("en") and entry["label"].get("fr"), entry["path"]
        found, _ = search.search(entries, entry["label"]["fr"], lang="fr", limit=search.MAX_RESULTS)
        assert entry in found, entry["path"]


def test_the_bounds(entries):
    assert len(search.search(entries, "a", limit=search.MAX_RESULTS)[0]) <= search.MAX_RESULTS
    found, total = search.search(entries, "a", limit=3)
    assert len(found) == 3 < total
    with pytest.raises(ValueError, match="longer than 200"):
        search.search(entries, "x" * 201)
    with pytest.raises(ValueError, match="limit"):
        search.search(entries, "x", limit=0)


def test_what_is_typed_never_reaches_sparql(client, monkeypatch):
    """The index is built once per store; a search is a walk over it, whatever is typed (the server
    may be running the map's queries meanwhile: none of them holds what was typed)."""
    from natograph.graph.store.engine import Engine

    client.get("/search", params={"q": "warm"}, headers=JSON)  # the index is built (once)
    asked = []
    original = Engine.query
    monkeypatch.setattr(Engine, "query", lambda self, text, **kw: asked.append(text) or original(self, text, **kw))
    typed = ('" } ; DROP ALL ; #', "} UNION { ?s ?p ?o }", "<javascript:alert(1)>", "algerie")
    for text in typed:
        response = client.get("/search", params={"q": text}, headers=JSON)
        assert response.status_code == 200 and len(response.json()) == (text == "algerie")
    assert not [text for text in asked if any(t in text for t in typed)]


def test_json_to_a_program(client):
    response = client.get("/search", params={"q": "algerie"}, headers=JSON)
    assert response.headers["content-type"] == "application/json"
    assert response.json() == [{"iri": BASE + "country/DZ", "label": "Algeria", "kind": "country"}]
    french = client.get("/search", params={"q": "algeria", "lang": "fr"}, headers=JSON).json()
    assert french == [{"iri": BASE + "country/DZ", "label": "Algérie", "kind": "country"}]
    assert client.get("/search", params={"q": "x" * 201}, headers=JSON).status_code == 400
    assert client.get("/search", params={"q": "a", "limit": "101"}, headers=JSON).json() == {
        "error": "The number of results (limit) is a number from 1 to 100."}
    assert client.get("/search", params={"q": "a", "limit": "2"}, headers=JSON).json().__len__() == 2


def test_html_to_a_browser(client):
    html = client.get("/search", params={"q": "OTAN-Ukraine", "lang": "fr"}, headers=HTML).text
    assert '<html lang="fr">' in html and "4 résultats pour « OTAN-Ukraine »" in unescape(html)
    assert '<a href="id/council/NUC-2023?lang=fr">Conseil OTAN-Ukraine</a>' in html
    assert 'value="OTAN-Ukraine"' in html  # the box keeps what was typed
    none = unescape(client.get("/search", params={"q": "zzzz"}, headers=HTML).text)
    assert "Nothing found for “zzzz”." in none
    long = client.get("/search", params={"q": "x" * 201, "lang": "fr"}, headers=HTML)
    assert long.status_code == 400 and "Le texte recherché dépasse 200 caractères." in unescape(long.text)


def test_the_search_box_is_on_every_page(client):
    for path in ("/", "/queries", "/search", "/id/country/DZ", "/ontology", "/queries/partners", "/no/such/page"):
        html = client.get(path, headers=HTML).text
        form = re.search(r'<form class="search-box" role="search" action="([^"]*)" method="get">', html)
        assert form, path
        assert re.search(r'<input type="search" id="site-search" name="q"', html), path
