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
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/INTR"  # International issues
AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"


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
