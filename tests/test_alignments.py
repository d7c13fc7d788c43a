"""Alignments to ORG, OWL-Time, PROV-O, schema.org and Wikidata; the inferred export; the Wikidata profile;
the example queries in those vocabularies, on rdflib and on Oxigraph, against natograph's own `members`."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD
from rdflib.plugins.sparql import prepareQuery

import natograph
from natograph.cli import main
from natograph.graph import loading, resources
from natograph.graph.namespaces import (
    ALIGNMENTS_IRI,
    CTY,
    IORG,
    NG,
    ORG,
    PQ,
    PQV,
    PR,
    PROV,
    PS,
    PTN,
    SCHEMA,
    TIME,
    WD,
    WDT,
    WIKIBASE,
    P,
)
from natograph.graph.serializing import serialize
from natograph.publish import alignments, wikidata
from natograph.queries.catalogue import catalogue, run_stored

FIXTURES = Path(__file__).parent / "fixtures" / "alignments"
FORMER_MEMBER = FIXTURES / "former-member.ttl"
NATO = IORG.NATO

# The terms of each vocabulary the alignments may name, as the specifications spell them: a typo
# (org:Organisation, schema:startdate, https://schema.org/) is a term no tool knows.
KNOWN_TERMS = {
    str(ORG): {"Organization", "FormalOrganization", "Membership", "memberOf", "member", "organization", "memberDuring"},
    str(TIME): {"Interval", "Instant", "hasTime", "hasBeginning", "hasEnd", "inXSDDate", "inXSDgYearMonth", "inXSDgYear"},
    str(PROV): {"Entity", "wasDerivedFrom", "wasQuotedFrom", "value"},
    str(SCHEMA): {"Country", "Organization", "Event", "startDate", "endDate", "location"},
    str(WD): {"P31", "P297", "P298", "P463", "P580", "P582", "P813", "Q3624078", "Q484652"},
}
ALIGNMENT_PREDICATES = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty,
                        SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, RDFS.seeAlso)


def wd_time(text: str) -> dt.datetime:
    return Literal(text, datatype=XSD.dateTime).toPython()


@cache
def alignment_graph() -> Graph:
    return Graph().parse(resources.alignments_file(), format="turtle")


def alignment_axioms() -> list[tuple]:
    g = alignment_graph()
    return sorted(
        (s, p, o) for p in ALIGNMENT_PREDICATES for s, o in g.subject_objects(p)
        if isinstance(s, URIRef) and isinstance(o, URIRef) and not str(o).startswith(str(NG))
        and s != URIRef(ALIGNMENTS_IRI)  # the header's rdfs:seeAlso to the ontology is no alignment
    )


# ---------------------------------------------------------------------------
# The alignment file
# ---------------------------------------------------------------------------


def test_alignments_are_loaded_with_the_ontology():
    assert resources.ontology_files() == [resources.ontology_file(), resources.alignments_file()]
    assert resources.alignments_file() in loading.shipped_files()
    assert (NG.memberOf, RDFS.subPropertyOf, ORG.memberOf) in loading.load(inferred=False)


def test_alignment_file_is_its_own_documented_ontology():
    g = alignment_graph()
    header = URIRef(ALIGNMENTS_IRI)
    assert (header, RDF.type, OWL.Ontology) in g
    assert sorted(t.language for t in g.objects(header, DCTERMS.title)) == ["en", "fr"]
    policy = str(g.value(header, RDFS.comment))
    assert "skos:exactMatch" in policy and "owl:sameAs" in policy


@pytest.mark.parametrize("axiom", alignment_axioms(), ids=lambda t: " ".join(str(x).rsplit("/", 1)[-1] for x in t))
def test_every_alignment_carries_an_english_comment(axiom):
    g = alignment_graph()
    s, p, o = axiom
    notes = [
        comment
        for annotation in g.subjects(OWL.annotatedSource, s)
        if (annotation, RDF.type, OWL.Axiom) in g
        and (annotation, OWL.annotatedProperty, p) in g
        and (annotation, OWL.annotatedTarget, o) in g
        for comment in g.objects(annotation, RDFS.comment)
    ]
    assert [c.language for c in notes] == ["en"], f"{axiom}: one rdfs:comment@en on its owl:Axiom"
    assert len(str(notes[0])) > 80, "the comment says why it holds and where it does not"


def test_alignments_name_only_real_terms_and_claim_no_identity():
    g = alignment_graph()
    assert len(alignment_axioms()) >= 20
    for s, p, o in g:
        assert p not in (OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty), (s, p, o)
        for term in (s, p, o):
            if not isinstance(term, URIRef):
                continue
            assert not str(term).startswith("https://schema.org/"), "schema.org is written http://schema.org/"
            for namespace, known in KNOWN_TERMS.items():
                if str(term).startswith(namespace):
                    assert str(term)[len(namespace):] in known | {""}, f"unknown term {term}"  # "": the namespace itself
    # Each vocabulary the issue names is aligned with the relation the file documents.
    expected = {
        (NG.Organisation, RDFS.subClassOf, ORG.FormalOrganization), (NG.Organisation, RDFS.subClassOf, ORG.Organization),
        (NG.Membership, RDFS.subClassOf, ORG.Membership), (NG.memberOf, RDFS.subPropertyOf, ORG.memberOf),
        (NG.membershipIn, RDFS.subPropertyOf, ORG.organization), (DCTERMS.source, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (NG.Country, RDFS.subClassOf, SCHEMA.Country), (NG.Organisation, RDFS.subClassOf, SCHEMA.Organization),
        (NG.Event, RDFS.subClassOf, SCHEMA.Event), (NG.startDate, RDFS.subPropertyOf, SCHEMA.startDate),
        (NG.endDate, RDFS.subPropertyOf, SCHEMA.endDate), (NG.place, RDFS.subPropertyOf, SCHEMA.location),
        (NG.memberOf, SKOS.broadMatch, WD.P463), (NG.startDate, SKOS.closeMatch, WD.P580),
        (NG.endDate, SKOS.closeMatch, WD.P582), (NG.iso3166Alpha2, SKOS.exactMatch, WD.P297),
        (NG.iso3166Alpha3, SKOS.exactMatch, WD.P298), (RDF.type, SKOS.closeMatch, WD.P31),
    }
    assert expected <= set(g)
    # Not aligned, on purpose: a partner is not a member, a participation in general is not a membership.
    for wrong in ((NG.Participation, RDFS.subClassOf, ORG.Membership), (NG.participant, RDFS.subPropertyOf, ORG.member),
                  (NG.partnerIn, RDFS.subPropertyOf, ORG.memberOf), (NG.participationIn, RDFS.subPropertyOf, ORG.organization)):
        assert wrong not in g


# ---------------------------------------------------------------------------
# What the closure entails from the alignments: exactly the sub-class and sub-property consequences
# ---------------------------------------------------------------------------


@cache
def closures() -> tuple[Graph, Graph]:
    """(closure without the alignments, closure with them), computed by the reasoner natograph uses."""
    def closure(paths):
        asserted = loading.parse_files(paths)
        return loading.graph_of(asserted, loading.inferred_triples(asserted))

    return closure([resources.ontology_file(), *resources.data_files()]), closure(loading.shipped_files())


def test_closure_adds_exactly_the_sub_class_and_sub_property_consequences(shipped_graph):
    """The data triples the alignments add are the RDFS consequences of their axioms, nothing missing,
    nothing else (a faster reasoner must give the same; a noisy one fails)."""
    without, with_alignments = closures()
    axioms = alignment_graph()
    expected = set()
    for sub, sup in axioms.subject_objects(RDFS.subPropertyOf):
        expected |= {(s, sup, o) for s, o in without.subject_objects(sub)}
    for sub, sup in axioms.subject_objects(RDFS.subClassOf):
        expected |= {(s, RDF.type, sup) for s in without.subjects(RDF.type, sub)}

    def data(triples):
        """Triples about the graph's resources and sources, not about vocabulary terms."""
        return {t for t in triples if isinstance(t[0], URIRef) and "#" not in str(t[0])
                and not str(t[0]).startswith(("http://www.w3.org/", "http://schema.org/", "http://purl.org/dc/",
                                              "https://w3id.org/natograph/ontology", "https://w3id.org/natograph/alignments"))}

    added = data(with_alignments) - data(without)
    assert data(expected) - data(without) == added
    assert not data(expected) - set(shipped_graph), "the closure natograph serves lacks alignment entailments"
    assert 500 < len(added) < 3000, f"{len(added)} triples: the closure must carry the alignments and not become noisy"


