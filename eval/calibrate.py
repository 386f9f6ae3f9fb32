"""Choose the judge's threshold on labelled answers: python -m eval.calibrate RUN [RUN ...].

Each RUN is the output folder of `python -m eval --min-support 0` (answers.jsonl beside a
metrics.json naming its gold file) or of `python -m eval.multihop --answers --min-support 0`
(answers.jsonl with the benchmark's labels): every answer the checks kept, with the model's P(yes)
that its passages state it. An answer is right when it holds a gold answer (the strict rule on
MultiHop-RAG) and wrong otherwise, unanswerable questions included. For each threshold the table
gives the share of right answers kept and of wrong answers cut; the suggested threshold leaves
the most answers rightly judged (right ones kept plus wrong ones cut, counted alike), among those
that keep at least --keep of the right ones. Answers in the model's own words and passage
sentences quoted when all of those were cut are two populations, each with its own table and
threshold (`min_support`, `min_support_quoted` in config.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.multihop_answers import strict
from eval.scoring import contains_answer, load_gold, strip_markers


def labelled(run: Path) -> list[tuple[float, bool, bool]]:
    """(P(yes), right, quoted) for every answer of the run that reached the judge."""
    rows = [json.loads(line) for line in (run / "answers.jsonl").read_text(encoding="utf-8").splitlines() if line]
    metrics = json.loads((run / "metrics.json").read_text()) if (run / "metrics.json").is_file() else {}
    gold = {g.id: g for g in load_gold(Path(metrics["gold"]))} if "gold" in metrics else {}
    out = []
    for row in rows:
        if row.get("support") is None or row["abstained"]:
            continue
        text = strip_markers(row["answer"])
        if "gold" in row:  # MultiHop-RAG
            right = row["type"] != "null_query" and strict(text, row["gold"])
        else:
            g = gold[row["id"]]
            right = not g.unanswerable and contains_answer(text, g.answers)
        out.append((float(row["support"]), right, bool(row.get("extractive"))))
    return out


def sweep(points: list[tuple[float, bool]], steps: int = 20) -> list[dict]:
    right = [p for p, ok in points if ok]
    wrong = [p for p, ok in points if not ok]
    table = []
    for i in range(steps):
        t = i / steps
        table.append({
            "threshold": t,
            "keeps_right": sum(p >= t for p in right) / len(right) if right else None,
            "cuts_wrong": sum(p < t for p in wrong) / len(wrong) if wrong else None,
        })  # fmt: skip
    return table


def suggest(table: list[dict], keep: float, n_right: int, n_wrong: int) -> dict:
    """The lowest threshold with the most answers rightly judged that keeps `keep` of the right."""
    allowed = [row for row in table if (row["keeps_right"] or 0) >= keep] or table[:1]
    judged = {id(row): round((row["keeps_right"] or 0) * n_right + (row["cuts_wrong"] or 0) * n_wrong, 6)
              for row in allowed}  # fmt: skip
    return max(allowed, key=lambda row: (judged[id(row)], -row["threshold"]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--keep", type=float, default=0.75, help="share of right answers a threshold must keep")
    args = parser.parse_args(argv)
    points: list[tuple[float, bool, bool]] = []
    for run in args.runs:
        try:
            found = labelled(run)
        except (OSError, KeyError, ValueError) as err:
            print(f"error: {run}: {err}", file=sys.stderr)
            return 2
        print(f"{run}: {sum(ok for _, ok, _ in found)} right, {sum(not ok for _, ok, _ in found)} wrong answers judged")
        points += found
    suggested = {}
    for key, quoted in (("min_support", False), ("min_support_quoted", True)):
        group = [(p, ok) for p, ok, q in points if q == quoted]
        right = sum(ok for _, ok in group)
        print(f"\n{'quoted passage sentences' if quoted else 'the model’s own answers'}: {right} right, "
              f"{len(group) - right} wrong\nthreshold  keeps right  cuts wrong")  # fmt: skip
        table = sweep(group)
        for row in table:
            print(f"{row['threshold']:9.2f}  {row['keeps_right'] or 0:11.3f}  {row['cuts_wrong'] or 0:10.3f}")
        best = suggest(table, args.keep, right, len(group) - right)
        suggested[key] = {"threshold": best["threshold"], "keeps_right": best["keeps_right"],
                          "cuts_wrong": best["cuts_wrong"], "n_answers": len(group)}  # fmt: skip
    print(json.dumps({f"suggested_{k}": v["threshold"] for k, v in suggested.items()} | {"by_kind": suggested}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
