"""Where an index lives: local files (FAISS + bm25s, the default) or a Milvus collection.

`open_store(place)` takes a folder, or `milvus-lite:PATH.db[/COLLECTION]`, or
`milvus://HOST:PORT[/COLLECTION]` (`milvus+https://` for TLS). Every store answers the same
calls, so the build, the library and the evals never ask which one they hold:
`manifest()`, `generation()` (changes with every build, for processes sharing a store),
`load()` (everything in memory, what an incremental build reuses), `save(index)` (a new
generation made live in one step) and `retriever(embedder, settings)`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from index import store

if TYPE_CHECKING:
    from index.embed import Embedder
    from index.search import Ranker
    from index.settings import SearchSettings

SCHEMES = ("milvus-lite:", "milvus://", "milvus+https://")


class Store(Protocol):
    where: str

    def manifest(self) -> dict: ...
    def generation(self) -> str: ...
    def load(self, embedder_name: str | None = None) -> store.StoredIndex: ...
    def save(self, index: store.StoredIndex) -> None: ...
    def retriever(self, embedder: Embedder, settings: SearchSettings) -> Ranker: ...


def is_remote(place: Path | str) -> bool:
    return isinstance(place, str) and place.startswith(SCHEMES)


def open_store(place: Path | str | Store) -> Store:
    """The store at `place`: a Milvus address, or else a local index folder."""
    if not isinstance(place, (str, Path)):
        return place
    if is_remote(place):
        from index.milvus import MilvusStore

        return MilvusStore(str(place))
    return LocalStore(Path(place))


class LocalStore:
    """An index folder of generations (see `index.store`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.where = str(self.folder)

    def manifest(self) -> dict:
        return store.read_manifest(self.folder)

    def generation(self) -> str:
        try:
            return (self.folder / "CURRENT").read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def load(self, embedder_name: str | None = None) -> store.StoredIndex:
        return store.load(self.folder, embedder_name)

    def save(self, index: store.StoredIndex) -> None:
        store.save(self.folder, index)

    def retriever(self, embedder: Embedder, settings: SearchSettings) -> Ranker:
        from index.search import Retriever

        return Retriever(self.load(embedder.name), embedder, settings)
