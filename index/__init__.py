"""The index: chunk embeddings in FAISS and BM25 beside them, on disk, searched together.

Entry points: `build_index(paths, index_dir, embedder)` writes or updates an index;
`open_retriever(index_dir, embedder)` opens one for `search(query, k, filters)`; the index is a
folder of files (FAISS + bm25s) or a Milvus collection (`index.stores`).
Knows nothing of answering or of the UI. Names are imported on first use, so that a light
module of this package (`index.settings`) does not load FAISS and BM25.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

_WHERE = {
    "build": ("BuildReport", "CorpusEmpty", "build_index"),
    "embed": ("DEFAULT_EMBEDDER", "Embedder", "ModelUnavailable", "SentenceTransformerEmbedder"),
    "embedders": ("load_embedder",),
    "search": ("Hit", "Ranker", "Retriever"),
    "settings": ("BadSetting", "Filters", "SearchSettings"),
    "store": ("IndexCorrupt", "IndexMismatch", "IndexNotFound", "IndexProblem", "StoredIndex", "load"),
}
_MODULE = {name: module for module, names in _WHERE.items() for name in names}

if TYPE_CHECKING:
    from index.embed import Embedder
    from index.search import Ranker
    from index.settings import SearchSettings


def open_retriever(index_dir: Path | str, embedder: Embedder, settings: SearchSettings) -> Ranker:
    """Open the index at `index_dir` (a folder or a store address, see `index.stores`) for
    searching; the embedder must be the one it was built with."""
    from index.stores import open_store

    return open_store(index_dir).retriever(embedder, settings)


def __getattr__(name: str) -> Any:
    if name not in _MODULE:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    return getattr(importlib.import_module(f"index.{_MODULE[name]}"), name)


__all__ = sorted([*_MODULE, "open_retriever"])
