"""``natograph release``: a folder ready to publish, the same bytes every time it is built.

Layout of the folder (``VERSION`` is natograph's version, from ``natograph/_version.py``)::

    index.html                   landing page, EN and FR, schema.org Dataset as JSON-LD inside
    void.ttl                     VoID and DCAT (one description, both vocabularies)
    RELEASE-NOTES.md             what changed since the previous release (``--previous``), from the data
    SHA256SUMS                   every other file, ``sha256sum -c`` format
    dumps/natograph-VERSION.{ttl,nt,nt.gz,jsonld,rdf}           the asserted graph
    dumps/natograph-VERSION-inferred.{ttl,nt,nt.gz,jsonld,rdf}  the graph with its OWL RL closure
    dumps/natograph-VERSION-{queries,shapes}.zip                 the stored queries, the SHACL shapes
    queries/*.rq, shapes/*.shapes.ttl                            the same files, to read in a browser
    ontology/index.html          the ontology's documentation (every term, EN and FR, a class diagram)
    ontology/classes.svg         the class diagram (Graphviz ``dot``)
    ontology/natograph.{ttl,jsonld,rdf}
    id/<kind>/<name>.{html,ttl,jsonld}  one page per resource, from the renderer ``natograph serve`` uses
    .htaccess, nginx.conf        content negotiation (Apache mod_rewrite; nginx)
    w3id/.htaccess               the redirect rules for https://w3id.org/natograph/ (with ``--site-url``)

Nothing in the folder depends on the clock: dates come from the ontology header
(``dcterms:created``, ``dcterms:modified``), gzip and zip members carry fixed times, every list is
sorted, and blank nodes get canonical labels.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .graph import resources
from .graph.namespaces import BASE, ONTOLOGY_IRI
from .pages.templating import release_environment

DATASET_IRI = BASE + "dataset"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
AGENT_IRI = BASE + "contributors"
MARKER = "natograph-release"
"""Written in index.html: a folder holding it is a release natograph may replace."""

TITLE = {
    "en": "natograph: NATO's partnerships as a knowledge graph",
    "fr": "natograph : les partenariats de l'OTAN en graphe de connaissances",
}
DESCRIPTION = {
    "en": "An open, bilingual (English/French) knowledge graph of NATO's partnerships: members, partner countries "
    "and organisations, partnership frameworks, initiatives, programmes, councils, summits and operations, "
    "with every participation dated and every fact sourced. OWL 2 ontology, SHACL shapes and stored SPARQL queries.",
    "fr": "Graphe de connaissances ouvert et bilingue (anglais/français) des partenariats de l'OTAN : membres, pays "
    "et organisations partenaires, cadres de partenariat, initiatives, programmes, conseils, sommets et opérations, "
    "chaque participation étant datée et chaque fait sourcé. Ontologie OWL 2, formes SHACL et requêtes SPARQL.",
}
KEYWORDS = {
    "en": ("NATO", "partnerships", "Partnership for Peace", "Mediterranean Dialogue", "Istanbul Cooperation Initiative"),
    "fr": ("OTAN", "partenariats", "Partenariat pour la paix", "Dialogue méditerranéen", "Initiative de coopération d'Istanbul"),
}
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/INTR"  # International issues
AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"


@dataclass(frozen=True)
class Format:
    suffix: str
    fmt: str  # natograph.exporting.serialize's name
    media_type: str
    file_type: str  # the EU file-type authority's code
    label: str


DUMP_FORMATS = (
    Format(".ttl", "turtle", "text/turtle", "RDF_TURTLE", "Turtle"),
    Format(".nt", "ntriples", "application/n-triples", "RDF_N_TRIPLES", "N-Triples"),
    Format(".jsonld", "jsonld", "application/ld+json", "JSON_LD", "JSON-LD"),
    Format(".rdf", "xml", "application/rdf+xml", "RDF_XML", "RDF/XML"),
)


@dataclass(frozen=True)
class Distribution:
    """One downloadable file of the release, as the description lists it."""

    path: str  # relative to the release folder, with /
    media_type: str
    file_type: str
    title_en: str
    title_fr: str
    size: int
    sha256: str
    compress: str | None = None  # media type of the compression (application/gzip)

    @property
    def iri(self) -> str:
        return BASE + self.path

    @property
    def node(self) -> str:
        return DATASET_IRI + "#" + self.path.replace("/", "-")


@dataclass
class Release:
    """What ``release`` built: the folder and the figures its description states."""

    folder: Path
    version: str
    files: list[str] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)
    stats: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Building blocks
# ---------------------------------------------------------------------------


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no file name and a fixed mtime, so the bytes depend on *data* only."""
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as handle:
        handle.write(data)
    return out.getvalue()


