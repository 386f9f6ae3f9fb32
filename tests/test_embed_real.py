"""The exported embedders (default: all-MiniLM-L6-v2 on OpenVINO in int8; ONNX Runtime int8 on
request), against the torch model they come from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import SentenceTransformerEmbedder, load_embedder

pytestmark = pytest.mark.real
ARTICLE = Path(__file__).parent.parent / "data" / "articles" / "000_48830aa07a997378.txt"
TEXTS = [
    "In 2018, trade between the two sides reached $680 million.",
    "Lord David Willetts led the UK delegation.",
    "",
    "Who led the UK delegation?",
    ARTICLE.read_text(encoding="utf-8"),  # longer than the model's 256 tokens: truncated, as sentence-transformers does
]
ONNX = "sentence-transformers/all-MiniLM-L6-v2@onnx-int8"


@pytest.mark.parametrize(("name", "shown_as", "file"), [
    (None, "sentence-transformers/all-MiniLM-L6-v2@openvino-int8", "model.xml"),
    (ONNX, ONNX, "model-int8.onnx"),
])  # fmt: skip
def test_int8_export_points_the_way_torch_does(tmp_path: Path, name: str | None, shown_as: str, file: str) -> None:
    fast = load_embedder(name, tmp_path)
    assert fast.name == shown_as
    vectors = fast.encode(TEXTS)
    reference = SentenceTransformerEmbedder().encode(TEXTS)
    assert vectors.shape == reference.shape == (5, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)
    cosine = np.sum(vectors * reference, axis=1)
    assert cosine[[0, 1, 3, 4]].min() > 0.98 and cosine[2] > 0.95  # the empty text means little either way
    assert fast.encode([]).shape == (0, 384)
    assert fast.count_tokens(TEXTS[:1]) == SentenceTransformerEmbedder().count_tokens(TEXTS[:1])
    (exported,) = (tmp_path / "embedders").rglob(file)
    stamp = exported.stat().st_mtime_ns
    again = load_embedder(name, tmp_path).encode(TEXTS)  # a later process reuses the file
    assert np.allclose(again, vectors, atol=1e-5) and exported.stat().st_mtime_ns == stamp
    one_by_one = np.vstack([fast.encode([t]) for t in TEXTS])
    if name is None:  # OpenVINO's activation ranges are fixed at export: a text's batch-mates change nothing
        assert np.allclose(one_by_one, vectors, atol=2e-3)
    else:  # ONNX Runtime quantizes each batch's activations on the fly: close, not equal
        assert np.sum(one_by_one * vectors, axis=1).min() > 0.95


@pytest.mark.parametrize(("name", "file"), [(None, "model.xml"), (ONNX, "model-int8.onnx")])
def test_a_damaged_export_is_made_again(tmp_path: Path, name: str | None, file: str) -> None:
    first = load_embedder(name, tmp_path)
    vectors = first.encode(TEXTS[:2])
    (exported,) = (tmp_path / "embedders").rglob(file)
    exported.write_bytes(b"not a model file")
    again = load_embedder(name, tmp_path).encode(TEXTS[:2])
    assert np.allclose(again, vectors, atol=1e-5) and exported.stat().st_size > 100_000
