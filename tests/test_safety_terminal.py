"""The terminal is safe (issue 27, point 7): a label from the data cannot clear the screen, retitle
the terminal, rewrite a line or reverse the text after it. Tables, diffs, validation reports, the
catalogue and every message show control characters and bidirectional overrides escaped
(``\\x1b``, ``\\u202e``); CSV, TSV, JSON, XML and RDF carry the data exactly as it is. Ctrl-C at any
moment is one line and exit code 130."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from checkouts import checkout, edit

import natograph
from natograph.graph import resources
from natograph.output import visible

# ESC ] 0 ; ... BEL retitles a terminal; CSI (8-bit, C1) 2J clears it; CR rewrites the line; RLO and
# LRI reverse or isolate what follows.
HOSTILE = "Alg\x1b]0;pwned\x07eria\x9b2J\u202e\u2066\r"
HOSTILE_TURTLE = r"Alg\u001B]0;pwned\u0007eria\u009B2J\u202E\u2066\r"
SHOWN = r"Alg\x1b]0;pwned\x07eria\x9b2J\u202e\u2066\r"
DANGEROUS = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # all but the line break
LABEL = '    rdfs:label "Algeria"@en , "Algérie"@fr ;\n'
PACKAGE = Path(natograph.__file__).parent


def natograph_run(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    return subprocess.run([sys.executable, "-m", "natograph", *argv], capture_output=True, timeout=300, env=env,
                          cwd=cwd)


def safe(text: str) -> str:
    found = DANGEROUS.search(text)
    assert found is None, f"a raw {found.group()!r} reached the terminal: {text[max(0, found.start() - 80):found.end() + 40]!r}"
    return text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A checkout whose Algeria has a hostile English label, and a stored query whose header is hostile."""
    root = checkout(tmp_path_factory.mktemp("hostile") / "root")
    edit(root / "data" / "partners-south.ttl", LABEL, LABEL.replace('"Algeria"@en', f'"{HOSTILE_TURTLE}"@en'))
    members = (root / "queries" / "members.rq").read_text(encoding="utf-8")
    (root / "queries" / "members.rq").write_text(
        members.replace("#+ summary: NATO member countries", "#+ summary: NATO\x1b[2J\x07 member countries", 1),
        encoding="utf-8")
    return root


