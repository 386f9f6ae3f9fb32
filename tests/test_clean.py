"""Cleaning of the five seed articles: all article paragraphs kept, all page furniture gone."""

from __future__ import annotations

import pytest

from ingest import chunk, load_corpus
from ingest.clean import clean_scraped
from tests.conftest import SEEDS
from tests.fakes import FakeEmbedder

# Hand-checked, per seed: the lines of the raw file that are not article paragraphs.
NOT_BODY = {
    "000": {
        "furniture": ["Knowing All about Hunan"],
        "header": ["Sino-UK cooperation on innovation leads to a bright future", "Updated:2019-04-01 16:04:14"],
    },
    "001": {
        "furniture": [
            "govt.chinadaily.com.cn",
            "News and Policies",
            "Share - WeChat",
            "< 1 2 3",
            "Copyright©2024 China Daily. All rights reserved.",
            "京ICP备13028878号-6",
            "京公网安 京公网安备 11010502032503号",
        ],
        "header": [
            "New member of '3 trillion club' aims to soar higher on global stage",
            "Updated: Aug 5, 2019 By Cai Hong China Daily Print",
        ],
    },
    "002": {
        "furniture": [
            '• <xmp id="oo2so"><table id="oo2so"></table>',
            "• position: EnglishChannel > Cooperation > Article",
            "By Staff Reporters",
            "Editor: 王曉夏",
            "Top News",
            "• In the 1970s, the International Astronomical Union (IAU) named a lunar crater",
            "China, CIAT Keep Fruitful Cooperation",
            "Juan Lucas Restrepo, director-general of the Alliance of Bioversity International",
            "Starlink:Blurring the Civilian-Military Line",
            "UNESCO defines science as",
        ],
        "header": [
            "First China-UK Industrial Cooperation Dialogue Held",
            "Source: Science and Technology Daily | 2022-06-16 10:01:34 | Author: Staff?Reporters",
        ],
    },
    "003": {
        "furniture": ["Home > Announcement Board"],
        "header": ["China-UK Science and Innovation Cooperation Opens a New Chapter"],
    },
    "004": {"furniture": [], "header": []},
}


def _seed(prefix: str):
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def _raw_lines(prefix: str) -> list[str]:
    lines = _seed(prefix).read_text(encoding="utf-8").splitlines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def _is_listed(line: str, listed: list[str]) -> bool:
    return any(line == x or line.startswith(x) for x in listed)


@pytest.mark.parametrize("prefix", sorted(NOT_BODY))
def test_every_article_paragraph_is_kept(prefix: str) -> None:
    cleaned = clean_scraped(_seed(prefix).read_text(encoding="utf-8"))
    paragraphs = cleaned.text.split("\n\n")
    listed = NOT_BODY[prefix]["furniture"] + NOT_BODY[prefix]["header"]
    expected = [line for line in _raw_lines(prefix) if not _is_listed(line, listed)]
    if prefix == "004":  # the leading "date 2020-07-03" is metadata; the dateline paragraph stays
        expected[0] = expected[0].removeprefix("date 2020-07-03 ")
    assert paragraphs == expected


@pytest.mark.parametrize("prefix", sorted(NOT_BODY))
def test_no_page_furniture_reaches_the_index(prefix: str) -> None:
    corpus = load_corpus([_seed(prefix)])
    (document,) = corpus.documents
    chunks = chunk(document, FakeEmbedder().count_tokens, max_tokens=60)
    indexed = "\n".join(c.search_text for c in chunks)
    for line in NOT_BODY[prefix]["furniture"]:
        assert line.lstrip("• ") not in indexed
    for marker in ("<xmp", "<table", "Copyright", "ICP", "Share - WeChat", "position:", "Top News", "Editor:"):
        assert marker not in indexed


def test_top_news_list_is_cut_but_article_tail_is_kept() -> None:
    text = clean_scraped(_seed("002").read_text(encoding="utf-8")).text
    assert text.endswith(
        "A document regarding achievements of the first industrial cooperation dialogue was signed "
        "by both parties at the meeting."
    )
    assert "Starlink" not in text and "lunar crater" not in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("Home > News > World\nShare\nCopyright 2024 Example News. All rights reserved.", ""),
        ("One short line", ""),  # a lone headline is not a body
        (
            "Headline\nThe only paragraph of this story is right here.",
            "The only paragraph of this story is right here.",
        ),
    ],
)
def test_edge_cases(raw: str, expected: str) -> None:
    assert clean_scraped(raw).text == expected
