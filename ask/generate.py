"""Text generators: one interface, two backends (llama.cpp for GGUF, Hugging Face transformers).

A Generator streams the reply to a list of chat messages, greedily by default. The default model
is the packaged Qwen2.5-Coder-1.5B-Instruct GGUF on llama.cpp; `--model` takes any GGUF path, a
local Hugging Face folder or a Hub id (which needs a network the first time), or
`py:module:callable` for any object with this `stream` method, or `openai://HOST:PORT/MODEL` for
a model on an OpenAI-compatible server (ask/remote.py); `--backend` picks the runtime.
`load_generator` runs the model in its own process (ask/model_process.py), so a crash in the
runtime cannot take the app with it; the classes here are what that process runs. Tests pass a
scripted fake with the same `stream` method.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from ask.model_files import DEFAULT_MODEL, default_gguf
from index.embed import ModelUnavailable
from index.embedders import PLUGIN
from index.exported import threads

Messages = list[dict[str, str]]


class Generator(Protocol):
    name: str

    def stream(self, messages: Messages, max_tokens: int = 160) -> Iterator[str]: ...


class Chooser(Protocol):
    """A generator that can also say how likely each of a few one-word replies is (the model asked
    a constrained question: "yes" or "no"). Optional: without it the checks that need it are skipped."""

    def choose(self, messages: Messages, options: list[str]) -> dict[str, float]: ...


def option_shares(probabilities, token_ids: Callable[[str], set[int]], options: list[str]) -> dict[str, float]:
    """Each option's share of the probability the next token puts on any of the options (an option
    counts in its usual spellings: "yes", "Yes", " yes")."""
    mass = {o: float(sum(probabilities[t] for t in token_ids(o))) for o in options}
    total = sum(mass.values())
    return {o: m / total if total else 1 / len(options) for o, m in mass.items()}


def spellings(option: str) -> list[str]:
    return list(dict.fromkeys(f"{space}{case}" for space in ("", " ") for case in (option, option.capitalize())))


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
            self._llm = Llama(model_path=str(path), n_ctx=n_ctx, n_threads=threads(), verbose=False)
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

    def choose(self, messages: Messages, options: list[str]) -> dict[str, float]:
        """The next token's probabilities after the chat prompt, shared among `options`. The prompt
        goes through the same chat template as `stream`, so a shared prefix is not computed twice."""
        import llama_cpp
        import numpy as np

        with self._lock:
            self._llm.create_chat_completion(messages=messages, temperature=0.0, top_k=1, max_tokens=1)
            n_vocab = self._llm.n_vocab()
            logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits(self._llm.ctx), shape=(n_vocab,)).copy()
        probabilities = np.exp(logits - logits.max())
        probabilities /= probabilities.sum()

        def token_ids(option: str) -> set[int]:
            ids = (self._llm.tokenize(w.encode(), add_bos=False) for w in spellings(option))
            return {t[0] for t in ids if len(t) == 1}

        return option_shares(probabilities, token_ids, options)

    def rates(self, text: str, prompt_tokens: int = 400, new_tokens: int = 64, runs: int = 3) -> dict:
        """Prefill and decode tokens/s (medians of `runs`, the prompt cache cleared each time)."""
        with self._lock:
            tokens = self._llm.tokenize(text.encode())[:prompt_tokens]
            prefill, decode = [], []
            for _ in range(runs):
                self._llm.reset()
                started = time.perf_counter()
                self._llm.eval(tokens)
                prefill.append(len(tokens) / (time.perf_counter() - started))
                started = time.perf_counter()
                for _ in range(new_tokens):
                    self._llm.eval([self._llm.sample(top_k=1)])
                decode.append(new_tokens / (time.perf_counter() - started))
            self._llm.reset()
        return {"prefill_tokens_per_s": statistics.median(prefill), "decode_tokens_per_s": statistics.median(decode)}


class TransformersGenerator:
    """A Hugging Face causal LM (Hub id or folder, or a GGUF file dequantized on load).

    Dequantizing a GGUF takes about a minute, so with a `cache_dir` the dequantized model is saved
    once as safetensors (`<cache>/models/<file>-transformers/`, marked with the GGUF's size and
    time) and later processes load that folder instead."""

    def __init__(self, model: str, cache_dir: Path | None = None) -> None:
        from transformers import AutoModelForCausalLM, AutoTokenizer

        path = Path(model).expanduser()
        gguf = path.suffix == ".gguf"
        converted = _converted_folder(path, cache_dir) if gguf and cache_dir else None
        if converted is not None and converted.is_dir():
            source, kwargs = str(converted), {}
        else:
            source = str(path.parent if gguf else path if path.exists() else model)
            kwargs = {"gguf_file": path.name} if gguf else {}
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(source, **kwargs)
            self._model = AutoModelForCausalLM.from_pretrained(source, **kwargs)
        except (OSError, ValueError) as err:
            raise ModelUnavailable(f"transformers could not load {model!r}: {err}") from None
        if converted is not None and not converted.is_dir():
            _save_converted(self._model, self._tokenizer, converted)
        self.loaded_from = source
        self._model.eval()
        self.name = path.name if path.exists() else model
        self._lock = threading.Lock()

    def choose(self, messages: Messages, options: list[str]) -> dict[str, float]:
        """The next token's probabilities after the chat prompt, shared among `options`."""
        import torch

        inputs = self._tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        with self._lock, torch.no_grad():
            probabilities = torch.softmax(self._model(**inputs).logits[0, -1].float(), dim=-1)

        def token_ids(option: str) -> set[int]:
            ids = (self._tokenizer.encode(w, add_special_tokens=False) for w in spellings(option))
            return {t[0] for t in ids if len(t) == 1}

        return option_shares(probabilities, token_ids, options)

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


