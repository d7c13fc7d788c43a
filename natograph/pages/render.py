"""Resource pages and resource RDF, one renderer for ``natograph serve`` and a static release.

``resource_html(engine, iri, lang=, base=, mode=)`` is the page of a resource IRI under
https://w3id.org/natograph/ in the site's frame (``layout``: header, search, footer; its stylesheet a
linked file, no script): the resource's story first (``story``: a timeline of its dated relations with
their sources), then its linked data (its triples, the relations pointing to it, what OWL RL infers).
Links between resources are relative to the page (``../framework/PfP``), so the same pages work
served or as static files; give *base* (``https://example.org/natograph``) for absolute links
instead. ``resource_rdf(engine, iri, fmt)`` is the resource's description (its own triples with
their blank nodes, and the triples that point to it) in Turtle, N-Triples or JSON-LD; ``story_json``
its story as data. All answer None for an IRI the graph does not describe.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

import pyoxigraph as ox

from ..graph.store.engine import ASSERTED
from . import layout, story
from .links import safe_href
from .messages import messages
from .templating import environment

BASE = "https://w3id.org/natograph/"
ONTOLOGY = BASE + "ontology"
_NG = ONTOLOGY + "#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_DCT = "http://purl.org/dc/terms/"
FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
def path_of(iri: str) -> str | None:
    """The path of a natograph IRI below the base (``id/country/FR``, ``ontology#Country``), else None."""
    return iri[len(BASE):] if iri.startswith(BASE) and len(iri) > len(BASE) else None


def _exists(engine, iri: str) -> bool:
    return bool(engine.query(f"ASK {{ <{iri}> ?p ?o }}"))


def _valid_iri(iri: str) -> bool:
    try:
        ox.NamedNode(iri)
    except ValueError:
        return False
    return not any(c in iri for c in "<>\"{}|^`\\ ")


def describe(engine, iri: str) -> list | None:
    """The triples that describe *iri* (asserted and inferred): DESCRIBE (its triples and blank
    nodes), the triples that point to it, and for the ontology every term it defines."""
    if not _valid_iri(iri) or not _exists(engine, iri):
        return None
    seen = set()
    out = []

    def add(triples) -> None:
        for triple in triples:
            if triple not in seen:
                seen.add(triple)
                out.append(triple)

    add(engine.query(f"DESCRIBE <{iri}>"))
    add(engine.query(f"CONSTRUCT {{ ?s ?p <{iri}> }} WHERE {{ ?s ?p <{iri}> }}"))
    if iri == ONTOLOGY:
        add(engine.query(f"DESCRIBE ?term WHERE {{ ?term <{_RDFS}isDefinedBy> <{ONTOLOGY}> }}"))
    return out


def resource_rdf(engine, iri: str, fmt: str) -> bytes | None:
    """The description of *iri* in *fmt* (turtle, ntriples, jsonld, rdfxml), or None if unknown."""
    from ..graph.namespaces import PREFIXES

    triples = describe(engine, iri)
    if triples is None:
        return None
    if fmt == "ntriples":
        lines = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).splitlines(keepends=True)
        return b"".join(sorted(lines))
    prefixes = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
    return ox.serialize(triples, format=FORMATS[fmt], prefixes=prefixes)


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


class _Page:
    """Links and labels for one page."""

    def __init__(self, engine, iri: str, lang: str, base: str, suffix: str = "") -> None:
        self.engine = engine
        self.iri = iri
        self.lang = lang
        self.base = base.rstrip("/")
        self.suffix = suffix  # after a link to another resource's page: "?lang=fr" on the server
        here = path_of(iri) or ""
        self.dir = posixpath.dirname(here.split("#")[0])
        self._labels: dict[str, str] = {}
        self._exists: dict[str, bool] = {}

    def _described(self, iri: str) -> bool:
        if iri not in self._exists:
            self._exists[iri] = _valid_iri(iri) and _exists(self.engine, iri)
        return self._exists[iri]

    def href(self, iri: str) -> str | None:
        """Where a link to *iri* goes: natograph's own page of it, or the IRI itself when it is a safe
        link (``links.safe_href``: http and https only), else None (the template shows text)."""
        path = path_of(iri)
        if path is None or not self._described(iri):
            return safe_href(iri)  # outside natograph, or a natograph IRI the graph does not describe (a versionIRI)
        page, hashmark, fragment = path.partition("#")
        if self.base:
            return f"{self.base}/{page}{self.suffix}{hashmark}{fragment}"
        if page == (path_of(self.iri) or "").split("#")[0]:
            return f"#{fragment}" if fragment else posixpath.basename(page) + self.suffix
        return posixpath.relpath(page, self.dir or ".") + self.suffix + hashmark + fragment

    def label(self, term) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        iri = term.value
        if iri not in self._labels:
            self._labels[iri] = (_label(self.engine, iri, self.lang) or _participation_label(self.engine, iri, self.lang)
                                 or _short(iri))
        return self._labels[iri]

    def value(self, term) -> dict:
        """A term as the template shows it: text, href (IRIs), language or datatype (literals)."""
        if isinstance(term, ox.NamedNode):
            return {"text": self.label(term), "href": self.href(term.value), "iri": term.value}
        if isinstance(term, ox.BlankNode):
            return {"text": "[" + ", ".join(self._blank(term)) + "]"}
        out = {"text": term.value}
        if term.language:
            out["lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = _short(term.datatype.value)
        return out

    def _blank(self, node) -> list[str]:
        parts = []
        for triple in self.engine.store.quads_for_pattern(node, None, None, ASSERTED):
            shown = self.label(triple.object) if not isinstance(triple.object, ox.BlankNode) else "[…]"
            parts.append(f"{self.label(triple.predicate)} {shown}")
        return sorted(parts)


def _short(iri: str) -> str:
    from ..graph.namespaces import PREFIXES

    for prefix, ns in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if iri.startswith(str(ns)) and len(iri) > len(str(ns)):
            return f"{prefix}:{iri[len(str(ns)):]}"
    return iri


def _label(engine, iri: str, lang: str) -> str | None:
    best = None
    for predicate in (_RDFS + "label", _SKOS + "prefLabel", _DCT + "title"):
        for quad in engine.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None, ASSERTED):
            literal = quad.object
            if not isinstance(literal, ox.Literal):
                continue
            if literal.language == lang:
                return literal.value
            if best is None or literal.language == "en":
                best = literal.value
        if best is not None:
            return best
    return best


