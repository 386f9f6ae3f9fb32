"""Choose min_alone on the gold files: python -m eval.calibrate_alone [--gold FILE ...] [--out DIR].

When the model's rewrite of a follow-up is refused, the follow-up is asked alone if it retrieves
as well alone as a question that stands alone: its best sentence, searched alone, scores at least
`AnswerSettings.min_alone` (`ask.followups.alone_score`); otherwise it is searched with the question
before it. This needs no model. The labelled questions are the gold files' own: single-turn
questions and the first turn of each conversation stand alone; the later turns of a conversation
lean on the turns before. It prints how well the score tells them apart (AUC) and suggests the
`--quantile` (default 0.95) of the follow-ups' scores: about 5% of follow-ups reach it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ask.followups import alone_score
from config import Config
from console import quiet_libraries
from eval.benchmark import library_retriever
from eval.scoring import load_gold
from index import load_embedder

GOLD = sorted((Path(__file__).resolve().parent / "gold").glob("*.jsonl"))


def auc(standing: list[float], leaning: list[float]) -> float:
    """The chance that a question that stands alone scores above a follow-up (ties count half)."""
    if not standing or not leaning:
        raise ValueError("need questions that stand alone and follow-ups to compare")
    wins = sum((a > b) + 0.5 * (a == b) for a in standing for b in leaning)
    return wins / (len(standing) * len(leaning))


def quantile(values: list[float], q: float) -> float:
    """The value at rank q of the sorted values (nearest rank below)."""
    ordered = sorted(values)
    return ordered[int(q * (len(ordered) - 1))]


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate_alone", description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, nargs="*", default=GOLD, help="gold files (default: all of eval/gold)")
    parser.add_argument("--quantile", type=float, default=0.95, help="of the follow-ups' scores (default 0.95)")
    parser.add_argument("--out", type=Path, default=None, help="write alone_calibration.json (every question) here")
    args = parser.parse_args(argv)
    if not 0 <= args.quantile <= 1:
        print(f"error: --quantile is between 0 and 1, not {args.quantile}", file=sys.stderr)
        return 2
    quiet_libraries(config.cache_dir)
    try:
        golds = {path.stem: load_gold(path) for path in args.gold}
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    embedder = load_embedder(config.embedder, config.cache_dir)
    library = library_retriever(embedder, config)
    scored = []
    for name, gold in golds.items():
        for g in gold:
            turns = [*g.before, g.question]
            for n, turn in enumerate(turns):
                scored.append({"source": name, "question": turn, "follow_up": n > 0,
                               "score": round(alone_score(turn, library, config.answer), 4)})  # fmt: skip
    standing = [q["score"] for q in scored if not q["follow_up"]]
    leaning = [q["score"] for q in scored if q["follow_up"]]
    try:
        separation = auc(standing, leaning)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    suggested, current = quantile(leaning, args.quantile), config.answer.min_alone
    for t in dict.fromkeys([current, suggested]):
        print(f"at {t:.4f}: {sum(s >= t for s in leaning)} of {len(leaning)} follow-ups and "
              f"{sum(s >= t for s in standing)} of {len(standing)} questions that stand alone reach it")  # fmt: skip
    result = {"suggested_min_alone": suggested, "current_min_alone": current, "auc": round(separation, 4)}
    print(json.dumps(result))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "alone_calibration.json").write_text(json.dumps({**result, "questions": scored}, indent=1),
                                                         encoding="utf-8")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
