"""Content negotiation: the media types natograph serves, and the one the Accept header prefers."""

from __future__ import annotations

import pyoxigraph as ox

RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
SHORT_NAMES = {
    "json": ("application/sparql-results+json", "application/ld+json", "application/json"),
    "xml": ("application/sparql-results+xml", "application/rdf+xml", "application/xml"),
    "csv": ("text/csv",),
    "tsv": ("text/tab-separated-values",),
    "turtle": ("text/turtle",),
    "ttl": ("text/turtle",),
    "ntriples": ("application/n-triples",),
    "nt": ("application/n-triples",),
    "jsonld": ("application/ld+json",),
    "html": ("text/html",),
}


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, position) of an Accept header, ignoring malformed parts."""
    ranges = []
    for position, part in enumerate((header or "*/*").split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, position))
    return ranges


def _match(media_range: str, offer: str) -> int:
    """How specifically *media_range* matches *offer*: 2 exact, 1 type/*, 0 */*, -1 no match."""
    if media_range == offer:
        return 2
    kind, _, sub = media_range.partition("/")
    if sub == "*" and offer.split("/")[0] == kind:
        return 1
    if media_range == "*/*":
        return 0
    return -1


def negotiate(accept: str | None, offers, fmt: str | None = None) -> str | None:
    """The offer (offers in server preference order) the client prefers, or None when none is
    acceptable. *fmt*, a ``format=`` shortcut (json, csv, turtle…), overrides the Accept header."""
    offers = list(offers)
    if fmt:
        wanted = SHORT_NAMES.get(fmt.lower(), (fmt.lower(),))
        return next((o for w in wanted for o in offers if o == w), None)
    ranges = parse_accept(accept)
    best: tuple[float, int, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        # The q of the most specific range that matches this offer decides (RFC 9110, 12.5.1).
        matches = [(_match(r, offer), q, pos) for r, q, pos in ranges if _match(r, offer) >= 0]
        if not matches:
            continue
        specificity, q, pos = max(matches, key=lambda m: (m[0], -m[2]))
        if q <= 0:
            continue
        key = (q, specificity, -pos, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen
