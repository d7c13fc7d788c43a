"""Property-based fuzzing (issue 13): generated SPARQL queries, parameter values and RDF documents
(Turtle, JSON-LD, RDF/XML: random, truncated, deeply nested, mis-encoded) never give a traceback.
Every run ends with exit code 0, 1 or 2, a single error line, within its timeout.

The budget is fixed (max_examples per test, about two minutes in all on the project's machine) and
the examples are derandomized: a failure reproduces on every run, and Hypothesis prints the failing
example and a @reproduce_failure blob.
"""

from __future__ import annotations

import io
import time
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from natograph.cli import main
from natograph.errors import InputError
from natograph.graph.parsing import parse_file

BUDGET = settings(derandomize=True, deadline=None, print_blob=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

TIMEOUT = 5  # seconds given to each generated command (--timeout)


@pytest.fixture(scope="module", autouse=True)
def _warm_store():
    """Build the shipped store once, so that each example's time is its own."""
    from natograph.graph.store.opening import open_engine

    open_engine()


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    started = time.monotonic()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    elapsed = time.monotonic() - started
    out.flush()
    text = err.getvalue()
    assert code in (0, 1, 2), (code, text)
    assert "Traceback" not in text, text
    if code == 2:
        assert text.count("\n") == 1 and text.startswith("natograph: error: "), text
    assert elapsed < TIMEOUT + 20, f"{elapsed:.1f} s for {argv!r}"
    return code, out.buffer.getvalue().decode("utf-8"), text


# ---------------------------------------------------------------------------
# SPARQL
# ---------------------------------------------------------------------------

VARIABLES = st.sampled_from(["?s", "?p", "?o", "?x", "$y"])
IRIS = st.sampled_from(["<urn:a>", "ng:Country", "rdfs:label", "a", "<https://w3id.org/natograph/ontology#memberOf>",
                        "<>", "<urn:with space>", "ex:undeclared"])
LITERALS = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.text(max_size=12).map(lambda t: '"' + t.replace("\\", "\\\\").replace('"', '\\"') + '"'),
    st.sampled_from(['"2000-02-30"^^xsd:date', '"x"@fr', '"1e999"^^xsd:double', "true", '"("', '"^(a+)+$"', "1.5e-400"]),
)
TERMS = st.one_of(VARIABLES, IRIS, LITERALS)
FUNCTIONS = st.sampled_from(["regex", "REPLACE", "SUM", "STRLEN", "xsd:integer", "STRDT", "LANGMATCHES", "IRI",
                             "CONCAT", "SUBSTR", "ABS", "YEAR", "COALESCE", "IF", "BNODE", "ENCODE_FOR_URI", "SHA512"])


@st.composite
def expressions(draw, depth=0):
    if depth > 3 or draw(st.booleans()):
        return draw(TERMS)
    kind = draw(st.sampled_from(["call", "binary", "not", "paren"]))
    if kind == "call":
        arguments = draw(st.lists(expressions(depth + 1), min_size=0, max_size=3))
        return f"{draw(FUNCTIONS)}({', '.join(arguments)})"
    if kind == "binary":
        op = draw(st.sampled_from(["+", "-", "*", "/", "=", "<", "&&", "||", "!="]))
        return f"{draw(expressions(depth + 1))} {op} {draw(expressions(depth + 1))}"
    if kind == "not":
        return f"!{draw(expressions(depth + 1))}"
    return f"({draw(expressions(depth + 1))})"


@st.composite
def patterns(draw, depth=0):
    predicate = draw(st.one_of(VARIABLES, IRIS, st.sampled_from(["<urn:p>*", "(<urn:p>|^a)+", "!a"])))
    triple = f"{draw(st.one_of(VARIABLES, IRIS))} {predicate} {draw(TERMS)} ."
    if depth > 2 or draw(st.booleans()):
        return triple
    kind = draw(st.sampled_from(["group", "optional", "union", "filter", "bind", "graph", "minus", "values", "sub"]))
    inner = draw(patterns(depth + 1))
    if kind == "group":
        return "{ " + inner + " } " + triple
    if kind == "optional":
        return triple + " OPTIONAL { " + inner + " }"
    if kind == "union":
        return "{ " + inner + " } UNION { " + triple + " }"
    if kind == "filter":
        return triple + f" FILTER({draw(expressions())})"
    if kind == "bind":
        return triple + f" BIND({draw(expressions())} AS ?b{depth})"
    if kind == "graph":
        return f"GRAPH {draw(st.one_of(VARIABLES, IRIS))} {{ {inner} }}"
    if kind == "minus":
        return triple + " MINUS { " + inner + " }"
    if kind == "values":
        return f"VALUES ?x {{ {draw(TERMS)} UNDEF }} " + inner
    return "{ SELECT * WHERE { " + inner + " } LIMIT 3 }"