def test_visible_escapes_every_control_and_bidi_character_and_nothing_else():
    assert visible(HOSTILE) == SHOWN
    controls = [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    for code in controls:
        shown = visible(chr(code))
        assert shown.startswith("\\") and not DANGEROUS.search(shown), (hex(code), shown)
    kept = "Algérie «ok» 日本 تونس – \\x1b stays text, and so do tabs written out: \\t"
    assert visible(kept) == kept


def test_a_query_table_shows_the_label_escaped_and_csv_tsv_json_xml_carry_it_exactly(hostile):
    table = natograph_run("--root", str(hostile), "query", "partners", "-p", "framework=MD")
    assert table.returncode == 0, table.stderr.decode()
    out = safe(table.stdout.decode())
    assert SHOWN in out
    csv = natograph_run("--root", str(hostile), "query", "partners", "-p", "framework=MD", "--format", "csv")
    assert HOSTILE.encode() in csv.stdout  # the exact bytes: a CSV is data, not a screen
    answer = json.loads(natograph_run("--root", str(hostile), "query", "partners", "-p", "framework=MD",
                                      "--format", "json").stdout)
    assert HOSTILE in [b["label"]["value"] for b in answer["results"]["bindings"]]
    xml = natograph_run("--root", str(hostile), "query", "partners", "-p", "framework=MD", "--format", "xml").stdout
    assert HOSTILE.encode() in xml
    tsv = natograph_run("--root", str(hostile), "query", "partners", "-p", "framework=MD", "--format", "tsv").stdout
    rows = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    assert HOSTILE in [row["label"].value for row in rows]


def test_a_sparql_table_escapes_and_rdf_keeps_the_literal(hostile):
    query = ('PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> '
             'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(STRSTARTS(?l, "Alg")) }')
    out = safe(natograph_run("--root", str(hostile), "sparql", query).stdout.decode())
    assert SHOWN in out
    graph = natograph_run("--root", str(hostile), "export", "--format", "ntriples").stdout
    assert HOSTILE in {t.object.value for t in ox.parse(graph, format=ox.RdfFormat.N_TRIPLES)
                       if isinstance(t.object, ox.Literal)}


def test_diff_text_escapes_and_diff_json_is_exact(hostile):
    old, new = str(resources.installed_root() / "data" / "partners-south.ttl"), str(hostile / "data" / "partners-south.ttl")
    text = natograph_run("diff", old, new)
    assert text.returncode == 1, text.stderr.decode()
    assert f'+ rdfs:label "{SHOWN}"@en' in safe(text.stdout.decode())
    document = json.loads(natograph_run("diff", old, new, "--format", "json").stdout)
    assert any(r.get("label") == HOSTILE for r in document["resources"])


def test_validate_text_escapes_and_validate_json_is_exact(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ng: <https://w3id.org/natograph/ontology#> .\n'
                   '<https://w3id.org/natograph/id/country/QQ> a ng:Country ;\n'
                   f'    ng:iso3166Alpha2 "{HOSTILE_TURTLE}" .\n', encoding="utf-8")
    text = natograph_run("validate", "--alone", str(bad))
    assert text.returncode == 1, text.stderr.decode()
    assert f"(value: {SHOWN})" in safe(text.stdout.decode())
    report = json.loads(natograph_run("validate", "--alone", str(bad), "--format", "json").stdout)
    assert HOSTILE in {r.get("value") for r in report["results"]}


def test_the_catalogue_escapes_a_hostile_header(hostile):
    listing = natograph_run("--root", str(hostile), "list")
    assert listing.returncode == 0, listing.stderr.decode()
    assert "NATO\\x1b[2J\\x07 member countries" in safe(listing.stdout.decode())


@pytest.mark.parametrize("argv", [
    ["query", "\x1b[2J\x07members"],
    ["validate", "missing\x1b]0;pwned\x07\u202e.ttl"],
    ["export", "--profile", "\x1b[2Jwikidata"],
    ["sparql", "-f", "missing\x1b[2J.rq"],
    ["query", "members", "--format", "\x1b[2J"],
    ["list", "--bogus\x1b[2J"],
])
def test_every_error_message_shows_control_characters_escaped(argv):
    process = natograph_run(*argv)
    err = process.stderr.decode()
    assert process.returncode == 2 and err.count("\n") == 1 and err.startswith("natograph: error: "), err
    safe(err)
    assert "\\x1b" in err or "\\u202e" in err, err


# ---------------------------------------------------------------------------
# Ctrl-C at any moment
# ---------------------------------------------------------------------------

_ENTRY_MODULES = ("natograph/__init__.py", "natograph/__main__.py", "natograph/cli/__init__.py")


def _before_natograph_started(err: str) -> bool:
    """Whether *err* is the interpreter's own start-up being interrupted, before natograph's entry
    point ran: CPython reports a Ctrl-C during its start-up (``site``, ``runpy``, the compilation of
    the package's first modules) itself, with a traceback, and no program can catch it there. Such a
    traceback has no natograph frame but the module level of the three modules the entry point lives
    in; one in any function of natograph, or in any other of its modules, is natograph's fault."""
    frames = re.findall(r'File "([^"]+)", line \d+, in (\S+)', err)
    if "Traceback" not in err or not err.rstrip().endswith("KeyboardInterrupt"):
        return False
    ours = [(file, where) for file, where in frames if str(PACKAGE) in file]
    return all(where == "<module>" and file.endswith(_ENTRY_MODULES) for file, where in ours)


@pytest.mark.parametrize("argv", [["list"], ["query", "members", "--format", "csv"]])
def test_ctrl_c_at_any_moment_is_one_line_and_exit_130(argv, tmp_path):
    """SIGINT sent 0, 5, 10 ... ms after the spawn (and on, until natograph itself handled it 12
    times, or the command finished first): each run ends in exit 130 with the one line
    'natograph: interrupted' (or ran to its end first, or was interrupted before the interpreter
    could run any of natograph), never a traceback from natograph."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE.parent)}
    whole = subprocess.run([sys.executable, "-m", "natograph", *argv], capture_output=True, env=env, timeout=300)
    assert whole.returncode == 0, whole.stderr.decode()
    handled, outcomes = 0, []
    for offset in range(0, 5000, 5):
        process = subprocess.Popen([sys.executable, "-m", "natograph", *argv], stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=env)
        time.sleep(offset / 1000)
        process.send_signal(signal.SIGINT)
        out, err_bytes = process.communicate(timeout=300)
        err, code = err_bytes.decode(), process.returncode
        outcomes.append((offset, code))
        if code == 130 and err == "natograph: interrupted\n":
            handled += 1
        elif code == 0 and err == "" and out == whole.stdout:
            break  # the command had finished: nothing left to interrupt
        elif code == -signal.SIGINT and err == "":
            pass  # before Python installed its own handler: the process ends as SIGINT ends it
        else:
            assert _before_natograph_started(err), f"at {offset} ms: exit {code}, stderr:\n{err}"
        if offset >= 200 and handled >= 12:
            break
    assert handled >= 3 and (handled >= 12 or outcomes[-1][1] == 0), f"natograph handled {handled}: {outcomes}"
