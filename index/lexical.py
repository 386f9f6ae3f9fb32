"""BM25 over chunk texts (bm25s), with one tokenizer shared by indexing and querying."""

from __future__ import annotations

from functools import lru_cache

import bm25s
import numpy as np
import Stemmer


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def tokenize(texts: list[str]) -> list[list[str]]:
    """Lowercased, stemmed words of two or more characters, English stopwords removed."""
    return bm25s.tokenize(texts, stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


def stem(word: str) -> str:
    """One lowercased word's stem, as `tokenize` makes it (stopwords kept)."""
    return _stemmer().stemWord(word.lower())


def build_bm25(texts: list[str]) -> bm25s.BM25:
    """The BM25 index of `texts` (quick: no progress bar of its own; the embedding is the slow part)."""
    retriever = bm25s.BM25()
    retriever.index(tokenize(texts), show_progress=False)
    return retriever


def bm25_scores(retriever: bm25s.BM25, query: str) -> np.ndarray:
    """A BM25 score for every indexed chunk (zeros when no query word is in the vocabulary)."""
    words = [w for w in tokenize([query])[0] if w in retriever.vocab_dict]
    if not words:
        return np.zeros(retriever.scores["num_docs"], dtype=np.float32)
    return retriever.get_scores(words)
