"""How answers are made: AnswerSettings, plain data (the defaults live in `config.Config`)."""

from __future__ import annotations

from dataclasses import dataclass, replace


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
    min_support_quoted: float  # the same for a quoted passage sentence, when the model's own words were all cut
    min_support_shown: float = 0.45  # the same for an answer judged with every passage shown (a follow-up's,
    # or one to a question naming several sources)
    min_news: float = 0.89  # the model's P(news, not instruction) for a sentence an answer's facts come from
    min_claims: float = 0.3289  # the claims' P(yes), combined, for "yes" (eval.calibrate_claims)
    claims_rule: str = "mean"  # how the claims' P(yes) are combined: "mean" or "min" (ask.claims.RULES)
    max_unnamed: float = 4 / 9  # share of the numbers and names a question gives the articles may lack
    min_alone: float = 1.0  # a follow-up whose best sentence, searched alone, scores this much stands alone

    def judged(self, min_support: float | None) -> AnswerSettings:
        """These settings with one judge threshold for every answer (None: as they are)."""
        if min_support is None:
            return self
        return replace(self, min_support=min_support, min_support_quoted=min_support, min_support_shown=min_support)
