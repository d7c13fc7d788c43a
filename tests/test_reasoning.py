"""The fast OWL 2 RL closure (``closure.inferred``) equals owlrl's (``reference.reference_inferred``).

Compared, as sets of triples after the same noise filter (owlrl's error messages compared by their text,
since each sits on a fresh blank node):

- the shipped graph, and the shipped graph with each fixture the OWL 2 DL test adds to it;
- every fixture file the suite uses, combined as its tests combine it: ``tests/fixtures/shapes/**`` and
  ``tests/fixtures/reasoner/*`` with the ontology alone (``validate(..., alone=True)``), each
  ``tests/fixtures/queries/*.ttl`` with the ontology and ``world.ttl`` (``test_queries.py``); any new
  fixture is picked up by the glob;
- small ontologies, one per group of rules (chains, inverses, transitivity, ``owl:sameAs``, restrictions,
  class expressions, keys, cardinalities, datatypes, each inconsistency owlrl reports).

owlrl costs about a second per fixture and five on the shipped graph, so every comparison is computed once,
in worker processes (forked, two at a time; ``NATOGRAPH_TEST_JOBS`` sets how many; under pytest-xdist,
by the worker that runs the test), each returning its diff as text: blank nodes of one parse mean
nothing in another process. The comparisons over the shipped graph and over the ontology with a shape
or query fixture are marked ``slow``: they run by default and in CI; ``-m 'not slow'`` leaves them out
locally (the reasoner's fixtures and the rule-by-rule ontologies stay).
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from natograph.graph import loading, resources
from natograph.graph.namespaces import bind_all
from natograph.graph.parsing import parse_file
from natograph.graph.reasoning import closure
from natograph.graph.reasoning.reference import reference_inferred

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ERROR_TEXT = "http://www.daml.org/2002/03/agents/agent-ont#error"
ERROR_NODE = "http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage"

PREFIXES = """\
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# One small ontology per group of rules. Each must make owlrl infer something (checked below), so a rule
# the fast closure lacks shows as missing triples, and one it over-applies as extra triples.
ONTOLOGIES: dict[str, str] = {
    "property-chains": """
        ex:hasParent a owl:ObjectProperty . ex:hasBrother a owl:ObjectProperty .
        ex:hasUncle owl:propertyChainAxiom ( ex:hasParent ex:hasBrother ) ;
            rdfs:subPropertyOf ex:hasRelative .
        ex:greatUncle owl:propertyChainAxiom ( ex:hasParent ex:hasParent ex:hasBrother ) .
        ex:knowsOf owl:propertyChainAxiom ( ex:hasUncle ex:hasRelative ) .
        ex:hasRelative rdfs:domain ex:Person ; rdfs:range ex:Person .
        ex:self owl:propertyChainAxiom ( ex:hasParent ) .
        ex:a ex:hasParent ex:b . ex:b ex:hasBrother ex:c . ex:b ex:hasParent ex:d . ex:d ex:hasBrother ex:e .
        ex:c ex:hasRelative ex:f . ex:e ex:hasParent ex:c .
    """,
    "inverse-symmetric-equivalent-properties": """
        ex:hasPart owl:inverseOf ex:partOf . ex:partOf rdfs:subPropertyOf ex:relatedTo .
        ex:near a owl:SymmetricProperty . ex:close owl:equivalentProperty ex:near .
        ex:relatedTo owl:inverseOf ex:relatedFrom .
        ex:car ex:hasPart ex:wheel . ex:engine ex:partOf ex:car . ex:a ex:close ex:b . ex:c ex:near ex:d .
    """,
    "transitive-chain-of-40": "ex:before a owl:TransitiveProperty ; owl:inverseOf ex:after .\n"
    + "".join(f"ex:n{i} ex:before ex:n{i + 1} .\n" for i in range(40))
    + "ex:n40 ex:before ex:n0 .\n",
    "class-and-property-hierarchy": """
        ex:Dog rdfs:subClassOf ex:Mammal . ex:Mammal rdfs:subClassOf ex:Animal . ex:Animal rdfs:subClassOf ex:Mammal .
        ex:Hound owl:equivalentClass ex:Dog . ex:Pet a owl:Class .
        ex:owns rdfs:domain ex:Person ; rdfs:range ex:Pet . ex:Person rdfs:subClassOf ex:Agent .
        ex:adopted rdfs:subPropertyOf ex:owns . ex:owns rdfs:subPropertyOf ex:caresFor . ex:caresFor rdfs:subPropertyOf ex:owns .
        ex:name a owl:DatatypeProperty . ex:p a rdf:Property .
        ex:rex a ex:Hound . ex:ann ex:adopted ex:rex .
    """,
    "restrictions": """
        ex:Member owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:memberOf ; owl:hasValue ex:NATO ] .
        ex:Partner owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:partnerIn ; owl:someValuesFrom ex:Framework ] .
        ex:Anything owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:partnerIn ; owl:someValuesFrom owl:Thing ] .
        ex:Strict rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:only ; owl:allValuesFrom ex:Approved ] .
        ex:Founder rdfs:subClassOf ex:Member .
        ex:memberOfAlliance rdfs:subPropertyOf ex:memberOf .
        ex:AllianceMember owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:memberOfAlliance ; owl:hasValue ex:NATO ] .
        ex:Narrow owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:partnerIn ; owl:someValuesFrom ex:PfP ] .
        ex:PfP rdfs:subClassOf ex:Framework .
        ex:Broad owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:only ; owl:allValuesFrom ex:Framework ] .
        ex:StrictPfP owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:only ; owl:allValuesFrom ex:PfP ] .
        ex:fr ex:memberOf ex:NATO . ex:be a ex:Founder . ex:de ex:memberOfAlliance ex:NATO .
        ex:dz ex:partnerIn ex:md . ex:md a ex:Framework . ex:se ex:partnerIn ex:pfp . ex:pfp a ex:PfP .
        ex:s a ex:Strict ; ex:only ex:thing1 .
    """,
    "class-expressions": """
        ex:Parent owl:intersectionOf ( ex:Person ex:HasChild ) .
        ex:Pet owl:unionOf ( ex:Dog ex:Cat ) .
        ex:Colour owl:oneOf ( ex:red ex:green ) .
        ex:Empty owl:intersectionOf () .
        ex:a a ex:Person , ex:HasChild . ex:b a ex:Parent . ex:c a ex:Cat . ex:d a ex:Person .
    """,
    "same-as": """
        ex:a owl:sameAs ex:b . ex:b owl:sameAs ex:c . ex:c owl:sameAs ex:d .
        ex:a ex:label "A" ; ex:knows ex:x . ex:y ex:knows ex:d . ex:d a ex:Thing .
        ex:rel owl:sameAs ex:relation . ex:x ex:rel ex:y .
        ex:lit owl:sameAs "a literal" .
    """,
    "same-as-described": """
        owl:sameAs rdfs:domain ex:Individual .
        ex:twin rdfs:subPropertyOf owl:sameAs .
        ex:a ex:twin ex:b . ex:b ex:knows ex:c .
    """,
    "functional-and-keys": """
        ex:hasMother a owl:FunctionalProperty . ex:isbn a owl:InverseFunctionalProperty .
        ex:a ex:hasMother ex:m1 , ex:m2 . ex:book1 ex:isbn "123" . ex:book2 ex:isbn "123" .
        ex:Country owl:hasKey ( ex:code ) .
        ex:fr a ex:Country ; ex:code "FR" . ex:france a ex:Country ; ex:code "FR" .
        ex:Pair owl:hasKey ( ex:left ex:right ) .
        ex:p1 a ex:Pair ; ex:left ex:l ; ex:right ex:r1 . ex:p2 a ex:Pair ; ex:left ex:l ; ex:right ex:r2 .
    """,
    "cardinalities": """
        ex:OneCapital rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:capital ;
            owl:maxCardinality "1"^^xsd:nonNegativeInteger ] .
        ex:OneCity rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:city ; owl:onClass ex:City ;
            owl:maxQualifiedCardinality "1"^^xsd:nonNegativeInteger ] .
        ex:OneAny rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:any ; owl:onClass owl:Thing ;
            owl:maxQualifiedCardinality "1"^^xsd:nonNegativeInteger ] .
        ex:fr a ex:OneCapital , ex:OneCity , ex:OneAny ; ex:capital ex:paris , ex:paname ;
            ex:city ex:lyon , ex:lugdunum , ex:village ; ex:any ex:x1 , ex:x2 .
        ex:lyon a ex:City . ex:lugdunum a ex:City .
    """,
    "inconsistencies": """
        ex:Country owl:disjointWith ex:Organisation . ex:x a ex:Country , ex:Organisation .
        [] a owl:AllDisjointClasses ; owl:members ( ex:A ex:B ex:C ) . ex:y a ex:A , ex:B .
        ex:a owl:sameAs ex:b . ex:a owl:differentFrom ex:b . ex:s owl:differentFrom ex:s .
        [] a owl:AllDifferent ; owl:members ( ex:a ex:b ex:c ) .
        ex:parentOf a owl:IrreflexiveProperty , owl:AsymmetricProperty .
        ex:p ex:parentOf ex:p . ex:q ex:parentOf ex:r . ex:r ex:parentOf ex:q .
        ex:likes owl:propertyDisjointWith ex:hates . ex:u ex:likes ex:v ; ex:hates ex:v .
        [] owl:sourceIndividual ex:u ; owl:assertionProperty ex:likes ; owl:targetIndividual ex:v .
        [] owl:sourceIndividual ex:u ; owl:assertionProperty ex:age ; owl:targetValue "3" . ex:u ex:age "3" .
        ex:Living owl:complementOf ex:Dead . ex:z a ex:Living , ex:Dead .
        ex:n a owl:Nothing .
        ex:NoChild rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:child ;
            owl:maxCardinality "0"^^xsd:nonNegativeInteger ] .
        ex:w a ex:NoChild ; ex:child ex:kid .
        [] a owl:AllDisjointProperties ; owl:members ( ex:likes ex:hates ex:ignores ) .
    """,
    "datatypes": """
        ex:code rdfs:range xsd:string . ex:start rdfs:range xsd:date .
        ex:fr ex:code "FR" ; ex:start "2024-02-30"^^xsd:date ; ex:count "3"^^xsd:integer ; ex:when "1995"^^xsd:gYear .
        ex:n a xsd:integer . ex:m owl:sameAs ex:n .
        ex:bad ex:count "three"^^xsd:integer .
    """,
}


