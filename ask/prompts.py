"""Prompt templates are files in prompts/; this loader fills their {slots} and names any missing."""

from __future__ import annotations

import re
import string
from functools import cache
from pathlib import Path

from ingest import Document

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
# The control tokens of chat templates: "<|im_start|>", "<|eot_id|>" (ChatML, Qwen, Llama 3, Phi),
# "[INST]", "<<SYS>>" (Llama 2). Inside a prompt they would open a turn of the conversation.
_CONTROL = re.compile(r"<\|[^<>|\n]{0,64}\|>|\[/?INST\]|<</?SYS>>")


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


def as_data(text: str) -> str:
    """Article text made fit to quote in a prompt: chat-template control tokens removed, so that
    nothing in an article can open a turn of the conversation, and all on one line, so that no
    line of it starts like a role ("assistant:") or a heading ("### Instruction")."""
    return " ".join(_CONTROL.sub(" ", text).split())


def render(name: str, **values: str) -> str:
    """The template `name` with every slot filled; extra values are an error too."""
    missing, extra = slots(name) - set(values), set(values) - slots(name)
    if missing or extra:
        raise MissingSlot(f"prompt {name!r}: missing slots {sorted(missing)}, unknown slots {sorted(extra)}")
    return template(name).format(**values)


def passage_header(document: Document, title_words: int = 6) -> str:
    """Title (its first words: prompt tokens are the first token's cost), date, publisher, author."""
    words = document.title.split()
    title = " ".join(words[:title_words]) + ("…" if len(words) > title_words else "")
    published, publisher, author = document.published, document.publisher, document.author
    return " | ".join(x for x in (title, published, publisher, author and f"by {author}") if x)


def answer_messages(question: str, passages: list[tuple[int, str, str]]) -> list[dict[str, str]]:
    """The answer prompt: the system message, then the numbered passages, each (number, header,
    text) quoted as data, and the question."""
    blocks = [render("passage", number=str(n), header=as_data(h), text=as_data(t)) for n, h, t in passages]
    return [
        {"role": "system", "content": render("system")},
        {"role": "user", "content": render("answer", passages="\n\n".join(blocks), question=question)},
    ]
