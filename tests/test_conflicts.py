"""Conflicting accounts (ask/conflicts.py): another article's different figure, date or place
for what was asked is quoted and cited; agreeing articles, and numbers about something else, are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from ask.conflicts import other_account
from ask.passages import Passage, Sentence
from ask.verify import Supported, Verifier
from ingest import Document
from tests.answering import ask
from tests.fakes import FakeEmbedder, number_of


def test_a_conflicting_account_is_added_and_cited(retriever) -> None:
    question = "Where was the Hunan-UK Future Innovation Summit held?"
    _, answer, _ = ask(retriever, question, lambda m: f"The summit was held in Changsha [{number_of(m, 'Changsha')}].")
    assert not answer.abstained and "Changsha" in answer.text
    assert "Another article differs: “" in answer.text and "London" in answer.text
    (changsha,) = [c for c in answer.citations if "Changsha" in c.quote]
    (london,) = [c for c in answer.citations if "London" in c.quote]
    assert Path(changsha.path).name.startswith("001") and london.doc_id != changsha.doc_id


def test_agreeing_articles_are_no_conflict(retriever) -> None:
    question = "Who was the Chinese ambassador to the UK at the Hunan-UK Future Innovation Summit?"
    _, answer, _ = ask(retriever, question, lambda m: f"It was Liu Xiaoming [{number_of(m, 'Liu Xiaoming')}].")
    assert not answer.abstained and "differs" not in answer.text


@pytest.mark.parametrize(
    ("other", "differs"),
    [
        ("More than 30 Hunan companies took part in the event.", False),  # never speaks of car makers
        ("Hunan has 30 new energy vehicle manufacturers.", True),
    ],
)
def test_another_account_must_be_about_what_was_asked(other: str, differs: bool) -> None:
    question = "How many new energy vehicle manufacturers are there in Hunan?"
    a = Document(id="a", text="There are 13 new energy vehicle manufacturers in Hunan.", title="Hunan cars", path="a")
    b = Document(id="b", text=other, title="A trade fair", path="b")
    s_a, s_b = Sentence(a, 0, len(a.text), 0.9), Sentence(b, 0, len(b.text), 0.8)
    passages = [Passage(1, a, (s_a,)), Passage(2, b, (s_b,))]
    kept = [Supported("There are 13 new energy vehicle manufacturers in Hunan.", passages[0], s_a)]
    account = other_account(kept, [s_a, s_b], passages, question, Verifier(FakeEmbedder(), 0.5, 0.8, 0.0))
    assert (account is not None and account.passage.number == 2) is differs
