"""Questions that name their source (ask/attribution.py): an answer from another outlet's article,
or attributed to a source the articles never mention, abstains."""

from __future__ import annotations

import pytest

from ask.attribution import attributed_name, named_publishers
from index.query import publisher_aliases
from tests.answering import ask
from tests.fakes import number_of

NEV = "how many new energy vehicle manufacturers are there in Hunan?"
INDEPENDENT = {"The Independent - Sports", "The Independent - Life and Style"}
ALIASES = publisher_aliases(["China Daily", "PRNewswire", *INDEPENDENT])


def _thirteen(messages: list[dict]) -> str:
    return f"There are 13 new energy vehicle manufacturers in Hunan [{number_of(messages, '13 new energy')}]."


def test_an_answer_from_the_named_publisher_is_kept(retriever) -> None:
    _, answer, _ = ask(retriever, f"According to China Daily, {NEV}", _thirteen)
    assert not answer.abstained and "13" in answer.text
    assert {c.publisher for c in answer.citations} == {"China Daily"}


def test_an_answer_from_another_publisher_abstains(retriever) -> None:
    _, answer, _ = ask(retriever, f"According to Science and Technology Daily, {NEV}", _thirteen)
    assert answer.abstained
    assert any("none of its citations is an article of Science and Technology Daily" in r for r in answer.removed)


def test_a_source_the_articles_never_mention_abstains(retriever) -> None:
    question = "According to Reuters, how much was trade between Hunan and the UK in 2018?"
    _, answer, _ = ask(retriever, question, lambda m: f"$680 million [{number_of(m, '$680')}].")
    assert answer.abstained
    assert any("never name the source it is attributed to: reuters" in r for r in answer.removed)
    said = "According to Liu Xiaoming, how similar are Hunan province and the UK?"
    _, answer, _ = ask(retriever, said, lambda m: f"They are similar in size [{number_of(m, 'similar in size')}].")
    assert not answer.abstained


@pytest.mark.parametrize(
    ("question", "publishers", "name"),
    [
        ("According to Reuters, how much was trade?", None, "reuters"),
        ("According to the PRNewswire release, who leads the delegation?", {"PRNewswire"}, "prnewswire"),
        ("What did China Daily report about the dialogue?", {"China Daily"}, None),
        ("According to The Independent, who won?", INDEPENDENT, "independent"),
        ("Did China Daily and PRNewswire both report it?", None, None),  # two sources: ask/claims.py
        (
            "According to Commerce Department data cited by China Daily, how much?",
            {"China Daily"},
            "commerce department",
        ),
        ("Who won the match?", None, None),
    ],
)
def test_the_source_a_question_names(question: str, publishers: set[str] | None, name: str | None) -> None:
    assert named_publishers(question, ALIASES) == publishers
    assert attributed_name(question) == name