def zip_bytes(members: list[tuple[str, bytes]]) -> bytes:
    """A zip of *members* in name order, every entry dated 1980-01-01 (zip's epoch), mode 0644."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    return out.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _lit(term) -> str:
    return term.value if term is not None else ""


def header_dates(engine) -> tuple[str, str]:
    """dcterms:created and dcterms:modified of the ontology header: the release's issued/modified."""
    from .queries.running import select

    rows = select(engine, f"""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?created ?modified WHERE {{
            <{ONTOLOGY_IRI}> dcterms:created ?created ; dcterms:modified ?modified .
        }}""", inferred=False).terms
    if len(rows) != 1:
        raise InputError("the ontology header needs exactly one dcterms:created and one dcterms:modified")
    return _lit(rows[0][0]), _lit(rows[0][1])


def statistics(engine) -> dict:
    """VoID figures of the asserted graph, computed by SPARQL on the store."""
    from .queries.running import select

    def one(text: str) -> int:
        return int(select(engine, text, inferred=False).terms[0][0].value)

    stats = {
        "triples": one("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        "inferred_triples": int(select(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").terms[0][0].value),
        "entities": one(f"""SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{
            ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}id/")) }}"""),
        "subjects": one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        "objects": one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"),
    }
    classes = select(engine, """
        SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER isIRI(?class) }
        GROUP BY ?class ORDER BY ?class""", inferred=False).terms
    stats["classes"] = [(c.value, int(n.value)) for c, n in classes]
    properties = select(engine, """
        SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p""", inferred=False).terms
    stats["properties"] = [(p.value, int(n.value)) for p, n in properties]
    sources = select(engine, """
        PREFIX ng: <https://w3id.org/natograph/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?source (SAMPLE(?t) AS ?title) WHERE {
            ?source a ng:Source . OPTIONAL { ?source dcterms:title ?t }
        } GROUP BY ?source ORDER BY ?source""", inferred=False).terms
    stats["sources"] = [(s.value, _lit(t)) for s, t in sources]
    dates = select(engine, """
        SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) WHERE {
            ?s ?p ?d FILTER (STRSTARTS(STR(?p), "https://w3id.org/natograph/ontology#")
                             && DATATYPE(?d) = <http://www.w3.org/2001/XMLSchema#date>)
        }""", inferred=False).terms[0]
    stats["first_date"], stats["last_date"] = _lit(dates[0]), _lit(dates[1])
    countries = select(engine, """
        PREFIX ng: <https://w3id.org/natograph/ontology#>
        SELECT ?c WHERE { ?c a ng:Country } ORDER BY ?c""", inferred=False).terms
    stats["countries"] = [c.value for (c,) in countries]
    return stats


# ---------------------------------------------------------------------------
# The description: VoID + DCAT (one graph), and schema.org for the landing page
# ---------------------------------------------------------------------------


