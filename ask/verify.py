"""Check every sentence of a model's answer against the passage it cites; fix or cut what fails.

A sentence is supported by a passage when every number and name in it appears in the passage (or
its title, date and publisher, or the question itself; names in any of their forms, ask/names.py;
the article's date only as a whole date, "August 5, 2019", never a year or day of it alone),
nearly all its other words are in the passage or the question, and its embedding is close to one
of the passage's sentences. The sentence it stands on, the one the page highlights, is the one
that writes its facts (`_holding`). The question's words never count against it: a right answer is
not cut for repeating how it was asked, but a sentence whose subject is a name the question gives
must cite an article that names it (`unbound_names`), unless the question names several sources. A
citation that fails is re-pointed to a passage that supports the sentence; a sentence nothing
supports is removed. Markers that point at no passage never survive. Whether a passage sentence
reports news or gives the model an order is the model's judgement, asked of the sentences an
answer's facts come from (`fact_sentences`, ask/judge.py).

Whether the supported sentences answer the question is checked on the facts it asks for (a number,
a date, a name, a place; yes or no only to a yes/no question) and on the question's own numbers
and names, nearly all of which the articles must hold; the model's own judgement of the answer
(ask/judge.py) comes after, in the pipeline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from ask.facts import FRAMING, answers_kind, misread_units, numbers, offers_choice, yes_no
from ask.names import given_names, mentioned, name_words, names, names_in_order, present
from ask.passages import Passage, Sentence, passage_of
from ask.slots import gives_more
from index import Embedder
from index.lexical import tokenize
from ingest import Document, split_sentences
from ingest.metadata import written_dates

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_CLAUSE_END = re.compile(r"\s*[,;:]+\s*([.!?]*)$")  # "first, [2]." loses its marker: "first."
ABSTAIN_PATTERNS = re.compile(
    r"articles? (do(es)?n['’]?t|do(es)? not) (say|mention|contain|provide|state)|"
    r"(no|not enough|insufficient) information|not (mentioned|stated|specified|provided)|cannot be determined|"
    r"passages? (do(es)?n['’]?t|do(es)? not)",
    re.I,
)


@dataclass(frozen=True)
class Claim:
    """One sentence of the model's answer and the passage numbers it cites."""

    text: str
    cited: tuple[int, ...]


@dataclass(frozen=True)
class Supported:
    """A claim that survived, the passage that supports it and its best supporting sentence."""

    text: str
    passage: Passage
    quote: Sentence


@dataclass(frozen=True)
class Verdict:
    kept: list[Supported]
    removed: list[str]  # sentences cut, with the reason
    abstained: bool  # the model itself said the articles do not answer


def parse_claims(answer: str) -> list[Claim]:
    """Split the answer into sentences with their [n] / [n, m] / [n][m] markers removed."""
    claims = []
    for s, e in split_sentences(answer.strip()):
        sentence = answer.strip()[s:e]
        cited = tuple(int(n) for group in _MARKER.findall(sentence) for n in re.split(r"[,;]", group))
        text = _CLAUSE_END.sub(r"\1", _MARKER.sub("", sentence).strip())
        if re.search(r"\w", text):
            claims.append(Claim(text, tuple(dict.fromkeys(cited))))
    return _attach_trailing_markers(claims, answer)


def _attach_trailing_markers(claims: list[Claim], answer: str) -> list[Claim]:
    """A marker after the final full stop ("... 2018. [1]") belongs to the last sentence."""
    tail = _MARKER.findall(answer.strip().split(".")[-1]) if claims and not claims[-1].cited else []
    if tail:
        last = claims[-1]
        claims[-1] = Claim(last.text, tuple(int(n) for g in tail for n in re.split(r"[,;]", g)))
    return claims


