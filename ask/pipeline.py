"""Question (+ chat history) -> retrieval -> passages -> model -> verified, cited Answer.

`Pipeline.stream` yields a Preview (the best supporting sentence, cited) as soon as retrieval is
done, then Token events while the model writes (how much it has written, never its unchecked
words: a draft the checks would cut is never shown), then the final Answer whose every sentence
has been checked against the passage it cites. When the evidence is weak, the model says the
articles are silent, or nothing survives verification, the Answer abstains and lists the nearest
passages instead.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from ask.attribution import misattributed
from ask.claims import Checked, check, combined, numbered, split_claims
from ask.conflicts import other_account
from ask.facts import yes_no
from ask.followups import History, condense
from ask.generate import Generator
from ask.judge import reports, support
from ask.passages import Passage, Sentence, passage_of, retrieved, select_passages, shown_passages
from ask.prompts import answer_messages, passage_header, render
from ask.settings import AnswerSettings
from ask.sources import covering, named_sources
from ask.types import Answer, Citation, Event, Preview, Timings, Token
from ask.verify import Supported, Verifier, fact_sentences
from index import Filters, Retriever

ABSTAIN_TEXT = "The articles don't say."
MAX_QUESTION_CHARS = 2000


class BadQuestion(ValueError):
    """An empty or oversized question."""


class Pipeline:
    def __init__(self, retriever: Retriever, generator: Generator, settings: AnswerSettings) -> None:
        self.retriever = retriever
        self.generator = generator
        self.settings = settings
        self.verifier = Verifier(
            retriever.embedder, settings.min_similarity, settings.min_overlap, settings.max_unnamed
        )

    def answer(self, question: str, history: History = (), filters: Filters | None = None) -> Answer:
        *_, final = self.stream(question, history, filters)
        return final

    def stream(self, question: str, history: History = (), filters: Filters | None = None) -> Iterator[Event]:
        started = time.perf_counter()
        question = _check(question)
        standalone, earlier = (
            condense(question, history, self.generator, self.retriever, self.settings) if history else (question, None)
        )
        # What the model is asked: a follow-up searched with the question before it is asked alone,
        # that question shown apart (else it answers the earlier question again).
        asked = question if earlier else standalone
        sentences, sources, passages = gather(standalone, self.retriever, self.settings, filters)
        searched = time.perf_counter() - started
        base = dict(question=question, standalone_question=standalone, model=self.generator.name)
        if not passages or sentences[0].score < self.settings.min_evidence:
            yield self._abstain(base, passages, "", [], Timings(searched, searched, 0.0, searched))
            return
        yield Preview(sentences[0].text, _citation(passage_of(sentences[0], passages), sentences[0]))
        preview = time.perf_counter() - started
        raw, first = "", 0.0

        def timings() -> Timings:  # as of now: `first` is set once the model's first words arrive
            return Timings(searched, preview, first, time.perf_counter() - started)

        shown = shown_passages(passages, sources, self.settings.passage_margin, standalone)
        clock = (searched, preview, started)
        asks_yes_no = yes_no(standalone)
        if asks_yes_no and (checked := self._claims(standalone, filters)):
            given, cited = numbered(passages, checked)
            p_yes = combined(checked, self.settings.claims_rule)
            yield from self._yes_or_no(base, standalone, p_yes, self.settings.min_claims, given, cited, clock)
            return
        if asks_yes_no and (shares := self._weigh(asked, shown, earlier)):
            yield from self._yes_or_no(base, standalone, shares["yes"], 0.5, passages, shown, clock)
            return
        for piece in self.generator.stream(self._messages(asked, shown, earlier), self.settings.max_new_tokens):
            first = first or time.perf_counter() - started
            raw += piece
            yield Token(len(raw))
        verdict = self.verifier.verify(raw, passages, standalone, several_sources=bool(sources))
        extractive = not verdict.abstained and not verdict.kept
        if extractive:  # the model's sentences were all cut: quote the best passage sentence instead
            verdict = replace(self.verifier.extract(sentences, passages, standalone), removed=verdict.removed)
        if reason := misattributed(verdict.kept, standalone, self.retriever.aliases, shown):
            cut = [f"{s.text} ({reason})" for s in verdict.kept]
            verdict = replace(verdict, kept=[], removed=[*verdict.removed, *cut])
        if verdict.abstained or not verdict.kept:
            yield self._abstain(base, passages, raw, verdict.removed, timings())
            return
        account = other_account(verdict.kept, sentences, passages, standalone, self.verifier)
        kept = verdict.kept + ([account] if account else [])
        text = _marked(kept)
        # An answer to a question that stands alone, and a quoted sentence, stand on the passages
        # they cite: the judge is shown those, in their numbered order, and no others, which could
        # only mislead it. A follow-up's answer, and one to a question naming several sources, are
        # judged with every passage the model was shown: the cited passage alone holds too little
        # of what the conversation was about, or of what the other sources say.
        own = [s.passage for s in verdict.kept]
        whole = bool(history or sources) and not extractive
        judged = (shown + [p for p in own if p not in shown]) if whole else [p for p in passages if p in own]
        p_yes = support(self.generator, self._messages(asked, judged, earlier), " ".join(s.text for s in verdict.kept))
        bar = (
            self.settings.min_support_quoted if extractive
            else self.settings.min_support_shown if whole
            else self.settings.min_support
        )  # fmt: skip
        if p_yes is not None and p_yes < bar:
            removed = [*verdict.removed, f"{text} (the model does not find it stated: P(yes) {p_yes:.2f})"]
            yield replace(self._abstain(base, passages, raw, removed, timings()), support=p_yes)
            return
        orders = self._orders(kept, standalone, self._messages(asked, judged, earlier))
        if orders:
            kept = [s for s in kept if s not in orders]
            removed = [*verdict.removed, *orders.values()]
            if not kept or self._unanswered(kept, standalone, shown):
                yield replace(self._abstain(base, passages, raw, removed, timings()), support=p_yes)
                return
            verdict = replace(verdict, removed=removed)
            text = _marked(kept)
        yield Answer(
            **base,
            text=text,
            citations=_citations(kept),
            abstained=False,
            sources=passages,
            raw=raw,
            removed=verdict.removed,
            timings=timings(),
            extractive=extractive,
            support=p_yes,
        )

    def _orders(self, kept: list[Supported], question: str, messages: list[dict[str, str]]) -> dict[Supported, str]:
        """The kept sentences whose facts come from a passage sentence that the model judges an
        order to an assistant or reader rather than news (P(news) below `min_news`), each with
        why it is cut. Each sentence is asked once; a model that cannot weigh is not asked."""
        judged: dict[tuple[str, int], float | None] = {}
        cut = {}
        for claim in kept:
            for sentence in fact_sentences(claim, question):
                key = (sentence.document.id, sentence.start)
                if key not in judged:
                    judged[key] = reports(self.generator, messages, claim.passage.number, sentence.text)
                if judged[key] is not None and judged[key] < self.settings.min_news:
                    cut[claim] = f"{claim.text} (its passage gives an order, not news: {sentence.text!r})"
                    break
        return cut

    def _weigh(self, question: str, shown: list[Passage], earlier: str | None = None) -> dict[str, float]:
        """A yes/no question put to the model with a one-word reply, weighed rather than written:
        {"yes": P, "no": 1 - P}, or {} from a model that cannot weigh replies (it then writes).
        A follow-up is weighed as it would be asked: alone, the `earlier` question shown apart."""
        if not hasattr(self.generator, "choose"):
            return {}
        messages = self._messages(question, shown, earlier)
        messages[-1]["content"] += "\n\n" + render("yes_no")
        return self.generator.choose(messages, ["yes", "no"])

    def _claims(self, question: str, filters: Filters | None) -> list[Checked]:
        """A question naming several publishers, split into a claim about each, each weighed by the
        model against its publisher's passages (ask/claims.py); [] for any other question."""
        claims = split_claims(question, self.retriever.aliases)
        return check(claims, self.retriever, self.generator, self.settings, filters) if claims else []

    def _yes_or_no(
        self, base: dict, question: str, p_yes: float, bar: float, passages: list[Passage], shown: list[Passage],
        clock: tuple[float, float, float],
    ) -> Iterator[Event]:  # fmt: skip
        """Yes when the model's P(yes) reaches `bar`, else no; cited to every passage the model was
        shown (each named source's among them), each with its best sentence; an abstention when the
        question's own numbers or names are not in those articles. `passages` are the sources."""
        searched, preview, started = clock
        word = "Yes" if p_yes >= bar else "No"
        yield Token(len(word))
        kept = [Supported(word, p, max(p.sentences, key=lambda s: s.score)) for p in shown]
        timings = Timings(searched, preview, time.perf_counter() - started, time.perf_counter() - started)
        reason = self._unanswered(kept, question, shown)
        if reason:
            yield self._abstain(base, passages, word, [f"{word} ({reason})"], timings)
            return
        text = f"{word}. " + " ".join(f"[{p.number}]" for p in shown)
        yield Answer(**base, text=text, citations=_citations(kept), abstained=False, sources=passages, raw=word,
                     timings=timings, support=p_yes if word == "Yes" else 1 - p_yes)  # fmt: skip

    def _unanswered(self, kept: list[Supported], question: str, shown: list[Passage]) -> str:
        """Why the kept sentences do not answer the question ("" if they do): the verifier's
        reasons, and an answer from another source than the one the question names."""
        return self.verifier.unanswered(kept, question, shown) or misattributed(
            kept, question, self.retriever.aliases, shown
        )

    def _messages(self, question: str, passages: list[Passage], earlier: str | None = None) -> list[dict[str, str]]:
        first: dict[str, int] = {}  # document id -> number of its first passage: one header per article
        quoted = []
        for p in passages:
            seen = first.get(p.document.id)
            header = f"same article as [{seen}]" if seen is not None else passage_header(p.document)
            first.setdefault(p.document.id, p.number)
            quoted.append((p.number, header, p.text))
        return answer_messages(question, quoted, earlier)

    def _abstain(self, base: dict, passages: list[Passage], raw: str, removed: list[str], timings: Timings) -> Answer:
        return Answer(
            **base, text=ABSTAIN_TEXT, citations=[], abstained=True, sources=passages, raw=raw, removed=removed,
            timings=timings,
        )  # fmt: skip


def gather(
    question: str, retriever: Retriever, settings: AnswerSettings, filters: Filters | None = None
) -> tuple[list[Sentence], list[tuple[str, str]], list[Passage]]:
    """The question's retrieved sentences (best first), the sources it names (two or more, else
    none) and the passages selected for the answer: what the model and the verifier are given."""
    sentences = retrieved(question, retriever, settings, filters)
    sources = named_sources(question, retriever)
    passages = select_passages(
        covering(sentences, sources), retriever.embedder.count_tokens,
        max(settings.max_passages, len(sources)), settings.passage_tokens,
    )  # fmt: skip
    return sentences, sources, passages


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


def _marked(kept: list[Supported]) -> str:
    """The kept sentences, each with the marker of the passage it cites."""
    return " ".join(f"{s.text} [{s.passage.number}]" for s in kept)


def _citations(kept: list[Supported]) -> list[Citation]:
    seen: dict[int, Citation] = {}
    for s in kept:
        seen.setdefault(s.passage.number, _citation(s.passage, s.quote))
    return sorted(seen.values(), key=lambda c: c.number)
