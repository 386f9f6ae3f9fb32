"""What a news question says about where to look: publishers it names and dates it mentions.

"according to TechCrunch", "a report from The Independent - Life and Style published on
December 6, 2023": the publishers are matched against those of the indexed documents (also by
the short forms people use, "The Independent" or "CNBC"), the dates are parsed to ISO form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ingest.metadata import parse_date

_DATE_PHRASE = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}"
    r"|\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4})\b",
    re.I,
)


@dataclass(frozen=True)
class QueryHints:
    publishers: tuple[str, ...] = ()  # exact publisher names of indexed documents
    dates: tuple[str, ...] = ()  # YYYY-MM-DD


def publisher_aliases(publishers: Iterable[str]) -> dict[str, set[str]]:
    """Lowercased ways of naming each publisher -> the publisher names they may mean."""
    aliases: dict[str, set[str]] = {}
    for name in publishers:
        full = " ".join(name.lower().split())
        forms = {full, re.split(r"\s+[-|:–]\s+|\s*\|\s*", full)[0].strip()}
        forms |= {f.removeprefix("the ") for f in forms if len(f.removeprefix("the ")) > 3}
        for form in forms:
            if len(form) >= 3:
                aliases.setdefault(form, set()).add(name)
    return aliases


def analyze(query: str, aliases: dict[str, set[str]]) -> QueryHints:
    """The publishers and dates that `query` names."""
    found = {name for mention in mentions(query, aliases) for name in mention.publishers}
    dates = tuple(dict.fromkeys(d for d in (parse_date(m.group()) for m in _DATE_PHRASE.finditer(query)) if d))
    return QueryHints(publishers=tuple(sorted(found)), dates=dates)


@dataclass(frozen=True)
class Mention:
    """Where `plain(query)` names a publisher: [start, end), and the publisher names it may mean."""

    start: int
    end: int
    publishers: tuple[str, ...]


def plain(query: str) -> str:
    """The query as `mentions` reads it: one space between words, straight apostrophes."""
    return " ".join(query.replace("’", "'").split())


def mentions(query: str, aliases: dict[str, set[str]]) -> list[Mention]:
    """Every place `plain(query)` names a publisher, in the order they are written."""
    original = plain(query)
    text = original.lower() if len(original.lower()) == len(original) else original
    taken: list[Mention] = []
    for alias in sorted(aliases, key=len, reverse=True):  # longest first: "the independent - sports"
        for m in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text):
            # Names are capitalised: "The Verge" is a publisher, "on the verge of" is not.
            if original[m.start()].isupper() and not any(t.start <= m.start() < t.end for t in taken):
                taken.append(Mention(m.start(), m.end(), tuple(sorted(aliases[alias]))))
    return sorted(taken, key=lambda t: t.start)
