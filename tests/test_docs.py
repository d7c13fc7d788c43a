"""Every command the documentation shows still runs, and prints what the documentation says it prints.

The documents are ``README.md``, ``CONTRIBUTING.md`` and ``docs/*.md``. From their fenced code blocks:

- in a ``sh`` (``shell``, ``bash``) block, every line is a shell command (a line whose quote is still
  open goes on with the next); in a ``yaml`` block, every ``run:`` step is one;
- in a ``text`` (``console``) block, a line starting with ``$ `` is a command, and the lines after it,
  up to the next ``$ `` line, are its output. ``$ echo $?`` followed by a number is the exit code of
  the command before it;
- of a shell command, the part that starts with ``natograph`` (after ``&&``, ``;`` or ``|``) is run,
  without its ``# comment``; ``> FILE`` writes its standard output to FILE.

Each such command runs in process (``natograph.cli.main``, as the other tests call it) in a copy of
the checkout (ontology, data, queries, ``docs/examples``), so what it writes lands in the copy. Its
exit code must be the one the text shows (0 unless it shows another) and, where the text shows its
output, the output must be exactly that: standard output then standard error, as a terminal shows a
command that writes its summary or its error last, only trailing spaces normalised.

A line of a ``text`` block that starts with ``natograph`` without a prompt is a synopsis (it holds
placeholders such as ``NAME`` or ``[--format FORMAT]``): its command must exist and every option it
names must be in that command's ``--help``.

A command that cannot run here is in ``EXEMPT`` with the reason, and an exemption whose command no
longer appears in the documents fails (no stale exemptions).

When the data changes, the outputs shown change: ``NATOGRAPH_UPDATE_DOCS=1 python -m pytest
tests/test_docs.py`` writes each command's real output into the document in place of the old one
(exit codes are never rewritten); review the change with ``git diff`` before committing it.

Besides the commands: the README stays within 12 KB; every relative link points to a file of the
repository (and its ``#anchor`` to a heading there); every repository path and every ``natograph.``
Python name written in backquotes exists; and no document names a path outside the repository.
"""

from __future__ import annotations

import importlib
import os
import re
import shlex
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from natograph.cli import main

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
CONTRIBUTING = REPO / "CONTRIBUTING.md"
DOCUMENTS = [p for p in (README, CONTRIBUTING, *sorted((REPO / "docs").glob("*.md"))) if p.is_file()]
README_LIMIT = 12 * 1024
UPDATE = os.environ.get("NATOGRAPH_UPDATE_DOCS") == "1"

# Commands the documents show that cannot run in a test, each with the reason. The key is the
# command as shlex.join writes it.
EXEMPT = {
    "natograph serve":
        "runs until stopped; tests/web/conftest.py starts it on a free port and tests/web/test_cli_serve.py checks its flags",
    "natograph query partners -p framework=MD --endpoint http://localhost:7878/query":
        "needs an Oxigraph server at that address; tests/test_endpoint.py runs the catalogue on one it starts",
    "natograph sparql 'ASK { ?s ?p ?o }' --format json --endpoint http://localhost:3030/natograph/sparql":
        "needs a Fuseki server at that address; tests/test_endpoint.py runs queries on an Oxigraph server it starts",
    "natograph export --inferred --to http://localhost:7878/store":
        "needs a graph store at that address; tests/test_endpoint.py puts the graph into an Oxigraph server it starts",
    "natograph export --inferred --to URL --graph https://example.org/g/natograph":
        "URL stands for the reader's graph store; tests/test_endpoint.py sends a named graph to a fake store",
    "natograph validate data/partners-south.ttl":
        "its output follows a hand edit (the $EDITOR line before it); tests/test_maintainer.py makes such edits",
    "natograph diff --git HEAD":
        "its output follows a hand edit and names the day it runs; tests/test_diff.py compares a checkout with a commit",
}
SLOW = {"release"}  # commands that take tens of seconds: marked slow, like the other tests that run them

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[\w+-]*)\s*$")
_SHELL = {"sh", "shell", "bash"}
_TRANSCRIPT = {"text", "console"}
_SEPARATORS = {"&&", "||", ";", "|", "&"}


@dataclass
class Block:
    document: Path
    line: int  # of its first content line, 1-based
    info: str
    lines: list[str]


@dataclass
class Shown:
    """One appearance of a command in a document."""

    where: str
    argv: list[str]
    code: int = 0
    output: list[str] | None = None  # None: the text does not show it
    redirect: str | None = None
    typed: list[str] = field(default_factory=list)  # the lines of a transcript that type the command

    @property
    def key(self) -> str:
        return shlex.join(["natograph", *self.argv])


