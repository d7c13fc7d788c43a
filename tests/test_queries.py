"""Every stored query: its header, its fixture, and the rows it must return on that fixture."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from natograph.errors import ParameterError, QueryError
from natograph.graph import loading, resources
from natograph.graph.store.opening import open_engine
from natograph.queries import formats
from natograph.queries.binding import _known_codes
from natograph.queries.catalogue import catalogue, get, parse_header, run_stored

FIXTURES = Path(__file__).parent / "fixtures" / "queries"
TODAY = dt.date(2025, 6, 30)
CASES = sorted(p for p in FIXTURES.glob("*.ttl") if p.name != "world.ttl")


@cache
def fixture_graph(case: Path) -> Graph:
    asserted = loading.parse_files([resources.ontology_file(), FIXTURES / "world.ttl", case])
    return loading.graph_of(asserted, loading.inferred_triples(asserted))


def params_of(case: Path) -> dict[str, str]:
    match = re.search(r"^# params:(.*)$", case.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{case.name} has no '# params:' line"
    return dict(item.split("=", 1) for item in match.group(1).split())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_query_returns_expected_rows(case):
    name = case.stem.split("@")[0]
    result = run_stored(fixture_graph(case), name, params_of(case), today=TODAY)
    expected_file = FIXTURES / f"{case.stem}.expected.csv"
    expected = list(csv.reader(io.StringIO(expected_file.read_text(encoding="utf-8"))))
    got = list(csv.reader(io.StringIO(formats.to_csv(result))))
    assert got == expected


def test_every_query_has_a_header_and_a_fixture():
    names = {p.stem.split("@")[0] for p in CASES}
    for name, query in catalogue().items():
        assert query.summary, name
        assert query.columns, name
        assert name in names, f"stored query {name!r} has no fixture in {FIXTURES}"
    for case in CASES:
        assert (FIXTURES / f"{case.stem}.expected.csv").exists(), f"{case.name} has no expected rows"

CONTRACT = {
    "members": ("code", "label", "joined"),
    "partners": ("code", "label", "framework", "joined", "status"),
    "organisations": ("code", "label", "since"),
    "frameworks": ("framework", "label", "launched", "partners", "stated"),
    "initiative-participants": ("code", "label", "since"),
    "summits": ("year", "label", "place"),
    "timeline": ("date", "event", "label"),
    "country": ("relation", "target", "since", "until", "source"),
    "programmes": ("programme", "code", "label", "since", "until", "end_reason", "successor"),
    "bodies": ("code", "label", "country", "since", "until", "replaced_by", "suspended_since"),
    "contributions": ("operation", "code", "label", "since", "until", "source"),
    "operations": ("operation", "label", "since", "until", "contributors"),
    "stated-counts": ("subject", "stated", "counted", "as_of", "source"),
    "stale": ("fact", "kind", "since", "read", "source"),
}


def test_catalogue_is_the_public_contract():
    stored = catalogue()
    for name, columns in CONTRACT.items():
        assert stored[name].columns == columns
    assert stored["partners"].param("framework").choices == ("PfP", "MD", "ICI", "PATG")
    assert stored["initiative-participants"].param("initiative").required
    assert stored["country"].param("code").required
    for name in ("members", "partners", "initiative-participants"):
        assert stored[name].param("as_of").default == "today"
    assert stored["timeline"].param("from") and stored["timeline"].param("to")
    # as_of is optional where its absence means "all of history" or "the data's own day", not today
    for name in ("programmes", "operations", "stale"):
        assert not stored[name].param("as_of").required and stored[name].param("as_of").default is None


def test_query_files_are_plain_sparql_with_own_prefixes_and_order_by():
    from rdflib.plugins.sparql import prepareQuery

    for path in [*resources.query_files(), *resources.check_files()]:
        text = path.read_text(encoding="utf-8")
        assert "ORDER BY" in text, f"{path.name}: results must be ordered"
        assert "prefix " not in text, f"{path.name}: write PREFIX in capitals"
        prepareQuery(text)  # parses with its own PREFIX lines, nothing injected


def test_a_header_missing_is_refused(tmp_path):
    bad = tmp_path / "nohead.rq"
    bad.write_text("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s\n")
    with pytest.raises(QueryError, match="summary"):
        parse_header("nohead", bad, bad.read_text())


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        ("partners", {"framework": "NATO"}, "is not one of PfP, MD, ICI, PATG"),
        ("partners", {"as_of": "2020-02-30"}, "not a real date"),
        ("partners", {"as_of": "last year"}, "not a year"),
        ("partners", {"as_of": "2020-13"}, "not a real date"),
        ("members", {"colour": "red"}, "has no parameter 'colour'"),
        ("country", {}, "needs parameter 'code'"),
        ("country", {"code": "ZZ"}, "no country or organisation has the code"),
        ("country", {"code": "F R"}, "is not a code"),
        ("country", {"code": "PfP"}, "no country or organisation has the code"),
        ("initiative-participants", {"initiative": "XYZ"}, "no initiative has the code"),
        ("contributions", {"operation": "XYZ"}, "no operation has the code 'XYZ'"),
        ("programmes", {"programme": "XYZ"}, "no programme has the code 'XYZ'"),
        ("members", {"lang": "de"}, "not a label language"),
    ],
)
def test_bad_parameter_values_are_refused_with_a_clear_message(shipped_graph, name, params, message):
    with pytest.raises(ParameterError, match=re.escape(message)):
        run_stored(shipped_graph, name, params)


def test_parameters_are_bound_as_terms_never_pasted(shipped_graph):
    # A value that would break out of a pasted string is refused by its type, never executed.
    hostile = '2020" ) } SELECT * WHERE { ?s ?p ?o } #'
    with pytest.raises(ParameterError):
        run_stored(shipped_graph, "members", {"as_of": hostile})
    # Values become RDF terms, and reach the text only in the VALUES block that opens the WHERE
    # group, written by the terms themselves (N-Triples syntax): the rest of the text is the stored one.
    import pyoxigraph as ox

    query = get("partners")
    bindings = query.bindings({"framework": "md", "as_of": "2020"}, shipped_graph)
    assert set(bindings) == {"param_framework", "param_as_of", "param_lang"}
    assert all(isinstance(v, ox.Literal) for v in bindings.values())
    text = query.bound_text({"framework": "md", "as_of": "2020"}, shipped_graph)
    block = (' VALUES (?param_as_of ?param_framework ?param_lang) '
             '{ ("2020-12-31"^^<http://www.w3.org/2001/XMLSchema#date> "MD" "en") }')
    assert text.replace(block, "", 1) == query.text


CODES_TTL = """@prefix ng: <https://w3id.org/natograph/ontology#> .
<urn:x:c1> ng:iso3166Alpha2 "Ab" .
<urn:x:o1> a ng:Organisation ; ng:code "AB" .
<urn:x:o2> a ng:Organisation ; ng:code "xy" .
<urn:x:o3> a ng:Organisation ; ng:code "Xy" .
<urn:x:i1> ng:code "PfP" .
<urn:x:i2> ng:code "cd-1" .
<urn:x:c2> ng:iso3166Alpha2 "QQ" .
"""


def _codes_by_scan(graph: Graph, initiatives: bool) -> dict[str, str]:
    """What a code parameter resolves to, read the long way: every code of the graph, by kind then code."""
    ng = "https://w3id.org/natograph/ontology#"
    rows = [("country", str(c)) for c in graph.objects(None, URIRef(ng + "iso3166Alpha2"))]
    rows += [("organisation", str(c)) for t in graph.subjects(RDF.type, URIRef(ng + "Organisation"))
             for c in graph.objects(t, URIRef(ng + "code"))]
    rows += [("any", str(c)) for c in graph.objects(None, URIRef(ng + "code"))]
    codes: dict[str, str] = {}
    for kind, code in sorted(rows):
        if kind in (("any",) if initiatives else ("country", "organisation")):
            codes.setdefault(code.upper(), code)
    return codes


@pytest.mark.parametrize("engine", ["pyoxigraph", "rdflib"])
def test_a_code_resolves_case_insensitively_as_the_whole_list_of_codes_says(tmp_path, engine):
    """A code parameter is looked up in the engine (the codes whose upper case it is), and resolves
    to what the list of every code, by kind then code, gives: a country's before an organisation's,
    an upper-case code before its other spellings."""

    path = tmp_path / "codes.ttl"
    path.write_text(CODES_TTL, encoding="utf-8")
    reference = Graph().parse(path)
    source = open_engine([path], use_cache=False) if engine == "pyoxigraph" else reference
    for initiatives in (False, True):
        expected = _codes_by_scan(reference, initiatives)
        for raw in ("ab", "AB", "aB", "xy", "XY", "pfp", "PFP", "cd-1", "CD-1", "qq", "zz"):
            found = _known_codes(source, raw.upper(), initiatives=initiatives)
            assert found.get(raw.upper()) == expected.get(raw.upper()), (initiatives, raw)
    assert _known_codes(source, "AB", initiatives=False) == {"AB": "Ab"}  # the country's
    assert _known_codes(source, "XY", initiatives=False) == {"XY": "Xy"}


def test_a_country_code_is_case_insensitive(shipped_graph):
    assert run_stored(shipped_graph, "country", {"code": "fi"}) == run_stored(
        shipped_graph, "country", {"code": "FI"})


def test_framework_is_case_insensitive(shipped_graph):
    upper = run_stored(shipped_graph, "partners", {"framework": "MD"})
    lower = run_stored(shipped_graph, "partners", {"framework": "md"})
    assert upper == lower and len(upper.rows) == 7
