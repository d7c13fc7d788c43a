"""The release notes: what changed since a previous release, computed from the data (resources added,
removed and changed, with ``natograph diff``'s comparison; the stored queries whose answer changed)."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..graph.namespaces import BASE
from .dataset import Release
from .description import value_of

SHAPES_NOTE = """## The shapes are the validator

The SHACL shapes (`dumps/natograph-{version}-shapes.zip`, `shapes/`) hold every rule `natograph validate`
applies, the checks across resources as SHACL-SPARQL constraints: any SHACL-SPARQL engine finds the
same results with `shapes/*.shapes.ttl` on the graph with its OWL 2 RL closure and
`shapes/as-written/*.shapes.ttl` on the graph as written (`shapes/README.md` gives the commands).
What the shapes cannot say, and how they do without it:

- the triples as written beside the closure: one engine run validates one graph, so the checks of
  `as-written/` are a second run, without inference;
- every subject of the graph: SHACL has no such target, so the checks on every resource take the
  subjects of `rdf:type` (a resource without a type is `missing-type`'s);
- today: `future-date` reads the engine's clock."""


def _resources(engine) -> dict[str, str]:
    """IRI -> English label of every typed resource under .../id/ in the asserted graph."""
    from ..queries.running import select

    rows = select(engine, f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{
            ?s a ?type FILTER (isIRI(?s) && STRSTARTS(STR(?s), "{BASE}id/"))
            OPTIONAL {{ ?s rdfs:label ?l FILTER (LANGMATCHES(LANG(?l), "en")) }}
        }} GROUP BY ?s""", inferred=False).terms
    return {s.value: value_of(label) for s, label in rows}


def previous_dump(folder: str | Path) -> tuple[str, Path]:
    """The version and the asserted Turtle dump of the release in *folder*."""
    folder = Path(folder)
    dumps = sorted(p for p in (folder / "dumps").glob("natograph-*.ttl")
                   if not p.name.endswith(("-inferred.ttl", "-ontology.ttl", "-alignments.ttl")))
    if len(dumps) != 1:
        raise InputError("holds no natograph release (expected one dumps/natograph-VERSION.ttl)", path=str(folder))
    return dumps[0].name[len("natograph-"):-len(".ttl")], dumps[0]


def changes(old_engine, new_engine, *, today) -> dict:
    """Resources added, removed and changed, and the stored queries whose answer changed, between two
    stores: the triple-level comparison is ``natograph diff``'s (natograph.checks.diff.diff_engines); the
    added and removed resources are the typed IRIs under ``id/`` of either side."""
    from ..checks.diff import diff_engines

    result = diff_engines(old_engine, new_engine, today=today)
    old, new = _resources(old_engine), _resources(new_engine)
    added, removed = set(new) - set(old), set(old) - set(new)
    return {
        "added": sorted((iri, new[iri]) for iri in added),
        "removed": sorted((iri, old[iri]) for iri in removed),
        "changed": sorted((c.subject, c.label or "") for c in result.resources
                          if c.subject.startswith(BASE + "id/") and c.subject not in added | removed
                          and (c.added or c.removed)),
        "answers": {q.name: (list(q.added), list(q.removed)) for q in result.queries},
        "counts": dict(result.counts),
    }


def release_notes(engine, rel: Release, *, previous: str | Path | None, today: str) -> str:
    import datetime as _dt

    from ..graph.store.opening import open_engine

    day = _dt.date.fromisoformat(today)
    stats = rel.stats
    lines = [f"# natograph {rel.version}", "",
             f"Released {today}. {stats['triples']} asserted triples ({stats['inferred_triples']} with the OWL RL "
             f"closure), {stats['entities']} resources, {len(stats['sources'])} cited sources.", "",
             *SHAPES_NOTE.format(version=rel.version).splitlines(), ""]
    if previous is None:
        lines += ["No previous release was given (`--previous DIR`): nothing to compare with.", ""]
        return "\n".join(lines)
    old_version, dump = previous_dump(previous)
    diff = changes(open_engine([dump]), engine, today=day)
    lines += [f"## Changes since {old_version}", "",
              "Computed from the data with `natograph diff`'s comparison: resources (typed IRIs under `id/`) of "
              f"the asserted graphs, and the answers of the stored queries run with their default parameters as of {today}.", ""]
    c = diff["counts"]
    lines += [f"{c['added']} triples added and {c['removed']} removed as written; {c['inferredAdded']} inferred "
              f"triples appear and {c['inferredRemoved']} disappear (`natograph diff` gives every triple).", ""]
    for key, title in (("added", "Resources added"), ("removed", "Resources removed"),
                       ("changed", "Resources whose description changed")):
        lines.append(f"### {title} ({len(diff[key])})")
        lines.append("")
        lines += [f"- <{iri}>" + (f" {label}" if label else "") for iri, label in diff[key]] or ["None."]
        lines.append("")
    lines.append(f"### Stored queries whose answer changed ({len(diff['answers'])})")
    lines.append("")
    if not diff["answers"]:
        lines += ["None.", ""]
    for name, (plus, minus) in diff["answers"].items():
        lines.append(f"- `{name}`: {len(plus)} rows added, {len(minus)} removed")
        lines += ["    - + " + " | ".join(row) for row in plus]
        lines += ["    - − " + " | ".join(row) for row in minus]
    lines.append("")
    return "\n".join(lines)
