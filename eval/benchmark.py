"""The MultiHop-RAG benchmark as read from ../shared (never copied): queries, splits, relevance.

Splits follow the benchmark's README: dev = positions not divisible by 4, test = positions
0, 4, 8, ...; relevance is upstream's rule (a chunk is relevant when a gold fact, with all
spaces and newlines removed, is a substring of the chunk text with the same removed).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from config import Config
from index import Embedder, Retriever, build_index, open_retriever

CORPUS = "corpus.json"
QUERIES = "MultiHopRAG.json"


class BenchmarkMissing(FileNotFoundError):
    """The benchmark files are not there; callers skip cleanly."""


@dataclass(frozen=True)
class Query:
    position: int  # 0-based place in MultiHopRAG.json
    text: str
    answer: str
    type: str  # inference_query, comparison_query, temporal_query, null_query
    facts: tuple[str, ...]  # gold evidence sentences; empty for null queries


def require(benchmark_dir: Path) -> Path:
    """The corpus file, or BenchmarkMissing naming what is absent."""
    for name in (CORPUS, QUERIES):
        if not (Path(benchmark_dir) / name).is_file():
            raise BenchmarkMissing(f"MultiHop-RAG benchmark not found ({Path(benchmark_dir) / name} is missing)")
    return Path(benchmark_dir) / CORPUS


def benchmark_retriever(corpus: Path, embedder: Embedder, config: Config, index_dir: Path | None = None) -> Retriever:
    """The corpus indexed (built, or brought up to date, with a progress bar) in `index_dir`
    (default `config.benchmark_index_dir`) and opened for search."""
    index_dir = index_dir or config.benchmark_index_dir
    build_index([corpus], index_dir, embedder, config.chunk_tokens, config.overlap_sentences, progress=True)
    return open_retriever(index_dir, embedder, config.search)


def library_retriever(embedder: Embedder, config: Config, index_dir: Path | None = None) -> Retriever:
    """The library (`config.articles_dir`, the seed articles the gold files ask about) indexed
    quietly, incrementally, in `index_dir` (default `config.index_dir`) and opened for search."""
    index_dir = index_dir or config.index_dir
    build_index([config.articles_dir], index_dir, embedder, config.chunk_tokens, config.overlap_sentences)
    return open_retriever(index_dir, embedder, config.search)


def load_queries(benchmark_dir: Path, split: str, include_null: bool = False) -> list[Query]:
    if split not in ("dev", "test"):
        raise ValueError(f"unknown split {split!r}: use dev or test")
    require(benchmark_dir)
    rows = json.loads((Path(benchmark_dir) / QUERIES).read_text(encoding="utf-8"))
    queries = [
        Query(i, r["query"], r["answer"], r["question_type"], tuple(e["fact"] for e in r["evidence_list"]))
        for i, r in enumerate(rows)
        if (i % 4 == 0) == (split == "test")
    ]
    return [q for q in queries if include_null or q.type != "null_query"]


def squeeze(text: str) -> str:
    return re.sub(r"[ \n]", "", text)


def relevant(chunk_text: str, facts: tuple[str, ...]) -> bool:
    squeezed = squeeze(chunk_text)
    return any(squeeze(f) in squeezed for f in facts)


def ranking_metrics(relevance: list[list[bool]]) -> dict[str, float]:
    """MRR@10, Hits@4, Hits@10 and MAP@10 over per-query relevance lists (ranked, best first)."""
    n = len(relevance) or 1
    mrr = sum(next((1 / (r + 1) for r, rel in enumerate(row[:10]) if rel), 0.0) for row in relevance) / n
    hits = {k: sum(any(row[:k]) for row in relevance) / n for k in (4, 10)}
    ap = []
    for row in relevance:
        found, total = 0, 0.0
        for r, rel in enumerate(row[:10]):
            if rel:
                found += 1
                total += found / (r + 1)
        ap.append(total / found if found else 0.0)
    return {"mrr@10": mrr, "hits@4": hits[4], "hits@10": hits[10], "map@10": sum(ap) / n}
