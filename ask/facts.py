"""The checkable facts of a sentence (numbers, and names: ask/names.py) and what a question asks for.

Used by verification: a number in an answer must be found in the passage it cites, and the
answer must be of the kind the question asks for ("how many" wants a number, "who" a name; a
bare yes or no answers only a yes/no question; a thing mentioned only indefinitely, "an
institute" for "which institute", is not given; a number answers "how many N" only where its
passage writes it as a count of N). The word lists here are general: number words, words that
speak of sources, the auxiliaries that open a yes/no question, nouns of quantities, the English
indefinite article and pronouns.
"""

from __future__ import annotations

import re

from ask.names import FUNCTION_WORDS, names
from index.lexical import stem, tokenize

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
# The noun a question asks about: the words after which/what/whose, or after "who is the".
_ASKED_NOUN = re.compile(r"\b(?:which|what|whose)\s+|\b(?:who|what)\s+(?:is|was|are|were)\s+(?:the|an?)\s+", re.I)
# What introduces a thing without saying which: the indefinite article, the indefinite pronouns.
_INDEFINITE = re.compile(r"\b(?:(an?|another)\s+|(?:some|any)(?:thing|one|body|where)\b)", re.I)
_CLAUSE_END = re.compile(r"[,;:.!?](?=\s|$)")
_HOW_MANY = re.compile(r"\bhow many\s+", re.I)
_NUMBER_OR_WORD = re.compile(r"\d+(?:[.,]\d+)*|[A-Za-z]+")
_WORD = re.compile(r"[\w'’-]+")
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
        return {n for n in new_numbers if not _YEAR.match(n)}
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
    text, found = asked(question), set()
    for opener in _ASKED_NOUN.finditer(text):
        for word in _WORD.findall(text[opener.end() :])[:4]:
            if word.lower() in FUNCTION_WORDS and word.lower() != "of":
                break
            found.add(stem(word))
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
    given = {n for n in numbers(claim) - numbers(question) if not _YEAR.match(n)} if nouns else set()
    if not given:
        return False
    return not any(counts(sentence, n, nouns) for n in given for sentence in passage if n in numbers(sentence))


def counted_nouns(question: str) -> set[str]:
    """The stems of what a how-many question counts ("How many new energy vehicle makers…" ->
    new, energi, vehicl, maker): up to four words after "how many", to the first function word;
    empty for any other question."""
    text = asked(question)
    opener = _HOW_MANY.search(text)
    if opener is None:
        return set()
    found = set()
    for word in _WORD.findall(text[opener.end() :])[:4]:
        if word.lower() in FUNCTION_WORDS:
            break
        found.add(stem(word))
    return found


def counts(sentence: str, number: str, nouns: set[str]) -> bool:
    """Is `number` (canonical, as `numbers` gives it) written in the sentence as a count of one of
    the nouns: one of them among the five words after it, in its clause ("13 new energy vehicle
    manufacturers", "nine investment projects", "nearly 40 years")? English writes a count
    before what it counts; "$220 million paid-in investment" counts no vehicles."""
    for found in _NUMBER_OR_WORD.finditer(sentence):
        token = found.group(0)
        value = _canonical(token) if token[0].isdigit() else _NUMBER_WORDS.get(token.lower())
        if value != number:
            continue
        rest = sentence[found.end() :]
        clause_end = _CLAUSE_END.search(rest)
        after = _WORD.findall(rest[: clause_end.start() if clause_end else len(rest)])[:5]
        if nouns & {stem(w) for w in after}:
            return True
    return False
