"""The shipped data: totals, history, both languages, identifiers, sources."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, RDFS

import natograph
from natograph.graph import loading
from natograph.graph.namespaces import CTY, NG

CODES = lambda result: [str(row[0]) for row in result.rows]  # noqa: E731


@pytest.fixture(scope="module")
def asserted() -> Graph:
    return loading.load(inferred=False)


@pytest.mark.parametrize(("as_of", "count"), [("1949", 12), ("1999", 19), ("2004", 26), ("2023", 31), ("2024", 32)])
def test_members_over_time(shipped_graph, as_of, count):
    assert len(natograph.query("members", {"as_of": as_of}, graph=shipped_graph).rows) == count


def test_members_the_day_before_and_of_swedens_accession(shipped_graph):
    before = natograph.query("members", {"as_of": "2024-03-06"}, graph=shipped_graph)
    on = natograph.query("members", {"as_of": "2024-03-07"}, graph=shipped_graph)
    assert "SE" not in CODES(before) and "SE" in CODES(on)


@pytest.mark.parametrize(("framework", "count"), [("MD", 7), ("ICI", 4)])
def test_southern_frameworks_today(shipped_graph, framework, count):
    assert len(natograph.query("partners", {"framework": framework}, graph=shipped_graph).rows) == count


def test_algeria_in_md_only_from_2000(shipped_graph):
    assert "DZ" not in CODES(natograph.query("partners", {"framework": "MD", "as_of": "1999"}, graph=shipped_graph))
    assert "DZ" in CODES(natograph.query("partners", {"framework": "MD", "as_of": "2000"}, graph=shipped_graph))


def test_colombia_a_partner_only_from_2017(shipped_graph):
    assert "CO" not in CODES(natograph.query("partners", {"as_of": "2016"}, graph=shipped_graph))
    assert "CO" in CODES(natograph.query("partners", {"framework": "PATG", "as_of": "2017"}, graph=shipped_graph))


def test_pfp_history_and_today(shipped_graph):
    in_2020 = CODES(natograph.query("partners", {"framework": "PfP", "as_of": "2020"}, graph=shipped_graph))
    today = CODES(natograph.query("partners", {"framework": "PfP"}, graph=shipped_graph))
    assert "FI" in in_2020 and "SE" in in_2020
    assert len(today) == 18
    members = set(CODES(natograph.query("members", graph=shipped_graph)))
    assert not members & set(today), "no NATO member is a PfP partner today"
    assert len(CODES(natograph.query("partners", {"framework": "PfP", "as_of": "2024-03-06"}, graph=shipped_graph))) == 19


def test_suspensions_show_in_status(shipped_graph):
    rows = {str(r[0]): str(r[4]) for r in natograph.query("partners", {"framework": "PfP"}, graph=shipped_graph).rows}
    assert rows["RU"] == "suspended" and rows["BY"] == "suspended" and rows["UA"] == "active"
    rows_2013 = {str(r[0]): str(r[4]) for r in
                 natograph.query("partners", {"framework": "PfP", "as_of": "2013"}, graph=shipped_graph).rows}
    assert rows_2013["RU"] == "active"


def test_malta_withdrew_and_returned(shipped_graph):
    def malta(year):
        return "MT" in CODES(natograph.query("partners", {"framework": "PfP", "as_of": year}, graph=shipped_graph))

    assert malta("1995") and not malta("2000") and malta("2008")


def test_stated_counts_explain_every_difference(shipped_graph):
    result = natograph.query("stated-counts", graph=shipped_graph)
    rows = {str(r[0]): r for r in result.rows}
    pfp = rows["Partnership for Peace partner countries"]
    assert (int(pfp[1]), int(pfp[2])) == (19, 18)
    assert int(rows["NATO member countries"][2]) == 32
    assert rows["activities open to partners each year through the Partnership Cooperation Menu"][2] is None
    for claim in shipped_graph.subjects(RDF.type, NG.StatedCount):
        stated = int(shipped_graph.value(claim, NG.statedValue))
        qualifier = str(shipped_graph.value(claim, NG.qualifier))
        label = str(next(lbl for lbl in shipped_graph.objects(claim, RDFS.label) if lbl.language == "en"))
        counted = rows[label][2]
        agrees = counted is not None and (
            (qualifier == "exactly" and int(counted) == stated) or (qualifier == "moreThan" and int(counted) > stated)
        )
        if not agrees:
            explanations = {e.language for e in shipped_graph.objects(claim, NG.explanation)}
            assert explanations == {"en", "fr"}, f"{claim}: differs from the data without an explanation in both languages"


def test_every_country_has_both_labels_codes_and_wikidata(shipped_graph):
    countries = set(shipped_graph.subjects(RDF.type, NG.Country))
    assert len(countries) >= 32 + 18 + 11 + 9
    for country in countries:
        langs = sorted(label.language for label in shipped_graph.objects(country, RDFS.label))
        assert langs == ["en", "fr"], country
        alpha2 = str(shipped_graph.value(country, NG.iso3166Alpha2))
        assert country == CTY[alpha2]
        assert re.fullmatch(r"[A-Z]{3}", str(shipped_graph.value(country, NG.iso3166Alpha3)))
        assert re.fullmatch(r"Q[1-9]\d*", str(shipped_graph.value(country, NG.wikidataId)))


def test_french_names_as_the_source_text_spells_them(shipped_graph):
    # The source text lists each name in English then French: those spellings are the reference.
    expected = {
        "DZ": "Algérie", "EG": "Égypte", "IL": "Israël", "JO": "Jordanie", "MR": "Mauritanie", "MA": "Maroc",
        "TN": "Tunisie", "BH": "Bahreïn", "KW": "Koweït", "QA": "Qatar", "AE": "Émirats arabes unis",
    }
    for code, name in expected.items():
        assert Literal(name, lang="fr") in set(shipped_graph.objects(CTY[code], RDFS.label))


def test_every_fact_carries_a_declared_source(asserted):
    sources = set(asserted.subjects(RDF.type, NG.Source))
    described = {s for s in asserted.subjects(RDF.type, None) if str(s).startswith("https://w3id.org/natograph/id/")}
    assert described
    for subject in described:
        cited = set(asserted.objects(subject, DCTERMS.source))
        assert cited, f"{subject} has no dcterms:source"
        assert cited <= sources, f"{subject} cites an undeclared source: {cited - sources}"


def test_facts_from_the_source_text_carry_their_sentence(asserted):
    source_text = "https://www.nato.int/cps/fr/natohq/topics_84336.htm"
    for subject in asserted.subjects(DCTERMS.source, None):
        if any(str(o) == source_text for o in asserted.objects(subject, DCTERMS.source)):
            if (subject, RDF.type, NG.Source) in asserted:
                continue
            assert asserted.value(subject, NG.sourceSentence) is not None, f"{subject}: cites the text without its sentence"
