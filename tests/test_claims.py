"""Yes/no questions naming several publishers: split into a claim about each, each weighed by the
(scripted) model against its own publisher's passages."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from ask import Pipeline
from ask.claims import Claim, split_claims
from config import Config
from index import Filters, build_index, open_retriever
from index.query import publisher_aliases
from tests.conftest import SEEDS
from tests.fakes import FakeEmbedder, ScriptedModel

ALIASES = publisher_aliases({"TechCrunch", "Fortune", "The Age", "China Daily", "Science and Technology Daily"})
TRUE = ("Does the China Daily article say the driverless bus ran a test in Zhuzhou, while the Science and "
        "Technology Daily article says China and the UK held a dialogue on June 9?")  # fmt: skip
FALSE = TRUE.replace("Zhuzhou", "Shanghai")


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("claims")
    build_index([SEEDS], root / "ix", FakeEmbedder(), chunk_tokens=80)
    return open_retriever(root / "ix", FakeEmbedder(), Config().search)


def claim_judge(messages: list[dict]) -> float:
    """A claim is supported (0.6) when each of its places and dates is in its passages, else 0.02;
    any other question put to it: 0.5."""
    content = messages[-1]["content"]
    if "\nClaim: " not in content:
        return 0.5
    passages, claim = content.split("\nClaim: ")
    facts = re.findall(r"Zhuzhou|Shanghai|June 9", claim)
    return 0.6 if all(f in passages for f in facts) else 0.02


def test_the_question_is_cut_at_the_clause_break_before_each_publisher() -> None:
    question = "Does the TechCrunch article suggest that X raised money, while the Fortune article says Y left?"
    assert split_claims(question, ALIASES) == [
        Claim("Does the TechCrunch article suggest that X raised money", ("TechCrunch",)),
        Claim("while the Fortune article says Y left?", ("Fortune",)),
    ]
    no_comma = "Did The Age report on X before TechCrunch reported on Y?"
    assert [c.text for c in split_claims(no_comma, ALIASES)] == ["Did The Age report on X before", no_comma[31:]]


def test_a_part_with_no_words_of_its_own_is_the_whole_question() -> None:
    question = "Did both China Daily and Science and Technology Daily report on new energy vehicles?"
    assert split_claims(question, ALIASES) == [
        Claim(question, ("China Daily",)),
        Claim("Science and Technology Daily report on new energy vehicles?", ("Science and Technology Daily",)),
    ]


def test_a_question_naming_one_publisher_is_not_split() -> None:
    assert split_claims("Did TechCrunch say that X raised money, and that Y left?", ALIASES) == []
    assert split_claims("Did the age of the company matter?", ALIASES) == []  # not capitalised: not The Age


def test_each_claim_is_weighed_against_its_own_publishers_passages(retriever) -> None:
    model = ScriptedModel(lambda m: "never written", judge=claim_judge)
    answer = Pipeline(retriever, model, Config().answer).answer(TRUE)
    assert answer.text.startswith("Yes. [") and answer.raw == "Yes" and answer.support == pytest.approx(0.6)
    asked = [m[-1]["content"] for m in model.prompts]
    assert len(asked) == 2 and all("\nClaim: " in a for a in asked)  # the whole question is not weighed too
    assert "Zhuzhou" in asked[0].split("\nClaim: ")[1] and "June 9" in asked[1].split("\nClaim: ")[1]
    assert {c.publisher for c in answer.citations} == {"China Daily", "Science and Technology Daily"}
    numbers = {p.number for p in answer.sources}
    assert {c.number for c in answer.citations} <= numbers and len(numbers) == len(answer.sources)


def test_one_unsupported_claim_makes_the_answer_no(retriever) -> None:
    answer = Pipeline(retriever, ScriptedModel(lambda m: "", judge=claim_judge), Config().answer).answer(FALSE)
    assert answer.text.startswith("No. [") and answer.support == pytest.approx(1 - (0.6 + 0.02) / 2)


def test_a_question_whose_main_clause_follows_an_opening_phrase_is_answered_yes_or_no(retriever) -> None:
    opened = (
        "Between the China Daily report on the driverless bus test in Zhuzhou, and the Science and "
        "Technology Daily report on the dialogue held on June 9, did both reports speak of cooperation?"
    )
    model = ScriptedModel(lambda m: "never written", judge=claim_judge)
    answer = Pipeline(retriever, model, Config().answer).answer(opened)
    assert answer.text.startswith("Yes. [") and not any("never written" in a for a in (answer.raw, answer.text))
    assert {c.publisher for c in answer.citations} == {"China Daily", "Science and Technology Daily"}


def test_the_threshold_decides(retriever) -> None:
    strict = replace(Config().answer, min_claims=0.7)
    answer = Pipeline(retriever, ScriptedModel(lambda m: "", judge=claim_judge), strict).answer(TRUE)
    assert answer.text.startswith("No. [")


def test_a_publisher_the_filters_exclude_leaves_the_whole_question_weighed(retriever) -> None:
    model = ScriptedModel(lambda m: "", judge=claim_judge)
    only = Filters(publishers=("China Daily",))
    Pipeline(retriever, model, Config().answer).answer(TRUE, filters=only)
    assert model.prompts and all("\nClaim: " not in m[-1]["content"] for m in model.prompts)
    assert "Answer with one word: yes or no." in model.prompts[0][-1]["content"]


def test_the_rule_decides_how_the_claims_are_taken_together(retriever) -> None:
    """Claims weighed 0.6 and 0.02: their mean (0.31) reaches 0.3, their smallest does not."""
    model = ScriptedModel(lambda m: "", judge=claim_judge)
    by_mean = replace(Config().answer, min_claims=0.3, claims_rule="mean")
    assert Pipeline(retriever, model, by_mean).answer(FALSE).text.startswith("Yes. [")
    by_min = replace(by_mean, claims_rule="min")
    answer = Pipeline(retriever, model, by_min).answer(FALSE)
    assert answer.text.startswith("No. [") and answer.support == pytest.approx(1 - 0.02)
    assert Pipeline(retriever, model, by_min).answer(TRUE).text.startswith("Yes. [")
