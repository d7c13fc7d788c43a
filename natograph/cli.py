"""The ``natograph`` command. Exit codes: 0 ok, 1 validation found problems, 2 usage or input error."""

from __future__ import annotations

import argparse
import os
import signal
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
        from . import __version__
        from .errors import NatographError
        from .graph import resources

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
    q.add_argument("--lang", help="label language: en or fr (default en; -p lang=... is the same)")
    q.add_argument("--format", default="table", help="table, csv, tsv, json or xml (default table)")
    _add_limits(q)
    q.add_argument("--show-query", action="store_true",
                   help="print the query with its parameters bound (VALUES blocks), to run in any SPARQL tool; run nothing")
    _remote_options(q)

    s = sub.add_parser("sparql", help="run a read-only SPARQL query over the graph")
    source = s.add_mutually_exclusive_group(required=True)
    source.add_argument("query", nargs="?", help="the query text")
    source.add_argument("-f", "--file", help="read the query from FILE ('-' for standard input)")
    s.add_argument("--format", default="table",
                   help="SELECT and ASK: table, csv, tsv, json or xml; CONSTRUCT and DESCRIBE: turtle, ntriples, "
                        "jsonld or rdfxml (default table, which is turtle for a graph)")
    s.add_argument("--asserted", action="store_true", help="query the asserted triples only, without inference")
    _add_limits(s)
    _remote_options(s)

    v = sub.add_parser("validate", help="validate the shipped graph, or your own Turtle files against it")
    v.add_argument("paths", nargs="*", metavar="PATH", help="files or folders of .ttl files to check")
    v.add_argument("--format", default="text", help="text, turtle, json or sarif (default text)")
    v.add_argument("--fail-on", default="violation", help="exit 1 at this severity or worse: violation, warning, info")
    v.add_argument("--alone", action="store_true", help="check PATHs against the ontology only, without the shipped data")
    v.add_argument("--inferred-only", action="store_true", help="mark results that appear only after OWL RL inference")
    v.add_argument("--watch", action="store_true", help="validate again each time a .ttl or .rq file is saved (needs watchfiles)")
    v.add_argument("--jobs", type=_positive(int, "--jobs", least=1), default=None, metavar="N",
                   help="worker processes for SHACL on a big graph (default: one per core, at most 4)")
    _add_limits(v, rows=False)

    e = sub.add_parser("export", help="write the graph for other linked-data tools, or put it into a store")
    e.add_argument("--format", help="turtle, ntriples, jsonld, xml, trig or nquads (default turtle)")
    e.add_argument("--inferred", action="store_true",
                   help="include the triples OWL RL inference adds and the nodes the alignments generate")
    e.add_argument("--profile", help="write a profile of the graph: wikidata (Wikidata's statement model) or "
                                     "owl-dl (dates as text, for OWL 2 DL reasoners)")
    e.add_argument("-o", "--output", help="write to this file (atomically) instead of standard output")
    e.add_argument("--to", metavar="URL",
                   help="put the graph into the SPARQL 1.1 Graph Store at URL (HTTP PUT: replaces that graph)")
    e.add_argument("--graph", metavar="IRI", help="with --to: the named graph to replace (default: the default graph)")
    e.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="with --to: seconds to wait for the store (default 60)")

    sub.add_parser("stats", help="triples per part, resources per class")

    w = sub.add_parser("serve", help="a read-only SPARQL endpoint, the query catalogue as a web API, and resource pages")
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    w.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    w.add_argument("--timeout", type=float, default=30.0, help="seconds a query may run before it is stopped (default 30)")
    w.add_argument("--max-rows", type=int, default=10_000, help="rows a query returns at most (default 10000)")
    w.add_argument("--workers", type=int, default=None, help="query worker processes (default: 2 to 4, by CPU count)")
    w.add_argument("--memory-triples", type=int, default=None, metavar="N",
                   help="hold a graph of at most N triples in each worker's memory, a larger one is read from the "
                   "on-disk database (default 1000000; 0: never)")

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


def _positive(kind, what: str, *, least: int = 0):
    """An argparse type: a number of *kind*, *least* or more (0 means no limit where it is allowed)."""
    floor = "0 (no limit)" if least == 0 else str(least)

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not value >= least or value != value or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{what} must be {floor} or more, not {text!r}")
        return value

    return convert


