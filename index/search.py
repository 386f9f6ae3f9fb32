"""Hybrid search: BM25 and dense results fused, steered by the publishers and dates a question names.

Each retriever ranks its top candidates; the ranks are fused by weighted reciprocal rank (or by
min-max-normalised scores). A chunk whose document comes from a publisher the question names, or
was published on a date it names, gets a boost. When the question names several publishers, the
results are interleaved so that each named publisher's best passages come early.
"""

from __future__ import annotations

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
class Signals:
    """Per-chunk BM25 and dense scores for one query (zero outside the candidates), and its hints."""

    bm25: np.ndarray
    dense: np.ndarray
    hints: QueryHints


class Retriever:
    """Searches one loaded index with one embedder (the one the index was built with)."""

    def __init__(self, index: StoredIndex, embedder: Embedder, settings: SearchSettings) -> None:
        self.index = index
        self.embedder = embedder
        self.settings = settings
        docs = [index.documents[c.doc_id] for c in index.chunks]
        self._publisher = np.array([d.publisher or "" for d in docs], dtype=object)
        self._date = np.array([d.published or "" for d in docs], dtype=object)
        self.aliases = publisher_aliases({d.publisher for d in index.documents.values() if d.publisher})

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        """The `k` best chunks for `query`, best first."""
        if not query.strip() or not self.index.chunks:
            return []
        return self.rank(self.signals(query, filters), k)

    def signals(self, query: str, filters: Filters | None = None) -> Signals:
        """Everything ranking needs that depends on the query alone (the costly part)."""
        allowed = self._allowed(filters)
        return Signals(self._bm25(query, allowed), self._dense(query, allowed), analyze(query, self.aliases))

    def rank(self, signals: Signals, k: int, settings: SearchSettings | None = None) -> list[Hit]:
        """Fuse, boost and order; `settings` overrides this retriever's (for tuning)."""
        settings = settings or self.settings
        fused = _fuse(signals.bm25, signals.dense, settings)
        fused += self._boosts(signals.hints, fused, settings)
        order = _top(fused, max(k, 2 * settings.candidates))
        if settings.interleave and len(signals.hints.publishers) > 1:
            order = self._interleave(order, signals.hints)
        return [self._hit(i, float(fused[i])) for i in order[:k]]

    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        if filters is None or filters == Filters():
            return None
        mask = np.ones(len(self.index.chunks), dtype=bool)
        if filters.publishers:
            mask &= np.isin(self._publisher, list(filters.publishers))
        if filters.date_from:
            mask &= (self._date != "") & (self._date >= filters.date_from)
        if filters.date_to:
            mask &= (self._date != "") & (self._date <= filters.date_to)
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

    def _boosts(self, hints: QueryHints, fused: np.ndarray, settings: SearchSettings) -> np.ndarray:
        """Scaled to the fused scores, so the weights mean the same for either fusion."""
        boost = np.zeros_like(fused)
        top = float(fused.max()) if fused.size else 0.0
        if hints.publishers:
            boost += settings.publisher_boost * top * np.isin(self._publisher, list(hints.publishers))
        if hints.dates:
            boost += settings.date_boost * top * np.isin(self._date, list(hints.dates))
        return np.where(fused > 0, boost, 0.0)

    def _interleave(self, order: list[int], hints: QueryHints) -> list[int]:
        """Round-robin over the named publishers' rankings, then the rest in fused order."""
        queues = [[i for i in order if self._publisher[i] == p] for p in hints.publishers]
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

    def _hit(self, i: int, score: float) -> Hit:
        chunk = self.index.chunks[i]
        return Hit(score=score, chunk=chunk, document=self.index.documents[chunk.doc_id])


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
