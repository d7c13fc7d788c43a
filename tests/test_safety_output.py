"""Output that never destroys (issue 13, findings 1, 6 and 7, and the full-disk cases of 5):
``-o`` follows links, writes devices and FIFOs in place, replaces regular files atomically with the
right mode, and leaves no temporary file behind, whatever happens, including kill -9."""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from natograph import output
from natograph.errors import InputError

DATA = b"@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n" * 2000


def natograph(*argv, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "natograph", *argv], timeout=300, **kwargs)


def one_line_error(process: subprocess.CompletedProcess) -> str:
    err = process.stderr.decode()
    assert process.returncode == 2, err
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("natograph: error: "), err
    return err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def device(tmp_path: Path, name: str, major: int, minor: int) -> Path:
    """A character device of our own (never the system's /dev/null or /dev/full: a regression would
    replace them)."""
    path = tmp_path / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(major, minor))
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot create a device node here (needs root)")
    return path


def test_a_device_is_written_in_place_never_replaced(tmp_path):
    null = device(tmp_path, "null", 1, 3)
    output.write_atomic(null, DATA)
    assert stat.S_ISCHR(null.stat().st_mode), "the device node was replaced by a regular file"
    assert leftovers(tmp_path) == []


def test_the_cli_writes_to_a_device_and_it_stays_a_device(tmp_path):
    null = device(tmp_path, "null", 1, 3)
    process = natograph("export", "-o", str(null))
    assert process.returncode == 0, process.stderr.decode()
    assert stat.S_ISCHR(null.stat().st_mode)


def test_a_full_device_is_one_line_and_exit_2(tmp_path):
    full = device(tmp_path, "full", 1, 7)
    err = one_line_error(natograph("export", "-o", str(full)))
    assert "No space left on device" in err
    assert stat.S_ISCHR(full.stat().st_mode) and leftovers(tmp_path) == []


@pytest.mark.parametrize("command", [["export"], ["query", "members"], ["sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 5"],
                                     ["validate"], ["list"]])
def test_standard_output_on_dev_full_is_one_line_and_exit_2(command):
    with open("/dev/full", "wb") as full:  # opened for writing only: nothing can replace it
        process = natograph(*command, stdout=full)
    assert "No space left on device" in one_line_error(process)


def test_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    output.write_atomic(fifo, DATA)
    reader.join(timeout=30)
    assert received == [DATA] and stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symlink_is_followed_and_kept(tmp_path):
    target = tmp_path / "real.ttl"
    target.write_bytes(b"old")
    link = tmp_path / "link.ttl"
    link.symlink_to("real.ttl")
    output.write_atomic(link, DATA)
    assert link.is_symlink() and os.readlink(link) == "real.ttl", "the link was replaced"
    assert target.read_bytes() == DATA


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.ttl"
    link.symlink_to("made.ttl")
    output.write_atomic(link, DATA)
    assert link.is_symlink() and (tmp_path / "made.ttl").read_bytes() == DATA


def test_a_symlink_loop_is_named(tmp_path):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(InputError, match="loop of symbolic links"):
        output.write_atomic(tmp_path / "a", DATA)


def test_an_empty_output_name_is_a_clear_message():
    process = natograph("export", "-o", "")
    err = one_line_error(process)
    assert "output file name is empty" in err and "busy" not in err


def test_dash_is_standard_output(tmp_path):
    process = natograph("export", "--format", "ntriples", "-o", "-", cwd=tmp_path)
    assert process.returncode == 0 and process.stdout.count(b"\n") > 3000
    assert list(tmp_path.iterdir()) == [], "'-' must not be taken as a file name"


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        output.write_atomic(tmp_path, DATA)


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_umask_mode(tmp_path, umask):
    old = os.umask(umask)
    try:
        output.write_atomic(tmp_path / "new.ttl", DATA)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.ttl").stat().st_mode) == 0o666 & ~umask


def test_an_existing_file_keeps_its_mode(tmp_path):
    target = tmp_path / "kept.ttl"
    target.write_bytes(b"old")
    os.chmod(target, 0o644)
    old = os.umask(0o077)
    try:
        output.write_atomic(target, DATA)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644 and target.read_bytes() == DATA


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", fail)
    with pytest.raises(InputError, match="No space left"):
        output.write_atomic(target, DATA)
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_ctrl_c_during_the_write_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "graph.ttl"

    def interrupt(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(target, DATA)
    assert not target.exists() and leftovers(tmp_path) == []


def _script(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    head = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from natograph import output\n"
        f"target = Path({str(tmp_path / 'graph.ttl')!r})\n"
    )
    return subprocess.run([sys.executable, "-c", head + textwrap.dedent(body)], capture_output=True, timeout=120)


def test_sigterm_during_the_write_removes_the_temporary_and_terminates(tmp_path):
    (tmp_path / "graph.ttl").write_bytes(b"old")
    process = _script(tmp_path, """
        os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGTERM)
        output.write_atomic(target, b"new" * 1000)
        print("survived")
    """)
    assert process.returncode == -signal.SIGTERM, process.stderr.decode()
    assert b"survived" not in process.stdout
    assert (tmp_path / "graph.ttl").read_bytes() == b"old" and leftovers(tmp_path) == []


def test_kill_9_before_the_rename_keeps_the_old_file_and_the_next_write_cleans_up(tmp_path):
    (tmp_path / "graph.ttl").write_bytes(b"old")
    process = _script(tmp_path, """
        os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)
        output.write_atomic(target, b"new" * 1000)
    """)
    assert process.returncode == -signal.SIGKILL
    assert (tmp_path / "graph.ttl").read_bytes() == b"old"
    assert len(leftovers(tmp_path)) == 1  # what SIGKILL leaves: nothing can run on SIGKILL
    output.write_atomic(tmp_path / "graph.ttl", DATA)
    assert (tmp_path / "graph.ttl").read_bytes() == DATA
    assert leftovers(tmp_path) == [], "the orphan of the killed process was not removed"


def test_kill_9_at_random_moments_of_a_real_export_leaves_old_or_whole_new(tmp_path):
    target = tmp_path / "graph.nt"
    whole = natograph("export", "--format", "ntriples").stdout
    assert whole.count(b"\n") > 3000
    for delay in (0.2, 0.5, 0.8, 1.1, 1.4, 1.7, 2.0, 2.5):
        target.write_bytes(b"old")
        process = subprocess.Popen([sys.executable, "-m", "natograph", "export", "--format", "ntriples", "-o", str(target)])
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert target.read_bytes() in (b"old", whole), f"a half-written target after kill -9 at {delay} s"
    output.write_atomic(target, whole)
    assert leftovers(tmp_path) == []


def _file_size_limit(limit: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_ulimit_f_on_output_file_is_one_line_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_bytes(b"old")
    process = natograph("export", "-o", str(target), preexec_fn=_file_size_limit(10_000))
    assert "File too large" in one_line_error(process)
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


@pytest.mark.parametrize("command", [["export"], ["query", "members", "--format", "json"],
                                     ["sparql", "SELECT * WHERE { ?s ?p ?o }", "--format", "csv"]])
def test_ulimit_f_on_standard_output_is_one_line_not_a_short_file_and_exit_0(tmp_path, command):
    with open(tmp_path / "out", "wb") as out:
        process = natograph(*command, stdout=out, preexec_fn=_file_size_limit(4096))
    assert "File too large" in one_line_error(process)
