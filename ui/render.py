"""HTML for the chat app: answers with citation markers, source cards, the library table.

Pure functions from the answering package's types to strings. Everything that comes from an
article or a user (titles, passages, questions, the model's words) is escaped here, so nothing
from a document can add markup or script to the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from ask import Answer, Citation, Preview
from ask.passages import Passage
from index.library import Entry
from ingest.types import Document

_MARKER = re.compile(r"\[(\d+)\]")


def text(value: str | None) -> str:
    """Escaped for HTML, on one line. Every chat message is one HTML block (a <div> with no blank
    line), which Markdown leaves as it is: shown exactly as written."""
    return html.escape(" ".join((value or "").split()), quote=False)


def _cite(turn: int, number: int) -> str:
    # The chat's sanitizer drops data- attributes: the card to show is named in the class.
    return f'<button class="cite for-src-{turn}-{number}" title="Show source {number}">[{number}]</button>'


def with_markers(answer_text: str, turn: int) -> str:
    """The answer with each [n] turned into a button that brings source card n into view."""
    parts = _MARKER.split(answer_text)
    out = [text(p) if i % 2 == 0 else _cite(turn, int(p)) for i, p in enumerate(parts)]
    return "".join(out)


def question_message(question: str) -> str:
    return f'<div class="question">{text(question)}</div>'


def answer_message(answer: Answer, turn: int) -> str:
    if answer.abstained:
        return (
            f'<div class="abstained"><strong>{text(answer.text)}</strong> '
            "The nearest passages are listed under Sources; none of them answers this question.</div>"
        )
    note = ' <span class="note">(quoted from the article: the model\'s wording did not check out)</span>'
    return f'<div class="answer">{with_markers(answer.text, turn)}{note if answer.extractive else ""}</div>'


def pending_message(preview: Preview | None, written: int, turn: int, stopped: bool = False, failure: str = "") -> str:
    """What the chat shows while the model writes: the cited preview, then how far the model has
    got; its words appear only once checked (the answer), so a draft the checks would cut (an
    order planted in an article, an invented figure) never reaches the page. Marked when the user
    stopped it, with why the model failed if it did."""
    parts = []
    if preview is not None:
        parts.append(
            f'<div class="preview"><span class="label">From the articles:</span> '
            f"{text(preview.text)} {_cite(turn, preview.citation.number)}</div>"
        )
    if stopped:
        state = "Stopped before the answer was checked."
    elif failure:
        state = "The answer was not finished."
    else:
        state = f"Writing and checking the answer… ({written} characters)" if written else "Reading the passages…"
    parts.append(f'<div class="draft"><span class="label">{state}</span></div>')
    if failure:
        parts.append(f'<div class="failed">The model could not finish: {text(failure)}</div>')
    return "".join(parts)


def _highlighted(passage: str, start: int, quote: Citation | None) -> str:
    if quote is None:
        return html.escape(" ".join(passage.split()))
    a, b = quote.quote_start - start, quote.quote_end - start
    if not (0 <= a < b <= len(passage)) or passage[a:b] != quote.quote:
        a = passage.find(quote.quote)
        b = a + len(quote.quote)
    if a < 0:
        return html.escape(passage)
    return f"{html.escape(passage[:a])}<mark>{html.escape(passage[a:b])}</mark>{html.escape(passage[b:])}"


def _meta(published: str | None, publisher: str | None, where: str) -> str:
    return " · ".join(html.escape(x) for x in (published, publisher, where) if x)


def _card(turn: int, number: int, doc: Citation | Document, passage: str, start: int, quote: Citation | None) -> str:
    where = doc.url or doc.path.rsplit("/", 1)[-1]
    return (
        f'<article class="source-card" id="src-{turn}-{number}">'
        f'<div class="card-title"><span class="num">[{number}]</span> {html.escape(doc.title)}</div>'
        f'<div class="meta">{_meta(doc.published, doc.publisher, where)}</div>'
        f'<p class="passage">{_highlighted(passage, start, quote)}</p></article>'
    )


def _passage_card(turn: int, p: Passage, quote: Citation | None) -> str:
    return _card(turn, p.number, p.document, p.text, p.start, quote)


def _group(turn: int, kind: str, heading: str, question: str, cards: str) -> str:
    return (
        f'<section class="turn {kind}" id="turn-{turn}"><div class="turn-q">{heading} for '
        f"“{html.escape(question)}”</div>{cards}</section>"
    )


def _preview_group(turn: int, question: str, preview: Preview) -> str:
    c = preview.citation
    return _group(turn, "pending", "Preview source", question, _card(turn, c.number, c, c.passage, c.start, c))


def sources_panel(turns: Sequence[tuple[str, Answer]], preview: tuple[int, str, Preview] | None = None) -> str:
    """One group of cards per answer, newest first: the cited passages, or for an abstention the
    nearest passages, marked as such. `preview`: (turn, question, Preview) of an answer still
    being written, shown on top."""
    if not turns and preview is None:
        return '<p class="empty">Sources of each answer appear here.</p>'
    groups = [_preview_group(*preview)] if preview else []
    for turn in range(len(turns), 0, -1):
        question, answer = turns[turn - 1]
        cited = {c.number: c for c in answer.citations}
        if answer.abstained:
            cards = "".join(_passage_card(turn, p, None) for p in answer.sources)
            groups.append(_group(turn, "nearest", "Nearest passages (not an answer)", question, cards))
        else:
            cards = "".join(_passage_card(turn, p, cited[p.number]) for p in answer.sources if p.number in cited)
            groups.append(_group(turn, "cited", "Sources", question, cards))
    return "".join(groups)


def status(lines: Sequence[str]) -> str:
    """Status lines (a library change, the model loading) escaped as one HTML block for Markdown."""
    return '<div class="status">' + "<br>".join(text(line) for line in lines) + "</div>"


def library_table(entries: Sequence[Entry]) -> str:
    if not entries:
        return '<p class="empty">The library is empty: upload articles below.</p>'
    rows = "".join(
        f"<tr><td>{html.escape(e.title)}</td><td>{html.escape(e.published or '—')}</td>"
        f"<td>{html.escape(e.publisher or '—')}</td><td>{e.n_chunks}</td>"
        f"<td>{html.escape(e.path.rsplit('/', 1)[-1])}</td></tr>"
        for e in entries
    )
    return (
        f'<table class="library"><thead><tr><th>Title</th><th>Date</th><th>Publisher</th><th>Chunks</th>'
        f"<th>File</th></tr></thead><tbody>{rows}</tbody></table>"
    )
