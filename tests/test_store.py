"""The store under the graph: built once per content, read (never recomputed) after that, and
never trusted blindly: a damaged, foreign or planted entry is discarded and rebuilt, a cache folder
another user can write is not used, concurrent processes agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from natograph.graph import loading, store
from natograph.graph.store import build as store_build
from natograph.graph.store import cache as store_cache
from natograph.graph.store.build import DISK_FROM, file_graph
from natograph.graph.store.cache import cache_dir, content_key, manifest_checksum, sha256_file
from natograph.graph.store.engine import ASSERTED, GRAPHS, HOMES, INFERRED
from natograph.graph.store.opening import MEMORY_COPY, file_quads, forget, in_memory, open_engine, shipped_files
from natograph.queries.catalogue import catalogue, run_stored
from natograph.queries.running import select

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
        builds.append([p.name for p in paths])
        return real(paths)

    monkeypatch.setattr(store_build, "_build_graphs", counting)
    yield folder, builds
    forget()


def members(engine=None) -> list[str]:
    return [row[0].value for row in run_stored(engine or open_engine(), "members").terms]


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("store-*"))


def test_a_second_open_reads_the_entry_and_never_recomputes(cache):
    folder, builds = cache
    first = members()
    assert len(first) == MEMBERS_TODAY and len(builds) == 1
    forget()  # as a new process would
    assert members() == first
    assert len(builds) == 1, "the second open recomputed the closure instead of reading the entry"
    (entry,) = entries(folder)
    manifest = json.loads((entry / "manifest.json").read_text())
    assert manifest["kind"] == "nquads" and manifest["asserted"] > 3000 and manifest["inferred"] > 500


def test_a_copy_of_the_same_files_opened_first_and_removed_leaves_no_path_behind(cache, tmp_path):
    """A copy of the shipped files has their key: the engine it opened serves the shipped files next,
    and names their paths, not the copy's (removed since), for what reads the files again."""
    import shutil

    from natograph.publish.exporting import export

    copy = tmp_path / "copy"
    copied = []
    for path in shipped_files():
        target = copy / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        copied.append(Path(shutil.copy(path, target)))
    assert open_engine(copied).files == tuple(copied)
    shutil.rmtree(copy)
    assert open_engine().files == tuple(shipped_files())
    assert export("trig", inferred=True)  # reads each file again for its named graph


def test_the_key_follows_the_content_and_the_libraries(cache, tmp_path, monkeypatch):
    folder, builds = cache
    members()
    extra = tmp_path / "extra.ttl"
    extra.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    open_engine([*shipped_files(), extra])
    assert len(entries(folder)) == 2 and len(builds) == 2  # another content, another entry
    before = content_key(shipped_files())
    monkeypatch.setattr(store_cache, "_libraries", lambda: "rdflib=another@1")
    assert content_key(shipped_files()) != before  # an upgraded library is another key


def test_the_key_changes_with_one_byte(tmp_path):
    one = tmp_path / "one.ttl"
    one.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    key = content_key([one])
    one.write_text("<urn:a> <urn:b> <urn:d> .\n", encoding="utf-8")
    assert content_key([one]) != key


