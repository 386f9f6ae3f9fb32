"""The article library behind a long-running app: one folder of files, the index built from it,
and the Retriever over that index, kept in step as articles are added or removed.

Adding checks every file before anything is copied (a bad file changes nothing), copies each one
atomically (a hidden temporary file, synced, checked against the upload, then renamed) and undoes
the copies when indexing fails; removing moves the file, with the copies of it the index recorded
as duplicates, into the folder's hidden `.removed/` subfolder rather than deleting it. Each change
re-indexes incrementally and swaps in a new Retriever; searches already running keep the old one.
On opening, what a crash left is settled: temporary files go, and a folder out of step with its
index (a copied file never indexed, a file gone) is re-indexed.
Several processes may share one library (the folder on a shared disk, the index in one Milvus
store): changes take a lock file in the folder, and each process picks up another's build on
its next search.
"""

from __future__ import annotations

import fcntl
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from index.build import BuildReport, build_index
from index.embed import Embedder
from index.library_files import copies_of, disk_problem, out_of_step, place, remove_leftovers, sha256
from index.search import Ranker, SearchSettings
from index.store import IndexMismatch, IndexNotFound
from index.stores import is_remote, open_store
from ingest.readers import SUFFIXES, IngestError, read_file
from ingest.types import Skipped

REMOVED = ".removed"
LOCK = ".library.lock"


class UploadRejected(ValueError):
    """An uploaded file that cannot join the library; nothing was changed."""


@dataclass(frozen=True)
class Entry:
    """One indexed article, as the library lists it."""

    doc_id: str
    title: str
    published: str | None
    publisher: str | None
    path: str
    n_chunks: int


