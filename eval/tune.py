"""Choose the retrieval fusion settings on the MultiHop-RAG dev split: python -m eval.tune.

Each dev query is scored once by BM25 and the embedder; every combination of the grid below is
then ranked from those scores, so the sweep costs seconds. Prints a table, best first, ranked by
MRR@10 + Hits@4 + Hits@10. The chosen defaults live in config.Config.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

from config import Config
from console import quiet_libraries
from eval.benchmark import BenchmarkMissing, benchmark_retriever, load_queries, ranking_metrics, relevant, require
from index import load_embedder

GRID = {
    "fusion": ["rrf", "linear"],
    "dense_weight": [0.0, 0.3, 0.6, 1.0],
    "rrf_k": [10, 60],
    "publisher_boost": [0.0, 0.5, 1.0],
    "date_boost": [0.0, 0.3],
    "interleave": [True],
}


def _grid(overrides: list[str]) -> dict[str, list]:
    """GRID with "name=v1,v2" overrides from the command line."""
    grid = dict(GRID)
    for item in overrides:
        name, _, values = item.partition("=")
        if name not in GRID:
            raise SystemExit(f"unknown setting {name!r}; one of {', '.join(GRID)}")
        kind = type(GRID[name][0])
        grid[name] = [v == "true" if kind is bool else kind(v) for v in values.split(",")]
    return grid


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval.tune", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--benchmark-dir", type=Path, default=config.benchmark_dir)
    parser.add_argument("--index-dir", type=Path, default=config.benchmark_index_dir)
    parser.add_argument("--limit", type=int)
    parser.add_argument("--top", type=int, default=15, help="rows to print")
    parser.add_argument("--grid", nargs="*", default=[], help="override the grid: name=v1,v2 ...")
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    try:
        corpus = require(args.benchmark_dir)
    except BenchmarkMissing as err:
        print(f"{err}; nothing to tune on")
        return 0
    embedder = load_embedder(config.embedder, config.cache_dir)
    retriever = benchmark_retriever(corpus, embedder, config, args.index_dir)
    queries = load_queries(args.benchmark_dir, args.split)[: args.limit]
    signals = [retriever.signals(q.text) for q in queries]
    results = []
    grid = _grid(args.grid)
    for values in itertools.product(*grid.values()):
        settings = replace(config.search, **dict(zip(grid, values, strict=True)))
        if settings.fusion == "linear" and settings.rrf_k != grid["rrf_k"][0]:
            continue  # rrf_k plays no part in linear fusion
        relevance = [
            [relevant(h.chunk.text, q.facts) for h in retriever.rank(s, 10, settings)]
            for q, s in zip(queries, signals, strict=True)
        ]
        results.append((ranking_metrics(relevance), settings))
    results.sort(key=lambda r: -(r[0]["mrr@10"] + r[0]["hits@4"] + r[0]["hits@10"]))
    print(f"{len(queries)} {args.split} queries; best first")
    print("MRR@10  Hits@4  Hits@10  settings")
    for metrics, s in results[: args.top]:
        print(
            f"{metrics['mrr@10']:.3f}   {metrics['hits@4']:.3f}   {metrics['hits@10']:.3f}    "
            f"{s.fusion} dense={s.dense_weight} k={s.rrf_k} publisher={s.publisher_boost} date={s.date_boost} "
            f"interleave={s.interleave}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
