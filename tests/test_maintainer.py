"""The maintainer's loop (issue 8): the files you edit are the files checked and queried.

Every test works on a COPY of the project's files in tmp_path (ontology/, data/, queries/), edits it
as a maintainer would, and runs the CLI from inside the copy, with --root, or from elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkouts import _no_root_from_the_environment, checkout, edit, run  # noqa: F401 (an autouse fixture)

from natograph.errors import InputError
from natograph.graph import resources

LABEL_LINE = '    rdfs:label "Algeria"@en , "Algérie"@fr ;\n'
REMOVED = '    rdfs:label "Algeria"@en ;\n'  # Algeria's French label deleted: a violation
RESPELLED = '    rdfs:label "Algeria"@en , "République algérienne démocratique et populaire"@fr ;\n'  # a valid edit


@pytest.fixture
def removed(tmp_path, monkeypatch):
    """A checkout where Algeria's French label was deleted; the working directory is inside it."""
    root = checkout(tmp_path / "clone")
    edit(root / "data" / "partners-south.ttl", LABEL_LINE, REMOVED)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def respelled(tmp_path, monkeypatch):
    """A checkout where Algeria's French label is spelled differently (valid); cwd inside it."""
    root = checkout(tmp_path / "clone")
    edit(root / "data" / "partners-south.ttl", LABEL_LINE, RESPELLED)
    monkeypatch.chdir(root)
    return root


def assert_french_label_missing(code: int, out: str) -> None:
    assert code == 1, out
    assert "data/partners-south.ttl:35: cty:DZ" in out
    assert "violation: rdfs:label: needs exactly one English and one French label" in out


# ---------------------------------------------------------------------------
# Failure 1: a removal masked by the installed copy
# ---------------------------------------------------------------------------


def test_validate_without_a_path_checks_the_checkout_it_runs_in(removed, capsys):
    code, out, _ = run(capsys, "validate")
    assert_french_label_missing(code, out)


def test_validate_an_edited_file_replaces_the_shipped_one(removed, capsys):
    code, out, _ = run(capsys, "validate", "data/partners-south.ttl")
    assert_french_label_missing(code, out)
    files = 2 + len(list((removed / "data").glob("*.ttl")))  # the ontology, its alignments, the data: no file twice
    assert f"({files} files," in out


def test_validate_the_data_folder_sees_the_removal(removed, capsys):
    code, out, _ = run(capsys, "validate", "data/")
    assert_french_label_missing(code, out)


