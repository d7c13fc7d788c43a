"""Limits set from the environment: the few that are not a command's flag, because several commands
and the Python API share them (``NATOGRAPH_MAX_INPUT_MIB``: the largest input file read;
``NATOGRAPH_MAX_ANSWER_MIB``: the largest answer read from an endpoint). Each has a default and a
bound; any other value is one line and exit code 2, naming the variable."""

from __future__ import annotations

import os

from .errors import InputError


def mib_from_environment(variable: str, default: int, bound: int) -> int:
    """The whole number of MiB the environment *variable* gives (from 1 to *bound*), else *default*."""
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= bound:
        raise InputError(f"{variable} must be a whole number of MiB from 1 to {bound}, not {raw!r}")
    return int(raw)
