"""Questions about several named sources ("according to The Verge and TechCrunch", "the report of
October 1 and the article of October 2"): each source's best sentence gets a passage of its own,
and the model is shown all of them, so that every part of the answer can cite its own article.

The sources are the publishers and dates the question names that the library holds (the search
already ranks each named publisher's chunks first). A question naming one source or none keeps
the fast path: the best passages, the model shown only those near the best.
"""

from __future__ import annotations

from ask.passages import Sentence
from index import Retriever
from index.query import analyze


def named_sources(question: str, retriever: Retriever) -> list[tuple[str, str]]:
    """The ("publisher", name) and ("date", YYYY-MM-DD) the question names; [] for fewer than two."""
    hints = analyze(question, retriever.aliases)
    sources = [("publisher", p) for p in hints.publishers] + [("date", d) for d in hints.dates]
    return sources if len(sources) >= 2 else []


def covering(sentences: list[Sentence], sources: list[tuple[str, str]]) -> list[Sentence]:
    """The sentences reordered so that each source's best one comes first (best sources first),
    then the rest as they were: passage selection then gives every source a passage."""
    firsts: list[Sentence] = []
    for kind, value in sources:
        best = next((s for s in sentences if _of(s, kind, value)), None)
        if best is not None and best not in firsts:
            firsts.append(best)
    firsts.sort(key=lambda s: -s.score)
    return firsts + [s for s in sentences if s not in firsts]


def _of(sentence: Sentence, kind: str, value: str) -> bool:
    document = sentence.document
    return document.publisher == value if kind == "publisher" else document.published == value
