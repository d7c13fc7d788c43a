"""natograph diff: what an edit changes, between two roots, two sets of files, or a git commit."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest
from checkouts import _no_root_from_the_environment, checkout, edit, run  # noqa: F401 (an autouse fixture)

from natograph.checks.diff import diff_roots
from natograph.graph import resources

LABEL_LINE = '    rdfs:label "Algeria"@en , "Algérie"@fr ;\n'
REMOVED = '    rdfs:label "Algeria"@en ;\n'
MOVED = ("    ng:participant cty:DZ ;\n    ng:partnershipIn fw:MD ;\n",
         "    ng:participant cty:DZ ;\n    ng:partnershipIn fw:ICI ;\n")  # Algeria's 2000 partnership, put in the ICI


@pytest.fixture
def two(tmp_path):
    """(old, new): an untouched copy and a copy where Algeria's French label was deleted."""
    old = checkout(tmp_path / "old")
    new = checkout(tmp_path / "new")
    edit(new / "data" / "partners-south.ttl", LABEL_LINE, REMOVED)
    return old, new


@pytest.mark.slow  # two closures, and the queries on both
def test_two_roots_show_the_removed_triple_under_its_resource(two, capsys):
    old, new = two
    code, out, _ = run(capsys, "diff", str(old), str(new))
    assert code == 1
    assert out.splitlines()[:2] == ["cty:DZ  Algeria", '  - rdfs:label "Algérie"@fr']
    assert out.rstrip().endswith("0 triples added, 1 removed; 0 inferred triples appear, 0 disappear; "
                                 "0 stored queries answer differently (1 resources)")
    code, out, _ = run(capsys, "diff", str(new), str(old))
    assert code == 1 and '  + rdfs:label "Algérie"@fr' in out


def test_equal_sides_exit_0(two, capsys):
    old, _ = two
    code, out, _ = run(capsys, "diff", str(old), str(resources.installed_root()))
    assert code == 0
    assert out.startswith("no change: both sides hold the same ")


def test_two_files_replace_their_namesake_in_the_root_in_use(two, monkeypatch, capsys):
    old, new = two
    monkeypatch.chdir(old)
    code, out, _ = run(capsys, "diff", "data/partners-south.ttl", str(new / "data" / "partners-south.ttl"))
    assert code == 1 and '  - rdfs:label "Algérie"@fr' in out
    code, out, _ = run(capsys, "diff", str(new / "data"))  # one side: the root in use against it
    assert code == 1 and '  - rdfs:label "Algérie"@fr' in out


def test_json_for_tools(two, capsys):
    old, new = two
    code, out, _ = run(capsys, "diff", "--format", "json", str(old), str(new))
    assert code == 1
    document = json.loads(out)
    assert document["equal"] is False
    assert document["counts"] == {"added": 0, "removed": 1, "inferredAdded": 0, "inferredRemoved": 0, "queriesChanged": 0}
    [change] = document["resources"]
    assert change["subject"] == "https://w3id.org/natograph/id/country/DZ" and change["label"] == "Algeria"
    assert change["removed"] == [{"predicate": "rdfs:label", "object": '"Algérie"@fr'}]
    assert document["old"]["triples"] == document["new"]["triples"] + 1


