"""natograph release: a deterministic folder with dumps, a DCAT-AP description, ontology documentation
and a static linked-data site whose every IRI resolves."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import stat
import threading
import urllib.error
import urllib.request
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, VOID, XSD

from natograph import __version__
from natograph.cli import main
from natograph.graph import resources
from natograph.graph.namespaces import BASE, ONTOLOGY_IRI
from natograph.graph.store.opening import forget, open_engine
from natograph.publish.dataset import DATASET_IRI, DESCRIPTION, Release
from natograph.publish.description import check_description, description_graph, statistics
from natograph.publish.notes import changes, previous_dump, release_notes
from natograph.publish.release import verify

# A release draws the ontology's class diagram with Graphviz's dot (Debian's graphviz; .ci/run installs
# it): without it, `natograph release` refuses with one line, and these tests cannot build a release.
# The tests share one release (the module's `built`): with xdist they run in one worker, so it is built once.
pytestmark = [
    pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed"),
    pytest.mark.xdist_group("release"),
]
# A test that reads the module's release is slow: the release takes tens of seconds (once per session).
needs_a_release = pytest.mark.slow

SPDX = "http://spdx.org/rdf/terms#"
SUFFIX_MEDIA = {".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
                ".rdf": "application/rdf+xml", ".zip": "application/zip", ".gz": "application/n-triples"}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(release_folder):
    return release_folder


@pytest.fixture(scope="module")
def engine():
    return open_engine()


@pytest.fixture(scope="module")
def description(built):
    return Graph().parse(built / "void.ttl", format="turtle")


# ---------------------------------------------------------------------------
# Determinism and checksums
# ---------------------------------------------------------------------------


@needs_a_release
def test_same_bytes_twice_even_with_a_rebuilt_store(built, tmp_path, monkeypatch):
    # The second build replaces the first in place, from a fresh cache: the store is rebuilt, and
    # pyoxigraph gives its blank nodes new labels.
    first = _files(built)
    monkeypatch.setenv("NATOGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    forget()
    try:
        assert main(["release", "-o", str(built), "--site-url", "https://natograph.example.org/"]) == 0
    finally:
        forget()
    again = _files(built)
    assert sorted(first) == sorted(again)
    differ = [path for path in first if first[path] != again[path]]
    assert differ == [], f"{len(differ)} files differ, e.g. {differ[:5]}"
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".")], "a temporary folder was left behind"


@needs_a_release
def test_sha256sums_lists_every_file_with_its_digest(built):
    lines = (built / "SHA256SUMS").read_text("utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, sep, path = line.partition("  ")
        assert sep and re.fullmatch(r"[0-9a-f]{64}", digest), line
        listed[path] = digest
    files = {p: d for p, d in _files(built).items() if p != "SHA256SUMS"}
    assert sorted(listed) == sorted(files)
    assert lines == sorted(lines, key=lambda line: line.partition("  ")[2])
    for path, data in files.items():
        assert hashlib.sha256(data).hexdigest() == listed[path], path
    assert verify(built) == []


@needs_a_release
def test_verify_catches_a_changed_file(built, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    (copy / "dumps" / f"natograph-{__version__}.nt").write_bytes(b"")
    (copy / "extra.txt").write_text("x")
    assert verify(copy) == [f"dumps/natograph-{__version__}.nt: checksum differs", "extra.txt: not listed"]


@needs_a_release
def test_gzip_has_a_fixed_mtime_and_the_same_triples(built):
    stem = built / "dumps" / f"natograph-{__version__}"
    packed = (stem.parent / (stem.name + ".nt.gz")).read_bytes()
    assert packed[4:8] == b"\0\0\0\0", "gzip mtime must be zero"
    assert gzip.decompress(packed) == (stem.parent / (stem.name + ".nt")).read_bytes()


# ---------------------------------------------------------------------------
# Dumps
# ---------------------------------------------------------------------------


def _canonical(graph: Graph) -> set:
    return set(to_canonical_graph(graph))


def _rdflib_of_ox(triples) -> Graph:
    from natograph.graph.terms import to_rdflib

    graph = Graph()
    for t in triples:
        graph.add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return graph


RDFLIB_FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml"}
OX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD,
              ".rdf": ox.RdfFormat.RDF_XML}


@needs_a_release
@pytest.mark.parametrize("inferred", [False, True], ids=["asserted", "inferred"])
def test_dumps_load_in_rdflib_and_pyoxigraph_with_the_same_triples(built, engine, inferred):
    expected = _canonical(engine.rdflib_graph(inferred=inferred))
    stem = f"natograph-{__version__}" + ("-inferred" if inferred else "")
    for suffix in (".ttl", ".nt", ".jsonld", ".rdf", ".nt.gz"):
        data = (built / "dumps" / (stem + suffix)).read_bytes()
        if suffix == ".nt.gz":
            data, suffix = gzip.decompress(data), ".nt"
        by_rdflib = Graph().parse(data=data, format=RDFLIB_FORMATS[suffix])
        by_oxigraph = _rdflib_of_ox(ox.parse(data, format=OX_FORMATS[suffix]))
        assert len(by_rdflib) == len(expected), stem + suffix
        assert _canonical(by_rdflib) == expected, f"rdflib: {stem + suffix}"
        assert _canonical(by_oxigraph) == expected, f"pyoxigraph: {stem + suffix}"


@needs_a_release
def test_queries_and_shapes_are_shipped_as_written(built):
    import io
    import zipfile

    shapes = resources.shapes_dir()
    for name, files, folder in (("queries", resources.query_files(), resources.queries_dir()),
                                ("shapes", [*resources.shapes_files(), shapes / "README.md"], shapes)):
        archive = zipfile.ZipFile(io.BytesIO((built / "dumps" / f"natograph-{__version__}-{name}.zip").read_bytes()))
        members = {f"{name}/{p.relative_to(folder).as_posix()}": p for p in files}
        assert sorted(archive.namelist()) == sorted(members)
        for member, path in members.items():
            assert archive.read(member) == path.read_bytes()
            assert (built / member).read_bytes() == path.read_bytes()
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # What a reader needs to run the shapes with another engine: both groups, and how.
    assert any(m.startswith("shapes/as-written/") for m in archive.namelist())
    assert "pyshacl -s natograph-shapes.ttl -i owlrl" in archive.read("shapes/README.md").decode("utf-8")


# ---------------------------------------------------------------------------
# VoID and DCAT
# ---------------------------------------------------------------------------


@needs_a_release
def test_description_passes_the_dcat_ap_shapes(description):
    assert check_description(description) == []


def test_the_dcat_ap_shapes_are_valid_shacl():
    import pyshacl

    shapes = Graph().parse(resources.release_shapes_file(), format="turtle")
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


def _broken(description: Graph, drop=(), add=()) -> list[str]:
    graph = Graph()
    for triple in description:
        graph.add(triple)
    for pattern in drop:
        for triple in list(graph.triples(pattern)):
            graph.remove(triple)
    for triple in add:
        graph.add(triple)
    return check_description(graph)


DS = URIRef(DATASET_IRI)


def _one_distribution(description: Graph) -> URIRef:
    return sorted(description.objects(DS, DCAT.distribution))[0]


@pytest.mark.parametrize("case, shape", [
    ("no-title", "DcatDatasetShape-titleEn"),
    ("no-french-description", "DcatDatasetShape-descriptionFr"),
    ("no-dataset-licence", "DcatDatasetShape-license"),
    ("no-publisher", "DcatDatasetShape-publisher"),
    ("untyped-publisher", "DcatDatasetShape-publisher"),
    ("no-contact-address", "DcatDatasetShape-contactPoint"),
    ("no-byte-size", "DcatDistributionShape-byteSize"),
    ("no-licence", "DcatDistributionShape-license"),
    ("bad-checksum", "DcatChecksumShape-value"),
    ("sha1-checksum", "DcatChecksumShape-algorithm"),
    ("no-media-type", "DcatDistributionShape-mediaType"),
])
@needs_a_release
def test_a_broken_description_fails_the_shapes(description, case, shape):
    # natograph's own rules; what DCAT-AP's official shapes catch is in test_dcat_ap.py
    dist = _one_distribution(description)
    checksum = description.value(dist, URIRef(SPDX + "checksum"))
    agent = description.value(DS, DCTERMS.publisher)
    contact = description.value(DS, DCAT.contactPoint)
    edits = {
        "no-title": dict(drop=[(DS, DCTERMS.title, None)]),
        "no-french-description": dict(drop=[(DS, DCTERMS.description, Literal(DESCRIPTION["fr"], lang="fr"))]),
        "no-dataset-licence": dict(drop=[(DS, DCTERMS.license, None)]),
        "no-publisher": dict(drop=[(DS, DCTERMS.publisher, None)]),
        "untyped-publisher": dict(drop=[(agent, DCTERMS.type, None)]),
        "no-contact-address": dict(drop=[(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasURL"), None)]),
        "no-byte-size": dict(drop=[(dist, DCAT.byteSize, None)]),
        "no-licence": dict(drop=[(dist, DCTERMS.license, None)]),
        "bad-checksum": dict(drop=[(checksum, URIRef(SPDX + "checksumValue"), None)],
                             add=[(checksum, URIRef(SPDX + "checksumValue"), Literal("abc", datatype=XSD.hexBinary))]),
        "sha1-checksum": dict(drop=[(checksum, URIRef(SPDX + "algorithm"), None)],
                              add=[(checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha1"))]),
        "no-media-type": dict(drop=[(dist, DCAT.mediaType, None)]),
    }[case]
    problems = _broken(description, **edits)
    assert any(line.endswith(f"#{shape}]") for line in problems), problems


@needs_a_release
def test_every_distribution_states_the_file_as_it_is(built, description):
    dists = sorted(description.objects(DS, DCAT.distribution))
    paths = set()
    for dist in dists:
        url = str(description.value(dist, DCAT.downloadURL))
        assert url.startswith(BASE)
        path = url[len(BASE):]
        paths.add(path)
        data = (built / path).read_bytes()
        assert int(description.value(dist, DCAT.byteSize)) == len(data)
        checksum = description.value(dist, URIRef(SPDX + "checksum"))
        assert str(description.value(checksum, URIRef(SPDX + "checksumValue"))) == hashlib.sha256(data).hexdigest()
        media = str(description.value(dist, DCAT.mediaType))
        assert media == "https://www.iana.org/assignments/media-types/" + SUFFIX_MEDIA[Path(path).suffix], path
    # every dump, ontology file and zip is a distribution
    assert paths == {p for p in _files(built) if p.startswith("dumps/")}


@needs_a_release
def test_void_figures_are_those_of_the_data(built, description, engine):
    graph = engine.rdflib_graph(inferred=False)
    assert int(description.value(DS, VOID.triples)) == len(graph)
    entities = {s for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(BASE + "id/")}
    assert int(description.value(DS, VOID.entities)) == len(entities)
    classes = {}
    for part in description.objects(DS, VOID.classPartition):
        classes[description.value(part, VOID["class"])] = int(description.value(part, VOID.entities))
    expected = {}
    for cls in set(graph.objects(None, RDF.type)):
        expected[cls] = len(set(graph.subjects(RDF.type, cls)))
    assert classes == expected
    props = {description.value(p, VOID.property): int(description.value(p, VOID.triples))
             for p in description.objects(DS, VOID.propertyPartition)}
    assert props == {p: len(list(graph.triples((None, p, None)))) for p in set(graph.predicates())}
    assert props[RDFS.label] > 0


@needs_a_release
def test_description_metadata(description, engine):
    ontology = engine.rdflib_graph(inferred=False)
    header = URIRef(ONTOLOGY_IRI)
    # The header's days are untyped ISO text (OWL 2 has no xsd:date); DCAT-AP wants them typed.
    assert description.value(DS, DCTERMS.issued) == Literal(ontology.value(header, DCTERMS.created), datatype=XSD.date)
    assert description.value(DS, DCTERMS.modified) == Literal(ontology.value(header, DCTERMS.modified), datatype=XSD.date)
    assert str(description.value(DS, DCAT.version)) == __version__
    licence = description.value(DS, DCTERMS.license)
    assert licence == URIRef("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0")
    assert description.value(licence, RDFS.seeAlso) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert {t.language for t in description.objects(DS, DCTERMS.title)} == {"en", "fr"}
    # the pages the data cites: a derivation (PROV) and DCAT-AP's related resources; DCAT-AP's dct:source is a dataset
    sources = set(ontology.subjects(RDF.type, URIRef("https://w3id.org/natograph/ontology#Source")))
    assert sources and set(description.objects(DS, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))) == sources
    assert set(description.objects(DS, DCTERMS.relation)) == sources
    assert not set(description.objects(DS, DCTERMS.source))
    # the countries as the EU's country table names them, by their ISO 3166-1 alpha-3 codes
    codes = {str(c) for c in ontology.objects(None, URIRef("https://w3id.org/natograph/ontology#iso3166Alpha3"))}
    assert {str(s).rpartition("/")[2] for s in description.objects(DS, DCTERMS.spatial)} == codes
    assert description.value(DS, VOID.sparqlEndpoint) is None, "no endpoint was given"


def test_endpoint_url_is_described_when_given(engine):
    rel = Release(folder=Path("."), version=__version__, stats=statistics(engine))
    graph = description_graph(rel, issued="2026-11-26", modified="2026-11-26",
                                      endpoint_url="https://sparql.example.org/natograph")
    assert graph.value(DS, VOID.sparqlEndpoint) == URIRef("https://sparql.example.org/natograph")
    service = graph.value(None, DCAT.servesDataset, DS)
    assert graph.value(service, DCAT.endpointURL) == URIRef("https://sparql.example.org/natograph")


@needs_a_release
def test_landing_page_carries_schema_org(built, description):
    html = (built / "index.html").read_text("utf-8")
    match = re.search(r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
    data = json.loads(match.group(1))
    assert data["@type"] == "Dataset" and data["version"] == __version__
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {n["@language"] for n in data["name"]} == {"en", "fr"}
    assert data["datePublished"] == str(description.value(DS, DCTERMS.issued))
    for dist in data["distribution"]:
        path = dist["contentUrl"][len(BASE):]
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == dist["sha256"]
    # and it is valid JSON-LD: rdflib reads the same dataset from it (schema.org's context is not fetched)
    doc = dict(data, **{"@context": {"@vocab": "http://schema.org/"}})
    graph = Graph().parse(data=json.dumps(doc), format="json-ld")
    assert (URIRef(DATASET_IRI), RDF.type, URIRef("http://schema.org/Dataset")) in graph


# ---------------------------------------------------------------------------
# Ontology documentation
# ---------------------------------------------------------------------------


@needs_a_release
def test_ontology_documentation_has_every_term_in_both_languages(built, engine):
    import html as htmllib

    page = (built / "doc" / "index.html").read_text("utf-8")
    text = htmllib.unescape(page)
    graph = Graph().parse(resources.ontology_file())
    terms = set(graph.subjects(RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)))
    assert len(terms) > 40
    for term in terms:
        if not any(t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
                   for t in graph.objects(term, RDF.type)):
            continue
        name = str(term).split("#")[1]
        assert f'id="{name}"' in page, name
        for lang in ("en", "fr"):
            label = next(str(v) for v in graph.objects(term, RDFS.label) if v.language == lang)
            definition = next(str(v) for v in graph.objects(term, URIRef("http://www.w3.org/2004/02/skos/core#definition"))
                              if v.language == lang)
            assert label in text and definition in text, (name, lang)
    svg = (built / "doc" / "classes.svg").read_text("utf-8")
    assert "<svg" in svg and "<svg" in page
    for cls in terms & set(graph.subjects(RDF.type, OWL.Class)):  # natograph's classes (foaf:Organization is declared only)
        assert f"<title>{str(cls).split('#')[1]}</title>" in svg, cls


def test_ontology_header_is_complete_for_publication(engine):
    graph = Graph().parse(resources.ontology_file())
    header = URIRef(ONTOLOGY_IRI)
    vann = "http://purl.org/vocab/vann/"
    assert str(graph.value(header, URIRef(vann + "preferredNamespacePrefix"))) == "ng"
    assert str(graph.value(header, URIRef(vann + "preferredNamespaceUri"))) == "https://w3id.org/natograph/ontology#"
    for prop in (DCTERMS.creator, DCTERMS.publisher):
        agent = graph.value(header, prop)
        assert isinstance(agent, URIRef), prop
        assert {v.language for v in graph.objects(agent, RDFS.label)} == {"en", "fr"}


# ---------------------------------------------------------------------------
# The static site, served by a plain static server
# ---------------------------------------------------------------------------


class _Handler(SimpleHTTPRequestHandler):
    """A static server with the one rule every host config of the release has (nginx ``try_files
    $uri $uri.en.html``, Apache's rewrite to ``$1.en.html``): an extensionless path is its English page."""

    def translate_path(self, path):
        local = Path(super().translate_path(path))
        if not local.is_file() and Path(str(local) + ".en.html").is_file():
            return str(local) + ".en.html"
        return str(local)

    def log_message(self, *args):
        pass


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src", "xlink:href") and value:
                self.links.append(value)


@pytest.fixture(scope="module")
def server(built):
    from functools import partial

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(built)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@needs_a_release
def test_every_iri_of_the_graph_has_its_page_and_its_rdf(built, server, engine):
    graph = engine.rdflib_graph(inferred=True)
    iris = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(BASE)}
    documents = {str(i).split("#")[0] for i in iris} - {BASE}
    assert ONTOLOGY_IRI + "/" + __version__ in documents
    assert len(documents) > 300
    for document in sorted(documents):
        path = document[len(BASE):]
        status, page = _get(server + path)
        assert status == 200 and b"<html" in page, path
        for suffix in (".en.html", ".fr.html"):
            assert _get(server + path + suffix)[0] == 200, path + suffix
        status, turtle = _get(server + path + ".ttl")
        assert status == 200, path
        described = Graph().parse(data=turtle, format="turtle")
        assert (URIRef(document), None, None) in described or (None, None, URIRef(document)) in described, path
        status, jsonld = _get(server + path + ".jsonld")
        assert status == 200 and json.loads(jsonld), path
    for iri in iris:  # hash IRIs: a section of their document's page
        if "#" in str(iri):
            document, fragment = str(iri).split("#")
            if document + "#" != BASE:
                parser = _Links()
                parser.feed((built / (document[len(BASE):] + ".en.html")).read_text("utf-8"))
                assert fragment in parser.ids, iri
    # the version IRI: the documentation is its page, the ontology as written its Turtle
    version = f"ontology/{__version__}"
    assert (built / (version + ".en.html")).read_bytes() == (built / "doc" / "index.html").read_bytes()
    assert (built / (version + ".ttl")).read_bytes() == resources.ontology_file().read_bytes()


