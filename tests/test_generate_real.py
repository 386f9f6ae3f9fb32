"""The transformers backend on the packaged GGUF: dequantized once, then loaded from its saved form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ask import load_generator
from ask.model_files import default_gguf
from config import Config

pytestmark = pytest.mark.real
MESSAGES = [{"role": "user", "content": "What is the capital of France? Reply with one word."}]


@pytest.fixture
def scratch(tmp_path: Path):
    yield tmp_path
    shutil.rmtree(tmp_path / "models", ignore_errors=True)  # 6.7 GB: pytest keeps its last three tmp dirs


def test_the_dequantized_model_is_kept_and_reused(scratch: Path) -> None:
    tmp_path = scratch
    gguf = default_gguf(Config().cache_dir)
    first = load_generator(str(gguf), "transformers", tmp_path)
    (saved,) = (tmp_path / "models").iterdir()
    assert first.info["loaded_from"] == str(gguf.parent)
    assert (saved / "config.json").exists() and list(saved.glob("*.safetensors"))
    reply = "".join(first.stream(MESSAGES, 4))
    assert "Paris" in reply
    first.close()
    again = load_generator(str(gguf), "transformers", tmp_path)  # from the saved folder, same weights
    assert again.info["loaded_from"] == str(saved)
    assert "".join(again.stream(MESSAGES, 4)) == reply
    again.close()
