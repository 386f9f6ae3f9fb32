"""A sentence-transformers model exported once to a faster runtime, checked, and cached.

The export (torch weights -> the runtime's graph with mean pooling and normalisation inside,
matrix products in int8) happens on first use, into `<cache>/embedders/<model>/<runtime>/`. It is
checked against the torch vectors (cosine >= 0.98 on every check text) before it is kept, and the
folder appears whole or not at all, so a later process loads it in well under a second. A damaged
cached export is made again. Only mean-pooled models (most sentence-transformers models,
all-MiniLM-L6-v2 among them) can be exported; others keep the torch runtime.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from tqdm import tqdm

from console import captured
from index.embed import ModelUnavailable, SentenceTransformerEmbedder

INPUTS = ("input_ids", "attention_mask", "token_type_ids")
Batches = Iterator[tuple[np.ndarray, dict[str, np.ndarray]]]  # (rows of the output, tokenized texts)
Runner = Callable[[Batches, np.ndarray], None]  # writes each batch's unit vectors into its rows
CALIBRATION = Path(__file__).with_name("calibration.txt")  # news-like sentences, written for this


def calibration_texts(odd: bool = True) -> list[str]:
    """Texts short and long (the file's lines, then runs of them) to calibrate and check exports;
    `odd` adds an empty text and the file's last, repetitive line repeated past the model's length:
    calibration must see such inputs, a check need not."""
    lines = [line for line in CALIBRATION.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [*lines, *(" ".join(lines[i : i + n]) for n in (4, 12) for i in range(0, len(lines), n))]
    return ["", *texts, lines[-1] * 20] if odd else texts


def threads() -> int:
    """The cores this process may use (the embedders' and the model's thread count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class ExportedEmbedder:
    """Subclasses name their runtime (`suffix`, the model name's ending) and say how to write the
    export into a folder (`_export`) and how to run it from one (`_load`)."""

    suffix = ""

    def __init__(self, base: str, cache_dir: Path, batch_size: int = 8) -> None:
        self.name = base + self.suffix
        self.torch = SentenceTransformerEmbedder(base)  # tokenizer, export and the check
        self.cache_dir = Path(cache_dir)
        self.batch_size = batch_size
        self._runner: Runner | None = None
        self._max_tokens = 0
        self._dim = 0

    @property
    def folder(self) -> Path:
        slug = re.sub(r"[^\w.-]+", "_", self.torch.name).strip("_")
        return self.cache_dir / "embedders" / slug / self.suffix.lstrip("@")

    @property
    def runner(self) -> Runner:
        if self._runner is None:
            if not (self.folder / "export.json").exists():
                self._export_checked()
            try:
                self._runner = self._open(self.folder)
            except Exception:  # a damaged or half-written cache (any runtime or json error): export again
                shutil.rmtree(self.folder, ignore_errors=True)
                self._export_checked()
                self._runner = self._open(self.folder)
        return self._runner

    @property
    def dim(self) -> int:
        self.runner  # noqa: B018 (opens or exports the model, which knows its width)
        return self._dim

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        """Unit-length float32 vectors, one row per text (batched by length, like sentence-transformers)."""
        return self._encode(self.runner, texts, progress)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.torch.count_tokens(texts)

    def _encode(self, runner: Runner, texts: list[str], progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        runner(self._batches(texts, progress), out)
        return out

    def _batches(self, texts: list[str], progress: bool) -> Batches:
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in tqdm(range(0, len(texts), self.batch_size), desc="embedding", disable=not progress):
            rows = order[start : start + self.batch_size]
            batch = self.torch.tokenizer(
                [texts[i] for i in rows], padding=True, truncation=True, max_length=self._max_tokens,
                return_tensors="np",
            )  # fmt: skip
            yield rows, {k: batch[k].astype(np.int64) for k in INPUTS if k in batch}

    def _open(self, folder: Path) -> Runner:
        about = json.loads((folder / "export.json").read_text())
        self._max_tokens, self._dim = about["max_seq_length"], about["dim"]
        return self._load(folder)

    def _export_checked(self) -> None:
        """Export, check and keep; the libraries' own output (tracer warnings, progress bars) is
        held back unless --verbose, and a line of ours says what is happening."""
        started = time.perf_counter()
        print(f"preparing the embedder {self.name} (first run only)…", file=sys.stderr, flush=True)
        with captured(f"preparing the embedder {self.name}"):
            self._export_and_check()
        print(f"embedder ready in {time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)

    def _export_and_check(self) -> None:
        model = self.torch.model
        names = [type(m).__name__ for m in model]
        mean = len(model) > 1 and getattr(model[1], "pooling_mode", None) in ("mean", ["mean"])
        if names[:2] != ["Transformer", "Pooling"] or not mean:
            raise ModelUnavailable(f"{self.torch.name} is not a mean-pooled model ({names}); use the torch runtime")
        graph = mean_pooled(model[0].auto_model, normalize="Normalize" in names).eval()
        sample = self.torch.tokenizer(calibration_texts()[:3], padding=True, return_tensors="pt")
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.folder.parent) as tmp:
            out = Path(tmp) / "export"
            out.mkdir()
            self._export(graph, {k: sample[k] for k in INPUTS if k in sample}, out)
            about = {"model": self.torch.name, "max_seq_length": model.max_seq_length,
                     "dim": model.get_embedding_dimension()}  # fmt: skip
            (out / "export.json").write_text(json.dumps(about))
            self._check(out)
            shutil.rmtree(self.folder, ignore_errors=True)
            os.replace(out, self.folder)

    def _check(self, folder: Path) -> None:
        """The exported vectors must point the way the torch ones do."""
        texts = calibration_texts(odd=False)[::2]
        cosine = np.sum(self._encode(self._open(folder), texts) * self.torch.encode(texts), axis=1)
        if cosine.min() < 0.98:
            raise ModelUnavailable(f"the {self.suffix} export of {self.torch.name} drifts (cosine {cosine.min():.3f})")

    def _export(self, graph, sample: dict, folder: Path) -> None:
        raise NotImplementedError

    def _load(self, folder: Path) -> Runner:
        raise NotImplementedError


def mean_pooled(transformer, normalize: bool):
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
