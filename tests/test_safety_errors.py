"""No traceback, ever (issue 13, findings 5, 8, 9 and 11): each case the adversarial pass found is
one line on stderr with exit code 2 (or a correct answer), never a traceback, and the messages say
what is really wrong."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from natograph.cli import main


def natograph(*argv, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "natograph", *argv], capture_output=True, timeout=300,
                          env={**os.environ, **(env or {})})


def no_traceback(process: subprocess.CompletedProcess, codes=(0, 2)) -> str:
    err = process.stderr.decode()
    assert process.returncode in codes, err
    assert "Traceback" not in err and "Error:" not in err.replace("natograph: error:", ""), err
    if process.returncode == 2:
        assert err.count("\n") == 1 and err.startswith("natograph: error: "), err
    return err


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p ?o FILTER(regex(str(?o), "(")) } LIMIT 5',
    'SELECT (REPLACE("abc", "(", "x") AS ?x) WHERE {}',
    "SELECT (SUM(?o) AS ?sum) WHERE { ?s ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING (SUM(?o) > 1)",
    "SELECT * WHERE { " + "{" * 500 + " ?s ?p ?o " + "}" * 500 + " }",
    "ASK { FILTER(" + "(" * 500 + "1" + ")" * 500 + ") }",
    "SELECT * WHERE { ?s ?p }",
    "SELECT ?x WHERE { BIND(1/0 AS ?x) }",
    'SELECT (STRDT("x", <urn:t>) AS ?x) (xsd:integer("abc") AS ?y) WHERE {}',
])
def test_hostile_queries_are_one_line_or_an_answer(query):
    no_traceback(natograph("sparql", query))


def test_a_5000_level_jsonld_file_is_one_line(tmp_path):
    deep = tmp_path / "deep.jsonld"
    deep.write_text('{"@id": "urn:x", "urn:p": ' * 5000 + '"v"' + "}" * 5000, encoding="utf-8")
    err = no_traceback(natograph("validate", "--alone", str(deep)), codes=(2,))
    assert "deep.jsonld:1: JSON nested more than" in err


def test_a_5000_level_turtle_file_is_one_line(tmp_path):
    deep = tmp_path / "deep.ttl"
    deep.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p " + "[ ex:p " * 5000 + "ex:o" + " ]" * 5000 + " .\n",
                    encoding="utf-8")
    err = no_traceback(natograph("validate", "--alone", str(deep)), codes=(2,))
    assert "deep.ttl" in err and "nested too deeply" in err


@pytest.mark.parametrize("locale", ["C", "POSIX"])
def test_french_labels_under_a_c_locale(locale):
    process = natograph("query", "members", "--lang", "fr", env={"LC_ALL": locale, "LANG": locale})
    no_traceback(process, codes=(0,))
    assert "États-Unis" in process.stdout.decode("utf-8")


def test_french_labels_with_an_ascii_io_encoding():
    process = natograph("query", "members", "--lang", "fr", env={"PYTHONIOENCODING": "ascii"})
    no_traceback(process, codes=(0,))
    assert "États-Unis" in process.stdout.decode("utf-8")


def test_a_missing_final_dot_is_reported_where_the_statement_ends(tmp_path, capsys):
    noend = tmp_path / "noend.ttl"
    noend.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c", encoding="utf-8")
    assert main(["validate", "--alone", str(noend)]) == 2
    err = capsys.readouterr().err
    assert f"{noend}:2:15: syntax error" in err, err


@pytest.mark.parametrize("value", ["２０００", "٢٠٠٠", "۲۰۰۰", "２０００-０１", "2000-0١", "२०००"])
def test_dates_with_other_digits_are_refused(capsys, value):
    assert main(["query", "timeline", "-p", f"from={value}"]) == 2
    assert "digits 0-9" in capsys.readouterr().err


def test_ascii_dates_still_work(capsys):
    assert main(["query", "timeline", "-p", "from=2000", "-p", "to=2001"]) == 0
    assert "(0 rows)" not in capsys.readouterr().out


def test_an_unreadable_folder_is_not_called_empty(tmp_path):
    import shutil
    import tempfile

    from natograph.errors import InputError
    from natograph.graph.parsing import expand_paths

    base = Path(tempfile.mkdtemp(prefix="natograph-locked-"))  # traversable by another user
    base.chmod(0o755)
    folder = base / "locked"
    folder.mkdir()
    (folder / "x.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    folder.chmod(0o000)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a child without root's right to read anything
        try:
            os.close(read)
            if os.getuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            try:
                expand_paths([folder])
                message = "no error"
            except InputError as exc:
                message = str(exc)
            os.write(write, message.encode())
        finally:
            os._exit(0)
    os.close(write)
    message = os.read(read, 4096).decode()
    os.waitpid(pid, 0)
    folder.chmod(0o700)
    shutil.rmtree(base)
    assert "cannot read folder (Permission denied)" in message and "holds no" not in message, message


def test_a_symlink_loop_is_named(tmp_path, capsys):
    (tmp_path / "a.ttl").symlink_to("b.ttl")
    (tmp_path / "b.ttl").symlink_to("a.ttl")
    assert main(["validate", str(tmp_path / "a.ttl")]) == 2
    err = capsys.readouterr().err
    assert "a loop of symbolic links" in err and "no such file" not in err


def test_a_dangling_link_is_named(tmp_path, capsys):
    (tmp_path / "gone.ttl").symlink_to("nowhere.ttl")
    assert main(["validate", str(tmp_path / "gone.ttl")]) == 2
    assert "a symbolic link to a missing file" in capsys.readouterr().err


def test_a_utf8_bom_is_accepted(tmp_path, capsys):
    bom = tmp_path / "bom.ttl"
    bom.write_bytes(b"\xef\xbb\xbf@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n")
    assert main(["validate", "--alone", str(bom)]) in (0, 1)
    assert "syntax error" not in capsys.readouterr().err


def test_an_empty_output_name(capsys):
    assert main(["export", "-o", ""]) == 2
    err = capsys.readouterr().err
    assert "output file name is empty" in err and "busy" not in err


def test_an_empty_input_name(capsys):
    assert main(["validate", ""]) == 2
    assert "empty file name" in capsys.readouterr().err


def test_jsonld_nesting_limit_counts_outside_strings(tmp_path, capsys):
    fine = tmp_path / "fine.jsonld"
    fine.write_text(json.dumps({"@id": "urn:a", "urn:p": "[" * 1000 + "{" * 1000}), encoding="utf-8")
    assert main(["validate", "--alone", str(fine)]) in (0, 1)
    assert "nested" not in capsys.readouterr().err


@pytest.mark.parametrize("command", ["stats", "sparql"])
def test_an_internal_error_is_one_line_that_names_it(monkeypatch, capsys, command):
    from natograph.cli.table import COMMANDS

    def broken(args):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(COMMANDS[command], "run", broken)
    assert main([command, "ASK {}"] if command == "sparql" else [command]) == 2
    err = capsys.readouterr().err
    assert err == "natograph: error: internal error (ZeroDivisionError: planted); please report it\n"
