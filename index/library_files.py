"""The library folder's files as transactions: atomic copies, what a crash leaves, the folder
against its index, and the copies an article's removal takes with it."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from pathlib import Path

from index.store import process_alive
from ingest.documents import find_files

PARTIAL = ".upload-"  # hidden: the reader never sees a copy before it is whole


def place(source: Path, target: Path) -> None:
    """Copy `source` to `target` so that `target` is either absent or whole: a hidden temporary
    file beside it, synced, checked (size and SHA-256) against the source, then renamed."""
    temp = target.with_name(f"{PARTIAL}{os.getpid()}-{target.name}")
    try:
        with source.open("rb") as src, temp.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        if temp.stat().st_size != source.stat().st_size or sha256(temp) != sha256(source):
            raise OSError(errno.EIO, "the copy does not match the upload")
        os.replace(temp, target)
        fsync_folder(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Temporary copies whose process is gone (a crash mid-copy); returns what was removed."""
    gone = []
    for path in Path(folder).glob(f"{PARTIAL}*"):
        pid = path.name[len(PARTIAL) :].split("-", 1)[0]
        if not pid.isdigit() or not process_alive(int(pid)):
            path.unlink(missing_ok=True)
            gone.append(path)
    return gone


def out_of_step(folder: Path, manifest: dict) -> bool:
    """Whether the folder's article files differ from those the index was built from."""
    files, _ = find_files([folder])
    on_disk = {f.resolve() for f in files}
    recorded = [d["path"] for d in manifest.get("documents", {}).values()]
    recorded += [x["path"] for x in manifest.get("duplicates", []) + manifest.get("skipped", [])]
    return on_disk != {_file(p) for p in recorded}


def copies_of(file: Path, manifest: dict) -> list[Path]:
    """Files the index left out as duplicates of the articles in `file` (whole files only: a
    duplicate record inside a JSON file of other articles stays)."""
    ids = {i for i, d in manifest.get("documents", {}).items() if _file(d["path"]) == file.resolve()}
    copies = [x["path"] for x in manifest.get("duplicates", []) if x["duplicate_of"] in ids and "#" not in x["path"]]
    return [Path(c) for c in copies if Path(c).is_file() and Path(c).resolve() != file.resolve()]


def disk_problem(err: OSError) -> str:
    """One line for a failed write: a full disk said plainly."""
    if err.errno == errno.ENOSPC:
        return "the disk is full; free some space and try again"
    return f"the library could not be written ({err.strerror or err})"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _file(path: str) -> Path:
    return Path(path.split("#", 1)[0]).resolve()
