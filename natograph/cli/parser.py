"""The ``natograph`` argument parser, built from the command table (``table.COMMANDS``): the global
options (``--version``, ``--root``) and one subcommand per row, with the arguments its module declares."""

from __future__ import annotations

import argparse
import sys

from .options import EXIT_OK, EXIT_USAGE
from .table import COMMANDS


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors as one line on stderr and exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        from ..output import visible

        self.exit(EXIT_USAGE, f"natograph: error: {visible(message)} (see natograph --help)\n")


class _Version(argparse.Action):
    """--version: natograph's version, the day the data is as of, and the root its files are read from
    (after a --root before it): ``natograph 0.1.0 (data as of 2026-12-07)``. Data that cannot be read
    is one line on stderr and exit code 2, after the version."""

    def __call__(self, parser, namespace, values, option_string=None):
        from .._version import __version__
        from ..errors import NatographError
        from ..graph import resources

        try:
            where = resources.use_root(namespace.root).describe() if namespace.root else resources.current().describe()
            as_of, error = _data_as_of()
        except NatographError as exc:
            from ..output import visible

            parser.exit(EXIT_USAGE, f"natograph: error: {visible(str(exc))}\n")
        finally:
            if namespace.root:
                resources.use_root(None)
        sys.stdout.write(f"natograph {__version__}{f' (data as of {as_of})' if as_of else ''}\nroot: {where}\n")
        if error:
            parser.exit(EXIT_USAGE, f"natograph: error: {error}\n")
        parser.exit(EXIT_OK)


def _data_as_of() -> tuple[str, str]:
    """(the day the data of the root in use is as of, or ""; the error reading it, or "")."""
    from ..errors import NatographError
    from ..graph.currency import data_as_of
    from ..graph.loading import engine_for

    try:
        return data_as_of(engine_for()), ""
    except NatographError as exc:
        return "", str(exc)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="natograph",
        description="Query, export and validate the natograph knowledge graph of NATO's partnerships.",
        epilog="Exit codes: 0 ok; 1 validation found problems; 2 usage or input error.",
    )
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print the version, the day the data is as of and the root in use, then exit")
    parser.add_argument("--root", metavar="DIR", help="read ontology/, data/ and queries/ from DIR (default: $NATOGRAPH_ROOT, "
                        "else the checkout holding the working directory, else the installed copy)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, command in COMMANDS.items():
        command.arguments(sub.add_parser(name, help=command.HELP, description=getattr(command, "DESCRIPTION", None)))
    return parser
