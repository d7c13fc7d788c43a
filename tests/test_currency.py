"""How current the data is: one day (ng:dataAsOf), declared once in the data, read by the graph layer
(``natograph.graph.currency.data_as_of``) and shown by every front end; and the day each source was
read (ng:retrieved), which the Wikidata profile writes as P813."""

from __future__ import annotations

import shutil

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from natograph import __version__
from natograph.cli import main
from natograph.graph import resources
from natograph.graph.currency import DATASET_IRI, data_as_of
from natograph.graph.loading import engine_for
from natograph.graph.namespaces import NG, PR
from natograph.graph.store.opening import open_engine

DATASET = URIRef(DATASET_IRI)


def shipped():
    engine = open_engine()
    return engine, engine.rdflib_graph(inferred=False)


def test_the_day_is_declared_once_and_every_source_was_read_on_or_before_it():
    engine, graph = shipped()
    days = list(graph.objects(None, NG.dataAsOf))
    assert list(graph.subjects(NG.dataAsOf, None)) == [DATASET] and len(days) == 1
    assert days[0].datatype == XSD.date
    assert data_as_of(engine) == str(days[0])
    sources = set(graph.subjects(RDF.type, NG.Source))
    assert len(sources) > 500
    for source in sources:
        read = list(graph.objects(source, NG.retrieved))
        assert len(read) == 1 and read[0].datatype == XSD.date, source
        assert str(read[0]) <= str(days[0]), source


def test_the_dataset_is_the_one_the_release_describes():
    from natograph.publish.dataset import DATASET_IRI as RELEASED

    assert DATASET_IRI == RELEASED


def test_a_graph_that_does_not_say_has_no_day():
    assert data_as_of(engine_for([resources.ontology_file()], alone=True)) == ""


def test_version_and_stats_show_the_day(capsys):
    day = data_as_of(open_engine())
    assert main(["--version"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"natograph {__version__} (data as of {day})" and out[1].startswith("root: ")
    assert main(["stats"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == f"data as of: {day}"


def test_version_with_data_that_cannot_be_read_still_prints_the_version(tmp_path, capsys):
    root = tmp_path / "root"
    for folder in ("ontology", "data", "queries"):
        shutil.copytree(resources.current().path / folder, root / folder)
    with (root / "data" / "sources.ttl").open("a", encoding="utf-8") as out:
        out.write("\nnot turtle <<\n")
    assert main(["--root", str(root), "--version"]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == f"natograph {__version__}"
    assert err.startswith("natograph: error: ") and "sources.ttl" in err and err.count("\n") == 1
    assert "Traceback" not in err


def test_the_release_description_and_the_servers_void_state_the_day():
    from pathlib import Path

    from natograph.publish.dataset import Release
    from natograph.publish.description import description_graph, statistics
    from natograph.web.describe import DATASET as VOID_DATASET
    from natograph.web.describe import void_triples

    engine = open_engine()
    day = data_as_of(engine)
    rel = Release(folder=Path("."), version=__version__, stats=statistics(engine))
    graph = description_graph(rel, issued="2026-11-26", modified="2026-11-26")
    assert graph.value(DATASET, NG.dataAsOf) == Literal(day, datatype=XSD.date)
    void = [t for t in void_triples(engine) if t.predicate == ox.NamedNode(str(NG.dataAsOf))]
    assert void == [ox.Triple(VOID_DATASET, ox.NamedNode(str(NG.dataAsOf)),
                              ox.Literal(day, datatype=ox.NamedNode(str(XSD.date))))]


def test_pages_are_given_the_day_for_their_footer(monkeypatch):
    """The renderer hands the day to the frame of the resource pages and the home page (``site``, from
    ``pages.layout.frame``), which says it in the page's language."""
    from natograph.pages import render, templating
    from natograph.pages.messages import human_date
    from natograph.web import home

    seen = []

    class Template:
        def render(self, **context):
            seen.append(context["site"]["as_of"])
            return "<html></html>"

    class Environment:
        def get_template(self, name):
            return Template()

    monkeypatch.setattr(render, "environment", Environment)
    monkeypatch.setattr(templating, "environment", Environment)  # the home page's, read when it renders
    engine = open_engine()
    render.resource_html(engine, "https://w3id.org/natograph/id/country/FR")
    home.home_html(engine)
    render.resource_html(engine, "https://w3id.org/natograph/id/country/FR", lang="fr")
    day = data_as_of(engine)
    assert day and seen == [f"Data as of {human_date(day, 'en')}."] * 2 + [f"Données à jour au {human_date(day, 'fr')}."]


def test_the_wikidata_profile_says_when_each_reference_was_read():
    from natograph.publish.wikidata import wikidata, wikidata_time

    engine = open_engine()
    closure = engine.rdflib_graph(inferred=True)
    profile = wikidata(closure)
    references = set(profile.subjects(PR.P854, None))
    assert references
    for reference in references:
        source = profile.value(reference, PR.P854)
        assert profile.value(reference, PR.P813) == wikidata_time(closure.value(source, NG.retrieved))[0], source


def test_the_ontology_page_shows_the_dating_rules_in_both_languages():
    """The rules are written once, as the scope notes of ng:startDate and ng:endDate, and the
    release's ontology page shows them beside the definitions."""
    import pytest

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    from natograph.publish.ontodoc import ontology_files

    page = ontology_files(version=__version__)["doc/index.html"].decode("utf-8")
    for words in ("How starts are dated, one rule per kind of fact", "Comment les débuts sont datés",
                  "How ends are dated, one rule per kind of fact", "Comment les fins sont datées",
                  "(2) A programme superseded by its successor", "(3) A participation, contribution or holding"):
        assert words in page, words
