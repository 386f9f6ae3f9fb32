"""The min_claims calibration's arithmetic: AUC, the threshold table and the suggestion."""

from __future__ import annotations

import pytest

from eval.calibrate_claims import auc, suggest, table


def test_auc_counts_pairs_ordered_right_and_ties_half() -> None:
    assert auc([0.9, 0.8, 0.1, 0.2], [True, True, False, False]) == 1.0
    assert auc([0.1, 0.2, 0.9, 0.8], [True, True, False, False]) == 0.0
    assert auc([0.5, 0.5], [True, False]) == 0.5
    with pytest.raises(ValueError, match="gold yes and gold no"):
        auc([0.5, 0.6], [True, True])


def test_the_table_gives_accuracy_and_balanced_accuracy_at_each_score() -> None:
    # three gold yes (0.9, 0.6, 0.3), one gold no (0.4): "yes" at or above the threshold
    rows = table([0.9, 0.6, 0.3, 0.4], [True, True, True, False])
    assert [r["min_claims"] for r in rows] == [0.3, 0.4, 0.6, 0.9]
    at = {r["min_claims"]: r for r in rows}
    assert at[0.3]["accuracy"] == 0.75 and at[0.3]["balanced_accuracy"] == 0.5  # all yes
    assert at[0.6]["accuracy"] == 0.75 and at[0.6]["balanced_accuracy"] == pytest.approx(0.8333, abs=1e-4)
    assert suggest(rows) == 0.6  # balanced accuracy, not accuracy, which ties 0.3 (always "yes") with it


def test_a_tie_suggests_the_lowest_threshold() -> None:
    rows = [{"min_claims": 0.5, "balanced_accuracy": 0.7}, {"min_claims": 0.3, "balanced_accuracy": 0.7}]
    assert suggest(rows) == 0.3
