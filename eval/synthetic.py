"""Search latency at a million chunks: python -m eval.synthetic [--chunks N] [--queries Q] [--store S].

Builds an index of N synthetic chunks (clustered unit vectors, Zipf-distributed words, 10,000
documents from 50 publishers), through the same code as a real index (the dense index is chosen
by size: inverted-file at this scale), in memory or, with --store, written to that Milvus store;
then times `search` with the real query embedder. Prints one JSON line: search_p50_ms and
search_p95_ms over the queries, chunks, build_s, store.
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
from eval.scoring import percentile
from index import Retriever, load_embedder, open_retriever
from index.dense import build_dense
from index.store import FORMAT_VERSION, StoredIndex
from index.stores import open_store
from ingest import Chunk, Document

QUERIES = [
    "How much was trade between Hunan and the UK in 2018?",
    "Who led the UK delegation to the innovation conference?",
    "What did TechCrunch report about the new AI chip?",
    "When did the summit in London take place?",
    "Which company signed a memorandum of cooperation?",
]


def synthetic_index(n: int, dim: int, embedder_name: str, seed: int = 0) -> StoredIndex:
    """The chunks' text is their words (what a store indexes); bm25s is given the words' ids."""
    import bm25s

    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(50_000)]
    words = rng.zipf(1.3, size=(n, 24)) % len(vocabulary)
    documents = {
        f"d{i}": Document(id=f"d{i}", text="", title=f"doc {i}", path=f"d{i}.txt",
                          published=f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}", publisher=f"publisher {i % 50}")
        for i in range(10_000)
    }  # fmt: skip
    chunks = [
        Chunk(f"d{i % 10_000}:{i}", f"d{i % 10_000}", " ".join(vocabulary[w] for w in row), 0, 0, "", 24)
        for i, row in enumerate(words)
    ]
    centres = rng.normal(size=(2_000, dim)).astype(np.float32)
    vectors = centres[rng.integers(0, 2_000, n)] + 0.5 * rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    bm25 = bm25s.BM25()
    tokens = bm25s.tokenization.Tokenized(ids=words.tolist(), vocab={w: i for i, w in enumerate(vocabulary)})
    bm25.index(tokens, show_progress=False)
    manifest = {
        "format_version": FORMAT_VERSION,
        "embedder": {"name": embedder_name, "dim": dim},
        "n_chunks": n,
        "documents": {d.id: {"publisher": d.publisher, "title": d.title} for d in documents.values()},
    }
    return StoredIndex(manifest, documents, chunks, build_dense(vectors), bm25, _vectors=vectors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.synthetic", description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--store", help="write the chunks to this Milvus store and search it there")
    args = parser.parse_args(argv)
    config = Config()
    quiet_libraries(config.cache_dir)
    embedder = load_embedder(config.embedder, config.cache_dir)
    started = time.perf_counter()
    index = synthetic_index(args.chunks, embedder.dim, embedder.name)
    if args.store:
        open_store(args.store).save(index)
        retriever = open_retriever(args.store, embedder, config.search)
    else:
        retriever = Retriever(index, embedder, config.search)
    built = time.perf_counter() - started
    questions = [QUERIES[i % len(QUERIES)] + f" w{i} w{7 * i}" for i in range(args.queries)]
    retriever.search(questions[0], k=config.top_k)
    times = []
    for q in questions:
        started = time.perf_counter()
        retriever.search(q, k=config.top_k)
        times.append((time.perf_counter() - started) * 1000)
    p95 = percentile(times, 0.95)
    store = args.store or "in memory (FAISS + bm25s)"
    figures = {"search_p50_ms": statistics.median(times), "search_p95_ms": p95, "chunks": args.chunks}
    print(json.dumps({**figures, "build_s": built, "store": store}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
