"""Every supported format loads; every kind of bad file is skipped with a message naming it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import load_corpus
from tests.conftest import make_pdf

ARTICLE = (
    "Shenzhen opened a new research centre on Monday. The centre will employ 300 scientists. "
    "Officials said the investment reached $1.2 billion."
)


def test_html_goes_through_the_article_extractor(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>Centre opens - Daily Planet</title>"
        '<meta property="og:site_name" content="Daily Planet">'
        '<meta property="article:published_time" content="2021-05-04T10:00:00Z">'
        '<meta name="author" content="Jane Roe"></head><body>'
        "<nav><a href='/'>Home</a> &gt; <a href='/tech'>Tech</a></nav>"
        "<article><h1>Centre opens</h1>"
        f"<p>{ARTICLE}</p><p>The second paragraph of the story explains who will work there and why.</p>"
        "</article><footer>Copyright 2021 Daily Planet. All rights reserved.</footer></body></html>",
        encoding="utf-8",
    )
    (doc,) = load_corpus([tmp_path]).documents
    assert doc.title.startswith("Centre opens")
    assert (doc.published, doc.publisher, doc.author) == ("2021-05-04", "Daily Planet", "Jane Roe")
    assert ARTICLE in doc.text and "who will work there" in doc.text
    assert "Copyright" not in doc.text and "Home" not in doc.text


def test_markdown(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"# Centre opens\n\n**Shenzhen** news. {ARTICLE}\n\n[More](http://x.y)\n")
    (doc,) = load_corpus([tmp_path]).documents
    assert doc.title == "Centre opens"
    assert "**" not in doc.text and ARTICLE in doc.text


def test_pdf(tmp_path: Path) -> None:
    make_pdf(
        tmp_path / "a.pdf",
        "Centre opens",
        ["Shenzhen opened a new research centre on Monday.", "The centre will employ 300 scientists."],
    )
    (doc,) = load_corpus([tmp_path]).documents
    assert doc.title == "Centre opens"
    assert "Shenzhen opened a new research centre on Monday." in doc.text
    assert "300 scientists" in doc.text


def test_multihop_json_format_loads_as_is(tmp_path: Path) -> None:
    records = [
        {
            "title": "A",
            "author": "None",
            "source": "TechCrunch",
            "published_at": "2023-10-01T14:00:29+00:00",
            "category": "technology",
            "url": "https://t.co/a",
            "body": ARTICLE,
        },
        {
            "title": "B",
            "author": "Kim Lee",
            "source": "The Verge",
            "published_at": "2023-11-01T12:00:00+00:00",
            "category": "technology",
            "url": "https://v.co/b",
            "body": "Another story entirely, about phones and cameras.",
        },
    ]
    (tmp_path / "corpus.json").write_text(json.dumps(records))
    docs = {d.title: d for d in load_corpus([tmp_path]).documents}
    assert docs["A"].publisher == "TechCrunch" and docs["A"].author is None and docs["A"].published == "2023-10-01"
    assert docs["A"].url == "https://t.co/a" and docs["A"].text == ARTICLE
    assert docs["B"].author == "Kim Lee" and docs["B"].path.endswith("corpus.json#1")


def test_jsonl_with_a_bad_line_keeps_the_good_ones(tmp_path: Path) -> None:
    good = json.dumps({"title": "Good", "text": ARTICLE})
    deep = '{"body": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "feed.jsonl").write_text(f"{good}\n{{not json\n{json.dumps({'title': 'No body'})}\n{deep}\n")
    corpus = load_corpus([tmp_path])
    assert [d.title for d in corpus.documents] == ["Good"]
    reasons = {s.path.rsplit("#", 1)[1]: s.reason for s in corpus.skipped}
    assert "invalid JSON at line 2" in reasons["2"]
    assert "no body/text/content" in reasons["3"]
    assert "JSON nested too deeply at line 4" in reasons["4"]


BAD_FILES = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"   \n\n  ", "only whitespace"),
    "binary.txt": (bytes(range(256)) * 4, "binary file"),
    "latin1.txt": ("Caf\xe9 story with enough words to be an article.".encode("latin-1"), "not UTF-8"),
    "broken.json": (b'{"title": "x", "body": ', "invalid JSON"),
    "wrong.json": (b"42", "JSON must hold an article"),
    "nothing.html": (b"<html><body><div></div></body></html>", "no article text"),
    "garbage.html": (b"<<<>>><html <body <p", "no article text"),
    "fake.pdf": (b"this is not a pdf at all", "not a PDF"),
    "damaged.pdf": (b"%PDF-1.4\n1 0 obj <<< broken", "PDF"),
    "nav.txt": (b"Home > News\nShare\nCopyright 2020 X. All rights reserved.", "no article text left"),
    "deep.json": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "deep.html": (b"<div>" * 100_000 + b"Centre opens" + b"</div>" * 100_000, "no article text"),
}


def test_bad_files_are_skipped_with_a_message_and_the_rest_indexed(tmp_path: Path) -> None:
    for name, (data, _) in BAD_FILES.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text(f"Centre opens\n{ARTICLE}\n", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"ignored: unsupported types are not picked up from folders")
    corpus = load_corpus([tmp_path])
    assert [d.title for d in corpus.documents] == ["Centre opens"]
    reasons = {Path(s.path).name: s.reason for s in corpus.skipped}
    assert set(reasons) == set(BAD_FILES)
    for name, (_, expected) in BAD_FILES.items():
        assert expected in reasons[name], (name, reasons[name])
        assert name in str(next(s for s in corpus.skipped if Path(s.path).name == name))


def test_named_missing_and_unsupported_files_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.docx").write_bytes(b"x")
    corpus = load_corpus([tmp_path / "missing.txt", tmp_path / "a.docx"])
    reasons = sorted(s.reason for s in corpus.skipped)
    assert reasons == [
        "no such file or folder",
        "unsupported file type .docx; use one of .txt, .md, .html, .htm, .pdf, .json, .jsonl",
    ]


@pytest.mark.parametrize("name", [".hidden.txt", ".git/x.txt"])
def test_hidden_files_are_ignored(tmp_path: Path, name: str) -> None:
    (tmp_path / name).parent.mkdir(exist_ok=True)
    (tmp_path / name).write_text(f"Title\n{ARTICLE}\n")
    assert load_corpus([tmp_path]).documents == []


def test_huge_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ingest.readers

    monkeypatch.setattr(ingest.readers, "MAX_BYTES", 1024)
    (tmp_path / "huge.txt").write_text("Title\n" + ARTICLE * 100)
    (skipped,) = load_corpus([tmp_path]).skipped
    assert skipped.reason == "file is 13.6 KiB, over the 1.0 KiB limit"