class Library:
    def __init__(
        self,
        articles_dir: Path,
        index_dir: Path | str,
        embedder: Embedder,
        settings: SearchSettings,
        chunk_tokens: int = 200,
        overlap: int = 1,
    ) -> None:
        self.articles_dir = Path(articles_dir)
        self.index_dir = index_dir if is_remote(index_dir) else Path(index_dir)
        self.store = open_store(self.index_dir)
        self.embedder = embedder
        self.settings = settings
        self._chunking = (chunk_tokens, overlap)
        self._lock = threading.Lock()  # one change at a time
        self._retriever: Ranker | None = None

    @property
    def retriever(self) -> Ranker:
        """The retriever over the live index (reloaded when another process has rebuilt it)."""
        if self._retriever is None or self._retriever.generation != self.store.generation():
            self._retriever = self._load()
        return self._retriever

    def open(self, progress: bool = False) -> BuildReport | None:
        """Load the index, building it from the articles folder first when there is none, when
        another embedder made it or when it does not hold what the folder holds (a crash between
        copying and indexing); a damaged index is reported, not replaced."""
        remove_leftovers(self.articles_dir)
        try:
            manifest = self.retriever.manifest
        except (IndexNotFound, IndexMismatch):
            return self.refresh(progress)
        return self.refresh(progress) if out_of_step(self.articles_dir, manifest) else None

    def refresh(self, progress: bool = False) -> BuildReport:
        """Re-index the articles folder (only what changed is embedded) and swap the retriever."""
        with self._changing():
            return self._rebuild(progress)

    def entries(self) -> list[Entry]:
        documents = self.retriever.manifest["documents"]
        rows = [
            Entry(i, d["title"], d["published"], d["publisher"], d["path"], d["n_chunks"]) for i, d in documents.items()
        ]
        return sorted(rows, key=lambda e: (e.published or "", e.title), reverse=True)

    def add(self, files: Sequence[Path], names: Sequence[str] | None = None, progress: bool = False) -> BuildReport:
        """Copy readable article files into the folder and index them. Raises UploadRejected,
        naming every bad file, before copying anything when any file cannot be read."""
        names = list(names) if names else [Path(f).name for f in files]
        problems = [f"{name}: {why}" for f, name in zip(files, names, strict=True) if (why := _unreadable(f, name))]
        if problems:
            raise UploadRejected("not added (nothing was changed): " + "; ".join(problems))
        with self._changing():
            targets: list[Path] = []
            for f, name in zip(files, names, strict=True):
                targets.append(self._target(Path(f), name, taken=targets))
            copied: list[Path] = []
            try:
                for source, target in zip(files, targets, strict=True):
                    place(Path(source), target)
                    copied.append(target)
                return self._rebuild(progress)
            except BaseException as err:
                for path in copied:
                    path.unlink(missing_ok=True)
                if isinstance(err, OSError):
                    raise UploadRejected(f"not added (nothing was changed): {disk_problem(err)}") from None
                raise

    def remove(self, path: str, progress: bool = False) -> BuildReport:
        """Take the file at `path` (one listed by `entries`) out of the library and the index."""
        file = Path(path.split("#", 1)[0]).resolve()
        folder = self.articles_dir.resolve()
        if folder not in file.parents or not file.is_file():
            raise UploadRejected(f"{path} is not a file of the library folder {self.articles_dir}")
        with self._changing():
            copies = copies_of(file, self.retriever.manifest)
            trash = folder / REMOVED / time.strftime("%Y%m%d-%H%M%S")
            moved: list[tuple[Path, Path]] = []
            try:
                trash.mkdir(parents=True, exist_ok=True)
                for n, source in enumerate([file, *copies]):
                    kept = trash / source.name
                    moved.append((source, kept if not kept.exists() else trash / f"{n}-{source.name}"))
                    shutil.move(source, moved[-1][1])
                report = self._rebuild(progress)
            except BaseException as err:
                for source, kept in moved:
                    if kept.exists():
                        shutil.move(kept, source)
                if isinstance(err, OSError):
                    raise UploadRejected(f"not removed (nothing was changed): {disk_problem(err)}") from None
                raise
            also = [f"also removed its copy {c.name}" for c in copies]
            return replace(report, note="; ".join(filter(None, [report.note, *also])))

    def _rebuild(self, progress: bool) -> BuildReport:
        tokens, overlap = self._chunking
        report = build_index([self.articles_dir], self.index_dir, self.embedder, tokens, overlap, progress)
        self._retriever = self._load()  # searches already running keep the one they have
        return report

    def _load(self) -> Ranker:
        return self.store.retriever(self.embedder, self.settings)

    @contextmanager
    def _changing(self) -> Iterator[None]:
        """One change at a time, in this process (a thread lock) and across processes (a file lock)."""
        with self._lock:
            self.articles_dir.mkdir(parents=True, exist_ok=True)
            with (self.articles_dir / LOCK).open("a") as held:
                fcntl.flock(held, fcntl.LOCK_EX)
                try:
                    yield
                finally:
                    fcntl.flock(held, fcntl.LOCK_UN)

    def _target(self, source: Path, name: str, taken: list[Path]) -> Path:
        """Where the upload goes: its own name, or name-2, name-3... beside a different file."""
        self.articles_dir.mkdir(parents=True, exist_ok=True)
        target = self.articles_dir / name
        digest = sha256(source)
        stem, suffix, n = target.stem, target.suffix, 1
        while target.exists() or target in taken:
            if target.exists() and sha256(target) == digest:
                raise UploadRejected(f"{name} is already in the library")
            n += 1
            target = self.articles_dir / f"{stem}-{n}{suffix}"
        return target


def _unreadable(path: Path, name: str) -> str | None:
    """Why the file cannot be indexed, or None when at least one article in it can."""
    if Path(name).name != name or name.startswith("."):
        return "not a plain file name"
    if Path(name).suffix.lower() not in SUFFIXES:
        return f"unsupported file type; use one of {', '.join(SUFFIXES)}"
    try:
        results = read_file(Path(path))
    except IngestError as err:
        return str(err)
    except OSError as err:
        return f"cannot be read ({err.strerror or err})"
    articles = [r for r in results if not isinstance(r, Skipped)]
    if not articles:
        return "; ".join(s.reason for s in results if isinstance(s, Skipped)) or "no article text found"
    return None
