"""The index: chunk embeddings in FAISS and BM25 beside them, on disk, searched together.

Entry points: `build_index(paths, index_dir, embedder)` writes or updates an index;
`open_retriever(index_dir, embedder)` loads one for `Retriever.search(query, k, filters)`.
Knows nothing of answering or of the UI.
"""

from pathlib import Path

from index.build import BuildReport, CorpusEmpty, build_index
from index.embed import DEFAULT_EMBEDDER, Embedder, ModelUnavailable, SentenceTransformerEmbedder, load_embedder
from index.search import Filters, Hit, Retriever, SearchSettings
from index.store import IndexCorrupt, IndexMismatch, IndexNotFound, IndexProblem, StoredIndex, load


def open_retriever(index_dir: Path, embedder: Embedder, settings: SearchSettings) -> Retriever:
    """Load the index at `index_dir` for searching; the embedder must be the one it was built with."""
    return Retriever(load(Path(index_dir), embedder.name), embedder, settings)


__all__ = [
    "DEFAULT_EMBEDDER",
    "BuildReport",
    "CorpusEmpty",
    "Embedder",
    "Filters",
    "Hit",
    "IndexCorrupt",
    "IndexMismatch",
    "IndexNotFound",
    "IndexProblem",
    "ModelUnavailable",
    "Retriever",
    "SearchSettings",
    "SentenceTransformerEmbedder",
    "StoredIndex",
    "build_index",
    "load",
    "load_embedder",
    "open_retriever",
]
