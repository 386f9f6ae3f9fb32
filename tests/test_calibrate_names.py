"""eval.calibrate_names: the names it counts, its table and suggestion, and a bad gold file."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import Config
from eval import calibrate_names
from eval.calibrate_names import Counted, count, suggest, table


def counted(unanswerable: bool, n_names: int, n_unnamed: int) -> Counted:
    return Counted("x", "q?", unanswerable, n_names, tuple(f"name {i}" for i in range(n_unnamed)))


def test_the_names_the_selected_articles_never_mention_are_counted(retriever) -> None:
    question = "Which company signed a memorandum with Zhuzhou, as Narnia Daily and Gondor Post said?"
    c = count("seeds", question, False, retriever, Config().answer)
    assert c.n_names == 3 and c.unnamed == ("gondor post", "narnia daily") and c.share == pytest.approx(2 / 3)
    assert count("seeds", "Who signed for AstraZeneca in Zhuzhou?", False, retriever, Config().answer).unnamed == ()
    dated = count("seeds", "Who signed for AstraZeneca in Zhuzhou in 1990?", False, retriever, Config().answer)
    assert dated.n_names == 3 and dated.unnamed == ("1990",)  # numbers count with the names


def test_the_table_and_the_suggested_threshold() -> None:
    questions = [
        counted(False, 4, 0),
        counted(False, 4, 1),
        counted(False, 2, 1),
        counted(True, 3, 2),
        counted(True, 2, 2),
    ]
    rows = {r["max_unnamed"]: r for r in table(questions)}
    assert sorted(rows) == [0.0, 0.25, 0.5, 2 / 3, 1.0]  # 0, and every share seen
    assert rows[0.0]["answerable_refused"] == pytest.approx(2 / 3, abs=1e-4) and rows[0.0]["unanswerable_caught"] == 1.0
    assert rows[0.5]["answerable_refused"] == 0 and rows[0.5]["unanswerable_caught"] == 1.0  # "share > 0.5": 2/3, 1
    assert rows[1.0]["unanswerable_caught"] == 0 and rows[1.0]["balanced_accuracy"] == 0.5
    assert suggest(list(rows.values()), keep=0.5) == 0.5  # the lowest of the best (0.5 and 2/3 judge all five right)
    assert suggest(list(rows.values()), keep=0.2) == 0.5  # the best keeps all answerable questions anyway
    # unanswerable questions that lack one name of four, like one answerable question: "share > 0"
    # judges best (refuses 1 of 3 answerable, catches all) unless a third is too many to refuse
    lacking = [counted(False, 4, 0), counted(False, 4, 0), counted(False, 4, 1), *[counted(True, 4, 1)] * 3]
    assert suggest(table([*lacking, counted(True, 2, 2)]), keep=0.5) == 0.0
    assert suggest(table([*lacking, counted(True, 2, 2)]), keep=0.9) == 0.25
    with pytest.raises(ValueError, match="answerable and unanswerable"):
        table([counted(False, 2, 0)])


def test_a_bad_gold_file_is_named(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "g.jsonl"
    bad.write_text('{"id": "a", "question": "Who?"}\nnot json\n', encoding="utf-8")
    assert calibrate_names.main(["--gold", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "g.jsonl" in err
