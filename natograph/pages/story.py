"""A resource's story: the dated relations its page opens with, oldest first, each with what it is
with and its sources, and the same as data (``story_data``, served as JSON).

A country's or an organisation's story is the answer of the stored query ``story`` (``natograph query
story -p code=UA``: the page and the command line agree, and the query agrees with ``country``).
Another resource's (a framework, an initiative, a programme, an operation, a council, an event, a
package) is read here by one query with the resource bound as an RDF term: who took part in it and
when, its suspensions, its contributors, its counterpart, the events that launched it or decided
something about it, what an event launched or decided, its own first and last days.

Each row: ``date`` and ``until`` (as the data writes them: ``1994``, ``1994-05``, ``1994-05-09``; ``""``
when not given), ``relation`` (a word of the stored query's, or of ``GENERIC``), ``target`` (the IRI of
what the relation is with) and its ``label``, ``sources`` (IRIs, sorted).
"""

from __future__ import annotations

import pyoxigraph as ox

from .messages import human_date, messages, precision, until

NG = "https://w3id.org/natograph/ontology#"

KINDS = (
    ("country", ("Country",)), ("organisation", ("Organisation",)), ("framework", ("PartnershipFramework",)),
    ("body", ("BilateralBody", "Council")), ("programme", ("Programme",)), ("initiative", ("Initiative", "PartnerGroup")),
    ("operation", ("Operation",)), ("event", ("Event",)), ("package", ("DCBPackage",)),
)
"""The kinds of resource people look for, most specific first, with their classes (ng:)."""

MILESTONES = ("member of", "partner in", "participant in", "holds programme", "bilateral body", "suspended in")
"""The relations the "at a glance" path shows (contributions and events are in the timeline only)."""

GENERIC = ("member", "partner", "participant", "holder", "suspension", "counterpart", "contributor", "recipient",
           "launched at", "decided at", "launched", "concerns", "adopted", "replaced by", "began", "ended")

_LABEL = """
    OPTIONAL {{ ?target <http://www.w3.org/2000/01/rdf-schema#label> ?own FILTER (LANG(?own) = ?lang) }}
    OPTIONAL {{
        ?target ng:participant ?actor ; ng:participationIn ?structure .
        ?actor <http://www.w3.org/2000/01/rdf-schema#label> ?actorLabel FILTER (LANG(?actorLabel) = ?lang)
        ?structure <http://www.w3.org/2000/01/rdf-schema#label> ?structureLabel FILTER (LANG(?structureLabel) = ?lang)
    }}
    BIND (COALESCE(?own, CONCAT(?actorLabel, "{joint}", ?structureLabel)) AS ?label)
    FILTER (BOUND(?label))
"""

_GENERIC = """
PREFIX ng: <https://w3id.org/natograph/ontology#>
SELECT ?date ?until ?relation ?target ?label (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {{
    VALUES (?r ?lang) {{ ({resource} {language}) }}
    {{
        ?fact ng:participationIn ?r ; ng:participant ?target ; ?kind ?r .
        FILTER (?kind IN (ng:membershipIn, ng:partnershipIn, ng:initiativeIn))
        OPTIONAL {{ ?fact ng:startDate ?date }} OPTIONAL {{ ?fact ng:endDate ?until }}
        BIND (IF(?kind = ng:membershipIn, "member", IF(?kind = ng:partnershipIn, "partner",
              IF(EXISTS {{ ?r a ng:Programme }}, "holder", "participant"))) AS ?relation)
    }} UNION {{
        ?participation ng:participationIn ?r ; ng:participant ?target ; ng:suspension ?fact .
        ?fact ng:startDate ?date . OPTIONAL {{ ?fact ng:endDate ?until }}
        BIND ("suspension" AS ?relation)
    }} UNION {{
        ?r ng:counterpart ?target . BIND (?r AS ?fact)
        OPTIONAL {{ ?r ng:startDate ?date }} OPTIONAL {{ ?r ng:endDate ?until }}
        BIND ("counterpart" AS ?relation)
    }} UNION {{
        ?r ng:counterpart ?target ; ng:bodySuspension ?fact .
        ?fact ng:startDate ?date . OPTIONAL {{ ?fact ng:endDate ?until }}
        BIND ("suspension" AS ?relation)
    }} UNION {{
        ?fact ng:contributionTo ?r ; ng:contributor ?target .
        OPTIONAL {{ ?fact ng:startDate ?date }} OPTIONAL {{ ?fact ng:endDate ?until }}
        BIND ("contributor" AS ?relation)
    }} UNION {{
        ?r ng:recipient ?target . BIND (?r AS ?fact) OPTIONAL {{ ?r ng:approvalDate ?date }}
        BIND ("recipient" AS ?relation)
    }} UNION {{
        ?fact ?said ?r ; ng:startDate ?date . BIND (?fact AS ?target)
        FILTER (?said IN (ng:launched, ng:concerns))
        BIND (IF(?said = ng:launched, "launched at", "decided at") AS ?relation)
    }} UNION {{
        ?r ?said ?target ; ng:startDate ?date . BIND (?r AS ?fact)
        FILTER (?said IN (ng:launched, ng:concerns, ng:adopted))
        BIND (IF(?said = ng:launched, "launched", IF(?said = ng:adopted, "adopted", "concerns")) AS ?relation)
    }} UNION {{
        ?r ng:replacedBy ?target . BIND (?r AS ?fact) OPTIONAL {{ ?r ng:endDate ?date }}
        BIND ("replaced by" AS ?relation)
    }} UNION {{
        ?r ?said ?date . BIND (?r AS ?fact) BIND (?r AS ?target)
        FILTER (?said IN (ng:startDate, ng:endDate))
        FILTER NOT EXISTS {{ ?r a ng:Event }}
        BIND (IF(?said = ng:startDate, "began", "ended") AS ?relation)
    }}
    {label}
    OPTIONAL {{ ?fact <http://purl.org/dc/terms/source> ?source }}
}}
GROUP BY ?date ?until ?relation ?target ?label
ORDER BY COALESCE(STR(?date), "") ?relation ?label
"""

