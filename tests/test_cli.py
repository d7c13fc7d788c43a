"""The CLI as a user runs it: outputs, formats, and every error path (one line, exit code 2)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from natograph.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_query_with_summary_and_parameters(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    for name in ("members", "partners", "organisations", "frameworks", "initiative-participants",
                 "summits", "timeline", "country", "stated-counts"):
        assert f"\n{name}\n" in f"\n{out}"
    assert "-p framework: choice(PfP|MD|ICI|PATG), optional" in out


def test_query_table_is_aligned_and_counts_rows(capsys):
    code, out, _ = run(capsys, "query", "partners", "-p", "framework=MD")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["code", "label", "framework", "joined", "status"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert lines[-1] == "(7 rows)"
    # aligned: every row starts its second column where the header's does
    column = lines[0].index("label")
    assert all(row[column - 2:column] == "  " for row in lines[2:-1])
    assert "DZ    Algeria     MD         2000-03  active" in out


def test_query_in_french(capsys):
    code, out, _ = run(capsys, "query", "partners", "-p", "framework=ici", "--lang", "fr", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert ["AE", "Émirats arabes unis"] == rows[1][:2]
    assert {r[1] for r in rows[1:]} == {"Bahreïn", "Koweït", "Qatar", "Émirats arabes unis"}


def test_query_json_is_w3c_sparql_results(capsys):
    code, out, _ = run(capsys, "query", "members", "-p", "as_of=1949", "--format", "json")
    document = json.loads(out)
    assert code == 0
    assert document["head"]["vars"] == ["code", "label", "joined"]
    bindings = document["results"]["bindings"]
    assert len(bindings) == 12
    assert bindings[0]["joined"] == {
        "type": "literal", "value": "1949-04-04", "datatype": "http://www.w3.org/2001/XMLSchema#date"
    }
    assert bindings[0]["label"]["xml:lang"] == "en"


def test_query_xml_is_w3c_sparql_results(capsys):
    code, out, _ = run(capsys, "query", "summits", "--format", "xml")
    root = ET.fromstring(out)
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert code == 0
    assert [v.get("name") for v in root.findall("s:head/s:variable", ns)] == ["year", "label", "place"]
    assert len(root.findall("s:results/s:result", ns)) >= 10


def test_query_tsv_uses_turtle_terms(capsys):
    code, out, _ = run(capsys, "query", "organisations", "--format", "tsv")
    assert code == 0
    assert out.splitlines()[0] == "?code\t?label\t?since"
    assert '"United Nations"@en' in out


def test_sparql_select_and_ask(capsys):
    code, out, _ = run(capsys, "sparql", "PREFIX ng: <https://w3id.org/natograph/ontology#> "
                       "SELECT (COUNT(*) AS ?n) WHERE { ?c a ng:MemberState }", "--format", "csv")
    assert code == 0
    assert out.splitlines()[1] == "32"  # derived class: OWL RL did the work
    code, out, _ = run(capsys, "sparql", "ASK { ?s ?p ?o }")
    assert (code, out) == (0, "true\n")


def test_sparql_from_file_and_construct(capsys, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("PREFIX ng: <https://w3id.org/natograph/ontology#>\n"
                     "CONSTRUCT { ?c ng:memberOf ?o } WHERE { ?c ng:memberOf ?o } ORDER BY ?c")
    code, out, _ = run(capsys, "sparql", "-f", str(query), "--format", "ntriples")
    assert code == 0
    assert len(out.splitlines()) == 32


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["query", "nosuch"], "no stored query named 'nosuch'"),
        (["query", "partners", "-p", "framework"], "is not KEY=VALUE"),
        (["query", "partners", "-p", "framework=XX"], "is not one of"),
        (["query", "partners", "-p", "as_of=2020", "-p", "as_of=2021"], "given twice"),
        (["query", "members", "--format", "yaml"], "unknown format 'yaml'"),
        (["query", "members", "--lang", "de"], "unknown language 'de'"),
        (["query", "country"], "needs parameter 'code'"),
        (["sparql", "SELECT WHERE"], "SPARQL syntax error"),
        (["sparql", "INSERT DATA { <a:b> <a:c> <a:d> }"], "UPDATE is refused"),
        (["sparql", "DELETE WHERE { ?s ?p ?o }"], "UPDATE is refused"),
        (["sparql", "LOAD <http://example.org/x.ttl>"], "UPDATE is refused"),
        (["sparql", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"], "SERVICE is refused"),
        (["sparql", "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"], "FROM / FROM NAMED is refused"),
        (["sparql", "SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }"], "FROM / FROM NAMED is refused"),
        (["sparql", "-f", "/nonexistent/q.rq"], "cannot read query"),
        (["sparql", "   "], "the query is empty"),
        (["validate", "/nonexistent.ttl"], "no such file or folder"),
        (["validate", "--fail-on", "fatal"], "unknown severity 'fatal'"),
        (["validate", "--format", "html"], "unknown format 'html'"),
        (["export", "--format", "csv"], "unknown format 'csv'"),
        (["export", "-o", "/nonexistent-folder/out.ttl"], "folder does not exist"),
        (["frobnicate"], "invalid choice"),
        ([], "the following arguments are required"),
    ],
)
def test_errors_are_one_line_with_exit_code_2(capsys, argv, fragment):
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_validate_shipped_graph_conforms(capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert "0 violations, 0 warnings" in out.splitlines()[-1]


def test_validate_user_file_reports_file_line_and_exit_1(capsys, tmp_path):
    addition = tmp_path / "mine.ttl"
    addition.write_text(
        "@prefix ng: <https://w3id.org/natograph/ontology#> .\n"
        "@prefix cty: <https://w3id.org/natograph/id/country/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "\n"
        "cty:XK\n"
        "    a ng:Country ;\n"
        '    rdfs:label "Kosovo"@en ;\n'
        '    ng:iso3166Alpha2 "xk" .\n'
    )
    code, out, _ = run(capsys, "validate", str(addition))
    assert code == 1
    assert f"{addition}:5: cty:XK" in out or "mine.ttl:5: cty:XK" in out
    assert "French label" in out
    assert "two capital letters" in out


def test_validate_formats(capsys, tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix ng: <https://w3id.org/natograph/ontology#> .\n"
        "<https://w3id.org/natograph/id/country/QQ> a ng:Country .\n"
    )
    code, out, err = run(capsys, "validate", str(bad), "--format", "json")
    document = json.loads(out)
    assert code == 1 and document["conforms"] is False
    assert {r["focus"] for r in document["results"]} == {"cty:QQ"}
    assert all(r["line"] == 2 for r in document["results"])
    assert "violation" in err
    code, out, _ = run(capsys, "validate", str(bad), "--format", "sarif")
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0"
    assert sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    code, out, _ = run(capsys, "validate", str(bad), "--format", "turtle")
    assert "sh:ValidationReport" in out and "sh:conforms false" in out


def test_fail_on_info_turns_infos_into_failure(capsys):
    code, _, _ = run(capsys, "validate", "--fail-on", "info")
    assert code == 1  # the shipped graph carries infos (undated participations with notes)


def test_stats(capsys):
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert "data/members.ttl" in out and "inferred (OWL RL)" in out
    assert "ng:Country" in out and "ng:MemberState" in out


def test_console_script_runs_out_of_process():
    done = subprocess.run([sys.executable, "-m", "natograph", "query", "members", "-p", "as_of=1999",
                           "--format", "csv"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1 + 19


def test_bad_input_out_of_process_has_no_traceback(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c ;\n  ex:d .\n")
    done = subprocess.run([sys.executable, "-m", "natograph", "validate", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert f"{bad}:3:" in done.stderr


PREFIXES = (
    "@prefix ng: <https://w3id.org/natograph/ontology#> .\n"
    "@prefix cty: <https://w3id.org/natograph/id/country/> .\n"
    "@prefix ptn: <https://w3id.org/natograph/id/participation/> .\n"
    "@prefix fw: <https://w3id.org/natograph/id/framework/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
)


def test_fail_on_sets_the_severity_that_fails(capsys, tmp_path):
    addition = tmp_path / "ended.ttl"
    addition.write_text(
        PREFIXES + "ptn:MT-ICI a ng:Participation ; ng:participant cty:MT ; ng:partnershipIn fw:ICI ;\n"
        '    ng:startDate "2005"^^xsd:gYear ; ng:endDate "2006"^^xsd:gYear ;\n'
        "    dcterms:source <https://www.nato.int/cps/fr/natohq/topics_84336.htm> .\n"
    )
    code, out, _ = run(capsys, "validate", str(addition))
    assert code == 0 and "warning: ended on 2006 without an ng:endReason" in out
    assert "0 violations, 1 warning" in out.splitlines()[-1]
    code, _, _ = run(capsys, "validate", str(addition), "--fail-on", "warning")
    assert code == 1


@pytest.mark.slow  # a closure with the addition, validated
def test_inferred_only_marks_results_that_need_inference(capsys, tmp_path):
    # No rdf:type: the domain of ng:participant makes it a participation, so the participation shape
    # (here: its missing source) applies only after inference; the missing type itself is found as written.
    addition = tmp_path / "untyped.ttl"
    addition.write_text(
        PREFIXES + 'ptn:MT-MD ng:participant cty:MT ; ng:partnershipIn fw:MD ; ng:startDate "2005"^^xsd:gYear .\n'
    )
    code, out, _ = run(capsys, "validate", str(addition), "--inferred-only", "--format", "json")
    results = json.loads(out)["results"]
    assert code == 1
    by_shape = {r["shape"]: r["inferredOnly"] for r in results}
    assert by_shape["ngsh:source"] is True
    assert by_shape["check:missing-type"] is False


@pytest.mark.slow  # validates twice, the second in turn
def test_checks_in_a_child_process_find_what_they_find_in_this_one(tmp_path, monkeypatch):
    from natograph.checks import validation

    bad = tmp_path / "overlap.ttl"
    bad.write_text(
        PREFIXES + "ptn:FI-PfP-2 a ng:Participation ; ng:participant cty:FI ; ng:partnershipIn fw:PfP ;\n"
        '    ng:startDate "2023-05"^^xsd:gYearMonth ; dcterms:source <https://www.nato.int/cps/fr/natohq/topics_84336.htm> .\n'
    )
    side_by_side = validation.validate([bad])
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    one_after_the_other = validation.validate([bad])
    assert side_by_side == one_after_the_other
    assert any(r.shape == "check:member-and-partner" and r.focus == "cty:FI" for r in side_by_side.results)


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_validate_refuses_a_number_of_jobs_below_one(capsys, jobs):
    code, _out, err = run(capsys, "validate", "--jobs", jobs)
    assert code == 2 and err.count("\n") == 1 and "--jobs" in err
