"""``natograph stats``: the root, the day the data is as of, triples per part, the alignments' graph, resources per
class."""

from __future__ import annotations

from ..options import EXIT_OK, write

HELP = "the day the data is as of, triples per part, resources per class"
LIMITED = False


def arguments(parser) -> None:
    """No arguments."""


def run(args) -> int:
    from ...graph import resources
    from ...graph.currency import data_as_of
    from ...graph.loading import engine_for
    from ...output import visible
    from ...queries.running import select

    engine = engine_for()
    write(f"root: {visible(resources.current().describe())}\n")
    write(f"data as of: {data_as_of(engine) or 'not declared (no ng:dataAsOf in the data)'}\n\ntriples per part\n")
    for part in engine.parts():
        write(f"  {part.triples:>7}  {visible(part.name)}\n")
    write(f"  {engine.triples:>7}  total (with inference)\n\n")
    from ...publish.alignments import alignment_triples

    # not in the total: no reasoner writes them (natograph.publish.alignments)
    write(f"nodes the alignments generate (export --alignments)\n  {sum(1 for _ in alignment_triples(engine)):>7}  triples\n\n")
    write("resources per class\n")
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