_PARTICIPATION = """
SELECT ?actor ?structure WHERE {
    %(iri)s <https://w3id.org/natograph/ontology#participant> ?actor ;
        <https://w3id.org/natograph/ontology#participationIn> ?structure .
} ORDER BY ?actor ?structure LIMIT 1
"""


_LEADS = (_NG + "decision", _SKOS + "definition", _RDFS + "comment")


def _lead(engine, iri: str, lang: str) -> str:
    """What the page says first about *iri*, in *lang* only: what an event decided, else the
    resource's definition, else its comment; "" when the data says none of them in *lang*."""
    for predicate in _LEADS:
        for quad in engine.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None, ASSERTED):
            if isinstance(quad.object, ox.Literal) and quad.object.language == lang:
                return quad.object.value
    return ""


def _participation_label(engine, iri: str, lang: str) -> str | None:
    """A participation has no label of its own: "Ukraine in Partnership for Peace", from its
    participant's and its structure's."""
    for row in engine.query(_PARTICIPATION % {"iri": ox.NamedNode(iri)}):
        actor, structure = (_label(engine, row[k].value, lang) for k in ("actor", "structure"))
        if actor and structure:
            return messages(lang)["participation_label"].format(actor=actor, structure=structure)
    return None


def _rows(page: _Page, quads: Iterable[ox.Quad]) -> list[dict]:
    """(property, values) rows of one subject from its *quads*, rdf:type first, then by property label."""
    by_property: dict[str, list] = {}
    for quad in quads:
        by_property.setdefault(quad.predicate.value, []).append(quad.object)
    rows = []
    for predicate, objects in by_property.items():
        shown = [o for o in objects if not (isinstance(o, ox.Literal) and o.language and o.language != page.lang
                                            and any(isinstance(x, ox.Literal) and x.language == page.lang for x in objects))]
        rows.append({
            "property": page.value(ox.NamedNode(predicate)),
            "objects": [page.value(o) for o in sorted(shown, key=str)],
            "first": predicate == _RDF + "type",
        })
    rows.sort(key=lambda r: (not r["first"], r["property"]["text"].lower()))
    return rows


_INCOMING = """
SELECT ?s ?p ?with ?start ?end (GROUP_CONCAT(DISTINCT STR(?source); separator=" ") AS ?sources)
WHERE {
    GRAPH <%(asserted)s> { ?s ?p <%(iri)s> }
    OPTIONAL { ?s <%(ng)sparticipationIn> ?structure FILTER (?structure != <%(iri)s>) }
    OPTIONAL { ?s <%(ng)scontributionTo> ?operation FILTER (?operation != <%(iri)s>) }
    OPTIONAL { ?s <%(ng)spackageOf> ?initiative FILTER (?initiative != <%(iri)s>) }
    OPTIONAL { ?participation <%(ng)ssuspension>|<%(ng)sbodySuspension> ?s .
               OPTIONAL { ?participation <%(ng)sparticipationIn> ?suspended } }
    OPTIONAL { ?s <%(ng)scounterpart> ?counterpart }
    # what the relation is with: the structure of a participation, the operation of a contribution,
    # the initiative of a package, what a suspension suspends, the body itself for a body
    BIND (COALESCE(?structure, ?operation, ?initiative, ?suspended,
                   IF(BOUND(?participation), ?participation, IF(BOUND(?counterpart), ?s, ?nothing))) AS ?with)
    OPTIONAL { ?s <%(ng)sstartDate> ?start }
    OPTIONAL { ?s <%(ng)sendDate> ?end }
    OPTIONAL { ?s <%(dct)ssource> ?source }
}
GROUP BY ?s ?p ?with ?start ?end
ORDER BY STR(?start) ?s ?p ?with STR(?end)
"""


