"""Index persistence, incremental updates, interrupted builds and damaged or foreign indexes."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from config import ROOT
from index import (
    CorpusEmpty,
    IndexCorrupt,
    IndexMismatch,
    IndexNotFound,
    build_index,
    load,
    open_retriever,
    store,
)
from tests.fakes import FakeEmbedder

NEW_ARTICLE = (
    "Battery plant opens\n"
    "A battery plant opened in Changsha on Friday. It will make 200,000 packs a year for electric buses.\n"
)


def test_round_trip(seed_dir: Path, tmp_path: Path, fake_embedder: FakeEmbedder, settings) -> None:
    report = build_index([seed_dir], tmp_path / "ix", fake_embedder, chunk_tokens=60)
    assert len(report.added) == 5 and report.n_documents == 5
    assert report.embedded_chunks == report.n_chunks == fake_embedder.encoded
    loaded = load(tmp_path / "ix", fake_embedder.name)
    assert len(loaded.chunks) == report.n_chunks == loaded.dense.ntotal
    for c in loaded.chunks:
        doc = loaded.documents[c.doc_id]
        assert c.text == doc.text[c.start : c.end] and c.header == doc.header
    expected = fake_embedder.encode([c.search_text for c in loaded.chunks])
    assert np.allclose(loaded.vectors(), expected, atol=1e-6)
    manifest = loaded.manifest
    assert manifest["embedder"] == {"name": "fake-embedder", "dim": 64}
    assert manifest["chunking"] == {"max_tokens": 60, "overlap_sentences": 1}
    assert all(len(d["content_sha256"]) == 64 for d in manifest["documents"].values())
    hits = open_retriever(tmp_path / "ix", fake_embedder, settings).search("trade Hunan UK 2018 million", k=3)
    assert "$680 million" in hits[0].chunk.text


def test_incremental_update(seed_dir: Path, tmp_path: Path, settings) -> None:
    ix = tmp_path / "ix"
    build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    generation = (ix / "CURRENT").read_text()

    unchanged = FakeEmbedder()
    report = build_index([seed_dir], ix, unchanged, chunk_tokens=60)
    assert unchanged.encoded == 0 and report.embedded_chunks == 0 and report.unchanged == 5
    assert (ix / "CURRENT").read_text() == generation  # nothing rewritten
    assert "already up to date" in report.lines()[-1]

    (seed_dir / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    first = next(seed_dir.glob("000_*.txt"))
    first.write_text(first.read_text(encoding="utf-8") + "\nA closing paragraph was added later on.\n")
    next(seed_dir.glob("003_*.txt")).unlink()
    embedder = FakeEmbedder()
    report = build_index([seed_dir], ix, embedder, chunk_tokens=60)
    assert [t.split(" (")[0] for t in report.added] == ["Battery plant opens"]
    assert [t.split(" (")[0] for t in report.updated] == ["Sino-UK cooperation on innovation leads to a bright future"]
    assert [t.split(" (")[0] for t in report.removed] == [
        "China-UK Science and Innovation Cooperation Opens a New Chapter"
    ]
    loaded = load(ix)
    fresh = {c.doc_id for c in loaded.chunks}
    new_chunks = [
        c
        for c in loaded.chunks
        if loaded.documents[c.doc_id].title in ("Battery plant opens", report.updated[0].split(" (")[0])
    ]
    assert embedder.encoded == len(new_chunks)  # only new and changed documents were embedded
    assert len(fresh) == 5 and len(loaded.documents) == 5
    assert np.allclose(loaded.vectors(), FakeEmbedder().encode([c.search_text for c in loaded.chunks]), atol=1e-6)
    hits = open_retriever(ix, FakeEmbedder(), settings).search("battery packs electric buses", k=1)
    assert hits[0].document.title == "Battery plant opens"
    assert len(list(ix.glob("gen-*"))) == 1  # old generations are cleaned up


def test_duplicate_article_is_recorded_not_indexed(seed_dir: Path, tmp_path: Path) -> None:
    original = next(seed_dir.glob("000_*.txt")).read_text(encoding="utf-8")
    syndicated = "Home > World > China\nShare\n" + original + "\nCopyright 2019 Another Site. All rights reserved.\n"
    (seed_dir / "zz_syndicated.txt").write_text(syndicated, encoding="utf-8")
    report = build_index([seed_dir], tmp_path / "ix", FakeEmbedder(), chunk_tokens=60)
    assert report.n_documents == 5
    (dup,) = report.duplicates
    assert dup.document.path.endswith("zz_syndicated.txt") and dup.similarity >= 0.8
    manifest = load(tmp_path / "ix").manifest
    assert manifest["duplicates"][0]["path"].endswith("zz_syndicated.txt")
    assert manifest["duplicates"][0]["duplicate_of"] in manifest["documents"]


def test_empty_corpus_keeps_the_existing_index(seed_dir: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "bad.txt").write_bytes(b"\x00\x01")
    with pytest.raises(CorpusEmpty, match=r"bad\.txt: binary file"):
        build_index([empty], ix, FakeEmbedder(), chunk_tokens=60)
    assert len(load(ix).documents) == 5


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="python -m index build"):
        load(tmp_path / "nothing")


def test_other_embedder_or_format_is_refused_with_rebuild_advice(seed_dir: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    with pytest.raises(IndexMismatch, match=r"built with embedder 'fake-embedder'.*python -m index build"):
        load(ix, "sentence-transformers/all-MiniLM-L6-v2")
    manifest_path = store._current(ix) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["format_version"] = 99
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match=r"format version 99.*rebuild it with"):
        load(ix)


@pytest.mark.parametrize("damage", ["dense.faiss", "chunks.jsonl", "manifest.json", "CURRENT", "bm25"])
def test_damaged_index_is_reported_and_rebuilt(seed_dir: Path, tmp_path: Path, damage: str) -> None:
    ix = tmp_path / "ix"
    build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    target = ix / "CURRENT" if damage == "CURRENT" else store._current(ix) / damage
    if target.is_dir():
        for f in target.iterdir():
            f.write_bytes(b"garbage")
    else:
        target.write_bytes(b"\x00garbage{")
    with pytest.raises((IndexCorrupt, IndexNotFound), match=r"rebuild|build one"):
        load(ix)
    report = build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    assert report.n_chunks > 0 and len(load(ix).chunks) == report.n_chunks


def test_failed_write_leaves_previous_index(seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ix = tmp_path / "ix"
    build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    before = load(ix)
    (seed_dir / "005_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    def explode(folder: Path, index: store.StoredIndex) -> None:
        (folder / "manifest.json").write_text("{half")
        raise OSError("disk full")

    monkeypatch.setattr(store, "_write_generation", explode)
    with pytest.raises(OSError, match="disk full"):
        build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    after = load(ix)
    assert [c.id for c in after.chunks] == [c.id for c in before.chunks]
    assert not list(ix.glob(".staging-*"))


KILLED_BUILD = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from index import build_index
from tests.fakes import FakeEmbedder

class Slow(FakeEmbedder):
    def encode(self, texts, progress=False):
        time.sleep(0.001 * len(texts))
        return super().encode(texts, progress)

while True:  # rebuild from scratch over and over until killed
    build_index([Path({corpus!r})], Path({ix!r}), Slow(), chunk_tokens=int(time.time() * 1000) % 40 + 20)
"""


def test_killing_a_build_at_any_moment_leaves_a_loadable_index(seed_dir: Path, tmp_path: Path) -> None:
    ix = tmp_path / "ix"
    build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    script = KILLED_BUILD.format(root=str(ROOT), corpus=str(seed_dir), ix=str(ix))
    for delay in (0.9, 1.3, 1.7, 2.1, 2.6):
        proc = subprocess.Popen([sys.executable, "-c", script])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        loaded = load(ix)
        assert len(loaded.documents) == 5 and loaded.dense.ntotal == len(loaded.chunks) > 0
    build_index([seed_dir], ix, FakeEmbedder(), chunk_tokens=60)
    assert not list(ix.glob(".staging-*")) and len(list(ix.glob("gen-*"))) == 1