def description_graph(rel: Release, *, issued: str, modified: str, endpoint_url: str | None = None):
    """VoID and DCAT (DCAT-AP 3.0.1's mandatory and recommended properties) of the release, as rdflib."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, VOID, XSD

    SPDX = Namespace("http://spdx.org/rdf/terms#")
    VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
    DCATAP = Namespace("http://data.europa.eu/r5r/")
    PROV = Namespace("http://www.w3.org/ns/prov#")

    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dcterms", DCTERMS), ("void", VOID), ("foaf", FOAF), ("spdx", SPDX),
                       ("vcard", VCARD), ("dcatap", DCATAP), ("prov", PROV), ("owl", OWL), ("xsd", XSD)):
        g.bind(prefix, ns, override=True, replace=True)
    ds = URIRef(DATASET_IRI)
    stats = rel.stats
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    for lang in ("en", "fr"):
        g.add((ds, DCTERMS.title, Literal(TITLE[lang], lang=lang)))
        g.add((ds, DCTERMS.description, Literal(DESCRIPTION[lang], lang=lang)))
        for word in KEYWORDS[lang]:
            g.add((ds, DCAT.keyword, Literal(word, lang=lang)))
    g.add((ds, DCTERMS.language, URIRef("http://publications.europa.eu/resource/authority/language/ENG")))
    g.add((ds, DCTERMS.language, URIRef("http://publications.europa.eu/resource/authority/language/FRA")))
    g.add((ds, DCTERMS.license, URIRef(LICENSE)))
    g.add((ds, URIRef(str(DCAT) + "version"), Literal(rel.version)))  # DCAT 3, not in rdflib's closed namespace
    g.add((ds, OWL.versionInfo, Literal(rel.version)))
    g.add((ds, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((ds, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    g.add((ds, DCAT.landingPage, URIRef(BASE)))
    g.add((ds, DCAT.theme, URIRef(EU_THEME)))
    g.add((ds, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    g.add((ds, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    agent = URIRef(AGENT_IRI)
    g.add((ds, DCTERMS.publisher, agent))
    g.add((ds, DCTERMS.creator, agent))
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, FOAF.name, Literal("The natograph contributors")))
    g.add((agent, DCTERMS.type, URIRef("http://purl.org/adms/publishertype/NonProfitOrganisation")))
    contact = URIRef(DATASET_IRI + "#contact")
    g.add((ds, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("The natograph contributors")))
    g.add((contact, VCARD.hasURL, URIRef(BASE)))
    period = URIRef(DATASET_IRI + "#period")
    g.add((ds, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(stats["first_date"], datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(stats["last_date"], datatype=XSD.date)))
    for country in stats["countries"]:
        g.add((ds, DCTERMS.spatial, URIRef(country)))
        g.add((URIRef(country), RDF.type, DCTERMS.Location))
    for source, _title in stats["sources"]:
        g.add((ds, DCTERMS.source, URIRef(source)))
        g.add((ds, PROV.wasDerivedFrom, URIRef(source)))
    if endpoint_url:
        g.add((ds, VOID.sparqlEndpoint, URIRef(endpoint_url)))
        service = URIRef(DATASET_IRI + "#sparql")
        g.add((service, RDF.type, DCAT.DataService))
        g.add((service, DCTERMS.title, Literal("natograph SPARQL endpoint", lang="en")))
        g.add((service, DCTERMS.title, Literal("point d'accès SPARQL de natograph", lang="fr")))
        g.add((service, DCAT.endpointURL, URIRef(endpoint_url)))
        g.add((service, DCAT.servesDataset, ds))
        g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((ds, VOID.uriSpace, Literal(BASE + "id/")))
    g.add((ds, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(stats["entities"], datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(stats["subjects"], datatype=XSD.integer)))
    g.add((ds, VOID.distinctObjects, Literal(stats["objects"], datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(len(stats["properties"]), datatype=XSD.integer)))
    g.add((ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/Turtle")))
    g.add((ds, VOID.feature, URIRef("http://www.w3.org/ns/formats/N-Triples")))
    for cls, count in stats["classes"]:
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for prop, count in stats["properties"]:
        part = BNode()
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop)))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    for dist in rel.distributions:
        node = URIRef(dist.node)
        g.add((ds, DCAT.distribution, node))
        if dist.path.endswith((".nt", ".nt.gz")) and "-inferred" not in dist.path and "-ontology" not in dist.path:
            g.add((ds, VOID.dataDump, URIRef(dist.iri)))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(dist.title_en, lang="en")))
        g.add((node, DCTERMS.title, Literal(dist.title_fr, lang="fr")))
        g.add((node, DCTERMS.description, Literal(dist.title_en, lang="en")))
        g.add((node, DCTERMS.description, Literal(dist.title_fr, lang="fr")))
        g.add((node, DCAT.accessURL, URIRef(dist.iri)))
        g.add((node, DCAT.downloadURL, URIRef(dist.iri)))
        media = URIRef("https://www.iana.org/assignments/media-types/" + dist.media_type)
        g.add((node, DCAT.mediaType, media))
        g.add((media, RDF.type, DCTERMS.MediaType))
        g.add((node, DCTERMS.format, URIRef(EU_FILE_TYPE + dist.file_type)))
        if dist.compress:
            compress = URIRef("https://www.iana.org/assignments/media-types/" + dist.compress)
            g.add((node, DCAT.compressFormat, compress))
            g.add((compress, RDF.type, DCTERMS.MediaType))
        g.add((node, DCAT.byteSize, Literal(dist.size, datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(dist.node + "-sha256")
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dist.sha256, datatype=XSD.hexBinary)))
        g.add((node, DCTERMS.license, URIRef(LICENSE)))
        g.add((node, DCATAP.availability, URIRef(AVAILABILITY)))
        g.add((node, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
        g.add((node, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    return g


def description_turtle(graph) -> bytes:
    """The description in Turtle with canonical blank-node labels (rdflib's Turtle writer sorts)."""
    from rdflib import Graph
    from rdflib.compare import to_canonical_graph

    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=True, replace=True)
    for triple in to_canonical_graph(graph):
        out.add(triple)
    return out.serialize(format="turtle", encoding="utf-8")


