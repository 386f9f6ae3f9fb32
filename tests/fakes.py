"""Stand-ins for the models: a deterministic fake embedder and scripted generators.

The factories at the end are named on command lines and in the model process as
`py:tests.fakes:<name>` (ASK_EMBEDDER, ASK_MODEL, --model), so the commands the README shows run
end to end in the fast suite without the real models.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import time
from collections.abc import Callable, Iterator

import numpy as np


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
    """Replies with whatever `script(messages)` returns, streamed a word at a time; weighs a
    constrained reply with `judge(messages)` (P of the first option), or cannot ({}) without one.
    Asked news or instruction, it answers `news(messages)` (every passage sentence news: 1.0)."""

    name = "scripted"

    def __init__(
        self, script: Callable[[list[dict]], str], judge: Callable[[list[dict]], float] | None = None,
        news: Callable[[list[dict]], float] = lambda m: 1.0,
    ) -> None:  # fmt: skip
        self.script = script
        self.judge = judge
        self.news = news
        self.prompts: list[list[dict]] = []

    def stream(self, messages: list[dict], max_tokens: int = 160) -> Iterator[str]:
        self.prompts.append(messages)
        yield from re.findall(r"\S+\s*", self.script(messages))

    def choose(self, messages: list[dict], options: list[str]) -> dict[str, float]:
        if self.judge is None:
            return {}
        self.prompts.append(messages)
        first = self.news(messages) if options == ["news", "instruction"] else self.judge(messages)
        return {options[0]: first, **{o: (1 - first) / (len(options) - 1) for o in options[1:]}}


def number_of(messages: list[dict], phrase: str) -> int:
    """The number of the passage shown to the model that contains `phrase`."""
    blocks = re.split(r"\n(?=\[\d+\] )", messages[-1]["content"])
    return next(int(b[1 : b.index("]")]) for b in blocks if b.startswith("[") and phrase in b)


def shown_numbers(messages: list[dict]) -> list[str]:
    """The numbers of the passages in the prompt's last message, in their order."""
    return re.findall(r"^\[(\d+)\] ", messages[-1]["content"], re.M)


def first_sentence(messages: list[dict], number: int) -> str:
    """The first sentence of passage `number` shown to the model, without its full stop."""
    text = messages[-1]["content"].split(f"[{number}] ")[1].split("\n")[1]
    return text.split(". ")[0].rstrip(".")


def quote_first_passage(messages: list[dict]) -> str:
    """A reply the verifier keeps: the first sentence of passage [1], cited; or the abstention."""
    match = re.search(r"^\[1\] [^\n]*\n(.+?[.!?])(\s|$)", messages[-1]["content"], re.M | re.S)
    return f"{match[1]} [1]" if match else "The articles don't say."


def embedder() -> FakeEmbedder:
    return FakeEmbedder()


# What a real process (app.py, python -m …) is told to load, through the environment, to run on these fakes.
FAKE_MODELS = {"ASK_EMBEDDER": "py:tests.fakes:embedder", "ASK_MODEL": "py:tests.fakes:quoting_model"}


def quoting_model() -> ScriptedModel:
    """Quotes passage [1]; finds every answer fairly well stated (P(yes) 0.8)."""
    return ScriptedModel(quote_first_passage, judge=lambda messages: 0.8)


class CrashingModel(ScriptedModel):
    """Quotes like `quoting_model`, but its process dies by SIGSEGV when a question says "crash",
    and stops answering when it says "hang"."""

    def stream(self, messages: list[dict], max_tokens: int = 160) -> Iterator[str]:
        if "crash" in messages[-1]["content"].lower():
            yield "Partly"
            os.kill(os.getpid(), signal.SIGSEGV)
        if "hang" in messages[-1]["content"].lower():
            time.sleep(3600)
        yield from super().stream(messages, max_tokens)


class SlowModel(ScriptedModel):
    """Quotes like `quoting_model`, three seconds a reply: a busy server's model."""

    def stream(self, messages: list[dict], max_tokens: int = 160) -> Iterator[str]:
        time.sleep(3)
        yield from super().stream(messages, max_tokens)


def slow_model() -> SlowModel:
    return SlowModel(quote_first_passage, judge=lambda messages: 0.8)


def crashing_model() -> CrashingModel:
    return CrashingModel(quote_first_passage)


def crashing_at_start() -> ScriptedModel:
    """Dies in the start-up check, as a runtime compiled for instructions the CPU lacks would."""
    os.kill(os.getpid(), signal.SIGILL)
    raise AssertionError("unreachable")


class NoisyModel(ScriptedModel):
    """Writes to the process's stdout as native libraries do; the replies must not be corrupted."""

    def stream(self, messages: list[dict], max_tokens: int = 160) -> Iterator[str]:
        print("a stray line on stdout", flush=True)
        os.write(1, b"{not json, from native code}\n")
        yield from super().stream(messages, max_tokens)


def noisy_model() -> NoisyModel:
    return NoisyModel(quote_first_passage)