def test_a_copy_edited_outside_any_checkout_replaces_the_installed_file(removed, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(removed / "data" / "partners-south.ttl", elsewhere / "partners-south.ttl")
    monkeypatch.chdir(elsewhere)
    assert resources.current().origin == "installed"
    code, out, _ = run(capsys, "validate", "partners-south.ttl")
    assert code == 1, out
    assert "partners-south.ttl:35: cty:DZ" in out and "one French label" in out


def test_root_option_and_environment_name_the_checkout_from_anywhere(removed, tmp_path, monkeypatch, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    code, out, _ = run(capsys, "--root", str(removed), "validate")
    assert_french_label_missing(code, out.replace(str(removed) + os.sep, ""))
    assert resources.chosen() is None and resources.ENV_VAR not in os.environ  # main() leaves no root behind
    monkeypatch.setenv(resources.ENV_VAR, str(removed))
    code, out, _ = run(capsys, "validate")
    assert_french_label_missing(code, out.replace(str(removed) + os.sep, ""))


# ---------------------------------------------------------------------------
# Failure 2: a valid edit refused as "two French labels"
# ---------------------------------------------------------------------------


def test_a_respelled_label_passes_with_the_file_the_folder_and_no_path(respelled, capsys):
    for argv in (["validate", "data/partners-south.ttl"], ["validate", "data/"], ["validate"]):
        code, out, _ = run(capsys, *argv)
        assert code == 0, (argv, out)
        assert ": cty:DZ\n" not in out and not any(line.startswith("  violation") for line in out.splitlines())
        assert ", 0 warnings," in out.splitlines()[-1]


def test_a_respelled_copy_outside_the_checkout_passes(respelled, tmp_path, monkeypatch, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(respelled / "data" / "partners-south.ttl", elsewhere / "partners-south.ttl")
    monkeypatch.chdir(elsewhere)
    code, out, _ = run(capsys, "validate", "partners-south.ttl")
    assert code == 0, out
    assert out.startswith("conforms")


def test_query_answers_from_the_edited_checkout(respelled, tmp_path, monkeypatch, capsys):
    code, out, _ = run(capsys, "query", "partners", "-p", "framework=MD", "--lang", "fr", "--format", "csv")
    assert code == 0
    assert "DZ,République algérienne démocratique et populaire,MD,2000-03,active" in out
    assert "Algérie," not in out
    monkeypatch.chdir(tmp_path)  # not a checkout: the installed copy answers
    code, out, _ = run(capsys, "query", "partners", "-p", "framework=MD", "--lang", "fr", "--format", "csv")
    assert "DZ,Algérie,MD" in out and "République" not in out
    code, out, _ = run(capsys, "--root", str(respelled), "query", "partners", "-p", "framework=MD", "--lang", "fr")
    assert "République algérienne démocratique et populaire" in out


# ---------------------------------------------------------------------------
# Which root, and how it is chosen
# ---------------------------------------------------------------------------


def test_version_and_stats_say_which_root_is_in_use(tmp_path, monkeypatch, capsys):
    root = checkout(tmp_path / "clone")
    (root / "data" / "deeper").mkdir()
    monkeypatch.chdir(root / "data" / "deeper")
    code, out, _ = run(capsys, "--version")
    assert code == 0 and f"root: {root.resolve()} (checkout)" in out
    code, out, _ = run(capsys, "stats")
    assert code == 0 and out.startswith(f"root: {root.resolve()} (checkout)\n")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "--version")
    assert f"root: {resources.installed_root()} (installed)" in out
    code, out, _ = run(capsys, "--root", str(root), "--version")
    assert f"root: {root.resolve()} (--root)" in out


def test_a_folder_that_is_not_a_root_is_refused_in_one_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "ontology").mkdir()
    code, out, err = run(capsys, "--root", str(tmp_path), "list")
    assert code == 2 and out == ""
    assert err == (f"natograph: error: --root {tmp_path}: not a natograph root "
                   "(needs ontology/natograph.ttl, data/ and queries/)\n")
    monkeypatch.setenv(resources.ENV_VAR, str(tmp_path / "missing"))
    code, _, err = run(capsys, "list")
    assert code == 2 and err.startswith("natograph: error: NATOGRAPH_ROOT") and "no such folder" in err
    assert "Traceback" not in err


def test_discovery_needs_all_three_parts(tmp_path):
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "natograph.ttl").write_text("", encoding="utf-8")
    (tmp_path / "data").mkdir()
    assert resources.find_checkout(tmp_path) is None  # no queries/
    (tmp_path / "queries").mkdir()
    assert resources.find_checkout(tmp_path / "data") == tmp_path.resolve()


def test_use_root_is_explicit_and_undone(tmp_path, monkeypatch):
    root = checkout(tmp_path / "clone")
    monkeypatch.chdir(tmp_path)
    assert resources.use_root(root).origin == "--root"
    assert resources.data_files()[0].is_relative_to(root.resolve())
    from natograph.queries.catalogue import catalogue

    assert catalogue()["partners"].path.is_relative_to(root.resolve())  # the catalogue follows the root
    resources.use_root(None)
    assert resources.current().origin == "installed"
    assert catalogue()["partners"].path.is_relative_to(resources.installed_root())


# ---------------------------------------------------------------------------
# Which files make the graph
# ---------------------------------------------------------------------------


def test_replace_files_puts_a_namesake_in_place_and_adds_the_others(tmp_path):
    base = [Path("ontology/natograph.ttl"), Path("data/members.ttl"), Path("data/partners-south.ttl")]
    mine = tmp_path / "partners-south.ttl"
    extra = tmp_path / "kosovo.ttl"
    inputs, replaced = resources.replace_files(base, [mine, extra, mine])
    assert inputs == [base[0], base[1], mine, extra]
    assert replaced == [mine]
    (tmp_path / "b").mkdir()
    with pytest.raises(InputError, match=r"replaces partners-south\.ttl, as .* does: give one of them"):
        resources.replace_files(base, [mine, tmp_path / "b" / "partners-south.ttl"])


