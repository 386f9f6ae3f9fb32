"""Metadata of the seeds (title, ISO date, publisher, author) and the date parser."""

from __future__ import annotations

import pytest

from ingest import load_corpus
from ingest.documents import document_id
from ingest.metadata import parse_date, split_byline
from tests.conftest import SEEDS

EXPECTED = {
    "000": ("Sino-UK cooperation on innovation leads to a bright future", "2019-04-01", None, None),
    "001": (
        "New member of '3 trillion club' aims to soar higher on global stage",
        "2019-08-05",
        "China Daily",
        "Cai Hong",
    ),
    "002": (
        "First China-UK Industrial Cooperation Dialogue Held",
        "2022-06-16",
        "Science and Technology Daily",
        "Staff Reporters",
    ),
    "003": ("China-UK Science and Innovation Cooperation Opens a New Chapter", None, None, None),
    "004": ('As a crucial part of "Global Peak on Cloud" section of Nanjing…', "2020-07-03", "PRNewswire", None),
}


@pytest.fixture(scope="module")
def seeds():
    corpus = load_corpus([SEEDS])
    assert not corpus.skipped and not corpus.duplicates
    return {__import__("pathlib").Path(d.path).name[:3]: d for d in corpus.documents}


@pytest.mark.parametrize("prefix", sorted(EXPECTED))
def test_seed_metadata(seeds, prefix: str) -> None:
    doc = seeds[prefix]
    assert (doc.title, doc.published, doc.publisher, doc.author) == EXPECTED[prefix]
    assert doc.path.endswith(".txt") and doc.url is None


def test_ids_are_stable_and_content_derived(seeds) -> None:
    again = {d.path: d.id for d in load_corpus([SEEDS]).documents}
    assert again == {d.path: d.id for d in seeds.values()}
    doc = seeds["000"]
    assert doc.id == document_id(doc.text, doc.title, doc.published, doc.publisher)
    assert document_id(doc.text + " More.", doc.title, doc.published, doc.publisher) != doc.id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Updated:2019-04-01 16:04:14", "2019-04-01"),
        ("Updated: Aug 5, 2019 By Cai Hong", "2019-08-05"),
        ("date 2020-07-03 NANJING, China, July 3, 2020", "2020-07-03"),
        ("2022-06-16 10:01:34", "2022-06-16"),
        ("2023-11-27T08:45:59+00:00", "2023-11-27"),
        ("published on November 1, 2023", "2023-11-01"),
        ("Sept. 9th, 2021", "2021-09-09"),
        ("6 December 2017", "2017-12-06"),
        ("2021/3/4", "2021-03-04"),
        ("2019-02-30 then 2019-03-01", "2019-03-01"),  # an impossible date is passed over
        ("no date here", None),
        ("Mayday 5, 2020", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("byline", "sites", "expected"),
    [
        ("Cai Hong China Daily Print", ["govt.chinadaily.com.cn"], ("Cai Hong", "China Daily")),
        ("Jane Roe Reuters", [], ("Jane Roe", "Reuters")),
        ("Jane Roe", [], ("Jane Roe", None)),
    ],
)
def test_split_byline(byline: str, sites: list[str], expected: tuple) -> None:
    assert split_byline(byline, sites) == expected
