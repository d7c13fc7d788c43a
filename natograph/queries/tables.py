"""A SELECT result as an HTML table (``QueryResult.to_html``, and ``_repr_html_`` for Jupyter).

Written with the standard library only: a result renders in a notebook without pandas. Every text
is escaped; an IRI becomes a link only when it is ``http`` or ``https`` (``javascript:``, ``data:``,
``file:`` and the rest stay text), so nothing in the data can run in the notebook. A literal's
language tag becomes the cell's ``lang``. At most ``max_rows`` rows are shown (default
``HTML_ROWS``), with a line saying how many more there are.
"""

from __future__ import annotations

from html import escape

HTML_ROWS = 100
"""Rows a result shows as HTML by default (``to_html(max_rows=...)``); the rest are counted, not shown."""

HTML_ROWS_BOUND = 100_000
"""The most rows ``to_html`` shows: a bigger table is a page no browser scrolls; use ``to_pandas()``."""

_LINKED = ("http://", "https://")


def check_max_rows(max_rows: int) -> int:
    if isinstance(max_rows, bool) or not isinstance(max_rows, int) or not 1 <= max_rows <= HTML_ROWS_BOUND:
        raise ValueError(f"max_rows must be a whole number from 1 to {HTML_ROWS_BOUND}, not {max_rows!r}")
    return max_rows


def cell(term) -> str:
    """One ``<td>``: empty when unbound; an http(s) IRI as a link; anything else as escaped text."""
    if term is None:
        return "<td></td>"
    name = type(term).__name__
    if name == "NamedNode":
        iri = escape(term.value, quote=True)
        if term.value.lower().startswith(_LINKED):
            return f'<td><a href="{iri}">{iri}</a></td>'
        return f"<td>{iri}</td>"
    if name == "BlankNode":
        return f"<td>_:{escape(term.value)}</td>"
    if name == "Triple":  # a triple term (RDF 1.2), in N-Triples: never a link
        return f"<td>{escape(str(term))}</td>"
    language = getattr(term, "language", None)
    lang = f' lang="{escape(language, quote=True)}"' if language else ""
    return f"<td{lang}>{escape(term.value)}</td>"


def to_html(columns, terms, *, max_rows: int = HTML_ROWS) -> str:
    """An HTML ``<table>`` of *terms* (rows of pyoxigraph terms or None) under *columns*."""
    check_max_rows(max_rows)
    head = "".join(f"<th>{escape(name)}</th>" for name in columns)
    body = "\n".join("<tr>" + "".join(cell(term) for term in row) + "</tr>" for row in terms[:max_rows])
    total = len(terms)
    shown = min(total, max_rows)
    note = f"{total} row{'' if total == 1 else 's'}"
    if shown < total:
        note += f", the first {shown} shown (to_html(max_rows=...) or to_pandas() for the rest)"
    return (f'<table class="natograph-result">\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n'
            f"<p>{escape(note)}</p>")
