"""A hostile cache manifest costs a rebuild, never a command (issue 27, point 7): a ``manifest.json``
nested 2,000 deep, huge, not JSON, of the wrong shape (with its checksum recomputed, as anyone who
can write the file can), a symbolic link, a FIFO or a device is discarded, the entry rebuilt, and
the answers are right."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import natograph
from natograph.graph.store import build as store_build
from natograph.graph.store.cache import MAX_MANIFEST_BYTES, manifest_checksum, read_manifest, well_formed
from natograph.graph.store.opening import forget, open_engine
from natograph.queries.catalogue import run_stored

MEMBERS_TODAY = 32


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own, and a counter of closure computations."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("NATOGRAPH_CACHE_DIR", str(folder))
    forget()
    builds = []
    real = store_build._build_graphs

    def counting(paths):
        builds.append(1)
        return real(paths)

    monkeypatch.setattr(store_build, "_build_graphs", counting)
    yield folder, builds
    forget()


def members() -> list[str]:
    return [row[0].value for row in run_stored(open_engine(), "members").terms]


def the_entry(folder: Path) -> Path:
    (entry,) = sorted(folder.glob("store-*"))
    return entry


def forged(change):
    """A damage that keeps the manifest's checksum right: *change* edits the parsed manifest."""
    def damage(path: Path) -> None:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest = change(manifest)
        if isinstance(manifest, dict):
            manifest["checksum"] = manifest_checksum(manifest)
        path.write_text(json.dumps(manifest), encoding="utf-8")
    return damage


def replaced_by(text: str):
    def damage(path: Path) -> None:
        path.write_text(text, encoding="utf-8")
    return damage


def nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def huge(path: Path) -> None:
    with path.open("r+b") as handle:  # sparse: the manifest as it was, then 64 MB of nothing on paper
        handle.seek(64 * 1024 * 1024)
        handle.write(b" ")


def symlink_to(target: str):
    def damage(path: Path) -> None:
        copy = path.with_name("elsewhere.json")
        copy.write_bytes(path.read_bytes())
        path.unlink()
        os.symlink(target if target != "copy" else copy, path)
    return damage


def fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def with_key(key, value):
    def change(manifest):
        manifest[key] = value
        return manifest
    return change


DAMAGES = {
    "nested 2000 deep": replaced_by(nested(2000)),
    "nested 100000 deep": replaced_by("[" * 100_000 + "]" * 100_000),
    "huge": huge,
    "not JSON": replaced_by("\x00\xff not json at all {"),
    "not UTF-8": lambda path: path.write_bytes(b'{"kind": "\xff\xfe"}'),
    "a list": replaced_by("[1, 2, 3]"),
    "a string": replaced_by('"manifest"'),
    "empty": replaced_by(""),
    "files as a list": forged(with_key("files", ["graph.nq"])),
    "files outside the entry": forged(lambda m: {**m, "files": {"../../../../etc/hostname": m["files"]["graph.nq"]}}),
    "files at an absolute path": forged(lambda m: {**m, "files": {"/etc/hostname": m["files"]["graph.nq"]}}),
    "a digest that is not one": forged(lambda m: {**m, "files": {"graph.nq": 12345}}),
    "no file at all": forged(with_key("files", {})),
    "parts as text": forged(with_key("parts", "ontology")),
    "parts of the wrong shape": forged(with_key("parts", [["ontology"]])),
    "counts as text": forged(with_key("asserted", "3000")),
    "counts as booleans": forged(with_key("inferred", True)),
    "negative counts": forged(with_key("asserted", -1)),
    "extras as a list": forged(with_key("extras", ["x"])),
    "an extra outside the entry": forged(with_key("extras", {"../manifest.json": "0" * 64})),
    "a kind as a list": forged(with_key("kind", ["nquads"])),
    "a key as a number": forged(with_key("key", 12345)),
    "homes as a number": forged(with_key("homes", 12345)),
    "a symlink to /dev/zero": symlink_to("/dev/zero"),
    "a symlink to a good copy": symlink_to("copy"),
    "a dangling symlink": symlink_to("/nonexistent/manifest.json"),
    "a FIFO": fifo,
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_hostile_manifest_is_discarded_and_the_entry_rebuilt(cache, damage):
    folder, builds = cache
    expected = members()
    assert len(expected) == MEMBERS_TODAY and len(builds) == 1
    DAMAGES[damage](the_entry(folder) / "manifest.json")
    forget()  # as a new process would
    assert members() == expected
    assert len(builds) == 2, "the damaged entry must be rebuilt"
    manifest = read_manifest(the_entry(folder))
    assert manifest is not None and manifest["checksum"] == manifest_checksum(manifest)


def test_the_shape_check_accepts_what_the_build_writes(cache):
    folder, _ = cache
    members()
    manifest = json.loads((the_entry(folder) / "manifest.json").read_text(encoding="utf-8"))
    assert well_formed(manifest)
    assert len(json.dumps(manifest)) * 100 < MAX_MANIFEST_BYTES  # room for a hundred times the inputs


def test_every_command_runs_with_a_deeply_nested_manifest(tmp_path):
    folder = tmp_path / "cache"
    env = {**os.environ, "NATOGRAPH_CACHE_DIR": str(folder), "PYTHONPATH": str(Path(natograph.__file__).parent.parent)}

    def run(*argv):
        return subprocess.run([sys.executable, "-m", "natograph", *argv], capture_output=True, env=env, timeout=300)

    assert run("stats").returncode == 0
    (the_entry(folder) / "manifest.json").write_text(nested(2000), encoding="utf-8")
    for argv in (["query", "members", "--format", "csv"], ["stats"], ["sparql", "ASK { ?s ?p ?o }"]):
        process = run(*argv)
        assert process.returncode == 0 and process.stderr == b"", (argv, process.stderr.decode())
    assert read_manifest(the_entry(folder)) is not None
