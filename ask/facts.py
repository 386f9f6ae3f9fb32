"""The checkable facts of a sentence (numbers, names) and what a question asks for.

Used by verification: a number or name in an answer must be found in the passage it cites, the
answer must be of the kind the question asks for ("how many" wants a number), and the articles
cited must mention every key word of the question.
"""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from index.lexical import tokenize

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
FRAMING = set(
    tokenize([
        "article articles report reports reported say says said according another one state states stated mention "
        "mentions mentioned note notes noted write writes wrote source sources passage passages however also both"
    ])[0]
)  # fmt: skip
# Words of a question's form rather than its subject: "did", "took part", "according to".
_QUESTION_FORM = set(
    tokenize([
        "did does do doing done take took taken give gave given come came according article articles report "
        "reports reported say says said share date year years name named happen happened mention mentioned quote "
        "quoted hold holds held place located kind kinds type types sort value write writes wrote written author "
        "job title"
    ])[0]
)  # fmt: skip
_QUANTITY = (
    "population budget cost price value revenue size amount number total volume rate percentage share age salary "
    "distance area turnover profit output"
)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_AUX = "is|was|are|were|has|have|had|did|does|do|will|would|can|could"
# "how many new energy vehicle manufacturers are ...", "how much was trade between ...": the thing counted
_COUNTED = re.compile(
    rf"\bhow (?:many|much)\s+(?:(?:{_AUX})\s+(?:the\s+)?)?([a-z][a-z'’\s-]*?)"
    rf"(?=\s+(?:{_AUX}|between|of|in|at|for|from|to|by|on|with|there|that|this|than|per)\b|[?,.;]|$)"
)
_NOT_NAMES = ENGLISH_STOP_WORDS | {"did", "does", "do", "has", "have", "had", "was", "were", "is", "are", "yes"}
_PLACE = re.compile(r"\b(?:in|at|from)\s+((?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")
_JOINERS = {"and", "of", "the", "for"}  # inside a spelled-out acronym: "research and development"
_MONTHS = "january february march april may june july august september october november december".split()


def numbers(text: str) -> set[str]:
    """Numbers in canonical form ("1,000" -> "1000", "06" -> "6"), number words included."""
    found = {_canonical(n) for n in _NUMBER.findall(text)}
    return found | {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


def _canonical(number: str) -> str:
    digits = number.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits.lstrip("0") or "0"


def names(text: str) -> set[str]:
    """Runs of capitalised words ("Lord David Willetts", "Zhuzhou Municipal People's Government"),
    lowercased, a possessive dropped from the last word ("Hunan's" -> "hunan")."""
    runs, current = [], []
    for m in re.finditer(r"[\w'&.-]+|[^\w\s]", text.replace("’", "'")):
        word = m.group().strip(".'")
        if word[:1].isupper() and (current or word.lower() not in _NOT_NAMES):
            current.append(word)
        else:
            runs.append(current)
            current = []
    runs.append(current)
    return {re.sub(r"['’]s$", "", " ".join(run)).lower() for run in runs if run}


def present(name: str, text: str, stems: set[str]) -> bool:
    """A capitalised run is in the text; a lone capitalised word may also be an ordinary word
    that starts the sentence ("Trade rose", "Another says"): then its stem will do."""
    if mentioned(name, text):
        return True
    if " " in name:
        return False
    stem = tokenize([name])[0]
    return not stem or stem[0] in stems


def mentioned(name: str, text: str) -> bool:
    """The (lowercased) name is in the (lowercased) text, or it is a short acronym the text spells
    out: "uk" for "united kingdom", "r&d" for "research and development"."""
    if name in text.replace("’", "'"):
        return True
    letters = re.sub(r"[&.]", "", name)
    return " " not in name and 2 <= len(letters) <= 4 and letters.isalpha() and _spelled_out(letters, text)


def _spelled_out(letters: str, text: str) -> bool:
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


def wants(question: str) -> str | None:
    """What kind of fact the question asks for: a number, a date, or a name."""
    q = question.lower()
    if re.search(rf"\bhow (many|much)\b|\bby how much\b|\bwhat (is|was|are|were) the ({_QUANTITY.replace(' ', '|')})\b"
                 r"|\bwhat (percentage|share|proportion|number|amount)\b", q):  # fmt: skip
        return "number"
    if re.search(r"^when\b|\bwhat (year|date|day|month)\b|\bon what date\b|\bin (what|which) year\b", q):
        return "date"
    if re.search(r"^where\b|\bwhere (is|was|were|are|did|does|do)\b|\bin (what|which) (city|country|place)\b", q):
        return "place"
    if re.search(r"^who\b|\bwho (is|was|were|are|did|does|do)\b", q):
        return "name"
    return None


def new_facts(text: str, question: str) -> set[str]:
    """The facts in `text` of the kind the question asks for that the question did not give:
    numbers (not years) for "how many", numbers and months for "when", name words for "who"."""
    kind = wants(question)
    new_numbers = numbers(text) - numbers(question)
    if kind == "number":
        return {n for n in new_numbers if not _YEAR.match(n)}
    if kind == "date":
        return new_numbers | {m for m in _MONTHS if m in text.lower()}
    asked = {w for n in names(question) for w in re.split(r"[\s-]+", n)}
    if kind == "name":
        return {w for n in names(text) for w in re.split(r"[\s-]+", n)} - asked
    if kind == "place":  # a capitalised name after "in", "at" or "from": "held in London"
        places = {n for m in _PLACE.finditer(text) for n in names(m.group(1))}
        return {w for n in places for w in re.split(r"[\s-]+", n)} - asked - set(_MONTHS)
    return set()


def counted(question: str) -> set[str]:
    """The stems of what a "how many / how much" question counts ("how much was trade" -> trade)."""
    m = _COUNTED.search(question.lower())
    return set(tokenize([m.group(1)])[0]) - _QUESTION_FORM if m else set()


def answers_kind(claim: str, question: str, support: str = "") -> bool:
    """Does the claim hold a fact of the kind the question asks for, one the question did not give?
    For "how many X" the claim or its supporting sentence must also speak of X."""
    if wants(question) is None:
        return True
    things = counted(question)
    if things and not things & set(tokenize([f"{claim} {support}"])[0]):
        return False
    return bool(new_facts(claim, question))


def key_words(question: str) -> set[str]:
    """The stemmed words that say what a question is about (not how it is asked)."""
    kept = " ".join(w for w in question.split() if w.lower().strip("?,.!;:'\"") not in ENGLISH_STOP_WORDS)
    return {w for w in tokenize([kept])[0] if not w[:1].isdigit()} - _QUESTION_FORM
