"""The MultiHop-RAG split rule, relevance rule and ranking metrics."""

from __future__ import annotations

import pytest

from config import Config
from eval.benchmark import BenchmarkMissing, load_queries, ranking_metrics, relevant, require
from eval.scoring import percentile, strip_markers


def test_relevance_ignores_spaces_and_newlines_only() -> None:
    fact = "The group reported $76 million in subscription revenue in 2021."
    assert relevant("Before. The group reported $76\nmillion in subscription  revenue in 2021. After.", (fact,))
    assert not relevant("The group reported $76 million in subscription revenue in 2022.", (fact,))
    assert not relevant("the group reported $76 million in subscription revenue in 2021.", (fact,))  # case counts
    assert relevant("x Ab c", ("nope", "A b"))


def test_ranking_metrics_by_hand() -> None:
    rows = [
        [True, False, False],  # rank 1
        [False, False, False, True],  # rank 4
        [False] * 4 + [True] + [False] * 5,  # rank 5: misses hits@4
        [False] * 10,  # none
    ]
    m = ranking_metrics(rows)
    assert m["mrr@10"] == pytest.approx((1 + 1 / 4 + 1 / 5 + 0) / 4)
    assert m["hits@4"] == 0.5 and m["hits@10"] == 0.75
    assert ranking_metrics([[False, True, True]])["map@10"] == pytest.approx((1 / 2 + 2 / 3) / 2)


def test_missing_benchmark_is_named(tmp_path) -> None:
    with pytest.raises(BenchmarkMissing, match=r"corpus\.json"):
        require(tmp_path)


def test_splits_follow_the_readme() -> None:
    bench = Config().benchmark_dir
    try:
        require(bench)
    except BenchmarkMissing:
        pytest.skip("MultiHop-RAG benchmark not present in ../shared")
    test = load_queries(bench, "test", include_null=True)
    dev = load_queries(bench, "dev", include_null=True)
    assert (len(dev), len(test)) == (1917, 639)
    assert [q.position for q in test[:3]] == [0, 4, 8]
    assert all(q.position % 4 for q in dev)
    assert all(q.facts for q in load_queries(bench, "test"))


@pytest.mark.parametrize(
    ("prediction", "gold", "lenient_ok", "strict_ok"),
    [
        ("Sam Bankman-Fried [1]", "Sam Bankman-Fried", True, True),
        ("Bankman-Fried did it.", "Sam Bankman-Fried", True, False),
        ("Yes, both report it.", "Yes", True, True),
        ("The company is Google.", "Google", True, True),
        ("Insufficient information.", "Insufficient information.", True, True),
        ("No.", "Yes", False, False),
    ],
)
def test_multihop_answer_rules(prediction: str, gold: str, lenient_ok: bool, strict_ok: bool) -> None:
    from eval.multihop_answers import lenient, strict

    assert lenient(strip_markers(prediction), gold) is lenient_ok
    assert strict(strip_markers(prediction), gold) is strict_ok


def test_percentile_takes_a_quantile_not_a_percent() -> None:
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0 and percentile([3.0, 1.0, 2.0], 1.0) == 3.0
    assert percentile([], 0.5) is None
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile([1.0, 2.0], 50)
