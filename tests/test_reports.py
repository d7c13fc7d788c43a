"""Validation reports, each checked against its own standard.

- Turtle: parsed by pyoxigraph without a base (a relative IRI is refused), then validated with pySHACL
  against shapes for the SHACL results vocabulary (``tests/fixtures/reports/shacl-results.shapes.ttl``,
  written from SHACL §3.6), then compared field by field with the results the API returned.
- SARIF: validated with ``jsonschema`` against the OASIS SARIF 2.1.0 schema, vendored as
  ``tests/fixtures/reports/sarif-schema-2.1.0.json`` (see the README there), then field by field.
- JSON: exactly the documented fields, with their types.

The results come from validating three small fixtures together: a blank-node country (a blank focus
node), an orphan suspension (a complex property path: the inverse of the links to it), and a participation that ends before it
starts (SPARQL checks with a path and a value).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.extras.shacl import parse_shacl_path
from rdflib.namespace import RDF, SH
from rdflib.paths import Path as RdfPath

from natograph.checks import reports, validation
from natograph.checks.reports import REPORT_FORMATS
from natograph.checks.results import SEVERITIES, ValidationReport
from natograph.checks.rules import load_checks

HERE = Path(__file__).resolve().parent
SHAPE_FIXTURES = HERE / "fixtures" / "shapes"
REPORT_FIXTURES = HERE / "fixtures" / "reports"
INPUTS = [
    SHAPE_FIXTURES / "CountryShape" / "invalid-08-blank-node.ttl",
    SHAPE_FIXTURES / "SuspensionShape" / "invalid-02-orphan.ttl",
    SHAPE_FIXTURES / "check-start-after-end" / "invalid-01-end-before-start.ttl",
]


@pytest.fixture(scope="module")
def report() -> ValidationReport:
    logging.getLogger("rdflib").setLevel(logging.ERROR)
    found = validation.validate(INPUTS, alone=True)
    # What makes this report a test of every rule of the standard: each case below is present.
    assert any(isinstance(r.focus_term, BNode) for r in found.results), "a blank-node focus"
    assert any(isinstance(r.path_term, RdfPath) for r in found.results), "a complex property path"
    assert any(r.shape.startswith("check:") and r.value_term is not None for r in found.results), "a check with a value"
    assert any(r.shape.startswith("ngsh:") for r in found.results), "a SHACL shape result"
    return found


def shacl_conforms(data: Graph) -> tuple[bool, str]:
    from pyshacl import validate as shacl_validate

    shapes = Graph().parse(REPORT_FIXTURES / "shacl-results.shapes.ttl", format="turtle")
    conforms, _graph, text = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True)
    return conforms, text


def strict_parse(turtle: str) -> Graph:
    """Parse with pyoxigraph, without a base IRI: a relative IRI is an error; then into rdflib."""
    import pyoxigraph

    triples = list(pyoxigraph.parse(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))
    ntriples = "".join(f"{t} .\n" for t in triples)
    return Graph().parse(data=ntriples, format="nt")


# ---------------------------------------------------------------------------
# SHACL (Turtle)
# ---------------------------------------------------------------------------


def test_turtle_report_is_a_valid_shacl_report(report):
    graph = strict_parse(reports.report_turtle(report))
    conforms, text = shacl_conforms(graph)
    assert conforms, text


def test_turtle_report_of_a_conforming_graph_is_valid():
    empty = ValidationReport(results=(), files=(), triples=0)
    graph = strict_parse(reports.report_turtle(empty))
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(root, SH.conforms) == Literal(True)
    assert not list(graph.objects(root, SH.result))
    conforms, text = shacl_conforms(graph)
    assert conforms, text


def test_results_shapes_refuse_what_the_old_report_wrote(report):
    """The shapes have teeth: no sh:sourceConstraintComponent, or sh:conforms true with results, fails."""
    graph = strict_parse(reports.report_turtle(report))
    no_component = Graph()
    no_component += graph
    no_component.remove((None, SH.sourceConstraintComponent, None))
    assert not shacl_conforms(no_component)[0]
    lying = Graph()
    lying += graph
    lying.remove((None, SH.conforms, None))
    (root,) = lying.subjects(RDF.type, SH.ValidationReport)
    lying.add((root, SH.conforms, Literal(True)))
    assert not shacl_conforms(lying)[0]
    two_foci = Graph()
    two_foci += graph
    result = next(two_foci.subjects(RDF.type, SH.ValidationResult))
    two_foci.add((result, SH.focusNode, URIRef("https://example.org/another")))
    assert not shacl_conforms(two_foci)[0]


def test_a_relative_focus_iri_is_refused():
    """What the old report wrote for a blank-node focus (``sh:focusNode <nc89ab>``) does not parse strictly."""
    import pyoxigraph

    old = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n[] sh:focusNode <nc89ab> .\n"
    with pytest.raises(SyntaxError):
        strict_parse(old)
    assert pyoxigraph  # the strict parser is the one the test above relies on


def test_turtle_report_says_what_each_result_says(report):
    graph = strict_parse(reports.report_turtle(report))
    (root,) = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(root, SH.conforms) == Literal(False)
    written = list(graph.objects(root, SH.result))
    assert len(written) == len(report.results)
    unmatched = list(written)
    for r in report.results:
        def same(node, r=r) -> bool:
            focus = graph.value(node, SH.focusNode)
            if isinstance(r.focus_term, BNode):
                if not isinstance(focus, BNode):
                    return False
            elif focus != r.focus_term:
                return False
            if graph.value(node, SH.sourceShape) != reports.source_shape(r):
                return False
            if str(graph.value(node, SH.resultMessage)) != r.message:
                return False
            value = graph.value(node, SH.value)
            if isinstance(r.value_term, BNode):
                return isinstance(value, BNode)
            return value == r.value_term

        matches = [node for node in unmatched if same(node)]
        assert matches, f"no sh:result for {r}"
        node = matches[0]
        unmatched.remove(node)
        severity = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}[r.severity]
        assert graph.value(node, SH.resultSeverity) == severity
        component = graph.value(node, SH.sourceConstraintComponent)
        if r.shape.startswith("check:"):
            assert component == SH.SPARQLConstraintComponent
            assert str(graph.value(node, SH.sourceShape)) == "https://w3id.org/natograph/checks#" + r.shape[6:]
        else:
            assert component == SH[r.constraint]
            assert str(graph.value(node, SH.sourceShape)) == "https://w3id.org/natograph/shapes#" + r.shape[5:]
        path = graph.value(node, SH.resultPath)
        if isinstance(r.path_term, URIRef):
            assert path == r.path_term
        elif isinstance(r.path_term, RdfPath):
            assert isinstance(path, BNode) and parse_shacl_path(graph, path) == r.path_term
        else:
            assert path is None
    assert not unmatched


def test_blank_focus_is_written_as_a_blank_node(report):
    text = reports.report_turtle(report)
    blank = next(r for r in report.results if isinstance(r.focus_term, BNode))
    assert f"sh:focusNode _:{blank.focus_term}" in text or "sh:focusNode [" in text
    assert f"sh:focusNode <{blank.focus_term}>" not in text


# ---------------------------------------------------------------------------
# SARIF 2.1.0
# ---------------------------------------------------------------------------


def sarif_schema() -> dict:
    return json.loads((REPORT_FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_report_validates_against_the_sarif_schema(report):
    import jsonschema

    document = json.loads(reports.report_sarif(report))
    jsonschema.Draft4Validator(sarif_schema()).validate(document)


def test_sarif_schema_has_teeth(report):
    import jsonschema

    document = json.loads(reports.report_sarif(report))
    document["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(sarif_schema()).validate(document)


def test_sarif_report_field_by_field(report, monkeypatch):
    monkeypatch.chdir(HERE.parent)
    document = json.loads(reports.report_sarif(report))
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "natograph"
    rules = driver["rules"]
    assert [rule["id"] for rule in rules] == sorted({r.shape for r in report.results})
    summaries = {f"check:{c.name}": c.summary for c in load_checks()}
    for rule in rules:
        text = rule["shortDescription"]["text"]
        assert text.strip() and text != rule["id"]
        if rule["id"] in summaries:
            assert text == summaries[rule["id"]]
    level = {"violation": "error", "warning": "warning", "info": "note"}
    assert len(run["results"]) == len(report.results)
    for r, out in zip(report.results, run["results"], strict=True):
        assert out["ruleId"] == r.shape
        assert rules[out["ruleIndex"]]["id"] == r.shape
        assert out["level"] == level[r.severity]
        assert r.message in out["message"]["text"]
        if not r.file:  # a blank node has no block of its own to point at
            assert "locations" not in out
            continue
        (location,) = out["locations"]
        physical = location["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert not uri.startswith("/") and "\\" not in uri
        assert (HERE.parent / uri).resolve() == Path(r.file).resolve()
        assert physical["region"]["startLine"] == r.line >= 1


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def test_json_report_has_the_documented_fields(report):
    document = json.loads(reports.report_json(report))
    assert set(document) == {"conforms", "summary", "triples", "results"}
    assert document["conforms"] is False
    assert document["summary"] == {s: report.count(s) for s in SEVERITIES}
    assert document["triples"] == report.triples > 0
    fields = {"file", "line", "focus", "severity", "message", "shape", "constraint", "path", "value", "inferredOnly"}
    for r, out in zip(report.results, document["results"], strict=True):
        assert set(out) == fields
        assert (out["focus"], out["severity"], out["message"], out["shape"]) == (r.focus, r.severity, r.message, r.shape)
        assert out["line"] == (r.line or None) and out["file"] == ((r.file and reports._relative(r.file)) or None)
        assert out["inferredOnly"] is False
    blank = [out for out in document["results"] if out["focus"].startswith("_:")]
    assert blank, "a blank-node focus is written _:label"
    assert any(out["file"] and out["line"] for out in document["results"])


def test_validation_module_still_exports_the_renderers():
    assert REPORT_FORMATS is reports.REPORT_FORMATS
    assert set(reports.REPORT_FORMATS) == {"text", "turtle", "json", "sarif"}