# Links to outside vocabularies (as ontology/alignments.ttl will hold), read with the real ontology and the
# query fixtures' world: subclass, subproperty and equivalence links feeding the ontology's own axioms.
ALIGNMENTS = """
    @prefix ng: <https://w3id.org/natograph/ontology#> .
    @prefix org: <http://www.w3.org/ns/org#> .
    @prefix schema: <https://schema.org/> .
    @prefix prov: <http://www.w3.org/ns/prov#> .
    @prefix time: <http://www.w3.org/2006/time#> .
    ng:Organisation rdfs:subClassOf org:FormalOrganization .
    ng:Country owl:equivalentClass schema:Country .
    ng:Actor rdfs:subClassOf prov:Agent .
    ng:Participation rdfs:subClassOf org:Membership , prov:Activity .
    ng:participant rdfs:subPropertyOf org:member .
    ng:participationIn rdfs:subPropertyOf org:organization .
    ng:memberOf rdfs:subPropertyOf org:memberOf .
    ng:Event rdfs:subClassOf schema:Event , time:TemporalEntity .
    ng:startDate owl:equivalentProperty schema:startDate .
    org:memberOf owl:inverseOf org:hasMember .
"""


def _diff(fast: set, reference: set) -> str:
    """'' when equal; else the triples each side lacks, and the error messages each side lacks."""

    def split(triples: set) -> tuple[set, set]:
        errors = {str(o) for _, p, o in triples if str(p) == ERROR_TEXT}
        plain = {t for t in triples if not (isinstance(t[0], BNode) and ERROR_TEXT in (str(t[1]), str(t[2])))}
        plain = {t for t in plain if not (isinstance(t[0], BNode) and t[1] == RDF.type and str(t[2]) == ERROR_NODE)}
        return plain, errors

    (got, got_errors), (want, want_errors) = split(fast), split(reference)
    lines = [f"  missing (owlrl has it): {' '.join(term.n3() for term in t)}" for t in sorted(want - got)]
    lines += [f"  extra (owlrl lacks it): {' '.join(term.n3() for term in t)}" for t in sorted(got - want)]
    lines += [f"  missing error: {m}" for m in sorted(want_errors - got_errors)]
    lines += [f"  extra error: {m}" for m in sorted(got_errors - want_errors)]
    return "\n".join(lines)


