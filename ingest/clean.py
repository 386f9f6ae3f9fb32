"""Turn text scraped from a news page into the article body plus its metadata.

Works line by line: each non-empty line of a scraped page is one paragraph. Boilerplate lines
(navigation, share buttons, copyright and licence numbers, stray markup, page numbers, editor
credits, "Top News" lists) are dropped; the header above the body gives the title, and a dateline
gives the date, publisher and author. HTML pages are first reduced to text by trafilatura
(`ingest.readers`); this module never parses markup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.metadata import find_publisher, parse_date, split_byline, wire_service

# A heading after which a page lists other stories: it and everything below it go.
_TAIL_HEADINGS = re.compile(
    r"^(top news|top stories|related (news|stories|articles)|you may also like|recommended for you)$",
    re.I,
)
_BOILERPLATE = [
    re.compile(p, re.I)
    for p in (
        r"^(position\s*:|you are here\s*:|home\s*>).*",  # breadcrumbs
        r"^[^.!?]{0,80}(\s>\s[^.!?]{1,40}){1,6}$",  # "EnglishChannel > Cooperation > Article"
        r"^(share|print|email|tweet|font size)\b[^.!?]{0,40}$",  # share buttons
        r"^.{0,120}(copyright|©|all rights reserved).{0,120}$",
        r"ICP\s*备|公网安备|ICP\s*(license|证)|^京ICP",  # Chinese site licence numbers
        r"^[<>«»‹›|\s\d]*\d[<>«»‹›|\s\d]*$",  # page numbers: "< 1 2 3"
        r"^(next|previous|prev)( page)?\s*[>»]?$",
        r"^(editor|edited by|editors|responsible editor|proofread by|translated by)\s*[:：].*$",
        r"^\(?(photo|photograph|image|video)\s*[:：][^)]*\)?$",  # credit alone on a line
        r"^[\w.-]+\.(com|cn|org|net|gov|co\.uk|com\.cn)(/\S*)?$",  # a bare site address
    )
]
_BYLINE = re.compile(r"^by\s+(?P<who>[^.!?:]{2,60})$", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,300}>")
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)  # an HTML comment (an unclosed one runs to the end)
_BULLET = re.compile(r"^[•·*\-–—▪►]+\s+")

# Datelines: "Updated:2019-04-01 16:04:14", "Updated: Aug 5, 2019 By Cai Hong China Daily Print",
# "Source: Science and Technology Daily | 2022-06-16 10:01:34 | Author: Staff Reporters",
# "date 2020-07-03 NANJING, China, July 3, 2020 /PRNewswire/ -- As a crucial part of ...".
_DATELINE = re.compile(
    r"^(updated|published|posted|release date|date)\s*[:：]?\s*"
    r"(?P<date>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4})"
    r"(\s+\d{1,2}:\d{2}(:\d{2})?)?\s*(?P<rest>.*)$",
    re.I,
)
_SOURCE_LINE = re.compile(
    r"^source\s*[:：]\s*(?P<publisher>[^|]+?)\s*(\|\s*(?P<date>[^|]+?)\s*)?(\|\s*author\s*[:：]\s*(?P<author>.+))?$",
    re.I,
)


@dataclass(frozen=True)
class Cleaned:
    """The article body of a scraped page and the metadata found in its header."""

    text: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    author: str | None = None


def is_boilerplate(line: str) -> bool:
    line = _BULLET.sub("", line)
    return any(p.search(line) for p in _BOILERPLATE)


def visible(raw: str) -> str:
    """What a reader of the page sees: HTML comments and invisible format characters (Unicode
    category Cf: zero-width spaces and joiners, bidirectional controls, soft hyphens) removed.
    Text nobody reads is not the article, and must not reach the model as part of it."""
    text = _COMMENT.sub(" ", raw)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def normalize_lines(raw: str) -> list[str]:
    """Hidden text and stray markup removed, runs of spaces squeezed, lines without a word dropped."""
    lines = []
    for line in _TAG.sub(" ", visible(raw).replace("\r\n", "\n").replace("\r", "\n")).split("\n"):
        line = " ".join(line.split())  # every kind of Unicode space becomes one plain space
        if re.search(r"\w", line):
            lines.append(line)
    return lines


def drop_boilerplate(lines: list[str], cut_tail: bool = True) -> list[str]:
    """Lines that are not boilerplate; with `cut_tail`, only those above a "Top News" heading
    (a scraped page's list of other stories)."""
    kept = []
    for line in lines:
        if cut_tail and _TAIL_HEADINGS.match(line):
            break
        if not is_boilerplate(line) and not _BYLINE.match(_BULLET.sub("", line)):
            kept.append(line)
    return kept


def _looks_like_body(line: str) -> bool:
    """Headlines rarely end in a full stop; paragraphs do, or run long."""
    words = len(line.split())
    return words >= 25 or (words >= 6 and line[-1] in '.!?"”)')


def clean_scraped(raw: str) -> Cleaned:
    """Clean one scraped page: body paragraphs joined by blank lines, plus header metadata."""
    lines = normalize_lines(raw)
    sites = [line for line in lines if re.fullmatch(r"[\w.-]+\.[a-z]{2,4}", line)]
    bylines = [m.group("who") for m in map(_BYLINE.match, lines) if m]
    meta: dict[str, str | None] = {"published": None, "publisher": None, "author": None}
    header: list[str] = []
    body: list[str] = []
    in_body = False
    for line in lines:
        dated = None if in_body else _dateline(line, sites)
        if dated is not None:
            fields, rest = dated
            meta.update({k: v for k, v in fields.items() if v})
            body.extend([rest] if rest else [])
            in_body = True
        elif in_body or _looks_like_body(line):
            body.append(line)
            in_body = True
        else:
            header.append(line)
    header = drop_boilerplate(header)
    body = drop_boilerplate(body)
    if meta["author"] is None and bylines:
        meta["author"] = bylines[0]
    if meta["publisher"] is None and body:
        meta["publisher"] = wire_service(body[0])
    return Cleaned(
        text="\n\n".join(body),
        title=header[-1] if header else None,
        published=meta["published"],
        publisher=meta["publisher"],
        author=meta["author"],
    )


def _dateline(line: str, sites: list[str]) -> tuple[dict[str, str | None], str] | None:
    """Metadata from a dateline, and any body text that follows it on the same line."""
    source = _SOURCE_LINE.match(line)
    if source and source.group("date") and parse_date(source.group("date")):
        author = source.group("author")
        return {
            "published": parse_date(source.group("date")),
            "publisher": source.group("publisher").strip(),
            "author": re.sub(r"(?<=\w)\?(?=\w)", " ", author).strip() if author else None,
        }, ""
    match = _DATELINE.match(line)
    if not match or not parse_date(match.group("date")):
        return None
    rest = match.group("rest").strip()
    fields: dict[str, str | None] = {"published": parse_date(match.group("date"))}
    if rest.lower().startswith("by ") and not _looks_like_body(rest):
        fields["author"], fields["publisher"] = split_byline(rest[3:], sites)
        return fields, ""
    fields["publisher"] = find_publisher(rest, sites)
    return fields, rest