@st.composite
def queries(draw):
    where = draw(patterns())
    form = draw(st.sampled_from(["select", "aggregate", "ask", "construct", "describe", "garbage"]))
    prefix = "PREFIX ng: <https://w3id.org/natograph/ontology#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> " \
             "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    if form == "select":
        text = f"SELECT * WHERE {{ {where} }} LIMIT {draw(st.integers(0, 50))}"
    elif form == "aggregate":
        text = (f"SELECT ?s (SUM(?o) AS ?n) (GROUP_CONCAT(?p) AS ?g) WHERE {{ {where} }} GROUP BY ?s "
                f"HAVING ({draw(expressions())}) LIMIT 20")
    elif form == "ask":
        text = f"ASK {{ {where} }}"
    elif form == "construct":
        text = f"CONSTRUCT {{ {draw(TERMS)} <urn:p> {draw(TERMS)} }} WHERE {{ {where} }} LIMIT 20"
    elif form == "describe":
        text = f"DESCRIBE {draw(st.one_of(VARIABLES, IRIS))} WHERE {{ {where} }} LIMIT 2"
    else:
        text = draw(st.text(max_size=80))
    if draw(st.integers(0, 9)) == 0:  # truncated
        text = text[: draw(st.integers(0, len(text)))]
    return prefix + text


@settings(BUDGET, max_examples=300)
@given(query=queries(), fmt=st.sampled_from(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
       asserted=st.booleans())
def test_generated_sparql_never_gives_a_traceback(query, fmt, asserted):
    if not query.strip():
        return
    argv = ["sparql", "--timeout", str(TIMEOUT), "--max-rows", "2000", "--format", fmt, query]
    run_cli(*argv, *(["--asserted"] if asserted else []))


# ---------------------------------------------------------------------------
# Parameters of stored queries
# ---------------------------------------------------------------------------

PARAMETERS = {
    "partners": ["framework", "as_of"], "members": ["as_of"], "timeline": ["from", "to"],
    "country": ["code"], "initiative-participants": ["initiative", "as_of"], "frameworks": ["as_of"],
}
VALUES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["２０００", "٢٠٠٠-٠١", "2000-02-30", "2000-13", "0000", "9999-12-31", "-1", "PfP", "pfp", "FR",
                     "fr", "<urn:x>", '"x"', "' } ; DROP", "?param_x", "\x00", "2000\n", "AFRU", "e" * 300]),
)


@settings(BUDGET, max_examples=200)
@given(name=st.sampled_from(sorted(PARAMETERS)), data=st.data(), value=VALUES,
       lang=st.sampled_from(["en", "fr", "de", ""]))
def test_generated_parameters_never_give_a_traceback(name, data, value, lang):
    key = data.draw(st.sampled_from([*PARAMETERS[name], "unknown"]))
    run_cli("query", name, "-p", f"{key}={value}", "--lang", lang, "--timeout", str(TIMEOUT))


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------

TURTLE = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a a ex:Thing ; rdfs:label "A"@en, "Ä"@fr ; ex:n 1, 2.5, "x"^^ex:t ; ex:b [ ex:c ( 1 2 ) ] .
"""
JSONLD = """{"@context": {"ex": "http://example.org/"}, "@graph": [
 {"@id": "ex:a", "@type": "ex:Thing", "ex:label": {"@value": "Ä", "@language": "fr"}, "ex:b": {"ex:c": [1, 2]}}]}
"""
RDFXML = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:b xml:lang="fr">Ä</ex:b>
    <ex:c><rdf:Description rdf:about="http://example.org/c"/></ex:c></rdf:Description>
</rdf:RDF>
"""
SEEDS = {".ttl": TURTLE, ".jsonld": JSONLD, ".rdf": RDFXML, ".nt": '<urn:a> <urn:b> "c" .\n'}
NESTING = {".ttl": ("ex:a ex:p " + "[ ex:p " * 3000 + "1" + " ]" * 3000 + " .\n"),
           ".jsonld": '{"@id": "urn:a", "urn:p": ' * 3000 + "1" + "}" * 3000,
           ".rdf": "<x>" * 3000 + "</x>" * 3000, ".nt": "<urn:a> " * 3000}


@st.composite
def documents(draw):
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    text = SEEDS[suffix]
    how = draw(st.sampled_from(["seed", "truncate", "insert", "nest", "latin-1", "utf-16", "bytes", "bom"]))
    if how == "nest":
        text = (TURTLE.split("ex:a a")[0] if suffix == ".ttl" else "") + NESTING[suffix]
    data = text.encode("utf-8")
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif how == "latin-1":
        data = text.encode("latin-1")
    elif how == "utf-16":
        data = text.encode("utf-16")
    elif how == "bytes":
        data = draw(st.binary(max_size=200))
    elif how == "bom":
        data = b"\xef\xbb\xbf" + data
    return suffix, data


@settings(BUDGET, max_examples=1000)
@given(document=documents())
def test_generated_documents_parse_or_give_an_input_error(tmp_path_factory, document):
    suffix, data = document
    path = tmp_path_factory.mktemp("fuzz") / f"doc{suffix}"
    path.write_bytes(data)
    started = time.monotonic()
    try:
        parse_file(path)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path)), str(exc)
    assert time.monotonic() - started < TIMEOUT


@settings(BUDGET, max_examples=20)
@given(document=documents())
def test_generated_documents_through_validate(tmp_path_factory, document):
    suffix, data = document
    path = tmp_path_factory.mktemp("fuzz") / f"doc{suffix}"
    path.write_bytes(data)
    run_cli("validate", "--alone", "--timeout", str(TIMEOUT * 3), str(path))
