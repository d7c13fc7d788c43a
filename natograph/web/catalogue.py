"""The stored queries as a web API: the list at ``/queries`` and an OpenAPI 3.1 description
generated from the ``#+`` headers (every query a GET operation with its typed parameters).

Both speak English, or French with ``?lang=fr``: what people read (summaries, parameter docs and
hints, column headings, descriptions) changes; names, types, choices and columns, what programs
read, stay the same in both."""

from __future__ import annotations

from .._version import __version__
from ..errors import ParameterError
from ..queries.binding import LANGUAGES
from ..queries.catalogue import Parameter, StoredQuery, catalogue

_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def language(value: str | None) -> str:
    """A request's ``lang`` (``en`` when absent), or a ParameterError that names the languages."""
    if value is None:
        return "en"
    if value not in LANGUAGES:
        raise ParameterError(f"unknown language {value!r}; expected one of {', '.join(LANGUAGES)}")
    return value


def parameter_schema(param: Parameter, lang: str = "en") -> dict:
    if param.type == "choice":
        schema = {"type": "string", "enum": list(param.choices)}
    elif param.type == "lang":
        schema = {"type": "string", "enum": list(LANGUAGES)}
    elif param.type in ("date-end", "date-start"):
        schema = {"type": "string", "pattern": _DATE, "description": param.kind(lang)}
    else:
        schema = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9-]{1,9}$"}
    if param.default is not None and param.default != "today":
        schema["default"] = param.default
    return schema


def describe(query: StoredQuery, lang: str = "en") -> dict:
    """One query for ``/queries`` and the home page's forms, its texts in *lang*: ``summary``,
    ``headings`` (one per column, what people read; ``columns`` are the variables results carry) and,
    per parameter, ``doc``, ``hint`` (what a value looks like), ``status`` (``facultatif``, ``par
    défaut : aujourd'hui``) and ``choice_labels`` (value -> label, for the values the header labels)."""
    texts = query.texts(lang)
    return {
        "name": query.name,
        "lang": lang,
        "summary": texts.summary,
        "columns": list(query.columns),
        "headings": list(texts.headings),
        "params": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
             "choices": list(p.choices) or (list(LANGUAGES) if p.type == "lang" else []), "doc": t.doc,
             "hint": t.kind, "status": t.status, "choice_labels": {value: label for value, label in t.choices if label}}
            for p, t in zip(query.params, texts.params, strict=True)
        ],
        "path": f"/queries/{query.name}",
        "sparql": query.text,
    }


def listing(lang: str = "en") -> list[dict]:
    """Every stored query, by name, as ``describe`` gives it in *lang*."""
    return [describe(q, lang) for _, q in sorted(catalogue().items())]


_OPENAPI_WORDS = {
    "en": {"columns": "Columns: {}.", "lang": "label language", "format": "overrides the Accept header",
           "results": "SPARQL 1.1 query results",
           "bad": "a parameter does not fit its type (the message natograph query prints)",
           "catalogue": "the stored queries", "catalogue_lang": "language of the summaries and descriptions",
           "the_catalogue": "the catalogue", "sparql": "SPARQL 1.1 Protocol query (read-only)",
           "sparql_200": "results, or the service description",
           "info": "NATO's partnerships as a knowledge graph: stored queries and a read-only SPARQL endpoint.",
           "graphs": "(repeat for several; the service description lists them as sd:availableGraphs; any other IRI is an "
                     "empty graph)",
           "default-graph-uri": "a graph the query's default graph merges",
           "named-graph-uri": "a graph the query can name with GRAPH"},
    "fr": {"columns": "Colonnes : {}.", "lang": "langue des libellés", "format": "remplace l'en-tête Accept",
           "results": "résultats de requête SPARQL 1.1",
           "bad": "un paramètre ne convient pas à son type (le message qu'affiche natograph query)",
           "catalogue": "les requêtes enregistrées", "catalogue_lang": "langue des résumés et des descriptions",
           "the_catalogue": "le catalogue", "sparql": "requête du protocole SPARQL 1.1 (lecture seule)",
           "sparql_200": "les résultats, ou la description du service",
           "info": "Les partenariats de l'OTAN en graphe de connaissances : requêtes enregistrées et point "
                   "d'accès SPARQL en lecture seule.",
           "graphs": "(à répéter pour plusieurs ; la description du service les énumère en sd:availableGraphs ; tout "
                     "autre IRI est un graphe vide)",
           "default-graph-uri": "un graphe que fusionne le graphe par défaut de la requête",
           "named-graph-uri": "un graphe que la requête peut nommer avec GRAPH"},
}


def _dataset_parameters(words: dict) -> list[dict]:
    """The Protocol's dataset parameters, as the /sparql operation documents them."""
    return [{"name": name, "in": "query", "required": False, "style": "form", "explode": True,
             "description": f"{words[name]} {words['graphs']}",
             "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}}
            for name in ("default-graph-uri", "named-graph-uri")]


def _operation(name: str, query: StoredQuery, words: dict, lang: str) -> dict:
    texts = query.texts(lang)
    params = [
        {"name": p.name, "in": "query", "required": p.required, "description": t.doc or t.describe,
         "schema": parameter_schema(p, lang)}
        for p, t in zip(query.params, texts.params, strict=True)
    ]
    if query.param("lang") is None:
        params.append({"name": "lang", "in": "query", "required": False, "description": words["lang"],
                       "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"}})
    params.append({"name": "format", "in": "query", "required": False,
                   "description": words["format"], "schema": {"type": "string",
                                                              "enum": ["json", "xml", "csv", "tsv"]}})
    return {"get": {
        "operationId": name.replace("-", "_"),
        "summary": texts.summary,
        "description": words["columns"].format(texts.column_list()),
        "parameters": params,
        "responses": {
            "200": {"description": words["results"], "content": {
                "application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
                "application/sparql-results+xml": {}, "text/csv": {}, "text/tab-separated-values": {}}},
            "400": {"description": words["bad"],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        },
    }}


def openapi(server: str = "", lang: str = "en") -> dict:
    """The OpenAPI 3.1 description of the API, its summaries and descriptions in *lang*."""
    words = _OPENAPI_WORDS[lang]
    paths = {f"/queries/{name}": _operation(name, query, words, lang) for name, query in sorted(catalogue().items())}
    paths["/queries"] = {"get": {"operationId": "catalogue", "summary": words["catalogue"],
                                 "parameters": [{"name": "lang", "in": "query", "required": False,
                                                 "description": words["catalogue_lang"],
                                                 "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"}}],
                                 "responses": {"200": {"description": words["the_catalogue"],
                                                       "content": {"application/json": {}}}}}}
    paths["/sparql"] = {"get": {"operationId": "sparql", "summary": words["sparql"],
                                "parameters": [{"name": "query", "in": "query", "required": False,
                                                "schema": {"type": "string"}}, *_dataset_parameters(words)],
                                "responses": {"200": {"description": words["sparql_200"]}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "natograph", "version": __version__,
                 "description": words["info"]},
        "servers": [{"url": server}] if server else [],
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
            "SparqlResults": {"type": "object", "properties": {
                "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
                "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": {"type": "object"}}}}}},
        }},
    }
