"""Shared fixtures: the fake embedder, throwaway corpora on disk, a real PDF maker."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import ROOT, Config
from tests.fakes import FakeEmbedder
from ui.browser import free_port

SEEDS = ROOT / "data" / "articles"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A writable copy of the five seed articles."""
    target = tmp_path / "articles"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture(scope="module")
def retriever(tmp_path_factory: pytest.TempPathFactory):
    """The seed articles and one carrying an injected instruction, indexed with the fake embedder
    (tests/answering.py), once per test module."""
    from tests.answering import seed_retriever

    return seed_retriever(tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder for the README's commands (tests/readme.py), once per test module."""
    from tests.readme import make_home

    return make_home(tmp_path_factory.mktemp("readme"))


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


def wait_for_port(port: int, process: subprocess.Popen, timeout: float) -> None:
    """Until something listens on 127.0.0.1:`port`, or `process` exits, or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(1)


@pytest.fixture(scope="session")
def model_server() -> Iterator[str]:
    """`python -m ask.serve` with the packaged model on a free port; its openai:// address."""
    port = free_port()
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    log = open(ROOT / "test-artifacts" / "model-server.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "ask.serve", "--port", str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    address = f"openai://127.0.0.1:{port}/"
    wait_for_port(port, process, 300)
    try:
        assert process.poll() is None, (ROOT / "test-artifacts" / "model-server.log").read_text()
        yield address
    finally:
        process.terminate()
        process.wait(30)
        log.close()
