"""The catalogue as a web API (/queries, /openapi.json), resource IRIs with content negotiation,
VoID and the home page, driven in-process."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

import natograph
from natograph.cli import main

NG = "https://w3id.org/natograph/ontology#"
FR = URIRef("https://w3id.org/natograph/id/country/FR")
VOID = "http://rdfs.org/ns/void#"


def values(response) -> list[tuple[str, ...]]:
    data = response.json()
    names = data["head"]["vars"]
    return [tuple(b.get(n, {}).get("value") for n in names) for b in data["results"]["bindings"]]


def test_the_catalogue_lists_every_stored_query(client):
    listed = client.get("/queries").json()
    assert [q["name"] for q in listed] == sorted(natograph.catalogue())
    partners = next(q for q in listed if q["name"] == "partners")
    assert partners["columns"] == ["code", "label", "framework", "joined", "status"]
    framework = next(p for p in partners["params"] if p["name"] == "framework")
    assert framework["choices"] == ["PfP", "MD", "ICI", "PATG"] and not framework["required"]


def test_the_catalogue_in_french_changes_what_people_read_not_what_programs_read(client):
    english, french = client.get("/queries").json(), client.get("/queries", params={"lang": "fr"}).json()
    assert [q["name"] for q in french] == [q["name"] for q in english]
    for en, fr in zip(english, french, strict=True):
        query = natograph.catalogue()[en["name"]]
        assert (en["lang"], fr["lang"]) == ("en", "fr")
        assert fr["summary"] == query.texts("fr").summary != en["summary"] == query.summary
        assert fr["columns"] == en["columns"] == en["headings"] == list(query.columns)
        assert fr["headings"] == list(query.texts("fr").headings) and len(fr["headings"]) == len(fr["columns"])
        for p_en, p_fr in zip(en["params"], fr["params"], strict=True):
            assert {k: p_en[k] for k in ("name", "type", "required", "default", "choices")} == \
                   {k: p_fr[k] for k in ("name", "type", "required", "default", "choices")}
            assert p_fr["doc"] != p_en["doc"] and p_fr["hint"] != p_en["hint"] and p_fr["status"] != p_en["status"]
    partners = next(q for q in french if q["name"] == "partners")
    as_of = next(p for p in partners["params"] if p["name"] == "as_of")
    assert as_of["doc"] == "une année (son dernier jour), un mois ou une date"
    assert as_of["status"] == "par défaut : aujourd'hui" and as_of["default"] == "today"
    assert as_of["hint"].startswith("une année ou un mois (son dernier jour), ou une date")
    framework = next(p for p in partners["params"] if p["name"] == "framework")
    assert framework["choice_labels"]["PfP"] == "Partenariat pour la paix"
    assert partners["headings"] == ["code", "libellé", "cadre", "adhésion", "statut"]


@pytest.mark.parametrize("path", ["/queries", "/openapi.json"])
def test_the_catalogue_in_an_unknown_language_is_400(client, path):
    response = client.get(path, params={"lang": "de"})
    assert response.status_code == 400
    assert response.json() == {"error": "unknown language 'de'; expected one of en, fr"}


def test_openapi_in_french_has_the_same_operations_in_french(client):
    english, french = client.get("/openapi.json").json(), client.get("/openapi.json", params={"lang": "fr"}).json()
    assert english == client.get("/openapi.json", params={"lang": "en"}).json()
    assert english["info"]["description"].startswith("NATO's partnerships")
    assert french["info"]["description"].startswith("Les partenariats de l'OTAN")
    assert set(french["paths"]) == set(english["paths"])
    for name, query in natograph.catalogue().items():
        en, fr = english["paths"][f"/queries/{name}"]["get"], french["paths"][f"/queries/{name}"]["get"]
        assert (en["summary"], fr["summary"]) == (query.summary, query.texts("fr").summary)
        assert fr["operationId"] == en["operationId"]
        assert [(p["name"], p["required"], p["schema"].get("enum")) for p in fr["parameters"]] == \
               [(p["name"], p["required"], p["schema"].get("enum")) for p in en["parameters"]]
        assert fr["description"] == f"Colonnes : {query.texts('fr').column_list()}."
    members = {p["name"]: p for p in french["paths"]["/queries/members"]["get"]["parameters"]}
    assert members["as_of"]["description"] == "une année (son dernier jour), un mois ou une date"
    assert members["as_of"]["schema"]["description"].startswith("une année ou un mois (son dernier jour)")
    assert members["format"]["description"] == "remplace l'en-tête Accept"


@pytest.mark.parametrize(("name", "params"), [
    ("partners", {"framework": "md"}),
    ("partners", {"framework": "PfP", "as_of": "2000"}),
    ("members", {"as_of": "1999-03-12"}),
    ("country", {"code": "FR"}),
    ("initiative-participants", {"initiative": "EOP"}),
])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_stored_queries_give_the_cli_rows(client, name, params, lang):
    response = client.get(f"/queries/{name}", params={**params, "lang": lang})
    assert response.status_code == 200
    expected = natograph.query(name, params, lang=lang)
    assert response.json()["head"]["vars"] == list(expected.columns)
    assert values(response) == [tuple(v for v in row.values()) for row in expected.as_dicts()]


def test_french_labels_come_with_lang_fr(client):
    rows = values(client.get("/queries/partners", params={"framework": "MD", "lang": "fr"}))
    assert ("DZ", "Algérie", "MD") == rows[0][:3]


@pytest.mark.parametrize(("params", "cli"), [
    ({"as_of": "2020-02-30"}, ["-p", "as_of=2020-02-30"]),
    ({"framework": "XYZ"}, ["-p", "framework=XYZ"]),
    ({"colour": "red"}, ["-p", "colour=red"]),
])
def test_a_bad_parameter_is_400_with_the_cli_message(client, capsys, params, cli):
    response = client.get("/queries/partners", params=params)
    assert response.status_code == 400
    assert main(["query", "partners", *cli]) == 2
    stderr = capsys.readouterr().err.strip()
    assert stderr == "natograph: error: " + response.json()["error"]


def test_a_required_parameter_and_an_unknown_query(client):
    missing = client.get("/queries/country")
    assert missing.status_code == 400 and "needs parameter 'code'" in missing.json()["error"]
    assert client.get("/queries/no-such-query").status_code == 404
    assert client.get("/queries/partners", params={"lang": "de"}).status_code == 400


def test_stored_query_csv_download(client):
    response = client.get("/queries/partners", params={"framework": "ICI", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == "code,label,framework,joined,status"
    assert len(response.text.splitlines()) == 1 + len(natograph.query("partners", {"framework": "ICI"}))


def test_openapi_describes_every_stored_query_with_typed_parameters(client):
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    for name, query in natograph.catalogue().items():
        operation = spec["paths"][f"/queries/{name}"]["get"]
        assert operation["summary"] == query.summary
        declared = {p["name"]: p for p in operation["parameters"]}
        for param in query.params:
            assert declared[param.name]["required"] == param.required
    framework = {p["name"]: p for p in spec["paths"]["/queries/partners"]["get"]["parameters"]}["framework"]
    assert framework["schema"]["enum"] == ["PfP", "MD", "ICI", "PATG"]
    as_of = {p["name"]: p for p in spec["paths"]["/queries/members"]["get"]["parameters"]}["as_of"]
    assert re.match(as_of["schema"]["pattern"], "2020-06") and not re.match(as_of["schema"]["pattern"], "June")


@pytest.mark.parametrize(("accept", "fmt"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
])
def test_a_resource_iri_answers_rdf_by_accept(client, accept, fmt):
    response = client.get("/id/country/FR", headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=fmt)
    assert (FR, URIRef(NG + "iso3166Alpha2"), Literal("FR")) in graph
    assert (FR, RDFS.label, Literal("France", lang="fr")) in graph
    # the participations that point to it come along
    assert (URIRef("https://w3id.org/natograph/id/participation/FR-NATO"), URIRef(NG + "participant"), FR) in graph


def test_a_resource_iri_answers_html_for_people(client):
    page = client.get("/id/country/FR", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert "<h1>France</h1>" in html
    assert 'href="../../ontology#Country"' in html  # links are relative: the same page works as a static file
    assert 'href="../participation/FR-NATO"' in html
    assert "1949-04-04" in html and 'href="https://www.nato.int/cps/en/natohq/topics_67656.htm"' in html
    # served under a CSP that refuses inline styles: the page links the stylesheet the server serves
    assert "<style" not in html and 'href="../../static/natograph.css"' in html and "&#34;" not in html
    french = client.get("/id/country/FR", params={"lang": "fr"}, headers={"Accept": "text/html"}).text
    assert 'lang="fr"' in french and "Relations qui pointent ici" in french
    assert client.get("/id/country/FR.fr.html").text == french


def test_suffixes_give_the_machine_twins(client):
    assert client.get("/id/framework/PfP.ttl").headers["content-type"].startswith("text/turtle")
    assert client.get("/id/framework/PfP.nt").headers["content-type"].startswith("application/n-triples")
    assert client.get("/id/framework/PfP.jsonld").headers["content-type"].startswith("application/ld+json")


def test_the_ontology_page_has_every_term(client):
    html = client.get("/ontology", headers={"Accept": "text/html"}).text
    assert 'id="Country"' in html and 'id="Participation"' in html
    graph = Graph().parse(data=client.get("/ontology", headers={"Accept": "text/turtle"}).text, format="turtle")
    assert (URIRef(NG + "Country"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in graph


def test_an_unknown_iri_is_404(client):
    assert client.get("/id/country/XX").status_code == 404
    assert client.get("/id/country/XX", headers={"Accept": "text/turtle"}).status_code == 404
    assert client.get("/id/nothing/here.ttl").status_code == 404


def test_void_describes_the_dataset(client):
    from natograph.graph.store.opening import open_engine

    response = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef("https://w3id.org/natograph/")
    assert (dataset, RDF.type, URIRef(VOID + "Dataset")) in graph
    assert int(graph.value(dataset, URIRef(VOID + "triples"))) == open_engine().triples
    assert graph.value(dataset, URIRef(VOID + "sparqlEndpoint")) == URIRef("http://testserver/sparql")
    partitions = {graph.value(p, URIRef(VOID + "class")): int(graph.value(p, URIRef(VOID + "entities")))
                  for p in graph.objects(dataset, URIRef(VOID + "classPartition"))}
    assert partitions[URIRef(NG + "Summit")] == len(natograph.query("summits"))


def test_the_queries_page_has_forms_editor_and_pictures(client):
    html = client.get("/queries", headers={"Accept": "text/html"}).text
    for name in natograph.catalogue():
        assert f'id="form-{name}"' in html
    assert '<textarea id="sparql"' in html and 'src="static/natograph.js"' in html
    dated = [row for row in natograph.query("partners").as_dicts() if row["joined"]]
    assert html.count('class="dot"') == len(dated) > 30
    assert html.count('<rect class="bar"') == 4
    # nothing is fetched from elsewhere: no script, image or stylesheet from another host
    assert "cdn" not in html.lower() and not re.search(r'\ssrc="(https?:)?//|<link[^>]*href="(https?:)?//', html)
    assert client.get("/static/natograph.js").status_code == 200
    assert "Algérie" in client.get("/", params={"lang": "fr"}).text or "Partenaires" in client.get("/?lang=fr").text
