"""``main(argv) -> int``: parse the arguments, choose the root, run the command (the limited ones in a
child process, under ``natograph.queries.limits``), and turn every failure into one line on stderr
and an exit code: 0 ok, 1 validation found problems, 2 usage or input error."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Sequence

from .options import EXIT_OK, EXIT_USAGE, UsageError, limits_of
from .parser import build_parser
from .table import COMMANDS


def _error(message: str) -> int:
    """The one line of an error, its control characters (from the data, a file name, an argument)
    shown escaped."""
    from ..output import visible

    sys.stderr.write(f"natograph: error: {visible(' '.join(str(message).split()))}\n")
    return EXIT_USAGE


def _dispatch(args) -> int:
    """Run the command; every failure is one line on stderr and an exit code, never a traceback."""
    from ..errors import NatographError

    try:
        code = COMMANDS[args.command].run(args)
        sys.stdout.flush()
        return code
    except (UsageError, NatographError) as exc:
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
    except (MemoryError, Exception) as exc:
        from ..queries.limits import memory_failure

        if memory_failure(exc):  # under --max-memory: the parent names the limit
            raise MemoryError from None
        if isinstance(exc, MemoryError):
            return _error("out of memory")
        return _error(f"internal error ({type(exc).__name__}: {exc}); please report it")  # a bug: still one line


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
    from ..output import write_bytes

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
        from ..graph.store.opening import open_engine  # not natograph.graph.loading: a warm query imports no rdflib

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
    from ..graph import resources

    previous, previous_env = resources.chosen(), os.environ.get(resources.ENV_VAR)
    try:
        if args.root is not None:
            from ..errors import NatographError

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
    if not COMMANDS[args.command].LIMITED or getattr(args, "watch", False):  # --watch runs until stopped
        return _dispatch(args)
    from ..queries.limits import LimitError, run_limited

    _open_shipped_store()
    try:
        code, payload = run_limited(lambda: _captured(args), limits_of(args))
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

