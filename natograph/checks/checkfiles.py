"""``queries/checks/<name>-violation.rq``, generated from the shapes: each check's SHACL-SPARQL
constraint (``ontology/shapes/``) as one query over every focus node, the query natograph runs
(``constraints.standalone_query``), under a ``#+`` header (summary, severity, graph) and the message.

The shapes are the one source: edit a check there, then write the files again::

    python -m natograph.checks.checkfiles           # write queries/checks/ from the shapes
    python -m natograph.checks.checkfiles --check   # exit 1 when a file differs (what CI's test asserts)

A file no check generates any more is removed. Run from a checkout (or with ``NATOGRAPH_ROOT``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..graph import resources
from .rules import Check, load_checks

SUFFIX = "-violation.rq"


def check_file_text(check: Check) -> str:
    """The generated file of *check*: its header, then its query."""
    header = [
        f"#+ summary: {check.summary}",
        f"#+ severity: {check.severity}",
        f"#+ graph: {check.graph}",
        "#",
        f"# Generated from the SHACL-SPARQL constraint of check:{check.name} in {check.source}:",
        "# edit the shape, not this file, then run `python -m natograph.checks.checkfiles`. Each row is a",
        "# finding on ?this, the focus node; its message is the shape's sh:message with the row's values in:",
        f"#   {check.message}",
    ]
    if check.graph == "asserted":
        header.append("# Run it on the data and the ontology as written, without inference.")
    else:
        header.append("# Run it on the data and the ontology with their OWL 2 RL closure.")
    return "\n".join(header) + "\n\n" + check.text


def expected_files(checks: list[Check] | None = None) -> dict[str, str]:
    """File name -> text, for every check of the shapes in use."""
    return {f"{check.name}{SUFFIX}": check_file_text(check) for check in (checks if checks is not None else load_checks())}


def differences(folder: Path | None = None) -> list[str]:
    """The files of *folder* (default: ``queries/checks/``) that differ from what the shapes generate,
    are missing, or are left over, one line each."""
    folder = folder if folder is not None else resources.queries_dir() / "checks"
    expected = expected_files()
    present = {path.name: path for path in folder.glob(f"*{SUFFIX}")}
    found = []
    for name, text in sorted(expected.items()):
        if name not in present:
            found.append(f"{name}: missing")
        elif present[name].read_text(encoding="utf-8") != text:
            found.append(f"{name}: differs from its shape")
    found += [f"{name}: no check generates it" for name in sorted(set(present) - set(expected))]
    return found


def write(folder: Path | None = None) -> list[str]:
    """Write every generated file into *folder*, remove the ones no check generates; the names written."""
    from ..output import write_atomic

    folder = folder if folder is not None else resources.queries_dir() / "checks"
    folder.mkdir(parents=True, exist_ok=True)
    expected = expected_files()
    for stale in sorted(set(p.name for p in folder.glob(f"*{SUFFIX}")) - set(expected)):
        (folder / stale).unlink()
    written = []
    for name, text in sorted(expected.items()):
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            written.append(name)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m natograph.checks.checkfiles", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file differs")
    args = parser.parse_args(argv)
    if args.check:
        found = differences()
        for line in found:
            print(line)
        return 1 if found else 0
    for name in write():
        print(f"wrote queries/checks/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
