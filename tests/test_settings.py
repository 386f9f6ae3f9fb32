"""The one parser of typed dates and filters (CLI, page and API), and settings that must be known."""

from __future__ import annotations

import pytest

from config import Config
from index.settings import BadSetting, Filters, SearchSettings, date_bound, make_filters


@pytest.mark.parametrize(
    ("typed", "start", "end"),
    [
        ("2020", "2020-01-01", "2020-12-31"),
        ("2019-08", "2019-08-01", "2019-08-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),  # a leap year's February
        ("2023-2", "2023-02-01", "2023-02-28"),
        ("2019-04-01", "2019-04-01", "2019-04-01"),
        (" 2019-4-1 ", "2019-04-01", "2019-04-01"),
        (2021, "2021-01-01", "2021-12-31"),  # a JSON number from the API
        ("", None, None),
        (None, None, None),
    ],
)
def test_dates_become_bounds(typed, start: str | None, end: str | None) -> None:
    assert date_bound(typed, end=False) == start
    assert date_bound(typed, end=True) == end


@pytest.mark.parametrize("typed", ["2019-13-45", "2019-02-30", "2019-00", "last week", "20190401", "2019/04/01"])
def test_what_is_not_a_calendar_date_is_refused(typed: str) -> None:
    with pytest.raises(BadSetting, match="date"):
        date_bound(typed, end=False)


def test_filters_from_what_was_typed() -> None:
    assert make_filters("", None, []) is None
    assert make_filters("2020", None, ["PRNewswire"]) == Filters("2020-01-01", None, ("PRNewswire",))
    assert make_filters(None, None, "China Daily").publishers == ("China Daily",)  # one name, not its letters
    with pytest.raises(BadSetting, match="empty"):
        make_filters("2021", "2020", None)
    with pytest.raises(BadSetting, match="list of names"):
        make_filters(None, None, [3])
    with pytest.raises(BadSetting, match="text"):
        make_filters(["2020"], None, None)


def test_an_unknown_fusion_is_refused_not_run_as_another() -> None:
    defaults = Config().search
    assert defaults.fusion == "linear"
    with pytest.raises(BadSetting, match="unknown fusion 'weighted'"):
        SearchSettings(**{**defaults.__dict__, "fusion": "weighted"})
