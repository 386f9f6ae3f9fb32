"""Questions about several named sources, and yes/no questions weighed by the model (scripted)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ask import Pipeline
from ask.sources import named_sources
from config import Config
from index import build_index, open_retriever
from tests.conftest import SEEDS
from tests.fakes import FakeEmbedder, ScriptedModel, first_sentence, number_of, shown_numbers

BOTH = "Did both China Daily and Science and Technology Daily report on new energy vehicles?"


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("sources")
    build_index([SEEDS], root / "ix", FakeEmbedder(), chunk_tokens=80)
    return open_retriever(root / "ix", FakeEmbedder(), Config().search)


def test_named_sources(retriever) -> None:
    assert named_sources(BOTH, retriever) == [
        ("publisher", "China Daily"), ("publisher", "Science and Technology Daily")
    ]  # fmt: skip
    assert named_sources("What did China Daily report?", retriever) == []  # one source: the fast path


def test_each_named_source_gets_a_passage_shown_to_the_model(retriever) -> None:
    model = ScriptedModel(lambda m: "", judge=lambda m: 0.8)
    answer = Pipeline(retriever, model, Config().answer).answer(BOTH)
    shown = model.prompts[0][-1]["content"]
    assert "China Daily" in shown and "Science and Technology Daily" in shown
    assert {c.publisher for c in answer.citations} == {"China Daily", "Science and Technology Daily"}


def test_a_claim_may_name_every_source_the_question_names(retriever) -> None:
    """A question about several named sources is about several articles: the claim that names
    them all cites one of them, and the other publisher's name is not held against it (a question
    naming one source holds its names to the article cited: ask/verify.unbound_names)."""

    def reply(m: list[dict]) -> str:
        said = "Kwasi Kwarteng and Hunan companies are exploring cooperation with the UK, China Daily and"
        return f"{said} Science and Technology Daily say [{number_of(m, '| China Daily')}]."

    question = "What did China Daily and Science and Technology Daily say about Kwasi Kwarteng?"
    answer = Pipeline(retriever, ScriptedModel(reply), Config().answer).answer(question)
    assert not answer.abstained and answer.text.startswith("Kwasi Kwarteng and Hunan companies are exploring")
    assert [c.publisher for c in answer.citations] == ["China Daily"]  # which never names Kwasi Kwarteng
    one = "What did China Daily say about Kwasi Kwarteng?"  # one source: its article must name him

    def one_reply(m: list[dict]) -> str:  # the words of China Daily's passage, said of Kwasi Kwarteng
        number = number_of(m, "| China Daily")
        return f"Kwasi Kwarteng: {first_sentence(m, number)} [{number}]."

    alone = Pipeline(retriever, ScriptedModel(one_reply), Config().answer).answer(one)
    assert "its article never names kwasi kwarteng" in alone.removed[0]


def test_a_yes_no_question_is_weighed_and_cited_to_every_source(retriever) -> None:
    model = ScriptedModel(lambda m: "never written", judge=lambda m: 0.8)
    answer = Pipeline(retriever, model, Config().answer).answer(BOTH)
    assert answer.text.startswith("Yes. [") and answer.raw == "Yes" and answer.support == pytest.approx(0.8)
    assert "Answer with one word: yes or no." in model.prompts[0][-1]["content"]
    no = Pipeline(retriever, ScriptedModel(lambda m: "", judge=lambda m: 0.3), Config().answer).answer(BOTH)
    assert no.text.startswith("No. [") and no.support == pytest.approx(0.7)


def test_a_yes_no_question_about_what_no_article_names_abstains(retriever) -> None:
    model = ScriptedModel(lambda m: "", judge=lambda m: 0.9)
    # hunan: in the articles; portugal: not (1 of 2 numbers and names: more than max_unnamed). "In
    # 2019" would make it 1 of 3, within the share: the price of counting a question's numbers
    answer = Pipeline(retriever, model, Config().answer).answer("Did Hunan sign a deal with Portugal?")
    assert answer.abstained and "portugal" in answer.removed[0].lower()


def test_without_a_judge_a_yes_no_question_is_written_and_checked(retriever) -> None:
    answer = Pipeline(retriever, ScriptedModel(lambda m: "The articles don't say."), Config().answer).answer(BOTH)
    assert answer.abstained and answer.raw == "The articles don't say."  # written, then read as usual


def test_an_answer_to_a_question_naming_several_sources_is_judged_with_every_passage(retriever) -> None:
    """Its cited passage alone lacks what the other sources say: the judge is shown every passage
    the model was, and the answer held to `min_support_shown` (0.45); the same answer to a
    question naming one source is judged on its cited passage and held to `min_support` (0.50)."""
    judged: list[list[str]] = []

    def judge(m: list[dict]) -> float:
        judged.append(shown_numbers(m))
        return 0.47

    def reply(m: list[dict]) -> str:  # the first sentence of China Daily's passage, cited
        number = number_of(m, "| China Daily")
        return f"{first_sentence(m, number)} [{number}]."

    settings = replace(Config().answer, passage_margin=9.0)  # every selected passage shown
    both = "What did China Daily and Science and Technology Daily say about new energy vehicles?"
    model = ScriptedModel(reply, judge)
    answer = Pipeline(retriever, model, settings).answer(both)
    shown = shown_numbers(model.prompts[0])
    assert len(shown) > 1 and judged and all(numbers == shown for numbers in judged)
    assert not answer.abstained and [c.publisher for c in answer.citations] == ["China Daily"]
    judged.clear()
    one = Pipeline(retriever, ScriptedModel(reply, judge), settings).answer(
        "What did China Daily say about new energy vehicles?"
    )
    assert judged and all(len(numbers) == 1 for numbers in judged)
    assert one.abstained and "P(yes) 0.47" in one.removed[-1]
