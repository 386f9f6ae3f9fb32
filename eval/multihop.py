"""Retrieval on the MultiHop-RAG benchmark: python -m eval.multihop --split test --out DIR.

Indexes ../shared/benchmarks/multihop-rag/corpus.json where it lies (incrementally, in a cache
folder outside the project's default index), runs every non-null query of the split, and writes
DIR/retrieval.json and DIR/retrieval.md. With --answers, the queries (null ones included) are also
answered by the pipeline and scored: DIR/answers.jsonl (one line per query, written as it is
answered: a rerun goes on where a stopped one ended), DIR/answers.json and DIR/answers.md.
`--sample N` takes N queries spread evenly over the split. Exits 0 with a message when the
benchmark is absent.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from ask import Pipeline, load_generator
from config import Config
from console import quiet_libraries
from eval.__main__ import machine
from eval.benchmark import BenchmarkMissing, Query, load_queries, ranking_metrics, relevant, require
from eval.multihop_answers import answer_report
from eval.multihop_answers import markdown as answers_markdown
from eval.scoring import percentile
from index import Ranker, build_index, load_embedder, open_retriever
from index.store import IndexProblem
from index.stores import Store, open_store


def retrieval_report(retriever: Ranker, queries: list[Query], k: int = 10, place: Path | str | None = None) -> dict:
    """Official retrieval metrics, overall and per question type, with search latency."""
    rows: list[tuple[Query, list[bool]]] = []
    latencies = []
    for q in queries:
        started = time.perf_counter()
        hits = retriever.search(q.text, k=k)
        latencies.append((time.perf_counter() - started) * 1000)
        rows.append((q, [relevant(h.chunk.text, q.facts) for h in hits]))
    by_type: dict[str, list[list[bool]]] = defaultdict(list)
    for q, rel in rows:
        by_type[q.type].append(rel)
    tokens = retriever.manifest.get("chunk_tokens") or _chunk_tokens(place)
    return {
        **ranking_metrics([rel for _, rel in rows]),
        "n_queries": len(rows),
        "search_p50_ms": percentile(latencies, 0.5) or 0.0,
        "search_p95_ms": percentile(latencies, 0.95) or 0.0,
        "chunk_tokens_mean": tokens["mean"],
        "chunk_tokens_max": tokens["max"],
        "n_chunks": retriever.manifest["n_chunks"],
        "by_type": {t: {**ranking_metrics(r), "n_queries": len(r)} for t, r in sorted(by_type.items())},
    }


def _stale(local: Store, remote: Store) -> bool:
    """Whether `remote` lacks the local index's current build (compared by build time and size)."""
    try:
        theirs = remote.manifest()
    except IndexProblem:
        return True
    ours = local.manifest()
    return any(theirs.get(k) != ours.get(k) for k in ("built_at", "n_chunks", "embedder"))


def _chunk_tokens(place: Path | str | None) -> dict:
    """For an index built before manifests recorded it."""
    tokens = [c.n_tokens for c in open_store(place).load().chunks] if place else [0]
    return {"mean": statistics.fmean(tokens), "max": max(tokens)}


def markdown(report: dict) -> str:
    lines = [
        f"# MultiHop-RAG retrieval, {report['split']} split",
        "",
        f"{report['n_queries']} queries (null queries excluded), {report['n_chunks']} chunks "
        f"(mean {report['chunk_tokens_mean']:.0f}, max {report['chunk_tokens_max']} embedder tokens), "
        f"embedder `{report['embedder']}`, index in {report.get('store', 'local files')}.",
        "",
        "| question type | n | MRR@10 | Hits@4 | Hits@10 | MAP@10 |",
        "|---|---|---|---|---|---|",
    ]
    for name, m in [("all", report), *report["by_type"].items()]:
        scores = " | ".join(f"{m[key]:.3f}" for key in ("mrr@10", "hits@4", "hits@10", "map@10"))
        lines.append(f"| {name} | {m['n_queries']} | {scores} |")
    lines += [
        "",
        f"Index build: {report['build_seconds']:.1f} s ({report['build_note']}). "
        f"Search latency p50 {report['search_p50_ms']:.1f} ms, p95 {report['search_p95_ms']:.1f} ms "
        "(query embedding included, model load excluded).",
        "",
        "Reference (paper, Table 5, 256-token chunks): voyage-02 + bge-reranker-large "
        "0.586 / 0.663 / 0.747 (MRR@10 / Hits@4 / Hits@10).",
    ]
    return "\n".join(lines) + "\n"


