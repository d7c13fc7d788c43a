"""Query results as text: an aligned table for people, CSV, TSV, and the W3C SPARQL 1.1 JSON and XML
results formats, for SELECT rows and ASK booleans; the graphs CONSTRUCT and DESCRIBE return, in RDF
formats only."""

from __future__ import annotations

import csv
import io
import json
import unicodedata

import pyoxigraph as ox

from .results import QueryResult

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
_GRAPH_EXPORTS = {"turtle": "turtle", "ntriples": "ntriples", "jsonld": "jsonld", "rdfxml": "xml"}
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


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def plain(term) -> str:
    """The term's value: an IRI, a blank node's label or a literal's lexical form ('' when unbound)."""
    return "" if term is None else term.value


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(result: QueryResult) -> str:
    """Columns aligned on display width; a rule under the header; a row count at the end. Control
    characters from the data are shown escaped (``output.visible``): a table is for a terminal."""
    from ..output import visible

    cells = [[visible(plain(v)) for v in row] for row in result.terms]
    columns = [visible(c) for c in result.columns]
    widths = [_width(c) for c in columns]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(columns), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    count = len(cells)
    out.append(f"({count} row{'s' if count != 1 else ''})")
    return "\n".join(out) + "\n"


def to_csv(result: QueryResult) -> str:
    """SPARQL 1.1 CSV: header of variable names, plain values, CRLF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.terms:
        writer.writerow([plain(v) for v in row])
    return buffer.getvalue()


def to_tsv(result: QueryResult) -> str:
    """SPARQL 1.1 TSV: header of ?variables, terms in Turtle syntax."""
    lines = ["\t".join("?" + c for c in result.columns)]
    for row in result.terms:
        lines.append("\t".join("" if v is None else str(v) for v in row))
    return "\n".join(lines) + "\n"


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != _XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def to_json(result: QueryResult) -> str:
    bindings = [
        {col: _json_term(v) for col, v in zip(result.columns, row, strict=True) if v is not None} for row in result.terms
    ]
    document = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _xml_term(term) -> str:
    from xml.sax.saxutils import escape, quoteattr  # imports urllib and http: only when XML is asked

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != _XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def to_xml(result: QueryResult) -> str:
    from xml.sax.saxutils import quoteattr

    out = ['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_SPARQL_RESULTS_NS}">', "  <head>"]
    out.extend(f"    <variable name={quoteattr(c)}/>" for c in result.columns)
    out.extend(["  </head>", "  <results>"])
    for row in result.terms:
        out.append("    <result>")
        for col, value in zip(result.columns, row, strict=True):
            if value is not None:
                out.append(f"      <binding name={quoteattr(col)}>{_xml_term(value)}</binding>")
        out.append("    </result>")
    out.extend(["  </results>", "</sparql>"])
    return "\n".join(out) + "\n"


def render_boolean(answer: bool, fmt: str) -> str:
    """An ASK answer: SPARQL 1.1 JSON (``{"head": {}, "boolean": true}``) and XML results; in CSV and
    TSV, which define no boolean, the one line ``true`` or ``false`` (what Oxigraph and Jena write,
    and what pyoxigraph's TSV parser reads); for people, the word."""
    word = "true" if answer else "false"
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": bool(answer)}) + "\n"
    if fmt == "xml":
        return "\n".join(['<?xml version="1.0" encoding="utf-8"?>', f'<sparql xmlns="{_SPARQL_RESULTS_NS}">',
                          "  <head/>", f"  <boolean>{word}</boolean>", "</sparql>"]) + "\n"
    if fmt == "csv":
        return word + "\r\n"
    if fmt in ("tsv", "table"):
        return word + "\n"
    raise ValueError(f"unknown result format {fmt!r}")


def render_graph(triples, fmt: str) -> bytes:
    """The triples a CONSTRUCT or DESCRIBE returns (pyoxigraph terms), in an RDF format: the
    exporter's serializers, so the bytes are stable."""
    from rdflib import Graph

    from ..graph.serializing import serialize
    from ..graph.terms import to_rdflib

    if fmt not in _GRAPH_EXPORTS:
        raise ValueError(f"unknown graph format {fmt!r}")
    graph = Graph()
    for triple in triples:
        graph.add(tuple(to_rdflib(t) for t in triple))
    return serialize(graph, _GRAPH_EXPORTS[fmt])
