"""Query results as text: an aligned table for people, CSV, TSV, and the W3C SPARQL 1.1 JSON and XML
results formats."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from .queries import QueryResult

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
_SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def render(result: QueryResult, fmt: str) -> str:
    if fmt == "table":
        return table(result)
    if fmt == "csv":
        return to_csv(result)
    if fmt == "tsv":
        return to_tsv(result)
    if fmt == "json":
        return to_json(result)
    if fmt == "xml":
        return to_xml(result)
    raise ValueError(f"unknown result format {fmt!r}")


def plain(term: Node | None) -> str:
    return "" if term is None else str(term)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(result: QueryResult) -> str:
    """Columns aligned on display width; a rule under the header; a row count at the end."""
    cells = [[plain(v).replace("\n", " ") for v in row] for row in result.rows]
    widths = [_width(c) for c in result.columns]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(list(result.columns)), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    count = len(cells)
    out.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: header of variable names, plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([plain(v) for v in row])
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: header of ?variables, terms in Turtle syntax."""
    lines = ["\t".join("?" + c for c in result.columns)]
    for row in result.rows:
        lines.append("\t".join("" if v is None else v.n3() for v in row))
    return "\n".join(lines) + "\n"


def _json_term(term: Node) -> dict:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def to_json(result: QueryResult) -> str:
    bindings = [
        {col: _json_term(v) for col, v in zip(result.columns, row, strict=True) if v is not None} for row in result.rows
    ]
    document = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal) and term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
    if isinstance(term, Literal) and term.datatype:
        return f"<literal datatype={quoteattr(str(term.datatype))}>{escape(str(term))}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def to_xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_SPARQL_RESULTS_NS}">', "  <head>"]
    out.extend(f"    <variable name={quoteattr(c)}/>" for c in result.columns)
    out.extend(["  </head>", "  <results>"])
    for row in result.rows:
        out.append("    <result>")
        for col, value in zip(result.columns, row, strict=True):
            if value is not None:
                out.append(f"      <binding name={quoteattr(col)}>{_xml_term(value)}</binding>")
        out.append("    </result>")
    out.extend(["  </results>", "</sparql>"])
    return "\n".join(out) + "\n"
