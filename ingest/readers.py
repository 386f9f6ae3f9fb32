"""Read article files of each supported format into cleaned text plus metadata.

Formats: .txt and .md (scraped text, cleaned by `ingest.clean`), .html/.htm (trafilatura's
article extraction), .pdf (pypdf), .json/.jsonl (records with a body or text field; the
MultiHop-RAG corpus format loads as is). A file that cannot be read raises `IngestError`
with a reason a person can act on; this module never decides what to do about it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ingest.clean import Cleaned, clean_scraped, drop_boilerplate, normalize_lines
from ingest.metadata import parse_date
from ingest.types import Skipped

SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf", ".json", ".jsonl")
MAX_BYTES = 50 * 1024 * 1024
_BODY_FIELDS = ("body", "text", "content", "article", "maintext")
_TITLE_FIELDS = ("title", "headline")
_DATE_FIELDS = ("published_at", "published", "date", "publish_date", "pubdate", "date_publish")
_PUBLISHER_FIELDS = ("source", "publisher", "site", "sitename", "source_domain")
_AUTHOR_FIELDS = ("author", "authors", "byline")
_URL_FIELDS = ("url", "link")


class IngestError(ValueError):
    """A file or record that cannot be ingested; the message says why."""


@dataclass(frozen=True)
class Record:
    """One article as read from disk: where it came from and what it says."""

    path: str
    cleaned: Cleaned
    url: str | None = None


def read_file(path: Path) -> list[Record | Skipped]:
    """All articles in one file (several for JSON collections, where a bad record is
    reported as Skipped and the others still load). Raises IngestError for a bad file, one
    nested too deeply to parse (JSON 100,000 levels deep) or too big to hold in memory included."""
    try:
        return _read_file(path)
    except RecursionError:
        raise IngestError("the file is nested too deeply to read") from None
    except MemoryError:
        raise IngestError("the file needs more memory to read than this machine has") from None


def _read_file(path: Path) -> list[Record | Skipped]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUFFIXES)}")
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty file")
    if size > MAX_BYTES:
        raise IngestError(f"file is {_size(size)}, over the {_size(MAX_BYTES)} limit")
    data = path.read_bytes()
    if suffix == ".pdf":
        return [_read_pdf(path, data)]
    text = _decode(data)
    if not text.strip():
        raise IngestError("file holds only whitespace")
    if suffix in (".json", ".jsonl"):
        return _read_json(path, text, lines=suffix == ".jsonl")
    if suffix in (".html", ".htm"):
        return [_read_html(path, text)]
    return [Record(str(path), _require_text(clean_scraped(_strip_markdown(text) if suffix == ".md" else text)))]


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n / 2**10:.1f} KiB"


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise IngestError("binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise IngestError(
            f"not UTF-8 text (byte 0x{data[err.start]:02x} at offset {err.start}); save it as UTF-8"
        ) from None


def _require_text(cleaned: Cleaned) -> Cleaned:
    if not cleaned.text.strip():
        raise IngestError("no article text left after removing page boilerplate")
    return cleaned


def _strip_markdown(text: str) -> str:
    """Markdown syntax that would otherwise be indexed as words: headings, emphasis, links; and
    link reference definitions ("[label]: target ..."), which Markdown never renders (the usual
    way to write a comment, "[//]: # (...)")."""
    text = re.sub(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S.*$", "", text, flags=re.M)
    text = re.sub(r"^#{1,6}\s+", "", text, flags=re.M)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"(\*\*|__|`)", "", text)


def _read_html(path: Path, html: str) -> Record:
    import trafilatura

    try:
        found = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as err:  # lxml raises a zoo of parser errors on broken markup
        raise IngestError(f"HTML could not be parsed ({type(err).__name__})") from None
    if found is None or not (found.text or "").strip():
        raise IngestError("no article text found in the HTML")
    lines = normalize_lines(found.text)
    if found.title and lines and lines[0] == found.title.strip():
        lines = lines[1:]
    cleaned = Cleaned(
        text="\n\n".join(drop_boilerplate(lines)),
        title=found.title,
        published=parse_date(found.date or ""),
        publisher=found.sitename,
        author=found.author,
    )
    return Record(str(path), _require_text(cleaned), url=found.url)


def _read_pdf(path: Path, data: bytes) -> Record:
    from io import BytesIO

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF"):
        raise IngestError("not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = (reader.metadata or {}).get("/Title")
    except (PdfReadError, ValueError, KeyError, OSError) as err:
        raise IngestError(f"PDF could not be read ({err})") from None
    # PDF text is hard-wrapped: rejoin lines that do not end a sentence.
    text = re.sub(r"(?<![.!?:\"”])\n(?=[a-z0-9(\"“])", " ", "\n".join(pages))
    cleaned = clean_scraped(text)
    if title and not cleaned.title:
        cleaned = replace(cleaned, title=str(title))
    return Record(str(path), _require_text(cleaned))


def _read_json(path: Path, text: str, lines: bool) -> list[Record | Skipped]:
    """Every record of a JSON collection; a bad record is skipped, not the whole file."""
    items: list[tuple[str, object]] = []
    if lines:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                try:
                    items.append((f"{path}#{number}", _parse_json(line, f"line {number}")))
                except IngestError as err:
                    items.append((f"{path}#{number}", err))
    else:
        data = _parse_json(text, "")
        if isinstance(data, dict):
            lists = [v for v in data.values() if isinstance(v, list)]
            data = lists[0] if len(lists) == 1 and not _field(data, _BODY_FIELDS) else [data]
        if not isinstance(data, list):
            raise IngestError("JSON must hold an article object or a list of them")
        items = [(f"{path}#{i}", item) for i, item in enumerate(data)]
    if not items:
        raise IngestError("no records in the file")
    results: list[Record | Skipped] = []
    for label, item in items:
        try:
            if isinstance(item, IngestError):
                raise item
            results.append(_json_record(label, item))
        except IngestError as err:
            results.append(Skipped(label, str(err)))
    return results


def _parse_json(text: str, where: str) -> object:
    try:
        return json.loads(text)
    except RecursionError:
        raise IngestError(f"JSON nested too deeply{' at ' + where if where else ''}") from None
    except json.JSONDecodeError as err:
        place = where or f"line {err.lineno} column {err.colno}"
        raise IngestError(f"invalid JSON at {place}: {err.msg}") from None


def _field(item: dict, names: tuple[str, ...]) -> str | None:
    for name in names:
        value = item.get(name)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if value not in (None, "", "None", "null"):
            return str(value).strip()
    return None


def _json_record(label: str, item: object) -> Record:
    if not isinstance(item, dict):
        raise IngestError("record is not a JSON object")
    body = _field(item, _BODY_FIELDS)
    if not body:
        raise IngestError(f"record has no {'/'.join(_BODY_FIELDS)} field")
    paragraphs = drop_boilerplate(normalize_lines(body), cut_tail=False)  # records hold one article
    cleaned = Cleaned(
        text="\n\n".join(paragraphs),
        title=_field(item, _TITLE_FIELDS),
        published=parse_date(_field(item, _DATE_FIELDS) or ""),
        publisher=_field(item, _PUBLISHER_FIELDS),
        author=_field(item, _AUTHOR_FIELDS),
    )
    if not cleaned.text:
        raise IngestError("record has no article text")
    return Record(label, cleaned, url=_field(item, _URL_FIELDS))
