"""Does a sentence give the thing its question asks for, rather than only mention it?

A sentence that says the question again gives nothing (`restates`). Two readings of English
grammar, not lists of phrases, catch a sentence that adds words but still gives nothing: a
thing introduced with the indefinite article or an indefinite pronoun ("a chairman", "an
institute in Hunan", "something") is not said to be any particular one, so it does not answer
"Who is the chairman…?", "Which institute…?" or "What does it plan to promote?"; and a count is
written before what it counts ("13 new energy vehicle manufacturers", "nine investment
projects"), so a number answers "How many N…?" only where its passage writes it so. Used by
`Verifier.unanswered` (ask/verify.py) beside the check of the kind of fact asked
(ask/facts.py). The word lists here are general: the English indefinite article and pronouns,
and function words (ask/names.FUNCTION_WORDS).
"""

from __future__ import annotations

import re

from ask.facts import FRAMING, NUMBER, asked, is_year, number_value, numbers, offers_choice, yes_no
from ask.names import FUNCTION_WORDS, names
from index.lexical import stem, tokenize

# The noun a question asks about: the words after which/what/whose, or after "who is the".
_ASKED_NOUN = re.compile(r"\b(?:which|what|whose)\s+|\b(?:who|what)\s+(?:is|was|are|were)\s+(?:the|an?)\s+", re.I)
# What introduces a thing without saying which: the indefinite article, the indefinite pronouns.
_INDEFINITE = re.compile(r"\b(?:(an?|another)\s+|(?:some|any)(?:thing|one|body|where)\b)", re.I)
_CLAUSE_END = re.compile(r"[,;:.!?](?=\s|$)")
_HOW_MANY = re.compile(r"\bhow many\s+", re.I)
_NUMBER_OR_WORD = re.compile(rf"{NUMBER.pattern}|[A-Za-z]+")
_WORD = re.compile(r"[\w'’-]+")


def gives_more(claim: str, passage: list[str], question: str) -> bool:
    """Does the claim give what the question lacks, and not only as a mention? "A UK minister
    took part…" says the question again (`restates`); "…has a chairman who…" names no chairman
    (`indefinite_only`); "…will last for 3 days", the 3 of "July 3", counts no days
    (`uncounted`; `passage`: the sentences of the passage the claim comes from)."""
    return not (restates(claim, question) or indefinite_only(claim, question) or uncounted(claim, passage, question))


def restates(claim: str, question: str) -> bool:
    """Does the claim only say again what the question says: no word, number or name the question
    lacks ("A UK minister took part in the dialogue." for "Which UK minister took part in the
    dialogue?")? Never for a question that offers alternatives: naming one of them answers it."""
    if offers_choice(question):
        return False
    words = set(tokenize([claim])[0]) - set(tokenize([question])[0]) - FRAMING
    return not words and numbers(claim) <= numbers(question) and names(claim) <= names(question)


def indefinite_only(claim: str, question: str) -> bool:
    """Does the claim give what the question asks for only as an indefinite mention ("The 48
    Group Club has a chairman who spoke about trade with China." for "Who is the chairman of The
    48 Group Club?", "…promote something in Hunan." for "What does it plan to promote?")? Each
    mention of the asked noun with the indefinite article, and each indefinite pronoun, is set
    aside to the end of its clause; the claim is such an answer when what is left says nothing
    the question lacks: no number, no name, no word but function words. A mention that describes
    ("a cooperative procurement agreement" for "What kind of agreement?": a word before the noun
    the question lacks) or counts ("a 20 percent rise") is the answer, and stays. Never for a
    yes/no question or one that offers alternatives."""
    if yes_no(question) or offers_choice(question):
        return False
    rest = _without_indefinite(claim, question)
    if rest == claim:
        return False
    new_words = _content_words(rest) - _content_words(question) - FRAMING
    return not new_words and numbers(rest) <= numbers(question) and names(rest) <= names(question)


def _without_indefinite(claim: str, question: str) -> str:
    """The claim with its indefinite mentions of what the question asks for set aside, each to
    the end of its clause."""
    nouns, given = asked_nouns(question), {stem(w) for w in _WORD.findall(question)}
    kept, last = [], 0
    for mention in _INDEFINITE.finditer(claim):
        if mention.start() < last:
            continue
        if mention.group(1):  # "a"/"an"/"another": the words after it, up to one the question lacks
            words = []
            for word in _WORD.findall(claim[mention.end() :]):
                if stem(word) not in given and word.lower() not in FUNCTION_WORDS:
                    break
                words.append(stem(word))
            if not nouns & set(words):
                continue
        end_match = _CLAUSE_END.search(claim, mention.end())
        end = end_match.start() if end_match else len(claim)
        if numbers(claim[mention.start() : end]) - numbers(question):
            continue
        kept.append(claim[last : mention.start()])
        last = end
    return " ".join([*kept, claim[last:]]) if last else claim


def asked_nouns(question: str) -> set[str]:
    """The stems of the noun phrase the question asks about ("which UK minister" -> uk, minist;
    "who is the chairman of…" -> chairman; "what kind of agreement" -> kind, agreement): up to
    four words after its wh-word, to the first function word but "of"."""
    text = asked(question)
    found = {w for opener in _ASKED_NOUN.finditer(text) for w in _phrase_after(text, opener.end(), through="of")}
    return found - {"of"}


def _content_words(text: str) -> set[str]:
    """The stems of a text's words that are not function words."""
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS}


def uncounted(claim: str, passage: list[str], question: str) -> bool:
    """For a how-many question: does the claim give numbers the question lacks (years aside), none
    of them written in a sentence of its passage as a count of what is asked (`counts`)? "The
    conference will last for 3 days", its 3 from "July 3, 2020", counts no days. Any other
    question, or a claim without such numbers, is left to the other checks."""
    nouns = counted_nouns(question)
    given = {n for n in numbers(claim) - numbers(question) if not is_year(n)} if nouns else set()
    if not given:
        return False
    return not any(counts(sentence, n, nouns) for n in given for sentence in passage if n in numbers(sentence))


def counted_nouns(question: str) -> set[str]:
    """The stems of what a how-many question counts ("How many new energy vehicle makers…" ->
    new, energi, vehicl, maker): up to four words after "how many", to the first function word;
    empty for any other question."""
    text = asked(question)
    opener = _HOW_MANY.search(text)
    return _phrase_after(text, opener.end()) if opener else set()


def _phrase_after(text: str, start: int, through: str = "") -> set[str]:
    """The stems of up to four words of `text` from `start`, to the first function word (but
    `through`): the noun phrase a wh-word or "how many" opens."""
    found = set()
    for word in _WORD.findall(text[start:])[:4]:
        if word.lower() in FUNCTION_WORDS and word.lower() != through:
            break
        found.add(stem(word))
    return found


def counts(sentence: str, number: str, nouns: set[str]) -> bool:
    """Is `number` (canonical, as `numbers` gives it) written in the sentence as a count of one of
    the nouns: one of them among the five words after it, in its clause ("13 new energy vehicle
    manufacturers", "nine investment projects", "nearly 40 years")? English writes a count
    before what it counts; "$220 million paid-in investment" counts no vehicles."""
    for found in _NUMBER_OR_WORD.finditer(sentence):
        if number_value(found.group(0)) != number:
            continue
        rest = sentence[found.end() :]
        clause_end = _CLAUSE_END.search(rest)
        after = _WORD.findall(rest[: clause_end.start() if clause_end else len(rest)])[:5]
        if nouns & {stem(w) for w in after}:
            return True
    return False
