"""``natograph validate``: the shipped graph, or the user's files with it, against the shapes and checks."""

from __future__ import annotations

import sys

from ..options import EXIT_INVALID, EXIT_OK, add_limits, choice, positive, write

HELP = "validate the shipped graph, or your own Turtle files against it"
LIMITED = True
"""Run in a child process under the limits (``--timeout``, ``--max-memory``: ``natograph.queries.limits``)."""


def arguments(parser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders of .ttl files to check")
    parser.add_argument("--format", default="text", help="text, turtle, json or sarif (default text)")
    parser.add_argument("--fail-on", default="violation", help="exit 1 at this severity or worse: violation, warning, info")
    parser.add_argument("--alone", action="store_true", help="check PATHs against the ontology only, without the shipped data")
    parser.add_argument("--inferred-only", action="store_true", help="mark results that appear only after OWL RL inference")
    parser.add_argument("--watch", action="store_true",
                        help="validate again each time a .ttl or .rq file is saved (needs watchfiles)")
    parser.add_argument("--jobs", type=positive(int, "--jobs", least=1), default=None, metavar="N",
                        help="worker processes for SHACL on a big graph (default: one per core, at most 4)")
    add_limits(parser, rows=False)


def run(args) -> int:
    from ...checks.reports import REPORT_FORMATS
    from ...checks.results import SEVERITIES
    from ...checks.validation import validate

    fmt = choice(args.format, tuple(REPORT_FORMATS), "format")
    fail_on = choice(args.fail_on, SEVERITIES, "severity")

    def once() -> int:
        report = validate(args.paths, alone=args.alone, inferred_only=args.inferred_only, jobs=args.jobs)
        write(REPORT_FORMATS[fmt](report))
        if fmt != "text":
            sys.stderr.write(report.summary() + "\n")
        return EXIT_INVALID if report.fails(fail_on) else EXIT_OK

    if getattr(args, "watch", False):
        from ...checks.watching import watch

        return watch(once, args.paths)
    return once()
