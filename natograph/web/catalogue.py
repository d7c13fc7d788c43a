"""The stored queries as a web API: the list at ``/queries`` and an OpenAPI 3.1 description
generated from the ``#+`` headers (every query a GET operation with its typed parameters)."""

from __future__ import annotations

from .._version import __version__
from ..queries.binding import LANGUAGES
from ..queries.catalogue import Parameter, StoredQuery, catalogue

_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


def parameter_schema(param: Parameter) -> dict:
    if param.type == "choice":
        schema = {"type": "string", "enum": list(param.choices)}
    elif param.type == "lang":
        schema = {"type": "string", "enum": list(LANGUAGES)}
    elif param.type in ("date-end", "date-start"):
        schema = {"type": "string", "pattern": _DATE, "description": "a year, a month (YYYY-MM) or a date (YYYY-MM-DD)"}
    else:
        schema = {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9-]{1,9}$"}
    if param.default is not None and param.default != "today":
        schema["default"] = param.default
    return schema


def describe(query: StoredQuery) -> dict:
    return {
        "name": query.name,
        "summary": query.summary,
        "columns": list(query.columns),
        "params": [
            {"name": p.name, "type": p.type, "required": p.required, "default": p.default,
             "choices": list(p.choices) or (list(LANGUAGES) if p.type == "lang" else []), "doc": p.doc}
            for p in query.params
        ],
        "path": f"/queries/{query.name}",
        "sparql": query.text,
    }


def listing() -> list[dict]:
    return [describe(q) for _, q in sorted(catalogue().items())]


_DATASET_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "style": "form", "explode": True,
     "description": f"{what} (repeat for several; the service description lists them as sd:availableGraphs; "
                    "any other IRI is an empty graph)",
     "schema": {"type": "array", "items": {"type": "string", "format": "iri"}}}
    for name, what in (("default-graph-uri", "a graph the query's default graph merges"),
                       ("named-graph-uri", "a graph the query can name with GRAPH"))
]


def openapi(server: str = "") -> dict:
    paths = {}
    for name, query in sorted(catalogue().items()):
        params = [
            {"name": p.name, "in": "query", "required": p.required, "description": p.doc or p.describe(),
             "schema": parameter_schema(p)}
            for p in query.params
        ]
        if query.param("lang") is None:
            params.append({"name": "lang", "in": "query", "required": False, "description": "label language",
                           "schema": {"type": "string", "enum": list(LANGUAGES), "default": "en"}})
        params.append({"name": "format", "in": "query", "required": False,
                       "description": "overrides the Accept header", "schema": {"type": "string",
                                                                                 "enum": ["json", "xml", "csv", "tsv"]}})
        paths[f"/queries/{name}"] = {"get": {
            "operationId": name.replace("-", "_"),
            "summary": query.summary,
            "description": f"Columns: {', '.join(query.columns)}.",
            "parameters": params,
            "responses": {
                "200": {"description": "SPARQL 1.1 query results", "content": {
                    "application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}},
                    "application/sparql-results+xml": {}, "text/csv": {}, "text/tab-separated-values": {}}},
                "400": {"description": "a parameter does not fit its type (the message natograph query prints)",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }}
    paths["/queries"] = {"get": {"operationId": "catalogue", "summary": "the stored queries",
                                 "responses": {"200": {"description": "the catalogue", "content": {"application/json": {}}}}}}
    paths["/sparql"] = {"get": {"operationId": "sparql", "summary": "SPARQL 1.1 Protocol query (read-only)",
                                "parameters": [{"name": "query", "in": "query", "required": False,
                                                "schema": {"type": "string"}}, *_DATASET_PARAMETERS],
                                "responses": {"200": {"description": "results, or the service description"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "natograph", "version": __version__,
                 "description": "NATO's partnerships as a knowledge graph: stored queries and a read-only SPARQL endpoint."},
        "servers": [{"url": server}] if server else [],
        "paths": paths,
        "components": {"schemas": {
            "Error": {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]},
            "SparqlResults": {"type": "object", "properties": {
                "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
                "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": {"type": "object"}}}}}},
        }},
    }
