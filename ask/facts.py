"""The checkable facts of a sentence (numbers, and names: ask/names.py) and what a question asks for.

Used by verification: a number in an answer must be found in the passage it cites, with the
currency, scale and percent the answer gives it ("$460 million" is not "460 projects"), and the
answer must be of the kind the question asks for ("how many" wants a number, "who" a name; a
bare yes or no answers only a yes/no question; whether the thing asked for is named or
counted, not only mentioned: ask/slots.py). The word lists here are general: number words,
words that speak of sources, the auxiliaries that open a yes/no question, nouns of quantities,
currencies and scales.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ask.names import names
from index.lexical import tokenize

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")  # a number as the checks read it (digits, with , or . inside)
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
_QUANTITY = (
    "population budget cost price value revenue size amount number total volume rate percentage share age salary "
    "distance area turnover profit output"
)
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_AUXILIARY = r"is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must"
WH_WORDS = r"what|which|who|whom|whose|when|where|why|how"  # a regex alternation
# The word that opens a question's main clause: an auxiliary (a yes/no question) or a wh-word.
_CLAUSE_OPENER = re.compile(rf"\s*(?:({_AUXILIARY})|{WH_WORDS})\b", re.I)
_CONJUNCTION = re.compile(r"^(?:and|but|so|or|then)\b[\s,]*", re.I)  # the coordinating ones that open a follow-up
_YES_NO_REPLY = re.compile(r"\s*(yes|no)\b", re.I)
_PLACE = re.compile(r"\b(?:in|at|from)\s+((?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")
# An answer that is names and nothing else ("Changsha, China", "London and Beijing."): the place asked for.
_NAMES_ONLY = re.compile(r"(?:[Tt]he\s+)?[A-Z][\w'’.-]*(?:(?:,\s*|\s+and\s+|\s+)[A-Z][\w'’.-]*)*[.!]?")
_MONTHS = "january february march april may june july august september october november december".split()


def numbers(text: str) -> set[str]:
    """Numbers in canonical form ("1,000" -> "1000", "06" -> "6"), number words included."""
    found = {_canonical(n) for n in NUMBER.findall(text)}
    return found | {_NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in _NUMBER_WORDS}


# A number's units, one spelling for each: its currency (sign or word), its scale and percent.
_CURRENCY = {"$": "$", "us$": "$", "usd": "$", "dollar": "$", "dollars": "$", "£": "£", "pound": "£", "pounds": "£",
             "€": "€", "euro": "€", "euros": "€", "¥": "¥", "yuan": "¥", "rmb": "¥", "yen": "¥"}  # fmt: skip
_SCALE = {"k": "thousand", "thousand": "thousand", "m": "million", "mn": "million", "million": "million",
          "bn": "billion", "billion": "billion", "trillion": "trillion"}  # fmt: skip
_WITH_UNITS = re.compile(
    rf"(?:(?P<sign>US\$|\$|£|€|¥)|\b(?P<code>RMB|USD)\s?)?(?P<number>{NUMBER.pattern})"
    r"(?:(?P<short>k|m|mn|bn)\b|\s*(?P<scale>thousand|million|billion|trillion)\b)?"
    r"(?:\s*(?P<percent>%|percent\b|per cent\b)|\s*(?:U\.?S\.?\s)?(?P<word>dollars?|pounds?|euros?|yuan|yen|RMB)\b)?",
    re.I,
)


class _Quantity(NamedTuple):
    text: str  # as written
    number: str  # canonical
    currency: str | None
    scale: str | None
    percent: bool


def _quantities(text: str) -> list[_Quantity]:
    """Each number of the text with its units, one spelling for each."""
    found = []
    for m in _WITH_UNITS.finditer(text):
        currency = m["sign"] or m["code"] or m["word"]
        scale = m["short"] or m["scale"]
        found.append(_Quantity(
            m[0].strip(), _canonical(m["number"]), _CURRENCY[currency.lower()] if currency else None,
            _SCALE[scale.lower()] if scale else None, m["percent"] is not None,
        ))  # fmt: skip
    return found


def misread_units(claim: str, *evidence: str) -> list[str]:
    """The numbers the claim writes with a currency, scale or percent that no evidence text writes
    with the same scale, that currency and that percent ("$460 million" against "460 projects",
    "$680" against "$680 million"), as the claim writes them. A bare number is left to `numbers`."""
    written = [q for text in evidence for q in _quantities(text)]
    misread = []
    for q in _quantities(claim):
        if (q.currency, q.scale, q.percent) == (None, None, False):
            continue
        if not any(
            w.number == q.number
            and w.scale == q.scale
            and q.currency in (None, w.currency)
            and (w.percent or not q.percent)
            for w in written
        ):
            misread.append(q.text)
    return misread


def number_value(token: str) -> str | None:
    """The number one token writes, in canonical form ("1,000" -> "1000", "nine" -> "9"); None
    for any other word."""
    return _canonical(token) if token[:1].isdigit() else _NUMBER_WORDS.get(token.lower())


def is_year(number: str) -> bool:
    """Is the canonical number a year (1800-2099)?"""
    return _YEAR.match(number) is not None


def _canonical(number: str) -> str:
    digits = number.replace(",", "")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits.lstrip("0") or "0"


def asked(question: str) -> str:
    """The part of a text that asks: its last sentence ending with a question mark (a follow-up
    asked together with the question before it asks what the follow-up asks; a trailing
    "(The Verge/TechCrunch)" or statement asks nothing), after a leading coordinating
    conjunction ("And who signed it for the UK?" asks who). The whole text if none ends so."""
    questions = [s for s in re.split(r"(?<=\?)\s+", question.strip()) if s.endswith("?")]
    return _CONJUNCTION.sub("", questions[-1] if questions else question.strip())


def wants(question: str) -> str | None:
    """What kind of fact the question asks for (its last question: `asked`): a number, a date,
    a place or a name."""
    q = asked(question).lower()
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
        return {n for n in new_numbers if not is_year(n)}
    if kind == "date":
        return new_numbers | {m for m in _MONTHS if m in text.lower()}
    given = _name_words(names(question))
    if kind == "name":
        return _name_words(names(text)) - given
    if kind == "place":  # a capitalised name after "in", "at" or "from" ("held in London"), or names alone
        spans = [m.group(1) for m in _PLACE.finditer(text)] + ([text] if _NAMES_ONLY.fullmatch(text.strip()) else [])
        return _name_words({n for span in spans for n in names(span)}) - given - set(_MONTHS)
    return set()


def new_details(text: str, question: str) -> set[str]:
    """The numbers and name words of `text` that the question did not give: what any answer to a
    question of no known kind ("Which company…", "In which field…") adds, or comes beside."""
    return (numbers(text) - numbers(question)) | (_name_words(names(text)) - _name_words(names(question)))


def _name_words(found: set[str]) -> set[str]:
    """The words of names, split at spaces and hyphens ("hunan-uk summit" -> hunan, uk, summit)."""
    return {w for n in found for w in re.split(r"[\s-]+", n)}


def yes_no(question: str) -> bool:
    """Is it a question answered by yes or no ("Did both reports…", "Is there consistency…")?
    Its main clause opens with an auxiliary, at the start or after an opening phrase set off by a
    comma ("Between the report of May 1 and that of May 9, was the portrayal consistent?"); the
    first clause that opens with an auxiliary or a wh-word decides ("After the talks, who
    signed…?" asks who). One that offers alternatives ("Was it signed before or after…?") asks
    which, not whether. Of several questions, the last decides (`asked`)."""
    for clause in re.split(r"[,;]", asked(question)):
        opener = _CLAUSE_OPENER.match(clause)
        if opener:
            return opener.group(1) is not None and not offers_choice(question)
    return False


def offers_choice(question: str) -> bool:
    """Does the question offer alternatives ("Which happened first, the memorandum or the
    dialogue?", "…before or after…?")? Its answer picks one, in the question's own words."""
    return re.search(r"\bor\b", question) is not None


def answers_kind(claim: str, question: str) -> bool:
    """Does the claim hold a fact of the kind the question asks for, one the question did not give?
    A claim that opens with yes or no answers only a yes/no question. Whether the fact is the one
    asked about (the trade figure, not the investment figure) is the model's judgement
    (ask/judge.py), not a rule of words."""
    if _YES_NO_REPLY.match(claim) and not yes_no(question):
        return False
    if wants(question) is None:
        return True
    return bool(new_facts(claim, question))
