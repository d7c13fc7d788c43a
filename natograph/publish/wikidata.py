"""Export profiles: natograph's facts re-shaped for another community's tools.

``wikidata``: Wikidata's RDF statement model (https://www.mediawiki.org/wiki/Wikibase/Indexing/RDF_Dump_Format),
so that a query written for the Wikidata Query Service runs unchanged on natograph's data:

- items are ``wd:Q…`` from each resource's ``ng:wikidataId`` (NATO is ``wd:Q7184``), with their
  natograph labels, ``wdt:P31`` for the classes ``ontology/alignments.ttl`` maps to Wikidata
  classes, and a direct claim (``wdt:P297``, ``wdt:P298``) for each property mapped with
  ``skos:exactMatch`` to a Wikidata property;
- each membership of NATO is a ``p:P463`` statement node (``ps:P463``, ``pq:P580`` / ``pq:P582``
  with their ``pqv:`` time values and precision, ``wikibase:rank``), ``prov:wasDerivedFrom`` one
  reference node per natograph source (``pr:P854``, reference URL; ``pr:P813``, retrieved, the day
  the source was read), and the direct claim ``wdt:P463``.

The property ids come from the alignment file (``skos:exactMatch``, ``skos:closeMatch``,
``skos:broadMatch`` to ``wd:P…``), so the profile follows the alignments. Statement, reference and
time-value nodes are natograph IRIs (``id/statement/``, ``id/reference/``, ``id/time-value/``), never
IRIs in Wikidata's namespaces: they are natograph's statements, not Wikidata's.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from ..errors import InputError
from ..graph.namespaces import (
    BASE,
    NG,
    ORG,
    PQ,
    PQV,
    PR,
    PROV,
    PS,
    REFERENCE,
    STATEMENT,
    WD,
    WDT,
    WIKIBASE,
    P,
    bind_all,
)

PROFILES = ("wikidata",)
TIME_VALUE = Namespace(BASE + "id/time-value/")
GREGORIAN = WD.Q1985727  # Wikidata's proleptic Gregorian calendar, the calendar model of every natograph date
_MATCHES = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
_ITEM = re.compile(r"^Q[1-9][0-9]*$")
_PRECISION = {XSD.date: 11, XSD.gYearMonth: 10, XSD.gYear: 9}  # Wikidata's day, month and year precisions


def build(name: str, closure: Graph) -> Graph:
    """The graph of profile *name* built from *closure* (the graph with its OWL RL closure)."""
    if name not in PROFILES:
        raise InputError(f"unknown profile {name!r}; expected one of {', '.join(PROFILES)}")
    return wikidata(closure)


def wikidata_property(graph: Graph, term: URIRef, *relations: URIRef) -> str | None:
    """The Wikidata property id ("P463") *term* is mapped to in the alignments, or None."""
    found = sorted(
        str(target)[len(str(WD)):]
        for relation in (relations or _MATCHES)
        for target in graph.objects(term, relation)
        if str(target).startswith(str(WD)) and re.fullmatch(r"P[1-9][0-9]*", str(target)[len(str(WD)):])
    )
    return found[0] if found else None


def wikidata_time(value: Literal) -> tuple[Literal, int] | None:
    """Wikidata's form of a natograph date: an xsd:dateTime at midnight UTC, and its precision."""
    precision = _PRECISION.get(value.datatype) if isinstance(value, Literal) else None
    text = str(value)
    if precision is None or not re.fullmatch(r"-?[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", text):
        return None
    padded = text + "-01" * (11 - precision)  # "1995-02" -> "1995-02-01": Wikidata's unspecified parts are 01
    return Literal(f"{padded}T00:00:00Z", datatype=XSD.dateTime, normalize=False), precision


def _local(iri: URIRef) -> str:
    return str(iri)[len(BASE + "id/"):].replace("/", "-")


