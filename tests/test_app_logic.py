"""The chat app's logic without a browser or a real model: rendering and escaping, the library's
uploads and removals, settings, and one streamed answer through `app.respond`."""

from __future__ import annotations

import html
import json
from dataclasses import replace
from pathlib import Path

import pytest

import app
from config import Config
from index.library import REMOVED, Library, UploadRejected
from tests.fakes import FakeEmbedder, ScriptedModel, number_of
from ui import render
from ui.api import ask_api
from ui.session import DEFAULT_LABEL, ModelChoice, Service, model_choices

EVIL = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"> **bold** [1](javascript:x)'
NEW_ARTICLE = (
    "Changsha opens lantern museum\n\n"
    "The Changsha Lantern Museum opened on Monday with 1,200 lanterns from 14 provinces. "
    "Curator Wen Lihua said the collection took nine years to assemble.\n"
)


@pytest.fixture
def library(seed_dir: Path, tmp_path: Path) -> Library:
    lib = Library(seed_dir, tmp_path / "index", FakeEmbedder(), Config().search, chunk_tokens=80)
    lib.open()
    return lib


def test_text_is_escaped_for_html_on_one_line() -> None:
    out = render.text(EVIL)
    assert "<" not in out and ">" not in out
    assert html.unescape(out) == " ".join(EVIL.split())


def test_markers_become_buttons_and_the_rest_stays_text() -> None:
    out = render.with_markers("Trade reached $680 million <b>now</b>. [2] More [10]", turn=3)
    assert out.count('<button class="cite ') == 2
    assert 'class="cite for-src-3-2"' in out and 'class="cite for-src-3-10"' in out
    assert "<b>" not in out and "&lt;b&gt;" in out


def test_library_lists_every_seed(library: Library) -> None:
    entries = library.entries()
    assert len(entries) == 5
    assert all(e.n_chunks > 0 for e in entries)
    assert [e.published for e in entries] == ["2022-06-16", "2020-07-03", "2019-08-05", "2019-04-01", None]


