"""The embedder on ONNX Runtime with int8 weights: the same sentence-transformers model, about twice
as fast on a small CPU.

On first use the model is exported from its torch weights to ONNX (mean pooling and normalisation
inside the graph), its matrix products quantized to int8 per channel, checked against the torch
vectors (cosine >= 0.98) and cached under `<cache>/embedders/`. Later processes load the cached
file in well under a second. Only mean-pooled models (most sentence-transformers models,
all-MiniLM-L6-v2 among them) can be exported; others keep the torch runtime.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index.embed import ONNX_INT8, ModelUnavailable, SentenceTransformerEmbedder

_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
_CHECK = [
    "Trade between Hunan and the UK reached $680 million in 2018.",
    "The summit was held in London on Thursday.",
    "MiniLM vectors, exported once and checked against torch.",
]


class OnnxEmbedder:
    def __init__(self, base: str, cache_dir: Path, batch_size: int = 32) -> None:
        self.name = base + ONNX_INT8
        self.torch = SentenceTransformerEmbedder(base)  # tokenizer, export and the check
        self.cache_dir = Path(cache_dir)
        self.batch_size = batch_size
        self._session = None
        self._max_tokens = 0

    @property
    def session(self):
        if self._session is None:
            try:
                import onnxruntime as ort
            except ImportError:
                raise ModelUnavailable(
                    "the onnx-int8 embedder needs onnxruntime (pip install -r requirements.txt)"
                ) from None
            options = ort.SessionOptions()
            options.intra_op_num_threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 0
            path = self.model_file()
            try:
                self._open(ort, options, path)
            except Exception:  # a damaged or half-written cache (any onnxruntime or json error): export again
                shutil.rmtree(path.parent, ignore_errors=True)
                self._open(ort, options, self.model_file())
        return self._session

    def _open(self, ort, options, path: Path) -> None:
        self._max_tokens = json.loads((path.parent / "export.json").read_text())["max_seq_length"]
        self._session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    @property
    def dim(self) -> int:
        return int(self.session.get_outputs()[0].shape[-1])

    def model_file(self) -> Path:
        """The cached int8 ONNX file, exported first if missing."""
        slug = re.sub(r"[^\w.-]+", "_", self.torch.name).strip("_")
        folder = self.cache_dir / "embedders" / slug
        target = folder / "model-int8.onnx"
        if not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            self._export(target)
        return target

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (batched by length, like sentence-transformers)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        wanted = {i.name for i in self.session.get_inputs()}
        for start in tqdm(range(0, len(texts), self.batch_size), desc="embedding", disable=not progress):
            rows = order[start : start + self.batch_size]
            chunk = [texts[i] for i in rows]
            batch = self.torch.tokenizer(
                chunk, padding=True, truncation=True, max_length=self._max_tokens, return_tensors="np"
            )
            feed = {k: batch[k].astype(np.int64) for k in _INPUTS if k in wanted and k in batch}
            out[rows] = self.session.run(None, feed)[0]
        return out

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.torch.count_tokens(texts)

    def _export(self, target: Path) -> None:
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic

        model = self.torch.model
        names = [type(m).__name__ for m in model]
        mean = len(model) > 1 and getattr(model[1], "pooling_mode", None) in ("mean", ["mean"])
        if names[:2] != ["Transformer", "Pooling"] or not mean:
            raise ModelUnavailable(f"{self.torch.name} is not a mean-pooled model ({names}); use the torch runtime")
        graph = _mean_pooled(model[0].auto_model, normalize="Normalize" in names).eval()
        sample = self.torch.tokenizer(_CHECK, padding=True, return_tensors="pt")
        inputs = tuple(k for k in _INPUTS if k in sample)
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            plain, quantized = Path(tmp) / "model.onnx", Path(tmp) / "model-int8.onnx"
            torch.onnx.export(
                graph, tuple(sample[k] for k in inputs), str(plain), input_names=list(inputs),
                output_names=["embedding"], opset_version=17, dynamo=False,
                dynamic_axes={**{k: {0: "batch", 1: "tokens"} for k in inputs}, "embedding": {0: "batch"}},
            )  # fmt: skip
            quantize_dynamic(
                plain, quantized, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"], per_channel=True
            )
            self._check(quantized, model.max_seq_length)
            (target.parent / "export.json").write_text(
                json.dumps({"model": self.torch.name, "max_seq_length": model.max_seq_length})
            )
            os.replace(quantized, target)

    def _check(self, path: Path, max_tokens: int) -> None:
        """The exported vectors must point the way the torch ones do."""
        import onnxruntime as ort

        self._session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        self._max_tokens = max_tokens
        try:
            cosine = np.sum(self.encode(_CHECK) * self.torch.encode(_CHECK), axis=1)
        finally:
            self._session = None
        if cosine.min() < 0.98:
            raise ModelUnavailable(f"the int8 export of {self.torch.name} drifts (cosine {cosine.min():.3f})")


def _mean_pooled(transformer, normalize: bool):
    """Transformer + mean pooling (+ normalisation) as one torch module, for the export."""
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            extra = {} if token_type_ids is None else {"token_type_ids": token_type_ids}
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask, **extra)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1) if normalize else pooled

    return MeanPooled()
