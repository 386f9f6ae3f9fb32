"""Small parsers for news metadata: dates to ISO 8601, publishers and bylines."""

from __future__ import annotations

import re
from datetime import date

_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec".split()
_MONTHS = {
    **{name: n for n, name in enumerate(_MONTH_NAMES, start=1)},
    **{name: n for n, name in enumerate(
        "january february march april may june july august september october november december".split(), start=1
    )},
    "sept": 9,
}  # fmt: skip
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_WORD = r"([A-Za-z]{3,9})"
_MONTH_FIRST = re.compile(rf"\b{_MONTH_WORD}\.? {_DAY},? (\d{{4}})\b")
_DAY_FIRST = re.compile(rf"\b{_DAY} {_MONTH_WORD},? (\d{{4}})\b")
_WRITTEN = (  # a date written whole, the year optional: (pattern, where its day, month and year are)
    (re.compile(rf"\b{_MONTH_WORD}\.? {_DAY}\b(?:,? (\d{{4}})\b)?"), (2, 1, 3)),  # "August 5, 2019"
    (re.compile(rf"\b{_DAY} {_MONTH_WORD}\.?\b(?:,? (\d{{4}})\b)?"), (1, 2, 3)),  # "5 Aug 2019"
    (_ISO, (3, 2, 1)),  # "2019-08-05"
)

# Wire services and large publishers that datelines name without any other marker.
KNOWN_PUBLISHERS = (
    "China Daily", "Xinhua", "Global Times", "People's Daily", "CGTN", "China News Service",
    "South China Morning Post", "Science and Technology Daily", "Reuters", "Associated Press", "AFP",
    "Bloomberg", "BBC", "The Guardian", "Financial Times", "PRNewswire", "Business Wire", "GlobeNewswire",
)  # fmt: skip
_WIRE = re.compile(r"/([A-Z][A-Za-z-]{2,30})/\s*--")
_TRAILING_BUTTONS = {"print", "share", "email", "comment", "comments", "font"}


def parse_date(text: str) -> str | None:
    """The first calendar date in `text` as YYYY-MM-DD, or None if there is none."""
    candidates: list[tuple[int, int, int, int]] = []  # (position, year, month, day)
    for m in _ISO.finditer(text):
        candidates.append((m.start(), int(m[1]), int(m[2]), int(m[3])))
    for m in _MONTH_FIRST.finditer(text):
        if m[1].lower() in _MONTHS:
            candidates.append((m.start(), int(m[3]), _MONTHS[m[1].lower()], int(m[2])))
    for m in _DAY_FIRST.finditer(text):
        if m[2].lower() in _MONTHS:
            candidates.append((m.start(), int(m[3]), _MONTHS[m[2].lower()], int(m[1])))
    for _, year, month, day in sorted(candidates):
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def written_dates(iso: str | None, text: str) -> list[tuple[int, int]]:
    """Where `text` writes the date `iso` (YYYY-MM-DD) whole: its day and month, and its year if
    it gives one, in ISO form or in words ("2019-08-05", "August 5", "5 Aug 2019"). A part alone
    (the year 2019, the day 5) is not the date."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return []
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    spans = []
    for pattern, (d, mo, y) in _WRITTEN:
        for found in pattern.finditer(text):
            named = _MONTHS.get(found[mo].lower()) if not found[mo].isdigit() else int(found[mo])
            if named == month and int(found[d]) == day and (found[y] is None or int(found[y]) == year):
                spans.append(found.span())
    return sorted(spans)


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def wire_service(text: str) -> str | None:
    """The wire service of a press-release dateline: "NANJING, July 3 /PRNewswire/ -- ..."."""
    wire = _WIRE.search(text[:300])
    return wire.group(1) if wire else None


def find_publisher(text: str, sites: list[str] = ()) -> str | None:
    """A publisher named in a dateline: a wire marker ("/PRNewswire/ --"), a known name, or a
    run of capitalised words that spells the page's own web address ("chinadaily")."""
    wire = wire_service(text)
    if wire:
        return wire
    words = text.split()
    for size in (4, 3, 2, 1):
        for i in range(len(words) - size + 1):
            phrase = " ".join(words[i : i + size]).strip(",.;:()")
            squashed = _squash(phrase)
            if len(squashed) >= 4 and phrase[:1].isupper() and any(squashed in _squash(s) for s in sites):
                return phrase
    for name in KNOWN_PUBLISHERS:
        if re.search(rf"\b{re.escape(name)}\b", text):
            return name
    return None


def split_byline(byline: str, sites: list[str] = ()) -> tuple[str | None, str | None]:
    """("Cai Hong China Daily Print", ["govt.chinadaily.com.cn"]) -> ("Cai Hong", "China Daily")."""
    words = byline.split()
    while words and words[-1].lower().strip("|") in _TRAILING_BUTTONS:
        words.pop()
    text = " ".join(words)
    publisher = find_publisher(text, sites)
    if publisher and text.endswith(publisher):
        author = text[: -len(publisher)].strip(" ,|-") or None
        return author, publisher
    return text or None, publisher
