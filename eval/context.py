"""Is the answer in what the model is shown? python -m eval.context --gold FILE [FILE ...] [--sample N].

Retrieval and passage selection exactly as the pipeline does them, without the model: for each
answerable question of the gold files (and, with `--sample N`, N MultiHop-RAG queries spread
over the split, as `eval.multihop --sample N` takes them), whether one of its gold answers is
written in the passages the model would be shown (their headers included), and how many tokens
those passages take. A draft cannot be right with an answer it was not shown, so this bounds the
draft's accuracy from above and tells retrieval's and selection's losses from the model's. Gold
answers that are only "yes" or "no" are left out (the words prove nothing), and so are
unanswerable questions. A follow-up is searched together with the question before it, as the
pipeline does when the model's rewrite is not used. `--passage-tokens`, `--max-passages` and
`--passage-margin` try other selections than config.py's.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from dataclasses import replace
from pathlib import Path

from ask.followups import with_previous
from ask.passages import shown_passages
from ask.pipeline import gather
from ask.prompts import passage_header
from ask.settings import AnswerSettings
from config import Config
from console import quiet_libraries
from eval.benchmark import BenchmarkMissing, benchmark_retriever, library_retriever, load_queries, require
from eval.multihop import spread
from eval.scoring import YES_NO, GoldFormatError, contains_answer, load_gold, normalize
from index import (
    CorpusEmpty,
    Embedder,
    IndexProblem,
    ModelUnavailable,
    Retriever,
    load_embedder,
)

Asked = tuple[str, str, tuple[str, ...]]  # id, the question as searched, its gold answers


def shown_has_answer(question: str, answers: tuple[str, ...], retriever: Retriever, settings: AnswerSettings) -> dict:
    """Whether a gold answer is in the passages the model would be shown, and their size in tokens."""
    _, sources, passages = gather(question, retriever, settings)
    shown = shown_passages(passages, sources, settings.passage_margin, question)
    text = " ".join(f"{passage_header(p.document)} {p.text}" for p in shown)
    return {"shown": contains_answer(text, answers), "tokens": retriever.embedder.count_tokens([text])[0],
            "passages": len(shown)}  # fmt: skip


def report(asked: list[Asked], retriever: Retriever, settings: AnswerSettings) -> dict:
    """The share of questions whose answer the model is shown, the tokens' median, and each row."""
    rows = [{"id": i, **shown_has_answer(q, answers, retriever, settings)} for i, q, answers in asked]
    if not rows:
        return {"questions": 0, "shown": 0, "share": None, "tokens_p50": None, "rows": []}
    shown = sum(r["shown"] for r in rows)
    return {"questions": len(rows), "shown": shown, "share": round(shown / len(rows), 3),
            "tokens_p50": statistics.median(r["tokens"] for r in rows), "rows": rows}  # fmt: skip


def gold_questions(path: Path) -> list[Asked]:
    """The answerable questions of a gold file with answers other than yes or no; a conversation's
    last turn searched with the question before it."""
    asked = []
    for g in load_gold(path):
        answers = tuple(a for a in g.answers if normalize(a) not in YES_NO)
        if not g.unanswerable and answers:
            asked.append((g.id, with_previous(g.before[-1], g.question) if g.before else g.question, answers))
    return asked


def multihop_questions(benchmark_dir: Path, split: str, sample: int) -> list[Asked]:
    """The queries of `eval.multihop --answers --sample N` whose answer is not yes, no or null."""
    every = spread(load_queries(benchmark_dir, split, include_null=True), sample)
    return [(str(q.position), q.text, (q.answer,)) for q in every
            if q.type != "null_query" and normalize(q.answer) not in YES_NO]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval.context", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, nargs="*", default=[Path(__file__).parent / "gold" / "seeds.jsonl"])
    parser.add_argument("--sample", type=int, help="also N MultiHop-RAG queries spread over --split")
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--benchmark-dir", type=Path, default=config.benchmark_dir)
    parser.add_argument("--index-dir", type=Path, default=config.index_dir)
    parser.add_argument("--passage-tokens", type=int, default=config.answer.passage_tokens)
    parser.add_argument("--max-passages", type=int, default=config.answer.max_passages)
    parser.add_argument("--passage-margin", type=float, default=config.answer.passage_margin)
    parser.add_argument("--out", type=Path, help="write context.json (every question's row) here")
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    settings = replace(config.answer, passage_tokens=args.passage_tokens, max_passages=args.max_passages,
                       passage_margin=args.passage_margin)  # fmt: skip
    try:
        embedder = load_embedder(config.embedder, config.cache_dir)
        results = _gold_reports(args.gold, config, args.index_dir, embedder, settings)
    except (GoldFormatError, CorpusEmpty, IndexProblem, ModelUnavailable, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.sample:
        try:
            retriever = benchmark_retriever(require(args.benchmark_dir), embedder, config)
            results[f"multihop-{args.split}-{args.sample}"] = report(
                multihop_questions(args.benchmark_dir, args.split, args.sample), retriever, settings
            )
        except BenchmarkMissing as err:
            print(f"{err}; skipping the MultiHop-RAG queries")
    print(f"passages: at most {settings.max_passages} of about {settings.passage_tokens} tokens, "
          f"margin {settings.passage_margin}")  # fmt: skip
    for name, r in results.items():
        print(f"{name}: answer shown for {r['shown']} of {r['questions']} ({r['share']}), "
              f"tokens shown p50 {r['tokens_p50']}")  # fmt: skip
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        out = {"settings": vars(settings), "results": results}
        (args.out / "context.json").write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


def _gold_reports(
    gold: list[Path], config: Config, index_dir: Path, embedder: Embedder, settings: AnswerSettings
) -> dict[str, dict]:
    """Each gold file's report, over the seed articles indexed (incrementally) in `index_dir`."""
    if not gold:
        return {}
    retriever = library_retriever(embedder, config, index_dir)
    return {path.name: report(gold_questions(path), retriever, settings) for path in gold}


if __name__ == "__main__":
    sys.exit(main())
