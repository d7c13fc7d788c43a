"""A bigger world for the benchmarks: the shipped data copied *factor* times, the ontology once.

    from scale import scaled_world          # run from benchmarks/, or with benchmarks/ on sys.path
    files = scaled_world(100)               # [ontology, data/*.ttl..., copy-001.nt, ..., copy-099.nt]

    python benchmarks/scale.py 10           # writes the files and prints their folder and triple count

Copy 0 is the shipped data as it is. Copy k (1 <= k < factor) is every data triple with each natograph
instance IRI ``https://w3id.org/natograph/id/<kind>/<name>`` renamed to the test-only
``https://w3id.org/natograph/id/scale-<k>/<kind>/<name>``, each other IRI the data describes (the
sources, whose IRIs are public addresses) renamed to ``https://w3id.org/natograph/id/scale-<k>/source/
<digest of the address>``, blank nodes made fresh per copy, and every other term kept: ontology and
vocabulary terms, IRIs the data only points to (Wikidata links), literals. The instances the ontology
itself names (``iorg:NATO``, the value of its ``owl:hasValue`` restrictions) are not renamed, so every
copy's members are NATO members. So the world grows like the data: on 2026-11-26, 4,680 triples at 1x, 40,869 at
10x, 402,759 at 100x (what is said about NATO itself is not copied); the closure adds 1,276, 10,159
and 98,989 triples.

Each copy is an independent world of fresh IRIs, but literal identifiers (ISO codes, Wikidata ids,
organisation codes) are copied as they are: checks for duplicate identifiers will find them in every
copy, which is work a validator at scale must do anyway. ``scaled_world(1)`` is the shipped graph.

Copies are N-Triples files (one per copy, well under natograph's 16 MiB limit per file), written once
into *folder* (default: a folder under the system's temporary directory named after the factor and a
digest of the shipped files, reused while it is complete and the shipped files do not change).
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

from rdflib import BNode, Graph, URIRef

from natograph import graph, resources
from natograph.parsing import parse_file

INSTANCES = "https://w3id.org/natograph/id/"


def scaled_world(factor: int, folder: Path | None = None) -> list[Path]:
    """The files of the shipped world copied *factor* times (see the module's text): ontology first."""
    if factor < 1:
        raise ValueError(f"factor must be 1 or more, not {factor}")
    shipped = graph.shipped_files()
    if factor == 1:
        return shipped
    if folder is None:
        digest = hashlib.sha256()
        for path in shipped:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        folder = Path(tempfile.gettempdir()) / f"natograph-scale-{factor}-{digest.hexdigest()[:12]}"
    folder = Path(folder)
    copies = [folder / f"copy-{k:03d}.nt" for k in range(1, factor)]
    if all(path.exists() for path in copies):
        return [*shipped, *copies]
    folder.mkdir(parents=True, exist_ok=True)
    data_files = resources.data_files()
    ontology = Graph()
    for path in shipped:
        if path not in data_files:  # the ontology, and any alignment file beside it
            parse_file(path, into=ontology)
    named_by_ontology = {term for triple in ontology for term in triple if isinstance(term, URIRef)}
    data = Graph()
    for path in data_files:
        parse_file(path, into=data)
    described = {s for s in data.subjects() if isinstance(s, URIRef) and s not in named_by_ontology}
    for k, target in enumerate(copies, start=1):
        copy = Graph()
        blank: dict[BNode, BNode] = {}

        def rename(term, k=k, blank=blank):
            if isinstance(term, URIRef) and term not in named_by_ontology:
                if str(term).startswith(INSTANCES):
                    return URIRef(f"{INSTANCES}scale-{k}/{str(term)[len(INSTANCES):]}")
                if term in described:
                    return URIRef(f"{INSTANCES}scale-{k}/source/{hashlib.sha256(str(term).encode()).hexdigest()[:16]}")
            if isinstance(term, BNode):
                return blank.setdefault(term, BNode())
            return term

        copy.addN((rename(s), rename(p), rename(o), copy) for s, p, o in data)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        copy.serialize(destination=str(tmp), format="nt", encoding="utf-8")
        os.replace(tmp, target)  # a half-written copy is never taken for a finished one
    return [*shipped, *copies]


if __name__ == "__main__":
    files = scaled_world(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    whole = Graph()
    for path in files:
        parse_file(path, into=whole)
    print(f"{files[-1].parent}: {len(files)} files, {len(whole)} triples")