def _add_limits(command: argparse.ArgumentParser, *, rows: bool = True) -> None:
    from .queries.limits import DEFAULT_MAX_MEMORY_MIB, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, DEFAULT_VALIDATE_TIMEOUT

    timeout = DEFAULT_TIMEOUT if rows else DEFAULT_VALIDATE_TIMEOUT
    command.add_argument("--timeout", type=_positive(float, "--timeout"), default=timeout, metavar="SECONDS",
                         help=f"stop after SECONDS, exit 2 (default {timeout:g}; 0: no limit)")
    if rows:
        command.add_argument("--max-rows", type=_positive(int, "--max-rows"), default=DEFAULT_MAX_ROWS, metavar="N",
                             help=f"refuse a result of more than N rows, exit 2 (default {DEFAULT_MAX_ROWS}; 0: no limit)")
    command.add_argument("--max-memory", type=_positive(int, "--max-memory"), default=DEFAULT_MAX_MEMORY_MIB,
                         metavar="MIB", help=f"stop when the work needs more memory, exit 2 "
                         f"(default {DEFAULT_MAX_MEMORY_MIB} MiB; 0: no limit)")


def _limits(args):
    from .queries.limits import Limits

    return Limits(timeout=args.timeout or None, max_rows=getattr(args, "max_rows", 0) or None,
                  max_memory_mib=args.max_memory or None)


def _remote_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", metavar="URL",
                        help="run on this SPARQL 1.1 Protocol endpoint instead of the shipped graph (--timeout: "
                             "seconds to wait for its answer)")


def _source(args):
    """Where queries run: None (the shipped store), or the --endpoint (waiting --timeout seconds)."""
    if args.endpoint is None:
        return None
    from .queries.remote import Endpoint

    return Endpoint(args.endpoint, timeout=args.timeout or None)


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
    from .queries.binding import LANGUAGES
    from .queries.catalogue import catalogue

    for name, query in sorted(catalogue().items()):
        _write(f"{name}\n    {query.summary}\n    columns: {', '.join(query.columns)}\n")
        for param in query.params:
            if param.type == "lang":  # one spelling for the language: --lang (-p lang= is accepted too)
                _write(f"    --lang {'|'.join(LANGUAGES)} -- label language (default {param.default or 'en'})\n")
                continue
            _write(f"    -p {param.describe()}" + (f" -- {param.doc}" if param.doc else "") + "\n")
    return EXIT_OK


def cmd_query(args) -> int:
    from .queries.binding import LANGUAGES
    from .queries.catalogue import get, run_stored
    from .queries.formats import RESULT_FORMATS, render

    fmt = _choice(args.format, RESULT_FORMATS, "format")
    stored = get(args.name)
    values = _params(args.param)
    if args.lang is not None:
        _choice(args.lang, LANGUAGES, "language")
        if "lang" in values and values["lang"].strip().lower() != args.lang:
            raise _UsageError(f"--lang {args.lang} and -p lang={values['lang']} disagree: give the language once")
        if stored.param("lang") is not None:
            values["lang"] = args.lang
    source = _source(args)
    if args.show_query:
        text = stored.bound_text(values, source)
        _write(text if text.endswith("\n") else text + "\n")
        return EXIT_OK
    result = run_stored(source, args.name, values)
    from .queries.limits import capped

    list(capped(result.terms, _limits(args).max_rows))
    _write(render(result, fmt))
    return EXIT_OK


def cmd_sparql(args) -> int:
    from .queries.formats import GRAPH_FORMATS, RESULT_FORMATS, render, render_boolean, render_graph
    from .queries.running import run_sparql

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
    fmt = _choice(args.format, (*RESULT_FORMATS, *GRAPH_FORMATS), "format")
    source = _source(args)
    if source is not None and args.asserted:
        raise _UsageError("--asserted cannot be used with --endpoint: the endpoint decides what its default graph holds")
    form, result = run_sparql(source, text, inferred=not args.asserted, max_rows=_limits(args).max_rows)
    if form in ("CONSTRUCT", "DESCRIBE"):
        if fmt in RESULT_FORMATS and fmt != "table":
            raise _UsageError(f"a {form} query returns a graph: format {fmt!r} is for SELECT and ASK results; "
                              f"use {', '.join(GRAPH_FORMATS)}")
        sys.stdout.buffer.write(render_graph(result, "turtle" if fmt == "table" else fmt))
        return EXIT_OK
    if fmt in GRAPH_FORMATS:
        raise _UsageError(f"format {fmt!r} is for the graphs CONSTRUCT and DESCRIBE return; "
                          f"a {form} query's results are {', '.join(RESULT_FORMATS)}")
    _write(render_boolean(result, fmt) if form == "ASK" else render(result, fmt))
    return EXIT_OK


