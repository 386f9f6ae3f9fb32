"""The plain data types that ingestion produces: Document, Chunk and the load report."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Document:
    """One clean article: body text without boilerplate plus its news metadata."""

    id: str  # stable, derived from the content (see `ingest.documents.document_id`)
    text: str  # the clean article body, paragraphs separated by blank lines
    title: str
    path: str  # source file, with "#N" appended for the N-th record of a JSON file
    published: str | None = None  # ISO 8601 date, YYYY-MM-DD
    publisher: str | None = None
    author: str | None = None
    url: str | None = None

    @property
    def header(self) -> str:
        """Title, date and publisher on one line: prepended to each chunk for search."""
        return " | ".join(part for part in (self.title, self.published, self.publisher) if part)


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one document, located by character offsets."""

    id: str  # "<document id>:<ordinal>"
    doc_id: str
    text: str  # == document.text[start:end]
    start: int
    end: int
    header: str
    n_tokens: int  # of `text`, in the embedder's tokens

    @property
    def search_text(self) -> str:
        """What is embedded and indexed by BM25: the header, then the passage."""
        return f"{self.header}\n{self.text}" if self.header else self.text


@dataclass(frozen=True)
class Skipped:
    """A file (or record) that could not be ingested, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"skipped {self.path}: {self.reason}"


@dataclass(frozen=True)
class Duplicate:
    """A document left out of the index because it repeats one that is indexed."""

    document: Document
    duplicate_of: str  # id of the indexed document
    similarity: float


@dataclass(frozen=True)
class Corpus:
    """Everything read from a set of paths: what to index, and what was left out."""

    documents: list[Document] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
