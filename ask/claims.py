"""Yes/no questions about what several named articles say ("Does the TechCrunch article suggest
X, while the Fortune article reports Y?"), split into one claim per named publisher, each checked
against that publisher's own articles.

Weighed whole, such a question is a coin flip for a small model: it answers "yes" to nearly any
compound of plausible statements. Split, each part is a short claim about one article, which the
model can hold against that article's best passages. The split needs no model and no list of
words: the question is cut where it names its publishers, each part running from the clause break
(a comma or semicolon) before its publisher's name, so that "…, while the Fortune article reports
Y" goes with Fortune. The answer is "yes" when the claims' P(yes), taken together by
`AnswerSettings.claims_rule` (their mean, or the smallest), reaches `AnswerSettings.min_claims`,
chosen by `python -m eval.calibrate_claims` on MultiHop-RAG dev queries outside the evaluation
sample (the figures are in config.py).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

from ask.generate import Generator
from ask.names import FUNCTION_WORDS
from ask.passages import Passage, score_sentences, select_passages
from ask.prompts import as_data, render
from ask.settings import AnswerSettings
from index import Filters, Retriever
from index.query import mentions, plain

CLAIM_PASSAGES = 2  # the best passages of a claim's publisher the model holds the claim against
# how the claims' P(yes) are taken together: their mean, or the smallest (the question holds
# only when every part does)
RULES: dict[str, Callable[[list[float]], float]] = {"mean": statistics.mean, "min": min}


@dataclass(frozen=True)
class Claim:
    text: str  # the question's words about one publisher
    publishers: tuple[str, ...]  # the publisher names they may mean


@dataclass(frozen=True)
class Checked:
    claim: Claim
    passages: tuple[Passage, ...]  # the publisher's best passages for the claim, best first
    p_yes: float  # the model's P(yes) that they support it


def split_claims(question: str, aliases: dict[str, set[str]]) -> list[Claim]:
    """One claim per publisher mention, or [] when the question names fewer than two. Each claim
    runs from the clause break (the last comma or semicolon) between the previous mention and its
    own, or from its own mention where there is none; the first claim starts the question. A part
    with no words of its own beside its publisher's name ("Did both China Daily and") says what
    the whole question says: the question is its claim, held against that publisher."""
    text, found = plain(question), mentions(question, aliases)
    if len(found) < 2:
        return []
    cuts = [0]
    for before, mention in pairwise(found):
        between = text[before.end : mention.start]
        brk = max(between.rfind(","), between.rfind(";"))
        cuts.append(before.end + brk + 1 if brk >= 0 else mention.start)
    cuts.append(len(text))
    claims = []
    for a, b, m in zip(cuts, cuts[1:], found, strict=False):
        own = _content_words(text[a : m.start] + " " + text[m.end : b])
        claims.append(Claim(text[a:b].strip(" ,;") if own else text, m.publishers))
    return claims


def _content_words(text: str) -> list[str]:
    """The words of `text` that are not general function words."""
    return [w for w in re.findall(r"\w+", text.lower()) if w not in FUNCTION_WORDS]


def check(
    claims: list[Claim], retriever: Retriever, generator: Generator, settings: AnswerSettings,
    filters: Filters | None = None,
) -> list[Checked]:  # fmt: skip
    """Each claim held by the model against its publisher's best passages (numbered from 1 in the
    prompt); [] when a claim finds none (the user's filters exclude its publisher, or it has no
    articles) or the model cannot weigh replies."""
    if not hasattr(generator, "choose"):
        return []
    found = [_passages(claim, retriever, settings, filters) for claim in claims]
    if not all(found):
        return []
    checked = []
    for claim, passages in zip(claims, found, strict=True):
        quoted = "\n\n".join(f"[{p.number}] {as_data(p.text)}" for p in passages)
        messages = [
            {"role": "system", "content": render("system")},
            {"role": "user", "content": render("claim", passages=quoted, claim=as_data(claim.text))},
        ]
        p_yes = generator.choose(messages, ["yes", "no"]).get("yes")
        if p_yes is None:
            return []
        checked.append(Checked(claim, tuple(passages), p_yes))
    return checked


def _passages(claim: Claim, retriever: Retriever, settings: AnswerSettings, filters: Filters | None) -> list[Passage]:
    """The best passages for the claim among its publisher's articles (within the user's filters)."""
    allowed = claim.publishers
    if filters and filters.publishers:
        allowed = tuple(p for p in allowed if p in filters.publishers)
    if not allowed:
        return []
    bounds = Filters(filters.date_from, filters.date_to, allowed) if filters else Filters(publishers=allowed)
    hits = retriever.search(claim.text, k=settings.top_k, filters=bounds)
    sentences = score_sentences(claim.text, hits, retriever.embedder)
    return select_passages(sentences, retriever.embedder.count_tokens, CLAIM_PASSAGES, settings.passage_tokens)


def combined(checked: list[Checked], rule: str) -> float:
    """The claims' P(yes) taken together by `rule` (a key of RULES)."""
    return RULES[rule]([c.p_yes for c in checked])


def numbered(passages: list[Passage], checked: list[Checked]) -> tuple[list[Passage], list[Passage]]:
    """The answer's sources: `passages`, then each claim's best passage not among them, numbered
    on; and the passages cited, each claim's best, in the claims' order."""
    sources, cited = list(passages), []
    for c in checked:
        best = c.passages[0]
        same = next((p for p in sources if p.document.id == best.document.id and p.start == best.start), None)
        if same is None:
            same = replace(best, number=len(sources) + 1)
            sources.append(same)
        if same not in cited:
            cited.append(same)
    return sources, cited
