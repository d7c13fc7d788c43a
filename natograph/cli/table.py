"""The commands of ``natograph``, in the order ``natograph --help`` lists them: a command is a module
of ``natograph.cli.commands`` and its line here. The module declares everything about it: ``HELP``
(and ``DESCRIPTION``), ``LIMITED`` (run in a child process under ``--timeout`` and
``--max-memory``), ``arguments(parser)`` and ``run(args) -> int``. The modules import what their
work needs when it runs, so listing them here costs a cold query nothing."""

from __future__ import annotations

from .commands import catalogue, diff, export, query, release, serve, sparql, stats, validate

COMMANDS = {
    "list": catalogue,
    "query": query,
    "sparql": sparql,
    "validate": validate,
    "export": export,
    "stats": stats,
    "serve": serve,
    "diff": diff,
    "release": release,
}