def cmd_validate(args) -> int:
    from .checks.reports import REPORT_FORMATS
    from .checks.results import SEVERITIES
    from .checks.validation import validate

    fmt = _choice(args.format, tuple(REPORT_FORMATS), "format")
    fail_on = _choice(args.fail_on, SEVERITIES, "severity")

    def once() -> int:
        report = validate(args.paths, alone=args.alone, inferred_only=args.inferred_only, jobs=args.jobs)
        _write(REPORT_FORMATS[fmt](report))
        if fmt != "text":
            sys.stderr.write(report.summary() + "\n")
        return EXIT_INVALID if report.fails(fail_on) else EXIT_OK

    if getattr(args, "watch", False):
        from .checks.watching import watch

        return watch(once, args.paths)
    return once()


def cmd_export(args) -> int:
    from .graph.serializing import EXPORT_FORMATS
    from .output import blocks, write_atomic, write_bytes
    from .publish.exporting import PROFILES, export, export_parts

    fmt = _choice(args.format or "turtle", EXPORT_FORMATS, "format")
    if args.profile is not None:
        _choice(args.profile, PROFILES, "profile")
        if args.profile == "wikidata" and args.inferred:
            raise _UsageError("--profile wikidata and --inferred cannot be combined: "
                              "the profile is built from the inferred graph")
    if args.to is None:
        if args.graph is not None or args.timeout is not None:
            raise _UsageError("--graph and --timeout go with --to URL")
        parts = export_parts(fmt, inferred=args.inferred, profile=args.profile)
        if args.output is None:
            for block in blocks(parts):
                write_bytes(block)
        else:
            write_atomic(args.output, parts)
        return EXIT_OK
    from .queries.remote import DEFAULT_TIMEOUT, put_graph

    if args.output is not None:
        raise _UsageError("give either --to URL or -o FILE")
    if args.format not in (None, "ntriples"):
        raise _UsageError("--to sends N-Triples, the format every Graph Store reads: leave out --format")
    data = export("ntriples", inferred=args.inferred, profile=args.profile)
    status = put_graph(args.to, data, graph=args.graph,
                       timeout=DEFAULT_TIMEOUT if args.timeout is None else args.timeout)
    where = f"graph <{args.graph}>" if args.graph else "default graph"
    triples = data.count(b"\n")
    sys.stderr.write(f"natograph: {triples} triples replace the {where} of {args.to} (HTTP {status})\n")
    return EXIT_OK


def cmd_stats(args) -> int:
    from .graph import resources
    from .graph.loading import engine_for
    from .queries.running import select

    engine = engine_for()
    _write(f"root: {resources.current().describe()}\n\ntriples per part\n")
    for part in engine.parts():
        _write(f"  {part.triples:>7}  {part.name}\n")
    _write(f"  {engine.triples:>7}  total (with inference)\n\nresources per class\n")
    counts = select(engine, """
        SELECT ?class (COUNT(?resource) AS ?n) WHERE {
            ?resource a ?class . FILTER (STRSTARTS(STR(?class), "https://w3id.org/natograph/"))
        } GROUP BY ?class""")
    from .graph.namespaces import PREFIXES

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
    if args.memory_triples is not None and args.memory_triples < 0:
        raise _UsageError("--memory-triples must be 0 or more")
    return serve(host=args.host, port=args.port, timeout=args.timeout, max_rows=args.max_rows, workers=args.workers,
                 memory_triples=args.memory_triples)


def _diff_side(side: str) -> list:
    """A side of a diff as input files: a root's graph files, or .ttl files (a file or a folder of them)
    in place of or beside the files of the root in use."""
    from pathlib import Path

    from .graph import resources
    from .graph.parsing import expand_paths

    if resources.is_root(side):
        return resources.graph_files_of(side)
    inputs, _replaced = resources.replace_files(resources.graph_files(), expand_paths([Path(side)]))
    return inputs


def cmd_diff(args) -> int:
    import tempfile
    from pathlib import Path

    from .checks.diff import diff_roots, git_root, render_json, render_text
    from .graph import resources

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
    from .publish.release import release

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


LIMITED = ("query", "sparql", "validate")
"""Commands run in a child process under a deadline and a memory ceiling (natograph.limits)."""


def _error(message: str) -> int:
    sys.stderr.write(f"natograph: error: {' '.join(str(message).split())}\n")
    return EXIT_USAGE