def _compare(job: tuple[str, tuple]) -> tuple[str, int, int, str]:
    """(kind, inferred by owlrl, errors by owlrl, diff text or traceback): run in a worker."""
    kind, payload = job
    try:
        asserted = Graph()
        if kind == "files":
            for path in payload:
                parse_file(Path(path), into=asserted)
        else:
            text, *files = payload
            for path in files:
                parse_file(Path(path), into=asserted)
            asserted.parse(data=PREFIXES + text, format="turtle")
        reference = reference_inferred(asserted)
        fast = closure.inferred(asserted)
        errors = sum(1 for _, p, _ in reference if str(p) == ERROR_TEXT)
        return kind, len(reference), errors, _diff(fast, reference)
    except Exception:
        return "crash", 0, 0, traceback.format_exc()


def _jobs() -> int:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return 1  # a worker runs only some of the tests: the workers are the parallelism
    explicit = os.environ.get("NATOGRAPH_TEST_JOBS", "").strip()
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    return os.cpu_count() or 1


def _combinations() -> list:
    """(id, files, marks) for every graph the suite builds from the fixtures, and the shipped graph.

    owlrl takes about a second over the ontology and a fixture, five and more over the shipped graph:
    all are slow but the reasoner's own fixtures, which stay in the edit loop (-m 'not slow') beside
    the rule-by-rule ontologies.
    """
    ontology = resources.ontology_file()
    shipped = loading.shipped_files()
    slow = pytest.mark.slow
    found = [pytest.param(tuple(shipped), id="shipped", marks=slow)]
    for path in sorted((FIXTURES / "reasoner").glob("*.ttl")):
        found.append(pytest.param((*shipped, path), id=f"shipped+reasoner/{path.name}", marks=slow))
        found.append(pytest.param((ontology, path), id=f"reasoner/{path.name}"))
    for path in sorted((FIXTURES / "shapes").glob("*/*.ttl")):
        found.append(pytest.param((ontology, path), id=f"shapes/{path.parent.name}/{path.name}", marks=slow))
    world = FIXTURES / "queries" / "world.ttl"
    for path in sorted((FIXTURES / "queries").glob("*.ttl")):
        if path != world:
            found.append(pytest.param((ontology, world, path), id=f"queries/{path.name}", marks=slow))
    known = {p for param in found for p in param.values[0]}
    for path in sorted(FIXTURES.rglob("*.ttl")):  # a fixture folder added later is not forgotten
        if path not in known:
            found.append(pytest.param((ontology, path), id=f"{path.relative_to(FIXTURES)}", marks=slow))
    return found


