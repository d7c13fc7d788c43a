"""``natograph query NAME``: run a stored query, its parameters bound as RDF terms."""

from __future__ import annotations

from ..options import EXIT_OK, UsageError, add_limits, add_remote, choice, limits_of, params, source_of, write

HELP = "run a stored query"
LIMITED = True
"""Run in a child process under the limits (``--timeout``, ``--max-memory``: ``natograph.queries.limits``)."""


def arguments(parser) -> None:
    parser.add_argument("name", help="stored query name (see: natograph list)")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="a parameter, repeatable")
    parser.add_argument("--lang", help="label language: en or fr (default en; -p lang=... is the same)")
    parser.add_argument("--format", default="table", help="table, csv, tsv, json or xml (default table)")
    add_limits(parser)
    parser.add_argument("--show-query", action="store_true",
                        help="print the query with its parameters bound (VALUES blocks), to run in any SPARQL tool; run nothing")
    add_remote(parser)


def run(args) -> int:
    from ...queries.binding import LANGUAGES
    from ...queries.catalogue import get, run_stored
    from ...queries.formats import RESULT_FORMATS, render

    fmt = choice(args.format, RESULT_FORMATS, "format")
    stored = get(args.name)
    values = params(args.param)
    if args.lang is not None:
        choice(args.lang, LANGUAGES, "language")
        if "lang" in values and values["lang"].strip().lower() != args.lang:
            raise UsageError(f"--lang {args.lang} and -p lang={values['lang']} disagree: give the language once")
        if stored.param("lang") is not None:
            values["lang"] = args.lang
    source = source_of(args)
    if args.show_query:
        text = stored.bound_text(values, source)
        write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    result = run_stored(source, args.name, values)
    from ...queries.limits import capped

    list(capped(result.terms, limits_of(args).max_rows))
    write(render(result, fmt))
    return EXIT_OK
