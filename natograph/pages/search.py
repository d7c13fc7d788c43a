"""Search: find countries, organisations, frameworks, councils, programmes, initiatives, operations,
events and DCB packages by label (English or French), alternative label or code, ignoring case and
accents ("algerie" finds Algérie, "OTAN-Ukraine" the council, "pfp" Partnership for Peace).

Search runs over an index built once per store content (``index(engine)``; the server keeps it for
its store, the release writes it as ``search.json``): what people type never reaches SPARQL. The
index holds, for each resource, its folded texts (``fold``: accents and case set aside, anything but
letters and digits a space). A resource matches when every word typed begins a word of one of its
texts; results are ranked: a text equal to what was typed, then a text that begins with it, then
the others; then by kind (``story.KINDS``), then by label. ``static/search.js`` applies the very same
rules to ``search.json`` in the release (a test holds the two together).

Bounds (``docs/limits.md``): what is typed is at most ``MAX_CHARS`` characters (``layout``); at most
``MAX_RESULTS`` results are given, ``DEFAULT_RESULTS`` unless asked.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Mapping

from .layout import SEARCH_MAX_CHARS as MAX_CHARS
from .story import KINDS, NG

DEFAULT_RESULTS = 20
MAX_RESULTS = 100

_BASE = "https://w3id.org/natograph/"
_QUERY = """
PREFIX ng: <https://w3id.org/natograph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?r ?c ?p ?v WHERE {
    VALUES ?c { %(classes)s }
    ?r a ?c .
    FILTER (STRSTARTS(STR(?r), "%(base)s"))
    VALUES ?p { rdfs:label skos:altLabel ng:code ng:iso3166Alpha2 ng:iso3166Alpha3 }
    ?r ?p ?v .
}
"""
_LOCK = threading.Lock()


def fold(text: str) -> str:
    """*text* as search compares it: accents dropped (NFKD, combining marks removed), lower case,
    every run of characters other than letters and digits one space, trimmed."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M")).lower()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in kept).split())


def build(engine) -> list[dict]:
    """Every resource search finds, in the order of its path: ``iri``, ``path``, ``kind``, ``label``
    (``{"en": ..., "fr": ...}``), ``code`` and ``terms`` (its folded texts, without repeats)."""
    classes = " ".join(f"<{NG}{name}>" for _, names in KINDS for name in names)
    found: dict[str, dict] = {}
    for row in engine.query(_QUERY % {"classes": classes, "base": _BASE}):
        iri = row["r"].value
        entry = found.setdefault(iri, {"classes": set(), "label": {}, "code": "", "texts": set()})
        entry["classes"].add(row["c"].value[len(NG):])
        predicate, value = row["p"].value, row["v"]
        entry["texts"].add(value.value)
        if predicate.endswith("#label") and value.language in ("en", "fr"):
            entry["label"][value.language] = value.value
        elif predicate in (NG + "code", NG + "iso3166Alpha2"):
            entry["code"] = value.value
    out = []
    for iri, entry in sorted(found.items()):
        kind = next(kind for kind, names in KINDS if entry["classes"] & set(names))
        terms = sorted({fold(text) for text in entry["texts"]} - {""})
        out.append({"iri": iri, "path": iri[len(_BASE):], "kind": kind, "label": entry["label"], "code": entry["code"],
                    "terms": terms})
    return out


@functools.lru_cache(maxsize=4)
def _index(engine) -> tuple:
    return tuple(build(engine))


def index(engine) -> tuple:
    """The search index of *engine*'s store, built on first use and kept (the store of a server does
    not change while it runs)."""
    with _LOCK:
        return _index(engine)


def label_of(entry: Mapping, lang: str) -> str:
    return entry["label"].get(lang) or entry["label"].get("en") or entry["code"] or entry["path"]


def _rank(entry: Mapping, wanted: str, words: list[str]) -> int | None:
    best = None
    for term in entry["terms"]:
        if term == wanted:
            return 0
        if term.startswith(wanted):
            best = 1
        elif best is None:
            have = term.split(" ")
            if all(any(w.startswith(word) for w in have) for word in words):
                best = 2
    return best


def search(entries, text: str, *, lang: str = "en", limit: int = DEFAULT_RESULTS) -> tuple[list[dict], int]:
    """The entries *text* finds, best first, at most *limit* of them, and how many it finds in all.
    *text* longer than ``MAX_CHARS`` or *limit* outside 1..``MAX_RESULTS`` is a ValueError that says so."""
    if len(text) > MAX_CHARS:
        raise ValueError(f"the search text is longer than {MAX_CHARS} characters")
    if not 1 <= limit <= MAX_RESULTS:
        raise ValueError(f"limit must be from 1 to {MAX_RESULTS}, not {limit}")
    wanted = fold(text)
    if not wanted:
        return [], 0
    words = wanted.split(" ")
    order = [kind for kind, _ in KINDS]
    ranked = []
    for entry in entries:
        rank = _rank(entry, wanted, words)
        if rank is not None:
            ranked.append(((rank, order.index(entry["kind"]), fold(label_of(entry, lang)), entry["path"]), entry))
    ranked.sort(key=lambda pair: pair[0])
    return [entry for _, entry in ranked[:limit]], len(ranked)


def as_json(found, lang: str) -> list[dict]:
    """What ``/search`` answers to ``Accept: application/json``: ``[{iri, label, kind}]``."""
    return [{"iri": e["iri"], "label": label_of(e, lang), "kind": e["kind"]} for e in found]


def page_html(*, lang: str, site: Mapping, text: str = "", found=(), total: int = 0, limit: int = DEFAULT_RESULTS,
              link=None, error: str = "") -> str:
    """The search page in *lang*, in the frame *site*: the results *found* for *text* (out of *total*),
    each linked by *link* (an entry -> its address). In the release (``site["mode"]`` is
    ``release``) the page is written empty and ``static/search.js`` fills it from ``search.json``."""
    from .messages import messages
    from .templating import environment

    t = messages(lang)
    results = [{"href": link(e) if link else None, "label": label_of(e, lang), "kind": t["kind_" + e["kind"]],
                "code": e["code"]} for e in found]
    if error or not text:
        status = error
    elif total == 0:
        status = t["search_none"].format(q=text)
    else:
        status = (t["search_found_one"] if total == 1 else t["search_found"]).format(n=total, q=text)
    words = {key: t[key] for key in ("search_found", "search_found_one", "search_none", "search_more")}
    words.update({"kinds": {kind: t["kind_" + kind] for kind, _ in KINDS}, "lang": lang, "limit": limit,
                  "max_chars": MAX_CHARS, "order": [kind for kind, _ in KINDS]})
    return environment().get_template("search.html").render(
        site=site, t=t, title=t["search_title"], results=results, status=status, error=bool(error),
        more=t["search_more"].format(n=limit) if total > len(results) else "", words=words)