@needs_a_release
def test_every_link_on_every_page_resolves_inside_the_site(built, server):
    pages = [*sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html")), "doc/classes.svg"]
    ids: dict[str, set] = {}
    targets: dict[str, set] = {}
    for page in pages:
        parser = _Links()
        parser.feed((built / page).read_text("utf-8"))
        ids[page] = parser.ids
        # pages are reached at their extensionless address, as the IRIs read
        here = server + (page[: -len(".en.html")] if page.endswith(".en.html") else page)
        for link in parser.links:
            if link.startswith(BASE):
                link = server + link[len(BASE):]
            url = urljoin(here, link)
            if not url.startswith(server):
                assert url.startswith(("http://", "https://", "mailto:")), (page, link)
                continue
            targets.setdefault(url, set()).add(page)
    assert len(targets) > 500
    broken = []
    fragments = {}
    for url, sources in sorted(targets.items()):
        parts = urlsplit(url)
        base = parts._replace(fragment="").geturl()
        status, body = _get(base)
        if status != 200:
            broken.append((url, sorted(sources)[0]))
            continue
        if parts.fragment:
            if base not in fragments:
                parser = _Links()
                parser.feed(body.decode("utf-8", "replace"))
                fragments[base] = parser.ids
            if unquote(parts.fragment) not in fragments[base]:
                broken.append((url, sorted(sources)[0]))
    assert broken == [], f"{len(broken)} broken links, e.g. {broken[:5]}"


@needs_a_release
def test_server_rules_negotiate_and_redirect(built):
    htaccess = (built / ".htaccess").read_text("utf-8")
    for suffix in (".ttl", ".jsonld", ".nt", ".fr.html", ".en.html"):
        assert f"RewriteRule ^(.+)$ $1{suffix} [L]" in htaccess
    assert "RewriteRule ^\\.well-known/void$ void.ttl [L]" in htaccess
    nginx = (built / "nginx.conf").read_text("utf-8")
    assert "try_files $uri$natograph_rdf $uri$natograph_page $uri $uri/ =404;" in nginx
    assert "location = /.well-known/void { rewrite ^ /void.ttl last; }" in nginx
    w3id = (built / "w3id" / ".htaccess").read_text("utf-8")
    assert "RewriteRule ^(ontology|ontology/[0-9.]+|id/.+)$ https://natograph.example.org/$1.ttl [R=303,L]" in w3id
    assert "RewriteRule ^(.*)$ https://natograph.example.org/$1 [R=302,L]" in w3id
    # every target the rules name exists in the folder
    for target in re.findall(r"natograph\.example\.org/([^\s$]+\.(?:ttl|html))", w3id):
        assert (built / target).is_file(), target


# ---------------------------------------------------------------------------
# Release notes
# ---------------------------------------------------------------------------


def test_changes_between_two_stores(engine):
    import datetime

    without = [p for p in resources.graph_files() if p.name != "operations.ttl"]
    old = open_engine(without)
    diff = changes(old, engine, today=datetime.date(2026, 11, 26))
    added = {iri for iri, _ in diff["added"]}
    assert BASE + "id/operation/ISAF" in added
    assert diff["removed"] == []
    assert "contributions" in diff["answers"]
    plus, minus = diff["answers"]["contributions"]
    assert plus and not minus
    assert "members" not in diff["answers"]
    assert diff["changed"] == [] and diff["counts"]["removed"] == 0 and diff["counts"]["added"] > 0
    back = changes(engine, old, today=datetime.date(2026, 11, 26))
    assert {iri for iri, _ in back["removed"]} == added


def test_a_changed_resource_is_listed(engine, tmp_path):
    import datetime

    files = []
    for path in resources.graph_files():
        if path.name == "members.ttl":
            copy = tmp_path / path.name
            copy.write_text(path.read_text("utf-8").replace('"France"@en', '"French Republic"@en'), "utf-8")
            path = copy
        files.append(path)
    diff = changes(engine, open_engine(files), today=datetime.date(2026, 11, 26))
    assert diff["added"] == diff["removed"] == []
    assert diff["changed"] == [(BASE + "id/country/FR", "French Republic")]
    assert "members" in diff["answers"]


@needs_a_release
def test_release_notes_against_a_previous_release(built, engine):
    version, _dump = previous_dump(built)
    assert version == __version__
    rel = Release(folder=built, version=__version__, stats=statistics(engine))
    notes = release_notes(engine, rel, previous=built, today="2026-11-26")
    assert f"## Changes since {__version__}" in notes
    assert "### Resources added (0)" in notes and "### Stored queries whose answer changed (0)" in notes


# ---------------------------------------------------------------------------
# The folder on disk: modes, a link to an earlier release
# ---------------------------------------------------------------------------


def test_the_folder_honours_the_umask(built):
    """0755 folders and 0644 files under umask 022 (the web server, another user, reads them)."""
    mask = os.umask(0)
    os.umask(mask)
    for path in [built, *built.rglob("*")]:
        expected = (0o777 if path.is_dir() else 0o666) & ~mask
        assert stat.S_IMODE(path.lstat().st_mode) == expected, f"{path}: {oct(path.lstat().st_mode)} under umask {oct(mask)}"


def test_a_link_to_an_earlier_release_keeps_the_link_and_replaces_its_target(built, tmp_path):
    releases = tmp_path / "releases"
    shutil.copytree(built, releases / "v1")
    (releases / "v1" / "stale.txt").write_text("only in the earlier release")
    os.chmod(releases / "v1", 0o700)
    link = tmp_path / "current"
    os.symlink("releases/v1", link)
    previous = os.umask(0o027)
    try:
        assert main(["release", "-o", str(link), "--site-url", "https://natograph.example.org/"]) == 0
    finally:
        os.umask(previous)
    assert link.is_symlink() and os.readlink(link) == "releases/v1", "the link was replaced"
    assert _files(releases / "v1") == _files(built) and verify(releases / "v1") == []
    assert stat.S_IMODE((releases / "v1").stat().st_mode) == 0o750, "the new folder takes the umask's mode"
    assert sorted(os.listdir(tmp_path)) == ["current", "releases"] and os.listdir(releases) == ["v1"]


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("x")
    assert main(["release", "-o", str(tmp_path / "mine")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refusing to replace" in err
    assert main(["release", "-o", str(tmp_path / "new"), "--endpoint-url", "ftp://x"]) == 2
    assert "--endpoint-url must be an absolute http(s) URL" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["release", "-o", str(tmp_path / "file")]) == 2
    assert main(["release", "-o", str(tmp_path / "new"), "--previous", str(tmp_path / "mine")]) == 2
    assert "holds no natograph release" in capsys.readouterr().err