def test_inferred_triples_and_stored_query_answers_that_change(tmp_path):
    old = checkout(tmp_path / "old")
    new = checkout(tmp_path / "new")
    edit(new / "data" / "partners-south.ttl", *MOVED)
    today = dt.date(2026, 11, 26)
    result = diff_roots(resources.graph_files_of(old), resources.graph_files_of(new), today=today)
    assert not result.equal
    participation = next(c for c in result.resources if c.name == "ptn:DZ-MD")
    assert participation.removed == (("ng:partnershipIn", "fw:MD"),)
    assert participation.added == (("ng:partnershipIn", "fw:ICI"),)
    algeria = next(c for c in result.resources if c.name == "cty:DZ")
    assert ("ng:partnerIn", "fw:ICI") in algeria.inferred_added
    assert ("ng:partnerIn", "fw:MD") in algeria.inferred_removed
    partners = next(q for q in result.queries if q.name == "partners")
    assert partners.removed == (("DZ", "Algeria", "MD", "2000-03", "active"),)
    assert partners.added == (("DZ", "Algeria", "ICI", "2000-03", "active"),)
    assert "country" in result.skipped_queries  # needs a code: no default to run it with
    document = json.loads(json.dumps(result.as_dict()))
    assert document["queries"]["asOf"] == "2026-11-26"
    assert {"code": "DZ", "label": "Algeria", "framework": "ICI", "joined": "2000-03", "status": "active"} in next(
        q for q in document["queries"]["changed"] if q["name"] == "partners")["added"]


def git(*argv, cwd):
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(cwd)}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *argv], cwd=cwd, env=env,
                   check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_revision_of_the_checkout(tmp_path, monkeypatch, capsys):
    repo = tmp_path / "repo"
    root = checkout(repo / "graph")  # the root in a subfolder of the repository
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "start", cwd=repo)
    edit(root / "data" / "partners-south.ttl", LABEL_LINE, REMOVED)
    monkeypatch.chdir(root / "data")
    code, out, _ = run(capsys, "diff", "--git", "HEAD")
    assert code == 1 and out.startswith('cty:DZ  Algeria\n  - rdfs:label "Algérie"@fr\n')
    git("commit", "-qam", "drop the French label", cwd=repo)
    code, out, _ = run(capsys, "diff", "--git", "HEAD")
    assert code == 0
    code, out, _ = run(capsys, "--root", str(root), "diff", "--git", "HEAD~1", "--format", "json")
    assert code == 1 and json.loads(out)["counts"]["removed"] == 1


def test_bad_input_exits_2_in_one_line(two, tmp_path, monkeypatch, capsys):
    old, new = two
    monkeypatch.chdir(old)
    cases = [
        (["diff"], "diff needs OLD NEW, one SIDE, or --git REV"),
        (["diff", str(old), str(new), str(new)], "diff needs OLD NEW"),
        (["diff", "--git", "HEAD", str(new)], "give either --git REV or OLD NEW"),
        (["diff", str(old), str(tmp_path / "missing.ttl")], "no such file or folder"),
        (["diff", "--format", "yaml", str(old), str(new)], "unknown format 'yaml'"),
        (["diff", "--git", "HEAD"], "--git HEAD:"),  # not a git repository
    ]
    for argv, message in cases:
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == "", argv
        assert err.startswith("natograph: error: ") and message in err and err.count("\n") == 1, (argv, err)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ng: <https://w3id.org/natograph/ontology#> .\nng:a ng:b\n", encoding="utf-8")
    code, _, err = run(capsys, "diff", str(old), str(broken))
    assert code == 2 and str(broken) in err and "Traceback" not in err


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_unknown_revision_exits_2(tmp_path, monkeypatch, capsys):
    root = checkout(tmp_path / "repo")
    git("init", "-q", cwd=root)
    monkeypatch.chdir(root)
    code, out, err = run(capsys, "diff", "--git", "no-such-rev")
    assert code == 2 and out == "" and err.startswith("natograph: error: --git no-such-rev: ") and err.count("\n") == 1


@pytest.mark.slow  # natograph diff in new processes
def test_cli_process_exit_codes(two):
    old, new = two
    env = {k: v for k, v in os.environ.items() if k != resources.ENV_VAR}
    same = subprocess.run([sys.executable, "-m", "natograph", "diff", str(old), str(old)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert same.returncode == 0, same.stderr
    changed = subprocess.run([sys.executable, "-m", "natograph", "diff", "--format", "json", str(old), str(new)], env=env,
                             capture_output=True, text=True, timeout=600)
    assert changed.returncode == 1, changed.stderr
    assert json.loads(changed.stdout)["resources"][0]["name"] == "cty:DZ"
