"""``natograph list``: the catalogue of stored queries, with their summaries and parameters."""

from __future__ import annotations

from ..options import EXIT_OK, write

HELP = "the catalogue of stored queries, with summaries and parameters"
LIMITED = False


def arguments(parser) -> None:
    """No arguments."""


def run(args) -> int:
    from ...queries.binding import LANGUAGES
    from ...queries.catalogue import catalogue

    for name, query in sorted(catalogue().items()):
        write(f"{name}\n    {query.summary}\n    columns: {', '.join(query.columns)}\n")
        for param in query.params:
            if param.type == "lang":  # one spelling for the language: --lang (-p lang= is accepted too)
                write(f"    --lang {'|'.join(LANGUAGES)} -- label language (default {param.default or 'en'})\n")
                continue
            write(f"    -p {param.describe()}" + (f" -- {param.doc}" if param.doc else "") + "\n")
    return EXIT_OK
