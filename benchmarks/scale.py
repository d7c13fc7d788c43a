"""A bigger world for the benchmarks: a natograph root holding the shipped data *factor* times.

    from scale import scaled_root, scaled_world   # run from benchmarks/, or with benchmarks/ on sys.path
    root = scaled_root(100)                        # a folder with ontology/, data/, queries/
    files = scaled_world(100)                      # its graph files: ontology, data/*.ttl, copy-001..099

    python benchmarks/scale.py 10                  # writes the root and prints its folder and triple count

The root is a checkout of its own (``natograph --root DIR ...`` or ``NATOGRAPH_ROOT=DIR`` use it):
the shipped ontology and queries, the shipped data as it is (copy 0), and ``data/copy-<k>.ttl`` for
1 <= k < factor (N-Triples, which is Turtle), each a copy of every data triple with fresh, valid
identifiers, so the world validates as the shipped data does and a validator's cost at scale is
measured on valid data:

- each natograph instance ``https://w3id.org/natograph/id/<kind>/<name>`` becomes
  ``https://w3id.org/natograph/id/scale-<k>/<kind>/<name>`` (a test-only namespace), except
  countries, which become ``.../id/country/<code>-<kkk>`` (a country's IRI ends with its code);
- each other IRI the data describes (the sources, whose IRIs are public addresses) becomes
  ``.../id/scale-<k>/source/<digest of the address>``; blank nodes are fresh per copy;
- the identifiers are fresh: an ISO 3166 code or a short code ``XX`` becomes ``XX-<kkk>``, a Wikidata
  identifier ``Q<n>`` becomes ``Q<k * 10^12 + n>`` (beyond any real item), in ``ng:wikidataId`` and
  in the ``skos:exactMatch`` link alike;
- what the ontology or the shapes name (``iorg:NATO``, ``ini:DCB``) is not copied but shared, so
  every copy's members are NATO members; the counts NATO states about a shared resource (its
  members) are dropped, in copy 0 too, since the copies make them false;
- ontology and vocabulary terms, other IRIs and literals are kept.

Real ISO-like codes would run out (676 two-letter codes for 8,500 countries at 100x), so the generated
codes have a suffix, and the root's shapes accept it: each identifier pattern of the shipped shapes
gains an optional ``-[0-9]{3}`` at its end (``^[A-Z]{2}$`` becomes ``^[A-Z]{2}(-[0-9]{3})?$``), the only
change to the shipped rules. On 2026-11-26: 5,000 triples written at 1x, about 45,000 at 10x and
450,000 at 100x.

The root is written once into *folder* (default: a folder under the system's temporary directory named
after the factor and a digest of the shipped files, shapes, queries and this generator), reused while
complete.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from natograph.graph import resources
from natograph.graph.namespaces import NG
from natograph.graph.parsing import parse_file

INSTANCES = "https://w3id.org/natograph/id/"
COUNTRY = INSTANCES + "country/"
WIKIDATA = "http://www.wikidata.org/entity/Q"
SUFFIXED = (NG.iso3166Alpha2, NG.iso3166Alpha3, NG.code)
WIDENED = ('"^[A-Z]{2}$"', '"^[A-Z]{3}$"', '"^[A-Z][A-Z0-9-]{1,9}$"', '"^[A-Za-z][A-Za-z0-9-]{1,9}$"',
           '"^[A-Za-z][A-Za-z0-9-]{1,15}$"')


def _widened(text: str) -> str:
    for pattern in WIDENED:
        text = text.replace(pattern, pattern[:-2] + '(-[0-9]{3})?$"')
    return text


def _digest(shipped: list[Path]) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for path in [*shipped, *resources.shapes_files(), *sorted(resources.queries_dir().rglob("*.rq"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def _copy(data: Graph, k: int, kept: set, described: set, shared_claims: set) -> Graph:
    suffix = f"-{k:03d}"
    blank: dict[BNode, BNode] = {}

    def rename(term):
        if isinstance(term, URIRef) and term not in kept:
            text = str(term)
            if text.startswith(COUNTRY):
                return URIRef(text + suffix)
            if text.startswith(INSTANCES):
                return URIRef(f"{INSTANCES}scale-{k}/{text[len(INSTANCES):]}")
            if term in described:
                return URIRef(f"{INSTANCES}scale-{k}/source/{hashlib.sha256(text.encode()).hexdigest()[:16]}")
            if text.startswith(WIKIDATA) and text[len(WIKIDATA):].isdigit():
                return URIRef(f"{WIKIDATA}{k * 10**12 + int(text[len(WIKIDATA):])}")
        if isinstance(term, BNode):
            return blank.setdefault(term, BNode())
        return term

    copy = Graph()
    for s, p, o in data:
        if s in shared_claims or o in shared_claims:
            continue
        new_s = rename(s)
        if new_s != s and isinstance(o, Literal):
            if p in SUFFIXED:
                o = Literal(str(o) + suffix, datatype=o.datatype, lang=o.language)
            elif p == NG.wikidataId and str(o)[1:].isdigit():
                o = Literal(f"Q{k * 10**12 + int(str(o)[1:])}", datatype=o.datatype)
        copy.add((new_s, rename(p), rename(o)))
    return copy


def scaled_root(factor: int, folder: Path | None = None) -> Path:
    """The root of the shipped world copied *factor* times (see the module's text)."""
    if factor < 1:
        raise ValueError(f"factor must be 1 or more, not {factor}")
    if factor == 1:
        return resources.root()
    shipped = resources.graph_files()
    if folder is None:
        folder = Path(tempfile.gettempdir()) / f"natograph-scale-{factor}-{_digest(shipped)}"
    folder = Path(folder)
    done = folder / ".complete"
    if done.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    source = resources.root()
    tmp = folder.with_name(folder.name + f".{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source / "queries", tmp / "queries")
    (tmp / "ontology" / "shapes").mkdir(parents=True)
    for path in (source / "ontology").glob("*.ttl"):
        shutil.copy2(path, tmp / "ontology" / path.name)
    shipped_rules = {path.relative_to(resources.shapes_dir()): path.read_text(encoding="utf-8")
                     for path in resources.shapes_files()}
    missing = [p for p in WIDENED if not any(p in text for text in shipped_rules.values())]
    if missing:
        raise RuntimeError(f"the shipped shapes no longer hold the patterns {missing}: update WIDENED")
    for name, text in shipped_rules.items():
        (tmp / "ontology" / "shapes" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp / "ontology" / "shapes" / name).write_text(_widened(text), encoding="utf-8")
    ontology, shapes, data = Graph(), Graph(), Graph()
    for path in resources.ontology_files():
        parse_file(path, into=ontology)
    for path in resources.shapes_files():
        parse_file(path, into=shapes)
    files = {path: parse_file(path) for path in resources.data_files()}
    for one in files.values():
        data += one
    kept = {t for g in (ontology, shapes) for triple in g for t in triple if isinstance(t, URIRef)}
    described = {s for s in data.subjects() if isinstance(s, URIRef) and s not in kept}
    shared_claims = {s for s, o in data.subject_objects(NG.countScope) if o in kept}
    (tmp / "data").mkdir()
    for path, one in files.items():
        dropped = [t for t in one if t[0] in shared_claims or t[2] in shared_claims]
        if not dropped:
            shutil.copy2(path, tmp / "data" / path.name)
            continue
        for triple in dropped:  # a count of a shared resource's participants is false at scale
            one.remove(triple)
        one.serialize(destination=str(tmp / "data" / path.name), format="turtle", encoding="utf-8")
    for k in range(1, factor):
        _copy(data, k, kept, described, shared_claims).serialize(
            destination=str(tmp / "data" / f"copy-{k:03d}.ttl"), format="nt", encoding="utf-8")
    (tmp / ".complete").write_text("", encoding="utf-8")
    os.replace(tmp, folder)  # a half-written root is never taken for a finished one
    return folder


def scaled_world(factor: int, folder: Path | None = None) -> list[Path]:
    """The graph files of :func:`scaled_root` (ontology first, then data/*.ttl)."""
    return resources.graph_files_of(scaled_root(factor, folder))


if __name__ == "__main__":
    root = scaled_root(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
    whole = Graph()
    for path in resources.graph_files_of(root):
        parse_file(path, into=whole)
    print(f"{root}: {len(resources.graph_files_of(root))} files, {len(whole)} triples")
