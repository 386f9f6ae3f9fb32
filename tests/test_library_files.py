"""The library as transactions (kill -9 mid-upload: test_upload_crashes.py): a copy cut short,
a full disk (a real small tmpfs where this machine lets us mount one), a failing index write,
and removal taking an article's recorded duplicates with it."""

from __future__ import annotations

import errno
import subprocess
import sys
from collections.abc import Callable, Iterator
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


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Callable[[str, str], Path]]:
    """Mounts a tmpfs of a given size (skips where this machine does not let us), unmounted after."""
    mounted: list[Path] = []

    def mount(name: str, size: str) -> Path:
        folder = tmp_path / name
        folder.mkdir()
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]).returncode:
            pytest.skip("cannot mount a tmpfs here (needs root)")
        mounted.append(folder)
        return folder

    yield mount
    for folder in mounted:
        subprocess.run(["umount", "-l", str(folder)], check=False)


LONG_REPORT = "Long report\n\n" + " ".join(f"Plant number {i} makes batteries." for i in range(3000))


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


def test_a_real_full_disk(seed_dir: Path, tmp_path: Path, settings, small_disk) -> None:
    """The library folder on a 400 KB tmpfs; an upload bigger than what is left is refused whole."""
    small = small_disk("small", "400k")
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


def test_a_real_full_disk_under_the_index(seed_dir: Path, tmp_path: Path, settings, small_disk) -> None:
    """The index folder on a 300 KB tmpfs (the seed index takes ~110 KB): an upload whose new
    generation does not fit is refused whole, the live index and the folder untouched."""
    small = small_disk("small-index", "300k")
    library = Library(seed_dir, small, FakeEmbedder(), settings, chunk_tokens=60)
    library.open()
    before, files, live = _titles(library), sorted(p.name for p in seed_dir.iterdir()), library.store.generation()
    with pytest.raises(UploadRejected, match="the disk is full"):
        library.add([_upload(tmp_path, "long-report.txt", LONG_REPORT)])
    assert sorted(p.name for p in seed_dir.iterdir()) == files and _titles(library) == before
    assert library.store.generation() == live and not [p for p in small.iterdir() if p.name.startswith(".")]
    restarted = Library(seed_dir, small, FakeEmbedder(), settings, chunk_tokens=60)
    assert restarted.open() is None and _titles(restarted) == before
    restarted.add([_upload(tmp_path, "battery.txt", BATTERY)])  # a small one still fits
    assert "Battery plant opens" in _titles(restarted)


def test_the_cli_on_a_full_disk(seed_dir: Path, small_disk) -> None:
    """`python -m index build` (the packaged embedder) onto a disk smaller than the seed index
    (~100 KB): one line, exit 2, no traceback, nothing live."""
    small = small_disk("cli-index", "48k")
    command = [sys.executable, "-m", "index", "build", str(seed_dir), "--index-dir", str(small)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert "error:" in done.stderr and "the disk is full" in done.stderr and "Traceback" not in done.stderr
    assert not (small / "CURRENT").exists()


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
