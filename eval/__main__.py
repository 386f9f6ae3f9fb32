"""Answer evaluation: python -m eval --gold FILE --out DIR.

Runs the whole pipeline (retrieval, the model, verification) on every gold question (a
conversation's earlier turns first, its last one scored) and writes
DIR/metrics.json, DIR/report.md (with a per-question table), DIR/chart.png and DIR/answers.jsonl.
The corpus (default data/articles/) is indexed first, incrementally.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from dataclasses import asdict, replace
from pathlib import Path

from ask import BadQuestion, Pipeline, load_generator
from config import Config
from console import quiet_libraries
from eval.report import chart, markdown
from eval.scoring import GoldFormatError, load_gold, score
from index import (
    CorpusEmpty,
    IndexProblem,
    ModelUnavailable,
    build_index,
    load_embedder,
    open_retriever,
)


def machine() -> str:
    """The CPU every figure came from: its model name, architecture, cores and system."""
    import os

    from ask.llama_runtime import cpu_model, cpu_name

    model = cpu_model()
    cpu = f"{cpu_name()} ({model})" if model else cpu_name()
    return f"{cpu}, {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=Path(__file__).parent / "gold" / "seeds.jsonl")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--corpus", type=Path, nargs="+", default=[config.articles_dir])
    parser.add_argument("--index-dir", type=Path, default=config.index_dir)
    parser.add_argument("--model", default=config.model)
    parser.add_argument("--backend", default=config.backend)
    parser.add_argument("--limit", type=int)
    parser.add_argument(
        "--min-support",
        type=float,
        default=None,
        help="one judge threshold for every answer, quoted or not (default: config.py; 0: never cut, to calibrate)",
    )
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    config = replace(config, model=args.model, backend=args.backend,
                     answer=config.answer.judged(args.min_support))  # fmt: skip
    try:
        gold = load_gold(args.gold)[: args.limit]
        embedder = load_embedder(config.embedder, config.cache_dir)
        build_index(args.corpus, args.index_dir, embedder, config.chunk_tokens, config.overlap_sentences)
        retriever = open_retriever(args.index_dir, embedder, config.search)
        generator = load_generator(config.model, config.backend, config.cache_dir)
    except (GoldFormatError, CorpusEmpty, IndexProblem, ModelUnavailable, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    pipeline = Pipeline(retriever, generator, config.answer)
    results = []
    args.out.mkdir(parents=True, exist_ok=True)
    with (args.out / "answers.jsonl").open("w", encoding="utf-8") as log:
        for n, item in enumerate(gold, start=1):
            try:
                history = []
                for earlier in item.before:  # a conversation: its earlier turns first, as a user asks them
                    history.append((earlier, pipeline.answer(earlier, history).text))
                answer = pipeline.answer(item.question, history)
            except BadQuestion as err:
                print(f"error: {item.id}: {err}", file=sys.stderr)
                return 2
            retrieved = [Path(h.document.path).name for h in retriever.search(answer.standalone_question, k=10)]
            results.append((item, answer, retrieved))
            record = {"id": item.id, "standalone_question": answer.standalone_question, "answer": answer.text,
                      "abstained": answer.abstained, "raw": answer.raw, "support": answer.support,
                      "extractive": answer.extractive,
                      "removed": answer.removed, "citations": [asdict(c) for c in answer.citations],
                      "timings": asdict(answer.timings), "retrieved": retrieved}  # fmt: skip
            log.write(json.dumps(record, ensure_ascii=False) + "\n")
            print(f"[{n}/{len(gold)}] {item.id}: {answer.text}", flush=True)
    metrics = {**score(results), "model": generator.name, "gold": str(args.gold), "machine": machine()}
    title = f"Answer evaluation on {args.gold.name}"
    (args.out / "metrics.json").write_text(json.dumps(metrics, indent=1), encoding="utf-8")
    (args.out / "report.md").write_text(markdown(metrics, results, title), encoding="utf-8")
    chart(metrics, args.out / "chart.png", title)
    print(json.dumps({k: v for k, v in metrics.items() if not isinstance(v, str)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
