"""Scoring's view of verification (drafts kept and cut) and conversation records, by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ask import ABSTAIN_TEXT, Answer, Citation, Timings
from eval.scoring import (
    Gold,
    GoldFormatError,
    contains_answer,
    good_citations,
    load_gold,
    quote_holds_answer,
    verifier_table,
)

ASKED = Timings(0.1, 0.1, 0.5, 1.0)


def answer(text: str, raw: str, abstained: bool = False, extractive: bool = False, asked: bool = True) -> Answer:
    return Answer("q", "q", text, [], abstained, [], "m", raw=raw, timings=ASKED if asked else Timings(),
                  extractive=extractive)  # fmt: skip


TRADE = Gold("g", "How much was trade?", ("680 million",), ("a.txt",), False)
SILENT = Gold("u", "What is the population?", (), (), True)


def test_the_verifier_table_by_hand() -> None:
    results = [
        (TRADE, answer("$680 million [1]", "It was $680 million [1]"), []),  # right, kept
        (TRADE, answer(ABSTAIN_TEXT, "It was $680 million [1]", abstained=True), []),  # right, cut
        (TRADE, answer("$220 million [1]", "$220 million [1]"), []),  # wrong, kept
        (TRADE, answer(ABSTAIN_TEXT, "$220 million [1]", abstained=True), []),  # wrong, cut
        (TRADE, answer("Trade reached $680 million. [1]", "$220 million", extractive=True), []),  # wrong, cut (quoted)
        (SILENT, answer(ABSTAIN_TEXT, "About 66 million [1]", abstained=True), []),  # invented, cut
        (SILENT, answer("66 million [1]", "66 million [1]"), []),  # invented, kept
        (SILENT, answer(ABSTAIN_TEXT, ABSTAIN_TEXT, abstained=True), []),  # abstained, kept
        (SILENT, answer(ABSTAIN_TEXT, "", abstained=True, asked=False), []),  # never asked
    ]
    figures = verifier_table(results)
    assert figures["verifier"] == {"right_kept": 2, "right_cut": 1, "wrong_kept": 2, "wrong_cut": 3, "not_asked": 1}
    assert figures["draft_accuracy"] == pytest.approx(3 / 8)
    assert figures["verifier_keeps_right"] == pytest.approx(2 / 3)
    assert figures["verifier_cuts_wrong"] == pytest.approx(3 / 5)


def cited(path: str, passage: str) -> Citation:
    return Citation(
        1, "d", "T", None, None, f"/articles/{path}", None, 0, len(passage), passage, passage, 0, len(passage)
    )


def test_a_citation_is_good_where_its_passage_holds_the_answer_in_a_gold_source() -> None:
    trade = answer("$680 million [1]", "$680 million [1]")
    trade.citations.extend(
        [cited("a.txt", "Trade reached $680 million."), cited("a.txt", "Investment was $220 million."),
         cited("b.txt", "Trade reached $680 million.")]
    )  # fmt: skip
    assert good_citations(trade, TRADE) == [True, False, False]
    # A yes or no is written in no passage (and "no" in many by chance): the gold source decides.
    held = Gold("y", "Was it held by video link?", ("yes",), ("a.txt",), False)
    yes = answer("Yes. [1] [2]", "Yes")
    yes.citations.extend([cited("a.txt", "It was held via video link."), cited("b.txt", "There was no video.")])
    assert good_citations(yes, held) == [True, False]


def test_a_possessive_or_punctuation_outside_ascii_does_not_hide_an_answer() -> None:
    assert contains_answer("Mao Zedong's hometown is Hunan.", ("Mao Zedong",))
    assert contains_answer("It is Hunan’s.", ("Hunan",)) and contains_answer("Hunan", ("Hunan's",))
    assert not contains_answer("Mao Zedongs were", ("Mao Zedong",)) and not contains_answer("Maoist", ("Mao",))
    assert contains_answer("In line with the principle of ‘mutual benefit’, we will…", ("mutual benefit",))
    assert contains_answer("«Liu Xiaoming» spoke.", ("Liu Xiaoming",)) and not contains_answer("Liu—Xiao", ("Liu",))


def highlighted(passage: str, quote: str) -> Citation:
    start = passage.index(quote)
    return Citation(
        1, "d", "T", None, None, "/articles/a.txt", None, 0, len(passage), passage, quote, start, start + len(quote)
    )


def test_the_highlight_holds_the_answer_where_its_sentence_writes_it() -> None:
    passage = "In 2018, trade reached $680 million. Hunan was home to $220 million paid-in investment."
    investment = Gold("i", "How much was paid in?", ("220 million",), ("a.txt",), False)
    right = answer("$220 million [1]", "$220 million [1]")
    right.citations.append(highlighted(passage, "Hunan was home to $220 million paid-in investment."))
    assert quote_holds_answer(right, investment) is True
    elsewhere = answer("$220 million [1]", "$220 million [1]")
    elsewhere.citations.append(highlighted(passage, "In 2018, trade reached $680 million."))
    assert quote_holds_answer(elsewhere, investment) is False
    # Not counted: a wrong answer, an abstention, an unanswerable question, a yes or no.
    wrong = answer("$680 million [1]", "$680 million [1]")
    wrong.citations.append(highlighted(passage, "In 2018, trade reached $680 million."))
    assert quote_holds_answer(wrong, investment) is None
    assert quote_holds_answer(answer(ABSTAIN_TEXT, "", abstained=True), investment) is None
    assert quote_holds_answer(right, SILENT) is None
    assert quote_holds_answer(answer("Yes. [1]", "Yes"), Gold("y", "Was it paid?", ("yes",), ("a.txt",), False)) is None


def test_a_conversation_record_keeps_its_earlier_turns(tmp_path: Path) -> None:
    turn = {"id": "c1", "turns": ["Who signed?", "And for the UK?"], "question": "And for the UK?",
            "answers": ["Jo Johnson"], "sources": ["003.txt"], "unanswerable": False}  # fmt: skip
    (tmp_path / "c.jsonl").write_text(json.dumps(turn))
    (gold,) = load_gold(tmp_path / "c.jsonl")
    assert gold.question == "And for the UK?" and gold.before == ("Who signed?",)
    (tmp_path / "bad.jsonl").write_text(json.dumps({**turn, "question": "Something else?"}))
    with pytest.raises(GoldFormatError, match="turns must end with the question"):
        load_gold(tmp_path / "bad.jsonl")


GOLD_FILES = sorted((Path(__file__).parent.parent / "eval" / "gold").glob("*.jsonl"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_the_gold_files_load(path: Path) -> None:
    rows = load_gold(path)
    assert len({g.id for g in rows}) == len(rows)
    assert all(g.unanswerable == (not g.answers) for g in rows)
