"""``natograph export``: the graph for other linked-data tools, or put into a Graph Store."""

from __future__ import annotations

import sys

from ..options import EXIT_OK, MAX_TIMEOUT, UsageError, choice, positive

HELP = "write the graph for other linked-data tools, or put it into a store"
LIMITED = False


def arguments(parser) -> None:
    parser.add_argument("--format", help="turtle, ntriples, jsonld, xml, trig or nquads (default turtle)")
    parser.add_argument("--inferred", action="store_true", help="include the triples OWL RL inference adds")
    parser.add_argument("--alignments", action="store_true",
                        help="include the nodes the alignment queries generate (OWL-Time, PROV-O, ORG)")
    parser.add_argument("--profile", help="write a profile of the graph: wikidata (Wikidata's statement model) or "
                        "owl-dl (dates as text, for OWL 2 DL reasoners)")
    parser.add_argument("-o", "--output", help="write to this file (atomically) instead of standard output")
    parser.add_argument("--to", metavar="URL",
                        help="put the graph into the SPARQL 1.1 Graph Store at URL (HTTP PUT: replaces that graph)")
    parser.add_argument("--graph", metavar="IRI", help="with --to: the named graph to replace (default: the default graph)")
    parser.add_argument("--timeout", type=positive(float, "--timeout", most=MAX_TIMEOUT), default=None, metavar="SECONDS",
                        help="with --to: seconds to wait for the store (default 60; 0: no limit)")


def run(args) -> int:
    from ...graph.serializing import EXPORT_FORMATS
    from ...output import blocks, write_atomic, write_bytes
    from ...publish.exporting import PROFILES, export, export_parts

    fmt = choice(args.format or "turtle", EXPORT_FORMATS, "format")
    if args.profile is not None:
        choice(args.profile, PROFILES, "profile")
        if args.profile == "wikidata" and (args.inferred or args.alignments):
            flag = "--inferred" if args.inferred else "--alignments"
            raise UsageError(f"--profile wikidata and {flag} cannot be combined: "
                              "the profile is built from the inferred graph")
    if args.to is None:
        if args.graph is not None or args.timeout is not None:
            raise UsageError("--graph and --timeout go with --to URL")
        parts = export_parts(fmt, inferred=args.inferred, alignments=args.alignments, profile=args.profile)
        if args.output is None:
            for block in blocks(parts):
                write_bytes(block)
        else:
            write_atomic(args.output, parts)
        return EXIT_OK
    from ...queries.remote import DEFAULT_TIMEOUT, put_graph

    if args.output is not None:
        raise UsageError("give either --to URL or -o FILE")
    if args.format not in (None, "ntriples"):
        raise UsageError("--to sends N-Triples, the format every Graph Store reads: leave out --format")
    data = export("ntriples", inferred=args.inferred, alignments=args.alignments, profile=args.profile)
    status = put_graph(args.to, data, graph=args.graph,
                       timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout or None)
    from ...output import visible

    where = f"graph <{args.graph}>" if args.graph else "default graph"
    triples = data.count(b"\n")
    sys.stderr.write(visible(f"natograph: {triples} triples replace the {where} of {args.to} (HTTP {status})") + "\n")
    return EXIT_OK
