"""Scoring answers against gold Q&A: SQuAD normalisation, containment, token F1, citations.

Gold format (JSON Lines): {"id", "question", "answers": [acceptable answers; empty when
unanswerable], "sources": [file names of the supporting articles], "unanswerable": bool}; a
conversation adds "turns": [every question asked, the scored one last].
"""

from __future__ import annotations

import json
import re
import statistics
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ask import ABSTAIN_TEXT, Answer


@dataclass(frozen=True)
class Gold:
    id: str
    question: str
    answers: tuple[str, ...]
    sources: tuple[str, ...]
    unanswerable: bool
    before: tuple[str, ...] = ()  # a conversation's earlier questions, asked first in order


class GoldFormatError(ValueError):
    pass


def load_gold(path: Path) -> list[Gold]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            turns = tuple(r.get("turns") or [r["question"]])
            if turns[-1] != r["question"]:
                raise KeyError("turns must end with the question")
            rows.append(Gold(r["id"], r["question"], tuple(r["answers"]), tuple(r["sources"]), bool(r["unanswerable"]),
                             turns[:-1]))  # fmt: skip
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise GoldFormatError(f"{path} line {number}: not a gold record ({err})") from None
    if not rows:
        raise GoldFormatError(f"{path} holds no questions")
    return rows


def normalize(text: str) -> str:
    """SQuAD's answer normalisation: lowercase, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


def strip_markers(text: str) -> str:
    return re.sub(r"\s*\[\d+(?:\s*[,;]\s*\d+)*\]", "", text)


_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b")


def contains_answer(text: str, answers: tuple[str, ...]) -> bool:
    """Does the text hold one of the answers, both normalised (`normalize`), a possessive "'s" set
    aside in each ("Mao Zedong's hometown" holds "Mao Zedong": SQuAD's normalisation alone would
    read "zedongs") and punctuation outside ASCII removed as SQuAD removes ASCII's ("‘mutual
    benefit’" holds "mutual benefit")?"""
    norm = f" {normalize(_plain(text))} "
    return any(f" {normalize(_plain(a))} " in norm for a in answers if normalize(a))


def _plain(text: str) -> str:
    text = _POSSESSIVE.sub("", text)
    return "".join(ch for ch in text if ch.isascii() or not unicodedata.category(ch).startswith("P"))


def token_f1(prediction: str, answers: tuple[str, ...]) -> float:
    best = 0.0
    pred = normalize(prediction).split()
    for answer in answers:
        gold = normalize(answer).split()
        common = sum((Counter(pred) & Counter(gold)).values())
        if common:
            precision, recall = common / len(pred), common / len(gold)
            best = max(best, 2 * precision * recall / (precision + recall))
    return best


YES_NO = ("yes", "no")  # gold answers that no passage writes, and any passage "contains" by chance


def good_citations(answer: Answer, gold: Gold) -> list[bool]:
    """For each citation: does it point into a gold source at a passage holding an acceptable
    answer? A yes or no is not written in the passage that backs it: there, the gold source."""
    if _yes_or_no(gold):
        return [Path(c.path).name in gold.sources for c in answer.citations]
    return [Path(c.path).name in gold.sources and contains_answer(c.passage, gold.answers) for c in answer.citations]


def quote_holds_answer(answer: Answer, gold: Gold) -> bool | None:
    """Does the sentence the page highlights in a cited passage (a citation's quote) hold an
    acceptable answer? None where the question does not count: an answer that is not right, and a
    yes or no, which no sentence writes."""
    if gold.unanswerable or answer.abstained or not contains_answer(strip_markers(answer.text), gold.answers):
        return None
    if _yes_or_no(gold):
        return None
    return any(contains_answer(c.quote, gold.answers) for c in answer.citations)


def _yes_or_no(gold: Gold) -> bool:
    """Is every acceptable answer a bare yes or no?"""
    return bool(gold.answers) and all(normalize(a) in YES_NO for a in gold.answers)


def percentile(values: list[float], q: float) -> float | None:
    """The value at quantile `q` (0.5 is the median) by nearest rank; None for no values."""
    if not 0 <= q <= 1:
        raise ValueError(f"a quantile is between 0 and 1, not {q}")
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def draft_abstained(answer: Answer) -> bool:
    """The model's own text (before verification) said the articles are silent, or there was none."""
    return not answer.raw.strip() or normalize(ABSTAIN_TEXT) in normalize(answer.raw)