@dataclass
class Synopsis:
    """A command's form with placeholders, in a text block: ``natograph query NAME [-p KEY=VALUE]...``."""

    where: str
    text: str


def blocks(document: Path) -> list[Block]:
    found, current, fence = [], None, ""
    for number, line in enumerate(document.read_text(encoding="utf-8").splitlines(), 1):
        match = _FENCE.match(line)
        if current is None and match:
            current, fence = Block(document, number + 1, match["info"].lower(), []), match["fence"]
            indent = len(match["indent"])
        elif current is not None and line.strip() == fence:
            found.append(current)
            current = None
        elif current is not None:
            current.lines.append(line[indent:] if line[:indent].strip() == "" else line)
    assert current is None, f"{_name(document)}: a code block is never closed"
    return found


def _tokens(text: str) -> list[str] | None:
    """The shell words of *text*, or None while a quote is open."""
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return None


def _natograph_parts(tokens: list[str]) -> list[tuple[list[str], str | None]]:
    """The natograph commands of one shell line, each with the file its output is redirected to."""
    parts, current = [], []
    for token in [*tokens, ";"]:
        if token not in _SEPARATORS:
            current.append(token)
            continue
        if current and current[0] == "natograph":
            argv, redirect = current[1:], None
            if ">" in argv:
                at = argv.index(">")
                argv, redirect = argv[:at] + argv[at + 2:], argv[at + 1]
            parts.append((argv, redirect))
        current = []
    return parts


def _logical_lines(block: Block):
    """(line number, text) of each command line of a block, lines joined while a quote is open."""
    pending, start = "", 0
    for offset, line in enumerate(block.lines):
        if not pending:
            start = block.line + offset
        pending = f"{pending}\n{line}" if pending else line
        if _tokens(pending) is not None:
            yield start, pending
            pending = ""
    assert not pending, f"{block.document}:{start}: a quote is never closed"


def _where(block: Block, number: int) -> str:
    return f"{block.document.relative_to(REPO).as_posix()}:{number}"


def shell_commands(block: Block) -> list[Shown]:
    shown = []
    for number, text in _logical_lines(block):
        if block.info == "yaml":
            match = re.match(r"^\s*(?:-\s+)?run:\s*(.*)$", text)
            if not match:
                continue
            text = match[1]
        for argv, redirect in _natograph_parts(_tokens(text) or []):
            shown.append(Shown(_where(block, number), argv, redirect=redirect))
    return shown


def transcript_commands(block: Block) -> tuple[list[Shown], list[Synopsis]]:
    shown, synopses = [], []
    current: Shown | None = None
    continued: Synopsis | None = None
    lines, index = block.lines, 0
    while index < len(lines):
        line, number = lines[index], block.line + index
        index += 1
        if line.startswith("$ "):
            typed = [line]
            while _tokens("\n".join(typed)[2:]) is None and index < len(lines):
                typed, index = [*typed, lines[index]], index + 1
            tokens, continued = _tokens("\n".join(typed)[2:]) or [], None
            if tokens == ["echo", "$?"] and current is not None:
                current.code, index, current = int(lines[index]), index + 1, None
                continue
            parts = _natograph_parts(tokens)
            current = Shown(_where(block, number), parts[0][0], output=[], typed=typed) if parts else None
            shown += [current] if current else []
        elif current is not None:
            current.output.append(line)
        elif line.startswith("natograph"):
            continued = Synopsis(_where(block, number), line)
            synopses.append(continued)
        elif continued is not None and line[:1].isspace():
            continued.text += " " + line.strip()
    return shown, synopses


def everything() -> tuple[list[Shown], list[Synopsis]]:
    shown, synopses = [], []
    for document in DOCUMENTS:
        for block in blocks(document):
            if block.info in _SHELL or block.info == "yaml":
                shown += shell_commands(block)
            elif block.info in _TRANSCRIPT:
                commands, lines = transcript_commands(block)
                shown += commands
                synopses += lines
    return shown, synopses


SHOWN, SYNOPSES = everything()
BY_KEY: dict[str, list[Shown]] = {}
for _shown in SHOWN:
    BY_KEY.setdefault(_shown.key, []).append(_shown)


def _param(key: str):
    argv = BY_KEY[key][0].argv
    marks = [pytest.mark.slow] if argv and argv[0] in SLOW else []
    return pytest.param(key, id=key[:80], marks=marks)


RUNNABLE = [_param(key) for key in BY_KEY if key not in EXEMPT]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """What a reader's clone holds that the commands read: the graph's files and the examples."""
    folder = tmp_path_factory.mktemp("clone")
    for part in ("ontology", "data", "queries", "docs/examples"):
        shutil.copytree(REPO / part, folder / part)
    return folder


