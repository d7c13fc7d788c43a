"""What the commands share: the exit codes, the usage error, the limit and endpoint options (with
their defaults from ``natograph.queries.limits``), reading ``-p KEY=VALUE``, and writing text."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


MAX_TIMEOUT = 86_400
"""The longest --timeout a command takes, in seconds (a day; 0 is no limit at all): a larger number
would overflow the clocks it is added to."""

MAX_MEMORY_MIB = 1 << 20
"""The largest --max-memory, in MiB (1 TiB; 0 is no limit at all)."""


def positive(kind, what: str, *, least: int = 0, most: float | None = None):
    """An argparse type: a number of *kind*, *least* or more (0 means no limit where it is allowed),
    and *most* at most when given."""
    floor = "0 (no limit)" if least == 0 else str(least)
    span = f"from {floor} to {most:,}" if most is not None else f"{floor} or more"

    def convert(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not value >= least or value != value or value == float("inf") or (most is not None and value > most):
            raise argparse.ArgumentTypeError(f"{what} must be {span}, not {text!r}")
        return value

    return convert


def add_limits(command: argparse.ArgumentParser, *, rows: bool = True) -> None:
    from ..queries.limits import DEFAULT_MAX_MEMORY_MIB, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, DEFAULT_VALIDATE_TIMEOUT

    timeout = DEFAULT_TIMEOUT if rows else DEFAULT_VALIDATE_TIMEOUT
    command.add_argument("--timeout", type=positive(float, "--timeout", most=MAX_TIMEOUT), default=timeout, metavar="SECONDS",
                         help=f"stop after SECONDS, exit 2 (default {timeout:g}; 0: no limit)")
    if rows:
        command.add_argument("--max-rows", type=positive(int, "--max-rows"), default=DEFAULT_MAX_ROWS, metavar="N",
                             help=f"refuse a result of more than N rows, exit 2 (default {DEFAULT_MAX_ROWS}; 0: no limit)")
    command.add_argument("--max-memory", type=positive(int, "--max-memory", most=MAX_MEMORY_MIB), default=DEFAULT_MAX_MEMORY_MIB,
                         metavar="MIB", help=f"stop when the work needs more memory, exit 2 "
                         f"(default {DEFAULT_MAX_MEMORY_MIB} MiB; 0: no limit)")


def limits_of(args):
    from ..queries.limits import Limits

    return Limits(timeout=args.timeout or None, max_rows=getattr(args, "max_rows", 0) or None,
                  max_memory_mib=args.max_memory or None)


def add_remote(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--endpoint", metavar="URL",
                        help="run on this SPARQL 1.1 Protocol endpoint instead of the shipped graph (--timeout: "
                             "seconds to wait for its answer)")


def source_of(args):
    """Where queries run: None (the shipped store), or the --endpoint (waiting --timeout seconds)."""
    if args.endpoint is None:
        return None
    from ..queries.remote import Endpoint

    return Endpoint(args.endpoint, timeout=args.timeout or None)


def choice(value: str, allowed: Sequence[str], what: str) -> str:
    if value not in allowed:
        raise UsageError(f"unknown {what} {value!r}; expected one of {', '.join(allowed)}")
    return value


def params(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"parameter {pair!r} is not KEY=VALUE")
        if key.strip() in values:
            raise UsageError(f"parameter {key.strip()!r} given twice")
        values[key.strip()] = value
    return values


def write(text: str) -> None:
    sys.stdout.write(text)
