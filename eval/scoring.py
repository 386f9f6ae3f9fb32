"""Scoring answers against gold Q&A: SQuAD normalisation, containment, token F1, citations.

Gold format (JSON Lines): {"id", "question", "answers": [acceptable answers; empty when
unanswerable], "sources": [file names of the supporting articles], "unanswerable": bool}.
"""

from __future__ import annotations

import json
import re
import statistics
import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ask import Answer


@dataclass(frozen=True)
class Gold:
    id: str
    question: str
    answers: tuple[str, ...]
    sources: tuple[str, ...]
    unanswerable: bool


class GoldFormatError(ValueError):
    pass


def load_gold(path: Path) -> list[Gold]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
            rows.append(Gold(r["id"], r["question"], tuple(r["answers"]), tuple(r["sources"]), bool(r["unanswerable"])))
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


def contains_answer(text: str, answers: tuple[str, ...]) -> bool:
    norm = f" {normalize(text)} "
    return any(f" {normalize(a)} " in norm for a in answers if normalize(a))


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


def good_citations(answer: Answer, gold: Gold) -> list[bool]:
    """For each citation: does it point into a gold source at a passage holding an acceptable answer?"""
    return [Path(c.path).name in gold.sources and contains_answer(c.passage, gold.answers) for c in answer.citations]


def percentile(values: list[float], q: float) -> float | None:
    """The value at quantile `q` (0.5 is the median) by nearest rank; None for no values."""
    if not 0 <= q <= 1:
        raise ValueError(f"a quantile is between 0 and 1, not {q}")
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def score(results: list[tuple[Gold, Answer, list[str]]]) -> dict:
    """Metrics over (gold, answer, retrieved source file names in rank order) triples."""
    answerable = [(g, a, r) for g, a, r in results if not g.unanswerable]
    unanswerable = [(g, a) for g, a, _ in results if g.unanswerable]
    correct = [not a.abstained and contains_answer(strip_markers(a.text), g.answers) for g, a, _ in answerable]
    citations = [good_citations(a, g) for g, a, _ in answerable]
    abstained = [a for _, a, _ in results if a.abstained]
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
        "abstention_precision": _ratio(sum(a.abstained for _, a in unanswerable), len(abstained)),
        "abstention_recall": _ratio(sum(a.abstained for _, a in unanswerable), len(unanswerable)),
        "retrieval_hit@5": _ratio(sum(r is not None and r < 5 for r in first_rank), len(answerable)),
        "retrieval_mrr": _ratio(sum(1 / (r + 1) for r in first_rank if r is not None), len(answerable)),
        "ttft_p50_s": percentile([t.first_token_s for t in generated], 0.5),
        "ttft_p95_s": percentile([t.first_token_s for t in generated], 0.95),
        "preview_p50_s": percentile([a.timings.preview_s for _, a, _ in results], 0.5),
        "total_p50_s": percentile([a.timings.total_s for _, a, _ in results], 0.5),
        "total_p95_s": percentile([a.timings.total_s for _, a, _ in results], 0.95),
    }  # fmt: skip