def _normalised(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _rewrite(shown: Shown, real: list[str]) -> None:
    """Put the real output in place of the shown one, in the document (NATOGRAPH_UPDATE_DOCS=1)."""
    document = REPO / shown.where.rsplit(":", 1)[0]
    text = document.read_text(encoding="utf-8")
    old = "\n".join([*shown.typed, *shown.output]) + "\n"
    assert text.count(old) == 1, f"{shown.where}: the transcript is not found once; edit it by hand"
    document.write_text(text.replace(old, "\n".join([*shown.typed, *real]) + "\n"), encoding="utf-8")


@pytest.mark.parametrize("key", RUNNABLE)
def test_every_command_shown_runs_as_the_text_says(key, clone, capsys, monkeypatch):
    monkeypatch.chdir(clone)
    monkeypatch.delenv("NATOGRAPH_ROOT", raising=False)  # the clone is the root, as in a reader's clone
    first = BY_KEY[key][0]
    code = main(list(first.argv))
    out, err = capsys.readouterr()
    if first.redirect:
        (clone / first.redirect).write_text(out, encoding="utf-8")
        out = ""
    real = _normalised((out + err).split("\n"))
    for shown in BY_KEY[key]:
        assert code == shown.code, f"{shown.where}: exit code {code}, the text shows {shown.code}\n{err[-2000:]}"
        if shown.output is None or _normalised(shown.output) == real:
            continue
        if UPDATE and len({s.where for s in BY_KEY[key] if s.output is not None}) == 1:
            _rewrite(shown, real)
            warnings.warn(f"{shown.where}: output rewritten; review it with git diff", stacklevel=1)
            continue
        assert _normalised(shown.output) == real, f"{shown.where}: the output shown is not what {key} prints"


def test_exemptions_are_still_shown():
    stale = sorted(set(EXEMPT) - set(BY_KEY))
    assert not stale, f"EXEMPT names commands no document shows any more: {stale}"


def test_the_documents_are_there():
    assert README.is_file() and CONTRIBUTING.is_file()
    assert {p.name for p in DOCUMENTS} >= {"README.md", "CONTRIBUTING.md", "using.md", "serving.md", "releasing.md",
                                           "maintaining.md", "model.md", "limits.md", "speed.md"}


def test_the_documents_show_commands_and_synopses():
    """The extraction itself: it finds the commands the README and the pages are known to show."""
    assert "natograph query partners -p framework=MD" in BY_KEY
    assert any(s.output for s in SHOWN if s.where.startswith("README.md")), "the README's answers are not read"
    assert any(s.code == 1 for s in SHOWN), "no exit code is read from `$ echo $?`"
    assert any(s.redirect for s in SHOWN), "no `> FILE` is read"
    assert len(SYNOPSES) >= 10


def _help(command: str | None, capsys) -> str:
    assert main([command, "--help"] if command else ["--help"]) == 0, command
    return capsys.readouterr().out


@pytest.mark.parametrize("synopsis", SYNOPSES, ids=lambda s: s.where)
def test_every_synopsis_names_a_command_and_options_that_exist(synopsis, capsys):
    words = synopsis.text.split()
    assert words[0] == "natograph"
    top = _help(None, capsys)
    commands = set(re.findall(r"^\s{4}(\w+)\s", top, re.MULTILINE))
    command = next((w for w in words[1:] if w in commands), None)
    if command is None:
        assert not any(w.islower() and w.isalpha() for w in words[1:]), f"{synopsis.where}: unknown command"
    text = _help(command, capsys) + (top if command is None or "--root" in words else "")
    for option in re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", synopsis.text):
        assert re.search(rf"(?<![\w-]){re.escape(option)}\b", text), f"{synopsis.where}: {option} is not an option"


# -- the documents themselves ---------------------------------------------------------------------


def test_the_readme_fits_in_12_kb():
    size = len(README.read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes: move the detail to docs/ (limit {README_LIMIT})"


def _name(document: Path) -> str:
    return document.relative_to(REPO).as_posix()


def _prose(document: Path) -> str:
    """The text outside code blocks."""
    text, inside = [], False
    for line in document.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            inside = not inside
            continue
        if not inside:
            text.append(line)
    return "\n".join(text)


def _anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(document: Path) -> set[str]:
    return {_anchor(m[1]) for m in re.finditer(r"^#{1,6}\s+(.*)$", _prose(document), re.MULTILINE)}


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_relative_links_point_into_the_repository(document):
    for target in LINK.findall(_prose(document)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        resolved = (document.parent / path).resolve() if path else document
        assert resolved.is_relative_to(REPO), f"{_name(document)}: {target} leaves the repository"
        assert resolved.exists(), f"{_name(document)}: {target} points to nothing"
        if anchor and resolved.suffix == ".md":
            assert anchor in _anchors(resolved), f"{_name(document)}: {target}: no such heading"


_TOP = ("natograph/", "tests/", "data/", "queries/", "ontology/", "benchmarks/", "docs/", ".ci/")
_FILES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "CONTRIBUTING.md")
_PLACEHOLDER = re.compile(r"[<>{}…]|\.\.\.|(?:^|/)(?:FILE|DIR|NAME|URL|REV|SIDE|OLD|NEW|HOST|PATH|KEY|VALUE)(?:[./-]|$)")


def _quoted(document: Path) -> list[str]:
    return re.findall(r"`([^`\n]+)`", _prose(document))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_repository_paths_named_exist(document):
    for word in _quoted(document):
        path = word.split()[0] if word.split() else word
        if not (path.startswith(_TOP) or path in _FILES) or _PLACEHOLDER.search(path):
            continue
        found = list(REPO.glob(path.rstrip("/"))) if "*" in path else [REPO / path]
        assert found and all(p.exists() for p in found), f"{_name(document)}: `{word}` names no file of the repository"


_EXTENSIONS = {"nt", "ttl", "trig", "nq", "owl", "jsonld", "rdf", "sarif", "xml", "csv", "json", "gz", "zip"}


def _resolves(name: str) -> bool:
    parts = name.split(".")
    obj = importlib.import_module(parts[0])
    for at, part in enumerate(parts[1:], 1):
        if hasattr(obj, part):
            obj = getattr(obj, part)
            continue
        try:
            obj = importlib.import_module(".".join(parts[: at + 1]))
        except ModuleNotFoundError:
            return False
    return True


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_python_names_named_exist(document):
    names = [m[1] for w in _quoted(document) if (m := re.match(r"^(natograph(?:\.\w+)+)", w))]
    for block in blocks(document):
        if block.info != "python":
            continue
        code = "\n".join(block.lines)
        names += re.findall(r"\b(natograph(?:\.\w+)+)", code)
        for imported in re.findall(r"^from natograph import (.*)$", code, re.MULTILINE):
            for name in (n.strip() for n in imported.split(",")):
                names += [f"natograph.{name}", *(f"natograph.{name}.{a}" for a in re.findall(rf"\b{name}\.(\w+)", code))]
    for name in names:
        if name.rsplit(".", 1)[1] in _EXTENSIONS:
            continue  # a file name: natograph.nt
        assert _resolves(name), f"{_name(document)}: `{name}` is not a name of the package"


_ROOTS = "home|Users|work|tmp|root|mnt|srv|opt|var|etc|usr|private|data|dev"
_OUTSIDE = re.compile(rf"(?<![\w.:/…-])(?:~/|/(?:{_ROOTS})/|[A-Z]:\\)\S*")
# Paths outside the repository that natograph itself uses, and so the documents name.
OUTSIDE_ALLOWED = {
    "~/.cache/natograph": "the cache's default folder (docs/limits.md)",
    "/dev/null": "a device export -o writes in place (docs/limits.md)",
    "/dev/full": "a device whose full disk is one line and exit code 2 (docs/limits.md)",
}


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_document_names_a_path_outside_the_repository(document):
    text = document.read_text(encoding="utf-8")
    found = [m.group().rstrip("`.,;:)") for m in _OUTSIDE.finditer(text)]
    found = [path for path in found if path not in OUTSIDE_ALLOWED]
    assert not found, f"{_name(document)} names paths outside the repository: {found}"
    for match in re.finditer(r"(?<![\w.])((?:\.\./)+[\w.-][\w./-]*)", text):
        assert (document.parent / match[1]).resolve().is_relative_to(REPO), f"{_name(document)}: {match[1]}"


def test_the_sdist_holds_the_documents_and_what_they_link():
    """pyproject.toml's sdist includes the documents and every top-level entry they link or name."""
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    included = set(config["tool"]["hatch"]["build"]["targets"]["sdist"]["include"])
    assert config["project"]["readme"] == "README.md"
    named = {"README.md", "CONTRIBUTING.md", "docs"}
    for document in DOCUMENTS:
        for target in LINK.findall(_prose(document)):
            path = target.partition("#")[0]
            if path and not re.match(r"^[a-z][a-z0-9+.-]*:", path):
                named.add((document.parent / path).resolve().relative_to(REPO).parts[0])
        named.update(w.split("/")[0] for w in _quoted(document) if w.startswith(_TOP) and not _PLACEHOLDER.search(w))
    missing = sorted(named - included)
    assert not missing, f"the documents link or name {missing}, which the sdist leaves out"
