"""Which embedder a name stands for: the runtime is part of the name.

"<model>@openvino-int8" runs a sentence-transformers model on OpenVINO in int8, "<model>@onnx-int8"
on ONNX Runtime with int8 weights (each exported once into the cache folder), any other name on
sentence-transformers itself; "py:module:callable" is whatever that callable returns (anything
with `name`, `encode` and `count_tokens`: a custom embedder, or the tests' fake one).
"""

from __future__ import annotations

import importlib
from pathlib import Path

from index.embed import (
    DEFAULT_EMBEDDER,
    ONNX_INT8,
    OPENVINO_INT8,
    Embedder,
    ModelUnavailable,
    SentenceTransformerEmbedder,
)
from index.onnx_embed import OnnxEmbedder
from index.openvino_embed import OpenVinoEmbedder

PLUGIN = "py:"


def load_plugin(spec: str) -> object:
    """The object `py:module:callable` names, called with no arguments."""
    module, _, attribute = spec.removeprefix(PLUGIN).partition(":")
    try:
        return getattr(importlib.import_module(module), attribute)()
    except (ImportError, AttributeError, TypeError) as err:
        raise ModelUnavailable(f"{spec!r} does not name a callable as py:module:callable ({err})") from None


def load_embedder(name: str | None, cache_dir: Path) -> Embedder:
    """The embedder `name` stands for; None: the packaged all-MiniLM-L6-v2 on OpenVINO in int8."""
    name = name or DEFAULT_EMBEDDER + OPENVINO_INT8
    if name.startswith(PLUGIN):
        return load_plugin(name)
    if name.endswith(OPENVINO_INT8):
        return OpenVinoEmbedder(name.removesuffix(OPENVINO_INT8), cache_dir)
    if name.endswith(ONNX_INT8):
        return OnnxEmbedder(name.removesuffix(ONNX_INT8), cache_dir)
    return SentenceTransformerEmbedder(name)
