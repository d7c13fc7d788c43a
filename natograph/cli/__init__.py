"""The ``natograph`` command: ``main(argv) -> int`` (``program``) over the command table (``table``),
one module per command (``commands``), the argument parser built from it (``parser``) and what the
commands share (``options``). The top layer: it imports every layer below, none imports it.

``main`` and the console script's ``entry_point`` are named here, the command's public face. Nothing
else is imported here, so that ``entry_point`` (the console script's and ``python -m natograph``'s
first call) can make Ctrl-C one line before anything else loads (``program`` and the command table
take tens of milliseconds to import, where an interrupt would otherwise print a traceback).
"""

import os
import sys

try:  # the C module: ``signal`` imports enum first (milliseconds, during which Ctrl-C is a traceback)
    import _signal as _signals
except ImportError:  # an interpreter without it
    import signal as _signals

__all__ = ["entry_point", "main"]


def _interrupted(signum, frame) -> None:
    """Ctrl-C while nothing needs cleaning up (loading, or after ``main`` returned): one line, exit 130."""
    try:
        os.write(2, b"natograph: interrupted\n")
    finally:
        os._exit(130)


def entry_point() -> None:
    """The console script and ``python -m natograph``: Ctrl-C, from this first line to the exit, is one
    line on stderr and exit code 130. While ``main`` runs, Ctrl-C raises KeyboardInterrupt as usual, so
    that what the command started (a temporary file, a child process) is cleaned up first. A Ctrl-C
    the shell told the process to ignore (a background job) stays ignored."""
    ours = _signals.getsignal(_signals.SIGINT) is _signals.default_int_handler
    if ours:
        _signals.signal(_signals.SIGINT, _interrupted)
    from .program import main

    try:
        if ours:
            _signals.signal(_signals.SIGINT, _signals.default_int_handler)
        code = main()
    except KeyboardInterrupt:
        sys.stderr.write("natograph: interrupted\n")
        code = 130
    finally:
        if ours:
            _signals.signal(_signals.SIGINT, _interrupted)
    sys.exit(code)


def __getattr__(name: str):
    if name == "main":
        from .program import main

        return main
    raise AttributeError(f"module 'natograph.cli' has no attribute {name!r}")
