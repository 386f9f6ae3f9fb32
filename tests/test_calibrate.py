"""Choosing the judge's threshold from labelled answers (eval/calibrate.py)."""

from __future__ import annotations

import json
from pathlib import Path

from eval.calibrate import labelled, suggest, sweep


def test_the_threshold_keeps_enough_right_answers_and_cuts_the_most_wrong() -> None:
    points = [(0.9, True), (0.8, True), (0.7, True), (0.6, True), (0.55, False), (0.4, False), (0.2, False)]
    table = sweep(points, steps=10)
    by = {round(r["threshold"], 1): r for r in table}
    assert by[0.6]["keeps_right"] == 1.0 and by[0.6]["cuts_wrong"] == 1.0
    assert by[0.8]["keeps_right"] == 0.5 and by[0.0]["cuts_wrong"] == 0.0
    assert round(suggest(table, 0.95, 4, 3)["threshold"], 1) == 0.6  # all 7 rightly judged
    many_wrong = sweep([(0.9, True), (0.6, True), *[(0.5, False)] * 10], steps=10)
    assert round(suggest(many_wrong, 0.4, 2, 10)["threshold"], 1) == 0.6  # cutting 10 wrong is worth 0 right lost
    assert round(suggest(many_wrong, 0.4, 2, 10)["keeps_right"], 1) == 1.0
    lopsided = sweep([(0.9, True), *[(0.45, True)] * 10, (0.5, False)], steps=10)
    assert suggest(lopsided, 0.0, 11, 1)["threshold"] == 0.0  # not 10 right answers lost for 1 wrong one cut


def test_multihop_answers_are_labelled_by_the_strict_rule(tmp_path: Path) -> None:
    rows = [
        {"answer": "Yes. [1]", "gold": "Yes", "type": "comparison_query", "support": 0.9, "abstained": False},
        {"answer": "No. [1]", "gold": "Yes", "type": "comparison_query", "support": 0.7, "abstained": False},
        {"answer": "Nova. [2]", "gold": "Insufficient information.", "type": "null_query", "support": 0.6,
         "abstained": False},
        {"answer": "The articles don't say.", "gold": "Yes", "type": "inference_query", "support": None,
         "abstained": True},
    ]  # fmt: skip
    (tmp_path / "answers.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert labelled(tmp_path) == [(0.9, True, False), (0.7, False, False), (0.6, False, False)]
