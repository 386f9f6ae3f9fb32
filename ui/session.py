"""What the chat app serves, apart from its layout: the library, the models, and answering.

`Service` owns the article library (index + retriever) and the loaded generators; each request
builds a Pipeline over the current retriever with the model and passage count it asks for. Each
model runs in a process of its own (ask/model_process.py), started on first use and checked with
one short reply; it serves one request at a time and the rest queue. If it crashes, the request
ends with the reason and the next one starts it again.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from ask import AnswerSettings, Event, Generator, Pipeline, language, load_generator
from ask.memory import release_memory
from config import Config
from index import Filters, ModelUnavailable
from index.library import Library
from index.settings import BadSetting

DEFAULT_LABEL = "Qwen2.5-Coder-1.5B-Instruct (packaged, llama.cpp)"


@dataclass(frozen=True)
class ModelChoice:
    label: str
    model: str | None
    backend: str | None


def model_choices(models: Sequence[str], backend: str | None) -> list[ModelChoice]:
    """Each model named on the command line (the first is the default), then the packaged one."""
    named = [ModelChoice(m, m, backend) for m in dict.fromkeys(models)]
    return [*named, ModelChoice(DEFAULT_LABEL, None, None)]


class Service:
    def __init__(self, config: Config, library: Library, choices: list[ModelChoice], verbose: bool = False) -> None:
        self.config = config
        self.library = library
        self.choices = {c.label: c for c in choices}
        self.verbose = verbose  # the model process's own output goes to the terminal too
        self._generators: dict[str, Generator] = {}
        self._loading = threading.Lock()
        self.loaded = threading.Event()  # the default model is ready
        self.load_seconds = 0.0
        self.load_error = ""

    def load_in_background(self) -> None:
        """Load the default model on a thread: the page opens at once; questions wait for it. The
        language identifier (ask/language.py) is read beside it, so the first question does not."""

        def load() -> None:
            started = time.perf_counter()
            try:
                self.generator(None)
            except (ModelUnavailable, ValueError, OSError) as err:  # shown on the page
                self.load_error = str(err)
            finally:
                self.load_seconds = time.perf_counter() - started
                self.loaded.set()
            print(next(iter(self._status_lines())), file=sys.stderr, flush=True)

        threading.Thread(target=load, name="model-loader", daemon=True).start()
        threading.Thread(target=language.identifier, name="language-loader", daemon=True).start()

    def model_status(self) -> Iterator[str]:
        """A line for the page, every half second until the model is ready or has failed."""
        started = time.perf_counter()
        while not self.loaded.wait(0.5):
            yield f"Loading the model… {time.perf_counter() - started:.0f} s"
        yield from self._status_lines()

    def _status_lines(self) -> Iterator[str]:
        if self.load_error:
            yield f"The model could not be loaded: {self.load_error}"
            return
        info = getattr(self._generators.get(self.default_model), "info", {})
        runtime = f"{info['backend']}, {info['cpu']}" if "cpu" in info else info.get("backend", "")
        runtime = f"{runtime}; " if runtime else ""
        yield f"Model ready: {self.default_model} ({runtime}loaded and checked in {self.load_seconds:.1f} s)"

    @property
    def default_model(self) -> str:
        return next(iter(self.choices))

    def generator(self, label: str | None) -> Generator:
        """The generator for a model choice, loaded on first use."""
        choice = self.choices.get(label or self.default_model)
        if choice is None:
            raise BadSetting(f"unknown model {label!r}; choose one of {', '.join(self.choices)}")
        with self._loading:
            if choice.label not in self._generators:
                self._generators[choice.label] = load_generator(
                    choice.model, choice.backend, self.config.cache_dir, self.verbose
                )
            return self._generators[choice.label]

    def pipeline(self, label: str | None = None, passages: int | None = None) -> Pipeline:
        settings: AnswerSettings = self.config.answer
        if passages:
            settings = replace(settings, max_passages=int(passages), top_k=max(settings.top_k, int(passages)))
        return Pipeline(self.library.retriever, self.generator(label), settings)

    def stream(
        self,
        question: str,
        history: Sequence[tuple[str, str]] = (),
        label: str | None = None,
        passages: int | None = None,
        search_filters: Filters | None = None,
    ) -> Iterator[Event]:
        try:
            yield from self.pipeline(label, passages).stream(question, history, search_filters)
        finally:
            release_memory()

    def examples(self, n: int = 4) -> list[str]:
        """Questions drawn from the library: one about each of the newest articles' headlines."""
        out = []
        for entry in self.library.entries()[:n]:
            words = entry.title.rstrip("…").split()
            out.append(f"What does the article “{' '.join(words[:10])}” report?")
        return out
