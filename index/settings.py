"""What a search is told: how to fuse (SearchSettings) and what to keep (Filters), and the one
parser of the dates people type for filters (the CLI, the page and the API all use it).

Plain data with no heavy imports, so `config.py` can name the defaults without loading the index.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

FUSIONS = ("linear", "rrf")
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class BadSetting(ValueError):
    """A setting someone typed that cannot be used (a date that is not one, an unknown value)."""


@dataclass(frozen=True)
class Filters:
    """Only documents published in [date_from, date_to] (ISO dates) and by one of `publishers`.
    Documents without a known date are left out when a date bound is set."""

    date_from: str | None = None
    date_to: str | None = None
    publishers: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchSettings:
    """How results are fused; the defaults live in `config.Config`."""

    fusion: str  # "linear" (min-max-normalised scores) or "rrf" (weighted reciprocal rank)
    bm25_weight: float
    dense_weight: float
    rrf_k: int
    publisher_boost: float
    date_boost: float
    candidates: int  # taken from each retriever before fusion
    interleave: bool  # round-robin over the publishers a question names

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise BadSetting(f"unknown fusion {self.fusion!r}: use {' or '.join(FUSIONS)}")


def date_bound(value: str | None, end: bool) -> str | None:
    """A typed date as an ISO bound: "2020" runs from 2020-01-01 to 2020-12-31, "2020-02" to the
    29th. Empty is no bound; anything that is not a real date is a BadSetting."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is not None and not isinstance(value, str):
        raise BadSetting(f"a date must be text such as 2020-05-01, not {type(value).__name__}")
    value = (value or "").strip()
    if not value:
        return None
    m = _DATE.match(value)
    if not m:
        raise BadSetting(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2] or (12 if end else 1)), m[3]
    try:
        last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
        return date(year, month, int(day) if day else (last if end else 1)).isoformat()
    except ValueError:
        raise BadSetting(f"{value!r} is not a date on the calendar") from None


def make_filters(date_from: str | None, date_to: str | None, publishers: Sequence[str] | str | None) -> Filters | None:
    """Filters from what was typed or sent; None when nothing restricts the search. Publishers
    must be a list of names (a bare string is one name, never its letters)."""
    if isinstance(publishers, str):
        publishers = [publishers] if publishers.strip() else []
    names = isinstance(publishers, list | tuple) and all(isinstance(p, str) for p in publishers)
    if publishers is not None and not names:
        raise BadSetting("publishers must be a list of names")
    start, stop = date_bound(date_from, False), date_bound(date_to, True)
    if start and stop and start > stop:
        raise BadSetting(f"the date range is empty: {start} is after {stop}")
    f = Filters(start, stop, tuple(p.strip() for p in publishers or () if p.strip()))
    return None if f == Filters() else f
