"""Follow-up questions: condensed through the model into a question that stands alone, and used
only if the rewrite still asks what the follow-up asks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ask import Pipeline
from config import Config
from tests.answering import TRADE
from tests.fakes import ScriptedModel, number_of, shown_numbers


def test_follow_up_is_condensed_through_the_model(retriever) -> None:
    def script(m):
        if "Rewrite the last question" in m[-1]["content"]:
            assert "Hunan and the UK" in m[-1]["content"] and "And in 2018?" in m[-1]["content"]
            return "How much was trade between Hunan and the UK in 2018?\n"
        return f"Trade reached $680 million in 2018 [{number_of(m, '$680')}]."

    model = ScriptedModel(script)
    history = [("What do the articles say about Hunan and the UK?", "They cooperate on trade [1].")]
    answer = Pipeline(retriever, model, Config().answer).answer("And in 2018?", history=history)
    assert answer.standalone_question == TRADE and answer.question == "And in 2018?"
    assert not answer.abstained and "$680 million" in answer.text
    assert len(model.prompts) == 2


def test_a_follow_up_rewritten_into_a_statement_is_not_used(retriever) -> None:
    """The rewrite "AstraZeneca plans to promote its products in Hunan." answers instead of asking:
    the follow-up is searched and answered with the question before it instead."""

    def script(m):
        if "Rewrite the last question" in m[-1]["content"]:
            return "AstraZeneca plans to promote its products in Hunan.\n"
        return f"It planned to promote the internet of things in health [{number_of(m, 'internet of things')}]."

    history = [("Which British pharmaceutical company signed a memorandum with Zhuzhou?", "AstraZeneca [1].")]
    model = ScriptedModel(script)
    follow_up = "What did it plan to promote in Hunan?"
    answer = Pipeline(retriever, model, Config().answer).answer(follow_up, history=history)
    assert answer.standalone_question == f"{history[0][0]} {follow_up}"
    assert "internet of things" in answer.text
    # The model is asked the follow-up alone, the question before it shown apart as already answered.
    asked = model.prompts[1][-1]["content"]
    assert asked.endswith(f"Earlier question (already answered): {history[0][0]}\nQuestion: {follow_up}")


def test_a_yes_no_follow_up_is_weighed_as_it_would_be_asked(retriever) -> None:
    """A yes/no follow-up whose rewrite is refused is weighed alone, the question before it shown
    apart as already answered (not the two questions run together)."""

    def script(m):
        return "He signed it in London.\n"  # a statement, not a question: the rewrite is refused

    weighed = []

    def judge(m):
        weighed.append(m[-1]["content"])
        return 0.2

    history = [("Who signed the 2017 science and innovation memorandum for the UK?", "Jo Johnson [1].")]
    model = ScriptedModel(script, judge)
    follow_up = "Did he sign it in Beijing?"
    answer = Pipeline(retriever, model, Config().answer).answer(follow_up, history=history)
    assert answer.standalone_question == f"{history[0][0]} {follow_up}"
    assert weighed and weighed[0].endswith(
        f"Earlier question (already answered): {history[0][0]}\nQuestion: {follow_up}\n\n"
        "Answer with one word: yes or no."
    )
    assert answer.text.startswith("No.") and not answer.abstained  # P(yes) 0.2


@pytest.mark.parametrize("min_alone", [0.0, 99.0])
def test_a_follow_up_that_stands_alone_is_asked_alone(retriever, min_alone: float) -> None:
    """A second question that changes the subject, whose rewrite is refused, is searched and asked
    alone when its best sentence searched alone scores `min_alone` or more; otherwise it is
    searched with the question before it, that question shown apart."""

    def script(m):
        if "Rewrite the last question" in m[-1]["content"]:
            return "AstraZeneca planned to promote the internet of things.\n"  # refused: a statement
        return f"The fund has supported 460 collaborative projects [{number_of(m, '460')}]."

    history = [("What did AstraZeneca plan to promote in Hunan?", "The internet of things in health [1].")]
    follow_up = "How many collaborative projects has the China-UK Research and Innovation Partnership Fund supported?"
    model = ScriptedModel(script)
    settings = replace(Config().answer, min_alone=min_alone)
    answer = Pipeline(retriever, model, settings).answer(follow_up, history=history)
    asked = model.prompts[1][-1]["content"]
    if min_alone == 0.0:
        assert answer.standalone_question == follow_up and "Earlier question" not in asked
    else:
        assert answer.standalone_question == f"{history[0][0]} {follow_up}" and "Earlier question" in asked
    assert "460" in answer.text


@pytest.mark.parametrize(
    ("follow_up", "rewritten", "kept"),
    [
        ("What did it plan to promote?", "What did AstraZeneca plan to promote in Hunan?", True),
        ("What did it plan to promote?", "AstraZeneca planned to promote its products.", False),  # a statement
        ("What did it plan to promote?", "Did AstraZeneca plan to promote anything?", False),  # asks another thing
        ("And how much paid-in investment?", "How much paid-in investment did the UK have in Hunan?", True),
        ("Since when?", "Since when has the fund supported projects?", True),
        ("And for the UK?", "Who signed it for the UK?", True),  # no question word to keep
    ],
)
def test_a_rewrite_must_ask_what_the_follow_up_asks(follow_up: str, rewritten: str, kept: bool) -> None:
    from ask.followups import still_asks

    assert still_asks(follow_up, rewritten) is kept


def test_a_follow_ups_answer_is_judged_with_every_passage_shown(retriever) -> None:
    """Asked alone, an answer is judged on the passage it cites; asked as a follow-up, with every
    passage the model was shown, and held to `min_support_shown`: its cited passage alone holds
    too little of what the conversation was about (README, "Answering"). A question naming
    several sources is judged as a follow-up is (tests/test_sources.py)."""
    judged: list[list[str]] = []

    def judge(m: list[dict]) -> float:
        judged.append(shown_numbers(m))
        return 0.47  # between min_support_shown (0.45) and min_support (0.50)

    def script(m: list[dict]) -> str:
        if "Rewrite the last question" in m[-1]["content"]:
            return "How much was trade between Hunan and the UK in 2018?\n"
        return f"Trade reached $680 million in 2018 [{number_of(m, '$680')}]."

    settings = replace(Config().answer, passage_margin=9.0)  # every selected passage shown
    history = [("What do the articles say about Hunan and the UK?", "They cooperate on trade [1].")]
    model = ScriptedModel(script, judge)
    follow_up = Pipeline(retriever, model, settings).answer("And in 2018?", history=history)
    shown = shown_numbers(model.prompts[1])
    assert len(shown) > 1 and judged and all(numbers == shown for numbers in judged)
    assert not follow_up.abstained and "$680 million" in follow_up.text
    judged.clear()
    alone = Pipeline(retriever, ScriptedModel(script, judge), settings).answer(TRADE)
    assert judged and all(len(numbers) == 1 for numbers in judged)
    assert alone.abstained and "P(yes) 0.47" in alone.removed[-1]
