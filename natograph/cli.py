"""The ``natograph`` command. Exit codes: 0 ok, 1 validation found problems, 2 usage or input error."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line on stderr and exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(EXIT_USAGE, f"natograph: error: {message} (see natograph --help)\n")


class _Version(argparse.Action):
    """--version: natograph's version and the root its files are read from (after a --root before it)."""

    def __call__(self, parser, namespace, values, option_string=None):
        from . import __version__, resources
        from .errors import NatographError

        try:
            where = resources.use_root(namespace.root).describe() if namespace.root else resources.current().describe()
        except NatographError as exc:
            parser.exit(EXIT_USAGE, f"natograph: error: {exc}\n")
        finally:
            if namespace.root:
                resources.use_root(None)
        sys.stdout.write(f"natograph {__version__}\nroot: {where}\n")
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="natograph",
        description="Query, export and validate the natograph knowledge graph of NATO's partnerships.",
        epilog="Exit codes: 0 ok; 1 validation found problems; 2 usage or input error.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the version and the root in use, then exit")
    parser.add_argument("--root", metavar="DIR", help="read ontology/, data/ and queries/ from DIR (default: $NATOGRAPH_ROOT, "
                        "else the checkout holding the working directory, else the installed copy)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    sub.add_parser("list", help="the catalogue of stored queries, with summaries and parameters")

    q = sub.add_parser("query", help="run a stored query")
    q.add_argument("name", help="stored query name (see: natograph list)")
    q.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE", help="a parameter, repeatable")
    q.add_argument("--lang", default="en", help="label language: en or fr (default en)")
    q.add_argument("--format", default="table", help="table, csv, tsv, json or xml (default table)")

    s = sub.add_parser("sparql", help="run a read-only SPARQL query over the graph")
    source = s.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the query text")
    source.add_argument("-f", "--file", help="read the query from FILE ('-' for standard input)")
    s.add_argument("--format", default="table", help="table, csv, tsv, json or xml; turtle or ntriples for CONSTRUCT/DESCRIBE")
    s.add_argument("--asserted", action="store_true", help="query the asserted triples only, without inference")

    v = sub.add_parser("validate", help="validate the shipped graph, or your own Turtle files against it")
    v.add_argument("paths", nargs="*", metavar="PATH", help="files or folders of .ttl files to check")
    v.add_argument("--format", default="text", help="text, turtle, json or sarif (default text)")
    v.add_argument("--fail-on", default="violation", help="exit 1 at this severity or worse: violation, warning, info")
    v.add_argument("--alone", action="store_true", help="check PATHs against the ontology only, without the shipped data")
    v.add_argument("--inferred-only", action="store_true", help="mark results that appear only after OWL RL inference")
    v.add_argument("--watch", action="store_true", help="validate again each time a .ttl or .rq file is saved (needs watchfiles)")

    e = sub.add_parser("export", help="write the graph for other linked-data tools")
    e.add_argument("--format", default="turtle", help="turtle, ntriples, jsonld, xml, trig or nquads (default turtle)")
    e.add_argument("--inferred", action="store_true",
                   help="include the triples OWL RL inference adds and the nodes the alignments generate")
    e.add_argument("--profile", help="write a profile of the graph instead: wikidata (Wikidata's statement model)")
    e.add_argument("-o", "--output", help="write to this file (atomically) instead of standard output")

    sub.add_parser("stats", help="triples per part, resources per class")

    w = sub.add_parser("serve", help="a read-only SPARQL endpoint, the query catalogue as a web API, and resource pages")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    w.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    w.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run before it is stopped (default 30)")
    w.add_argument("--max-rows", type=int, default=10_000, help="rows a query returns at most (default 10000)")
    w.add_argument("--workers", type=int, default=None, help="query worker processes (default: 2 to 4, by CPU count)")

    d = sub.add_parser("diff", help="what an edit changes: triples, inferred triples and stored-query answers",
                       description="Compare two roots (folders holding ontology/, data/, queries/) or two sets of "
                       ".ttl files (each replacing or added to the root in use), or the root in use against a git "
                       "commit of its checkout. Exit 0 when equal, 1 when not, 2 on bad input.")
    d.add_argument("sides", nargs="*", metavar="SIDE", help="OLD NEW (with one SIDE: the root in use against it)")
    d.add_argument("--git", metavar="REV", help="compare the root in use against its checkout at commit REV")
    d.add_argument("--format", default="text", help="text or json (default text)")

    r = sub.add_parser("release", help="build a folder ready to publish: dumps, VoID/DCAT, ontology docs, a static site")
    r.add_argument("-o", "--output", default="site", help="the release folder (default: site)")
    r.add_argument("--endpoint-url", help="the public SPARQL endpoint, when one is served")
    r.add_argument("--site-url", help="where the folder will be published: writes w3id/.htaccess redirecting there")
    r.add_argument("--previous", metavar="DIR", help="an earlier release folder: the release notes list what changed")
    return parser


def _choice(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise _UsageError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


class _UsageError(Exception):
    pass


def _params(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise _UsageError(f"parameter {pair!r} is not KEY=VALUE")
        if key.strip() in values:
            raise _UsageError(f"parameter {key.strip()!r} given twice")
        values[key.strip()] = value
    return values


def _write(text: str) -> None:
    sys.stdout.write(text)


def cmd_list(args) -> int:
    from .queries import catalogue

    for name, query in sorted(catalogue().items()):
        _write(f"{name}\n    {query.summary}\n    columns: {', '.join(query.columns)}\n")
        for param in query.params:
            _write(f"    -p {param.describe()}" + (f" -- {param.doc}" if param.doc else "") + "\n")
    return EXIT_OK


def cmd_query(args) -> int:
    from . import query as run_query
    from .formatting import RESULT_FORMATS, render
    from .queries import LANGUAGES, get

    fmt = _choice(args.format, RESULT_FORMATS, "format")
    _choice(args.lang, LANGUAGES, "language")
    stored = get(args.name)
    values = _params(args.param)
    if "lang" in values and stored.param("lang") is not None:
        raise _UsageError("give the language with --lang, not -p lang=")
    result = run_query(args.name, values, lang=args.lang)
    _write(render(result, fmt))
    return EXIT_OK


def cmd_sparql(args) -> int:
    from .formatting import RESULT_FORMATS, render
    from .queries import run_sparql

    if args.file is not None:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            try:
                with open(args.file, encoding="utf-8") as handle:
                    text = handle.read()
            except (OSError, UnicodeDecodeError) as exc:
                raise _UsageError(f"{args.file}: cannot read query ({getattr(exc, 'strerror', None) or exc})") from None
    else:
        text = args.query
    if not text or not text.strip():
        raise _UsageError("the query is empty")
    graph_formats = ("turtle", "ntriples")
    fmt = _choice(args.format, (*RESULT_FORMATS, *graph_formats), "format")
    form, result = run_sparql(None, text, inferred=not args.asserted)
    if form in ("CONSTRUCT", "DESCRIBE"):
        from rdflib import Graph

        from .exporting import serialize
        from .queries import to_rdflib

        if fmt not in graph_formats:
            fmt = "turtle"
        graph = Graph()
        for triple in result:
            graph.add(tuple(to_rdflib(t) for t in triple))
        sys.stdout.buffer.write(serialize(graph, fmt))
        return EXIT_OK
    if form == "ASK":
        _write(("true" if result else "false") + "\n")
        return EXIT_OK
    if fmt in graph_formats:
        raise _UsageError(f"format {fmt!r} is for CONSTRUCT and DESCRIBE queries")
    _write(render(result, fmt))
    return EXIT_OK


def cmd_validate(args) -> int:
    from .validation import REPORT_FORMATS, SEVERITIES, validate

    fmt = _choice(args.format, tuple(REPORT_FORMATS), "format")
    fail_on = _choice(args.fail_on, SEVERITIES, "severity")

    def once() -> int:
        report = validate(args.paths, alone=args.alone, inferred_only=args.inferred_only)
        _write(REPORT_FORMATS[fmt](report))
        if fmt != "text":
            sys.stderr.write(report.summary() + "\n")
        return EXIT_INVALID if report.fails(fail_on) else EXIT_OK

    if getattr(args, "watch", False):
        from .watching import watch

        return watch(once, args.paths)
    return once()


def cmd_export(args) -> int:
    from .exporting import EXPORT_FORMATS, export

    fmt = _choice(args.format, EXPORT_FORMATS, "format")
    if args.profile is not None and args.inferred:
        raise _UsageError("--profile and --inferred cannot be combined: a profile is built from the inferred graph")
    data = export(fmt, inferred=args.inferred, profile=args.profile, output=args.output)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return EXIT_OK


def cmd_stats(args) -> int:
    from . import resources
    from .graph import engine_for
    from .queries import select

    engine = engine_for()
    _write(f"root: {resources.current().describe()}\n\ntriples per part\n")
    for part in engine.parts():
        _write(f"  {part.triples:>7}  {part.name}\n")
    _write(f"  {engine.triples:>7}  total (with inference)\n\nresources per class\n")
    counts = select(engine, """
        SELECT ?class (COUNT(?resource) AS ?n) WHERE {
            ?resource a ?class . FILTER (STRSTARTS(STR(?class), "https://w3id.org/natograph/"))
        } GROUP BY ?class""")
    from .namespaces import PREFIXES

    def short(iri: str) -> str:
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
            if iri.startswith(str(namespace)):
                return f"{prefix}:{iri[len(str(namespace)):]}"
        return f"<{iri}>"

    for cls, count in sorted((short(c.value), int(n.value)) for c, n in counts.terms):
        _write(f"  {count:>7}  {cls}\n")
    return EXIT_OK


def cmd_serve(args) -> int:
    from .web.serve import serve

    if args.timeout <= 0 or args.max_rows <= 0 or not 0 <= args.port <= 65535 or (args.workers is not None and args.workers < 1):
        raise _UsageError("--timeout, --max-rows and --workers must be positive, --port between 0 and 65535")
    return serve(host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows, workers=args.workers)


def _diff_side(side: str) -> list:
    """A side of a diff as input files: a root's graph files, or .ttl files (a file or a folder of them)
    in place of or beside the files of the root in use."""
    from pathlib import Path

    from . import resources
    from .parsing import expand_paths

    if resources.is_root(side):
        return resources.graph_files_of(side)
    inputs, _replaced = resources.replace_files(resources.graph_files(), expand_paths([Path(side)]))
    return inputs


def cmd_diff(args) -> int:
    import tempfile
    from pathlib import Path

    from . import resources
    from .diff import diff_roots, git_root, render_json, render_text

    renderers = {"text": render_text, "json": render_json}
    fmt = _choice(args.format, tuple(renderers), "format")
    with tempfile.TemporaryDirectory(prefix="natograph-diff-") as scratch:
        if args.git is not None:
            if args.sides:
                raise _UsageError("give either --git REV or OLD NEW, not both")
            old = resources.graph_files_of(git_root(args.git, resources.root(), Path(scratch)))
            new = resources.graph_files()
        elif len(args.sides) == 1:
            old, new = resources.graph_files(), _diff_side(args.sides[0])
        elif len(args.sides) == 2:
            old, new = _diff_side(args.sides[0]), _diff_side(args.sides[1])
        else:
            raise _UsageError("diff needs OLD NEW, one SIDE, or --git REV")
        result = diff_roots(old, new)
    _write(renderers[fmt](result))
    return EXIT_OK if result.equal else EXIT_INVALID


def cmd_release(args) -> int:
    from .publish import release

    rel = release(args.output, endpoint_url=args.endpoint_url, site_url=args.site_url, previous=args.previous)
    sys.stderr.write(f"natograph {rel.version}: {len(rel.files)} files in {rel.folder}"
                     f" ({rel.stats['triples']} triples, {len(rel.distributions)} distributions)\n")
    return EXIT_OK


COMMANDS = {
    "list": cmd_list,
    "query": cmd_query,
    "sparql": cmd_sparql,
    "validate": cmd_validate,
    "export": cmd_export,
    "stats": cmd_stats,
    "serve": cmd_serve,
    "diff": cmd_diff,
    "release": cmd_release,
}


def main(argv: Sequence[str] | None = None) -> int:
    import logging

    from .errors import NatographError

    # rdflib logs a traceback for every ill-typed literal ("2024-02-30"^^xsd:date); the shapes report
    # those as violations with the file and line, so the log would only be noise on the terminal.
    logging.getLogger("rdflib").setLevel(logging.CRITICAL)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    from . import resources

    previous, previous_env = resources.chosen(), os.environ.get(resources.ENV_VAR)
    try:
        if args.root is not None:
            # The environment too, so processes natograph starts (serve's workers) read the same root.
            os.environ[resources.ENV_VAR] = str(resources.use_root(args.root).path)
        return COMMANDS[args.command](args)
    except (_UsageError, NatographError) as exc:
        sys.stderr.write(f"natograph: error: {exc}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("natograph: interrupted\n")
        return 130
    finally:
        if args.root is not None:
            resources.use_root(previous.path if previous is not None else None)
            if previous_env is None:
                os.environ.pop(resources.ENV_VAR, None)
            else:
                os.environ[resources.ENV_VAR] = previous_env


def entry_point() -> None:  # console script
    sys.exit(main())
