"""Prompt templates are files in prompts/; this loader fills their {slots} and names any missing."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


class MissingSlot(KeyError):
    """A template was rendered without a value for one of its slots."""


@cache
def template(name: str) -> str:
    path = PROMPTS_DIR / f"{name}.txt"
    if not path.is_file():
        raise FileNotFoundError(f"no prompt template {path}")
    return path.read_text(encoding="utf-8").strip()


def slots(name: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template(name)) if field}


def render(name: str, **values: str) -> str:
    """The template `name` with every slot filled; extra values are an error too."""
    missing, extra = slots(name) - set(values), set(values) - slots(name)
    if missing or extra:
        raise MissingSlot(f"prompt {name!r}: missing slots {sorted(missing)}, unknown slots {sorted(extra)}")
    return template(name).format(**values)