def test_inferred_closure_has_org_member_of_for_the_32_members(shipped_graph):
    members = set(shipped_graph.subjects(ORG.memberOf, NATO))
    assert len(members) == 32
    assert members == set(shipped_graph.subjects(NG.memberOf, NATO))
    assert (CTY.DZ, ORG.memberOf, NATO) not in shipped_graph  # a partner is not a member
    assert len(set(shipped_graph.subjects(RDF.type, ORG.Membership))) == 32
    assert (PTN["DZ-MD"], RDF.type, ORG.Membership) not in shipped_graph
    for organisation in shipped_graph.subjects(RDF.type, NG.Organisation):
        for cls in (ORG.FormalOrganization, ORG.Organization, SCHEMA.Organization):
            assert (organisation, RDF.type, cls) in shipped_graph


# ---------------------------------------------------------------------------
# The inferred export
# ---------------------------------------------------------------------------


@cache
def export_file(*args: str) -> Path:
    """An export written by the command line, once per process (the same bytes in each xdist worker:
    the export replaces the file atomically)."""
    folder = Path(os.environ["NATOGRAPH_CACHE_DIR"])
    target = folder / ("export" + "".join(a.replace("-", "_") for a in args) + ".nt")
    assert main(["export", *args, "--format", "ntriples", "-o", str(target)]) == 0
    return target


