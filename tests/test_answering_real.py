"""The real packaged model (llama.cpp) and embedder answering questions about the seed articles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ask import Pipeline, load_generator
from config import ROOT, Config
from index import build_index, load_embedder, open_retriever
from tests.conftest import SEEDS

pytestmark = pytest.mark.real


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index_dir = tmp_path_factory.mktemp("real-answers") / "index"
    config = Config()
    embedder = load_embedder(None, config.cache_dir)
    build_index([SEEDS], index_dir, embedder, config.chunk_tokens, config.overlap_sentences)
    return index_dir


@pytest.fixture(scope="module")
def pipeline(index_dir: Path) -> Pipeline:
    config = Config()
    retriever = open_retriever(index_dir, load_embedder(None, config.cache_dir), config.search)
    return Pipeline(retriever, load_generator(None, None, config.cache_dir), config.answer)


@pytest.mark.parametrize(
    ("question", "expected", "seed"),
    [
        ("How many new energy vehicle manufacturers are there in Hunan?", "13", "001"),
        ("Who was China's minister of industry and information technology at the dialogue?", "Xiao Yaqing", "002"),
        ("How many collaborative projects has the Research and Innovation Partnership Fund supported?", "460", "003"),
        # the nearest sentence to a bare "$220 million" is the one about $680 million of trade
        ("How much paid-in investment from the UK was Hunan home to by the end of 2018?", "220 million", "000"),
    ],
)
def test_right_answer_with_a_correct_citation(pipeline: Pipeline, question: str, expected: str, seed: str) -> None:
    answer = pipeline.answer(question)
    assert not answer.abstained and expected in answer.text
    assert answer.citations
    for citation in answer.citations:
        assert Path(citation.path).name.startswith(seed)
        assert citation.quote in citation.passage and expected in citation.quote  # the sentence highlighted
    assert answer.timings.first_token_s > 0 and answer.model.endswith(".gguf")


# "Liu Xiaoming … is the mayor of Changsha" was kept at P(yes) 0.45 when the judge saw every passage shown;
# judged on the passage it cites, its P(yes) is 0.41, below min_support 0.50 (README, "Answering")
@pytest.mark.parametrize("question", ["What did Kwasi Kwarteng say about Brexit?", "Who is the mayor of Changsha?"])
def test_abstains_when_the_articles_are_silent(pipeline: Pipeline, question: str) -> None:
    answer = pipeline.answer(question)
    assert answer.abstained and answer.text == "The articles don't say."
    assert answer.citations == [] and answer.sources


def test_a_claim_is_not_backed_by_an_article_that_never_names_its_subject(pipeline: Pipeline) -> None:
    """Kwasi Kwarteng spoke at the industrial dialogue (Science and Technology Daily), not to China
    Daily; the model's "Kwasi Kwarteng told China Daily that Hunan is 'leaping ahead with the
    times'" cites a China Daily article that never names him, and is cut (README, "Answering":
    attribution.jsonl, attr-u05; answered while a question's names were held only to the answer's
    articles together)."""
    answer = pipeline.answer("What did Kwasi Kwarteng tell China Daily about Hunan?")
    assert answer.abstained and answer.text == "The articles don't say."
    assert any("its article never names kwasi kwarteng" in r for r in answer.removed)


def test_a_number_that_counts_something_else_does_not_answer_how_many(pipeline: Pipeline) -> None:
    """No article says how many vehicles Hunan exported; the model's "220 million" is the dollars
    of "$220 million paid-in investment", which count no vehicles, and is cut (README,
    "Answering": fresh.jsonl, fresh-u10; answered before a count had to count the thing asked)."""
    answer = pipeline.answer("How many new energy vehicles did Hunan export to the UK in 2018?")
    assert answer.abstained and answer.text == "The articles don't say."
    assert any(r.endswith("(does not answer the question)") for r in answer.removed)


def test_a_follow_up_is_answered_not_the_question_before_it(pipeline: Pipeline) -> None:
    """A conversation as `python -m eval` plays it: the earlier turn answered first, then the
    follow-up ("it" is the dialogue), which the model answers rather than the question before it
    (README, "Answering": conversations3.jsonl, conv3-07)."""
    first = "How did China and the UK hold their first industrial cooperation dialogue?"
    history = [(first, pipeline.answer(first).text)]
    answer = pipeline.answer("Which newspaper reported it?", history)
    assert not answer.abstained and "Science and Technology Daily" in answer.text
    assert all(Path(c.path).name.startswith("002") for c in answer.citations)


def test_a_yes_no_follow_up_can_be_answered_no(pipeline: Pipeline) -> None:
    """A yes/no follow-up weighed alone, the question before it shown apart: the dialogue was held
    by video link, so "Was it held in person?" is answered no (README, "Answering":
    conversations5.jsonl, conv5-11; "Yes" while the two questions were weighed run together)."""
    first = "When was the first China-UK industrial cooperation dialogue held?"
    history = [(first, pipeline.answer(first).text)]
    answer = pipeline.answer("Was it held in person?", history)
    assert not answer.abstained and answer.text.startswith("No")
    assert all(Path(c.path).name.startswith("002") for c in answer.citations)


def test_a_second_question_on_another_subject_is_answered_alone(pipeline: Pipeline) -> None:
    """A second question that changes the subject retrieves as well alone as a first question, so
    it is searched and asked alone (README, "Answering": conversations6.jsonl, conv6-16; "The
    articles don't say" while it was searched with, and asked beside, the question before it)."""
    first = "What did AstraZeneca plan to promote in Hunan?"
    history = [(first, pipeline.answer(first).text)]
    answer = pipeline.answer(
        "How many collaborative projects has the China-UK Research and Innovation Partnership Fund supported?", history
    )
    assert not answer.abstained and "460" in answer.text
    assert all(Path(c.path).name.startswith("003") for c in answer.citations)


def test_cli_json(index_dir: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ask", "When does the China UK Innovation Cooperation Conference kick off?", "--json",
         "--index-dir", str(index_dir)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert not answer["abstained"] and "July 9" in answer["text"]
    assert Path(answer["citations"][0]["file"]).name.startswith("004")


BOTH = ("Does the China Daily article say that Zhuzhou tested the world's first driverless rapid bus, while the "
        "Science and Technology Daily article says China and the UK held their first industrial cooperation "
        "dialogue?")  # fmt: skip


def test_a_question_about_two_publishers_is_split_and_each_part_cited(pipeline: Pipeline) -> None:
    answer = pipeline.answer(BOTH)
    assert answer.text.startswith("Yes.") and not answer.abstained
    assert {c.publisher for c in answer.citations} == {"China Daily", "Science and Technology Daily"}


@pytest.mark.xfail(
    strict=True,  # fails loudly once it answers no
    reason="issue 13, open: the parts' mean P(yes) is 0.39 with 'cancelled their ... dialogue' against "
    "min_claims 0.3289 (config.py, calibrated on 70 dev queries); not moved for one question",
)
def test_a_false_part_about_one_of_two_publishers_makes_it_no(pipeline: Pipeline) -> None:
    answer = pipeline.answer(BOTH.replace("held their first", "cancelled their"))
    assert answer.text.startswith("No.") and not answer.abstained
