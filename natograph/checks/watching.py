"""``natograph validate --watch``: validate again each time a file of the graph is saved.

Watches the root's ``ontology/`` (shapes included), ``data/`` and ``queries/`` folders and the files
or folders given to ``validate``, with watchfiles (an optional dependency: ``natograph[watch]``).
Each save of a ``.ttl`` or ``.rq`` file runs the validation again; since the store is keyed by the
content of the inputs, only the edited graph is rebuilt. An error in a run (a file that no longer
parses) is printed in one line and the watch goes on. Ctrl-C ends it, with the last run's exit code.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import InputError, NatographError
from ..graph import resources
from ..output import visible

WATCHED_SUFFIXES = (".ttl", ".rq")


def watched_paths(paths: Sequence[str | Path]) -> list[Path]:
    """The folders of the root in use and the user's own paths (each once)."""
    found: list[Path] = []
    for path in [resources.root() / "ontology", resources.root() / "data", resources.queries_dir(), *map(Path, paths)]:
        resolved = Path(path).resolve()
        if resolved.exists() and not any(resolved == p or resolved.is_relative_to(p) for p in found):
            found.append(resolved)
    return found


def _saved(change, path: str) -> bool:
    return path.endswith(WATCHED_SUFFIXES)


def watch(run: Callable[[], int], paths: Sequence[str | Path] = ()) -> int:
    """Call *run* (one validation, returning its exit code) now and after every save; see the module."""
    try:
        from watchfiles import watch as watch_files
    except ImportError:
        raise InputError("--watch needs the watchfiles package: pip install 'natograph[watch]'") from None

    def once() -> int:
        try:
            return run()
        except NatographError as exc:
            sys.stderr.write(f"natograph: error: {visible(str(exc))}\n")
            return 2

    code = once()
    sys.stdout.flush()
    folders = watched_paths(paths)
    sys.stderr.write(f"natograph: watching {visible(', '.join(str(f) for f in folders))} (Ctrl-C to stop)\n")
    for changes in watch_files(*folders, watch_filter=_saved, raise_interrupt=False):
        names = ", ".join(sorted({Path(path).name for _change, path in changes}))
        sys.stdout.write(f"\n--- {_dt.datetime.now().strftime('%H:%M:%S')} saved: {names}\n")
        sys.stdout.flush()
        code = once()
        sys.stdout.flush()
    return code
