"""Answering: a question becomes a short answer whose every sentence cites a verified passage.

Entry point: `Pipeline(retriever, generator, settings).stream(question, history)` (or `.answer`).
`open_pipeline(config)` wires the default index, embedder and model together.
"""

from __future__ import annotations

from ask.generate import Generator, load_generator
from ask.pipeline import ABSTAIN_TEXT, AnswerSettings, BadQuestion, Pipeline
from ask.types import Answer, Citation, Event, Preview, Timings, Token, answer_dict

__all__ = [
    "ABSTAIN_TEXT",
    "Answer",
    "AnswerSettings",
    "BadQuestion",
    "Citation",
    "Event",
    "Generator",
    "Pipeline",
    "Preview",
    "Timings",
    "Token",
    "answer_dict",
    "load_generator",
]
