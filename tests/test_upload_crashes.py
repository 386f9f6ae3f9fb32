"""kill -9 at each moment of an upload (copying, embedding, writing, switching, after), then a
restart: nothing is lost, stranded, truncated or listed twice, and the article is either
answerable or cleanly absent (and can be uploaded again)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import ROOT
from tests.crash_upload import MOMENTS
from tests.test_library_files import BATTERY, _library, _upload


def _kill_at(moment: str, seed_dir: Path, index_dir: Path, upload: Path, tmp_path: Path) -> None:
    marker = tmp_path / f"reached-{moment}"
    args = [sys.executable, "-m", "tests.crash_upload", moment, seed_dir, index_dir, upload, marker]
    process = subprocess.Popen([str(a) for a in args], cwd=ROOT)
    deadline = time.monotonic() + 120
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert marker.exists(), f"the upload never reached {moment} (exit {process.poll()})"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()


@pytest.mark.parametrize("moment", MOMENTS)
def test_killed_mid_upload(moment: str, seed_dir: Path, tmp_path: Path, settings) -> None:
    index_dir = tmp_path / "index"  # where _library keeps it
    before = {e.title for e in _library(seed_dir, tmp_path, settings).entries()}
    seed_bytes = {p.name: p.read_bytes() for p in seed_dir.glob("*.txt")}
    upload = _upload(tmp_path, "battery.txt", BATTERY)

    _kill_at(moment, seed_dir, index_dir, upload, tmp_path)
    library = _library(seed_dir, tmp_path, settings)  # the restart

    titles = [e.title for e in library.entries()]
    assert len(titles) == len(set(titles)), "an article is listed twice"
    assert {p.name: p.read_bytes() for p in seed_dir.glob("*.txt") if p.name in seed_bytes} == seed_bytes
    assert not list(seed_dir.glob(".upload-*")), "a temporary copy was stranded"
    assert not [p.name for p in index_dir.iterdir() if p.name.startswith((".staging-", ".CURRENT-"))]
    assert len(list(index_dir.glob("gen-*"))) == 1
    placed = seed_dir / "battery.txt"
    if moment == "copying":  # the copy never became the file: cleanly absent, and it can come in now
        assert not placed.exists() and set(titles) == before
        library.add([upload])
    else:  # the file was whole in the folder: indexed, on restart if not before
        assert placed.read_bytes() == upload.read_bytes()
    assert {e.title for e in library.entries()} == before | {"Battery plant opens"}
    assert "200,000 packs" in library.retriever.search("battery packs electric buses", k=1)[0].chunk.text
    assert library.open() is None  # in step: a second restart has nothing to do