@cache
def exported(*args: str) -> Graph:
    return Graph().parse(export_file(*args), format="nt")


def test_inferred_export_answers_the_org_question_with_32():
    text = f"PREFIX org: <http://www.w3.org/ns/org#> SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c org:memberOf <{NATO}> }}"
    assert int(next(iter(exported("--inferred").query(text)))[0]) == 32
    store = pyoxigraph.Store()
    store.bulk_load(path=str(export_file("--inferred")), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert next(iter(store.query(text)))[0].value == "32"
    plain = "PREFIX org: <http://www.w3.org/ns/org#> ASK { ?c org:memberOf ?o }"
    assert exported().query(plain).askAnswer is False  # the asserted export does not carry entailments
    generated = "PREFIX time: <http://www.w3.org/2006/time#> ASK { ?r time:hasTime ?i }"
    assert exported("--inferred").query(generated).askAnswer is False  # inferred: the closure, nothing else
    assert exported("--inferred", "--alignments").query(generated).askAnswer is True


def test_every_dated_resource_has_schema_dates_and_an_owl_time_interval():
    g = exported("--inferred", "--alignments")
    position = {XSD.date: TIME.inXSDDate, XSD.gYearMonth: TIME.inXSDgYearMonth, XSD.gYear: TIME.inXSDgYear}
    starts = list(g.subject_objects(NG.startDate))
    assert len(starts) > 100 and {d.datatype for _, d in starts} == set(position)  # the three precisions occur
    for ng_property, schema_property, time_property in ((NG.startDate, SCHEMA.startDate, TIME.hasBeginning),
                                                         (NG.endDate, SCHEMA.endDate, TIME.hasEnd)):
        for resource, date in g.subject_objects(ng_property):
            assert (resource, schema_property, date) in g, (resource, schema_property)
            intervals = list(g.objects(resource, TIME.hasTime))
            assert len(intervals) == 1 and (intervals[0], RDF.type, TIME.Interval) in g
            instant = g.value(intervals[0], time_property)
            assert (instant, RDF.type, TIME.Instant) in g
            assert list(g.predicate_objects(instant)) and (instant, position[date.datatype], date) in g
            assert g.value(instant, position[date.datatype]) == date  # the precision the source gives
    for participation in g.subjects(RDF.type, NG.Participation):
        if g.value(participation, NG.startDate) is None and g.value(participation, NG.endDate) is None:
            assert g.value(participation, TIME.hasTime) is None


def test_memberships_are_org_memberships_with_member_organisation_and_period():
    g = exported("--inferred", "--alignments")
    memberships = set(g.subjects(RDF.type, ORG.Membership))
    assert memberships == set(g.subjects(NG.membershipIn, NATO))
    for membership in memberships:
        assert g.value(membership, ORG.member) == g.value(membership, NG.participant)
        assert g.value(membership, ORG.organization) == NATO
        period = g.value(membership, ORG.memberDuring)
        assert period == g.value(membership, TIME.hasTime)
        beginning = g.value(period, TIME.hasBeginning)
        positions = {g.value(beginning, p) for p in (TIME.inXSDDate, TIME.inXSDgYearMonth, TIME.inXSDgYear)} - {None}
        assert positions == {g.value(membership, NG.startDate)}
    assert not set(g.subjects(ORG.member, None)) - memberships  # never on a partnership


def test_sources_and_sentences_are_provenance():
    g = exported("--inferred", "--alignments")
    for resource, source in g.subject_objects(DCTERMS.source):
        assert (resource, PROV.wasDerivedFrom, source) in g
    sentences = list(g.subject_objects(NG.sourceSentence))
    assert len(sentences) > 50
    quoted = 0
    for resource, sentence in sentences:
        quotations = [q for q in g.objects(resource, PROV.wasDerivedFrom) if (q, PROV.value, sentence) in g]
        assert len(quotations) == 1, (resource, sentence)
        assert (quotations[0], RDF.type, PROV.Entity) in g
        pages = {page for page in g.objects(resource, DCTERMS.source)
                 if str(page).endswith(f"/cps/{sentence.language}/natohq/topics_84336.htm")}
        assert set(g.objects(quotations[0], PROV.wasQuotedFrom)) == pages, (resource, sentence)
        assert all((quotations[0], PROV.wasDerivedFrom, page) in g for page in pages)
        quoted += bool(pages)
    assert quoted > 100  # nearly every sentence cites the page it quotes


@pytest.mark.slow  # two exports, each in a new process
@pytest.mark.parametrize("args", [("--inferred", "--alignments"), ("--profile", "wikidata")],
                         ids=["inferred-alignments", "wikidata"])
def test_exports_are_byte_stable_across_processes(args, tmp_path):
    digests = set()
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}.ttl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "natograph", "export", *args, "-o", str(out)], check=True, env=env, timeout=300)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


