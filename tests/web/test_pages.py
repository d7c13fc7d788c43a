"""The frame every page shares and the words it reads from: one message catalogue in English and
French (same keys, same placeholders, every key a template reads exists); the header (navigation,
search, language) and the footer on every page kind; the console and a stored query's results as
pages; error pages in the visitor's language; no inline script or style anywhere."""

from __future__ import annotations

import re
from html import unescape
from string import Formatter

import pytest

import natograph
from natograph.pages import layout
from natograph.pages.messages import MESSAGES, messages
from natograph.pages.templating import TEMPLATES

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
PAGES = ["/", "/?lang=fr", "/queries", "/queries?lang=fr", "/queries/partners?framework=MD",
         "/queries/partners?framework=MD&lang=fr", "/search?q=ukraine", "/search?q=ukraine&lang=fr", "/id/country/UA",
         "/id/country/UA?lang=fr", "/id/framework/PfP", "/ontology?lang=fr", "/no/such/page", "/no/such/page?lang=fr"]
SAME_IN_BOTH = {"nav_sparql", "nav_api", "footer_version", "home", "type", "date", "relation", "sources", "kind_initiative",
                "kind_organisation", "rel_contributed to", "rel_holds programme", "rel_participant in", "rel_summit",
                "search_code", "rel_participant", "rel_member", "rel_member of", "rel_suspension", "rel_DCB package",
                "source_n", "terms", "rel_began", "rel_partner", "rel_contributor", "rel_recipient"}


def test_both_languages_have_the_same_messages_and_placeholders():
    assert MESSAGES["en"].keys() == MESSAGES["fr"].keys()
    for key, english in MESSAGES["en"].items():
        french = MESSAGES["fr"][key]
        if isinstance(english, str):
            names = {f for _, f, _, _ in Formatter().parse(english) if f}
            assert names == {f for _, f, _, _ in Formatter().parse(french) if f}, key
            assert (english != french) or key in SAME_IN_BOTH or english.lower() == french.lower(), key
    with pytest.raises(ValueError, match="unknown language 'de'"):
        messages("de")


def test_every_message_a_template_reads_exists():
    used = set()
    for template in TEMPLATES.rglob("*.html"):
        if template.parent.name == "release":
            continue  # the release's own bilingual pages carry their words inline, side by side
        used |= set(re.findall(r"\bt\.(\w+)", template.read_text(encoding="utf-8")))
    used -= {"format"}  # a str method
    assert used and not used - MESSAGES["en"].keys(), used - MESSAGES["en"].keys()


def test_the_frame_in_each_place():
    server = layout.frame(lang="fr", root="../../", other_href="UA")
    assert [(n["key"], n["href"]) for n in server["nav"]] == [
        ("map", "../../?lang=fr"), ("queries", "../../queries?lang=fr"), ("sparql", "../../queries?lang=fr#sparql"),
        ("ontology", "../../ontology?lang=fr"), ("api", "../../openapi.json?lang=fr")]
    assert server["search_action"] == "../../search" and server["search_lang"] == "fr"
    release = layout.frame(lang="fr", root="../../", mode=layout.RELEASE, other_href="UA.en.html", data_as_of="2026-12-07")
    assert [n["href"] for n in release["nav"]] == ["../../map.fr.html", "../../doc/index.html", "../../index.html"]
    assert release["search_action"] == "../../search.fr.html" and release["search_lang"] is None
    assert release["as_of"] == "Données à jour au 7 décembre 2026."
    with pytest.raises(ValueError):
        layout.frame(lang="en", mode="elsewhere", other_href="")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_frame_and_nothing_inline(client, path):
    response = client.get(path, headers=HTML)
    html = response.text
    lang = "fr" if "lang=fr" in path else "en"
    assert response.headers["content-type"].startswith("text/html") and f'<html lang="{lang}">' in html
    assert html.index('class="skip-link" href="#main"') < html.index("<header") < html.index('<main id="main"')
    assert 'role="search"' in html and 'id="other-lang"' in html and '<footer class="site">' in html
    t = messages(lang)
    assert t["nav_map"] in html and t["footer_sources"] in unescape(html)
    assert 'rel="stylesheet" href="' in html and "static/natograph.css" in html
    assert not re.search(r"<script(?![^>]*(\bsrc=|type=\"application/(json|ld\+json)\"))", html)  # no inline script
    assert " style=" not in html and "<style" not in html and not re.search(r"\son[a-z]+=", html)


def test_the_queries_page_speaks_the_headers_language(client):
    html = unescape(client.get("/queries", params={"lang": "fr"}, headers=HTML).text)
    for name, query in natograph.catalogue().items():
        texts = query.texts("fr")
        assert f'id="form-{name}"' in html and texts.summary in html
        for param in texts.params:
            if param.type != "lang":  # a choice is a list of its values with their labels; another says its form
                assert param.doc in html and (param.choices or param.kind in html), (name, param.name)
    assert "Partenariat pour la paix" in html  # a choice's label
    assert "Interroger le graphe" in html and ">Exécuter<" in html


def test_a_stored_querys_results_as_a_page(client):
    response = client.get("/queries/partners", params={"framework": "MD", "lang": "fr"}, headers=HTML)
    html = unescape(response.text)
    headings = re.findall(r'<th scope="col">([^<]*)</th>', html)
    assert headings == list(natograph.catalogue()["partners"].texts("fr").headings)
    rows = re.findall(r"<tr>(<td>.*?)</tr>", html)
    expected = natograph.query("partners", {"framework": "MD", "lang": "fr"}).as_dicts()
    assert len(rows) == len(expected) and expected[0]["label"] in rows[0]
    assert f"{len(expected)} lignes" in html and 'selected>MD — Dialogue méditerranéen' in html
    assert 'href="partners?framework=MD&lang=fr&format=csv"' in html
    csv = client.get("/queries/partners?framework=MD&lang=fr&format=csv")
    assert csv.headers["content-type"].startswith("text/csv")
    bad = client.get("/queries/partners", params={"framework": "XX", "lang": "fr"}, headers=HTML)
    assert bad.status_code == 400 and "Cette demande ne peut pas aboutir" in unescape(bad.text)
    assert "framework" in bad.text and "XX" in bad.text  # the command line's message, as natograph query says it
    assert client.get("/queries/partners", params={"framework": "MD"}).headers["content-type"].startswith(
        "application/sparql-results+json")  # a program still gets data


def test_error_pages_in_the_visitors_language(client):
    page = client.get("/id/country/XX", params={"lang": "fr"}, headers=HTML)
    assert page.status_code == 404 and "Page introuvable" in page.text and 'href="../../?lang=fr"' in page.text
    assert "<code translate=\"no\">/id/country/XX</code>" in page.text  # the path asked for, no English sentence
    assert client.get("/no/such/page", headers=HTML).status_code == 404
    plain = client.get("/id/country/XX")
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")
    assert plain.text == "no resource https://w3id.org/natograph/id/country/XX\n"