def resource_html(engine, iri: str, *, lang: str = "en", base: str = "", mode: str = layout.SERVER) -> str | None:
    """The page of *iri* for people, in *lang* (en or fr), or None if the graph does not describe it.
    *mode* says where it is read (``layout.SERVER``: links to other pages carry ``?lang=fr``;
    ``layout.RELEASE``: a static file, links as the IRIs read)."""
    if lang not in ("en", "fr"):
        lang = "en"
    if not _valid_iri(iri) or not _exists(engine, iri):
        return None
    page = _Page(engine, iri, lang, base, suffix="?lang=fr" if mode == layout.SERVER and lang == "fr" else "")
    t = messages(lang)
    sections = [_section(engine, page, iri)]
    if iri == ONTOLOGY:
        terms = sorted(
            (q.subject.value for q in engine.store.quads_for_pattern(
                None, ox.NamedNode(_RDFS + "isDefinedBy"), ox.NamedNode(ONTOLOGY), ASSERTED)),
            key=lambda t: (t.lower(), t))
        sections.extend(_section(engine, page, term) for term in terms)
    kind = story.kind_of(engine, iri)
    rows, command = story.story_rows(engine, iri, lang) if kind else ([], None)
    path = path_of(iri) or ""
    name = posixpath.basename(path.split("#")[0])
    other = "fr" if lang == "en" else "en"
    other_href = f"{name}.{other}.html" if mode == layout.RELEASE else name + ("?lang=fr" if other == "fr" else "")
    site = layout.frame(lang=lang, root=_home(page), mode=mode, other_href=other_href,
                        current="ontology" if iri == ONTOLOGY else None, data_as_of=layout.data_as_of(engine))
    return environment().get_template("resource.html").render(
        site=site, lang=lang, t=t, iri=iri, title=page.label(ox.NamedNode(iri)), sections=sections,
        incoming=_incoming(engine, page, iri), inferred=_rows(page, engine.inferred_quads(ox.NamedNode(iri))),
        kind=t["kind_" + kind] if kind else "", told=story.view(rows, lang, page.href) if kind else None,
        lead=_lead(engine, iri, lang), story_heading=t["story_event" if kind == "event" else "story"],
        command=command, page_name=name,
        story_json=f"{name}.json" + ("?lang=fr" if lang == "fr" else "") if kind and mode == layout.SERVER else None,
    )


def _incoming(engine, page: _Page, iri: str) -> list[dict]:
    """The triples that point to *iri*, each with what its subject is with, its dates and sources."""
    incoming = []
    for row in engine.query(_INCOMING % {"asserted": ASSERTED.value, "iri": iri, "ng": _NG, "dct": _DCT}):
        incoming.append({
            "subject": page.value(row["s"]),
            "property": page.value(row["p"]),
            "with": page.value(row["with"]) if row["with"] is not None else None,
            "start": row["start"].value if row["start"] is not None else "",
            "end": row["end"].value if row["end"] is not None else "",
            "sources": ([{"text": s, "href": safe_href(s)} for s in sorted(row["sources"].value.split())]
                        if row["sources"] else []),
        })
    # blank nodes have no stable label: order by what the page shows, so the same graph gives the same page
    incoming.sort(key=lambda r: (r["start"], r["subject"]["text"], r["property"]["text"],
                                 r["with"]["text"] if r["with"] else "", r["end"], [s["text"] for s in r["sources"]]))
    return incoming


def story_json(engine, iri: str, *, lang: str = "en") -> dict | None:
    """The story of *iri* as data (``/id/country/UA.json``), or None for an IRI the graph does not
    describe or that has no story (not one of ``story.KINDS``)."""
    if not _valid_iri(iri) or not _exists(engine, iri) or story.kind_of(engine, iri) is None:
        return None
    page = _Page(engine, iri, lang, "")
    return story.story_data(engine, iri, lang, page.label(ox.NamedNode(iri)))


def _home(page: _Page) -> str:
    if page.base:
        return page.base + "/"
    depth = page.dir.count("/") + 1 if page.dir else 0
    return "../" * depth or "./"


def _section(engine, page: _Page, subject: str) -> dict:
    path = path_of(subject) or ""
    return {
        "iri": subject,
        "anchor": path.partition("#")[2],
        "title": page.label(ox.NamedNode(subject)),
        "rows": _rows(page, engine.store.quads_for_pattern(ox.NamedNode(subject), None, None, ASSERTED)),
    }


def describe_exists(engine, iri: str) -> bool:
    """Whether the graph describes *iri* (it is the subject of a triple)."""
    return _valid_iri(iri) and _exists(engine, iri)
