"""eval.context: is a gold answer in the passages the model would be shown (fake embedder, seed articles)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from config import Config
from eval.context import gold_questions, report, shown_has_answer

TRADE = "How much was trade between Hunan and the UK in 2018?"


def test_gold_questions_keep_answerable_ones_with_answers_other_than_yes_or_no(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "question": TRADE, "answers": ["680 million"], "sources": [], "unanswerable": False},
        {"id": "b", "question": "Did Hunan trade?", "answers": ["Yes"], "sources": [], "unanswerable": False},
        {"id": "c", "question": "What is the population of Mars?", "answers": [], "sources": [], "unanswerable": True},
        {"id": "d", "turns": ["Who signed with Zhuzhou?", "When?"], "question": "When?", "answers": ["2018"],
         "sources": [], "unanswerable": False},
    ]  # fmt: skip
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    assert gold_questions(path) == [("a", TRADE, ("680 million",)), ("d", "Who signed with Zhuzhou? When?", ("2018",))]


def test_the_answer_is_found_in_the_passages_shown_and_only_there(retriever) -> None:
    settings = Config().answer
    found = shown_has_answer(TRADE, ("680 million",), retriever, settings)
    assert found["shown"] and found["tokens"] > 0 and 1 <= found["passages"] <= settings.max_passages
    assert not shown_has_answer(TRADE, ("a figure no article gives",), retriever, settings)["shown"]
    assert shown_has_answer(TRADE, ("680 million",), retriever, replace(settings, max_passages=1))["passages"] == 1


def test_report_counts_and_an_empty_set(retriever) -> None:
    asked = [("a", TRADE, ("680 million",)), ("b", TRADE, ("a figure no article gives",))]
    figures = report(asked, retriever, Config().answer)
    assert (figures["questions"], figures["shown"], figures["share"]) == (2, 1, 0.5)
    assert [r["id"] for r in figures["rows"]] == ["a", "b"]
    assert report([], retriever, Config().answer)["share"] is None
