"""Export: every format parses back to the same graph, bytes are stable, files are written atomically."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph

import natograph
from natograph import output
from natograph.cli import main
from natograph.errors import InputError
from natograph.graph.serializing import serialize
from natograph.graph.store.engine import GRAPHS
from natograph.publish import exporting as export_module

FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml", "trig": "trig", "nquads": "nquads"}
GRAPHS_OF = {"asserted": {"inferred": False}, "inferred": {"inferred": True}, "aligned": {"inferred": True, "alignments": True}}
"""What each case exports: the triples as written; --inferred, the OWL RL closure; --inferred
--alignments, the closure and the nodes the alignment queries generate."""
CASES = [pytest.param(fmt, which, id=f"{fmt}-{which}") for which in GRAPHS_OF for fmt in FORMATS]


@pytest.fixture(scope="module")
def expected_graph():
    """``expected_graph(which)``: the graph the export must hold, as an isomorphic graph (blank nodes included)."""
    from rdflib.compare import to_isomorphic

    graphs = {}

    def get(which: str):
        if which not in graphs:
            from natograph.publish.alignments import with_generated

            graph = {"asserted": lambda: natograph.load(inferred=False), "inferred": natograph.load,
                     "aligned": lambda: with_generated(natograph.load())}[which]()
            graphs[which] = to_isomorphic(graph)
        return graphs[which]

    return get


def parse_back(data: bytes, fmt: str) -> Graph:
    """The triples of an export; for TriG and N-Quads, of the one named graph it writes."""
    graph = Graph()
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        dataset.parse(data=data, format=FORMATS[fmt])
        names = {c for _, _, _, c in dataset.quads()}
        assert names and all(str(name).startswith(GRAPHS) for name in names), names  # one per part
        graph.addN((s, p, o, graph) for s, p, o, _ in dataset.quads())
    else:
        graph.parse(data=data, format=FORMATS[fmt])
    return graph


@pytest.mark.parametrize("fmt, which", CASES)
def test_every_format_round_trips_to_an_isomorphic_graph(fmt, which, expected_graph):
    """Every triple, blank nodes included (the ontology's OWL axioms), asserted, --inferred and with --alignments."""
    from rdflib import BNode
    from rdflib.compare import graph_diff, to_isomorphic

    back = to_isomorphic(parse_back(natograph.export(fmt, **GRAPHS_OF[which]), fmt))
    expected = expected_graph(which)
    assert any(isinstance(term, BNode) for triple in expected for term in triple), "the graph has blank nodes"
    if back != expected:
        _both, only_back, only_expected = graph_diff(back, expected)
        pytest.fail(
            f"{fmt}: {len(back)} triples, expected {len(expected)}; "
            f"only in the export: {sorted(only_back)[:5]}; missing: {sorted(only_expected)[:5]}"
        )


def test_inferred_export_is_the_closure_not_the_asserted_graph(expected_graph):
    """The three cases above differ: --inferred adds the derived triples, --alignments the generated nodes."""
    assert len(expected_graph("asserted")) < len(expected_graph("inferred")) < len(expected_graph("aligned"))


TRICKY = r"""
@prefix ex: <https://example.org/tricky#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:p rdfs:domain ex:Thing .
ex:a ex:p "tab\there" , "line\nbreak" , "cr\rx" , "quote\"q" , "back\\slash" , "control\u0001char" ,
        "été"@fr , "Hi"@EN-gb , "01"^^xsd:integer , "1.50"^^xsd:decimal , "+3"^^xsd:integer ,
        "2000-01"^^xsd:gYearMonth , "plain"^^xsd:string , "x"^^ex:unknownType , "ünï ☃ 𝄞" .
ex:a ex:q [ ex:r [ ex:p "deep" ] ; ex:s ( 1 2 [ ex:p "in a list" ] ) ] .
[] ex:p ex:a .
[] ex:p [] .
"""


@pytest.mark.parametrize("which", GRAPHS_OF)
@pytest.mark.parametrize("extra", ("shipped", "tricky"))
def test_ntriples_written_from_the_store_are_rdflibs_bytes(extra, which, tmp_path):
    """N-Triples is written from the store one triple at a time (big graphs): the very bytes of
    rdflib's serialization of the whole graph, with literals rdflib normalises, escapes, blank nodes
    in the asserted and the inferred triples (rdfs:domain), nested, in lists, and alone."""
    from natograph.graph import loading
    from natograph.publish.alignments import with_generated

    files = []
    if extra == "tricky":
        files = [tmp_path / "tricky.ttl"]
        files[0].write_text(TRICKY, encoding="utf-8")
    engine = loading.engine_for(files)
    inferred = which != "asserted"
    whole = engine.rdflib_graph(inferred=inferred)
    if which == "aligned":
        whole = with_generated(whole)
    expected = serialize(whole, "ntriples")
    got = b"".join(export_module._store_ntriples(engine, **GRAPHS_OF[which]))
    assert got == expected
    if extra == "tricky":  # the case holds what it claims to test
        rows = got.decode("utf-8").splitlines()
        assert any(row.startswith("_:") and "tricky#p" in row for row in rows)
        assert any(row.startswith("_:") and "tricky#Thing" in row for row in rows) == inferred
        assert any('"tab' in row for row in rows) and any(row.endswith('"été"@fr .') for row in rows)


def test_the_command_writes_the_lines_in_blocks_the_same_bytes(tmp_path, capsys, monkeypatch):
    """``natograph export`` writes N-Triples lines in blocks, to a file, standard output and a
    device, never joined: the bytes are export()'s, however small the blocks."""
    expected = natograph.export("ntriples", inferred=True)
    monkeypatch.setattr(output, "BLOCK", 4096)
    written = list(output.blocks(export_module.export_parts("ntriples", inferred=True)))
    assert len(written) > 100 and all(block.endswith(b" .\n") for block in written)
    target = tmp_path / "graph.nt"
    assert main(["export", "--inferred", "--format", "ntriples", "-o", str(target)]) == 0
    assert target.read_bytes() == expected
    capsys.readouterr()
    assert main(["export", "--inferred", "--format", "ntriples"]) == 0
    assert capsys.readouterr().out.encode("utf-8") == expected
    assert natograph.export("ntriples", inferred=True, output=tmp_path / "api.nt") == expected
    assert (tmp_path / "api.nt").read_bytes() == expected


_EXPORT_ALL = """
import sys
from natograph.cli import main
folder = sys.argv[1]
for fmt in sys.argv[2:]:
    for inferred in (False, True):
        name = f"{folder}/{fmt}{'-inferred' if inferred else ''}"
        code = main(["export", "--format", fmt, "-o", name, *(["--inferred"] if inferred else [])])
        if code:
            sys.exit(code)
"""


def test_output_is_byte_stable_across_hash_seeds(tmp_path):
    """Every format, asserted and --inferred, gives the same bytes in processes with different PYTHONHASHSEED."""
    digests: dict[str, set[str]] = {}
    for seed in ("0", "1", "4242"):
        folder = tmp_path / f"seed-{seed}"
        folder.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _EXPORT_ALL, str(folder), *FORMATS], check=True, env=env, timeout=600)
        for path in sorted(folder.iterdir()):
            digests.setdefault(path.name, set()).add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert sorted(digests) == sorted(f"{f}{s}" for f in FORMATS for s in ("", "-inferred"))
    unstable = sorted(name for name, seen in digests.items() if len(seen) != 1)
    assert not unstable, f"bytes change with the hash seed: {unstable}"


def test_inferred_export_holds_the_derived_triples(capsys):
    code = main(["export", "--inferred", "--format", "ntriples"])
    out = capsys.readouterr().out
    assert code == 0
    assert "<https://w3id.org/natograph/ontology#memberOf>" in out
    assert "owl#sameAs" not in out or all(
        line.split(" ")[0] != line.split(" ")[2] for line in out.splitlines() if "owl#sameAs" in line
    )


def test_written_atomically_and_never_half(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"previous content")

    def explode(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", explode)
    with pytest.raises(InputError, match="No space left"):
        export_module.export("turtle", output=target)
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no temporary file left behind
    monkeypatch.undo()
    natograph.export("turtle", output=target)
    assert target.read_bytes().startswith(b"@prefix")
