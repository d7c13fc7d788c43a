"""The description of a release: VoID and DCAT in one graph (DCAT-AP 3.0.1's mandatory and recommended
properties, checked against its SHACL shapes), written as canonical Turtle, and schema.org's Dataset for
the landing page; with the figures they state (``statistics``) and the dates of the ontology header."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, VOID, XSD

from ..errors import InputError
from ..graph import resources
from ..graph.currency import data_as_of
from ..graph.namespaces import BASE, NG, ONTOLOGY_IRI
from .dataset import (
    ACCESS,
    ACCESS_RIGHTS,
    AGENT_IRI,
    AVAILABILITY,
    CONCEPT_LABELS,
    COUNTRIES,
    DATA_THEMES,
    DATASET_IRI,
    DESCRIPTION,
    EU_FILE_TYPE,
    EU_LICENCE,
    EU_THEME,
    FILE_TYPES,
    KEYWORDS,
    LANGUAGE_CODES,
    LANGUAGES,
    LICENCE_TYPE,
    LICENCE_TYPES,
    LICENSE,
    PLANNED_AVAILABILITY,
    PUBLISHER_TYPE,
    PUBLISHER_TYPES,
    SCHEME_TITLES,
    TITLE,
    Distribution,
    Release,
)

SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
PROV = Namespace("http://www.w3.org/ns/prov#")


def value_of(term) -> str:
    """A term's value, or '' for an unbound one."""
    return term.value if term is not None else ""


def header_dates(engine) -> tuple[str, str]:
    """dcterms:created and dcterms:modified of the ontology header: the release's issued/modified."""
    from ..queries.running import select

    rows = select(engine, f"""
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?created ?modified WHERE {{
            <{ONTOLOGY_IRI}> dcterms:created ?created ; dcterms:modified ?modified .
        }}""", inferred=False).terms
    if len(rows) != 1:
        raise InputError("the ontology header needs exactly one dcterms:created and one dcterms:modified")
    return value_of(rows[0][0]), value_of(rows[0][1])


def statistics(engine) -> dict:
    """VoID figures of the asserted graph, computed by SPARQL on the store."""
    from ..queries.running import select

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
    stats["sources"] = [(s.value, value_of(t)) for s, t in sources]
    dates = select(engine, """
        SELECT (MIN(STR(?d)) AS ?first) (MAX(STR(?d)) AS ?last) WHERE {
            ?s ?p ?d FILTER (STRSTARTS(STR(?p), "https://w3id.org/natograph/ontology#")
                             && DATATYPE(?d) = <http://www.w3.org/2001/XMLSchema#date>)
        }""", inferred=False).terms[0]
    stats["first_date"], stats["last_date"] = value_of(dates[0]), value_of(dates[1])
    countries = select(engine, """
        PREFIX ng: <https://w3id.org/natograph/ontology#>
        SELECT DISTINCT ?code WHERE { ?c a ng:Country ; ng:iso3166Alpha3 ?code } ORDER BY ?code""", inferred=False).terms
    stats["countries"] = [code.value for (code,) in countries]  # ISO 3166-1 alpha-3 codes
    stats["data_as_of"] = data_as_of(engine)
    return stats


def description_graph(rel: Release, *, issued: str, modified: str, endpoint_url: str | None = None) -> Graph:
    """VoID and DCAT (DCAT-AP 3.0.1's mandatory and recommended properties) of the release, as rdflib."""
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dcterms", DCTERMS), ("void", VOID), ("foaf", FOAF), ("spdx", SPDX),
                       ("vcard", VCARD), ("dcatap", DCATAP), ("prov", PROV), ("owl", OWL), ("xsd", XSD), ("ng", NG)):
        g.bind(prefix, ns, override=True, replace=True)
    g.bind("skos", SKOS, override=True, replace=True)
    ds = URIRef(DATASET_IRI)
    _dataset(g, ds, rel, issued=issued, modified=modified)
    if endpoint_url:
        _endpoint(g, ds, endpoint_url)
    _void(g, ds, rel.stats)
    for dist in rel.distributions:
        _distribution(g, ds, dist, issued=issued, modified=modified)
    return g


