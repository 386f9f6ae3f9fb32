"""Searching a Milvus store: dense and BM25 candidates from the engine, the date and publisher
filters as its expressions, then our fusion and boosts over the candidates (`index.search.Ranker`,
shared with the local store), so both stores rank alike. Documents are fetched as hits need them.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from index.dense import PROBES
from index.embed import Embedder
from index.lexical import tokenize
from index.milvus import FIELDS, MilvusStore, chunk_of
from index.query import analyze, publisher_aliases
from index.search import Hit, Ranker, Rows, Signals
from index.settings import Filters, SearchSettings
from index.store import check_compatible
from ingest import Document


class _Documents(Mapping):
    """Documents of one generation, fetched when a hit needs one and kept (most recent 2,000)."""

    def __init__(self, store: MilvusStore, live: str) -> None:
        self.store, self.live = store, live
        self._cache: OrderedDict[str, Document] = OrderedDict()

    def __getitem__(self, doc_id: str) -> Document:
        if doc_id not in self._cache:
            self._cache[doc_id] = self.store.document(self.live, doc_id)
            while len(self._cache) > 2_000:
                self._cache.popitem(last=False)
        self._cache.move_to_end(doc_id)
        return self._cache[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._cache)

    def __len__(self) -> int:
        return len(self._cache)


class MilvusRetriever(Ranker):
    """Dense and BM25 candidates from the engine (filters in its expressions), ranked by us; or,
    with `engine_fusion` "rrf" or "weighted", fused by the engine's own ranker (the same weights,
    no publisher/date boosts): kept to compare the two (`python -m eval.multihop --engine-fusion`)."""

    engine_fusion: str | None = None

    def __init__(self, store: MilvusStore, embedder: Embedder, settings: SearchSettings) -> None:
        self.store, self.embedder, self.settings = store, embedder, settings
        self.generation = store.live()
        self.manifest = store.manifest()
        check_compatible(self.manifest, store.where, embedder.name)
        publishers = {d["publisher"] for d in self.manifest.get("documents", {}).values() if d.get("publisher")}
        self.aliases = publisher_aliases(publishers)
        self.documents = _Documents(store, self.generation)
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="milvus-bm25")

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        if not self.engine_fusion or not query.strip():
            return super().search(query, k, filters)
        from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

        expr, n, s = _expression(filters), self.settings.candidates, self.settings
        vector = self.embedder.encode([query])[0].tolist()
        requests = [AnnSearchRequest([vector], "dense", {"metric_type": "IP", "params": {"nprobe": PROBES}}, n, expr)]
        if words := tokenize([query])[0]:
            requests.append(AnnSearchRequest([" ".join(words)], "sparse", {"metric_type": "BM25"}, n, expr))
        ranker = RRFRanker(s.rrf_k) if self.engine_fusion == "rrf" else WeightedRanker(s.dense_weight, s.bm25_weight)
        found = self.store.client.hybrid_search(self.generation, requests, ranker, limit=k, output_fields=FIELDS)[0]
        hits = [(float(h["distance"]), chunk_of(h["entity"])) for h in found]
        return [Hit(score, chunk, self.documents[chunk.doc_id]) for score, chunk in hits]

    def signals(self, query: str, filters: Filters | None = None) -> Signals:
        expr = _expression(filters)
        client, live, n = self.store.client, self.generation, self.settings.candidates
        words = tokenize([query])[0]
        lexical = None  # BM25 in the engine while the query is embedded here
        if words:
            bm25 = {"metric_type": "BM25"}
            lexical = self._pool.submit(client.search, live, data=[" ".join(words)], anns_field="sparse", limit=n,
                                        filter=expr, output_fields=FIELDS, search_params=bm25)  # fmt: skip
        vector = self.embedder.encode([query])[0].tolist()
        found = [
            client.search(live, data=[vector], anns_field="dense", limit=n, filter=expr, output_fields=FIELDS,
                          search_params={"metric_type": "IP", "params": {"nprobe": PROBES}})[0]
        ]  # fmt: skip
        if lexical is not None:
            found.append(lexical.result()[0])
        entities: dict[int, dict] = {}
        for hits in found:
            for hit in hits:
                entities.setdefault(hit["entity"]["row"], hit["entity"])
        at = {row: i for i, row in enumerate(entities)}
        scores = [np.zeros(len(at), dtype=np.float32) for _ in range(2)]
        for side, hits in enumerate(found):
            for hit in hits:  # a server reports BM25 as a score, Milvus Lite as its negation
                scores[side][at[hit["entity"]["row"]]] = max(abs(float(hit["distance"])), 1e-6)
        chunks = [chunk_of(e) for e in entities.values()]
        publisher = np.array([e["publisher"] for e in entities.values()], dtype=object)
        date = np.array([e["published"] for e in entities.values()], dtype=object)
        rows = Rows(chunks, self.documents, publisher, date)
        dense_scores, bm25_scores = scores[0], scores[1]
        return Signals(bm25_scores, dense_scores, analyze(query, self.aliases), rows)


def _expression(filters: Filters | None) -> str:
    """The filters as a Milvus boolean expression ('' for none); strings quoted as JSON."""
    if filters is None:
        return ""
    parts = []
    if filters.publishers:
        parts.append(f"publisher in {json.dumps(list(filters.publishers), ensure_ascii=False)}")
    if filters.date_from:
        parts.append(f'published != "" and published >= {json.dumps(filters.date_from)}')
    if filters.date_to:
        parts.append(f'published != "" and published <= {json.dumps(filters.date_to)}')
    return " and ".join(parts)
