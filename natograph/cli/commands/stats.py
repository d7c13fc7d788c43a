"""``natograph stats``: triples per part, resources per class."""

from __future__ import annotations

from ..options import EXIT_OK, write

HELP = "triples per part, resources per class"
LIMITED = False


def arguments(parser) -> None:
    """No arguments."""


def run(args) -> int:
    from ...graph import resources
    from ...graph.loading import engine_for
    from ...output import visible
    from ...queries.running import select

    engine = engine_for()
    write(f"root: {visible(resources.current().describe())}\n\ntriples per part\n")
    for part in engine.parts():
        write(f"  {part.triples:>7}  {visible(part.name)}\n")
    write(f"  {engine.triples:>7}  total (with inference)\n\nresources per class\n")
    counts = select(engine, """
        SELECT ?class (COUNT(?resource) AS ?n) WHERE {
            ?resource a ?class . FILTER (STRSTARTS(STR(?class), "https://w3id.org/natograph/"))
        } GROUP BY ?class""")
    from ...graph.namespaces import PREFIXES

    def short(iri: str) -> str:
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
            if iri.startswith(str(namespace)):
                return f"{prefix}:{iri[len(str(namespace)):]}"
        return f"<{iri}>"

    for cls, count in sorted((short(c.value), int(n.value)) for c, n in counts.terms):
        write(f"  {count:>7}  {visible(cls)}\n")
    return EXIT_OK