COMBINATIONS = _combinations()
_DONE: dict[tuple, tuple] = {}


@pytest.fixture(scope="module")
def comparison(request, computed_once):
    """``comparison(job)``: (kind, owlrl's count, owlrl's errors, diff), each computed once, in parallel."""
    wanted = []
    for item in request.session.items:
        if getattr(item, "module", None) is not request.module:
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        jobs = []
        if "files" in params:
            jobs.append(("files", tuple(str(p) for p in params["files"])))
        if "name" in params:
            jobs.append(("turtle", (ONTOLOGIES[params["name"]],)))
        if item.name.startswith("test_fast_closure_equals_owlrl_with_alignments"):
            jobs.append(_ALIGNED)
        wanted += [job for job in jobs if job not in _DONE and job not in wanted]
    jobs = min(_jobs(), len(wanted))
    if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
        with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            for job, outcome in zip(wanted, pool.map(_compare, wanted), strict=True):
                _DONE[job] = outcome

    def get(job: tuple) -> tuple:
        if job not in _DONE:
            _DONE[job] = computed_once(("owlrl comparison", job), lambda: _compare(job))
        outcome = _DONE[job]
        if outcome[0] == "crash":
            pytest.fail(f"the comparison raised:\n{outcome[3]}")
        return outcome

    return get