def _add_time(out: Graph, statement: URIRef, prop: str, value: Literal) -> None:
    converted = wikidata_time(value)
    if converted is None:
        return
    time, precision = converted
    node = TIME_VALUE[str(value)]
    out.add((statement, PQ[prop], time))
    out.add((statement, PQV[prop], node))
    out.add((node, RDF.type, WIKIBASE.TimeValue))
    out.add((node, WIKIBASE.timeValue, time))
    out.add((node, WIKIBASE.timePrecision, Literal(precision)))
    out.add((node, WIKIBASE.timeTimezone, Literal(0)))
    out.add((node, WIKIBASE.timeCalendarModel, GREGORIAN))


def wikidata(closure: Graph) -> Graph:
    out = Graph()
    bind_all(out)
    items = {
        resource: WD[str(qid)]
        for resource, qid in closure.subject_objects(NG.wikidataId)
        if isinstance(resource, URIRef) and _ITEM.fullmatch(str(qid))
    }
    _add_items(out, closure, items)
    _add_memberships(out, closure, items)
    return out


def _add_items(out: Graph, closure: Graph, items: dict) -> None:
    """Each item: its labels, ``wdt:P31`` for the classes mapped to Wikidata's, and a direct claim for
    each property mapped with ``skos:exactMatch`` to a Wikidata property."""
    instance_of = wikidata_property(closure, RDF.type)
    classes = {
        cls: target
        for cls, target in closure.subject_objects(SKOS.closeMatch)
        if str(cls).startswith(str(NG)) and re.fullmatch(r"Q[1-9][0-9]*", str(target)[len(str(WD)):])
        and str(target).startswith(str(WD))
    }
    direct = {
        prop: pid
        for prop in sorted(set(closure.subjects(SKOS.exactMatch, None)))
        if str(prop).startswith(str(NG)) and (pid := wikidata_property(closure, prop, SKOS.exactMatch))
    }
    for resource, item in items.items():
        out.add((item, RDF.type, WIKIBASE.Item))
        for label in closure.objects(resource, RDFS.label):
            out.add((item, RDFS.label, label))
        if instance_of:
            for cls, target in classes.items():
                if (resource, RDF.type, cls) in closure:
                    out.add((item, WDT[instance_of], target))
        for prop, pid in direct.items():
            for value in closure.objects(resource, prop):
                if isinstance(value, Literal):
                    out.add((item, WDT[pid], Literal(str(value))))


def _add_memberships(out: Graph, closure: Graph, items: dict) -> None:
    """Each membership of NATO as a ``p:P463`` statement with its dates and one reference per source."""
    member_of = wikidata_property(closure, NG.memberOf)
    start = wikidata_property(closure, NG.startDate)
    end = wikidata_property(closure, NG.endDate)
    retrieved = wikidata_property(closure, NG.retrieved)
    if member_of is None:
        return
    for membership in sorted(set(closure.subjects(RDF.type, ORG.Membership))):
        member, organisation = closure.value(membership, NG.participant), closure.value(membership, ORG.organization)
        if member not in items or organisation not in items:
            continue
        statement = STATEMENT[f"{_local(membership)}-{member_of}"]
        out.add((items[member], P[member_of], statement))
        out.add((items[member], WDT[member_of], items[organisation]))  # truthy: every statement here is best rank
        out.add((statement, RDF.type, WIKIBASE.Statement))
        out.add((statement, RDF.type, WIKIBASE.BestRank))
        out.add((statement, WIKIBASE.rank, WIKIBASE.NormalRank))
        out.add((statement, PS[member_of], items[organisation]))
        for prop, pid in ((NG.startDate, start), (NG.endDate, end)):
            value = closure.value(membership, prop)
            if pid and value is not None:
                _add_time(out, statement, pid, value)
        for source in closure.objects(membership, DCTERMS.source):
            if not isinstance(source, URIRef):
                continue
            reference = REFERENCE[hashlib.sha256(str(source).encode("utf-8")).hexdigest()[:16]]
            out.add((statement, PROV.wasDerivedFrom, reference))
            out.add((reference, RDF.type, WIKIBASE.Reference))
            out.add((reference, PR.P854, source))
            day = closure.value(source, NG.retrieved)
            if retrieved and day is not None and (converted := wikidata_time(day)) is not None:
                out.add((reference, PR[retrieved], converted[0]))