@pytest.mark.slow  # every format written
def test_inferred_export_writes_every_format():
    data = natograph.export("xml", inferred=True)
    assert b"org:memberOf" in data
    assert not list(Graph().parse(data=data, format="xml").triples((None, TIME.hasTime, None)))  # no generated node
    data = natograph.export("xml", inferred=True, alignments=True)
    assert b"org:memberOf" in data and b"time:inXSDDate" in data
    assert natograph.export("xml", profile="wikidata").count(b"<pq:P580") == 32


# ---------------------------------------------------------------------------
# The Wikidata profile
# ---------------------------------------------------------------------------


def test_wikidata_profile_shapes_each_membership_as_a_qualified_statement(shipped_graph):
    g = exported("--profile", "wikidata")
    items = {resource: WD[str(qid)] for resource, qid in shipped_graph.subject_objects(NG.wikidataId)}
    assert items[NATO] == WD.Q7184
    memberships = set(shipped_graph.subjects(NG.membershipIn, NATO))
    statements = set(g.subjects(PS.P463, WD.Q7184))
    assert len(statements) == len(memberships) == 32
    for membership in memberships:
        item = items[shipped_graph.value(membership, NG.participant)]
        [statement] = [s for s in g.objects(item, P.P463) if s in statements]
        assert (item, WDT.P463, WD.Q7184) in g
        assert g.value(statement, WIKIBASE.rank) == WIKIBASE.NormalRank
        start = shipped_graph.value(membership, NG.startDate)
        assert g.value(statement, PQ.P580).toPython() == wd_time(f"{start}T00:00:00Z")
        assert g.value(g.value(statement, PQV.P580), WIKIBASE.timePrecision) == Literal(11)
        assert g.value(statement, PQ.P582) is None  # no member has left
        references = {g.value(r, PR.P854) for r in g.objects(statement, PROV.wasDerivedFrom)}
        assert references == set(shipped_graph.objects(membership, DCTERMS.source))
    for country in shipped_graph.subjects(RDF.type, NG.Country):
        item = items[country]
        assert g.value(item, WDT.P297) == Literal(str(shipped_graph.value(country, NG.iso3166Alpha2)))
        assert g.value(item, WDT.P298) == Literal(str(shipped_graph.value(country, NG.iso3166Alpha3)))
        assert (item, WDT.P31, WD.Q3624078) in g
    assert (WD.Q7184, WDT.P31, WD.Q484652) in g
    assert not [s for s in g.subjects() if str(s).startswith(("https://w3id.org/natograph/id/country/",
                                                               "https://w3id.org/natograph/id/participation/"))]


