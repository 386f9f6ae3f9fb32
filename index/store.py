"""The on-disk index: documents, chunks, FAISS vectors and BM25, written atomically.

Layout of an index directory:
    CURRENT            name of the live generation, replaced atomically (os.replace)
    gen-000007/        one complete generation: manifest.json, documents.jsonl, chunks.jsonl,
                       dense.faiss, bm25/
A build writes a new generation beside the live one and only then points CURRENT at it, so a
build killed at any moment leaves the previous index loadable. Old generations are removed after.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from index.dense import all_vectors
from ingest import Chunk, Document

FORMAT_VERSION = 1


def rebuild_hint(where: Path | str) -> str:
    """The command that rebuilds the index at `where` (a folder, or a store address)."""
    flag = "--store" if str(where).startswith("milvus") else "--index-dir"
    return f"rebuild it with: python -m index build [PATH ...] {flag} {where}"


class IndexProblem(RuntimeError):
    """Base class of index problems; the message says how to fix it."""


class IndexNotFound(IndexProblem):
    pass


class IndexCorrupt(IndexProblem):
    pass


class IndexMismatch(IndexProblem):
    pass


@dataclass
class StoredIndex:
    """Everything one generation holds, in memory."""

    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    dense: object  # a faiss.Index, rows aligned with `chunks` (None: made from the vectors on saving)
    bm25: object  # a bm25s.BM25, rows aligned with `chunks` (None: made from the chunks on saving)
    path: Path | None = None
    _vectors: np.ndarray | None = field(default=None, repr=False)

    def vectors(self) -> np.ndarray:
        """The chunk embeddings, rows aligned with `chunks` (for reuse by incremental builds)."""
        if self._vectors is None:
            self._vectors = all_vectors(self.dense)
        return self._vectors


def _current(index_dir: Path) -> Path:
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        raise IndexNotFound(f"no index at {index_dir}; build one with: python -m index build --index-dir {index_dir}")
    name = pointer.read_text(encoding="utf-8", errors="replace").strip()
    generation = index_dir / name
    if not name.startswith("gen-") or "/" in name or not generation.is_dir():
        raise IndexCorrupt(f"index at {index_dir} points at a missing generation; " + rebuild_hint(index_dir))
    return generation


def read_manifest(index_dir: Path) -> dict:
    try:
        return json.loads((_current(index_dir) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise IndexCorrupt(f"index at {index_dir} is damaged ({err}); " + rebuild_hint(index_dir)) from None


def check_compatible(manifest: dict, index_dir: Path, embedder_name: str | None) -> None:
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise IndexMismatch(
            f"index at {index_dir} has format version {version}, this program reads {FORMAT_VERSION}; "
            + rebuild_hint(index_dir)
        )
    built_with = manifest.get("embedder", {}).get("name")
    if embedder_name is not None and built_with != embedder_name:
        raise IndexMismatch(
            f"index at {index_dir} was built with embedder {built_with!r}, not {embedder_name!r}; "
            f"use --embedder {built_with} or " + rebuild_hint(index_dir) + f" --embedder {embedder_name}"
        )


def load(index_dir: Path, embedder_name: str | None = None) -> StoredIndex:
    """The live generation of `index_dir`; raises IndexNotFound, IndexCorrupt or IndexMismatch."""
    import bm25s
    import faiss

    index_dir = Path(index_dir)
    manifest = read_manifest(index_dir)
    check_compatible(manifest, index_dir, embedder_name)
    generation = _current(index_dir)
    try:
        documents = {d.id: d for d in (Document(**row) for row in _read_jsonl(generation / "documents.jsonl"))}
        chunks = [_chunk(row, documents) for row in _read_jsonl(generation / "chunks.jsonl")]
        dense = faiss.read_index(str(generation / "dense.faiss"))
        bm25 = bm25s.BM25.load(str(generation / "bm25"), show_progress=False)
    except Exception as err:  # any damaged file: json, faiss, numpy or a missing key
        raise IndexCorrupt(
            f"index at {index_dir} is damaged ({type(err).__name__}: {err}); " + rebuild_hint(index_dir)
        ) from None
    if dense.ntotal != len(chunks) or len(chunks) != manifest.get("n_chunks"):
        raise IndexCorrupt(f"index at {index_dir} is inconsistent; " + rebuild_hint(index_dir))
    return StoredIndex(manifest, documents, chunks, dense, bm25, path=generation)


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _chunk(row: dict, documents: dict[str, Document]) -> Chunk:
    doc = documents[row["doc_id"]]
    return Chunk(
        row["id"], doc.id, doc.text[row["start"] : row["end"]], row["start"], row["end"], doc.header, row["n_tokens"]
    )


def save(index_dir: Path, index: StoredIndex) -> Path:
    """Write `index` as a new generation and make it the live one; returns its folder."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    staging = index_dir / f".staging-{os.getpid()}-{time.time_ns()}"
    staging.mkdir()
    try:
        _write_generation(staging, index)
        number = 1 + max((int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()), default=0)
        generation = index_dir / f"gen-{number:06d}"
        os.replace(staging, generation)
        pointer = index_dir / f".CURRENT-{os.getpid()}"
        pointer.write_text(generation.name, encoding="utf-8")
        _fsync(pointer)
        os.replace(pointer, index_dir / "CURRENT")
        _fsync(index_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _remove_old(index_dir, keep=generation.name)
    return generation


def _write_generation(folder: Path, index: StoredIndex) -> None:
    import faiss

    from index.dense import build_dense
    from index.lexical import build_bm25

    if index.dense is None:
        index.dense = build_dense(index.vectors())
    if index.bm25 is None:
        index.bm25 = build_bm25([c.search_text for c in index.chunks])
    (folder / "manifest.json").write_text(json.dumps(index.manifest, indent=1), encoding="utf-8")
    with (folder / "documents.jsonl").open("w", encoding="utf-8") as f:
        for doc in index.documents.values():
            f.write(json.dumps(asdict(doc), ensure_ascii=False) + "\n")
    with (folder / "chunks.jsonl").open("w", encoding="utf-8") as f:
        for c in index.chunks:
            f.write(
                json.dumps({"id": c.id, "doc_id": c.doc_id, "start": c.start, "end": c.end, "n_tokens": c.n_tokens})
                + "\n"
            )
    try:
        faiss.write_index(index.dense, str(folder / "dense.faiss"))
    except RuntimeError as err:  # FAISS reports a failed write as text ending in the OS's reason
        full = os.strerror(errno.ENOSPC) in str(err)
        raise OSError(errno.ENOSPC if full else errno.EIO, "the dense index could not be written") from err
    index.bm25.save(str(folder / "bm25"), show_progress=False)
    for path in folder.rglob("*"):
        if path.is_file():
            _fsync(path)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_old(index_dir: Path, keep: str) -> None:
    """Earlier generations, and the staging folders and pointer files of builds whose process is
    gone (killed before it switched)."""
    for path in index_dir.iterdir():
        if path.name.startswith("gen-") and path.name != keep:
            shutil.rmtree(path, ignore_errors=True)
        elif path.name.startswith((".staging-", ".CURRENT-")) and not process_alive(_pid(path.name)):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def _pid(name: str) -> int:
    """The process id in a `.staging-PID-...` or `.CURRENT-PID` name (0, never alive, if none)."""
    field = name.split("-")[1]
    return int(field) if field.isdigit() else 0


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs (a crashed build's files may go when not)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