def test_alone_keeps_its_meaning_and_replacing_opens_one_store(removed, monkeypatch):
    from natograph.graph import loading
    from natograph.graph.store import opening

    opened = []
    monkeypatch.setattr(opening, "open_engine", lambda paths, **kw: opened.append(list(paths)) or "engine")
    mine = removed / "data" / "partners-south.ttl"
    loading.engine_for([mine], alone=True)
    loading.engine_for([mine])
    ontology = removed.resolve() / "ontology"
    assert opened[0] == [ontology / "natograph.ttl", ontology / "alignments.ttl", mine]
    assert mine in opened[1] and len(opened[1]) == len(resources.ontology_files()) + len(resources.data_files())
    assert [p.name for p in opened[1]].count("partners-south.ttl") == 1


def test_two_copies_replacing_one_file_exit_2(removed, tmp_path, capsys):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(removed / "data" / "partners-south.ttl", other / "partners-south.ttl")
    code, out, err = run(capsys, "validate", "data/partners-south.ttl", str(other / "partners-south.ttl"))
    assert code == 2 and out == ""
    assert "replaces partners-south.ttl" in err and err.count("\n") == 1


# ---------------------------------------------------------------------------
# As a user runs it: a new process in the clone
# ---------------------------------------------------------------------------


def test_cli_process_in_an_edited_clone_names_file_and_line(removed):
    env = {k: v for k, v in os.environ.items() if k != resources.ENV_VAR}
    proc = subprocess.run([sys.executable, "-m", "natograph", "validate", "--format", "json", "data/partners-south.ttl"],
                          cwd=removed, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert [(r["file"], r["line"], r["focus"]) for r in report["results"]] == [("data/partners-south.ttl", 35, "cty:DZ")]


def test_pre_commit_hook_validates_the_checkout_when_turtle_changes():
    hooks = (Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: natograph-validate" in hooks
    assert "entry: natograph validate\n" in hooks
    assert "files: \\.(ttl|rq)$" in hooks and "pass_filenames: false" in hooks


def test_watch_validates_again_when_a_file_is_saved(respelled):
    """A real `validate --watch` process: it conforms, then a save breaks a rule and it says so."""
    import queue
    import signal
    import threading
    import time

    pytest.importorskip("watchfiles")
    env = {k: v for k, v in os.environ.items() if k != resources.ENV_VAR}
    # Ctrl-C as at a terminal: a suite started in the background by a shell without job control runs
    # with SIGINT ignored, which a child inherits (and natograph, like any program, then honours).
    proc = subprocess.Popen([sys.executable, "-X", "faulthandler", "-m", "natograph", "validate", "--watch"],
                            cwd=respelled, env=env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout], daemon=True).start()
    stuck = None
    try:
        def next_verdict(timeout: float, on_wait=None) -> str:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                try:
                    line = lines.get(timeout=2)
                except queue.Empty:
                    if on_wait:
                        on_wait()
                    continue
                if line.startswith(("conforms", "no violations", "does not conform")):
                    return line
            raise AssertionError("no verdict from validate --watch")

        assert next_verdict(300).startswith("no violations or warnings")  # the shipped infos only
        assert "watching" in proc.stderr.readline()
        data = respelled / "data" / "partners-south.ttl"

        def save_broken() -> None:  # saved again while the watcher may still be starting
            edit(data, RESPELLED, REMOVED) if RESPELLED in data.read_text(encoding="utf-8") else data.touch()

        save_broken()
        assert next_verdict(300, on_wait=save_broken).startswith("does not conform: 1 violation")
        time.sleep(2)  # back to waiting for saves
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # If it ever hangs again, say where it was.
            proc.send_signal(signal.SIGABRT)  # -X faulthandler prints every thread's stack on it
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            stuck = "validate --watch did not stop within 30 s of Ctrl-C:\n" + proc.stderr.read()[-4000:]
    assert stuck is None, stuck
    # Ctrl-C while waiting ends with the last run's verdict; during a run (a save queued by the loop
    # above on a slow machine), with natograph's usual 130.
    assert proc.returncode == 1 or (proc.returncode == 130 and "interrupted" in proc.stderr.read())