class Verifier:
    """Holds the thresholds; `check` one claim, `verify` a whole answer."""

    def __init__(self, embedder: Embedder, min_similarity: float, min_overlap: float, max_unnamed: float) -> None:
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.min_overlap = min_overlap
        self.max_unnamed = max_unnamed  # share of the question's numbers and names the articles shown may lack

    def check(
        self, claim: str, vectors: np.ndarray, passage: Passage, question: str, several_sources: bool = False
    ) -> tuple[Sentence | None, str]:
        """The passage sentence that supports `claim`, or None and the reason it does not.
        `vectors` embed the claim, and the question with the claim (a bare "2015" means nothing
        alone). A question about `several_sources` (two or more publishers or dates it names) is
        about several articles, so its names are not held to the one a claim cites."""
        evidence = passage.sentences
        # The article's date backs that date written whole ("August 5, 2019"), never a part of it:
        # "founded in 2019" is not in an article dated 2019-04-01. The checks below read the rest.
        rest = _without_date(claim, passage.document.published)
        local = " ".join([*(s.text for s in evidence), _about(passage.document, dated=False)])
        if not numbers(rest) <= numbers(local) | numbers(question):
            return None, "a number is not in the passage"
        if misread := misread_units(rest, local, question):  # "$460 million" is not "460 projects"
            return None, f"the passage does not write {', '.join(misread)}"
        # Names must be in the passage; the question's own names are checked for the whole answer.
        facts = _new_facts(rest, question)
        if not all(present(n, local) for n in facts[1]):
            return None, "a name is not in the passage"
        if not several_sources and (unbound := unbound_names(rest, question, passage.document)):
            return None, f"its article never names {', '.join(unbound)}"
        # Its other words must come from the passage or the question (a few may not: wording).
        words = {w for w in tokenize([rest])[0] if not w[:1].isdigit()} - FRAMING  # numbers: checked above
        known = set(tokenize([local])[0]) | set(tokenize([question])[0])
        if len(words - known) > int(len(words) * (1 - self.min_overlap)):
            return None, f"words in neither the passage nor the question: {', '.join(sorted(words - known))}"
        similarity = np.array([[v @ s.vector for s in evidence] for v in vectors])  # (2, sentences)
        if similarity.max() < self.min_similarity:
            return None, "it says something else than the passage"
        return evidence[_holding(facts, evidence, similarity[0])], ""

    def verify(self, answer: str, passages: list[Passage], question: str, several_sources: bool = False) -> Verdict:
        claims = parse_claims(answer)
        if claims and all(ABSTAIN_PATTERNS.search(c.text) for c in claims):
            return Verdict([], [], abstained=True)
        by_number = {p.number: p for p in passages}
        texts = [t for c in claims for t in (c.text, f"{question} {c.text}")]
        vectors = self.embedder.encode(texts).reshape(len(claims), 2, -1) if claims else []
        kept, removed = [], []
        for claim, vector in zip(claims, vectors, strict=True):
            if ABSTAIN_PATTERNS.search(claim.text):
                removed.append(f"{claim.text} (says the articles are silent)")
                continue
            cited = [by_number[n] for n in claim.cited if n in by_number]
            reasons = []
            for passage in cited + [p for p in passages if p not in cited]:
                quote, reason = self.check(claim.text, vector, passage, question, several_sources)
                if quote is not None:
                    kept.append(Supported(claim.text, passage, quote))
                    break
                reasons.append(reason)
            else:
                removed.append(f"{claim.text} (unsupported: {reasons[0] if reasons else 'no passages'})")
        reason = self.unanswered(kept, question, passages)
        if reason:
            removed += [f"{s.text} ({reason})" for s in kept]
            kept = []
        return Verdict(kept, removed, abstained=False)

    def unanswered(
        self, kept: list[Supported], question: str, shown: list[Passage], max_unnamed: float | None = None
    ) -> str:
        """Why the kept sentences, true as they are, do not answer this question ("" if they do):
        no fact of the kind asked for, or more than `max_unnamed` (default: the verifier's) of the
        numbers and names it gives that no article shown or cited mentions. A question about
        several articles names details of each ("the 2022 dialogue…; how many…", "…published on
        October 6, 2023…"), and only some of them may be shown; one about something the articles
        never covered names mostly what they lack."""
        if not kept:
            return ""
        new = [
            s for s in kept if yes_no(question) or gives_more(s.text, [x.text for x in s.passage.sentences], question)
        ]
        if not any(answers_kind(s.text, question) for s in new):
            return "does not answer the question"
        evidence = text_of([*(s.passage.document for s in kept), *(p.document for p in shown)])
        absent, given = unnamed_given(question, evidence)
        share = self.max_unnamed if max_unnamed is None else max_unnamed
        if len(absent) > share * given:
            return f"the articles never name: {', '.join(absent)}"
        return ""

    def extract(self, sentences: list[Sentence], passages: list[Passage], question: str, tries: int = 3) -> Verdict:
        """When the model's words are all cut: the best retrieved sentence that, quoted as it
        stands, passes the same checks, stricter: its own article must cover the whole question."""
        for sentence in sentences[:tries]:
            passage = passage_of(sentence, passages)
            quoted = Supported(sentence.text, passage, sentence) if passage else None
            if quoted and not self.unanswered([quoted], question, shown=[], max_unnamed=0.0):  # own article: all
                return Verdict([quoted], [], abstained=False)
        return Verdict([], [], abstained=False)


