"""From retrieved chunks to the few short passages the model sees.

Every sentence of the retrieved chunks is scored against the question (`retrieved`: embedding
similarity plus the share of the question's words it contains, with a small bonus for the
chunk's search rank).
The best sentences are widened with their neighbours up to a token budget and become numbered
passages: tight prompts for a slow CPU, and exact spans to cite. The model is shown the leading
ones (`shown_passages`); the rest back the checks of its answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ask.facts import new_details, new_facts, wants, yes_no
from ask.language import foreign
from ask.prompts import in_chat_format
from ask.settings import AnswerSettings
from index import Embedder, Filters, Hit, Retriever
from index.lexical import tokenize
from ingest import Document, split_sentences


@dataclass(frozen=True)
class Sentence:
    document: Document
    start: int
    end: int
    score: float = 0.0
    vector: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]


@dataclass(frozen=True)
class Passage:
    """A numbered source: a run of whole sentences of one document."""

    number: int
    document: Document
    sentences: tuple[Sentence, ...]

    @property
    def start(self) -> int:
        return self.sentences[0].start

    @property
    def end(self) -> int:
        return self.sentences[-1].end

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]


def retrieved(
    question: str, retriever: Retriever, settings: AnswerSettings, filters: Filters | None = None
) -> list[Sentence]:
    """The sentences of the question's retrieved chunks, scored against it, best first."""
    return score_sentences(question, retriever.search(question, k=settings.top_k, filters=filters), retriever.embedder)


def score_sentences(question: str, hits: list[Hit], embedder: Embedder) -> list[Sentence]:
    """Every distinct sentence of the hits' chunks, scored against the question, best first; a
    sentence written in the conversation's own format (`in_chat_format`) is not one of them, nor
    is one in another language than the question and the rest (ask/language.foreign)."""
    seen: set[tuple[str, int]] = set()
    found: list[tuple[Document, int, int, int]] = []  # document, start, end, hit rank
    for rank, hit in enumerate(hits):
        for s, e in split_sentences(hit.chunk.text):
            key = (hit.document.id, hit.chunk.start + s)
            if key not in seen and not in_chat_format(hit.chunk.text[s:e]):
                seen.add(key)
                found.append((hit.document, hit.chunk.start + s, hit.chunk.start + e, rank))
    other = foreign(question, [doc.text[s:e] for doc, s, e, _ in found])
    found = [x for x, elsewhere in zip(found, other, strict=True) if not elsewhere]
    if not found:
        return []
    texts = [doc.text[s:e] for doc, s, e, _ in found]
    vectors = embedder.encode([question, *texts])
    similarity = vectors[1:] @ vectors[0]
    overlap = _weighted_overlap(set(tokenize([question])[0]), [set(t) for t in tokenize(texts)])
    scored = [
        Sentence(doc, s, e, float(sim + 0.5 * share + 0.05 / (1 + rank)), vec)
        for (doc, s, e, rank), sim, share, vec in zip(found, similarity, overlap, vectors[1:], strict=True)
    ]
    return sorted(scored, key=lambda x: -x.score)


def _weighted_overlap(question: set[str], sentences: list[set[str]]) -> list[float]:
    """Share of the question's words in each sentence, each word weighted by how rare it is among
    the candidates: "led" and "delegation" tell more than the "China" and "UK" every one has."""
    if not question:
        return [0.0] * len(sentences)
    df = {w: sum(w in s for s in sentences) for w in question}
    idf = {w: np.log(1 + len(sentences) / (1 + df[w])) for w in question}
    total = sum(idf.values())
    return [sum(idf[w] for w in question & s) / total for s in sentences]


def select_passages(sentences: list[Sentence], count_tokens, max_passages: int, passage_tokens: int) -> list[Passage]:
    """The best sentences, each widened with neighbours to about `passage_tokens` tokens."""
    by_doc: dict[str, list[Sentence]] = {}
    for s in sorted(sentences, key=lambda x: x.start):
        by_doc.setdefault(s.document.id, []).append(s)
    chosen: list[list[Sentence]] = []
    covered: set[tuple[str, int]] = set()
    for best in sentences:
        if len(chosen) == max_passages:
            break
        if (best.document.id, best.start) in covered:
            continue
        run = by_doc[best.document.id]
        i = run.index(best)
        lo, hi = i, i + 1
        budget = passage_tokens - count_tokens([best.text])[0]
        for j in (i - 1, i + 1):  # the sentence before first: it often says who is speaking
            if 0 <= j < len(run) and (run[j].document.id, run[j].start) not in covered and _adjacent(run, j, i):
                cost = count_tokens([run[j].text])[0]
                if cost <= budget:
                    budget -= cost
                    lo, hi = min(lo, j), max(hi, j + 1)
        window = run[lo:hi]
        covered |= {(s.document.id, s.start) for s in window}
        chosen.append(window)
    return [Passage(n, window[0].document, tuple(window)) for n, window in enumerate(chosen, start=1)]


def passage_of(sentence: Sentence, passages: list[Passage]) -> Passage | None:
    """The passage that holds `sentence`, if one does."""
    return next(
        (p for p in passages if p.document.id == sentence.document.id and p.start <= sentence.start < p.end), None
    )


def _adjacent(run: list[Sentence], j: int, i: int) -> bool:
    """Neighbours in the text, not just in the list (chunks may skip sentences between them)."""
    a, b = sorted((run[j], run[i]), key=lambda s: s.start)
    return not a.document.text[a.end : b.start].strip()


def shown_passages(
    passages: list[Passage], sources: list[tuple[str, str]], margin: float, question: str
) -> list[Passage]:
    """The passages the model answers from: all of them when the question names two or more
    sources (each has its own passage), else the leading ones."""
    return passages if sources else leading(passages, margin, question)


def leading(passages: list[Passage], margin: float, question: str = "") -> list[Passage]:
    """The passages the model is shown: the first (best) one, and those whose best sentence scores
    within `margin` of it. A clear winner is answered from alone: fewer prompt tokens, so a sooner
    first token. The rest still back the verifier, the conflict check and the sources list. When
    the question asks for a kind of fact (a number, a date, a name, a place: ask/facts.py) and
    the best passage holds none it did not give, every passage up to the first that holds one is
    shown too, with those near that one: a passage that only says again what was asked (as a
    hostile article written to be retrieved does) never stands alone. A question of no known kind
    (not yes/no) asks for something too: its passage must give a number or name it did not."""
    if not passages:
        return []
    best = [max(s.score for s in p.sentences) for p in passages]
    kind = wants(question)
    found = new_facts if kind else new_details  # a fact of the kind asked, or any number or name word
    holds = (i for i, p in enumerate(passages) if any(found(s.text, question) for s in p.sentences))
    lead = next(holds, 0) if kind or (question and not yes_no(question)) else 0
    return [
        p for i, (p, score) in enumerate(zip(passages, best, strict=True)) if i <= lead or score >= best[lead] - margin
    ]
