"""Files and folders -> clean Documents, with near-duplicates and unreadable files reported.

`load_corpus(paths)` is the entry point: folders are walked recursively (hidden entries and
unsupported file types ignored), every supported file is read, and each bad file or record is
reported as Skipped with the reason instead of stopping the load.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from tqdm import tqdm

from ingest.dedup import deduplicate
from ingest.readers import SUFFIXES, IngestError, Record, read_file
from ingest.types import Corpus, Document, Skipped

_WIRE_DATELINE = re.compile(r"^[^.]{0,120}?/[A-Za-z-]+/\s*--\s*")


def document_id(text: str, title: str, published: str | None, publisher: str | None) -> str:
    """Stable across runs and machines: a hash of what the document says."""
    key = "\x1f".join((title, published or "", publisher or "", text))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def headline(text: str, words: int = 12) -> str:
    """A stand-in title from the first sentence, for articles that state none."""
    first = _WIRE_DATELINE.sub("", text.strip().split("\n", 1)[0])
    first = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0].rstrip(".")
    parts = first.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def make_document(record: Record) -> Document:
    c = record.cleaned
    title = (c.title or "").strip() or headline(c.text)
    return Document(
        id=document_id(c.text, title, c.published, c.publisher),
        text=c.text,
        title=title,
        path=record.path,
        published=c.published,
        publisher=c.publisher,
        author=c.author,
        url=record.url,
    )


def find_files(paths: Iterable[Path]) -> tuple[list[Path], list[Skipped]]:
    """Supported files under `paths`, in a stable order; named paths that are missing are Skipped."""
    files: list[Path] = []
    missing: list[Skipped] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(Skipped(str(path), "no such file or folder"))
    return files, missing


def load_corpus(paths: Iterable[Path], progress: bool = False, dedup_threshold: float = 0.8) -> Corpus:
    """Read every article under `paths` into Documents ready to chunk."""
    files, skipped = find_files(paths)
    documents: list[Document] = []
    for path in tqdm(files, desc="reading", unit="file", disable=not progress):
        try:
            results = read_file(path)
        except IngestError as err:
            skipped.append(Skipped(str(path), str(err)))
            continue
        except OSError as err:
            skipped.append(Skipped(str(path), f"cannot be read ({err.strerror or err})"))
            continue
        for result in results:
            if isinstance(result, Skipped):
                skipped.append(result)
            else:
                documents.append(make_document(result))
    kept, duplicates = deduplicate(documents, dedup_threshold)
    return Corpus(documents=kept, duplicates=duplicates, skipped=skipped)
