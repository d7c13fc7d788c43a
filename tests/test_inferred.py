""""Inferred" is one graph everywhere: the triples as written and their OWL RL closure. Each place
that offers it is counted here as its user reads it, and the counts compared: ``natograph export
--inferred``, the release's ``-inferred`` dumps (and the figure its landing page and notes state),
the endpoint's default graph and its ``…/graph/asserted`` + ``…/graph/inferred``, the endpoint's
VoID and service description, ``natograph stats``, and the Python API. The nodes the alignments
generate are the other name: ``--alignments``, the ``-alignments`` dumps, ``stats``'s line for them."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import VOID

import natograph
from natograph import __version__
from natograph.cli import main

GRAPHS = "https://w3id.org/natograph/graph/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def exported_lines(tmp_path, capsys, *flags: str) -> int:
    target = tmp_path / ("export" + "".join(flags) + ".nt")
    assert main(["export", *flags, "--format", "ntriples", "-o", str(target)]) == 0
    capsys.readouterr()
    return len(target.read_bytes().splitlines())


def dump_lines(release_folder, suffix: str) -> int:
    return len((release_folder / "dumps" / f"natograph-{__version__}{suffix}.nt").read_bytes().splitlines())


@pytest.fixture(scope="module")
def served():
    """(count of the default graph, of asserted + inferred, VoID's void:triples, the service
    description's default graph's void:triples), read through the app's HTTP interface."""
    from starlette.testclient import TestClient

    from natograph.web.app import make_app
    from natograph.web.settings import Settings

    def count(client, **dataset) -> int:
        response = client.get("/sparql", params={"query": COUNT, **dataset},
                              headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.text
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    with TestClient(make_app(Settings(workers=1, timeout=30))) as client:
        default = count(client)
        named = count(client, **{"default-graph-uri": [GRAPHS + "asserted", GRAPHS + "inferred"]})
        void = Graph().parse(data=client.get("/.well-known/void", headers={"Accept": "text/turtle"}).text, format="turtle")
        service = Graph().parse(data=client.get("/sparql", headers={"Accept": "text/turtle"}).text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    [dataset_node] = service.objects(None, URIRef(sd + "defaultDataset"))
    graph = service.value(dataset_node, URIRef(sd + "defaultGraph"))
    dataset = URIRef("https://w3id.org/natograph/")
    return default, named, int(void.value(dataset, VOID.triples)), int(service.value(graph, VOID.triples))


def stats_figures(capsys) -> tuple[int, int]:
    """``natograph stats``: (its total with inference, its count of the alignments' triples)."""
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    total = int(re.search(r"^\s+(\d+)  total \(with inference\)$", out, re.MULTILINE).group(1))
    aligned = int(re.search(r"^nodes the alignments generate \(export --alignments\)\n\s+(\d+)  triples$", out,
                            re.MULTILINE).group(1))
    return total, aligned


def test_inferred_is_the_same_graph_in_export_release_serve_stats_and_the_api(tmp_path, capsys, release_folder, served):
    exported = exported_lines(tmp_path, capsys, "--inferred")
    asserted = exported_lines(tmp_path, capsys)
    counts = {
        "export --inferred": exported,
        "release -inferred.nt": dump_lines(release_folder, "-inferred"),
        "serve /sparql, default graph": served[0],
        "serve /sparql, asserted + inferred": served[1],
        "serve /.well-known/void": served[2],
        "serve service description": served[3],
        "stats total": stats_figures(capsys)[0],
        "natograph.load()": len(natograph.load()),
    }
    assert set(counts.values()) == {exported}, counts
    assert exported > asserted == dump_lines(release_folder, "")
    # the figure the release states on its landing page and in its notes
    assert f"{exported} with the OWL RL closure" in (release_folder / "index.html").read_text("utf-8")
    assert f"({exported} with the OWL RL" in (release_folder / "RELEASE-NOTES.md").read_text("utf-8")


def test_the_alignments_nodes_are_the_other_name_in_export_release_and_stats(tmp_path, capsys, release_folder):
    inferred = exported_lines(tmp_path, capsys, "--inferred")
    both = exported_lines(tmp_path, capsys, "--inferred", "--alignments")
    alone = exported_lines(tmp_path, capsys, "--alignments")
    asserted = exported_lines(tmp_path, capsys)
    aligned = both - inferred
    assert aligned > 1000  # OWL-Time, ORG and PROV-O nodes for the dated and quoted resources
    assert alone - asserted == aligned
    assert dump_lines(release_folder, "-alignments") == aligned
    assert stats_figures(capsys)[1] == aligned
    def predicates(suffix: str) -> set[bytes]:
        lines = (release_folder / "dumps" / f"natograph-{__version__}{suffix}.nt").read_bytes().splitlines()
        return {line.split(b" ")[1] for line in lines}

    time = b"<http://www.w3.org/2006/time#hasTime>"  # a generated node's: the ontology names it, no fact has it
    assert time not in predicates("-inferred") and time in predicates("-alignments")
