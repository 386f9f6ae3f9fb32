"""Choose min_claims on MultiHop-RAG yes/no queries: python -m eval.calibrate_claims [--pool N].

A yes/no question naming several publishers is split into a claim about each (ask/claims.py);
the model weighs each claim against its publisher's passages, and the answer is "yes" when the
claims' P(yes), combined by `AnswerSettings.claims_rule` (mean or min), reaches
`AnswerSettings.min_claims`. This runs exactly that on --pool dev queries whose gold answer is
yes or no and that split into two or more claims, drawn at random (fixed seed) from those outside
the --holdout queries `python -m eval.multihop --sample N` evaluates, so that the threshold is not
chosen on the figures that judge it. Beside it, the model's P(yes) for the whole question (what
the pipeline weighed before) shows what the split is worth. It prints the AUC of the whole
question and of each rule of combining the claims (--rule picks the one the table is for;
default: the configured one) and, for each threshold, the accuracy and balanced accuracy (the
mean of the rates of gold yes and gold no answered right, not swayed by the split's share of yes),
and suggests the threshold with the best balanced accuracy. Needs the benchmark in ../shared
(exits 0 without it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from ask import load_generator
from ask.claims import RULES, combined
from ask.passages import shown_passages
from ask.pipeline import Pipeline, gather
from config import Config
from console import quiet_libraries
from eval.benchmark import BenchmarkMissing, benchmark_retriever, load_queries, require
from eval.multihop import spread
from index import load_embedder


def auc(scores: list[float], positive: list[bool]) -> float:
    """The chance that a random positive scores above a random negative (ties count half)."""
    pos = [s for s, y in zip(scores, positive, strict=True) if y]
    neg = [s for s, y in zip(scores, positive, strict=True) if not y]
    if not pos or not neg:
        raise ValueError("need gold yes and gold no answers to compare")
    return sum((a > b) + 0.5 * (a == b) for a in pos for b in neg) / (len(pos) * len(neg))


def table(scores: list[float], positive: list[bool]) -> list[dict]:
    """For each threshold (every distinct score): "yes" at or above it; accuracy and balanced accuracy."""
    n_pos, n_neg = sum(positive), len(positive) - sum(positive)
    if not n_pos or not n_neg:
        raise ValueError("need gold yes and gold no answers to compare")
    rows = []
    for t in sorted(set(scores)):
        yes_right = sum(s >= t and y for s, y in zip(scores, positive, strict=True))
        no_right = sum(s < t and not y for s, y in zip(scores, positive, strict=True))
        rows.append({"min_claims": round(t, 4), "accuracy": round((yes_right + no_right) / len(scores), 4),
                     "balanced_accuracy": round((yes_right / n_pos + no_right / n_neg) / 2, 4)})  # fmt: skip
    return rows


def suggest(rows: list[dict]) -> float:
    """The threshold with the best balanced accuracy (the lowest, on a tie)."""
    return max(rows, key=lambda r: (r["balanced_accuracy"], -r["min_claims"]))["min_claims"]


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate_claims", description=__doc__.splitlines()[0])
    parser.add_argument("--pool", type=int, default=70, help="how many split yes/no dev queries to weigh")
    parser.add_argument("--holdout", type=int, default=120, help="leave out the queries of eval.multihop --sample N")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--benchmark-dir", type=Path, default=config.benchmark_dir)
    parser.add_argument("--rule", choices=sorted(RULES), default=config.answer.claims_rule,
                        help="the rule of combining the claims' P(yes) that the table is for")  # fmt: skip
    parser.add_argument("--out", type=Path, default=None, help="write claims_calibration.json (every query) here")
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir)
    try:
        corpus = require(args.benchmark_dir)
    except BenchmarkMissing as err:
        print(f"{err}; nothing to calibrate on")
        return 0
    embedder = load_embedder(config.embedder, config.cache_dir)
    retriever = benchmark_retriever(corpus, embedder, config)
    pipeline = Pipeline(retriever, load_generator(config.model, config.backend, config.cache_dir), config.answer)
    dev = load_queries(args.benchmark_dir, "dev", include_null=True)
    held = {q.position for q in spread(dev, args.holdout)}
    pool = [q for q in dev if q.position not in held and q.answer.lower() in ("yes", "no")]
    random.Random(args.seed).shuffle(pool)
    weighed = []
    for q in pool:
        if len(weighed) == args.pool:
            break
        checked = pipeline._claims(q.text, None)  # exactly what the pipeline does with the question
        if not checked:
            continue
        _, sources, passages = gather(q.text, retriever, config.answer)
        whole = pipeline._weigh(q.text, shown_passages(passages, sources, config.answer.passage_margin, q.text))["yes"]
        by_rule = {f"claims_{rule}": combined(checked, rule) for rule in RULES}
        weighed.append({"position": q.position, "type": q.type, "gold_yes": q.answer.lower() == "yes", "whole": whole,
                        "claims": by_rule[f"claims_{args.rule}"], **by_rule,
                        "parts": [[c.claim.text, c.p_yes] for c in checked]})  # fmt: skip
        print(f"\r{len(weighed)}/{args.pool} queries", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    gold = [w["gold_yes"] for w in weighed]
    try:
        rows = table([w["claims"] for w in weighed], gold)
        by_rule = {f"auc_claims_{rule}": round(auc([w[f"claims_{rule}"] for w in weighed], gold), 4) for rule in RULES}
        aucs = {"auc_claims": by_rule[f"auc_claims_{args.rule}"], **by_rule,
                "auc_whole": round(auc([w["whole"] for w in weighed], gold), 4)}  # fmt: skip
    except ValueError as err:
        print(f"error: {err} ({len(weighed)} queries split)", file=sys.stderr)
        return 2
    print(f"{len(weighed)} queries ({sum(gold)} gold yes); whole question at 0.5: accuracy "
          f"{sum((w['whole'] >= 0.5) == w['gold_yes'] for w in weighed) / len(weighed):.3f}")  # fmt: skip
    print("min_claims  accuracy  balanced accuracy")
    for r in rows:
        print(f"{r['min_claims']:10.4f}  {r['accuracy']:8.4f}  {r['balanced_accuracy']:17.4f}")
    result = {"rule": args.rule, "suggested_min_claims": suggest(rows), "current_min_claims": config.answer.min_claims,
              "current_rule": config.answer.claims_rule, **aucs}  # fmt: skip
    print(json.dumps(result))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "claims_calibration.json").write_text(
            json.dumps({**result, "table": rows, "queries": weighed}, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