@pytest.mark.parametrize(("value", "expected", "precision"), [
    (Literal("1949-04-04", datatype=XSD.date), "1949-04-04T00:00:00Z", 11),
    (Literal("1995-02", datatype=XSD.gYearMonth), "1995-02-01T00:00:00Z", 10),
    (Literal("2017", datatype=XSD.gYear), "2017-01-01T00:00:00Z", 9),
])
def test_wikidata_times_keep_the_precision(value, expected, precision):
    time, got = wikidata.wikidata_time(value)
    assert (str(time), time.datatype, got) == (expected, XSD.dateTime, precision)
    assert wikidata.wikidata_time(Literal("1995")) is None  # an untyped string is no date


def test_profile_follows_the_alignment_file(shipped_graph):
    without = loading.graph_of(t for t in shipped_graph if t != (NG.memberOf, SKOS.broadMatch, WD.P463))
    assert not list(wikidata.build("wikidata", without).subjects(PS.P463, None))


def test_profile_usage_errors(capsys):
    assert main(["export", "--profile", "dbpedia"]) == 2
    assert "unknown profile 'dbpedia'" in capsys.readouterr().err
    assert main(["export", "--profile", "wikidata", "--inferred"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


# ---------------------------------------------------------------------------
# Example queries: the same answer as natograph's own `members`, on rdflib and on Oxigraph
# ---------------------------------------------------------------------------

EXAMPLES = {path.stem: path for path in resources.example_query_files()}


def header(path: Path) -> dict[str, str]:
    return {k.strip(): v.strip() for k, _, v in (line[2:].partition(":") for line in
                                                 path.read_text(encoding="utf-8").splitlines() if line.startswith("#+"))}


def test_examples_are_documented():
    assert {"org-members", "schema-members", "wikidata-members", "org-member-count"} <= set(EXAMPLES)
    for name, path in EXAMPLES.items():
        meta = header(path)
        assert {"summary", "runs on", "same as", "columns"} <= set(meta), name
        assert meta["runs on"] in ("natograph export --inferred", "natograph export --inferred --alignments",
                                   "natograph export --profile wikidata"), name
        text = path.read_text(encoding="utf-8")
        assert "ORDER BY" in text, name
        variables = [str(v) for v in prepareQuery(text).algebra["PV"]]
        assert variables == [c.strip() for c in meta["columns"].split(",")], name
        assert meta["same as"].split()[0] in catalogue(), name


def rows_of(graph_file: Path, query_text: str, engine: str) -> list[tuple[str, ...]]:
    if engine == "rdflib":
        result = Graph().parse(graph_file, format="nt").query(query_text)
        return [tuple("" if v is None else str(v) for v in row) for row in result]
    store = pyoxigraph.Store()
    store.bulk_load(path=str(graph_file), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return [tuple("" if v is None else v.value for v in row) for row in store.query(query_text)]


@cache  # the rdflib and the Oxigraph case of one example read the same file
def graph_file_for(path: Path, extra: tuple[Path, ...] = ()) -> Path:
    args = tuple(header(path)["runs on"].split()[2:])  # after "natograph export"
    if not extra:
        return export_file(*args)
    closure = loading.load(extra=list(extra))
    if "wikidata" in args:
        built = wikidata.build("wikidata", closure)
    else:
        built = alignments.with_generated(closure) if "--alignments" in args else closure
    # The session's cache folder is shared by the xdist workers: a file of this process's own.
    target = Path(os.environ["NATOGRAPH_CACHE_DIR"]) / f"{path.stem}-extra-{os.getpid()}.nt"
    target.write_bytes(serialize(built, "ntriples"))
    return target


def same_rows(theirs: list[tuple[str, ...]], ours: list[tuple[str, ...]]) -> None:
    """Wikidata writes 1949-04-04 as 1949-04-04T00:00:00Z: a date matches the time it begins."""
    assert len(theirs) == len(ours)
    for their, our in zip(theirs, ours, strict=True):
        assert their[:-1] == our[:-1]
        assert their[-1] == our[-1] or their[-1].startswith(our[-1] + ("T" if len(our[-1]) == 10 else "-")), (their, our)


@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("name", ["org-members", "schema-members", "wikidata-members"])
def test_example_gives_the_members_of_natograph_s_own_query(name, engine):
    ours = [tuple(str(v) for v in row) for row in natograph.query("members").rows]
    assert len(ours) == 32
    theirs = rows_of(graph_file_for(EXAMPLES[name]), EXAMPLES[name].read_text(encoding="utf-8"), engine)
    same_rows(theirs, ours)


@pytest.mark.slow  # a closure with one more file, and its aligned graph written out
@pytest.mark.parametrize("engine", ["rdflib", "oxigraph"])
@pytest.mark.parametrize("name", ["org-members", "schema-members", "wikidata-members"])
def test_example_leaves_out_a_former_member_like_members_does(name, engine):
    """A fictional member from 1952-02 to 1960: gone today in ORG, schema.org and Wikidata terms alike."""
    closure = loading.load(extra=[FORMER_MEMBER])
    ours = [tuple(str(v) for v in row) for row in run_stored(closure, "members", today=dt.date.today()).rows]
    theirs = rows_of(graph_file_for(EXAMPLES[name], (FORMER_MEMBER,)), EXAMPLES[name].read_text(encoding="utf-8"), engine)
    assert "XA" not in [row[0] for row in ours]
    same_rows(theirs, ours)
    past = [tuple(str(v) for v in row) for row in run_stored(closure, "members", {"as_of": "1955"}).rows]
    assert ("XA", "Xanadu (test fixture)", "1952-02") in past


@pytest.mark.slow  # a closure with one more file, aligned and profiled
def test_former_member_keeps_its_partial_dates_in_every_vocabulary():
    closure = loading.load(extra=[FORMER_MEMBER])
    g = alignments.with_generated(closure)
    membership = PTN["XA-NATO"]
    assert (CTY.XA, ORG.memberOf, NATO) in g  # time-agnostic: a former member still is org:memberOf
    period = g.value(membership, ORG.memberDuring)
    assert g.value(g.value(period, TIME.hasBeginning), TIME.inXSDgYearMonth) == Literal("1952-02", datatype=XSD.gYearMonth)
    assert g.value(g.value(period, TIME.hasEnd), TIME.inXSDgYear) == Literal("1960", datatype=XSD.gYear)
    assert g.value(membership, SCHEMA.endDate) == Literal("1960", datatype=XSD.gYear)
    wd = wikidata.build("wikidata", closure)
    [statement] = wd.objects(WD.Q999999991, P.P463)
    assert wd.value(statement, PQ.P580).toPython() == wd_time("1952-02-01T00:00:00Z")
    assert wd.value(wd.value(statement, PQV.P580), WIKIBASE.timePrecision) == Literal(10)
    assert wd.value(statement, PQ.P582).toPython() == wd_time("1960-01-01T00:00:00Z")
    assert wd.value(wd.value(statement, PQV.P582), WIKIBASE.timePrecision) == Literal(9)
    count = "PREFIX org: <http://www.w3.org/ns/org#> SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c org:memberOf ?o }"
    assert int(next(iter(g.query(count)))[0]) == 33


# ---------------------------------------------------------------------------
# Consistency: validation and HermiT with the alignments and the generated nodes
# ---------------------------------------------------------------------------


def test_shipped_graph_still_conforms_and_the_alignment_file_triggers_no_check():
    report = natograph.validate()
    assert not report.fails("warning"), report.summary()
    assert not [r for r in report.results if r.file.endswith("alignments.ttl")]


@pytest.mark.slow  # HermiT (Java) over the whole graph: tens of seconds
def test_hermit_finds_ontology_alignments_data_and_generated_nodes_consistent(tmp_path):
    from test_reasoner import hermit, unsatisfiable

    target = tmp_path / "inferred.owl"
    asserted = loading.load(inferred=False)
    generated = alignments.generated(loading.load())
    target.write_bytes(serialize(loading.graph_of(asserted, generated), "xml"))
    done = hermit(target)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "owl#Thing is satisfiable" in done.stdout
    assert unsatisfiable(done.stdout) == []
