"""The library as transactions: a process killed between copying and indexing, a copy cut short,
a full disk (a real small tmpfs where this machine lets us mount one), a failing index write,
and removal taking an article's recorded duplicates with it."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from config import ROOT
from index import store
from index.library import Library, UploadRejected
from tests.fakes import FakeEmbedder

BATTERY = (
    "Battery plant opens\n\n"
    "A battery plant opened in Changsha on Friday. It will make 200,000 packs a year for electric buses.\n"
)


def _library(seed_dir: Path, tmp_path: Path, settings) -> Library:
    library = Library(seed_dir, tmp_path / "index", FakeEmbedder(), settings, chunk_tokens=60)
    library.open()
    return library


def _titles(library: Library) -> list[str]:
    return sorted(e.title for e in library.entries())


def _upload(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "uploads" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_killed_between_copying_and_indexing(seed_dir: Path, tmp_path: Path, settings) -> None:
    _library(seed_dir, tmp_path, settings)
    upload = _upload(tmp_path, "battery.txt", BATTERY)
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from config import Config
        from index.library import Library
        from tests.fakes import FakeEmbedder

        class Slow(FakeEmbedder):
            def encode(self, texts, progress=False):
                time.sleep(600)  # killed here: the file is copied, the index not yet written

        library = Library(Path({str(seed_dir)!r}), Path({str(tmp_path / "index")!r}), Slow(), Config().search, 60)
        library.add([Path({str(upload)!r})])
    """)
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 120
    while not (seed_dir / "battery.txt").exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert (seed_dir / "battery.txt").exists(), "the upload never reached the folder"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()

    restarted = Library(seed_dir, tmp_path / "index", FakeEmbedder(), settings, chunk_tokens=60)
    report = restarted.open()  # the folder is out of step with the index: re-indexed
    assert report is not None and report.added == [f"Battery plant opens ({seed_dir / 'battery.txt'})"]
    assert "Battery plant opens" in _titles(restarted)
    assert "200,000 packs" in restarted.retriever.search("battery packs electric buses", k=1)[0].chunk.text
    assert restarted.open() is None  # in step now: nothing to do


def test_a_copy_cut_short_is_never_indexed(seed_dir: Path, tmp_path: Path, settings) -> None:
    library = _library(seed_dir, tmp_path, settings)
    before = _titles(library)
    (seed_dir / ".upload-999999999-battery.txt").write_text(BATTERY[:40], encoding="utf-8")  # a crash mid-copy
    restarted = Library(seed_dir, tmp_path / "index", FakeEmbedder(), settings, chunk_tokens=60)
    assert restarted.open() is None and _titles(restarted) == before
    assert not list(seed_dir.glob(".upload-*"))


def test_a_failing_copy_leaves_nothing(seed_dir: Path, tmp_path: Path, settings, monkeypatch) -> None:
    library = _library(seed_dir, tmp_path, settings)
    before, files = _titles(library), sorted(p.name for p in seed_dir.iterdir())

    def full(src, dst, length=0) -> None:
        dst.write(src.read(10))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("index.library_files.shutil.copyfileobj", full)
    with pytest.raises(UploadRejected, match=r"nothing was changed.*the disk is full"):
        library.add([_upload(tmp_path, "battery.txt", BATTERY)])
    assert sorted(p.name for p in seed_dir.iterdir()) == files and _titles(library) == before


def test_a_failing_index_write_takes_the_copy_back(seed_dir: Path, tmp_path: Path, settings, monkeypatch) -> None:
    library = _library(seed_dir, tmp_path, settings)
    generation = (tmp_path / "index" / "CURRENT").read_text()

    def full(*args) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "_write_generation", full)
    with pytest.raises(UploadRejected, match="the disk is full"):
        library.add([_upload(tmp_path, "battery.txt", BATTERY)])
    assert not (seed_dir / "battery.txt").exists()
    assert (tmp_path / "index" / "CURRENT").read_text() == generation
    assert not [p for p in (tmp_path / "index").iterdir() if p.name.startswith(".staging")]
    monkeypatch.undo()
    library.add([_upload(tmp_path, "battery.txt", BATTERY)])  # with room again, the same upload goes in
    assert "Battery plant opens" in _titles(library)


def test_a_real_full_disk(seed_dir: Path, tmp_path: Path, settings) -> None:
    """The library folder on a 400 KB tmpfs; an upload bigger than what is left is refused whole."""
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(small)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        for path in seed_dir.glob("*.txt"):
            (small / path.name).write_bytes(path.read_bytes())
        library = _library(small, tmp_path, settings)
        before, files = _titles(library), sorted(p.name for p in small.iterdir())
        big = _upload(tmp_path, "long-report.txt", "Long report\n\n" + "The plant makes batteries. " * 20_000)
        with pytest.raises(UploadRejected, match="the disk is full"):
            library.add([big])
        assert sorted(p.name for p in small.iterdir()) == files and _titles(library) == before
        library.add([_upload(tmp_path, "battery.txt", BATTERY)])  # a small one still fits
        assert "Battery plant opens" in _titles(library)
    finally:
        subprocess.run(["umount", "-l", str(small)], check=False)


def test_removal_takes_the_recorded_copies(seed_dir: Path, tmp_path: Path, settings) -> None:
    original = sorted(seed_dir.glob("*.txt"))[0]
    (seed_dir / "syndicated-copy.txt").write_bytes(original.read_bytes())  # the same article, another name
    library = _library(seed_dir, tmp_path, settings)
    assert library.retriever.manifest["duplicates"] and len(library.entries()) == 5
    entry = next(e for e in library.entries() if Path(e.path) == original)
    report = library.remove(entry.path)
    assert "also removed its copy syndicated-copy.txt" in report.lines()[0]
    assert not original.exists() and not (seed_dir / "syndicated-copy.txt").exists()
    assert entry.title not in _titles(library) and len(library.entries()) == 4
    assert library.open() is None  # nothing came back in its place
