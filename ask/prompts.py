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
# The rest of the format the model is spoken to and answers in: a chat role (the roles of the chat
# API) as a line's speaker or addressee ("assistant:", "System:", "Assistant,"), a chat-API
# message's role field ('"role": "system"'), and the answer's own citation mark ("[2]", "[1, 3]").
_CHAT_FORMAT = re.compile(
    r"^\W{0,3}(?:system|user|assistant|tool)\s*[:,]|\"role\"\s*:|\[\d{1,3}(?:\s*,\s*\d{1,3})*\]", re.I | re.M
)


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


def in_chat_format(sentence: str) -> bool:
    """Is this article sentence written in the conversation's own format, as a turn of it or as
    the answer itself? Such a sentence is not news to answer from, in any wording: it is left out
    of what is retrieved (ask/passages.score_sentences), so the model never reads it as a passage's
    text and no answer, preview or quote can come from it."""
    return bool(_CHAT_FORMAT.search(sentence))


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


def answer_messages(
    question: str, passages: list[tuple[int, str, str]], earlier: str | None = None
) -> list[dict[str, str]]:
    """The answer prompt: the system message, then the numbered passages, each (number, header,
    text) quoted as data, the earlier question a follow-up needs (if any) on a line of its own,
    and the question."""
    blocks = [render("passage", number=str(n), header=as_data(h), text=as_data(t)) for n, h, t in passages]
    before = f"{render('earlier', question=earlier)}\n" if earlier else ""
    content = render("answer", passages="\n\n".join(blocks), earlier=before, question=question)
    return [{"role": "system", "content": render("system")}, {"role": "user", "content": content}]
