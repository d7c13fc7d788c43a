"""Strict, offline parsing of RDF files, with errors that name the file, line and column.

Nothing here reaches the network: RDF/XML with a DOCTYPE (entity declarations, external DTDs) is
refused before parsing, JSON-LD with a remote ``@context`` or ``@import`` is refused, and no other
format rdflib could fetch with is accepted.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path

from rdflib import Graph

from ..errors import InputError

MAX_BYTES = 16 * 1024 * 1024
"""Files above this size are refused: the graph is a few hundred kilobytes; 16 MiB leaves room.
``NATOGRAPH_MAX_INPUT_MIB`` sets another size (``max_input_bytes``)."""

MAX_INPUT_VARIABLE = "NATOGRAPH_MAX_INPUT_MIB"
MAX_INPUT_MIB_BOUND = 1024
"""The largest size the variable may set: a file is read whole, then parsed into Python objects
(rdflib takes about 1 KB a triple, some 40 times the Turtle); 1 GiB of Turtle is already more than
the default --max-memory holds."""


def max_input_bytes() -> int:
    """The size above which an input file is refused: MAX_BYTES, or ``$NATOGRAPH_MAX_INPUT_MIB`` MiB."""
    from ..environment import mib_from_environment

    return mib_from_environment(MAX_INPUT_VARIABLE, MAX_BYTES // 1_048_576, MAX_INPUT_MIB_BOUND) * 1_048_576

FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".jsonld": "json-ld",
}

_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_LINE_IN_MESSAGE = re.compile(r"line (\d+)")
_BOM = b"\xef\xbb\xbf"

MAX_JSON_DEPTH = 200
"""JSON-LD nested deeper than this is refused before parsing (the parsers recurse per level)."""


def expand_paths(paths: list[str | Path]) -> list[Path]:
    """Files to read: each file as given, each folder's ``*.ttl`` (sorted). Errors name the path."""
    result: list[Path] = []
    for item in paths:
        path = Path(item)
        if str(item) == "":
            raise InputError("an empty file name")
        try:
            st = os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise InputError("a loop of symbolic links", path=str(path)) from None
            if path.is_symlink():
                raise InputError("a symbolic link to a missing file", path=str(path)) from None
            if exc.errno == errno.ENOENT:
                raise InputError("no such file or folder", path=str(path)) from None
            raise InputError(f"cannot read ({exc.strerror})", path=str(path)) from None
        if stat.S_ISDIR(st.st_mode):
            result.extend(_folder_files(path))
        elif stat.S_ISREG(st.st_mode):
            result.append(path)
        else:
            raise InputError("not a regular file", path=str(path))
    return result


def _folder_files(folder: Path) -> list[Path]:
    """The folder's *.ttl files, sorted; a folder that cannot be read is an error, not 'empty'."""

    def refuse(exc: OSError):
        raise InputError(f"cannot read folder ({exc.strerror})", path=exc.filename or str(folder))

    found = []
    for root, _dirs, files in os.walk(folder, onerror=refuse):
        found.extend(Path(root) / name for name in files if name.endswith(".ttl") and (Path(root) / name).is_file())
    if not found:
        raise InputError("folder holds no .ttl file", path=str(folder))
    return sorted(found)


