"""Names in text, and whether a text mentions a name in any of its usual forms.

A name is a run of capitalised words ("Lord David Willetts", "Zhuzhou Municipal People's
Government"). A text mentions it when one of its sentences holds every word of the name, in any
order and form: "Hunan's Department of Commerce" is "the Department of Commerce of Hunan
Province", "China-UK memorandum" is "a memorandum between China and the UK". A word matches
itself, its stem, a spelling one letter away when it is long ("Province"/"Provence"), or, for a
short acronym, its words spelled out ("UK"/"United Kingdom", "R&D"/"research and development").
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from index.lexical import stem, tokenize
from ingest import split_sentences

# General function words: scikit-learn's English stop words and the auxiliaries that open questions.
FUNCTION_WORDS = ENGLISH_STOP_WORDS | {"did", "does", "do", "has", "have", "had", "was", "were", "is", "are", "yes"}
_JOINERS = {"and", "of", "the", "for", "on", "in", "de", "la", "von", "van"}  # inside names, not part of them
_WORD = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)*")


def names(text: str) -> set[str]:
    """Runs of capitalised words, lowercased, a possessive dropped from the last word
    ("Hunan's" -> "hunan")."""
    return set(names_in_order(text))


def names_in_order(text: str) -> list[str]:
    """`names`, in the order the text first writes them."""
    runs, current = [], []
    for m in re.finditer(r"[\w'&.-]+|[^\w\s]", text.replace("’", "'")):
        word = m.group().strip(".'")
        if word[:1].isupper() and (current or word.lower() not in FUNCTION_WORDS):
            current.append(word)
        else:
            runs.append(current)
            current = []
    runs.append(current)
    return list(dict.fromkeys(re.sub(r"['’]s$", "", " ".join(run)).lower() for run in runs if run))


def given_names(question: str) -> set[str]:
    """The names a question gives: `names`, its first word read as a plain word. Every question
    starts with a capital, so there a capital says nothing ("Considering the reports…", "Roughly
    what share…"); a longer name that starts the question keeps its other words."""
    return names(re.sub(r"^\W*\w", lambda m: m.group().lower(), question.strip()))


def name_words(name: str) -> list[str]:
    """The words that make a name, without joiners and possessives: "hunan's department of commerce"
    -> ["hunan", "department", "commerce"]."""
    words = _WORD.findall(re.sub(r"['’]s\b", "", name.lower()))
    return [w for w in words if w not in _JOINERS]


def mentioned(name: str, text: str) -> bool:
    """Some sentence of `text` holds every word of the (lowercased) name, in any order and form."""
    text = text.replace("’", "'")
    if name in text.lower():
        return True
    wanted = name_words(name)
    if not wanted:
        return True
    for start, end in split_sentences(text):  # sentence ends are told by their capitals: split first
        sentence = text[start:end].lower()
        words = set(_WORD.findall(sentence))
        if all(_word_in(w, words, sentence) for w in wanted):
            return True
    return False


def present(name: str, text: str) -> bool:
    """A capitalised run is mentioned in the text; a lone capitalised word may also be an ordinary
    word that starts a sentence ("Trade rose", "Another says"): then its stem will do."""
    if mentioned(name, text):
        return True
    if " " in name or "-" in name:
        return False
    stem = tokenize([name])[0]
    return not stem or stem[0] in set(tokenize([text])[0])


def _word_in(word: str, words: set[str], sentence: str) -> bool:
    if word in words:
        return True
    if len(word) >= 5 and any(stem(word) == stem(w) for w in words if w[:3] == word[:3]):
        return True
    if len(word) >= 6 and any(_one_apart(word, w) for w in words if abs(len(w) - len(word)) <= 1):
        return True
    letters = word.replace("&", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and _spelled_out(letters, sentence)


def _one_apart(a: str, b: str) -> bool:
    """One substitution, insertion or deletion turns a into b."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    same_length = len(a) == len(b)
    return any(
        a[:i] == b[:i] and (a[i:] == b[i + 1 :] or (same_length and a[i + 1 :] == b[i + 1 :])) for i in range(len(b))
    )


def _spelled_out(letters: str, text: str) -> bool:
    """The letters are the initials of consecutive words of the text ("uk": "united kingdom")."""
    words = re.findall(r"[a-z]+", text)
    for i, first in enumerate(words):
        if first[0] != letters[0]:
            continue
        j, k = i, 0
        while j < len(words) and k < len(letters):
            if words[j][0] == letters[k]:
                k += 1
            elif k == 0 or words[j] not in _JOINERS:
                break
            j += 1
        if k == len(letters):
            return True
    return False
