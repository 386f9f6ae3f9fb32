"""The dense index type follows the corpus size; searches and reconstruction work for both."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import dense
from index.search import _top


def _unit(n: int, dim: int = 32) -> np.ndarray:
    v = np.random.default_rng(1).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.mark.parametrize("flat_limit", [10_000, 1_000])
def test_exact_below_the_limit_inverted_file_above(monkeypatch, tmp_path: Path, flat_limit: int) -> None:
    import faiss

    monkeypatch.setattr(dense, "FLAT_LIMIT", flat_limit)
    vectors = _unit(3000)
    index = dense.build_dense(vectors)
    ivf = faiss.try_extract_index_ivf(index)
    assert (ivf is None) == (flat_limit >= 3000)
    faiss.write_index(index, str(tmp_path / "d.faiss"))
    index = faiss.read_index(str(tmp_path / "d.faiss"))
    if ivf is not None:
        assert faiss.try_extract_index_ivf(index).nprobe == dense.PROBES
    _, ids = dense.search(index, vectors[:50], 1, None)
    assert (ids[:, 0] == np.arange(50)).mean() > 0.95  # each vector finds itself
    allowed = np.zeros(3000, dtype=bool)
    allowed[1::2] = True
    _, ids = dense.search(index, vectors[:1], 10, allowed)
    assert all(i % 2 == 1 for i in ids[0] if i >= 0)
    assert np.allclose(dense.all_vectors(index), vectors, atol=1e-6)


def test_top_without_a_full_sort() -> None:
    scores = np.array([0.0, 0.5, 0.9, 0.5, -1.0, 0.7], dtype=np.float32)
    assert _top(scores, 10) == [2, 5, 1, 3]
    assert _top(scores, 2) == [2, 5]
    assert _top(np.zeros(5, dtype=np.float32), 3) == []
