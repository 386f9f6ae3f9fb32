"""Text generators: one interface, two backends (llama.cpp for GGUF, Hugging Face transformers).

A Generator streams the reply to a list of chat messages, greedily by default. The default model
is the packaged Qwen2.5-Coder-1.5B-Instruct GGUF on llama.cpp; `--model` takes any GGUF path, a
local Hugging Face folder or a Hub id (which needs a network the first time), and `--backend`
picks the runtime. Tests pass a scripted fake with the same `stream` method.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from ask.model_files import DEFAULT_MODEL, default_gguf
from index.embed import ModelUnavailable

Messages = list[dict[str, str]]


class Generator(Protocol):
    name: str

    def stream(self, messages: Messages, max_tokens: int = 160) -> Iterator[str]: ...


def _threads() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


class LlamaCppGenerator:
    """A GGUF model run by llama.cpp; the prompt prefix's key/value cache is reused across calls."""

    def __init__(self, path: Path, n_ctx: int = 4096) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelUnavailable(
                "the llama.cpp backend needs llama-cpp-python: pip install -r requirements.txt"
            ) from None
        if not Path(path).is_file():
            raise ModelUnavailable(f"no GGUF file at {path}")
        self.name = Path(path).name
        try:
            self._llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=_threads(), verbose=False)
        except (ValueError, RuntimeError) as err:
            raise ModelUnavailable(f"llama.cpp could not load {path}: {err}") from None
        self._lock = threading.Lock()  # one llama.cpp context serves one request at a time

    def stream(self, messages: Messages, max_tokens: int = 160) -> Iterator[str]:
        with self._lock:
            chunks = self._llm.create_chat_completion(
                messages=messages, temperature=0.0, top_k=1, max_tokens=max_tokens, stream=True
            )
            for chunk in chunks:
                text = chunk["choices"][0]["delta"].get("content")
                if text:
                    yield text


class TransformersGenerator:
    """A Hugging Face causal LM (Hub id or folder, or a GGUF file dequantized on load)."""

    def __init__(self, model: str) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = Path(model).expanduser()
        kwargs = {"gguf_file": path.name} if path.suffix == ".gguf" else {}
        source = str(path.parent if path.suffix == ".gguf" else path if path.exists() else model)
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
            self._model = AutoModelForCausalLM.from_pretrained(source, **kwargs)
        except (OSError, ValueError) as err:
            raise ModelUnavailable(f"transformers could not load {model!r}: {err}") from None
        self._model.eval()
        self.name = path.name if path.exists() else model
        self._lock = threading.Lock()

    def stream(self, messages: Messages, max_tokens: int = 160) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self._tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        with self._lock:
            worker = threading.Thread(
                target=self._model.generate,
                kwargs={**inputs, "max_new_tokens": max_tokens, "do_sample": False, "streamer": streamer},
            )
            worker.start()
            yield from (text for text in streamer if text)
            worker.join()


def load_generator(model: str | None, backend: str | None, cache_dir: Path) -> Generator:
    """`model`: None for the packaged default, a GGUF path, an HF folder or Hub id.
    `backend`: "llama.cpp", "transformers", or None to choose from the model's form."""
    path = default_gguf(cache_dir) if model in (None, DEFAULT_MODEL) else Path(model).expanduser()
    is_gguf = path.suffix == ".gguf"
    backend = backend or ("llama.cpp" if is_gguf else "transformers")
    if backend == "llama.cpp":
        if not is_gguf:
            raise ModelUnavailable(
                f"the llama.cpp backend runs GGUF files; {model!r} is not one (use --backend transformers)"
            )
        return LlamaCppGenerator(path)
    if backend == "transformers":
        return TransformersGenerator(str(path) if is_gguf or path.exists() else str(model))
    raise ValueError(f"unknown backend {backend!r}: use llama.cpp or transformers")
