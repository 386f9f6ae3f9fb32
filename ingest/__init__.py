"""Ingestion: article files -> clean Documents (with news metadata) -> sentence-aware Chunks.

Knows nothing of embeddings, indexes or answering. Entry points: `load_corpus(paths)` and
`chunk(document, count_tokens)`.
"""

from ingest.chunking import TokenCounter, chunk, split_sentences
from ingest.documents import load_corpus
from ingest.readers import SUFFIXES, IngestError
from ingest.types import Chunk, Corpus, Document, Duplicate, Skipped

__all__ = [
    "SUFFIXES",
    "Chunk",
    "Corpus",
    "Document",
    "Duplicate",
    "IngestError",
    "Skipped",
    "TokenCounter",
    "chunk",
    "load_corpus",
    "split_sentences",
]
