"""The only module that knows where natograph's files are: a checkout being edited, a folder named
on the command line or in the environment, or the copy installed with the package.

The *root* is a folder holding ``ontology/natograph.ttl``, ``data/`` and ``queries/``. It is, in
this order:

1. the folder given to :func:`use_root` (the CLI's ``--root DIR``);
2. the folder named by the ``NATOGRAPH_ROOT`` environment variable;
3. the checkout that holds the working directory (found from it upwards), so the files a
   maintainer edits are the files checked and queried;
4. the installed copy: ``natograph/_resources/`` in a wheel (see ``pyproject.toml``), or the
   checkout beside the package in an editable install.
"""

from __future__ import annotations

import os
from collections import namedtuple
from pathlib import Path

from ..errors import InputError

_PACKAGE = Path(__file__).resolve().parents[1]  # the natograph package folder
ENV_VAR = "NATOGRAPH_ROOT"


# A named tuple, not a dataclass: dataclasses imports inspect, 10 ms a cold query does not need.
class Root(namedtuple("Root", "path origin")):
    """A root (``path``) and why it was chosen (``origin``): ``--root``, ``NATOGRAPH_ROOT``,
    ``checkout`` or ``installed``."""

    __slots__ = ()

    def describe(self) -> str:
        return f"{self.path} ({self.origin})"


_explicit: Root | None = None
_discovered: dict[tuple[str | None, str], Root] = {}


def is_root(folder: str | Path) -> bool:
    """True when *folder* holds ``ontology/natograph.ttl``, ``data/`` and ``queries/``."""
    folder = Path(folder)
    return (folder / "ontology" / "natograph.ttl").is_file() and (folder / "data").is_dir() and (folder / "queries").is_dir()


def find_checkout(start: str | Path | None = None) -> Path | None:
    """The nearest folder, from *start* (default: the working directory) upwards, that is a root."""
    try:
        here = Path(start if start is not None else os.getcwd()).resolve()
    except OSError:  # the working directory was deleted
        return None
    for folder in (here, *here.parents):
        if is_root(folder):
            return folder
    return None


def installed_root() -> Path:
    """The copy that came with the package (a wheel's ``_resources``, or an editable checkout)."""
    for candidate in (_PACKAGE / "_resources", _PACKAGE.parent):
        if (candidate / "ontology" / "natograph.ttl").is_file():
            return candidate
    raise FileNotFoundError("natograph's ontology is missing: reinstall the package")


def _checked(path: str | Path, origin: str) -> Root:
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise InputError(f"{origin} {path}: no such folder")
    if not is_root(folder):
        raise InputError(f"{origin} {path}: not a natograph root (needs ontology/natograph.ttl, data/ and queries/)")
    return Root(folder.resolve(), origin)


def use_root(path: str | Path | None) -> Root | None:
    """Read every file from *path* from now on (``None``: back to discovery). Raises InputError when
    *path* is not a root."""
    global _explicit
    _explicit = None if path is None else _checked(path, "--root")
    _discovered.clear()
    return _explicit


def chosen() -> Root | None:
    """The root set by :func:`use_root`, if any."""
    return _explicit


def current() -> Root:
    """The root in use (see the module's documentation for the order)."""
    if _explicit is not None:
        return _explicit
    env = os.environ.get(ENV_VAR) or None
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = ""
    key = (env, cwd)
    found = _discovered.get(key)
    if found is None:
        if env is not None:
            found = _checked(env, ENV_VAR)
        else:
            checkout = find_checkout(cwd) if cwd else None
            found = Root(checkout, "checkout") if checkout is not None else Root(installed_root(), "installed")
        _discovered[key] = found
    return found


def root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    return current().path


def ontology_file() -> Path:
    return root() / "ontology" / "natograph.ttl"


def graph_files() -> list[Path]:
    """The files of the graph: the ontology and its alignments, then every data file (not the shapes)."""
    return [*ontology_files(), *data_files()]


def alignments_file() -> Path:
    return root() / "ontology" / "alignments.ttl"


def ontology_files() -> list[Path]:
    """The ontology as loaded: natograph's own axioms, then its alignments to other vocabularies."""
    return [ontology_file(), alignments_file()]


def alignment_query_files() -> list[Path]:
    """CONSTRUCT queries for what the alignments describe but OWL cannot entail (new nodes)."""
    return sorted((queries_dir() / "alignments").glob("*.rq"))


def example_query_files() -> list[Path]:
    """Example queries in other vocabularies (ORG, schema.org, Wikidata), run on the exports."""
    return sorted((queries_dir() / "examples").glob("*.rq"))


def graph_files_of(folder: str | Path) -> list[Path]:
    """The graph files of another root (for diffs), without changing the one in use."""
    folder = Path(folder)
    ontology = [folder / "ontology" / name for name in ("natograph.ttl", "alignments.ttl")]
    return [*(path for path in ontology if path.name == "natograph.ttl" or path.is_file()),
            *sorted((folder / "data").glob("*.ttl"))]


def shapes_dir() -> Path:
    """``ontology/shapes/``: the shapes, and the README that says how to run them with any engine."""
    return root() / "ontology" / "shapes"


def shapes_files() -> list[Path]:
    """The shapes: ``ontology/shapes/*.shapes.ttl`` (on the graph with its closure), then
    ``ontology/shapes/as-written/*.shapes.ttl`` (on the triples as written)."""
    folder = shapes_dir()
    return [*sorted(folder.glob("*.shapes.ttl")), *sorted((folder / "as-written").glob("*.shapes.ttl"))]


def data_files() -> list[Path]:
    return sorted((root() / "data").glob("*.ttl"))


def queries_dir() -> Path:
    return root() / "queries"


def query_files() -> list[Path]:
    return sorted(queries_dir().glob("*.rq"))


def check_files() -> list[Path]:
    return sorted((queries_dir() / "checks").glob("*-violation.rq"))


def replace_files(base: list[Path], given: list[Path]) -> tuple[list[Path], list[Path]]:
    """The inputs of a graph made of *base* (a root's files) and the user's *given* files.

    A given file with the name of a base file (the base file itself, or a copy of it edited
    elsewhere) takes its place, so what it no longer says is gone; the other given files are added
    after. Returns (inputs, the given files that replaced a base file). Two different given files
    that would replace the same base file are refused.
    """
    by_name = {path.name: index for index, path in enumerate(base)}
    inputs = list(base)
    replaced: dict[int, Path] = {}
    added: list[Path] = []
    seen: set[Path] = set()
    for path in given:
        try:
            resolved = path.resolve()
        except OSError:
            resolved = path
        if resolved in seen:
            continue
        seen.add(resolved)
        index = by_name.get(path.name)
        if index is None:
            added.append(path)
            continue
        if index in replaced:
            raise InputError(f"replaces {base[index].name}, as {replaced[index]} does: give one of them", path=str(path))
        replaced[index] = path
        inputs[index] = path
    return [*inputs, *added], list(replaced.values())


def release_shapes_file() -> Path:
    """The DCAT-AP shapes a release's description must pass (not part of the graph's shapes): the
    tool's own, from the installed copy whatever root is in use."""
    return installed_root() / "ontology" / "shapes" / "release" / "dcat-ap.shapes.ttl"
