"""The default embedder: all-MiniLM-L6-v2 exported to ONNX with int8 weights, against torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import SentenceTransformerEmbedder, load_embedder

pytestmark = pytest.mark.real
TEXTS = [
    "In 2018, trade between the two sides reached $680 million.",
    "Lord David Willetts led the UK delegation.",
    "",
    "word " * 400,  # longer than the model's 256 tokens: truncated, as sentence-transformers does
]


def test_int8_export_points_the_way_torch_does(tmp_path: Path) -> None:
    fast = load_embedder(None, tmp_path)
    assert fast.name == "sentence-transformers/all-MiniLM-L6-v2@onnx-int8"
    vectors = fast.encode(TEXTS)
    reference = SentenceTransformerEmbedder().encode(TEXTS)
    assert vectors.shape == reference.shape == (4, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    cosine = np.sum(vectors * reference, axis=1)
    assert cosine[[0, 1, 3]].min() > 0.98 and cosine[2] > 0.95  # the empty text means little either way
    assert fast.encode([]).shape == (0, 384)
    assert fast.count_tokens(TEXTS[:1]) == SentenceTransformerEmbedder().count_tokens(TEXTS[:1])
    (exported,) = (tmp_path / "embedders").rglob("model-int8.onnx")
    stamp = exported.stat().st_mtime_ns
    again = load_embedder(None, tmp_path).encode(TEXTS)  # a later process reuses the file
    assert np.allclose(again, vectors, atol=1e-5) and exported.stat().st_mtime_ns == stamp


def test_a_damaged_export_is_made_again(tmp_path: Path) -> None:
    first = load_embedder(None, tmp_path)
    vectors = first.encode(TEXTS[:2])
    (exported,) = (tmp_path / "embedders").rglob("model-int8.onnx")
    exported.write_bytes(b"not an onnx file")
    again = load_embedder(None, tmp_path).encode(TEXTS[:2])
    assert np.allclose(again, vectors, atol=1e-5) and exported.stat().st_size > 1_000_000
