"""Fact extraction used by verification, with hand-checked expectations."""

from __future__ import annotations

import pytest

from ask.facts import answers_kind, counted, key_words, mentioned, names, numbers


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It cost $1,000.50 in 2018, up 28%", {"1000.5", "2018", "28"}),
        ("nine projects and 06 units", {"9", "6"}),
        ("One article says", set()),
        ("", set()),
    ],
)
def test_numbers(text: str, expected: set[str]) -> None:
    assert numbers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lord David Willetts led it.", {"lord david willetts"}),
        ("The Zhuzhou Municipal People's Government signed.", {"zhuzhou municipal people's government"}),
        ("Hunan's exports rose, said Liu.", {"hunan", "liu"}),
        ("Another says it was in Changsha.", {"changsha"}),
        ("Which UK company signed with BBK?", {"uk", "bbk"}),
    ],
)
def test_names(text: str, expected: set[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    ("claim", "question", "expected"),
    [
        ("Trade reached $680 million.", "How much was trade in 2018?", True),
        ("Trade grew in 2018.", "How much was trade in 2018?", False),  # only the question's own number
        ("It happened in October 2017.", "How many buses will CRRC export?", False),  # a year is not a count
        ("It kicks off on July 9th.", "When does the conference kick off?", True),
        ("It kicks off soon.", "When does the conference kick off?", False),
        ("Hunan and the UK are similar in population.", "What is the population of Hunan province?", False),
        ("Liu Xiaoming gave it.", "Who gave the keynote speech?", True),
        ("The ambassador gave it.", "Who gave the keynote speech?", False),
        ("Anything at all.", "Why did they meet?", True),
        # "how much was trade" is answered by a figure for trade, not by any figure
        ("Hunan had $220 million paid-in investment.", "How much was trade between Hunan and the UK?", False),
        ("There are 13 in Hunan.", "How many new energy vehicle manufacturers are there in Hunan?", False),
        ("13 new energy vehicle makers are in Hunan.", "How many new energy vehicle manufacturers are there?", True),
    ],
)
def test_answers_kind(claim: str, question: str, expected: bool) -> None:
    assert answers_kind(claim, question) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How much was trade between Hunan and the UK in 2018?", {"trade"}),
        ("How many collaborative projects has the Fund supported?", {"collabor", "project"}),
        ("By how much did Hunan's exports grow year on year?", {"hunan", "export", "grow"}),
        ("How many?", set()),
        ("Who led the delegation?", set()),
    ],
)
def test_counted(question: str, expected: set[str]) -> None:
    assert counted(question) == expected


def test_key_words_leave_out_the_form_of_the_question() -> None:
    assert key_words("Which philosopher who lived in Hunan 1,000 years ago is quoted?") == {
        "philosoph", "live", "hunan", "ago"
    }  # fmt: skip
    assert key_words("What did Kwasi Kwarteng say about Brexit according to the article?") == {
        "kwasi", "kwarteng", "brexit"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A Sino-UK convention held in London on Thursday aimed to enhance cooperation.", {"london"}),
        ("At the Hunan-UK Future Innovation Summit in Changsha in March, Liu spoke.", {"changsha"}),
        ("Themed Hunan-UK Future Innovation Summit, it helps companies from Hunan.", set()),
    ],
)
def test_places_for_where_questions(text: str, expected: set[str]) -> None:
    from ask.facts import new_facts

    assert new_facts(text, "Where was the Hunan-UK Future Innovation Summit held?") == expected


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("r&d", "it set up research and development centres", True),
        ("uk", "talks with the united kingdom", True),
        ("uk", "talks with the united states", False),
        ("ai", "a new idea", False),
        ("hunan", "in hunan province", True),
        ("xu dazhe", "governor xu said", False),
    ],
)
def test_names_and_spelled_out_acronyms(name: str, text: str, expected: bool) -> None:
    assert mentioned(name, text) is expected


def test_form_words_are_not_key_words() -> None:
    assert key_words("What kind of turbines are being developed?") == {"turbin", "develop"}
    assert key_words("Who wrote the article about the summit?") == {"summit"}
    assert "valu" not in key_words("What was the value of Hunan's imports?")


def test_long_words_match_their_root_short_ones_exactly() -> None:
    from ask.verify import _stem_in

    assert _stem_in("deeper", {"deepen", "cooper"})  # "deeper cooperation" / "deepen cooperation"
    assert not _stem_in("prime", {"primari"}) and not _stem_in("popul", {"popular"})
    assert key_words("What was Kwasi Kwarteng's job title?") == {"kwasi", "kwarteng"}
