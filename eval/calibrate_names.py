"""Choose max_unnamed on labelled questions: python -m eval.calibrate_names [--sample N].

The verifier cuts an answer when more than `AnswerSettings.max_unnamed` of the numbers and
names its question gives are mentioned by no article the answerer was given (`ask.verify.Verifier.
unanswered`): a question about something the articles never covered names mostly what they
lack, while one about several articles names details of each, not all of them shown. This needs
no model: for every question it selects the passages as the answerer does and counts the
question's numbers and names that their articles never mention. The labelled questions are the MultiHop-RAG
split (null queries are the unanswerable ones; read from ../shared, skipped when absent) and the
gold files (their unanswerable questions). It prints, for each threshold, the share of
answerable questions a cut would wrongly refuse and of unanswerable ones it would catch, and
suggests the threshold with the best balanced accuracy (the mean of those two rates, right)
among those that keep at least --keep of the answerable questions.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

from ask.pipeline import gather
from ask.settings import AnswerSettings
from ask.verify import text_of, unnamed_given
from config import Config
from console import quiet_libraries
from eval.benchmark import BenchmarkMissing, benchmark_retriever, library_retriever, load_queries, require
from eval.multihop import spread
from eval.scoring import load_gold
from index import Retriever, load_embedder

GOLD = [Path(__file__).resolve().parent / "gold" / f"{name}.jsonl" for name in ("seeds", "fresh")]


@dataclass(frozen=True)
class Counted:
    source: str  # "multihop-dev", or a gold file's name
    question: str
    unanswerable: bool
    n_names: int  # the numbers and names the question gives
    unnamed: tuple[str, ...]  # those no given article mentions

    @property
    def share(self) -> float:
        return len(self.unnamed) / self.n_names if self.n_names else 0.0


def count(source: str, question: str, unanswerable: bool, retriever: Retriever, settings: AnswerSettings) -> Counted:
    """The question's numbers and names, and those the articles of its selected passages never mention."""
    _, _, passages = gather(question, retriever, settings)
    unnamed, given = unnamed_given(question, text_of(p.document for p in passages))
    return Counted(source, question, unanswerable, given, tuple(unnamed))


def table(counted: list[Counted]) -> list[dict]:
    """For each threshold (every distinct share, and 0): the cut rule "share > threshold"'s share
    of answerable questions refused and of unanswerable ones caught, and its balanced accuracy."""
    answerable = [c for c in counted if not c.unanswerable]
    unanswerable = [c for c in counted if c.unanswerable]
    if not answerable or not unanswerable:
        raise ValueError("need answerable and unanswerable questions to compare")
    rows = []
    for t in sorted({0.0, *(c.share for c in counted)}):
        refused = sum(c.share > t for c in answerable) / len(answerable)
        caught = sum(c.share > t for c in unanswerable) / len(unanswerable)
        rows.append({"max_unnamed": t, "answerable_refused": round(refused, 4), "unanswerable_caught": round(caught, 4),
                     "balanced_accuracy": round((1 - refused + caught) / 2, 4)})  # fmt: skip
    return rows


def suggest(rows: list[dict], keep: float) -> float:
    """Among the thresholds that refuse at most 1 - `keep` of the answerable questions, the one
    with the best balanced accuracy (the lowest, on a tie: the stricter rule). This cut is one of
    several, each of which loses a right answer for good, so it must keep nearly all of them."""
    allowed = [r for r in rows if r["answerable_refused"] <= 1 - keep] or rows[-1:]
    return max(allowed, key=lambda r: (r["balanced_accuracy"], -r["max_unnamed"]))["max_unnamed"]


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate_names", description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, help="N MultiHop-RAG queries spread over the split (default: all)")
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--gold", type=Path, nargs="*", default=GOLD, help="gold files (with unanswerable questions)")
    parser.add_argument("--benchmark-dir", type=Path, default=config.benchmark_dir)
    parser.add_argument("--keep", type=float, default=0.95, help="share of answerable questions a threshold must keep")
    parser.add_argument("--out", type=Path, default=None, help="write names_calibration.json (every question) here")
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    try:
        golds = {path.stem: load_gold(path) for path in args.gold}
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    embedder = load_embedder(config.embedder, config.cache_dir)
    counted = []
    if golds:
        library = library_retriever(embedder, config)
        for name, gold in golds.items():
            counted += [count(name, g.question, g.unanswerable, library, config.answer) for g in gold if not g.before]
    try:
        corpus = require(args.benchmark_dir)
    except BenchmarkMissing as err:
        print(f"{err}; the MultiHop-RAG questions are skipped", file=sys.stderr)
    else:
        benchmark = benchmark_retriever(corpus, embedder, config)
        queries = spread(load_queries(args.benchmark_dir, args.split, include_null=True), args.sample)
        for n, q in enumerate(queries, 1):
            counted.append(count(f"multihop-{args.split}", q.text, q.type == "null_query", benchmark, config.answer))
            print(f"\r{n}/{len(queries)} questions", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
    try:
        rows = table(counted)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    suggested, current = suggest(rows, args.keep), config.answer.max_unnamed
    for source in sorted({c.source for c in counted}):
        mine = [c for c in counted if c.source == source]
        answerable, unanswerable = [c for c in mine if not c.unanswerable], [c for c in mine if c.unanswerable]
        print(f"{source}: " + "; ".join(
            f"at {t:.4f} refuses {sum(c.share > t for c in answerable)} of {len(answerable)} answerable, "
            f"catches {sum(c.share > t for c in unanswerable)} of {len(unanswerable)} unanswerable"
            for t in dict.fromkeys([current, suggested])
        ))  # fmt: skip
    print("max_unnamed  answerable refused  unanswerable caught  balanced accuracy")
    for r in rows:
        print(f"{r['max_unnamed']:11.4f}  {r['answerable_refused']:18.4f}  {r['unanswerable_caught']:19.4f}"
              f"  {r['balanced_accuracy']:17.4f}")  # fmt: skip
    result = {"suggested_max_unnamed": suggested, "current_max_unnamed": current}
    print(json.dumps(result))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        questions = [vars(c) | {"share": round(c.share, 4)} for c in counted]
        (args.out / "names_calibration.json").write_text(json.dumps({**result, "table": rows, "questions": questions},
                                                                    indent=1), encoding="utf-8")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
