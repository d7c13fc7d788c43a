"""One catalogue on any SPARQL engine: the bound text natograph runs is the text any engine runs.

Every query fixture runs on rdflib and on pyoxigraph with the very same bound text (VALUES blocks
opening each WHERE that reads a parameter) and must give identical rows in identical order; what
``--show-query`` prints is that text; and every results format of every query form parses back in
two independent parsers (rdflib and pyoxigraph).
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.query import Result
from test_queries import CASES, TODAY, fixture_graph, params_of

from natograph.cli import main
from natograph.graph.store.opening import open_engine
from natograph.graph.terms import from_rdflib
from natograph.queries.catalogue import get
from natograph.queries.running import run_sparql, select


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def oxigraph_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_every_fixture_gives_identical_rows_on_rdflib_and_pyoxigraph(case):
    name = case.stem.split("@")[0]
    graph = fixture_graph(case)
    text = get(name).bound_text(params_of(case), graph, today=TODAY)
    on_rdflib = select(graph, text)
    solutions = oxigraph_store(graph).query(text)
    columns = tuple(v.value for v in solutions.variables)
    on_oxigraph = [tuple(s[c] for c in columns) for s in solutions]
    assert columns == on_rdflib.columns == get(name).columns
    assert on_oxigraph == list(on_rdflib.terms)
    assert on_oxigraph, f"{case.name}: the fixture returns no row, so it proves nothing"


def test_parameters_reach_every_where_that_reads_them():
    # frameworks reads as_of inside a sub-SELECT: the sub-SELECT's WHERE gets its own VALUES block,
    # so no engine needs rdflib's initBindings leaking into sub-queries.
    text = get("frameworks").bound_text({"as_of": "2000", "lang": "fr"}, open_engine())
    assert text.count("VALUES (?param_as_of)") == 1  # in the sub-SELECT, the only group that reads it
    assert text.count("VALUES (?param_lang)") == 1
    outer, inner = text.index("VALUES (?param_lang)"), text.index("VALUES (?param_as_of)")
    assert text.rindex("WHERE {", 0, outer) < outer < text.index("SELECT ?fw") < inner
    rows = {row[0].value: int(row[3].value) for row in select(open_engine(), text).terms}
    assert rows["PfP"] == 26  # 2000-12-31: 26 countries in PfP; today's count would be 18


def test_show_query_prints_the_text_any_engine_runs(capsys):
    code, shown, _ = run(capsys, "query", "partners", "-p", "framework=md", "-p", "as_of=2020", "--show-query")
    assert code == 0
    assert shown.startswith("#+ summary:")
    block = (' VALUES (?param_as_of ?param_framework ?param_lang) '
             '{ ("2020-12-31"^^<http://www.w3.org/2001/XMLSchema#date> "MD" "en") }')
    stored = get("partners").text
    assert shown.replace(block, "", 1) == stored + "\n" * (not stored.endswith("\n"))
    # Pasted into another engine (a plain pyoxigraph store of the exported graph), it gives natograph's rows.
    store = ox.Store()
    store.bulk_load(open_engine().dump(inferred=True), ox.RdfFormat.N_TRIPLES)
    pasted = [[s[c].value for c in ("code", "label", "framework", "joined", "status")] for s in store.query(shown)]
    code, out, _ = run(capsys, "query", "partners", "-p", "framework=md", "-p", "as_of=2020", "--format", "csv")
    assert pasted == list(csv.reader(io.StringIO(out)))[1:]
    assert len(pasted) == 7


def test_show_query_with_the_default_for_every_unbound_parameter(capsys):
    code, shown, _ = run(capsys, "query", "summits", "--show-query")
    assert code == 0 and 'VALUES (?param_lang) { ("en") }' in shown


# -- one parameter vocabulary for the language ----------------------------------------------------


def test_the_language_has_one_spelling_in_list_and_both_are_accepted(capsys):
    code, listing, _ = run(capsys, "list")
    assert code == 0
    assert "-p lang" not in listing
    assert "--lang en|fr" in listing
    _, by_option, _ = run(capsys, "query", "members", "--lang", "fr", "--format", "csv")
    code, by_param, _ = run(capsys, "query", "members", "-p", "lang=fr", "--format", "csv")
    assert code == 0
    assert by_param == by_option and "Allemagne" in by_param


def test_two_different_languages_are_refused(capsys):
    code, _, err = run(capsys, "query", "members", "--lang", "fr", "-p", "lang=en")
    assert code == 2 and "disagree" in err and len(err.strip().splitlines()) == 1


# -- results formats of every query form, read back by two parsers --------------------------------

ASK_TRUE = "PREFIX ng: <https://w3id.org/natograph/ontology#> ASK { ?c a ng:MemberState }"
ASK_FALSE = "ASK { <https://example.org/none> ?p ?o }"
SELECT = ("PREFIX ng: <https://w3id.org/natograph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
          "SELECT ?c ?label ?joined WHERE { ?m ng:membershipIn ?nato ; ng:participant ?c . "
          "OPTIONAL { ?m ng:startDate ?joined } ?c rdfs:label ?label } ORDER BY ?c ?label")
CONSTRUCT = ("PREFIX ng: <https://w3id.org/natograph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
             "CONSTRUCT { ?c ng:memberOf ?o ; rdfs:label ?l } WHERE { ?c ng:memberOf ?o ; rdfs:label ?l }")
DESCRIBE = "DESCRIBE <https://w3id.org/natograph/id/country/FR>"
RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "tsv": ox.QueryResultsFormat.TSV}


@pytest.mark.parametrize(("query", "answer"), [(ASK_TRUE, True), (ASK_FALSE, False)])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv", "table"])
def test_ask_in_every_results_format(capsys, query, answer, fmt):
    code, out, _ = run(capsys, "sparql", query, "--format", fmt)
    assert code == 0
    if fmt == "json":
        assert json.loads(out) == {"head": {}, "boolean": answer}
    if fmt in ("json", "xml"):
        assert Result.parse(io.BytesIO(out.encode()), format=fmt).askAnswer is answer  # rdflib
    if fmt in RESULTS:
        assert bool(ox.parse_query_results(out, RESULTS[fmt])) is answer  # pyoxigraph
    if fmt in ("csv", "tsv", "table"):  # SPARQL 1.1 CSV/TSV define no boolean: one line, as Oxigraph writes
        assert out.strip() == ("true" if answer else "false")


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_select_in_every_results_format_parses_back(capsys, fmt):
    code, out, _ = run(capsys, "sparql", SELECT, "--format", fmt)
    assert code == 0
    expected = select(open_engine(), SELECT)
    by_rdflib = Result.parse(io.BytesIO(out.encode()), format=fmt)
    assert [str(v) for v in by_rdflib.vars] == list(expected.columns)
    if fmt == "csv":  # CSV keeps values only (SPARQL 1.1 CSV): compare the text
        assert [[str(v) for v in row] for row in by_rdflib] == [[t.value for t in row] for row in expected.terms]
        return
    assert [tuple(from_rdflib(v) for v in row) for row in by_rdflib] == list(expected.terms)
    parsed = ox.parse_query_results(out, RESULTS[fmt])
    assert [tuple(s[c] for c in expected.columns) for s in parsed] == list(expected.terms)
    assert len(expected.terms) > 60  # members in both languages, some without a date


RDF_FORMATS = {"turtle": ("turtle", ox.RdfFormat.TURTLE), "ntriples": ("nt", ox.RdfFormat.N_TRIPLES),
               "jsonld": ("json-ld", ox.RdfFormat.JSON_LD), "rdfxml": ("xml", ox.RdfFormat.RDF_XML)}


@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("fmt", [*RDF_FORMATS, "table"])
def test_graphs_in_every_rdf_format_parse_back(capsys, query, fmt):
    code, out, _ = run(capsys, "sparql", query, "--format", fmt)
    assert code == 0
    rdflib_name, ox_format = RDF_FORMATS["turtle" if fmt == "table" else fmt]
    _, expected = run_sparql(open_engine(), query)
    expected = {tuple(expected_triple) for expected_triple in expected}
    by_rdflib = {tuple(from_rdflib(t) for t in triple) for triple in Graph().parse(data=out, format=rdflib_name)}
    by_oxigraph = {(q.subject, q.predicate, q.object) for q in ox.parse(out.encode(), ox_format)}
    assert by_rdflib == by_oxigraph == expected
    assert len(expected) > 10


@pytest.mark.parametrize(("query", "fmt"), [(CONSTRUCT, "json"), (CONSTRUCT, "xml"), (DESCRIBE, "csv"),
                                            (DESCRIBE, "tsv"), (SELECT, "turtle"), (ASK_TRUE, "jsonld"),
                                            (ASK_TRUE, "ntriples"), (SELECT, "rdfxml")])
def test_a_format_that_does_not_fit_the_query_form_is_refused(capsys, query, fmt):
    code, out, err = run(capsys, "sparql", query, "--format", fmt)
    assert (code, out) == (2, "")
    assert "format" in err and len(err.strip().splitlines()) == 1
