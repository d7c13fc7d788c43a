"""The only module that knows where natograph's files are: in an installed wheel or a checkout.

An installed wheel carries them under ``natograph/_resources/`` (see ``pyproject.toml``); a
checkout has them at the top level, beside the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    for candidate in (_PACKAGE / "_resources", _PACKAGE.parent):
        if (candidate / "ontology" / "natograph.ttl").is_file():
            return candidate
    raise FileNotFoundError("natograph's ontology is missing: reinstall the package")


def ontology_file() -> Path:
    return root() / "ontology" / "natograph.ttl"


def graph_files() -> list[Path]:
    """The files of the graph: the ontology, then every data file (the shapes are not part of it)."""
    return [ontology_file(), *data_files()]


def shapes_files() -> list[Path]:
    return sorted((root() / "ontology" / "shapes").glob("*.shapes.ttl"))


def data_files() -> list[Path]:
    return sorted((root() / "data").glob("*.ttl"))


def queries_dir() -> Path:
    return root() / "queries"


def query_files() -> list[Path]:
    return sorted(queries_dir().glob("*.rq"))


def check_files() -> list[Path]:
    return sorted((queries_dir() / "checks").glob("*-violation.rq"))