def _holding(facts: tuple[set[str], set[str]], evidence: tuple[Sentence, ...], similarity: np.ndarray) -> int:
    """The index of the sentence a claim stands on: of the evidence sentences, the one holding
    the most of the claim's numbers and names that the question did not give (`facts`:
    `_new_facts`; "$220 million" stands on the sentence that writes it, not on a nearer one about
    $680 million), and of those the one most similar to the claim; by similarity alone for a
    claim with no such fact."""
    held = [_held(s.text, facts) for s in evidence]
    return max(range(len(evidence)), key=lambda i: (held[i], similarity[i]))


def _new_facts(claim: str, question: str) -> tuple[set[str], set[str]]:
    """The claim's numbers and names that the question did not give."""
    return numbers(claim) - numbers(question), names(claim) - names(question)


def _held(text: str, facts: tuple[set[str], set[str]]) -> int:
    """How many of `facts` (`_new_facts`) the text holds."""
    new_numbers, new_names = facts
    return len(numbers(text) & new_numbers) + sum(present(n, text) for n in new_names)


def unnamed_given(question: str, evidence: str) -> tuple[list[str], int]:
    """The numbers and names the question gives that the evidence (articles' text and headers)
    never mentions, numbers first, and how many numbers and names it gives."""
    given_numbers, given = numbers(question), given_names(question)
    absent = sorted(given_numbers - numbers(evidence)) + sorted(n for n in given if not mentioned(n, evidence))
    return absent, len(given_numbers) + len(given)


def unbound_names(claim: str, question: str, document: Document) -> list[str]:
    """The claim's subject, when it is a name the question gives and the cited article (its text
    and header) never names it; [] otherwise. The subject is the first name the claim writes: a
    sentence says its facts of it ("BBK signed with Liu Xiaoming…" for "With which UK company did
    BBK sign?"), and a passage from an article that never names it cannot say them, however well
    its other words match; names later in the sentence are its setting ("…at the summit in
    London") and are checked, as the question's, for the whole answer. A name of several words is
    also named by any one of them written as a name ("Xu, the governor, said…" names Governor Xu
    Dazhe: news names a person again by one part of the name). Never for a question that offers
    alternatives ("Which came first, the summit or the conference?"): the answer names them all."""
    subject = next(iter(names_in_order(claim)), None)
    if subject is None or offers_choice(question):
        return []
    given = [n for n in given_names(question) if mentioned(n, subject) or mentioned(subject, n)]
    if not given:
        return []
    article = text_of([document])
    written = {w for n in names(article) for w in name_words(n)}
    return sorted(
        n for n in given
        if not mentioned(n, article) and not (len(name_words(n)) > 1 and written & set(name_words(n)))
    )  # fmt: skip


def fact_sentences(claim: Supported, question: str) -> list[Sentence]:
    """The sentences of the claim's passage its facts come from: its supporting sentence and
    each one holding a number or name of the claim that the question did not give."""
    facts = _new_facts(claim.text, question)
    holding = [s for s in claim.passage.sentences if _held(s.text, facts)]
    return list({(s.document.id, s.start): s for s in [claim.quote, *holding]}.values())


def text_of(documents: Iterable[Document]) -> str:
    """The text and header of each distinct document, joined."""
    return " ".join({d.id: f"{d.text} {_about(d)}" for d in documents}.values())


def _about(document: Document, dated: bool = True) -> str:
    """What the model is told of a document besides its text: title, date, publisher, author
    (all but the date when not `dated`)."""
    about = " | ".join(p for p in (document.title, document.published if dated else None, document.publisher) if p)
    return f"{about} by {document.author}" if document.author else about


def _without_date(claim: str, published: str | None) -> str:
    """The claim with every mention of the article's date, written whole, taken out."""
    spans = written_dates(published, claim)
    return "".join(" " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(claim))
