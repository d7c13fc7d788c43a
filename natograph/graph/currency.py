"""How current the graph is: the day its data is as of, declared once in the data by the maintainer who
last brought it up to date (``<https://w3id.org/natograph/dataset> ng:dataAsOf "2026-12-07"^^xsd:date``,
in ``data/sources.ttl``), read here for every front end: ``natograph --version``, ``natograph stats``,
the release's VoID/DCAT description, the server's VoID and the pages.

Each source carries the day it was read (``ng:retrieved``); the checks ``unread-source`` and
``after-data-as-of`` hold the two together, and ``stale-fact`` lists the open facts whose newest source
was read more than three years before the as-of day (``docs/model.md``).
"""

from __future__ import annotations

from .namespaces import BASE

DATASET_IRI = BASE + "dataset"
"""The dataset the day is said of: the release's DCAT dataset (``natograph.publish.dataset``)."""

_QUERY = f"""
SELECT (MAX(STR(?day)) AS ?asOf) WHERE {{
    <{DATASET_IRI}> <{BASE}ontology#dataAsOf> ?day .
    FILTER (DATATYPE(?day) = <http://www.w3.org/2001/XMLSchema#date>)
}}"""


def data_as_of(engine) -> str:
    """The day the data of *engine* (a store, ``natograph.graph.store``) is as of, in ISO 8601
    (``"2026-12-07"``), or ``""`` when the graph does not say (a file checked alone, a root without
    it). Two days declared are a violation (``ngsh:DatasetShape-dataAsOf``); the later one is read,
    as the checks read it."""
    for row in engine.query(_QUERY, inferred=False):
        value = row["asOf"]
        return value.value if value is not None else ""
    return ""
