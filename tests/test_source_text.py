"""The source text is in the repository, unedited; every sentence the data quotes from it is in it,
verbatim; and no file of the repository points outside it (the text once lived beside the checkout)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph

from natograph.graph import resources

NG_SOURCE_SENTENCE = "https://w3id.org/natograph/ontology#sourceSentence"

# Written in two parts so that this file does not name what it looks for.
OUTSIDE_NAMES = ("/" + "work/", "shared" + "/sources")
PARENT = re.compile(r"(?:\.\./)+[^\s'\"`)<>\]]*")


def source_text_dir() -> Path:
    return resources.root() / "data" / "source-text"


def normalised(text: str) -> str:
    """Runs of whitespace (the non-breaking space U+00A0 and line ends among them) as one space."""
    return " ".join(text.split())


def missing_sentences(text: str, turtle_files: list[Path]) -> list[str]:
    """One line per ng:sourceSentence of *turtle_files* that is not in *text* (both normalised)."""
    haystack = normalised(text)
    missing = []
    for path in turtle_files:
        for triple in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            if triple.predicate.value == NG_SOURCE_SENTENCE and normalised(triple.object.value) not in haystack:
                missing.append(f"{path.name}: <{triple.subject.value}> quotes a sentence the source text does not hold:"
                               f" {triple.object.value!r}")
    return missing


def test_the_source_text_is_the_capture_its_readme_describes():
    folder = source_text_dir()
    stated = re.findall(r"^\s+([0-9a-f]{64})$", (folder / "README.md").read_text("utf-8"), re.MULTILINE)
    assert len(stated) == 1, "data/source-text/README.md states the text's SHA-256 once, on a line of its own"
    digest = hashlib.sha256((folder / "nato-partnerships-fr.txt").read_bytes()).hexdigest()
    assert digest == stated[0], "the source text differs from the capture: fix the data, not the text"


def test_every_source_sentence_occurs_in_the_source_text_verbatim():
    text = (source_text_dir() / "nato-partnerships-fr.txt").read_text("utf-8")
    files = resources.data_files()
    quoted = [t for path in files for t in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
              if t.predicate.value == NG_SOURCE_SENTENCE]
    assert len(quoted) > 50, "the data quotes the source text"
    missing = missing_sentences(text, files)
    assert not missing, "\n".join(missing)


def test_a_sentence_edited_by_one_character_is_named(tmp_path):
    """The check above, on a copy of the data where one quoted apostrophe became a straight one."""
    text = (source_text_dir() / "nato-partnerships-fr.txt").read_text("utf-8")
    original = resources.root() / "data" / "events.ttl"
    copy = tmp_path / "events.ttl"
    shutil.copy(original, copy)
    sentence = "L’origine des partenariats"
    turtle = copy.read_text("utf-8")
    assert turtle.count(sentence) == 1
    copy.write_text(turtle.replace(sentence, sentence.replace("’", "'")), "utf-8")
    assert missing_sentences(text, [original]) == []
    (line,) = missing_sentences(text, [copy])
    assert line.startswith("events.ttl: <https://w3id.org/natograph/id/event/london-1990> quotes")
    assert "L'origine des partenariats" in line


def tracked_files(root: Path) -> list[Path]:
    """The files Git tracks in *root*; outside a Git checkout (an unpacked sdist), every file but
    caches."""
    try:
        listed = subprocess.run(["git", "-C", str(root), "ls-files", "-z"], capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return [p for p in root.rglob("*") if p.is_file() and not {"__pycache__", ".git"} & set(p.parts)]
    return [root / name for name in listed.decode("utf-8").split("\0") if name]


def outside_references(root: Path) -> list[str]:
    found = []
    for path in tracked_files(root):
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, FileNotFoundError):  # images; a file deleted but not yet staged
            continue
        name = path.relative_to(root).as_posix()
        for number, line in enumerate(text.splitlines(), 1):
            for outside in OUTSIDE_NAMES:
                if outside in line:
                    found.append(f"{name}:{number}: names {outside!r}")
            for match in PARENT.finditer(line):
                target = os.path.normpath(os.path.join(os.path.dirname(name), match.group()))
                if target == ".." or target.startswith("../"):
                    found.append(f"{name}:{number}: {match.group()!r} leads outside the repository")
    return found


def test_no_file_points_outside_the_repository():
    found = outside_references(resources.root())
    assert not found, "\n".join(found)


def test_an_outside_path_is_caught(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "notes.ttl").write_text(
        "# the text is in " + "../" * 2 + "elsewhere/text.txt\n# and in ../source-text/ (inside)\n", "utf-8")
    (tmp_path / "README.md").write_text("See " + OUTSIDE_NAMES[1] + "/x.txt and " + OUTSIDE_NAMES[0] + "x.\n", "utf-8")
    found = outside_references(tmp_path)
    assert sorted(found) == sorted([
        "data/notes.ttl:1: '" + "../" * 2 + "elsewhere/text.txt' leads outside the repository",
        f"README.md:1: names {OUTSIDE_NAMES[0]!r}",
        f"README.md:1: names {OUTSIDE_NAMES[1]!r}",
    ])