def _converted_folder(gguf: Path, cache_dir: Path) -> Path:
    """Where the dequantized form of this GGUF file lives: named by the file, its size and time."""
    stat = gguf.stat()
    return Path(cache_dir) / "models" / f"{gguf.stem}-transformers-{stat.st_size}-{stat.st_mtime_ns}"


def _save_converted(model, tokenizer, folder: Path) -> None:
    """The dequantized model as safetensors, written whole or not at all (a failure only costs speed)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    model.hf_quantizer = None  # the weights are already plain float tensors: saving them is safe
    if getattr(model.config, "quantization_config", None) is not None:
        del model.config.quantization_config
    try:
        with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
            model.save_pretrained(Path(tmp) / "model")
            tokenizer.save_pretrained(Path(tmp) / "model")
            os.replace(Path(tmp) / "model", folder)
    except OSError as err:  # a full disk: the next start dequantizes again
        print(f"note: could not keep the dequantized model in {folder.parent}: {err}", file=sys.stderr)


BACKENDS = ("llama.cpp", "transformers")


def resolve(model: str | None, backend: str | None, cache_dir: Path) -> tuple[str, str]:
    """(what to load, the backend): the packaged default GGUF is assembled on first use; a GGUF
    path runs on llama.cpp unless told otherwise, anything else on transformers."""
    if backend not in (None, *BACKENDS):
        raise ValueError(f"unknown backend {backend!r}: use {' or '.join(BACKENDS)}")
    path = default_gguf(cache_dir) if model in (None, DEFAULT_MODEL) else Path(model).expanduser()
    is_gguf = path.suffix == ".gguf"
    backend = backend or ("llama.cpp" if is_gguf else "transformers")
    if backend == "llama.cpp" and not is_gguf:
        raise ModelUnavailable(
            f"the llama.cpp backend runs GGUF files; {model!r} is not one (use --backend transformers)"
        )
    if backend == "llama.cpp" and not path.is_file():
        raise ModelUnavailable(f"no GGUF file at {path}")
    return (str(path) if is_gguf or path.exists() else str(model)), backend


def load_generator(model: str | None, backend: str | None, cache_dir: Path, verbose: bool = False) -> Generator:
    """The model in its own process, loaded and checked (one short reply) before this returns.
    `model`: None for the packaged default, a GGUF path, an HF folder or Hub id. `backend`:
    "llama.cpp", "transformers", or None to choose from the model's form."""
    from ask.model_process import ModelProcess
    from ask.remote import OpenAIGenerator, is_remote

    if is_remote(model):  # openai://HOST:PORT/MODEL: the server is the model's process
        if backend is not None:
            raise ValueError(f"--backend {backend} does not apply to a model server ({model})")
        remote = OpenAIGenerator(model)
        remote.check()
        return remote
    if model and model.startswith(PLUGIN):  # py:module:callable, built in the model's process
        return ModelProcess({"factory": model, "cache_dir": str(cache_dir)}, model, verbose=verbose)
    target, backend = resolve(model, backend, cache_dir)
    spec = {"model": target, "backend": backend, "cache_dir": str(cache_dir)}
    return ModelProcess(spec, Path(target).name if Path(target).exists() else target, verbose=verbose)
