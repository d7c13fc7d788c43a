"""Release and export files (issue 27, point 6): a signal during ``release`` leaves no temporary
folder, and one a killed run left is removed by the next (only natograph's own); the folder honours
the umask; a symbolic link to an earlier release has its target replaced, the link kept;
``--site-url`` and ``--endpoint-url`` are absolute http(s) URLs without spaces or control
characters; ``export -o`` and ``release -o`` refuse to follow another user's symbolic link in a
sticky folder anyone can write, as the kernel's protected_symlinks does."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

import natograph
from natograph.cli import main
from natograph.publish.dataset import MARKER
from natograph.publish.folder import IN_PROGRESS, remove_stale
from natograph.publish.release import holds_release

PACKAGE_PARENT = str(Path(natograph.__file__).parent.parent)
STRANGER = 54321  # a uid no test runs as: the owner of a planted link
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")


def one_line(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("natograph: error: "), err
    return err


def fake_release(folder: Path) -> dict[str, bytes]:
    """What ``release`` accepts to replace (SHA256SUMS, and a landing page with the marker)."""
    folder.mkdir(parents=True)
    (folder / "SHA256SUMS").write_text("")
    (folder / "index.html").write_text(f"<html>{MARKER}</html>")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def ours(folder: Path, name: str = "site") -> list[str]:
    return sorted(entry for entry in os.listdir(folder) if entry.startswith(f".{name}."))


def as_root_only():
    if os.geteuid() != 0:
        pytest.skip("planting a link another user owns needs root")


# ---------------------------------------------------------------------------
# --site-url and --endpoint-url
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("url, why", [
    ("https://example.org/natograph/\nRewriteRule ^(.*)$ https://evil.example/$1 [R=302,L]", "\\n"),
    ("https://example.org/nato graph/", "a space"),
    ("https://example.org/\tx/", "\\t"),
    ("https://example.org/\x1b[2J/", "\\x1b"),
    ("https://example.org/\u202e/", "\\u202e"),
    ("https://example.org/\u00a0/", "U+00A0"),
    ("https://example.org/\u200b/", "U+200B"),
    ("https://example.org/<x>/", "'<'"),
    ('https://example.org/"/', "quotation mark"),
    ("https://example.org/%2e%2e/", "'%'"),
    ("https://example.org/$1/", "'$'"),
    ("https://example.org/?q=1", "a query"),
    ("https://example.org/#top", "a fragment"),
    ("example.org/natograph/", "is not http or https"),
    ("/natograph/", "is not http or https"),
    ("ftp://example.org/", "is not http or https"),
    ("javascript:alert(1)//", "is not http or https"),
    ("https:///natograph/", "names no host"),
    ("https://example.org:99999/", "cannot be read"),
])
def test_a_site_url_that_is_not_an_absolute_http_url_of_a_folder_is_refused(url, why, tmp_path, capsys):
    assert main(["release", "-o", str(tmp_path / "site"), "--site-url", url]) == 2
    err = one_line(capsys)
    assert "--site-url must be an absolute http(s) URL" in err and why in err, err
    assert os.listdir(tmp_path) == [], "nothing is written for a refused URL"


@pytest.mark.parametrize("url", ["https://example.org/sparql\nX-Evil: 1", "https://example.org/sp arql",
                                 "http:///sparql", "mailto:a@example.org"])
def test_an_endpoint_url_is_checked_the_same_way(url, tmp_path, capsys):
    assert main(["release", "-o", str(tmp_path / "site"), "--endpoint-url", url]) == 2
    assert "--endpoint-url must be an absolute http(s) URL" in one_line(capsys)


# ---------------------------------------------------------------------------
# Signals during a release, and what a killed one leaves
# ---------------------------------------------------------------------------


def _release_until_writing(tmp_path: Path) -> subprocess.Popen:
    """A real ``natograph release -o tmp_path/site``, returned once its temporary folder appears."""
    env = {**os.environ, "PYTHONPATH": PACKAGE_PARENT}
    process = subprocess.Popen([sys.executable, "-m", "natograph", "release", "-o", str(tmp_path / "site")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 600
    while not any(name.endswith(".tmp") for name in ours(tmp_path)):
        assert process.poll() is None, process.communicate()[1].decode()
        assert time.monotonic() < deadline, "the release never started writing"
        time.sleep(0.001)
    return process


@needs_dot
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_while_the_release_is_written_leaves_no_temporary_folder(signum, tmp_path):
    earlier = fake_release(tmp_path / "site")
    process = _release_until_writing(tmp_path)
    process.send_signal(signum)
    _, err = process.communicate(timeout=300)
    if signum == signal.SIGINT:
        assert (process.returncode, err.decode()) == (130, "natograph: interrupted\n")
    else:
        assert process.returncode == -signum, err.decode()  # the signal's usual effect, after the cleaning
    assert ours(tmp_path) == [], "a temporary folder was left beside the output"
    assert {p.name: p.read_bytes() for p in (tmp_path / "site").iterdir()} == earlier, "the earlier release changed"


@needs_dot
def test_the_next_release_removes_what_a_killed_one_left_and_nothing_else(tmp_path, capsys):
    process = _release_until_writing(tmp_path)
    process.kill()  # nothing can run on SIGKILL: its folder stays
    process.communicate(timeout=60)
    (left,) = ours(tmp_path)
    assert (tmp_path / left / IN_PROGRESS).is_file()
    # Lookalikes that are not a killed release's: a user's folder and file, a live process's folder,
    # another user's folder, a link.
    keep = [f".site.{process.pid}.{'0' * 8}.tmp.bak", ".site.backup.tmp", f".site.{os.getpid()}.0badcafe.tmp",
            f".site.{process.pid}.abcdef12.old"]
    for name in keep[:3]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "mine.txt").write_text("a user's")
    (tmp_path / keep[3]).write_text("a file, not a folder")
    os.symlink(tmp_path / ".site.backup.tmp", tmp_path / f".site.{process.pid}.fedcba98.tmp")
    keep.append(f".site.{process.pid}.fedcba98.tmp")
    if os.geteuid() == 0:
        strangers = tmp_path / f".site.{process.pid}.11111111.tmp"
        strangers.mkdir()
        (strangers / IN_PROGRESS).write_text("")
        os.chown(strangers, STRANGER, STRANGER)
        keep.append(strangers.name)
    assert main(["release", "-o", str(tmp_path / "site")]) == 0
    assert ours(tmp_path) == sorted(keep), "the killed run's folder stays, or something else went"
    assert holds_release(tmp_path / "site")


def test_stale_folders_are_recognised_by_pattern_process_owner_and_content(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    marked, empty, old = (tmp_path / f".site.{pid}.{h}" for h in ("0000000a.tmp", "0000000b.tmp", "0000000c.old"))
    marked.mkdir()
    (marked / IN_PROGRESS).write_text("")
    (marked / "dumps").mkdir()
    empty.mkdir()
    fake_release(old)
    unknown = tmp_path / f".site.{pid}.0000000d.old"
    unknown.mkdir()
    (unknown / "notes.txt").write_text("not a release")
    removed = remove_stale(tmp_path, "site", holds_release=holds_release)
    assert sorted(removed) == sorted([marked, empty, old])
    assert ours(tmp_path) == [unknown.name]


# ---------------------------------------------------------------------------
# Symbolic links: an earlier release, another user's link in /tmp
# ---------------------------------------------------------------------------


def sticky_folder(tmp_path: Path, owner: int | None = None) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o1777)  # like /tmp
    if owner is not None:
        os.chown(folder, owner, owner)
    return folder


def planted_link(folder: Path, name: str, target: Path, owner: int) -> Path:
    link = folder / name
    os.symlink(target, link)
    os.lchown(link, owner, owner)
    return link


def test_export_refuses_another_users_link_in_a_sticky_folder(tmp_path, capsys):
    as_root_only()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = planted_link(sticky_folder(tmp_path), "graph.ttl", victim, STRANGER)
    assert main(["export", "-o", str(link)]) == 2
    err = one_line(capsys)
    assert "another user (uid 54321)" in err and "protected_symlinks" in err, err
    assert victim.read_text() == "precious" and link.is_symlink()
    assert [p.name for p in link.parent.iterdir()] == ["graph.ttl"], "a temporary file was left"


def test_a_link_further_up_the_path_is_refused_too(tmp_path, capsys):
    as_root_only()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = planted_link(sticky_folder(tmp_path), "out", elsewhere, STRANGER)
    assert main(["export", "-o", str(link / "graph.ttl")]) == 2
    assert "protected_symlinks" in one_line(capsys)
    assert list(elsewhere.iterdir()) == []


def test_own_links_and_the_folder_owners_links_are_followed_as_documented(tmp_path, capsys):
    as_root_only()
    target = tmp_path / "mine.ttl"
    target.write_text("old")
    own = planted_link(sticky_folder(tmp_path), "graph.ttl", target, os.geteuid())
    assert main(["export", "-o", str(own)]) == 0
    assert own.is_symlink() and target.read_text().startswith("@prefix"), "the target is written, the link stays"
    other = tmp_path / "other"
    other.mkdir()
    owners = sticky_folder(other, owner=STRANGER)  # the folder's owner may link in it, as the kernel allows
    target.write_text("old")
    link = planted_link(owners, "graph.ttl", target, STRANGER)
    assert main(["export", "-o", str(link)]) == 0
    assert target.read_text().startswith("@prefix")


def test_a_plain_link_outside_sticky_folders_is_still_followed(tmp_path):
    target = tmp_path / "target.ttl"
    link = tmp_path / "link.ttl"
    os.symlink(target, link)
    assert main(["export", "-o", str(link)]) == 0
    assert link.is_symlink() and target.read_text().startswith("@prefix")


def test_release_refuses_another_users_link_before_building_anything(tmp_path, capsys):
    as_root_only()
    earlier = fake_release(tmp_path / "earlier")
    link = planted_link(sticky_folder(tmp_path), "site", tmp_path / "earlier", STRANGER)
    assert main(["release", "-o", str(link)]) == 2
    assert "protected_symlinks" in one_line(capsys)
    assert {p.name: p.read_bytes() for p in (tmp_path / "earlier").iterdir()} == earlier
    assert sorted(os.listdir(link.parent)) == ["site"]


def test_the_umask_decides_the_mode_of_what_export_creates(tmp_path):
    previous = os.umask(0o027)
    try:
        assert main(["export", "-o", str(tmp_path / "graph.ttl")]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "graph.ttl").stat().st_mode) == 0o640
