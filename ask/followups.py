"""A follow-up question made to stand alone before it is searched and answered.

The model rewrites it from the last few turns (`prompts/condense.txt`); the rewrite is used only
while it still asks what the follow-up asks. Otherwise a follow-up that, searched alone, finds a
sentence as good as a question standing alone does (a change of subject) is asked alone, and one
that leans on the turn before is searched together with that question, which the model is then
shown apart. What the pipeline does with the result is `ask/pipeline.py`'s.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ask.facts import WH_WORDS
from ask.generate import Generator
from ask.passages import retrieved
from ask.prompts import render
from ask.settings import AnswerSettings
from index import Retriever

History = Sequence[tuple[str, str]]  # (question, answer) pairs, oldest first
_QUESTION_WORD = re.compile(  # what a question asks for: the interrogative that opens its ask
    rf"\b(how (?:many|much|long|old|often|far)|{WH_WORDS}"
    r"|is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b",
    re.I,
)


def condense(
    question: str, history: History, generator: Generator, retriever: Retriever, settings: AnswerSettings
) -> tuple[str, str | None]:
    """The follow-up rewritten to stand alone, from the last few turns, and None. The rewrite
    must still be a question that asks what the follow-up asks (its question word kept: a
    what-question stays a what-question); otherwise the follow-up itself when it stands alone
    (a change of subject: `alone_score` at least `min_alone`), else the follow-up searched and
    checked together with the question before it, returned with that earlier question."""
    turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in list(history)[-3:])
    prompt = render("condense", history=turns, question=question)
    lines = "".join(generator.stream([{"role": "user", "content": prompt}], 60)).strip().splitlines()
    rewritten = lines[0].strip() if lines else ""
    if still_asks(question, rewritten):
        return rewritten, None
    # A second question that changes the subject finds a sentence as good as a question that
    # stands alone does; one that leans on the turn before ("When was it held?") rarely does.
    if alone_score(question, retriever, settings) >= settings.min_alone:
        return question, None
    return with_previous(history[-1][0], question), history[-1][0]


def alone_score(question: str, retriever: Retriever, settings: AnswerSettings) -> float:
    """The score of the question's best sentence, searched alone (0 when nothing is found)."""
    sentences = retrieved(question, retriever, settings)
    return sentences[0].score if sentences else 0.0


def with_previous(previous: str, follow_up: str) -> str:
    """What a follow-up whose rewrite was refused is searched and answered as: the question before
    it, then the follow-up."""
    return f"{previous} {follow_up}"


def still_asks(follow_up: str, rewritten: str) -> bool:
    """Is `rewritten` a question asking what `follow_up` asks: it ends with a question mark and
    keeps the follow-up's question word ("what", "who", "how many", "did"…)?"""
    asked = _QUESTION_WORD.search(follow_up)
    if not rewritten.endswith("?"):
        return False
    return asked is None or re.search(rf"\b{re.escape(asked.group().lower())}\b", rewritten.lower()) is not None
