"""Questions that name their source: the answer must come from that source.

"According to China Daily, how many…", "What did Science and Technology Daily report…": an
answer taken from another outlet's article is not what the question asks, however true it is. A
question that names one publisher of the library (in any of the forms people write it,
index/query.py) is answered only from that publisher's articles, or from articles whose publisher
is unknown (a plain text file says nothing of it). And the first name of an "according to …"
phrase ("According to Reuters", "according to Jo Johnson") must be mentioned in the articles the
answer was given or cites: a source the articles lack is a reason to abstain by itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ask.names import given_names, mentioned
from ask.passages import Passage
from ask.verify import Supported, text_of
from index.query import mentions

_ACCORDING_TO = re.compile(r"\baccording to\b([^,;?]*)", re.I)


def named_publishers(question: str, aliases: dict[str, set[str]]) -> set[str] | None:
    """The publisher names the question's one named publisher may mean ("The Independent" may be
    any of its sections); None when it names none, or several."""
    named = {m.publishers for m in mentions(question, aliases)}
    return set(next(iter(named))) if len(named) == 1 else None


def attributed_name(question: str) -> str | None:
    """The first name of the question's "according to …" phrase, lowercased ("According to the
    PRNewswire release" -> "prnewswire"); None without one."""
    phrase = _ACCORDING_TO.search(question)
    found = given_names(f"x {phrase.group(1)}") if phrase else set()
    if not found:
        return None
    start = {n: phrase.group(1).lower().find(n.split()[0]) for n in found}
    return min(found, key=lambda n: (start[n] < 0, start[n]))


def misattributed(
    kept: Sequence[Supported], question: str, aliases: dict[str, set[str]], shown: Sequence[Passage]
) -> str:
    """Why the kept sentences are not what the source the question names says ("" if they are, or
    if it names none): none cites an article of the one publisher it names, or the articles given
    and cited never mention the name it attributes the answer to."""
    if not kept:
        return ""
    publishers = named_publishers(question, aliases)
    if publishers and not any(s.passage.document.publisher in publishers | {None} for s in kept):
        return f"none of its citations is an article of {' or '.join(sorted(publishers))}"
    name = attributed_name(question)
    if name and not mentioned(name, text_of([*(s.passage.document for s in kept), *(p.document for p in shown)])):
        return f"the articles never name the source it is attributed to: {name}"
    return ""
