"""Shared fixtures: a deterministic fake embedder and throwaway corpora on disk."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from config import ROOT, Config

SEEDS = ROOT / "data" / "articles"


class FakeEmbedder:
    """Bag of hashed words -> unit vector. Texts sharing words are close; no model involved."""

    name = "fake-embedder"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.encoded = 0  # how many texts were embedded, to check incremental builds

    def encode(self, texts: list[str], progress: bool = False) -> np.ndarray:
        self.encoded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                out[row, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(re.findall(r"\w+|[^\w\s]", t)) for t in texts]


class ScriptedModel:
    """Replies with whatever `script(messages)` returns, streamed a word at a time."""

    name = "scripted"

    def __init__(self, script: Callable[[list[dict]], str]) -> None:
        self.script = script
        self.prompts: list[list[dict]] = []

    def stream(self, messages: list[dict], max_tokens: int = 160) -> Iterator[str]:
        self.prompts.append(messages)
        yield from re.findall(r"\S+\s*", self.script(messages))


def number_of(messages: list[dict], phrase: str) -> int:
    """The number of the passage shown to the model that contains `phrase`."""
    blocks = re.split(r"\n(?=\[\d+\] )", messages[-1]["content"])
    return next(int(b[1 : b.index("]")]) for b in blocks if b.startswith("[") and phrase in b)


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A writable copy of the five seed articles."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def settings():
    return Config().search


def make_pdf(path: Path, title: str, lines: list[str]) -> Path:
    """A real one-page PDF with a title in its metadata and `lines` of Helvetica text."""

    def escape(s: str) -> str:
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = " ".join(f"({escape(line)}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 11 Tf 72 720 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({escape(title)}) >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path