def check_description(graph) -> list[str]:
    """The DCAT-AP shapes' results on *graph* (a description), one line each; empty when it conforms
    with no warning either."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    shapes = Graph().parse(resources.release_shapes_file(), format="turtle")
    _conforms, report, _text = pyshacl.validate(graph, shacl_graph=shapes, advanced=True, allow_warnings=False)
    lines = []
    for result in report.subjects(SH.resultSeverity, None):
        shape = report.value(result, SH.sourceShape)
        lines.append(f"{report.value(result, SH.focusNode)}: {report.value(result, SH.resultMessage)} "
                     f"[{shape if shape is not None else '?'}]")
    return sorted(lines)


def schema_org(rel: Release, *, issued: str, modified: str, endpoint_url: str | None = None) -> dict:
    """schema.org Dataset (Google Dataset Search reads it from the landing page)."""
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": DATASET_IRI,
        "url": BASE,
        "name": [{"@language": lang, "@value": TITLE[lang]} for lang in ("en", "fr")],
        "description": [{"@language": lang, "@value": DESCRIPTION[lang]} for lang in ("en", "fr")],
        "keywords": [*KEYWORDS["en"], *KEYWORDS["fr"]],
        "inLanguage": ["en", "fr"],
        "license": LICENSE,
        "version": rel.version,
        "datePublished": issued,
        "dateModified": modified,
        "temporalCoverage": f"{rel.stats['first_date']}/{rel.stats['last_date']}",
        "creator": {"@type": "Organization", "@id": AGENT_IRI, "name": "The natograph contributors"},
        "publisher": {"@type": "Organization", "@id": AGENT_IRI, "name": "The natograph contributors"},
        "isBasedOn": [source for source, _ in rel.stats["sources"]],
        "variableMeasured": "NATO partnerships: participations, their dates and sources",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": dist.title_en,
                "contentUrl": dist.iri,
                "encodingFormat": dist.media_type,
                "contentSize": f"{dist.size} B",
                "sha256": dist.sha256,
            }
            for dist in rel.distributions
        ],
    }
    if endpoint_url:
        data["potentialAction"] = {"@type": "SearchAction", "target": endpoint_url + "?query={query}",
                                   "query-input": "required name=query"}
        data["distribution"].append({"@type": "DataDownload", "name": "SPARQL endpoint", "contentUrl": endpoint_url,
                                     "encodingFormat": "application/sparql-results+json"})
    return data


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------


def human_size(size: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if size < 1024 or unit == "MiB":
            return f"{size} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


# ---------------------------------------------------------------------------
# The release
# ---------------------------------------------------------------------------


class _Folder:
    """Collects the files of the release in memory-order-free form: path -> bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes) -> bytes:
        if path in self.files:
            raise AssertionError(f"{path} written twice")
        self.files[path] = data
        return data


