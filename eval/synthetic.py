"""Search latency at a million chunks: python -m eval.synthetic [--chunks N] [--queries Q].

Builds an index of N synthetic chunks in memory (clustered unit vectors, Zipf-distributed words,
10,000 documents from 50 publishers), through the same code as a real index (the dense index is
chosen by size: inverted-file at this scale), then times `Retriever.search` with the real query
embedder. Prints one JSON line: search_p50_ms (p50 over the queries), chunks, build_s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import numpy as np

from config import Config
from console import quiet_libraries
from index import Retriever, load_embedder
from index.dense import build_dense
from index.store import StoredIndex
from ingest import Chunk, Document

QUERIES = [
    "How much was trade between Hunan and the UK in 2018?",
    "Who led the UK delegation to the innovation conference?",
    "What did TechCrunch report about the new AI chip?",
    "When did the summit in London take place?",
    "Which company signed a memorandum of cooperation?",
]


def synthetic_index(n: int, dim: int, seed: int = 0) -> StoredIndex:
    import bm25s

    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(50_000)]
    words = rng.zipf(1.3, size=(n, 24)) % len(vocabulary)
    documents = {
        f"d{i}": Document(id=f"d{i}", text="", title=f"doc {i}", path=f"d{i}.txt",
                          published=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}", publisher=f"publisher {i % 50}")
        for i in range(10_000)
    }  # fmt: skip
    chunks = [Chunk(f"d{i % 10_000}:{i}", f"d{i % 10_000}", "", 0, 0, "", 24) for i in range(n)]
    centres = rng.normal(size=(2_000, dim)).astype(np.float32)
    vectors = centres[rng.integers(0, 2_000, n)] + 0.5 * rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    bm25 = bm25s.BM25()
    tokens = bm25s.tokenization.Tokenized(ids=words.tolist(), vocab={w: i for i, w in enumerate(vocabulary)})
    bm25.index(tokens, show_progress=False)
    return StoredIndex({}, documents, chunks, build_dense(vectors), bm25)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args(argv)
    config = Config()
    quiet_libraries(config.cache_dir)
    embedder = load_embedder(config.embedder, config.cache_dir)
    started = time.perf_counter()
    index = synthetic_index(args.chunks, embedder.dim)
    built = time.perf_counter() - started
    retriever = Retriever(index, embedder, config.search)
    questions = [QUERIES[i % len(QUERIES)] + f" w{i} w{7 * i}" for i in range(args.queries)]
    retriever.search(questions[0], k=config.top_k)
    times = []
    for q in questions:
        started = time.perf_counter()
        retriever.search(q, k=config.top_k)
        times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"search_p50_ms": statistics.median(times), "chunks": args.chunks, "build_s": built}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
