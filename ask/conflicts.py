"""Conflicting accounts: another article gives a different figure, date or place for exactly
what was asked ("held in London" against "held in Changsha"). People are left out: any sentence
names someone, so "a different name" says nothing about disagreement.

Looked for only when the answer rests on one article: among the sentences almost as relevant to
the question as the best one, a sentence of another article whose facts of the asked kind share
none with the answer's, whose article passes the same question checks as the answer and holds
at least as many of the question's words as the answer's own article does: an account of the
same thing, not a sentence that happens to hold a number ("more than 30 Hunan companies took
part" is no other count of Hunan's car makers when its article never speaks of car makers).
"""

from __future__ import annotations

from ask.facts import FRAMING, new_facts, wants
from ask.passages import Passage, Sentence, passage_of
from ask.verify import Supported, Verifier
from index.lexical import tokenize
from ingest import Document


def other_account(
    kept: list[Supported],
    sentences: list[Sentence],
    passages: list[Passage],
    question: str,
    verifier: Verifier,
    margin: float = 0.65,
) -> Supported | None:
    """A sentence of another article that contradicts the answer, quoted as a claim; or None."""
    cited = {s.passage.document.id for s in kept}
    if wants(question) not in ("number", "date", "place") or len(cited) != 1 or not sentences:
        return None
    given = set().union(*(new_facts(s.text, question) for s in kept))
    asked = set(tokenize([question])[0]) - FRAMING
    needed = len(asked & _words(kept[0].passage.document))
    for sentence in sentences:
        if sentence.score < margin * sentences[0].score:
            break
        passage = passage_of(sentence, passages)
        other = new_facts(sentence.text, question)
        if sentence.document.id in cited or passage is None or not other or other & given:
            continue
        if len(asked & _words(sentence.document)) < needed:
            continue
        account = Supported(f"Another article differs: “{sentence.text}”", passage, sentence)
        if not verifier.unanswered([account], question, shown=[]):  # its own article: the question, up to max_unnamed
            return account
    return None


def _words(document: Document) -> set[str]:
    return set(tokenize([f"{document.header} {document.text}"])[0])