def verifier_table(results: list[tuple[Gold, Answer, list[str]]]) -> dict:
    """What verification did to the model's drafts. A draft is right when it holds an acceptable
    answer (answerable) or abstains (unanswerable). A right draft is kept when the final answer
    is right too; a wrong draft is kept when the final answer is the model's and still wrong (an
    abstention or a quote from the article in its place is a cut). Questions abstained on before
    the model was asked (weak evidence) are counted apart."""
    table = {"right_kept": 0, "right_cut": 0, "wrong_kept": 0, "wrong_cut": 0, "not_asked": 0}
    for gold, answer, _ in results:
        if answer.abstained and answer.timings.first_token_s == 0:
            table["not_asked"] += 1
            continue
        if gold.unanswerable:
            draft_ok, final_ok = draft_abstained(answer), answer.abstained
        else:
            draft_ok = not draft_abstained(answer) and contains_answer(strip_markers(answer.raw), gold.answers)
            final_ok = not answer.abstained and contains_answer(strip_markers(answer.text), gold.answers)
        if draft_ok:
            table["right_kept" if final_ok else "right_cut"] += 1
        else:
            kept = not final_ok and not answer.abstained and not answer.extractive
            table["wrong_kept" if kept else "wrong_cut"] += 1
    drafts_right = table["right_kept"] + table["right_cut"]
    drafts_wrong = table["wrong_kept"] + table["wrong_cut"]
    return {
        "draft_accuracy": _ratio(drafts_right, drafts_right + drafts_wrong),
        "verifier_keeps_right": _ratio(table["right_kept"], drafts_right),
        "verifier_cuts_wrong": _ratio(table["wrong_cut"], drafts_wrong),
        "verifier": table,
    }


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def score(results: list[tuple[Gold, Answer, list[str]]]) -> dict:
    """Metrics over (gold, answer, retrieved source file names in rank order) triples."""
    answerable = [(g, a, r) for g, a, r in results if not g.unanswerable]
    unanswerable = [(g, a) for g, a, _ in results if g.unanswerable]
    correct = [not a.abstained and contains_answer(strip_markers(a.text), g.answers) for g, a, _ in answerable]
    citations = [good_citations(a, g) for g, a, _ in answerable]
    abstained = [a for _, a, _ in results if a.abstained]
    quoted = [q for g, a, _ in answerable if (q := quote_holds_answer(a, g)) is not None]
    first_rank = [next((i for i, name in enumerate(r[:10]) if name in g.sources), None) for g, _, r in answerable]
    generated = [a.timings for _, a, _ in results if a.timings.first_token_s > 0]
    return {
        "n_questions": len(results),
        "n_answerable": len(answerable),
        "n_unanswerable": len(unanswerable),
        "answer_accuracy": _ratio(sum(correct), len(answerable)),
        "answer_f1": statistics.fmean(
            [0.0 if a.abstained else token_f1(strip_markers(a.text), g.answers) for g, a, _ in answerable]
        ) if answerable else None,
        "citation_precision": _ratio(sum(sum(c) for c in citations), sum(len(c) for c in citations)),
        "citation_recall": _ratio(sum(ok and any(c) for ok, c in zip(correct, citations, strict=True)), len(correct)),
        "quote_accuracy": _ratio(sum(quoted), len(quoted)),
        "abstention_precision": _ratio(sum(a.abstained for _, a in unanswerable), len(abstained)),
        "abstention_recall": _ratio(sum(a.abstained for _, a in unanswerable), len(unanswerable)),
        "retrieval_hit@5": _ratio(sum(r is not None and r < 5 for r in first_rank), len(answerable)),
        "retrieval_mrr": _ratio(sum(1 / (r + 1) for r in first_rank if r is not None), len(answerable)),
        "ttft_p50_s": percentile([t.first_token_s for t in generated], 0.5),
        "ttft_p95_s": percentile([t.first_token_s for t in generated], 0.95),
        "preview_p50_s": percentile([a.timings.preview_s for _, a, _ in results], 0.5),
        "total_p50_s": percentile([a.timings.total_s for _, a, _ in results], 0.5),
        "total_p95_s": percentile([a.timings.total_s for _, a, _ in results], 0.95),
        **verifier_table(results),
    }  # fmt: skip
