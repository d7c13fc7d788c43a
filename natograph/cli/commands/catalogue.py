"""``natograph list``: the catalogue of stored queries, with their summaries and parameters, in
English or (``--lang fr``) in French."""

from __future__ import annotations

from ..options import EXIT_OK, choice, write

HELP = "the catalogue of stored queries, with summaries and parameters"
LIMITED = False

_WORDS = {"en": ("columns:", "label language (default {})"),
          "fr": ("colonnes :", "langue des libellés (par défaut : {})")}


def arguments(parser) -> None:
    parser.add_argument("--lang", default="en", help="language of the summaries, columns and parameters: en or fr (default en)")


def run(args) -> int:
    from ...output import visible as v
    from ...queries.binding import LANGUAGES
    from ...queries.catalogue import catalogue

    lang = choice(args.lang, LANGUAGES, "language")
    columns, lang_doc = _WORDS[lang]
    for name, query in sorted(catalogue().items()):
        texts = query.texts(lang)
        write(f"{v(name)}\n    {v(texts.summary)}\n    {columns} {v(texts.column_list())}\n")
        for param in texts.params:
            if param.type == "lang":  # one spelling for the language: --lang (-p lang= is accepted too)
                write(f"    --lang {'|'.join(LANGUAGES)} -- {lang_doc.format(query.param(param.name).default or 'en')}\n")
                continue
            write(f"    -p {v(param.describe)}" + (f" -- {v(param.doc)}" if param.doc else "") + "\n")
    return EXIT_OK
