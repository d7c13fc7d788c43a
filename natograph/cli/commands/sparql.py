"""``natograph sparql``: run a read-only SPARQL query over the graph, or on an endpoint."""

from __future__ import annotations

import sys

from ..options import EXIT_OK, UsageError, add_limits, add_remote, choice, limits_of, source_of, write

HELP = "run a read-only SPARQL query over the graph"
LIMITED = True
"""Run in a child process under the limits (``--timeout``, ``--max-memory``: ``natograph.queries.limits``)."""


def arguments(parser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the query text")
    source.add_argument("-f", "--file", help="read the query from FILE ('-' for standard input)")
    parser.add_argument("--format", default="table",
                        help="SELECT and ASK: table, csv, tsv, json or xml; CONSTRUCT and DESCRIBE: turtle, ntriples, "
                        "jsonld or rdfxml (default table, which is turtle for a graph)")
    parser.add_argument("--asserted", action="store_true", help="query the asserted triples only, without inference")
    parser.add_argument("--base", metavar="IRI", help="resolve relative IRIs against IRI (default: the query file's file: URI, "
                        "else the working directory's; with --endpoint, sent as BASE only when given)")
    add_limits(parser)
    add_remote(parser)


def run(args) -> int:
    from ...queries.formats import GRAPH_FORMATS, RESULT_FORMATS, render, render_boolean, render_graph
    from ...queries.running import default_base, run_sparql

    if args.file is not None:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            try:
                with open(args.file, encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"{args.file}: cannot read query ({getattr(exc, 'strerror', None) or exc})") from None
    else:
        text = args.query
    if not text or not text.strip():
        raise UsageError("the query is empty")
    fmt = choice(args.format, (*RESULT_FORMATS, *GRAPH_FORMATS), "format")
    source = source_of(args)
    if source is not None and args.asserted:
        raise UsageError("--asserted cannot be used with --endpoint: the endpoint decides what its default graph holds")
    base = args.base if args.base is not None or source is not None else default_base(args.file)
    form, result = run_sparql(source, text, inferred=not args.asserted, max_rows=limits_of(args).max_rows, base_iri=base)
    if form in ("CONSTRUCT", "DESCRIBE"):
        if fmt in RESULT_FORMATS and fmt != "table":
            raise UsageError(f"a {form} query returns a graph: format {fmt!r} is for SELECT and ASK results; "
                              f"use {', '.join(GRAPH_FORMATS)}")
        sys.stdout.buffer.write(render_graph(result, "turtle" if fmt == "table" else fmt))
        return EXIT_OK
    if fmt in GRAPH_FORMATS:
        raise UsageError(f"format {fmt!r} is for the graphs CONSTRUCT and DESCRIBE return; "
                          f"a {form} query's results are {', '.join(RESULT_FORMATS)}")
    write(render_boolean(result, fmt) if form == "ASK" else render(result, fmt))
    return EXIT_OK