def _concept(g: Graph, concept: str, scheme: str, *classes: URIRef) -> URIRef:
    """A concept of a controlled vocabulary: its scheme, and the classes DCAT-AP gives the range of the
    property that names it (SHACL's sh:class reads the data graph alone, not the vocabulary's)."""
    node = URIRef(concept)
    g.add((node, SKOS.inScheme, URIRef(scheme)))
    for lang, title in SCHEME_TITLES.get(scheme, {}).items():
        g.add((URIRef(scheme), RDF.type, SKOS.ConceptScheme))
        g.add((URIRef(scheme), DCTERMS.title, Literal(title, lang=lang)))
    for cls in classes:
        g.add((node, RDF.type, cls))
    for lang, label in CONCEPT_LABELS.get(concept, {}).items():
        g.add((node, SKOS.prefLabel, Literal(label, lang=lang)))
    return node


def _dataset(g: Graph, ds: URIRef, rel: Release, *, issued: str, modified: str) -> None:
    """The dataset: titles, description, keywords, licence, version, dates, publisher, contact, the
    period and places it covers, its sources."""
    stats = rel.stats
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    for lang in ("en", "fr"):
        g.add((ds, DCTERMS.title, Literal(TITLE[lang], lang=lang)))
        g.add((ds, DCTERMS.description, Literal(DESCRIPTION[lang], lang=lang)))
        for word in KEYWORDS[lang]:
            g.add((ds, DCAT.keyword, Literal(word, lang=lang)))
    for code in LANGUAGE_CODES:
        g.add((ds, DCTERMS.language, _concept(g, f"{LANGUAGES}/{code}", LANGUAGES, DCTERMS.LinguisticSystem)))
    g.add((ds, DCTERMS.license, _licence(g)))
    g.add((ds, DCTERMS.accessRights, _concept(g, ACCESS, ACCESS_RIGHTS, DCTERMS.RightsStatement)))
    g.add((ds, URIRef(str(DCAT) + "version"), Literal(rel.version)))  # DCAT 3, not in rdflib's closed namespace
    g.add((ds, OWL.versionInfo, Literal(rel.version)))
    g.add((ds, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((ds, DCTERMS.modified, Literal(modified, datatype=XSD.date)))
    if stats.get("data_as_of"):  # the day the data was last brought up to date (natograph.graph.currency)
        g.add((ds, NG.dataAsOf, Literal(stats["data_as_of"], datatype=XSD.date)))
    g.add((ds, DCAT.landingPage, URIRef(BASE)))
    g.add((URIRef(BASE), RDF.type, FOAF.Document))
    g.add((ds, DCAT.theme, _concept(g, EU_THEME, DATA_THEMES, SKOS.Concept)))
    g.add((ds, DCTERMS.conformsTo, URIRef(ONTOLOGY_IRI)))
    g.add((URIRef(ONTOLOGY_IRI), RDF.type, DCTERMS.Standard))
    g.add((ds, VOID.vocabulary, URIRef(ONTOLOGY_IRI)))
    _agents(g, ds)
    period = URIRef(DATASET_IRI + "#period")
    g.add((ds, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(stats["first_date"], datatype=XSD.date)))
    g.add((period, DCAT.endDate, Literal(stats["last_date"], datatype=XSD.date)))
    for code in stats["countries"]:
        g.add((ds, DCTERMS.spatial, _concept(g, f"{COUNTRIES}/{code}", COUNTRIES, DCTERMS.Location)))
    # The public pages the data cites. DCAT-AP 3.0.1 narrows dct:source to a dcat:Dataset, which a web
    # page is not: PROV's derivation (W3C DCAT's provenance pattern) and DCAT-AP's "related resource".
    for source, _title in stats["sources"]:
        g.add((ds, PROV.wasDerivedFrom, URIRef(source)))
        g.add((ds, DCTERMS.relation, URIRef(source)))


def _licence(g: Graph) -> URIRef:
    """CC BY 4.0 as the EU licence table names it, a dct:LicenseDocument that points to the licence's text."""
    licence = URIRef(EU_LICENCE)
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, RDFS.seeAlso, URIRef(LICENSE)))
    g.add((licence, DCTERMS.type, _concept(g, LICENCE_TYPE, LICENCE_TYPES, SKOS.Concept)))
    return licence


