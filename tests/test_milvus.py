"""The Milvus store on the real engine (Milvus Lite, the same client API as a Milvus server):
build, search equal to the local store's, filters run in the engine, incremental updates and
removals, an interrupted build, another embedder's collection, and libraries sharing a store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index import IndexMismatch, IndexNotFound, IndexProblem, build_index, open_retriever
from index.library import Library
from index.milvus import MilvusStore
from index.settings import Filters
from index.stores import open_store
from tests.fakes import FakeEmbedder

pytest.importorskip("milvus_lite")

QUERIES = [
    "How much was trade between Hunan and the UK in 2018?",
    "AstraZeneca memorandum Zhuzhou",
    "wind power innovation",
    "Which companies signed agreements in London?",
]
NEW_ARTICLE = (
    "Battery plant opens\n"
    "A battery plant opened in Changsha on Friday. It will make 200,000 packs a year for electric buses.\n"
)


@pytest.fixture
def address(tmp_path: Path) -> str:
    return f"milvus-lite:{tmp_path / 'store.db'}/news"


def _signature(hits) -> list[tuple[str, float]]:
    return [(h.chunk.id, round(h.score, 4)) for h in hits]


def test_search_matches_local_files(seed_dir: Path, tmp_path: Path, address: str, settings) -> None:
    embedder = FakeEmbedder()
    report = build_index([seed_dir], address, embedder, chunk_tokens=60)
    build_index([seed_dir], tmp_path / "ix", embedder, chunk_tokens=60)
    assert report.n_documents == 5 and report.embedded_chunks == report.n_chunks
    milvus, local = open_retriever(address, embedder, settings), open_retriever(tmp_path / "ix", embedder, settings)
    for query in QUERIES:
        hits = milvus.search(query, k=5)
        assert _signature(hits) == _signature(local.search(query, k=5))
        for hit in hits:
            assert hit.chunk.text == hit.document.text[hit.chunk.start : hit.chunk.end]
    assert "$680 million" in milvus.search(QUERIES[0], k=3)[0].chunk.text


def test_filters_run_in_the_engine(seed_dir: Path, tmp_path: Path, address: str, settings) -> None:
    embedder = FakeEmbedder()
    build_index([seed_dir], address, embedder, chunk_tokens=60)
    build_index([seed_dir], tmp_path / "ix", embedder, chunk_tokens=60)
    milvus, local = open_retriever(address, embedder, settings), open_retriever(tmp_path / "ix", embedder, settings)
    publishers = sorted({d["publisher"] for d in milvus.manifest["documents"].values() if d["publisher"]})
    dates = sorted(d["published"] for d in milvus.manifest["documents"].values() if d["published"])
    assert publishers and len(dates) >= 2
    for filters in (
        Filters(publishers=(publishers[0],)),
        Filters(date_from=dates[1]),
        Filters(date_to=dates[0]),
        Filters(date_from="2100-01-01"),
    ):
        hits = milvus.search("cooperation between China and the UK", k=10, filters=filters)
        assert _signature(hits) == _signature(local.search("cooperation between China and the UK", 10, filters))
        for hit in hits:
            d = hit.document
            assert not filters.publishers or d.publisher in filters.publishers
            assert not filters.date_from or (d.published and d.published >= filters.date_from)
            assert not filters.date_to or (d.published and d.published <= filters.date_to)
    assert milvus.search("cooperation", k=5, filters=Filters(date_from="2100-01-01")) == []


def test_incremental_update_and_removal(seed_dir: Path, address: str, settings) -> None:
    build_index([seed_dir], address, FakeEmbedder(), chunk_tokens=60)
    store = MilvusStore(address)
    first = store.generation()
    unchanged = FakeEmbedder()
    assert build_index([seed_dir], address, unchanged, chunk_tokens=60).embedded_chunks == 0
    assert unchanged.encoded == 0 and store.generation() == first

    (seed_dir / "battery.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    adding = FakeEmbedder()
    report = build_index([seed_dir], address, adding, chunk_tokens=60)
    assert report.added == ["Battery plant opens (%s)" % (seed_dir / "battery.txt")]
    assert 0 < adding.encoded == report.embedded_chunks < report.n_chunks
    second = store.generation()
    assert second != first
    hits = open_retriever(address, adding, settings).search("battery packs Changsha electric buses", k=1)
    assert "200,000 packs" in hits[0].chunk.text

    (seed_dir / "battery.txt").unlink()
    report = build_index([seed_dir], address, FakeEmbedder(), chunk_tokens=60)
    assert len(report.removed) == 1 and report.embedded_chunks == 0
    retriever = open_retriever(address, FakeEmbedder(), settings)
    assert all("battery" not in h.chunk.text.lower() for h in retriever.search("battery packs Changsha", k=10))
    # the generation just replaced stays for searches under way; older ones are gone
    names = set(store.client.list_collections())
    assert names == {store.generation(), store.generation() + "_docs", second, second + "_docs"}


def test_interrupted_build_is_never_searched(seed_dir: Path, address: str, settings, monkeypatch) -> None:
    build_index([seed_dir], address, FakeEmbedder(), chunk_tokens=60)
    store = MilvusStore(address)
    live = store.generation()
    (seed_dir / "battery.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    writes = []

    def failing_insert(self, name, rows):  # the engine fails halfway through the chunks
        writes.append(name)
        if not name.endswith("_docs"):
            raise OSError("No space left on device")
        return original(self, name, rows)

    from pymilvus import MilvusClient

    original = MilvusClient.insert
    monkeypatch.setattr(MilvusClient, "insert", failing_insert)
    with pytest.raises(OSError, match="No space"):
        build_index([seed_dir], address, FakeEmbedder(), chunk_tokens=60)
    monkeypatch.setattr(MilvusClient, "insert", original)
    assert writes and store.generation() == live
    assert set(store.client.list_collections()) == {live, live + "_docs"}  # the half-written one dropped
    retriever = open_retriever(address, FakeEmbedder(), settings)
    assert retriever.manifest["n_documents"] == 5
    assert "$680 million" in retriever.search(QUERIES[0], k=3)[0].chunk.text
    report = build_index([seed_dir], address, FakeEmbedder(), chunk_tokens=60)  # the next build finishes it
    assert len(report.added) == 1


def test_clear_errors(seed_dir: Path, tmp_path: Path, address: str, settings) -> None:
    with pytest.raises(IndexNotFound, match="--store milvus-lite:"):
        open_retriever(address, FakeEmbedder(), settings)
    build_index([seed_dir], address, FakeEmbedder(), chunk_tokens=60)

    class Other(FakeEmbedder):
        name = "another-embedder"

    with pytest.raises(IndexMismatch, match=r"built with embedder .fake-embedder.*--store"):
        open_retriever(address, Other(), settings)
    with pytest.raises(IndexProblem, match="cannot read store address"):
        open_store("milvus://")
    with pytest.raises(IndexProblem, match="cannot reach Milvus"):
        open_store("milvus://127.0.0.1:9/x").generation()


def test_libraries_sharing_one_store(seed_dir: Path, tmp_path: Path, address: str, settings) -> None:
    """Two app processes' libraries: one folder, one store; a change through one is seen by the other."""
    first = Library(seed_dir, address, FakeEmbedder(), settings, chunk_tokens=60)
    second = Library(seed_dir, address, FakeEmbedder(), settings, chunk_tokens=60)
    assert first.open() is not None and second.open() is None  # the second finds the first one's build
    assert [e.title for e in first.entries()] == [e.title for e in second.entries()]
    upload = tmp_path / "upload" / "battery.txt"
    upload.parent.mkdir()
    upload.write_text(NEW_ARTICLE, encoding="utf-8")
    first.add([upload])
    assert "Battery plant opens" in [e.title for e in second.entries()]
    hits = second.retriever.search("battery packs Changsha electric buses", k=1)
    assert "200,000 packs" in hits[0].chunk.text
    entry = next(e for e in second.entries() if e.title == "Battery plant opens")
    second.remove(entry.path)
    assert "Battery plant opens" not in [e.title for e in first.entries()]
    shutil.rmtree(seed_dir / ".removed")


@pytest.mark.parametrize("fusion", ["rrf", "weighted"])
def test_fusion_by_the_engine_for_comparison(seed_dir: Path, address: str, settings, fusion: str) -> None:
    build_index([seed_dir], address, FakeEmbedder(), chunk_tokens=60)
    retriever = open_retriever(address, FakeEmbedder(), settings)
    retriever.engine_fusion = fusion
    hits = retriever.search(QUERIES[0], k=3)
    assert len(hits) == 3 and hits[0].score >= hits[1].score >= hits[2].score
    assert any("$680 million" in h.chunk.text for h in hits)
    assert all(h.chunk.text == h.document.text[h.chunk.start : h.chunk.end] for h in hits)
    dated = retriever.search(QUERIES[0], k=5, filters=Filters(date_from="2100-01-01"))
    assert dated == []
