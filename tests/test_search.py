"""Hybrid search with a fake embedder: fusion, publisher and date hints, filters."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from index import Filters, Retriever, build_index, load
from index.query import analyze, publisher_aliases
from tests.fakes import FakeEmbedder

RECORDS = [
    ("Chip exports rise", "TechCrunch", "2023-10-01", "Chip exports rose 12 percent in September, the ministry said."),
    ("Chip exports fall", "The Verge", "2023-11-01", "Chip exports fell 3 percent in October after new controls."),
    (
        "Chip makers hire",
        "The Independent - Life and Style",
        "2023-11-02",
        "Chip makers are hiring engineers in large numbers this autumn.",
    ),
    ("Football final", "Sporting News", "2023-10-05", "The final ended two to one after extra time in the rain."),
    ("Chip prices", "Cnbc | World Business News Leader", "2023-12-01", "Chip prices climbed again in November."),
]


@pytest.fixture
def retriever(tmp_path: Path, settings) -> Retriever:
    rows = [{"title": t, "source": s, "published_at": d, "body": b} for t, s, d, b in RECORDS]
    (tmp_path / "c.json").write_text(json.dumps(rows))
    embedder = FakeEmbedder()
    build_index([tmp_path / "c.json"], tmp_path / "ix", embedder, chunk_tokens=60)
    return Retriever(load(tmp_path / "ix"), embedder, settings)


def titles(hits) -> list[str]:
    return [h.document.title for h in hits]


def test_hybrid_search_finds_the_passage(retriever: Retriever) -> None:
    hits = retriever.search("How did the football final end?", k=2)
    assert titles(hits)[0] == "Football final"
    assert hits[0].score >= hits[1].score
    assert hits[0].chunk.text.startswith("The final ended")


def test_named_publisher_comes_first(retriever: Retriever) -> None:
    assert titles(retriever.search("What did The Verge report about chip exports?", k=1)) == ["Chip exports fall"]
    assert titles(retriever.search("What did TechCrunch report about chip exports?", k=1)) == ["Chip exports rise"]
    assert titles(retriever.search("chip news according to CNBC", k=1)) == ["Chip prices"]


def test_two_named_publishers_are_interleaved(retriever: Retriever) -> None:
    hits = retriever.search("Do TechCrunch and The Independent agree about chips?", k=2)
    assert {h.document.publisher for h in hits} == {"TechCrunch", "The Independent - Life and Style"}


def test_named_date_is_boosted(retriever: Retriever) -> None:
    signals = retriever.signals("chip news published on November 1, 2023")
    assert signals.hints.dates == ("2023-11-01",)
    plain = titles(retriever.rank(signals, 5, replace(retriever.settings, date_boost=0.0)))
    boosted = titles(retriever.rank(signals, 5, replace(retriever.settings, date_boost=1.0)))
    assert plain[0] == "Chip prices"  # "November" in its text wins on words alone
    assert boosted[0] == "Chip exports fall"


def test_filters(retriever: Retriever) -> None:
    only_verge = retriever.search("chip exports", k=5, filters=Filters(publishers=("The Verge",)))
    assert titles(only_verge) == ["Chip exports fall"]
    november = retriever.search("chip", k=5, filters=Filters(date_from="2023-11-01", date_to="2023-11-30"))
    assert sorted(titles(november)) == ["Chip exports fall", "Chip makers hire"]
    assert retriever.search("chip", k=5, filters=Filters(date_from="2030-01-01")) == []


def test_nonsense_and_empty_queries(retriever: Retriever) -> None:
    assert retriever.search("", k=3) == [] and retriever.search("   ", k=3) == []
    assert len(retriever.search("qwxz zzvv", k=3)) <= 3  # no crash; dense may still return neighbours


def test_linear_fusion_also_works(retriever: Retriever) -> None:
    retriever.settings = replace(retriever.settings, fusion="linear")
    assert titles(retriever.search("How did the football final end?", k=1)) == ["Football final"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("according to The Verge", ("The Verge",)),
        ("it is on the verge of collapse", ()),
        ("as reported by The Independent", ("The Independent - Life and Style", "The Independent - Sports")),
        ("as reported by The Independent - Sports", ("The Independent - Sports",)),
        ("says CNBC", ("Cnbc | World Business News Leader",)),
        ("in The Age of AI, says 'The Age'", ("The Age",)),
        ("in the age of AI", ()),
    ],
)
def test_publisher_hints(query: str, expected: tuple[str, ...]) -> None:
    aliases = publisher_aliases(
        [
            "The Verge",
            "The Independent - Life and Style",
            "The Independent - Sports",
            "Cnbc | World Business News Leader",
            "The Age",
        ]
    )
    assert analyze(query, aliases).publishers == expected


def test_date_hints() -> None:
    hints = analyze("published on November 1, 2023 and 2023-12-24, not 31 Feb 2023", {})
    assert hints.dates == ("2023-11-01", "2023-12-24")