def _flip_a_bit(path: Path, bit: int = 0x01) -> None:
    """Damage *path* as a disk might: one bit of its middle byte flipped, its length unchanged."""
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= bit
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("damage", ["bit-flip", "truncate", "same-length-edit", "empty", "delete"])
def test_a_damaged_entry_is_rebuilt_and_answers_stay_right(cache, damage):
    folder, builds = cache
    expected = members()
    (entry,) = entries(folder)
    data = entry / "graph.nq"
    raw = bytearray(data.read_bytes())
    if damage == "bit-flip":
        _flip_a_bit(data)
    elif damage == "truncate":
        data.write_bytes(bytes(raw[: len(raw) // 3]))
    elif damage == "same-length-edit":
        assert b'"Algeria"@en' in raw
        data.write_bytes(bytes(raw).replace(b'"Algeria"@en', b'"Xlgeria"@en'))
    elif damage == "empty":
        data.write_bytes(b"")
    else:
        data.unlink()
    forget()
    assert members() == expected
    assert len(builds) == 2, "a damaged entry must be rebuilt"
    result = run_stored(open_engine(), "partners", {"framework": "MD", "lang": "en"})
    assert "Algeria" in {row[1].value for row in result.terms}


def test_an_edited_manifest_is_not_trusted(cache):
    folder, builds = cache
    expected = members()
    (entry,) = entries(folder)
    manifest_file = entry / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    manifest["inferred"] = 0  # an edit without recomputing the checksum
    manifest_file.write_text(json.dumps(manifest))
    forget()
    assert members() == expected and len(builds) == 2


def test_a_planted_entry_with_a_forged_checksum_for_another_key_is_not_used(cache, tmp_path):
    folder, builds = cache
    members()
    (entry,) = entries(folder)
    # Plant an entry holding an empty graph, internally consistent, under the shipped key's name.
    forget()
    planted_key = "0" * 64
    manifest = json.loads((entry / "manifest.json").read_text())
    (entry / "graph.nq").write_bytes(b"")
    manifest["files"] = {"graph.nq": sha256_file(entry / "graph.nq")}
    manifest["key"] = planted_key
    manifest["checksum"] = manifest_checksum(manifest)
    (entry / "manifest.json").write_text(json.dumps(manifest))
    assert len(members()) == MEMBERS_TODAY and len(builds) == 2


def test_a_world_writable_cache_folder_is_not_used(cache, capfd):
    folder, builds = cache
    members()
    forget()
    os.chmod(folder, 0o777)
    try:
        assert len(members()) == MEMBERS_TODAY
        assert len(builds) == 2, "the store must be built in memory, not read from an untrusted folder"
        assert "can be written by other users" in capfd.readouterr().err
    finally:
        os.chmod(folder, 0o700)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_an_entry_file_owned_by_another_user_is_not_used(cache):
    folder, builds = cache
    members()
    forget()
    (entry,) = entries(folder)
    os.chown(entry / "graph.nq", 65534, 65534)
    assert len(members()) == MEMBERS_TODAY and len(builds) == 2


def test_a_file_in_place_of_the_cache_folder_means_memory(tmp_path, monkeypatch, capfd):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("NATOGRAPH_CACHE_DIR", str(blocker))
    forget()
    assert len(members()) == MEMBERS_TODAY
    assert "natograph: warning:" in capfd.readouterr().err
    forget()


def test_the_cache_folder_is_private(cache):
    folder, _ = cache
    members()
    assert folder.stat().st_mode & 0o777 == 0o700


def test_cache_folder_fallbacks(monkeypatch, tmp_path):
    monkeypatch.delenv("NATOGRAPH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "natograph"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "natograph"
    monkeypatch.setenv("NATOGRAPH_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache_dir() == tmp_path / "explicit"


def test_a_large_graph_is_kept_as_an_on_disk_database(cache, monkeypatch):
    folder, builds = cache
    expected = members()
    forget()
    for entry in entries(folder):
        import shutil

        shutil.rmtree(entry)
    monkeypatch.setattr(store_build, "DISK_FROM", 1)
    assert members() == expected
    (entry,) = entries(folder)
    manifest = json.loads((entry / "manifest.json").read_text())
    assert manifest["kind"] == "database" and (entry / "db").is_dir()
    forget()
    assert members() == expected and len(builds) == 2  # read back, not rebuilt
    sst = max((entry / "db").glob("*.sst"), key=lambda p: p.stat().st_size)
    _flip_a_bit(sst, 0x10)
    forget()
    assert members() == expected and len(builds) == 3  # a damaged database is rebuilt


# Parameters for the stored queries that need some (the others run with their defaults).
PARAMS = {"initiative-participants": {"initiative": "EOP"}, "country": {"code": "FI"}, "story": {"code": "FI"},
          "partners": {"framework": "PfP", "as_of": "2000"}}


def _dataset(engine) -> list[str]:
    """*engine*'s graph as quads in the graphs ASSERTED and INFERRED, whatever the store's layout (a
    database keeps the closure in its default graph), blank nodes canonicalised (a store loaded from
    N-Quads names its blank nodes afresh)."""
    import itertools

    return _canonical(itertools.chain(engine.store.quads_for_pattern(None, None, None, ASSERTED),
                                      engine.inferred_quads()))


def test_a_database_held_in_memory_answers_alike_and_its_copy_is_written_once(cache, monkeypatch):
    folder, builds = cache
    monkeypatch.setattr(store_build, "DISK_FROM", 1)
    database = open_engine()
    assert database.manifest["kind"] == "database"
    held = in_memory(database)
    assert held is not database and held.location == database.location
    assert open_engine() is held, "later opens of this process should get the graph in memory"
    assert in_memory(database) is held and in_memory(held) is held, "one copy per process"
    assert _dataset(held) == _dataset(database)
    for name in sorted(catalogue()):
        assert run_stored(held, name, PARAMS.get(name)) == run_stored(database, name, PARAMS.get(name)), name
    (entry,) = entries(folder)
    copy = entry / MEMORY_COPY
    manifest = json.loads((entry / "manifest.json").read_text())
    assert manifest["memory"] == sha256_file(copy)
    assert not list(entry.glob(".memory.*")) and not list(entry.glob(".manifest.*"))
    written = copy.stat()

    forget()  # a new process: the copy is verified and loaded, not written again
    again = in_memory(open_engine())
    assert again.manifest["kind"] == "database" and members(again) == members(held)
    assert (copy.stat().st_ino, copy.stat().st_mtime_ns) == (written.st_ino, written.st_mtime_ns)

    _flip_a_bit(copy)  # damaged: detected when loaded, and written again
    forget()
    repaired = in_memory(open_engine())
    assert _dataset(repaired) == _dataset(database)
    assert sha256_file(copy) == json.loads((entry / "manifest.json").read_text())["memory"]
    assert len(builds) == 1, "holding the graph in memory rebuilt the entry"


def test_a_database_keeps_the_closure_in_its_default_graph_and_reads_as_memory_does(cache, monkeypatch):
    """A database holds the closure in its default graph and the triples as written in ASSERTED (one
    index lookup a pattern); a store in memory holds the named graphs ASSERTED and INFERRED. Both
    give the same graph as written, the same closure, the same counts and the same lookups."""
    import pyoxigraph as ox

    memory = open_engine(use_cache=False)
    forget()
    monkeypatch.setattr(store_build, "DISK_FROM", 1)
    database = open_engine()
    assert database.manifest["kind"] == "database" and database.closure_in_default and not memory.closure_in_default
    assert database.graphs() == [ox.DefaultGraph()] and database.graphs(inferred=False) == [ASSERTED]
    assert set(database.store.named_graphs()) == {ASSERTED}
    for key in ("asserted", "inferred"):
        assert database.manifest[key] == memory.manifest[key] > 0, key
    assert _dataset(database) == _dataset(memory)
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    for inferred in (True, False):
        rows = {engine: _canonical(tuple(row) for row in engine.query(everything, inferred=inferred))
                for engine in (database, memory)}
        assert rows[database] == rows[memory]
        assert len(rows[database]) == database.manifest["asserted"] + (database.manifest["inferred"] if inferred else 0)
    france = ox.NamedNode("https://w3id.org/natograph/id/country/FR")
    for engine in (database, memory):
        closure = [q for g in engine.lookup_graphs() for q in engine.store.quads_for_pattern(france, None, None, g)]
        written = list(engine.store.quads_for_pattern(france, None, None, ASSERTED))
        added = list(engine.inferred_quads(france))
        assert len(closure) == len({(q.predicate, q.object) for q in closure}) == len(written) + len(added), engine
        assert added and all(q.graph_name == INFERRED for q in added)
        assert engine.holds(france, added[0].predicate, added[0].object)
        assert engine.holds(france, written[0].predicate, written[0].object)
        assert not engine.holds(france, written[0].predicate, ox.Literal("not in the graph"))
    assert {(q.predicate, q.object) for q in database.inferred_quads(france)} == {
        (q.predicate, q.object) for q in memory.inferred_quads(france)}


def test_what_reads_the_closure_gives_the_same_from_a_database_and_from_memory(cache, monkeypatch):
    """The exports, a diff and a resource's page read what the closure adds from whichever layout the
    store has (a database computes it as its default graph less ASSERTED): the same bytes."""
    import datetime
    import shutil

    from natograph.checks import diff
    from natograph.pages.render import resource_html
    from natograph.publish import exporting

    pages = ("https://w3id.org/natograph/id/country/FR", "https://w3id.org/natograph/ontology#PartnershipFramework")

    def outputs() -> dict:
        engine = open_engine()
        out = {f"{fmt}{'-inferred' if inferred else ''}": exporting.export(fmt, inferred=inferred)
               for fmt in ("ntriples", "trig", "nquads") for inferred in (False, True)}
        for iri in pages:
            out[iri] = resource_html(engine, iri)
        files = shipped_files()
        older = open_engine([f for f in files if f.name != "members.ttl"])
        out["diff"] = diff.render_text(diff.diff_engines(older, engine, queries=False, today=datetime.date(2026, 11, 27)))
        return out

    in_memory = outputs()
    assert open_engine().manifest["kind"] == "nquads"
    forget()
    for entry in entries(cache[0]):
        shutil.rmtree(entry)
    monkeypatch.setattr(store_build, "DISK_FROM", 1)
    assert open_engine().closure_in_default
    on_disk = outputs()
    assert in_memory.keys() == on_disk.keys()
    for key in in_memory:
        assert on_disk[key] == in_memory[key], key
    assert all(in_memory[iri] and "<details>" in in_memory[iri] for iri in pages), "a page without its inferred rows"
    assert len(in_memory["trig-inferred"]) > len(in_memory["trig"]) and len(in_memory["diff"].splitlines()) > 10


def test_a_graph_already_in_memory_is_returned_as_it_is(cache):
    engine = open_engine()  # the shipped graph: under DISK_FROM, N-Quads loaded into memory
    assert engine.manifest["kind"] == "nquads" and in_memory(engine) is engine
    (entry,) = entries(cache[0])
    assert not (entry / MEMORY_COPY).exists()


def test_when_the_copy_cannot_be_written_queries_read_the_database(cache, monkeypatch, capfd):
    monkeypatch.setattr(store_build, "DISK_FROM", 1)
    database = open_engine()
    (entry,) = entries(cache[0])
    (entry / MEMORY_COPY).mkdir()  # in the copy's place: it cannot be replaced
    assert in_memory(database) is database
    err = capfd.readouterr().err
    assert err.startswith("natograph: warning: cannot keep an N-Quads copy") and len(err.splitlines()) == 1
    assert len(members(database)) == MEMBERS_TODAY
    assert not list(entry.glob(".memory.*")), "a temporary copy was left behind"


def _two_files_sharing(tmp_path) -> list[Path]:
    """The shipped files and one more that states again a triple of the members file and has a blank
    node of its own."""
    members_file = next(p for p in shipped_files() if p.name == "members.ttl")
    extra = tmp_path / "again.ttl"
    extra.write_text(
        "<https://w3id.org/natograph/id/country/FR> <http://www.w3.org/2000/01/rdf-schema#label> \"France\"@en .\n"
        "<urn:x:s> <urn:x:p> [ <urn:x:q> \"1\" ] .\n", encoding="utf-8")
    assert "France\"@en" in members_file.read_text(encoding="utf-8")
    return [*shipped_files(), extra]


@pytest.mark.parametrize("kind", ["nquads", "database", "held", "no cache"])
def test_each_files_triples_are_kept_with_the_stores_own_blank_nodes(cache, monkeypatch, tmp_path, kind):
    """What the TriG and N-Quads exports write: each asserted triple in the graph of each file that
    states it, with the very terms of the store (a blank node of a file is the store's blank node,
    which the closure's triples mention), whatever the kind of entry."""
    import pyoxigraph as ox

    paths = _two_files_sharing(tmp_path)
    if kind in ("database", "held"):
        monkeypatch.setattr(store_build, "DISK_FROM", 1)
    engine = open_engine(paths, use_cache=kind != "no cache")
    if kind == "held":
        engine = in_memory(engine)
        assert engine.held
    same, quads = file_quads(engine)
    quads = list(quads)
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    assert triples == {(q.subject, q.predicate, q.object)
                       for q in same.store.quads_for_pattern(None, None, None, ASSERTED)}
    assert any(isinstance(t[0], ox.BlankNode) for t in triples)
    by_graph: dict[str, int] = {}
    for quad in quads:
        by_graph[quad.graph_name.value] = by_graph.get(quad.graph_name.value, 0) + 1
    assert by_graph == {file_graph(Path(path)).value: count for path, count in engine.manifest["parts"]}
    shared = ox.Triple(ox.NamedNode("https://w3id.org/natograph/id/country/FR"),
                       ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("France", language="en"))
    assert {q.graph_name.value for q in quads if q.triple == shared} == {GRAPHS + "data/members",
                                                                          GRAPHS + f"{tmp_path.name}/again"}
    assert len(quads) == len(set(quads))


def test_a_damaged_copy_of_the_files_triples_is_not_used(cache, tmp_path, capfd):
    """The export's copy is checked when it is read: a flipped byte means the graph is built again in
    memory for this process (one line on stderr), and the export is what it was."""
    import natograph

    before = natograph.export("nquads", inferred=True)
    (entry,) = entries(cache[0])
    copy = entry / HOMES
    _flip_a_bit(copy)
    forget()
    capfd.readouterr()
    assert natograph.export("nquads", inferred=True) == before
    err = capfd.readouterr().err
    assert "damaged files.nq" in err and len(err.splitlines()) == 1


def test_a_graph_damaged_after_it_was_opened_is_not_read_for_the_files_triples(cache, capfd):
    """A small graph is loaded with new blank node labels; the TriG and N-Quads exports read its
    ``graph.nq`` again for the file's labels, and verify it first: a byte flipped since the open means
    the graph is built again in memory (one line naming the file), and the export is what it was."""
    import natograph

    before = natograph.export("nquads", inferred=True)
    (entry,) = entries(cache[0])
    _flip_a_bit(entry / "graph.nq")
    capfd.readouterr()
    assert natograph.export("nquads", inferred=True) == before
    err = capfd.readouterr().err
    assert "damaged graph.nq" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("meanwhile", ["pruned", "pruned and built again"])
def test_an_entry_replaced_while_open_gives_the_same_export(cache, capfd, meanwhile):
    """Another process may prune the entry this one has open (KEEP entries are kept), and build it
    again with new blank nodes: the export then opens the graph again (building the entry if it is
    gone), silently, and writes the same bytes."""
    import shutil

    import natograph

    folder, builds = cache
    before = natograph.export("trig", inferred=True)
    (entry,) = entries(folder)
    shutil.rmtree(entry)
    if meanwhile == "pruned and built again":
        done = subprocess.run([sys.executable, "-c", "from natograph.graph.store.opening import open_engine; open_engine()"],
                              capture_output=True, timeout=600)
        assert done.returncode == 0 and entry.is_dir(), done.stderr.decode()
    capfd.readouterr()
    assert natograph.export("trig", inferred=True) == before
    assert entries(folder) == [entry] and capfd.readouterr().err == ""
    assert len(builds) == (2 if meanwhile == "pruned" else 1)  # this process's builds


def test_three_processes_holding_one_database_in_memory_write_one_copy(tmp_path):
    folder = tmp_path / "cache"
    env = {**os.environ, "NATOGRAPH_CACHE_DIR": str(folder)}
    code = ("from natograph.graph.store import build, opening\n"
            "from natograph.queries.catalogue import run_stored\n"
            "build.DISK_FROM = 1\n"
            "database = opening.open_engine()\n"
            "engine = opening.in_memory(database)\n"
            "assert engine.manifest['kind'] == 'database' and engine is not database\n"
            "print(len(run_stored(engine, 'members').rows), engine.manifest['memory'])\n")
    running = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(3)]
    outputs = []
    for process in running:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0 and not err, err.decode()
        outputs.append(out)
    (entry,) = entries(folder)
    digest = json.loads((entry / "manifest.json").read_text())["memory"]
    assert set(outputs) == {f"{MEMBERS_TODAY} {digest}\n".encode()}
    assert sha256_file(entry / MEMORY_COPY) == digest
    assert not list(entry.glob(".memory.*")), "a temporary copy was left behind"


def test_eight_processes_on_a_cold_cache_agree(tmp_path):
    folder = tmp_path / "cache"
    env = {**os.environ, "NATOGRAPH_CACHE_DIR": str(folder)}
    command = [sys.executable, "-m", "natograph", "query", "partners", "--format", "csv"]
    running = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(8)]
    outputs = []
    for process in running:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err.decode()
        assert not err, err.decode()
        outputs.append(out)
    assert len(set(outputs)) == 1 and outputs[0].count(b"\r\n") > 30
    assert len(entries(folder)) == 1
    assert not list(folder.glob(".build-*")), "a build folder was left behind"


def test_no_code_runs_when_the_cache_is_read():
    """The cache is data: N-Quads and JSON, read by parsers that cannot run code (no pickle, marshal,
    shelve, eval or exec anywhere in the modules that read it)."""
    import ast

    modules = [*Path(store.__file__).parent.glob("*.py"), Path(loading.__file__)]
    assert len(modules) >= 5, modules
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                    for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])}
        assert not imported & {"pickle", "marshal", "shelve", "dill", "cloudpickle"}, (module.name, imported)
        called = {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert not called & {"eval", "exec", "compile"}, (module.name, called)


def test_a_cold_query_imports_neither_rdflib_nor_the_reasoner(tmp_path):
    """Once the store is built, answering a stored query needs pyoxigraph only."""
    env = {**os.environ, "NATOGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    subprocess.run([sys.executable, "-m", "natograph", "query", "members"], env=env, check=True,
                   capture_output=True, timeout=600)
    # What the forked child that answers has imported (the limits run the query in a child): beside
    # the libraries, modules that would cost a cold query milliseconds it does not need (dataclasses
    # imports inspect; logging; typing).
    seen = tmp_path / "imported.txt"
    # Only what natograph brought in counts: an interpreter may import some of these at start-up (a
    # site-packages .pth file that imports certifi brings typing, as on the CI machine).
    code = ("import sys; before = set(sys.modules); from natograph.cli import program; real = program._captured\n"
            "def spy(args):\n"
            "    answer = real(args)\n"
            "    heavy = sorted(m for m in ('rdflib', 'owlrl', 'pyshacl', 'natograph.graph.reasoning.closure', 'dataclasses', "
            "'logging', 'typing') if m in sys.modules and m not in before)\n"
            f"    open({str(seen)!r}, 'w').write(repr(heavy))\n"
            "    return answer\n"
            "program._captured = spy\n"
            "sys.exit(program.main(['query', 'partners', '-p', 'framework=PfP', '-p', 'as_of=2000', '--format', 'csv']))")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.startswith(b"code,label,framework,joined,status\r\n") and b"FI,Finland,PfP" in done.stdout
    assert seen.read_text() == "[]", f"a cold query imported {seen.read_text()}"


def test_a_blank_node_is_one_node_in_the_asserted_and_the_inferred_graph(cache, tmp_path, monkeypatch):
    """Both graphs are loaded as one document, so the closure's facts about a blank node are about
    the blank node the file wrote (N-Triples labels are scoped per document)."""
    data = tmp_path / "blank.ttl"
    data.write_text(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<urn:p> rdfs:domain <urn:C> .\n"
        "[] <urn:p> \"v\" .\n",
        encoding="utf-8",
    )
    for disk_from in (DISK_FROM, 1):  # N-Quads in memory, then an on-disk database
        monkeypatch.setattr(store_build, "DISK_FROM", disk_from)
        forget()
        for entry in entries(cache[0]):
            import shutil

            shutil.rmtree(entry)
        engine = open_engine([data])
        rows = select(engine, 'SELECT ?x WHERE { ?x a <urn:C> ; <urn:p> "v" }').terms
        assert len(rows) == 1, disk_from
        assert len(select(engine, "SELECT DISTINCT ?x WHERE { ?x ?p ?o FILTER isBlank(?x) }").terms) == 1


def test_a_blank_node_label_belongs_to_its_file(cache, tmp_path):
    """``_:x`` in two files is two nodes (a label is scoped to its document), whichever parser reads
    each file: pyoxigraph for Turtle and N-Triples, rdflib for RDF/XML."""
    files = []
    for name, text in (("a.ttl", '_:x <urn:p> "a" .\n'), ("b.nt", '_:x <urn:p> "b" .\n'),
                       ("c.rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
                                 '<rdf:Description rdf:nodeID="x"><p xmlns="urn:" >c</p></rdf:Description></rdf:RDF>\n')):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    for use_cache in (True, False):
        forget()
        engine = open_engine(files, use_cache=use_cache)
        (row,) = select(engine, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s <urn:p> ?o }").terms
        assert int(row[0].value) == 3, use_cache


# -- two parsers, one content ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
RDF_TEXT_FILES = sorted(
    p for pattern in ("*.ttl", "*.nt") for folder in ("ontology", "data", "tests", "queries")
    for p in (ROOT / folder).rglob(pattern)
)


def _canonical(statements) -> list[str]:
    """Triples or quads, blank nodes canonicalised, as sorted N-Quads lines."""
    import pyoxigraph as ox

    dataset = ox.Dataset(q if isinstance(q, ox.Quad) else ox.Quad(*q) for q in statements)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return sorted(str(q) for q in dataset)


@pytest.mark.parametrize("path", RDF_TEXT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_fast_parser_gives_the_store_what_rdflib_gives_it(path):
    """The store is filled from pyoxigraph's parse of Turtle and N-Triples when it succeeds, and from
    rdflib's otherwise: on every such file of the project, good or deliberately broken, the fast path
    refuses what rdflib refuses and, where it reads, gives the store the same triples (terms as
    rdflib normalises them: ``"01"^^xsd:integer`` is ``"1"``), blank nodes aside."""
    from natograph.errors import InputError
    from natograph.graph.parsing import parse_fast, parse_file
    from natograph.graph.terms import from_rdflib, to_rdflib

    try:
        slow = parse_file(path)
    except InputError:
        assert parse_fast(path) is None, "pyoxigraph read a file rdflib refuses"
        return
    fast = parse_fast(path)
    assert fast is not None, "pyoxigraph refused a file rdflib reads (a slower path, not an error)"
    store_fast = {tuple(from_rdflib(to_rdflib(t)) for t in triple) for triple in fast}
    store_slow = {tuple(from_rdflib(t) for t in triple) for triple in slow}
    assert _canonical(store_fast) == _canonical(store_slow)


@pytest.mark.parametrize("text", [
    b"@prefix ex: <http://example.org/> .\nex:a ex:b <<( ex:a ex:b ex:c )>> .\n",
    b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c {| ex:d ex:e |} .\n",
    b"@prefix ex: <http://example.org/> .\nex:a ex:b \"x\"@en--ltr .\n",
    b"VERSION \"1.2\"\n@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n",
    b"@prefix ex: <http://example.org/> .\nex:a ex:b .\n",
    b"@prefix ex: <http://example.org/> .\nex:a ex:p " + b"[ ex:p " * 150 + b"ex:o" + b" ]" * 150 + b" .\n",
])
def test_the_fast_parser_leaves_rdf_1_2_errors_and_deep_nesting_to_rdflib(tmp_path, text):
    from natograph.graph.parsing import parse_fast

    path = tmp_path / "x.ttl"
    path.write_bytes(text)
    assert parse_fast(path) is None


def test_the_closure_is_read_as_the_union_only_while_the_store_holds_its_two_graphs():
    """Queries over the closure read the union of the store's graphs (faster in Oxigraph) only when
    those are the asserted and the inferred graphs: a triple anywhere else is never an answer."""
    import pyoxigraph as ox

    engine = open_engine(use_cache=False)
    ask = "ASK { <urn:natograph:test> <urn:natograph:p> <urn:natograph:o> }"
    assert engine._two_graphs()
    assert select(engine, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").terms[0][0].value == str(engine.triples)
    for other in (ox.NamedNode("urn:natograph:elsewhere"), ox.DefaultGraph()):
        engine.store.add(ox.Quad(ox.NamedNode("urn:natograph:test"), ox.NamedNode("urn:natograph:p"),
                                 ox.NamedNode("urn:natograph:o"), other))
        engine._union = None
        assert not engine._two_graphs()
        assert not bool(engine.query(ask)), other
        engine.store.remove(next(iter(engine.store.quads_for_pattern(None, None, None, other))))
