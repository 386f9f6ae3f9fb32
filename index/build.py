"""Build or update an index from article files: only new or changed documents are embedded.

Documents are identified by a hash of their content, so a changed file is a removed document
plus a new one; an unchanged corpus costs one read of the files and no embedding. A change of
embedder or chunking parameters re-embeds everything. The result is written atomically.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index import store
from index.embed import Embedder
from index.stores import Store, open_store
from ingest import Chunk, Corpus, Document, Duplicate, Skipped, chunk, load_corpus


class CorpusEmpty(ValueError):
    """Nothing indexable was found; the existing index is left as it was."""


@dataclass(frozen=True)
class BuildReport:
    added: list[str] = field(default_factory=list)  # "title (path)" of each document
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    n_documents: int = 0
    n_chunks: int = 0
    embedded_chunks: int = 0
    seconds: float = 0.0
    note: str = ""  # why everything was re-embedded, when it was

    def lines(self) -> list[str]:
        """What changed, for people."""
        out = [self.note] if self.note else []
        out += [f"added: {t}" for t in self.added] + [f"updated: {t}" for t in self.updated]
        out += [f"removed: {t}" for t in self.removed]
        out += [f"duplicate: {d.document.path} repeats {d.duplicate_of} ({d.similarity:.0%})" for d in self.duplicates]
        out += [str(s) for s in self.skipped]
        changed = len(self.added) + len(self.updated) + len(self.removed)
        out.append(
            f"{self.n_documents} documents, {self.n_chunks} chunks; {changed} changed, {self.unchanged} unchanged; "
            f"embedded {self.embedded_chunks} chunks in {self.seconds:.1f}s"
            + ("" if changed or self.note else " (index already up to date)")
        )
        return out


def _label(doc: Document) -> str:
    return f"{doc.title} ({doc.path})"


def _previous(target: Store, embedder: Embedder, chunking: dict) -> tuple[store.StoredIndex | None, str]:
    """The index to update in place, or None with the reason everything is rebuilt."""
    try:
        previous = target.load()
    except store.IndexNotFound:
        return None, ""
    except store.IndexProblem as err:
        return None, f"rebuilding from scratch: {err}".split("; rebuild")[0]
    if previous.manifest["embedder"]["name"] != embedder.name:
        return None, f"embedder changed from {previous.manifest['embedder']['name']}: re-embedding everything"
    if previous.manifest["chunking"] != chunking:
        return None, "chunking parameters changed: re-embedding everything"
    return previous, ""


def build_index(
    paths: Iterable[Path],
    index_dir: Path | str | Store,
    embedder: Embedder,
    chunk_tokens: int = 200,
    overlap: int = 1,
    progress: bool = False,
) -> BuildReport:
    """Index every article under `paths` into `index_dir` (a folder or a store address, see
    `index.stores`), reusing what is already embedded."""
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    corpus = load_corpus(paths, progress=progress)
    if not corpus.documents:
        reasons = "; ".join(str(s) for s in corpus.skipped[:5]) or "no supported files"
        raise CorpusEmpty(f"no articles to index under {', '.join(map(str, paths))} ({reasons})")
    chunking = {"max_tokens": chunk_tokens, "overlap_sentences": overlap}
    target = open_store(index_dir)
    previous, note = _previous(target, embedder, chunking)
    old = previous.documents if previous else {}
    current = {d.id: d for d in corpus.documents}
    new_docs = [d for d in corpus.documents if d.id not in old]
    gone = [d for i, d in old.items() if i not in current]
    new_paths, gone_paths = {d.path for d in new_docs}, {d.path for d in gone}
    report = dict(
        added=[_label(d) for d in new_docs if d.path not in gone_paths],
        updated=[_label(d) for d in new_docs if d.path in gone_paths],
        removed=[_label(d) for d in gone if d.path not in new_paths],
        unchanged=len(current) - len(new_docs),
        duplicates=corpus.duplicates,
        skipped=corpus.skipped,
        n_documents=len(current),
        note=note,
    )
    listed = _listed(corpus)
    unchanged_lists = previous is not None and all(previous.manifest.get(k) == v for k, v in listed.items())
    if previous is not None and not new_docs and not gone and unchanged_lists:
        return BuildReport(**report, n_chunks=len(previous.chunks), seconds=time.perf_counter() - started)

    new_chunks = [
        c
        for d in tqdm(new_docs, desc="chunking", unit="doc", disable=not progress)
        for c in chunk(d, embedder.count_tokens, chunk_tokens, overlap)
    ]
    new_vectors = embedder.encode([c.search_text for c in new_chunks], progress=progress)
    kept = [i for i, c in enumerate(previous.chunks) if c.doc_id in current] if previous else []
    chunks = [previous.chunks[i] for i in kept] + new_chunks
    vectors = np.vstack([previous.vectors()[kept], new_vectors]) if previous else new_vectors
    stored = _assemble(corpus, current, chunks, vectors, embedder.name, chunking)
    target.save(stored)
    return BuildReport(
        **report, n_chunks=len(chunks), embedded_chunks=len(new_chunks), seconds=time.perf_counter() - started
    )


def _listed(corpus: Corpus) -> dict[str, list[dict]]:
    """The manifest's record of what was left out of the index, and why."""
    return {
        "duplicates": [
            {
                "path": x.document.path,
                "title": x.document.title,
                "duplicate_of": x.duplicate_of,
                "similarity": x.similarity,
            }
            for x in corpus.duplicates
        ],
        "skipped": [{"path": s.path, "reason": s.reason} for s in corpus.skipped],
    }


def _assemble(
    corpus: Corpus,
    documents: dict[str, Document],
    chunks: list[Chunk],
    vectors: np.ndarray,
    embedder_name: str,
    chunking: dict,
) -> store.StoredIndex:
    per_doc: dict[str, int] = {}
    for c in chunks:
        per_doc[c.doc_id] = per_doc.get(c.doc_id, 0) + 1
    manifest = {
        "format_version": store.FORMAT_VERSION,
        "embedder": {"name": embedder_name, "dim": int(vectors.shape[1])},
        "chunking": chunking,
        "n_documents": len(documents),
        "n_chunks": len(chunks),
        "chunk_tokens": {
            "mean": sum(c.n_tokens for c in chunks) / max(1, len(chunks)),
            "max": max((c.n_tokens for c in chunks), default=0),
        },
        "documents": {
            d.id: {
                "path": d.path,
                "title": d.title,
                "published": d.published,
                "publisher": d.publisher,
                "content_sha256": hashlib.sha256(d.text.encode("utf-8")).hexdigest(),
                "n_chunks": per_doc.get(d.id, 0),
            }
            for d in documents.values()
        },
        **_listed(corpus),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    return store.StoredIndex(manifest, documents, chunks, dense=None, bm25=None, _vectors=vectors)
