"""The rows a SELECT returns, as pyoxigraph terms, and as rdflib terms or plain strings on demand."""

from __future__ import annotations

if False:  # typing.TYPE_CHECKING, without importing typing on the cold path
    from typing import Any

from ..graph.terms import to_rdflib


class QueryResult:
    """Rows of a SELECT query: ``columns`` names them; each row holds RDF terms or None (unbound).

    ``terms`` holds pyoxigraph terms (what the store answers); ``rows`` the same values as rdflib
    terms, converted on first use (rdflib is imported only then); ``as_dicts()`` plain strings;
    ``to_pandas()`` a DataFrame with typed columns (the ``pandas`` extra); ``to_html()`` a table,
    which Jupyter shows (``_repr_html_``).
    """

    __slots__ = ("_rows", "columns", "terms")

    def __init__(self, columns: tuple[str, ...], terms: tuple[tuple[Any, ...], ...]) -> None:
        self.columns = tuple(columns)
        self.terms = tuple(tuple(row) for row in terms)
        self._rows: tuple | None = None

    @property
    def rows(self) -> tuple[tuple[Any, ...], ...]:
        if self._rows is None:
            self._rows = tuple(tuple(to_rdflib(v) for v in row) for row in self.terms)
        return self._rows

    def __eq__(self, other: object) -> bool:
        return isinstance(other, QueryResult) and (self.columns, self.terms) == (other.columns, other.terms)

    def __hash__(self) -> int:
        return hash((self.columns, self.terms))

    def __len__(self) -> int:
        return len(self.terms)

    def __repr__(self) -> str:
        return f"QueryResult(columns={self.columns!r}, rows={len(self.terms)})"

    def as_dicts(self) -> list[dict[str, str | None]]:
        return [
            {col: (None if value is None else value.value) for col, value in zip(self.columns, row, strict=True)}
            for row in self.terms
        ]

    def to_pandas(self):
        """The rows as a pandas DataFrame, one typed column per variable: integers ``Int64``, decimals
        and floats ``Float64``, booleans ``boolean``, dates at their precision (``period[D]``,
        ``period[M]``, ``period[Y]``; a column of mixed precisions keeps the dates as written, with
        ``<column>_start`` and ``<column>_end`` days beside it), IRIs and labels ``string``; unbound
        values missing (NA). See :mod:`natograph.queries.frames` for every rule and why.
        Needs pandas (``pip install 'natograph[pandas]'``): an ImportError saying so otherwise."""
        from .frames import to_pandas

        return to_pandas(self.columns, self.terms)

    def to_html(self, *, max_rows: int | None = None) -> str:
        """The rows as an HTML table, the first *max_rows* (1 to 100,000; default 100,
        ``tables.HTML_ROWS``): text escaped, only http(s) IRIs as links. Needs no pandas."""
        from .tables import HTML_ROWS, to_html

        return to_html(self.columns, self.terms, max_rows=HTML_ROWS if max_rows is None else max_rows)

    def _repr_html_(self) -> str:  # Jupyter's rich display
        return self.to_html()