def _parses(files: tuple[Path, ...]) -> bool:
    try:
        for path in files:
            parse_file(path)
    except Exception:
        return False
    return True


@pytest.mark.parametrize("files", COMBINATIONS)
def test_fast_closure_equals_owlrl_on_every_fixture(files, comparison):
    if not _parses(files):
        pytest.skip("the fixture does not parse (an input-error fixture): there is no graph to reason over")
    _, count, _, diff = comparison(("files", tuple(str(p) for p in files)))
    assert not diff, f"the fast closure differs from owlrl's ({count} triples):\n{diff}"


@pytest.mark.parametrize("name", sorted(ONTOLOGIES))
def test_fast_closure_equals_owlrl_rule_by_rule(name, comparison):
    _, count, errors, diff = comparison(("turtle", (ONTOLOGIES[name],)))
    assert count > 0, f"owlrl infers nothing from {name!r}: the case tests nothing"
    if name == "inconsistencies":
        assert errors >= 10, f"owlrl reports only {errors} inconsistencies: the case lost its teeth"
    assert not diff, f"the fast closure differs from owlrl's on {name!r} ({count} triples):\n{diff}"


_ALIGNED = ("turtle", (ALIGNMENTS, str(resources.ontology_file()), str(FIXTURES / "queries" / "world.ttl")))


def test_fast_closure_equals_owlrl_with_alignments(comparison):
    """Outside vocabularies linked to the ontology (ORG, schema.org, PROV-O, OWL-Time) over the query world."""
    _, count, _, diff = comparison(_ALIGNED)
    assert count > 0
    assert not diff, f"the fast closure differs from owlrl's with alignments ({count} triples):\n{diff}"


def test_comparison_sees_a_missing_and_an_extra_triple():
    """The diff the tests rely on reports a dropped triple, an added one and a changed error message."""
    asserted = Graph()
    asserted.parse(data=PREFIXES + ONTOLOGIES["property-chains"] + "ex:X owl:disjointWith ex:Y . ex:i a ex:X , ex:Y .",
                   format="turtle")
    fast = closure.inferred(asserted)
    dropped = sorted(t for t in fast if not isinstance(t[0], BNode))[0]
    node, error, message = next(t for t in fast if str(t[1]) == ERROR_TEXT)
    added = (URIRef("http://example.org/i"), RDF.type, URIRef("http://example.org/Z"))
    broken = (fast - {dropped, (node, error, message)}) | {added, (node, error, Literal("another message"))}
    diff = _diff(broken, fast)
    assert f"missing (owlrl has it): {' '.join(term.n3() for term in dropped)}" in diff
    assert f"extra (owlrl lacks it): {' '.join(term.n3() for term in added)}" in diff
    assert f"missing error: {message}" in diff and "extra error: another message" in diff
    assert _diff(set(fast), fast) == ""


def test_fast_closure_does_not_change_its_input_and_accepts_any_iterable():
    asserted = Graph()
    asserted.parse(data=PREFIXES + ONTOLOGIES["restrictions"], format="turtle")
    before = set(asserted)
    from_graph = closure.inferred(asserted)
    assert set(asserted) == before
    assert closure.inferred(list(asserted)) == from_graph
    assert not any(t in before for t in from_graph), "asserted triples are not inferred triples"


def test_graph_inferred_triples_uses_the_fast_closure(monkeypatch):
    """The one function everything calls goes through closure.inferred, never through owlrl."""
    calls = []
    real = closure.inferred

    def spy(asserted):
        calls.append(True)
        return real(asserted)

    monkeypatch.setattr(closure, "inferred", spy)
    monkeypatch.setattr(closure, "reference_inferred", lambda asserted: pytest.fail("owlrl was called"))
    asserted = Graph()
    asserted.parse(data=PREFIXES + ONTOLOGIES["inverse-symmetric-equivalent-properties"], format="turtle")
    added = loading.inferred_triples(asserted)
    bind_all(added)
    assert calls and len(added) > 0
