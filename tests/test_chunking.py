"""Sentence splitting and token-budgeted chunking, with hand-checked expectations."""

from __future__ import annotations

from itertools import pairwise

import pytest

from ingest import Document, chunk, split_sentences
from tests.fakes import FakeEmbedder

count = FakeEmbedder().count_tokens


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("One", ["One"]),
        ("It rained. Then it stopped.", ["It rained.", "Then it stopped."]),
        ("Mr. Liu met Dr. Wang. They talked.", ["Mr. Liu met Dr. Wang.", "They talked."]),
        ("He moved to the U.K. in 2019. It was cold.", ["He moved to the U.K. in 2019.", "It was cold."]),
        ("Trade with the U.K. The figure rose.", ["Trade with the U.K.", "The figure rose."]),
        ("The U.S. Senate voted. Done.", ["The U.S. Senate voted.", "Done."]),
        ("It cost $1.5 billion. Shares rose 2.5 percent.", ["It cost $1.5 billion.", "Shares rose 2.5 percent."]),
        ("It ranked No. 1 in Asia. Next.", ["It ranked No. 1 in Asia.", "Next."]),
        ("J. K. Rowling wrote it. Fine.", ["J. K. Rowling wrote it.", "Fine."]),
        ('"We agree. It is good," said Liu. He left.', ['"We agree.', 'It is good," said Liu.', "He left."]),
        ('He said "it works." Then he left.', ['He said "it works."', "Then he left."]),
        ("Really? Yes! Sure.", ["Really?", "Yes!", "Sure."]),
        ("Wait... what happened", ["Wait... what happened"]),  # lowercase next word: same sentence
        ("First paragraph without stop\n\nSecond paragraph", ["First paragraph without stop", "Second paragraph"]),
        ("Visit e.g. the museum. Then eat.", ["Visit e.g. the museum.", "Then eat."]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def _doc(text: str) -> Document:
    return Document(id="d1", text=text, title="T", path="x.txt", published="2020-01-02", publisher="P")


def test_chunks_respect_budget_and_offsets() -> None:
    text = " ".join(f"Sentence number {i} has exactly seven tokens." for i in range(30))
    chunks = chunk(_doc(text), count, max_tokens=30, overlap=1)
    assert all(c.text == text[c.start : c.end] for c in chunks)
    assert all(c.n_tokens <= 30 for c in chunks)
    assert [c.id for c in chunks[:2]] == ["d1:0", "d1:1"]
    assert chunks[0].header == "T | 2020-01-02 | P"
    assert chunks[0].search_text.startswith("T | 2020-01-02 | P\n")
    for a, b in pairwise(chunks):
        assert b.start < a.end  # one sentence shared
        assert text[b.start : a.end].count(".") == 1
    assert chunks[-1].end == len(text)
    # every sentence is whole in some chunk
    for s, e in split_sentences(text):
        assert any(c.start <= s and e <= c.end for c in chunks)


def test_no_overlap_when_asked() -> None:
    text = " ".join(f"Sentence {i} is here." for i in range(20))
    chunks = chunk(_doc(text), count, max_tokens=12, overlap=0)
    assert all(b.start > a.end for a, b in pairwise(chunks))


def test_a_sentence_longer_than_the_budget_is_cut_between_words() -> None:
    long = " ".join(f"w{i}" for i in range(100)) + "."
    text = f"Short one. {long} Short two."
    chunks = chunk(_doc(text), count, max_tokens=20)
    assert all(c.n_tokens <= 20 for c in chunks)
    joined = " ".join(c.text for c in chunks)
    assert all(f"w{i}" in joined for i in range(100))
    assert all(
        (c.start == 0 or text[c.start - 1] == " ") and (c.end == len(text) or text[c.end] == " ") for c in chunks
    )


def test_single_sentence_document() -> None:
    (only,) = chunk(_doc("Just one sentence."), count, max_tokens=200)
    assert (only.start, only.end, only.text) == (0, 18, "Just one sentence.")