def read_checked(path: Path) -> bytes:
    """The file's bytes, refused when empty, too large, binary or not UTF-8."""
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=name) from None
    if size == 0:
        raise InputError("file is empty", path=name)
    limit = max_input_bytes()
    if size > limit:
        raise InputError(f"file is {size / 1_048_576:.1f} MiB, over the {limit // 1_048_576} MiB limit "
                         f"({MAX_INPUT_VARIABLE})", path=name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file ({exc.strerror})", path=name) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise InputError("binary content (a NUL byte): not an RDF text file", path=name, line=line)
    if data.startswith(_BOM):  # a UTF-8 byte order mark, as some editors write: not part of the text
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("not valid UTF-8 text", path=name, line=line) from None
    if not text.strip():
        raise InputError("file holds only white space", path=name)
    return data


def format_for(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise InputError(f"unknown file type {path.suffix or '(none)'!r}; expected one of {known}", path=str(path))
    return fmt


def _refuse_network_constructs(path: Path, fmt: str, data: bytes) -> None:
    name = str(path)
    if fmt == "xml":
        match = _DOCTYPE.search(data)
        if match:
            line = data.count(b"\n", 0, match.start()) + 1
            raise InputError(
                "RDF/XML with a DOCTYPE or entity declaration is refused (entities can read files or the network)",
                path=name,
                line=line,
            )
    elif fmt == "json-ld":
        _check_json_depth(path, data)
        try:
            document = json.loads(data)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path=name, line=exc.lineno, column=exc.colno) from None
        if _has_remote_context(document):
            raise InputError("JSON-LD with a remote @context or @import is refused (natograph never fetches)", path=name)


def _check_json_depth(path: Path, data: bytes) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH, counted outside strings, before json.loads."""
    depth = 0
    in_string = escaped = False
    line = 1
    for byte in data:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InputError(f"JSON nested more than {MAX_JSON_DEPTH} levels deep (the nesting limit)",
                                 path=str(path), line=line)
        elif byte in (0x5D, 0x7D):
            depth -= 1
        if byte == 0x0A:
            line += 1


def _has_remote_context(node: object) -> bool:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@import":
                return True
            if key == "@context" and _context_is_remote(value):
                return True
            if _has_remote_context(value):
                return True
    elif isinstance(node, list):
        return any(_has_remote_context(item) for item in node)
    return False


def _context_is_remote(value: object) -> bool:
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return any(_context_is_remote(item) for item in value)
    if isinstance(value, dict):
        return "@import" in value
    return False


def parse_file(path: str | Path, *, into: Graph | None = None) -> Graph:
    """Parse one file strictly into *into* (or a new graph); any failure is an InputError."""
    path = Path(path)
    fmt = format_for(path)
    data = read_checked(path)
    _refuse_network_constructs(path, fmt, data)
    graph = into if into is not None else Graph()
    scratch = Graph()
    try:
        scratch.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except InputError:
        raise
    except RecursionError:
        raise InputError("nested too deeply to be read", path=str(path)) from None
    except Exception as exc:  # every parser has its own exception classes
        raise _syntax_error(path, data, exc) from None
    for triple in scratch:
        graph.add(triple)
    for prefix, namespace in scratch.namespaces():
        graph.bind(prefix, namespace, override=False)
    return graph


_FAST_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES"}
_RDF12_DIRECTIVE = re.compile(rb"(?im)^[ \t]*@?version\b")
_TURTLE_TOKENS = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    rb'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^>\s]*>|#[^\n]*|[\[\]()]', re.S)
RDFLIB_DEPTH = 100
"""Turtle nested this deep (blank nodes, lists) is left to rdflib, which recurses per level and gives
up near 150 levels ("nested too deeply"): pyoxigraph would read it, and what is accepted must not
depend on which parser read a file."""


def _turtle_depth(data: bytes) -> int:
    """How deep ``[ ]`` and ``( )`` nest outside strings, IRIs and comments."""
    depth = deepest = 0
    for match in _TURTLE_TOKENS.finditer(data):
        token = match.group()
        if token in (b"[", b"("):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b")"):
            depth -= 1
    return deepest


def parse_fast(path: str | Path) -> list[tuple] | None:
    """The triples of a Turtle or N-Triples file as pyoxigraph terms, read by pyoxigraph (Rust: tens
    of times faster than rdflib, and no rdflib objects kept), or None when the file is of another
    type, or pyoxigraph refuses it, or it uses RDF 1.2 syntax (triple terms, annotations, a base
    direction, VERSION) that rdflib does not read. On None the caller reads it with
    :func:`parse_file`, whose errors name the file and line as they always have; so what natograph
    accepts and refuses does not depend on which parser read a file (``tests/test_store.py``
    compares the two on every Turtle and N-Triples file of the project)."""
    import pyoxigraph as ox

    path = Path(path)
    fmt = _FAST_FORMATS.get(path.suffix.lower())
    if fmt is None:
        return None
    data = read_checked(path)
    if _RDF12_DIRECTIVE.search(data):
        return None
    if fmt == "TURTLE" and data.count(b"[") + data.count(b"(") >= RDFLIB_DEPTH and \
            _turtle_depth(data) >= RDFLIB_DEPTH:
        return None
    try:
        quads = ox.parse(data, format=getattr(ox.RdfFormat, fmt), base_iri=path.resolve().as_uri(),
                         without_named_graphs=True, rename_blank_nodes=True)  # a label is the file's own
        triples = [(q.subject, q.predicate, q.object) for q in quads]
    except (SyntaxError, ValueError, OSError):
        return None
    for s, _p, o in triples:
        if isinstance(s, ox.Triple) or isinstance(o, ox.Triple) or (
                isinstance(o, ox.Literal) and o.direction is not None):
            return None
    return triples


def _syntax_error(path: Path, data: bytes, exc: Exception) -> InputError:
    """Turn any parser's exception into one line with the file, line and column."""
    name = str(path)
    # rdflib's Turtle/N3 parser: BadSyntax carries the text and the offset of the failure.
    text = getattr(exc, "_str", None)
    offset = getattr(exc, "_i", None)
    why = getattr(exc, "_why", None)
    if isinstance(text, (str, bytes)) and isinstance(offset, int) and why:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        offset = min(max(offset, 0), len(text))
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return InputError(f"syntax error: {_one_line(str(why))}", path=name, line=line, column=column)
    # SAX (RDF/XML) errors carry their position.
    get_line = getattr(exc, "getLineNumber", None)
    if callable(get_line):
        return InputError(
            f"XML syntax error: {_one_line(exc.getMessage())}",  # type: ignore[attr-defined]
            path=name,
            line=get_line(),
            column=exc.getColumnNumber(),  # type: ignore[attr-defined]
        )
    if isinstance(exc, IndexError) and path.suffix.lower() in (".ttl", ".nt"):
        # rdflib's Turtle parser reads past the end of an unfinished statement
        text = data.decode("utf-8", "replace").rstrip()
        line = text.count("\n") + 1
        column = len(text) - (text.rfind("\n") + 1) + 1
        return InputError("syntax error: the file ends inside a statement (a missing '.'?)",
                          path=name, line=line, column=column)
    message = _one_line(str(exc)) or type(exc).__name__
    if path.suffix.lower() == ".nt":
        line = _first_bad_ntriples_line(data)
        if line is not None:
            return InputError(f"syntax error: {message}", path=name, line=line)
    match = _LINE_IN_MESSAGE.search(message)
    line = int(match.group(1)) if match else None
    return InputError(f"syntax error: {message}", path=name, line=line)


def _first_bad_ntriples_line(data: bytes) -> int | None:
    """N-Triples is one statement a line: find the first line that does not parse alone."""
    for number, raw in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            Graph().parse(data=raw, format="nt")
        except Exception:
            return number
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