def _check_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise InputError("is a file, not a folder", path=str(output))
    if output.is_dir() and any(output.iterdir()):
        index = output / "index.html"
        if not (output / "SHA256SUMS").is_file() or not index.is_file() or MARKER not in index.read_text("utf-8", "replace"):
            raise InputError("folder is not empty and holds no natograph release: refusing to replace it", path=str(output))


def release(output: str | Path, *, endpoint_url: str | None = None, site_url: str | None = None,
            previous: str | Path | None = None, engine=None) -> Release:
    """Build the release folder *output* (replacing an earlier release there, never anything else)."""
    from . import __version__
    from .graph.serializing import serialize
    from .graph.store.opening import open_engine

    output = Path(output)
    _check_output(output)
    for url, what in ((endpoint_url, "--endpoint-url"), (site_url, "--site-url")):
        if url is not None and not url.startswith(("https://", "http://")):
            raise InputError(f"{what} must be an http(s) URL, not {url!r}")
    if previous is not None:
        previous_dump(previous)  # refuse a wrong folder before building anything
    engine = engine or open_engine()
    rel = Release(folder=output, version=__version__)
    issued, modified = header_dates(engine)
    rel.stats = statistics(engine)
    folder = _Folder()
    version = rel.version

    # 1. dumps
    graphs = {False: engine.rdflib_graph(inferred=False), True: engine.rdflib_graph(inferred=True)}
    for inferred, graph in graphs.items():
        stem = f"dumps/natograph-{version}" + ("-inferred" if inferred else "")
        what_en = "the graph with its OWL RL closure" if inferred else "the asserted graph"
        what_fr = "le graphe avec sa clôture OWL RL" if inferred else "le graphe tel qu'écrit"
        for fmt in DUMP_FORMATS:
            data = folder.add(stem + fmt.suffix, serialize(graph, fmt.fmt))
            rel.distributions.append(Distribution(stem + fmt.suffix, fmt.media_type, fmt.file_type,
                                                  f"natograph {version}, {what_en}, {fmt.label}",
                                                  f"natograph {version}, {what_fr}, {fmt.label}",
                                                  len(data), sha256(data)))
            if fmt.fmt == "ntriples":
                packed = folder.add(stem + fmt.suffix + ".gz", gzip_bytes(data))
                rel.distributions.append(Distribution(stem + fmt.suffix + ".gz", fmt.media_type, fmt.file_type,
                                                      f"natograph {version}, {what_en}, N-Triples, gzipped",
                                                      f"natograph {version}, {what_fr}, N-Triples, compressé (gzip)",
                                                      len(packed), sha256(packed), compress="application/gzip"))
    # stored queries and shapes: the files as written, and one zip of each
    queries = [(f"queries/{p.name}", p.read_bytes()) for p in resources.query_files()]
    shapes = [(f"shapes/{p.name}", p.read_bytes()) for p in resources.shapes_files()]
    for members, name, en, fr in ((queries, "queries", "stored SPARQL queries", "requêtes SPARQL enregistrées"),
                                  (shapes, "shapes", "SHACL shapes", "formes SHACL")):
        for path, data in members:
            folder.add(path, data)
        packed = folder.add(f"dumps/natograph-{version}-{name}.zip", zip_bytes(members))
        rel.distributions.append(Distribution(f"dumps/natograph-{version}-{name}.zip", "application/zip", "ZIP",
                                              f"natograph {version}, {en}", f"natograph {version}, {fr}",
                                              len(packed), sha256(packed)))

    # 3. the ontology, and its documentation
    from .ontodoc import ontology_dumps, ontology_files, version_dumps

    ontology = ontology_dumps()
    for fmt in DUMP_FORMATS:
        data = ontology.get(fmt.suffix)
        if data is None:
            continue
        path = f"dumps/natograph-{version}-ontology{fmt.suffix}"
        folder.add(path, data)
        rel.distributions.append(Distribution(path, fmt.media_type, fmt.file_type,
                                              f"natograph {version}, the ontology, {fmt.label}",
                                              f"natograph {version}, l'ontologie, {fmt.label}", len(data), sha256(data)))
    for path, data in ontology_files(version=version).items():
        folder.add(path, data)

    # 2. description and landing page
    description = description_graph(rel, issued=issued, modified=modified, endpoint_url=endpoint_url)
    problems = check_description(description)
    if problems:
        raise InputError(f"the release description fails the DCAT-AP shapes: {problems[0]}"
                         + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    folder.add("void.ttl", description_turtle(description))
    schema = schema_org(rel, issued=issued, modified=modified, endpoint_url=endpoint_url)
    notes = release_notes(engine, rel, previous=previous, today=modified)
    folder.add("RELEASE-NOTES.md", notes.encode("utf-8"))
    env = release_environment()
    page = env.get_template("release/index.html").render(
        rel=rel, title=TITLE, description=DESCRIPTION, issued=issued, modified=modified, license=LICENSE,
        endpoint_url=endpoint_url, marker=MARKER, human_size=human_size, base=BASE,
        schema_json=json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True).replace("</", "<\\/"),
    )
    folder.add("index.html", page.encode("utf-8"))

    # 4. the linked-data site and its server configuration
    from .site import conneg_files, site_files, version_files

    for path, data in site_files(engine).items():
        folder.add(path, data)
    for path, data in version_files(engine, doc=folder.files["doc/index.html"], ontologies=version_dumps()).items():
        folder.add(path, data)
    for path, data in conneg_files(version=version, site_url=site_url).items():
        folder.add(path, data)

    # SHA256SUMS over every other file, then write the folder
    sums = "".join(f"{sha256(folder.files[path])}  {path}\n" for path in sorted(folder.files))
    folder.add("SHA256SUMS", sums.encode("utf-8"))
    rel.files = sorted(folder.files)
    _write_folder(output, folder.files)
    return rel


