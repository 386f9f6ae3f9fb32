"""Answering: a question becomes a short answer whose every sentence cites a verified passage.

Entry point: `Pipeline(retriever, generator, settings).stream(question, history)` (or `.answer`).
`load_generator(model, backend, cache_dir)` starts a model in its own process, checked. Names
are imported on first use, so that the model's process (`ask.worker`) and `config.py` do not
load the retrieval and verification stack.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "generate": ("Generator", "load_generator"),
    "pipeline": ("ABSTAIN_TEXT", "BadQuestion", "Pipeline"),
    "settings": ("AnswerSettings",),
    "types": ("Answer", "Citation", "Event", "Preview", "Timings", "Token", "answer_dict"),
}
_MODULE = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    if name not in _MODULE:
        raise AttributeError(f"module 'ask' has no attribute {name!r}")
    return getattr(importlib.import_module(f"ask.{_MODULE[name]}"), name)


__all__ = sorted(_MODULE)
