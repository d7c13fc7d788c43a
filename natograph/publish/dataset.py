"""What the release says the dataset is: its IRIs, licence, titles, description and keywords in both
languages, and the distributions (``Distribution``, in the ``DUMP_FORMATS``) a ``Release`` lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..graph.namespaces import BASE

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

# The controlled vocabularies DCAT-AP 3.0.1 names (its section "Controlled vocabularies to be used"):
# the EU Publications Office's authority tables, each a skos:ConceptScheme whose concepts are
# SCHEME + "/" + code. The description names each concept it uses with its scheme (skos:inScheme),
# which is what SEMIC's vocabulary shapes (mdr-vocabularies.shape.ttl) check.
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
FILE_TYPES = EU_AUTHORITY + "file-type"  # dct:format: RDF_TURTLE, RDF_N_TRIPLES, JSON_LD, RDF_XML, ZIP
LANGUAGES = EU_AUTHORITY + "language"  # dct:language: ENG, FRA
LICENCES = EU_AUTHORITY + "licence"  # dct:license
ACCESS_RIGHTS = EU_AUTHORITY + "access-right"  # dct:accessRights: PUBLIC, RESTRICTED, NON_PUBLIC
DATA_THEMES = EU_AUTHORITY + "data-theme"  # dcat:theme
COUNTRIES = EU_AUTHORITY + "country"  # dct:spatial: the ISO 3166-1 alpha-3 code of each country
PLANNED_AVAILABILITY = EU_AUTHORITY + "planned-availability"  # dcatap:availability (DCAT-AP 2.0's
# http://data.europa.eu/r5r/availability/ list is the one 3.0.1 replaced by this table)
PUBLISHER_TYPES = "http://purl.org/adms/publishertype/1.0"  # dct:type of an agent (ADMS)
LICENCE_TYPES = "http://purl.org/adms/licencetype/1.0"  # dct:type of a licence (ADMS)
EU_FILE_TYPE = FILE_TYPES + "/"
EU_THEME = DATA_THEMES + "/INTR"  # International issues
EU_LICENCE = LICENCES + "/CC_BY_4_0"  # the EU table's name for LICENSE
AVAILABILITY = PLANNED_AVAILABILITY + "/STABLE"
ACCESS = ACCESS_RIGHTS + "/PUBLIC"
LANGUAGE_CODES = ("ENG", "FRA")
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/NonProfitOrganisation"
LICENCE_TYPE = "http://purl.org/adms/licencetype/Attribution"  # CC BY: reuse with attribution
CONCEPT_LABELS = {
    # DCAT-AP gives a skos:Concept a skos:prefLabel (mandatory): each as its vocabulary gives it.
    EU_THEME: {"en": "International issues", "fr": "Questions internationales"},
    # DCAT-AP 2.1.1's own availability list (releases/2.1.1/dcat-ap_2.1.1.rdf) labels its "stable",
    # deprecated for this concept (its rdfs:seeAlso), so
    AVAILABILITY: {"en": "stable"},
    # ADMS's publisher and licence types (SEMICeu/ADMS-AP, purl.org/ADMS_SKOS_v1.00.rdf)
    PUBLISHER_TYPE: {"en": "Non-Profit Organisation"},
    LICENCE_TYPE: {"en": "Attribution"},
}
SCHEME_TITLES = {
    # SEMIC's vocabulary shapes want the scheme of a publisher type to be a skos:ConceptScheme, and
    # DCAT-AP gives a concept scheme a dct:title: ADMS's label of the scheme (the file above).
    PUBLISHER_TYPES: {"en": "Publisher Type"},
}


@dataclass(frozen=True)
class Format:
    suffix: str
    fmt: str  # natograph.graph.serializing.serialize's name
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
