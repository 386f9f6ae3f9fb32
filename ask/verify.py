"""Check every sentence of a model's answer against the passage it cites; fix or cut what fails.

A sentence is supported by a passage when every number, date, amount and name in it appears in
the passage (or its title, date and publisher, or the question itself), and it says much the same
as one of the passage's sentences: close embeddings, or most of its words. A citation that fails
is re-pointed to a passage that supports the sentence; a sentence nothing supports is removed.
Markers that point at no passage never survive. Sentences of a passage that read like orders to
the model ("ignore previous instructions") support nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ask.passages import Passage, Sentence
from index import Embedder
from index.lexical import tokenize
from ingest import split_sentences

_MARKER = re.compile(r"\s*\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NUMBER_WORDS = dict(
    zip(
        "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty thirty forty fifty hundred".split(),  # not "one": "one article says"
        [*map(str, range(2, 21)), "30", "40", "50", "100"],
        strict=True,
    )
)
# Words about the sources rather than facts from them: "one article says", "another reports".
_FRAMING = set(
    tokenize([
        "article articles report reports reported say says said according another one state states stated mention "
        "mentions mentioned note notes noted write writes wrote source sources passage passages however also both"
    ])[0]
)  # fmt: skip
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|prompt|rules|above)\b|\byou are now\b|\bsystem prompt\b"
    r"|\b(answer|reply|respond|say)\b.{0,30}\b(instead|only with|exactly)\b",
    re.I,
)
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
    repointed: bool


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
        text = _MARKER.sub("", sentence).strip()
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


def numbers(text: str) -> set[str]:
    """Numbers in canonical form ("1,000" -> "1000", "06" -> "6"), number words included."""
    found = {_canonical(n) for n in _NUMBER.findall(text)}
    return found | {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


def names(text: str) -> set[str]:
    """Runs of capitalised words ("Lord David Willetts", "CRRC Zhuzhou Institute"), lowercased."""
    runs, current = [], []
    for m in re.finditer(r"[\w'’&.-]+|[^\w\s]", text):
        word = m.group().rstrip(".")
        if word[:1].isupper() and (current or word.lower() not in ENGLISH_STOP_WORDS):
            current.append(re.sub(r"['’]s$", "", word))
        else:
            runs.append(current)
            current = []
    runs.append(current)
    return {" ".join(run).lower() for run in runs if run}


def _present(name: str, text: str, stems: set[str]) -> bool:
    """A capitalised run is in the text; a lone capitalised word may also be an ordinary word
    that starts the sentence ("Trade rose", "Another says"): then its stem will do."""
    if name in text:
        return True
    if " " in name:
        return False
    stem = tokenize([name])[0]
    return not stem or stem[0] in stems


def _canonical(number: str) -> str:
    digits = number.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits.lstrip("0") or "0"


def _wants(question: str) -> str | None:
    """What kind of fact the question asks for: a number, a date, or a name."""
    q = question.lower()
    if re.search(r"\bhow (many|much)\b|\bwhat (percentage|share|proportion|number|amount)\b|\bby how much\b", q):
        return "number"
    if re.search(r"^when\b|\bwhat (year|date|day|month)\b|\bon what date\b|\bin (what|which) year\b", q):
        return "date"
    if re.search(r"^who\b|\bwho (is|was|were|are)\b", q):
        return "name"
    return None


def answers_kind(claim: str, question: str) -> bool:
    kind = _wants(question)
    if kind == "number":
        return bool(numbers(claim))
    if kind == "date":
        return bool(numbers(claim)) or any(m in claim.lower() for m in _MONTHS)
    if kind == "name":
        return bool(names(claim) - names(question))
    return True


_MONTHS = "january february march april may june july august september october november december".split()


class Verifier:
    """Holds the thresholds; `check` one claim, `verify` a whole answer."""

    def __init__(self, embedder: Embedder, min_similarity: float = 0.35, min_overlap: float = 0.8) -> None:
        self.embedder = embedder
        self.min_similarity = min_similarity
        self.min_overlap = min_overlap

    def check(
        self, claim: str, vectors: np.ndarray, passage: Passage, question: str, asked: str
    ) -> tuple[Sentence | None, str]:
        """The passage sentence that supports `claim`, or None and the reason it does not.
        `vectors` embed the claim, and the question with the claim (a bare "2015" means nothing
        alone); `asked` is the text of every passage's article, where the question's names must be."""
        evidence = [s for s in passage.sentences if not _INSTRUCTION.search(s.text)]
        if not evidence:
            return None, "the passage holds only instructions"
        local = " ".join([*(s.text for s in evidence), passage.document.header])
        whole = " ".join([passage.document.text, passage.document.header])
        if not numbers(claim) <= numbers(local) | numbers(question):
            return None, "a number is not in the passage"
        # Names must be in the passage; those the question itself uses, anywhere in the article.
        stems = set(tokenize([local])[0])
        asked = names(question)
        if not all(_present(n, (whole if n in asked else local).lower(), stems) for n in names(claim)):
            return None, "a name is not in the passage"
        if not (numbers(question) <= numbers(whole) and all(n in asked for n in names(question))):
            return None, "the articles are not about what the question names"
        words = {w for w in tokenize([claim])[0] if not w[:1].isdigit()} - _FRAMING  # numbers: checked above
        known = set(tokenize([local])[0]) | (set(tokenize([question])[0]) & set(tokenize([whole])[0]))
        if len(words - known) > int(len(words) * (1 - self.min_overlap)):
            return None, f"words not in the passage: {', '.join(sorted(words - known))}"
        similarity = np.array([[v @ s.vector for s in evidence] for v in vectors])  # (2, sentences)
        if similarity.max() < self.min_similarity:
            return None, "it says something else than the passage"
        return evidence[int(np.argmax(similarity[0]))], ""

    def verify(self, answer: str, passages: list[Passage], question: str) -> Verdict:
        claims = parse_claims(answer)
        if claims and all(ABSTAIN_PATTERNS.search(c.text) for c in claims):
            return Verdict([], [], abstained=True)
        by_number = {p.number: p for p in passages}
        texts = [t for c in claims for t in (c.text, f"{question} {c.text}")]
        vectors = self.embedder.encode(texts).reshape(len(claims), 2, -1) if claims else []
        asked = " ".join({p.document.id: f"{p.document.text} {p.document.header}" for p in passages}.values()).lower()
        kept, removed = [], []
        for claim, vector in zip(claims, vectors, strict=True):
            if ABSTAIN_PATTERNS.search(claim.text):
                removed.append(f"{claim.text} (says the articles are silent)")
                continue
            cited = [by_number[n] for n in claim.cited if n in by_number]
            reasons = []
            for passage in cited + [p for p in passages if p not in cited]:
                quote, reason = self.check(claim.text, vector, passage, question, asked)
                if quote is not None:
                    kept.append(Supported(claim.text, passage, quote, repointed=passage not in cited))
                    break
                reasons.append(reason)
            else:
                removed.append(f"{claim.text} (unsupported: {reasons[0] if reasons else 'no passages'})")
        if kept and not any(answers_kind(s.text, question) for s in kept):
            removed += [f"{s.text} (does not answer the question)" for s in kept]
            kept = []
        return Verdict(kept, removed, abstained=False)
