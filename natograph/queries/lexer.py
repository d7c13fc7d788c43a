"""A SPARQL lexer: enough to find groups, variables and keywords outside strings, IRIs and comments;
and what it tells about a query: its form (``query_form``), whether it is read-only and offline
(``check_safe``)."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Iterator

from ..errors import QueryError, UnsafeQueryError

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<comment>\#[^\n]*)
    |(?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
    |(?P<pname>(?:[A-Za-z_][\w.-]*)?:[\w.:%\\-]*)
    |(?P<word>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>.)
    """,
    re.VERBOSE | re.DOTALL,
)


_UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})


_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


_Token = namedtuple("_Token", "kind text start")


def tokens(text: str) -> Iterator[_Token]:
    """The significant tokens of *text* (no white space, no comments)."""
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        yield _Token(kind, match.group(), match.start())


def keywords(text: str) -> list[str]:
    """Upper-cased keywords of *text*: words outside strings, IRIs, comments and language tags."""
    out = []
    previous = None
    for token in tokens(text):
        if token.kind == "word" and not (previous is not None and previous.text == "@"):
            out.append(token.text.upper())
        previous = token
    return out


def where_groups(text: str) -> list[tuple[int, int]]:
    """(position after '{', position of the matching '}') of every ``WHERE {`` group, outermost first."""
    stack: list[tuple[int, bool]] = []
    found: list[tuple[int, int]] = []
    after_where = False
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() == "WHERE":
            after_where = True
            continue
        if token.text == "{":
            stack.append((token.start + 1, after_where))
        elif token.text == "}" and stack:
            start, is_where = stack.pop()
            if is_where:
                found.append((start, token.start))
        after_where = False
    return sorted(found)


def check_safe(text: str, *, dataset_given: bool = False) -> None:
    """Refuse updates, SERVICE, FROM / FROM NAMED and LOAD, read from the query's tokens: strings,
    IRIs and comments can neither hide nor fake a keyword. With *dataset_given* (the SPARQL Protocol's
    dataset parameters, which take the place of the query's own), FROM / FROM NAMED is let through."""
    words = set(keywords(text))
    if words & _UPDATE_WORDS - {"WITH", "ADD", "MOVE", "COPY"} or (
        words & {"WITH", "ADD", "MOVE", "COPY"} and not words & set(_QUERY_FORMS)
    ):
        raise UnsafeQueryError("SPARQL UPDATE is refused: natograph runs read-only queries")
    if "SERVICE" in words:
        raise UnsafeQueryError("SERVICE is refused: natograph never reaches the network")
    if "FROM" in words and not dataset_given:
        raise UnsafeQueryError("FROM / FROM NAMED is refused: queries run over natograph's own graph")


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these keywords in *text*."""
    for word in keywords(text):
        if word in _QUERY_FORMS:
            return word
    raise QueryError("SPARQL syntax error: no SELECT, ASK, CONSTRUCT or DESCRIBE")
