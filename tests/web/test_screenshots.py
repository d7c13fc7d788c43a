"""The screenshots the docs show: ``docs/screenshots.py`` (run by a maintainer) starts the server and
writes them in both languages; here it runs at its smallest into a temporary folder, as a maintainer
runs it; and every image the README and the docs reference exists."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from .chromium import needs_chromium

ROOT = Path(__file__).resolve().parents[2]


@needs_chromium
@pytest.mark.slow
def test_the_script_writes_each_page_in_both_languages(tmp_path):
    out = tmp_path / "shots"
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots.py"), "--out", str(out), "--width", "320",
                           "--height", "320"], capture_output=True, text=True, timeout=600, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{stem}{lang}.png" for stem in ("serve-home", "serve-story", "serve-search", "release-resource")
                           for lang in ("", ".fr")), names
    assert proc.stdout.split() == [str(out / name) for name in
                                   ("serve-home.png", "serve-home.fr.png", "serve-story.png", "serve-story.fr.png",
                                    "serve-search.png", "serve-search.fr.png", "release-resource.png",
                                    "release-resource.fr.png")]
    for name in names:
        data = (out / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (320, 320), (name, width, height)


def test_a_bad_size_is_one_line_and_exit_2(tmp_path):
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshots.py"), "--out", str(tmp_path), "--width", "10"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--width" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_image_the_docs_reference_exists():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    found = 0
    for page in pages:
        for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if target.startswith(("http://", "https://")):
                continue
            assert (page.parent / target).is_file(), f"{page.name} shows {target}, which does not exist"
            found += 1
    assert found >= 4