def spread(queries: list, n: int | None) -> list:
    """`n` queries spread evenly over the list (all of them when n is None or larger)."""
    if n is None or n >= len(queries):
        return queries
    return [queries[i * len(queries) // n] for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval.multihop", description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], default="test")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--benchmark-dir", type=Path, default=config.benchmark_dir)
    parser.add_argument("--index-dir", type=Path, default=config.benchmark_index_dir)
    parser.add_argument(
        "--store",
        default=config.store,
        help="search a Milvus store (milvus-lite:PATH.db, milvus://HOST:PORT) holding the same chunks",
    )
    parser.add_argument(
        "--engine-fusion",
        choices=["rrf", "weighted"],
        help="with --store: fuse in Milvus's own ranker instead of ours (to compare)",
    )
    parser.add_argument("--embedder", default=config.embedder)
    parser.add_argument("--chunk-tokens", type=int, default=config.chunk_tokens)
    parser.add_argument("--limit", type=int, help="only the first N queries of the split")
    parser.add_argument("--sample", type=int, help="N queries spread evenly over the split")
    parser.add_argument("--fresh", action="store_true", help="delete the cached index first: time a full build")
    parser.add_argument("--answers", action="store_true", help="also answer the queries (null ones too) and score")
    parser.add_argument("--model", default=config.model)
    parser.add_argument("--backend", default=config.backend)
    parser.add_argument("--min-support", type=float, default=None,
                        help="one judge threshold for every answer (default: config.py; 0: never cut)")  # fmt: skip
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    config = replace(config, embedder=args.embedder, chunk_tokens=args.chunk_tokens,
                     answer=config.answer.judged(args.min_support))  # fmt: skip
    try:
        corpus = require(args.benchmark_dir)
    except BenchmarkMissing as err:
        print(f"{err}; skipping the MultiHop-RAG evaluation")
        return 0
    if args.fresh:
        shutil.rmtree(args.index_dir, ignore_errors=True)
    embedder = load_embedder(config.embedder, config.cache_dir)
    build = build_index(
        [corpus], args.index_dir, embedder, config.chunk_tokens, config.overlap_sentences, progress=True
    )
    print("\n".join(build.lines()[-1:]))
    if args.store:  # the same chunks and vectors, copied from the local index rather than re-embedded
        local, remote = open_store(args.index_dir), open_store(args.store)
        if _stale(local, remote):
            remote.save(local.load())
    retriever = open_retriever(args.store or args.index_dir, embedder, config.search)
    if args.engine_fusion:
        if not args.store:
            parser.error("--engine-fusion needs --store")
        retriever.engine_fusion = args.engine_fusion
    queries = spread(load_queries(args.benchmark_dir, args.split), args.sample)[: args.limit]
    report = {
        "split": args.split,
        "embedder": embedder.name,
        "store": (args.store or "local files (FAISS + bm25s)")
        + (f", fused by Milvus's {args.engine_fusion} ranker" if args.engine_fusion else ""),
        "build_seconds": build.seconds,
        "build_note": f"embedded {build.embedded_chunks} of {build.n_chunks} chunks",
        **retrieval_report(retriever, queries, place=args.store or args.index_dir),
        "settings": vars(config.search),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "retrieval.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (args.out / "retrieval.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    if args.answers:
        generator = load_generator(args.model, args.backend, config.cache_dir)
        pipeline = Pipeline(retriever, generator, config.answer)
        every = spread(load_queries(args.benchmark_dir, args.split, include_null=True), args.sample)[: args.limit]
        answers, rows = answer_report(pipeline, every, args.out / "answers.jsonl")
        answers["machine"] = machine()
        (args.out / "answers.json").write_text(json.dumps({**answers, "rows": rows}, indent=1), encoding="utf-8")
        (args.out / "answers.md").write_text(answers_markdown(answers, args.split, generator.name), encoding="utf-8")
        print(answers_markdown(answers, args.split, generator.name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