def _dispatch(args) -> int:
    """Run the command; every failure is one line on stderr and an exit code, never a traceback."""
    from .errors import NatographError

    try:
        code = COMMANDS[args.command](args)
        sys.stdout.flush()
        return code
    except (_UsageError, NatographError) as exc:
        return _error(str(exc))
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        sys.stderr.write("natograph: interrupted\n")
        return 130
    except OSError as exc:  # the output cannot be written: a full disk, a file size limit
        _silence_stdout()
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else "output: "
        return _error(f"{where}cannot write ({exc.strerror or exc})")
    except RecursionError:
        return _error("the input is nested too deeply to be read")
    except MemoryError:
        return _error("out of memory")
    except Exception as exc:  # a bug: still one line (with what to report), never a traceback
        return _error(f"internal error ({type(exc).__name__}: {exc}); please report it")


def _silence_stdout() -> None:
    """After a failed write, point standard output at /dev/null: the interpreter's last flush then
    has nothing to complain about."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def _captured(args) -> tuple[int, bytes]:
    """Run the command with its standard output and error kept, to be sent back to the parent:
    [8-byte length of stdout] stdout stderr."""
    import io

    out, err = io.BytesIO(), io.BytesIO()
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", write_through=True)
    code = _dispatch(args)
    body = out.getvalue()
    return code, len(body).to_bytes(8, "big") + body + err.getvalue()


def _emit(payload: bytes) -> int:
    from .output import write_bytes

    size = int.from_bytes(payload[:8], "big")
    body, err = payload[8:8 + size], payload[8 + size:]
    if err:
        sys.stderr.write(err.decode("utf-8", "replace"))
        sys.stderr.flush()
    try:
        write_bytes(body)
    except BrokenPipeError:
        _silence_stdout()
    except OSError as exc:
        _silence_stdout()
        return _error(f"output: cannot write ({exc.strerror or exc})")
    return EXIT_OK


def _open_shipped_store() -> None:
    """Open (on a cold cache: build) the shipped graph's store before the clock starts: the child
    inherits it, and a deadline shorter than a cold build can never keep the cache from warming.
    What the user's own files cost (validate PATH...) stays inside the deadline. A failure here is
    left for the child to report."""
    try:
        from .graph.store.opening import open_engine  # not natograph.graph.loading: a warm query imports no rdflib

        open_engine()
    except Exception:  # reported, in one line, when the command itself opens the store
        pass


def _utf8_streams() -> None:
    """natograph writes UTF-8 whatever the locale (LC_ALL=C included): RDF and SPARQL results are
    UTF-8 by definition; error messages never fail on a character the locale lacks."""
    for name, errors in (("stdout", "strict"), ("stderr", "backslashreplace")):
        stream = getattr(sys, name)
        try:
            if (stream.encoding or "").lower().replace("-", "") != "utf8" or stream.errors != errors:
                stream.reconfigure(encoding="utf-8", errors=errors)
        except (AttributeError, ValueError, OSError):
            pass


def _quiet_rdflib() -> None:
    """rdflib logs a traceback for every ill-typed literal ("2024-02-30"^^xsd:date); the shapes report
    those as violations with the file and line, so the log would only be noise on the terminal."""
    import logging

    logging.getLogger("rdflib").setLevel(logging.CRITICAL)


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    if hasattr(signal, "SIGXFSZ"):  # a file size limit (ulimit -f): a write error to report, not a kill
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    if args.command != "query":  # a query on the store never imports rdflib (nor logging, 5 ms)
        _quiet_rdflib()
    from .graph import resources

    previous, previous_env = resources.chosen(), os.environ.get(resources.ENV_VAR)
    try:
        if args.root is not None:
            from .errors import NatographError

            try:
                chosen = resources.use_root(args.root)
            except NatographError as exc:
                return _error(str(exc))
            # The environment too, so processes natograph starts (serve's workers) read the same root.
            os.environ[resources.ENV_VAR] = str(chosen.path)
        return _run(args)
    finally:
        if args.root is not None:
            resources.use_root(previous.path if previous is not None else None)
            if previous_env is None:
                os.environ.pop(resources.ENV_VAR, None)
            else:
                os.environ[resources.ENV_VAR] = previous_env


def _run(args) -> int:
    """The command: in this process, or, for the limited ones, in a child under the limits."""
    if args.command not in LIMITED or getattr(args, "watch", False):  # --watch runs until stopped
        return _dispatch(args)
    from .queries.limits import LimitError, run_limited

    _open_shipped_store()
    try:
        code, payload = run_limited(lambda: _captured(args), _limits(args))
    except LimitError as exc:
        return _error(str(exc))
    except KeyboardInterrupt:
        sys.stderr.write("natograph: interrupted\n")
        return 130
    if len(payload) >= 8:
        written = _emit(payload)
        if written != EXIT_OK:
            return written
    return code


def entry_point() -> None:  # console script
    sys.exit(main())