def _write_folder(output: Path, files: dict[str, bytes]) -> None:
    """Write *files* into a fresh folder beside *output*, then swap it in (a reader never sees half a release)."""
    parent = output.resolve().parent
    if not parent.is_dir():
        raise InputError("folder does not exist", path=str(parent))
    try:
        tmp = Path(tempfile.mkdtemp(dir=parent, prefix=f".{output.name}.", suffix=".tmp"))
    except OSError as exc:
        raise InputError(f"cannot write here ({exc.strerror})", path=str(parent)) from None
    try:
        for path, data in files.items():
            target = tmp / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        if output.exists():
            old = Path(tempfile.mkdtemp(dir=parent, prefix=f".{output.name}.", suffix=".old"))
            old.rmdir()
            output.rename(old)
            tmp.rename(output)
            shutil.rmtree(old)
        else:
            tmp.rename(output)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise InputError(f"cannot write the release ({exc.strerror})", path=str(output)) from None


def verify(folder: str | Path) -> list[str]:
    """Check SHA256SUMS against the files of *folder*; returns the problems (empty when it matches)."""
    folder = Path(folder)
    problems = []
    listed = set()
    for line in (folder / "SHA256SUMS").read_text("utf-8").splitlines():
        digest, _, path = line.partition("  ")
        listed.add(path)
        target = folder / path
        if not target.is_file():
            problems.append(f"{path}: missing")
        elif sha256(target.read_bytes()) != digest:
            problems.append(f"{path}: checksum differs")
    for target in sorted(p for p in folder.rglob("*") if p.is_file()):
        path = target.relative_to(folder).as_posix()
        if path != "SHA256SUMS" and path not in listed:
            problems.append(f"{path}: not listed")
    return problems


# ---------------------------------------------------------------------------
# Release notes
# ---------------------------------------------------------------------------


