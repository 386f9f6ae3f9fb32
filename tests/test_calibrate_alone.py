"""eval.calibrate_alone: the score it reads, its separation and quantile, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from ask.followups import alone_score
from config import Config
from eval import calibrate_alone
from eval.calibrate_alone import auc, quantile


def test_a_question_that_stands_alone_retrieves_better_than_a_follow_up(retriever) -> None:
    settings = Config().answer
    standing = alone_score("How much was trade between Hunan and the UK in 2018?", retriever, settings)
    leaning = alone_score("And when was it?", retriever, settings)
    assert standing > leaning >= 0.0


def test_separation_and_quantile() -> None:
    assert auc([0.9, 0.8], [0.1, 0.2]) == 1.0
    assert auc([0.5], [0.5]) == 0.5  # a tie counts half
    assert auc([0.1], [0.9, 0.2]) == 0.0
    assert quantile([0.4, 0.1, 0.3, 0.2, 0.5], 0.5) == 0.3
    assert quantile([0.4, 0.1, 0.3, 0.2, 0.5], 1.0) == 0.5
    with pytest.raises(ValueError, match="to compare"):
        auc([], [0.1])


def test_bad_input_is_one_clear_error(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    assert calibrate_alone.main(["--gold", str(bad)]) == 2
    assert calibrate_alone.main(["--quantile", "1.5"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err
