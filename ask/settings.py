"""How answers are made: AnswerSettings, plain data (the defaults live in `config.Config`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AnswerSettings:
    """Defaults live in config.Config."""

    top_k: int  # chunks retrieved
    max_passages: int
    passage_tokens: int
    passage_margin: float  # the model sees passage k only if its best sentence scores within this of the best
    max_new_tokens: int
    min_evidence: float  # best sentence score below this: abstain without asking the model
    min_similarity: float  # verification: claim-to-sentence cosine
    min_overlap: float  # verification: share of the claim's words in the passage or the question
    min_support: float  # the model's P(yes) that the cited passages state the answer (ask/judge.py); below: abstain
