"""Split a document into sentences, then pack whole sentences into token-budgeted chunks.

The budget is counted in the embedder's own tokens by a `TokenCounter` passed in. A chunk never
ends inside a sentence unless that one sentence alone is over the budget; consecutive chunks
share `overlap` sentences so that a fact at a boundary stays whole in one of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.types import Chunk, Document

TokenCounter = Callable[[list[str]], list[int]]

# Words after which a full stop does not end a sentence.
_TITLES = set(
    (
        "mr mrs ms dr prof sr jr st gen sen rep gov lt col capt sgt rev hon pres no nos vol art fig "
        "inc ltd co corp bros vs etc approx dept est jan feb mar apr jun jul aug sep sept oct nov "
        "dec mt ft op cf al"
    ).split()
)
# After a dotted abbreviation ("U.K.", "U.S."), these words still begin a new sentence.
_STARTERS = set(
    (
        "the a an he she it they we i this that these those in on at but and its his her their "
        "there as for after since while when according meanwhile however both some many"
    ).split()
)
_CANDIDATE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s)|\n\s*\n")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, surrounding whitespace excluded."""
    spans, start = [], 0
    for m in _CANDIDATE.finditer(text):
        if m.group().strip() and not _ends_sentence(text, m.start(), m.end()):
            continue
        _append_span(spans, text, start, m.end())
        start = m.end()
    _append_span(spans, text, start, len(text))
    return spans


def _ends_sentence(text: str, punct_start: int, punct_end: int) -> bool:
    after = text[punct_end:].lstrip()
    if not after:
        return True
    nxt = after[0]
    if nxt.islower() or nxt in ",;:":
        return False
    if text[punct_start] != "." or text[punct_start:punct_end].startswith(".."):
        return True
    word = _WORD_BEFORE.search(text[max(0, punct_start - 40) : punct_start + 1])
    if not word:
        return True  # "$1.5." or "2018." end sentences
    token = word.group(1)
    if token.lower() in _TITLES or (len(token) == 1 and token.isupper()):
        return False  # "Mr. Liu", "No. 1", "J. K. Rowling"
    if "." in token:  # "U.K.", "U.S.", "e.g.": a new sentence only before a usual opener
        next_word = re.match(r"[\"“]?(\w+)", after)
        return bool(next_word) and next_word.group(1).lower() in _STARTERS
    return True


def _append_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + len(piece.rstrip())))


def _split_long(text: str, span: tuple[int, int], limit: int, count: TokenCounter) -> list[tuple[int, int]]:
    """Cut one over-long sentence into runs of whole words of at most `limit` tokens."""
    words = [(span[0] + m.start(), span[0] + m.end()) for m in re.finditer(r"\S+", text[span[0] : span[1]])]
    sizes = count([text[s:e] for s, e in words])
    pieces, first, total = [], 0, 0
    for i, size in enumerate(sizes):
        if total + size > limit and i > first:
            pieces.append((words[first][0], words[i - 1][1]))
            first, total = i, 0
        total += size
    pieces.append((words[first][0], words[-1][1]))
    return pieces


def chunk(document: Document, count: TokenCounter, max_tokens: int = 200, overlap: int = 1) -> list[Chunk]:
    """Chunks of whole sentences of at most `max_tokens` tokens, `overlap` sentences shared."""
    spans = split_sentences(document.text)
    sizes = count([document.text[s:e] for s, e in spans])
    fitted: list[tuple[int, int]] = []
    for span, size in zip(spans, sizes, strict=True):
        fitted.extend(_split_long(document.text, span, max_tokens, count) if size > max_tokens else [span])
    if len(fitted) != len(spans):
        sizes = count([document.text[s:e] for s, e in fitted])
    groups, i = [], 0
    while i < len(fitted):
        j, total = i, 0
        while j < len(fitted) and (j == i or total + sizes[j] <= max_tokens):
            total += sizes[j]
            j += 1
        groups.append((fitted[i][0], fitted[j - 1][1]))
        if j == len(fitted):
            break
        shared = min(overlap, j - i - 1)  # always move forward
        if sum(sizes[j - shared : j]) > max_tokens // 2:
            shared = 0  # a long sentence is not worth repeating
        i = j - shared
    texts = [document.text[s:e] for s, e in groups]
    return [
        Chunk(f"{document.id}:{n}", document.id, text, s, e, document.header, n_tokens)
        for n, ((s, e), text, n_tokens) in enumerate(zip(groups, texts, count(texts), strict=True))
    ]