def test_upload_is_indexed_and_searchable(library: Library, tmp_path: Path) -> None:
    upload = tmp_path / "upload" / "lanterns.txt"
    upload.parent.mkdir()
    upload.write_text(NEW_ARTICLE, encoding="utf-8")
    report = library.add([upload])
    assert [Path(a.split("(")[-1].rstrip(")")).name for a in report.added] == ["lanterns.txt"]
    assert (library.articles_dir / "lanterns.txt").read_text(encoding="utf-8") == NEW_ARTICLE
    hit = library.retriever.search("How many lanterns does the Changsha Lantern Museum hold?", k=1)[0]
    assert "1,200 lanterns" in hit.chunk.text
    with pytest.raises(UploadRejected, match="already in the library"):
        library.add([upload])


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("binary.txt", b"\x00\x01\x02" * 50, "binary"),
        ("latin1.txt", "Caf\u00e9 na\u00efve r\u00e9sum\u00e9 ".encode("latin-1") * 20, "UTF-8"),
        ("data.csv", b"a,b\n1,2\n", "unsupported file type"),
        ("broken.json", b'{"title": "x", ', "JSON"),
    ],
)
def test_bad_upload_changes_nothing(library: Library, tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    before = sorted(p.name for p in library.articles_dir.iterdir())
    generation = (library.index_dir / "CURRENT").read_text()
    good = tmp_path / "good.txt"
    good.write_text(NEW_ARTICLE, encoding="utf-8")
    bad = tmp_path / name
    bad.write_bytes(content)
    with pytest.raises(UploadRejected, match=reason) as err:
        library.add([good, bad])
    assert "nothing was changed" in str(err.value) and name in str(err.value)
    assert sorted(p.name for p in library.articles_dir.iterdir()) == before
    assert (library.index_dir / "CURRENT").read_text() == generation


def test_remove_moves_the_file_aside_and_drops_it_from_the_index(library: Library) -> None:
    entry = next(e for e in library.entries() if e.path.endswith("001_6ce1349002d1df50.txt"))
    report = library.remove(entry.path)
    assert len(report.removed) == 1 and len(library.entries()) == 4
    assert not Path(entry.path).exists()
    assert list((library.articles_dir / REMOVED).rglob("001_6ce1349002d1df50.txt"))
    with pytest.raises(UploadRejected, match="not a file of the library"):
        library.remove("/etc/passwd")


def _service(library: Library, script) -> Service:
    config = replace(Config(), articles_dir=library.articles_dir, index_dir=library.index_dir)
    service = Service(config, library, [ModelChoice("scripted", None, None)])
    service._generators["scripted"] = ScriptedModel(script)
    return service


def test_respond_streams_a_preview_then_the_verified_answer(library: Library) -> None:
    service = _service(
        library, lambda m: f"In 2018, trade between Hunan and the UK reached $680 million [{number_of(m, '$680')}]."
    )
    settings = (4, "", "", [], "scripted")
    steps = list(app.respond(service, "How much was trade between Hunan and the UK in 2018?", [], settings))
    first_chat, first_panel, _, _, asked = steps[0]
    assert 'class="preview"' in first_chat[-1]["content"] and 'id="src-1-' in first_panel
    chat, panel, turns, box, _ = steps[-1]
    assert asked == "How much was trade between Hunan and the UK in 2018?"
    assert box == "" and len(turns) == 1 and not turns[0][1].abstained
    assert "$680 million" in chat[-1]["content"] and '<button class="cite ' in chat[-1]["content"]
    number = turns[0][1].citations[0].number
    assert f'id="src-1-{number}"' in panel and "<mark>" in panel


def test_abstention_looks_different_and_lists_nearest_passages(library: Library) -> None:
    service = _service(library, lambda m: "The articles don't say.")
    *_, (chat, panel, turns, _, _) = app.respond(
        service, "What was the population of Hunan in 1850?", [], (4, "", "", [], "scripted")
    )
    assert turns[0][1].abstained and 'class="abstained"' in chat[-1]["content"]
    assert "Nearest passages (not an answer)" in panel and panel.count('class="source-card"') >= 1


def test_article_markup_is_shown_as_text(library: Library, tmp_path: Path) -> None:
    """Scraped bodies lose their tags at ingest; what survives (here a JSON title) is escaped."""
    upload = tmp_path / "evil.json"
    body = f"The lantern fair {EVIL} opened in May. Visitors counted 5,000 lanterns at the fair."
    upload.write_text(json.dumps({"title": EVIL, "body": body}), encoding="utf-8")
    library.add([upload])
    service = _service(library, lambda m: f"The lantern fair counted 5,000 lanterns [{number_of(m, '5,000')}].")
    *_, (_, panel, turns, _, _) = app.respond(
        service, "How many lanterns were at the lantern fair?", [], (4, "", "", [], "scripted")
    )
    assert not turns[0][1].abstained
    table = render.library_table(library.entries())
    for page in (panel, table):
        assert "<script" not in page and "<img" not in page
        assert html.escape(EVIL) in page


def test_api_returns_data(library: Library) -> None:
    service = _service(
        library, lambda m: f"In 2018, trade between Hunan and the UK reached $680 million [{number_of(m, '$680')}]."
    )
    data = ask_api(service)("How much was trade between Hunan and the UK in 2018?")
    assert data["abstained"] is False and "$680 million" in data["text"]
    assert data["citations"][0]["quote"] and data["sources"][0]["title"]


def test_api_filters_and_bad_settings(library: Library) -> None:
    import gradio as gr

    def reply(m: list[dict]) -> str:
        shown = "$680" in m[-1]["content"]
        return f"Trade reached $680 million [{number_of(m, '$680')}]." if shown else "The articles don't say."

    api = ask_api(_service(library, reply))
    later = api("How much was trade between Hunan and the UK in 2018?", date_from="2021")
    assert later["abstained"] is True  # the 2019 article is filtered out
    assert all(s["published"] >= "2021" for s in later["sources"])
    wrong_types = (dict(passages="three"), dict(passages=-1), dict(passages=True), dict(date_from=[2019]),
                   dict(publishers=[1, 2]), dict(question=42), dict(history="earlier"))  # fmt: skip
    for bad in (dict(date_to="soon"), dict(history=[["only a question"]]), dict(question="  "), *wrong_types):
        with pytest.raises(gr.Error) as raised:
            api(**{"question": "How much was trade?", **bad})
        assert "Traceback" not in str(raised.value) and "object" not in str(raised.value), bad


def test_model_choices_put_named_models_first() -> None:
    assert [c.label for c in model_choices([], None)] == [DEFAULT_LABEL]
    choices = model_choices(["/models/a.gguf", "org/model", "/models/a.gguf"], "transformers")
    assert [c.model for c in choices] == ["/models/a.gguf", "org/model", None]
    assert choices[-1].backend is None and choices[0].backend == "transformers"


def test_model_loads_in_the_background_with_status(library: Library, tmp_path: Path) -> None:
    service = _service(library, lambda m: "")
    service.choices = {"broken": ModelChoice("broken", str(tmp_path / "missing.gguf"), None)}
    service.load_in_background()
    *_, last = service.model_status()
    assert last.startswith("The model could not be loaded") and "missing.gguf" in last
    ready = _service(library, lambda m: "")
    ready.load_in_background()
    *_, last = ready.model_status()
    assert last.startswith("Model ready: scripted")
