"""What answering produces: Citations, the Answer, and the events of a streamed answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ask.passages import Passage


@dataclass(frozen=True)
class Citation:
    """One numbered source of an answer, resolved to the exact passage and supporting sentence."""

    number: int
    doc_id: str
    title: str
    published: str | None
    publisher: str | None
    path: str
    url: str | None
    start: int  # the passage's character span in the document's clean text
    end: int
    passage: str
    quote: str  # the sentence of the passage that supports the answer
    quote_start: int
    quote_end: int


@dataclass(frozen=True)
class Timings:
    retrieval_s: float = 0.0
    preview_s: float = 0.0  # question -> extractive preview ready
    first_token_s: float = 0.0  # question -> first generated token
    total_s: float = 0.0


@dataclass(frozen=True)
class Answer:
    question: str
    standalone_question: str
    text: str  # verified sentences with [n] markers, or the abstention sentence
    citations: list[Citation]
    abstained: bool
    sources: list[Passage]  # the passages selected (the model saw the leading ones); when abstaining, the nearest
    model: str
    raw: str = ""  # what the model wrote, before verification
    removed: list[str] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    extractive: bool = False  # the model's sentences all failed; the answer quotes the passage
    support: float | None = None  # the model's P(yes) that the cited passages state the answer (ask/judge.py)


@dataclass(frozen=True)
class Preview:
    """The best supporting sentence, shown before the model's first token."""

    text: str
    citation: Citation


@dataclass(frozen=True)
class Token:
    """The model wrote more: how many characters so far. Its words are not passed on until they
    are checked (the Answer): a page can show progress, never an unchecked draft."""

    written: int


Event = Preview | Token | Answer


def answer_dict(answer: Answer) -> dict:
    """The Answer as JSON-ready data: sources listed by passage, without whole documents. A file is
    named "file", not "path": Gradio's client would take a {"path": ...} object for a download."""
    data = asdict(answer)
    for citation in data["citations"]:
        citation["file"] = citation.pop("path")
    data["sources"] = [
        {"number": p.number, "doc_id": p.document.id, "title": p.document.title, "published": p.document.published,
         "publisher": p.document.publisher, "file": p.document.path, "start": p.start, "end": p.end, "text": p.text}
        for p in answer.sources
    ]  # fmt: skip
    return data