def _resources(engine) -> dict[str, str]:
    """IRI -> English label of every typed resource under .../id/ in the asserted graph."""
    from .queries.running import select

    rows = select(engine, f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{
            ?s a ?type FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}id/"))
            OPTIONAL {{ ?s rdfs:label ?l FILTER (LANGMATCHES(LANG(?l), "en")) }}
        }} GROUP BY ?s""", inferred=False).terms
    return {s.value: _lit(label) for s, label in rows}


def previous_dump(folder: str | Path) -> tuple[str, Path]:
    """The version and the asserted Turtle dump of the release in *folder*."""
    folder = Path(folder)
    dumps = sorted(p for p in (folder / "dumps").glob("natograph-*.ttl")
                   if not p.name.endswith(("-inferred.ttl", "-ontology.ttl")))
    if len(dumps) != 1:
        raise InputError("holds no natograph release (expected one dumps/natograph-VERSION.ttl)", path=str(folder))
    return dumps[0].name[len("natograph-"):-len(".ttl")], dumps[0]


def changes(old_engine, new_engine, *, today) -> dict:
    """Resources added, removed and changed, and the stored queries whose answer changed, between two
    stores: the triple-level comparison is ``natograph diff``'s (natograph.checks.diff.diff_engines); the
    added and removed resources are the typed IRIs under ``id/`` of either side."""
    from .checks.diff import diff_engines

    result = diff_engines(old_engine, new_engine, today=today)
    old, new = _resources(old_engine), _resources(new_engine)
    added, removed = set(new) - set(old), set(old) - set(new)
    return {
        "added": sorted((iri, new[iri]) for iri in added),
        "removed": sorted((iri, old[iri]) for iri in removed),
        "changed": sorted((c.subject, c.label or "") for c in result.resources
                          if c.subject.startswith(BASE + "id/") and c.subject not in added | removed
                          and (c.added or c.removed)),
        "answers": {q.name: (list(q.added), list(q.removed)) for q in result.queries},
        "counts": dict(result.counts),
    }


def release_notes(engine, rel: Release, *, previous: str | Path | None, today: str) -> str:
    import datetime as _dt

    from .graph.store.opening import open_engine

    day = _dt.date.fromisoformat(today)
    stats = rel.stats
    lines = [f"# natograph {rel.version}", "",
             f"Released {today}. {stats['triples']} asserted triples ({stats['inferred_triples']} with the OWL RL "
             f"closure), {stats['entities']} resources, {len(stats['sources'])} cited sources.", ""]
    if previous is None:
        lines += ["No previous release was given (`--previous DIR`): nothing to compare with.", ""]
        return "\n".join(lines)
    old_version, dump = previous_dump(previous)
    diff = changes(open_engine([dump]), engine, today=day)
    lines += [f"## Changes since {old_version}", "",
              "Computed from the data with `natograph diff`'s comparison: resources (typed IRIs under `id/`) of "
              f"the asserted graphs, and the answers of the stored queries run with their default parameters as of {today}.", ""]
    c = diff["counts"]
    lines += [f"{c['added']} triples added and {c['removed']} removed as written; {c['inferredAdded']} inferred "
              f"triples appear and {c['inferredRemoved']} disappear (`natograph diff` gives every triple).", ""]
    for key, title in (("added", "Resources added"), ("removed", "Resources removed"),
                       ("changed", "Resources whose description changed")):
        lines.append(f"### {title} ({len(diff[key])})")
        lines.append("")
        lines += [f"- <{iri}>" + (f" {label}" if label else "") for iri, label in diff[key]] or ["None."]
        lines.append("")
    lines.append(f"### Stored queries whose answer changed ({len(diff['answers'])})")
    lines.append("")
    if not diff["answers"]:
        lines += ["None.", ""]
    for name, (plus, minus) in diff["answers"].items():
        lines.append(f"- `{name}`: {len(plus)} rows added, {len(minus)} removed")
        lines += ["    - + " + " | ".join(row) for row in plus]
        lines += ["    - − " + " | ".join(row) for row in minus]
    lines.append("")
    return "\n".join(lines)
