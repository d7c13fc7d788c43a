"""Export: every format parses back to the same graph, bytes are stable, files are written atomically."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph

import natograph
from natograph import exporting as export_module
from natograph.cli import main
from natograph.errors import InputError

FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "xml": "xml", "trig": "trig", "nquads": "nquads"}


def ground(triples):
    from rdflib import BNode

    return {t for t in triples if not any(isinstance(term, BNode) for term in t)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_round_trips(fmt):
    data = natograph.export(fmt)
    expected = ground(natograph.load(inferred=False))
    if fmt in ("trig", "nquads"):
        dataset = Dataset()
        dataset.parse(data=data, format=FORMATS[fmt])
        triples = {(s, p, o) for s, p, o, _ in dataset.quads()}
    else:
        triples = set(Graph().parse(data=data, format=FORMATS[fmt]))
    assert ground(triples) == expected


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "jsonld", "xml", "trig"])
def test_output_is_byte_stable_across_processes(fmt, tmp_path):
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = tmp_path / f"{fmt}-{seed}"
        subprocess.run([sys.executable, "-m", "natograph", "export", "--format", fmt, "-o", str(out)],
                       check=True, env=env, timeout=300)
        digests.add(hashlib.sha256(out.read_bytes()).hexdigest())
    assert len(digests) == 1


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

    monkeypatch.setattr(export_module.os, "fsync", explode)
    with pytest.raises(InputError, match="No space left"):
        export_module.export("turtle", output=target)
    assert target.read_bytes() == b"previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no temporary file left behind
    monkeypatch.undo()
    natograph.export("turtle", output=target)
    assert target.read_bytes().startswith(b"@prefix")
