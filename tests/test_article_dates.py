"""An article's date backs an answer's date only whole: the verifier with the fake embedder and a
scripted model, on the seed articles (tests/answering.py)."""

from __future__ import annotations

import pytest

from ingest.metadata import written_dates
from tests.answering import ask
from tests.fakes import number_of


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("It was published on August 5, 2019.", ["August 5, 2019"]),
        ("5 Aug 2019 and Aug. 5 and 2019-08-05", ["5 Aug 2019", "Aug. 5", "2019-08-05"]),
        ("On August 5th it said so.", ["August 5th"]),
        ("founded in 2019, for 5 years, in August", []),
        ("August 6, 2019 or August 5, 2018 or May 5", []),
    ],
)
def test_written_dates_are_the_whole_date(text: str, found: list[str]) -> None:
    assert [text[s:e] for s, e in written_dates("2019-08-05", text)] == found


def test_not_a_date_is_never_written() -> None:
    assert written_dates(None, "August 5, 2019") == written_dates("2019", "2019") == []


@pytest.mark.parametrize(
    "invented",
    ["The 48 Group Club was founded in 2019", "Stephen Perry has chaired The 48 Group Club for 1 year"],
)
def test_a_year_or_day_of_the_articles_date_is_not_a_fact_of_its_passages(retriever, invented: str) -> None:
    """The summit article is dated 2019-04-01; neither 2019 nor 1 is in its text."""
    _, answer, _ = ask(
        retriever, "When was The 48 Group Club founded?", lambda m: f"{invented} [{number_of(m, '48 Group Club')}]."
    )
    assert invented not in answer.text
    assert any(r.startswith(invented) and "a number is not in the passage" in r for r in answer.removed)


def test_the_articles_date_written_whole_answers_when_it_was_published(retriever) -> None:
    def reply(m):
        return f"China Daily published the article on August 5, 2019 [{number_of(m, '3 trillion club')}]."

    question = "When was the China Daily article about the '3 trillion club' published?"
    _, answer, _ = ask(retriever, question, reply)
    assert not answer.abstained and "August 5, 2019" in answer.text, answer.removed
