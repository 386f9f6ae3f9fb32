"""Hybrid search: BM25 and dense results fused, steered by the publishers and dates a question names.

Each retriever ranks its top candidates; the ranks are fused by weighted reciprocal rank (or by
min-max-normalised scores). A chunk whose document comes from a publisher the question names, or
was published on a date it names, gets a boost. When the question names several publishers, the
results are interleaved so that each named publisher's best passages come early.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from index import dense
from index.embed import Embedder
from index.lexical import bm25_scores
from index.query import QueryHints, analyze, publisher_aliases
from index.settings import Filters, SearchSettings
from index.store import StoredIndex
from ingest import Chunk, Document


@dataclass(frozen=True)
class Hit:
    score: float
    chunk: Chunk
    document: Document


@dataclass(frozen=True)
class Rows:
    """The chunks a query's scores are aligned with (every chunk of a local index, or the
    candidates a search engine returned), with their documents' publishers and dates."""

    chunks: Sequence[Chunk]
    documents: Mapping[str, Document]
    publisher: np.ndarray
    date: np.ndarray

    @classmethod
    def of(cls, chunks: Sequence[Chunk], documents: Mapping[str, Document]) -> Rows:
        docs = [documents[c.doc_id] for c in chunks]
        publisher = np.array([d.publisher or "" for d in docs], dtype=object)
        return cls(chunks, documents, publisher, np.array([d.published or "" for d in docs], dtype=object))


@dataclass(frozen=True)
class Signals:
    """Per-row BM25 and dense scores for one query (zero outside the candidates), and its hints."""

    bm25: np.ndarray
    dense: np.ndarray
    hints: QueryHints
    rows: Rows


class Ranker:
    """Fusion, boosts and ordering, shared by every store; a subclass finds the candidates."""

    embedder: Embedder
    settings: SearchSettings
    aliases: dict
    manifest: dict
    generation: str  # which build of the index this searches (a store's `generation()`)

    def signals(self, query: str, filters: Filters | None = None) -> Signals:
        raise NotImplementedError

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The `k` best chunks for `query`, best first."""
        if not query.strip():
            return []
        return self.rank(self.signals(query, filters), k)

    def rank(self, signals: Signals, k: int, settings: SearchSettings | None = None) -> list[Hit]:
        """Fuse, boost and order; `settings` overrides this retriever's (for tuning)."""
        settings = settings or self.settings
        rows = signals.rows
        fused = _fuse(signals.bm25, signals.dense, settings)
        fused += _boosts(rows, signals.hints, fused, settings)
        order = _top(fused, max(k, 2 * settings.candidates))
        if settings.interleave and len(signals.hints.publishers) > 1:
            order = _interleave(rows, order, signals.hints)
        return [Hit(float(fused[i]), rows.chunks[i], rows.documents[rows.chunks[i].doc_id]) for i in order[:k]]


class Retriever(Ranker):
    """Searches one loaded local index (FAISS + bm25s) with the embedder it was built with."""

    def __init__(self, index: StoredIndex, embedder: Embedder, settings: SearchSettings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.generation = index.path.name if index.path else ""
        self.manifest = index.manifest
        self._rows = Rows.of(index.chunks, index.documents)
        self.aliases = publisher_aliases({d.publisher for d in index.documents.values() if d.publisher})

    def signals(self, query: str, filters: Filters | None = None) -> Signals:
        """Everything ranking needs that depends on the query alone (the costly part)."""
        allowed = self._allowed(filters)
        hints = analyze(query, self.aliases)
        if not self.index.chunks:
            empty = np.zeros(0, dtype=np.float32)
            return Signals(empty, empty, hints, self._rows)
        return Signals(self._bm25(query, allowed), self._dense(query, allowed), hints, self._rows)

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters == Filters():
            return None
        mask = np.ones(len(self.index.chunks), dtype=bool)
        publisher, date = self._rows.publisher, self._rows.date
        if filters.publishers:
            mask &= np.isin(publisher, list(filters.publishers))
        if filters.date_from:
            mask &= (date != "") & (date >= filters.date_from)
        if filters.date_to:
            mask &= (date != "") & (date <= filters.date_to)
        return mask

    def _bm25(self, query: str, allowed: np.ndarray | None) -> np.ndarray:
        scores = bm25_scores(self.index.bm25, query).astype(np.float32)
        return np.where(allowed, scores, 0.0) if allowed is not None else scores

    def _dense(self, query: str, allowed: np.ndarray | None) -> np.ndarray:
        """Cosine similarity for the top candidates, zero for the rest."""
        vector = self.embedder.encode([query])
        n = self.index.dense.ntotal
        sims, ids = dense.search(self.index.dense, vector, min(self.settings.candidates, n), allowed)
        scores = np.zeros(n, dtype=np.float32)
        valid = ids[0] >= 0
        scores[ids[0][valid]] = np.maximum(sims[0][valid], 1e-6)
        return scores


def _boosts(rows: Rows, hints: QueryHints, fused: np.ndarray, settings: SearchSettings) -> np.ndarray:
    """Scaled to the fused scores, so the weights mean the same for either fusion."""
    boost = np.zeros_like(fused)
    top = float(fused.max()) if fused.size else 0.0
    if hints.publishers:
        boost += settings.publisher_boost * top * np.isin(rows.publisher, list(hints.publishers))
    if hints.dates:
        boost += settings.date_boost * top * np.isin(rows.date, list(hints.dates))
    return np.where(fused > 0, boost, 0.0)


def _interleave(rows: Rows, order: list[int], hints: QueryHints) -> list[int]:
    """Round-robin over the named publishers' rankings, then the rest in fused order."""
    queues = [[i for i in order if rows.publisher[i] == p] for p in hints.publishers]
    queues = [q for q in queues if q]
    merged: list[int] = []
    seen: set[int] = set()
    while any(queues):
        for q in queues:
            while q and q[0] in seen:
                q.pop(0)
            if q:
                seen.add(q[0])
                merged.append(q.pop(0))
    return merged + [i for i in order if i not in seen]


def _top(scores: np.ndarray, n: int) -> list[int]:
    """Indices of the `n` best positive scores, best first (ties by index), without sorting them all."""
    positive = np.flatnonzero(scores > 0)
    if len(positive) > n:
        positive = np.sort(positive[np.argpartition(-scores[positive], n - 1)[:n]])
    return [int(i) for i in positive[np.argsort(-scores[positive], kind="stable")]]


def _fuse(bm25: np.ndarray, dense: np.ndarray, s: SearchSettings) -> np.ndarray:
    if s.fusion == "linear":
        return s.bm25_weight * _minmax(bm25) + s.dense_weight * _minmax(dense)
    return s.bm25_weight * _rrf(bm25, s.candidates, s.rrf_k) + s.dense_weight * _rrf(dense, s.candidates, s.rrf_k)


def _rrf(scores: np.ndarray, candidates: int, k: int) -> np.ndarray:
    """1 / (k + rank) for the top `candidates` with a positive score, zero for the rest."""
    out = np.zeros_like(scores, dtype=np.float32)
    positive = np.flatnonzero(scores > 0)
    top = positive[np.argsort(-scores[positive], kind="stable")][:candidates]
    out[top] = 1.0 / (k + np.arange(1, len(top) + 1))
    return out


def _minmax(scores: np.ndarray) -> np.ndarray:
    positive = scores > 0
    if not positive.any():
        return np.zeros_like(scores)
    low, high = float(scores[positive].min()), float(scores.max())
    return np.where(positive, (scores - low) / (high - low) + 1e-3 if high > low else 1.0, 0.0)