def _agents(g: Graph, ds: URIRef) -> None:
    """The publisher and creator (the contributors, an organisation) and the contact point."""
    agent = URIRef(AGENT_IRI)
    g.add((ds, DCTERMS.publisher, agent))
    g.add((ds, DCTERMS.creator, agent))
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, RDF.type, FOAF.Organization))
    g.add((agent, FOAF.name, Literal("The natograph contributors")))
    g.add((agent, DCTERMS.type, _concept(g, PUBLISHER_TYPE, PUBLISHER_TYPES, SKOS.Concept)))
    contact = URIRef(DATASET_IRI + "#contact")
    g.add((ds, DCAT.contactPoint, contact))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal("The natograph contributors")))
    g.add((contact, VCARD.hasURL, URIRef(BASE)))


def _endpoint(g: Graph, ds: URIRef, endpoint_url: str) -> None:
    """The public SPARQL endpoint, as a DCAT data service serving the dataset."""
    g.add((ds, VOID.sparqlEndpoint, URIRef(endpoint_url)))
    service = URIRef(DATASET_IRI + "#sparql")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("natograph SPARQL endpoint", lang="en")))
    g.add((service, DCTERMS.title, Literal("point d'accès SPARQL de natograph", lang="fr")))
    g.add((service, DCAT.endpointURL, URIRef(endpoint_url)))
    g.add((URIRef(endpoint_url), RDF.type, RDFS.Resource))  # its range in DCAT-AP's shapes (sh:class reads the data)
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((URIRef("https://www.w3.org/TR/sparql11-protocol/"), RDF.type, DCTERMS.Standard))


def _void(g: Graph, ds: URIRef, stats: dict) -> None:
    """VoID's figures: triples, entities, subjects, objects, and one partition per class and property."""
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


def _distribution(g: Graph, ds: URIRef, dist: Distribution, *, issued: str, modified: str) -> None:
    """One downloadable file: its media type, format, size, checksum, licence and dates."""
    node = URIRef(dist.node)
    g.add((ds, DCAT.distribution, node))
    if dist.path.endswith((".nt", ".nt.gz")) and not any(part in dist.path for part in ("-inferred", "-ontology", "-alignments")):
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
    g.add((node, DCTERMS.format, _concept(g, EU_FILE_TYPE + dist.file_type, FILE_TYPES, DCTERMS.MediaTypeOrExtent)))
    if dist.compress:
        compress = URIRef("https://www.iana.org/assignments/media-types/" + dist.compress)
        g.add((node, DCAT.compressFormat, compress))
        g.add((compress, RDF.type, DCTERMS.MediaType))
    g.add((node, DCAT.byteSize, Literal(dist.size, datatype=XSD.nonNegativeInteger)))
    checksum = URIRef(dist.node + "-sha256")
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((SPDX.checksumAlgorithm_sha256, RDF.type, SPDX.ChecksumAlgorithm))
    g.add((checksum, SPDX.checksumValue, Literal(dist.sha256, datatype=XSD.hexBinary)))
    g.add((node, DCTERMS.license, _licence(g)))
    g.add((node, DCATAP.availability, _concept(g, AVAILABILITY, PLANNED_AVAILABILITY, SKOS.Concept)))
    g.add((node, DCTERMS.issued, Literal(issued, datatype=XSD.date)))
    g.add((node, DCTERMS.modified, Literal(modified, datatype=XSD.date)))


def description_turtle(graph) -> bytes:
    """The description in Turtle with canonical blank-node labels (rdflib's Turtle writer sorts)."""
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
