"""The answers the server computes itself, in its own process, from the store it holds: a resource's
page or its RDF (content negotiation, the suffixes), the home page, VoID and the service description.
Each is a ``jobs.Answer``, so the server can keep it (``caching``) like a worker's."""

from __future__ import annotations

import pyoxigraph as ox

from ..pages import render
from .describe import PREFIXES, service_triples, void_triples
from .jobs import Answer, error
from .negotiation import negotiate

RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "ntriples",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
}
_SUFFIXES = {".json": "application/json", ".ttl": "text/turtle", ".nt": "application/n-triples", ".jsonld": "application/ld+json",
             ".rdf": "application/rdf+xml", ".html": "text/html", ".en.html": "text/html", ".fr.html": "text/html"}
_HTML = "text/html; charset=utf-8"


def rdf_answer(triples, accept: str | None, fmt: str | None, prefixes: dict[str, str]) -> Answer:
    media = negotiate(accept, ["text/turtle", *RDF_TYPES], fmt)
    if media is None or media not in RDF_TYPES:
        return error(406, "available: " + ", ".join(RDF_TYPES))
    body = ox.serialize(triples, format=render.FORMATS[RDF_TYPES[media]], prefixes=prefixes)
    return Answer(200, media, body)


def void(engine, endpoint: str, accept: str | None, fmt: str | None) -> Answer:
    return rdf_answer(void_triples(engine, endpoint), accept, fmt, PREFIXES)


def service_description(engine, endpoint: str, accept: str | None, fmt: str | None) -> Answer:
    return rdf_answer(service_triples(engine, endpoint), accept, fmt, PREFIXES)


def resource(engine, path: str, accept: str | None, fmt: str | None, lang: str | None) -> Answer:
    """The page, the RDF or the story as data (``.json``, ``Accept: application/json``) of the
    resource at *path* (``id/country/FR``, ``ontology.ttl``...); an unknown one is a 404, a page in
    the visitor's language to a browser."""
    from . import views

    iri = render.BASE + path
    media, lang = None, lang or "en"
    if not render.describe_exists(engine, iri):
        for suffix, suffix_media in sorted(_SUFFIXES.items(), key=lambda item: -len(item[0])):
            if path.endswith(suffix):
                iri = render.BASE + path[: -len(suffix)]
                media = suffix_media
                if suffix in (".en.html", ".fr.html"):
                    lang = suffix[1:3]
                break
        else:
            return views.error_answer(accept, "/" + path, lang, 404, f"no resource {render.BASE + path}")
    if media is None:
        media = negotiate(accept, ["text/html", *RDF_TYPES, "application/json"], fmt)
    if media is None:
        return error(406, "available: text/html, " + ", ".join(RDF_TYPES) + ", application/json")
    headers = {"Content-Location": "/" + path}
    if media == "application/json":
        return views.story_answer(engine, iri, lang)
    if media == "text/html":
        page = render.resource_html(engine, iri, lang=lang)
        if page is None:
            return views.error_answer(accept, "/" + path, lang, 404, f"no resource {iri}")
        return Answer(200, _HTML, page.encode("utf-8"), headers)
    body = render.resource_rdf(engine, iri, RDF_TYPES[media])
    if body is None:
        return error(404, f"no resource {iri}")
    return Answer(200, media, body, headers)


def home(engine, lang: str | None, year: str | None, settings) -> Answer:
    """The home page: the map as of *year* (a 400 for a year that is not one)."""
    from ..errors import ParameterError
    from .home import home_html, parse_year

    lang = lang if lang in ("en", "fr") else "en"
    try:
        chosen = parse_year(year)
    except ParameterError as exc:
        return error(400, str(exc))
    return Answer(200, _HTML, home_html(engine, lang=lang, settings=settings, year=chosen).encode("utf-8"))


def map_json(engine) -> Answer:
    """The map's data (``home.map_data``: computed once, kept), as JSON."""
    import json

    from .home import map_data

    return Answer(200, "application/json", json.dumps(map_data(engine), ensure_ascii=False).encode("utf-8"))