_ACTOR = """
PREFIX ng: <https://w3id.org/natograph/ontology#>
SELECT ?code WHERE {{
    VALUES ?r {{ {resource} }}
    {{ ?r ng:iso3166Alpha2 ?code }} UNION {{ ?r a ng:Organisation ; ng:code ?code }}
}} ORDER BY ?code LIMIT 1
"""


def kind_of(engine, iri: str) -> str | None:
    """The kind of *iri* (``country``, ``framework``...: ``KINDS``), or None for any other resource."""
    classes = {row["c"].value for row in engine.query(f"SELECT ?c WHERE {{ {ox.NamedNode(iri)} a ?c }}")}
    for kind, names in KINDS:
        if any(NG + name in classes for name in names):
            return kind
    return None


def story_rows(engine, iri: str, lang: str) -> tuple[list[dict], str | None]:
    """The story of *iri* in *lang*: its rows, and the stored query they come from (``story``, with
    the code) or None (read here)."""
    from ..queries.catalogue import run_stored

    node = ox.NamedNode(iri)
    for row in engine.query(_ACTOR.format(resource=node)):
        code = row["code"].value
        result = run_stored(engine, "story", {"code": code, "lang": lang})
        rows = [_row(r) for r in result.as_dicts()]
        if rows:
            return rows, f"natograph query story -p code={code}" + (f" -p lang={lang}" if lang != "en" else "")
    joint = messages(lang)["participation_label"].format(actor="", structure="")
    text = _GENERIC.format(resource=node, language=ox.Literal(lang),
                           label=_LABEL.format(joint=joint.replace('"', '\\"')))
    return [_row({k: (v.value if v is not None else None) for k, v in zip(
        ("date", "until", "relation", "target", "label", "sources"),
        (r["date"], r["until"], r["relation"], r["target"], r["label"], r["sources"]), strict=True)})
        for r in engine.query(text)], None


def _row(row: dict) -> dict:
    return {"date": row["date"] or "", "until": row["until"] or "", "relation": row["relation"],
            "target": row["target"], "label": row["label"], "sources": sorted((row["sources"] or "").split(), key=_nato_first)}


def _nato_first(iri: str) -> tuple[bool, str]:
    """NATO's own pages first (nato.int and its subdomains), then the others, each by address."""
    return (_host(iri) != "nato.int" and not _host(iri).endswith(".nato.int"), iri)


def _host(iri: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(iri).hostname or "") if iri.startswith(("http://", "https://")) else ""


def story_data(engine, iri: str, lang: str, label: str) -> dict:
    """The story as data (the page's JSON twin): the resource, its kind, its rows, and the command
    that gives the same rows when a stored query does."""
    rows, command = story_rows(engine, iri, lang)
    return {"iri": iri, "label": label, "kind": kind_of(engine, iri), "lang": lang, "command": command, "rows": rows}


def view(rows: list[dict], lang: str, href) -> dict:
    """What the template shows of *rows*: each row's words in *lang* and its links (*href* turns an
    IRI into the page's link to it, or None), and the path at a glance (an actor's milestones)."""
    from .links import safe_href

    t = messages(lang)
    shown = []
    for row in rows:
        sources = [{"href": safe_href(s), "text": s, "n": n, "name": t["source_n"].format(n=n, host=_host(s) or s)}
                   for n, s in enumerate(row["sources"], 1)]
        shown.append({
            **row, "year": row["date"][:4], "date_text": human_date(row["date"], lang) if row["date"] else t["undated_row"],
            "date_precision": precision(row["date"]) or "", "relation_text": t.get("rel_" + row["relation"], row["relation"]),
            "until_text": until(row["until"], lang) if row["until"] else "", "href": href(row["target"]),
            "sources": sources,
        })
    glance = [r for r in shown if r["relation"] in MILESTONES and r["date"]]
    return {"rows": shown, "glance": glance}
