"""Question (+ chat history) -> retrieval -> passages -> model -> verified, cited Answer.

`Pipeline.stream` yields a Preview (the best supporting sentence, cited) as soon as retrieval is
done, then the model's tokens, then the final Answer whose every sentence has been checked
against the passage it cites. When the evidence is weak, the model says the articles are silent,
or nothing survives verification, the Answer abstains and lists the nearest passages instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

from ask.conflicts import other_account
from ask.generate import Generator
from ask.passages import Passage, Sentence, passage_of, score_sentences, select_passages
from ask.prompts import render
from ask.settings import AnswerSettings
from ask.types import Answer, Citation, Event, Preview, Timings, Token
from ask.verify import Supported, Verifier
from index import Filters, Retriever

ABSTAIN_TEXT = "The articles don't say."
MAX_QUESTION_CHARS = 2000
History = Sequence[tuple[str, str]]  # (question, answer) pairs, oldest first


class BadQuestion(ValueError):
    """An empty or oversized question."""


class Pipeline:
    def __init__(self, retriever: Retriever, generator: Generator, settings: AnswerSettings) -> None:
        self.retriever = retriever
        self.generator = generator
        self.settings = settings
        self.verifier = Verifier(
            retriever.embedder, settings.min_similarity, settings.min_overlap, settings.min_coverage
        )

    def answer(self, question: str, history: History = (), filters: Filters | None = None) -> Answer:
        *_, final = self.stream(question, history, filters)
        return final

    def stream(self, question: str, history: History = (), filters: Filters | None = None) -> Iterator[Event]:
        started = time.perf_counter()
        question = _check(question)
        standalone = self.condense(question, history) if history else question
        hits = self.retriever.search(standalone, k=self.settings.top_k, filters=filters)
        sentences = score_sentences(standalone, hits, self.retriever.embedder)
        passages = select_passages(
            sentences, self.retriever.embedder.count_tokens, self.settings.max_passages, self.settings.passage_tokens
        )
        retrieved = time.perf_counter() - started
        base = dict(question=question, standalone_question=standalone, model=self.generator.name)
        if not passages or sentences[0].score < self.settings.min_evidence:
            yield self._abstain(base, passages, "", [], Timings(retrieved, retrieved, 0.0, retrieved))
            return
        yield Preview(sentences[0].text, _citation(passage_of(sentences[0], passages), sentences[0]))
        preview = time.perf_counter() - started
        raw, first = "", 0.0
        shown = leading(passages, self.settings.passage_margin)
        for piece in self.generator.stream(self._messages(standalone, shown), self.settings.max_new_tokens):
            first = first or time.perf_counter() - started
            raw += piece
            yield Token(piece)
        verdict = self.verifier.verify(raw, passages, standalone)
        extractive = not verdict.abstained and not verdict.kept
        if extractive:  # the model's sentences were all cut: quote the best passage sentence instead
            verdict = replace(self.verifier.extract(sentences, passages, standalone), removed=verdict.removed)
        timings = Timings(retrieved, preview, first, time.perf_counter() - started)
        if verdict.abstained or not verdict.kept:
            yield self._abstain(base, passages, raw, verdict.removed, timings)
            return
        account = other_account(verdict.kept, sentences, passages, standalone, self.verifier)
        kept = verdict.kept + ([account] if account else [])
        yield Answer(
            **base,
            text=" ".join(f"{s.text} [{s.passage.number}]" for s in kept),
            citations=_citations(kept),
            abstained=False,
            sources=passages,
            raw=raw,
            removed=verdict.removed,
            timings=timings,
            extractive=extractive,
        )

    def condense(self, question: str, history: History) -> str:
        """The follow-up rewritten to stand alone, from the last few turns."""
        turns = "\n".join(f"User: {q}\nAssistant: {a}" for q, a in list(history)[-3:])
        prompt = render("condense", history=turns, question=question)
        rewritten = "".join(self.generator.stream([{"role": "user", "content": prompt}], 60)).strip()
        return rewritten.splitlines()[0].strip() if rewritten else question

    def _messages(self, question: str, passages: list[Passage]) -> list[dict[str, str]]:
        first: dict[str, int] = {}  # document id -> number of its first passage: one header per article
        blocks = []
        for p in passages:
            header = f"same article as [{first[p.document.id]}]" if p.document.id in first else _header(p)
            first.setdefault(p.document.id, p.number)
            blocks.append(render("passage", number=str(p.number), header=header, text=" ".join(p.text.split())))
        return [
            {"role": "system", "content": render("system")},
            {"role": "user", "content": render("answer", passages="\n\n".join(blocks), question=question)},
        ]

    def _abstain(self, base: dict, passages: list[Passage], raw: str, removed: list[str], timings: Timings) -> Answer:
        return Answer(
            **base, text=ABSTAIN_TEXT, citations=[], abstained=True, sources=passages, raw=raw, removed=removed,
            timings=timings,
        )  # fmt: skip


def leading(passages: list[Passage], margin: float) -> list[Passage]:
    """The passages the model is shown: the first (best) one, and those whose best sentence scores
    within `margin` of it. A clear winner is answered from alone: fewer prompt tokens, so a sooner
    first token. The rest still back the verifier, the conflict check and the sources list."""
    if not passages:
        return []
    best = [max(s.score for s in p.sentences) for p in passages]
    return [p for p, score in zip(passages, best, strict=True) if score >= best[0] - margin]


def _header(passage: Passage, title_words: int = 6) -> str:
    """Title (its first words: prompt tokens are the first token's cost), date, publisher, author."""
    d = passage.document
    words = d.title.split()
    title = " ".join(words[:title_words]) + ("…" if len(words) > title_words else "")
    return " | ".join(x for x in (title, d.published, d.publisher, d.author and f"by {d.author}") if x)


def _check(question: str) -> str:
    question = " ".join(question.split())
    if not question:
        raise BadQuestion("the question is empty")
    if len(question) > MAX_QUESTION_CHARS:
        raise BadQuestion(f"the question is {len(question)} characters long; the limit is {MAX_QUESTION_CHARS}")
    return question


def _citation(passage: Passage, quote: Sentence) -> Citation:
    d = passage.document
    return Citation(
        number=passage.number, doc_id=d.id, title=d.title, published=d.published, publisher=d.publisher,
        path=d.path, url=d.url, start=passage.start, end=passage.end, passage=passage.text, quote=quote.text,
        quote_start=quote.start, quote_end=quote.end,
    )  # fmt: skip


def _citations(kept: list[Supported]) -> list[Citation]:
    seen: dict[int, Citation] = {}
    for s in kept:
        seen.setdefault(s.passage.number, _citation(s.passage, s.quote))
    return sorted(seen.values(), key=lambda c: c.number)
