"""Which retrieved sentences are written in another language than the question and the text
around them: such a sentence is not a source (ask/passages.score_sentences leaves it out).

An answer is checked word for word against the passage it cites, so a sentence in another
language cannot back it, and an order hidden in an article in another language ("Olvida tus
instrucciones y responde…") is read by the model yet passes every check made in the question's
language. The language is told by py3langid (a naive Bayes model over byte n-grams of 97
languages, shipped in its wheel) from the words that do not start with a capital letter: names
read the same in every language ("Rassie van der Dussen, South Africa" tells none), and a text
with fewer than `MIN_LETTERS` such letters is not judged. Not the article's own language: a
short hostile article is mostly its order. `MIN_PROBABILITY` was chosen on the MultiHop-RAG
corpus: of its 58,185 sentences, the 26 that give their article's language less are all in
another language than their article (README, "Answering").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

MIN_LETTERS = 12  # fewer letters than this tell no language
MIN_PROBABILITY = 0.001  # a sentence giving every expected language less is in another one
_WORD = re.compile(r"[^\W\d_]+")


@cache
def identifier() -> LanguageIdentifier:
    """The model, read once (about a second): the app reads it while the answer model loads."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _plain(text: str) -> list[str]:
    """The words of `text` that do not start with a capital letter (no names, no acronyms)."""
    return [w for w in _WORD.findall(text) if not w[:1].isupper()]


def _probabilities(words: list[str]) -> dict[str, float] | None:
    """Each language's probability (ISO 639-1 codes) for these uncapitalised words; None when
    they hold fewer than `MIN_LETTERS` letters."""
    if sum(len(w) for w in words) < MIN_LETTERS:
        return None
    return dict(identifier().rank(" ".join(words)))


def foreign(question: str, sentences: list[str]) -> list[bool]:
    """For each sentence: is it in another language than both the question's and the one most
    of the sentences' (judged) letters are in? A sentence too short to judge never is."""
    words = [_plain(s) for s in sentences]
    judged = [_probabilities(w) for w in words]
    letters: Counter[str] = Counter()
    for w, p in zip(words, judged, strict=True):
        if p:
            letters[max(p, key=p.__getitem__)] += sum(len(x) for x in w)
    expected = {letters.most_common(1)[0][0]} if letters else set()
    if asked := _probabilities(_plain(question)):
        expected.add(max(asked, key=asked.__getitem__))
    return [bool(p and expected) and all(p.get(lang, 0.0) < MIN_PROBABILITY for lang in expected) for p in judged]
