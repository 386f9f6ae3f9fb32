"""The real app (`python app.py`, real MiniLM and Qwen models) driven through headless Chromium and
through `gradio_client`: answers, source cards, uploads, escaping, the API, concurrent clients.

Screenshots go to test-artifacts/ for people to look at.
"""

from __future__ import annotations

import json
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from config import ROOT
from tests.conftest import SEEDS
from ui.browser import ask, launch, start_app

pytestmark = pytest.mark.real
ARTIFACTS = ROOT / "test-artifacts"
SUMMIT = "Sino-UK cooperation on innovation leads to a bright future"
EVIL_TITLE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">Lantern fair report'
LANTERNS = (
    "Changsha opens lantern museum\n\n"
    "The Changsha Lantern Museum opened on Monday with 1,200 lanterns from 14 provinces. "
    "Curator Wen Lihua said the collection took nine years to assemble.\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("app")
    shutil.copytree(SEEDS, root / "articles")
    ARTIFACTS.mkdir(exist_ok=True)
    app = start_app(["--articles", str(root / "articles"), "--index-dir", str(root / "index")], ARTIFACTS / "app.log")
    yield app
    app.stop()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    page.goto(server.url)
    page.wait_for_selector("#question textarea")
    yield page
    context.close()


def test_answer_with_source_card_and_marker(page, browser, server) -> None:
    page.wait_for_selector("#model-status:has-text('Model ready')", timeout=120_000)  # loaded in the background
    asked = ask(page, "Who is the chairman of The 48 Group Club?")
    assert not asked.abstained and "Stephen Perry" in asked.text
    card = page.locator("#sources .turn.cited .source-card").first
    assert SUMMIT in card.locator(".card-title").inner_text()
    assert "Stephen Perry" in card.locator("mark").inner_text()
    page.locator("#chat .answer .cite").first.click()
    selected = page.locator("#sources .source-card.selected")
    selected.wait_for(timeout=5000)
    page.wait_for_timeout(800)  # the smooth scroll
    assert selected.is_visible() and selected.evaluate("e => e.getBoundingClientRect().top < window.innerHeight")
    page.screenshot(path=ARTIFACTS / "answer.png")
    other = browser.new_context().new_page()  # another user sees none of this conversation
    other.goto(server.url)
    other.wait_for_selector("#question textarea")
    assert "Stephen Perry" not in other.locator("#chat").inner_text()
    other.context.close()


def test_abstention_looks_different(page) -> None:
    asked = ask(page, "What did Kwasi Kwarteng say about Brexit?")
    assert asked.abstained and "The articles don't say." in asked.text
    assert page.locator("#sources .turn.nearest .source-card").count() >= 1
    page.screenshot(path=ARTIFACTS / "abstention.png")


def test_stop_retry_clear(page) -> None:
    question = "How many collaborative projects has the Research and Innovation Partnership Fund supported?"
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_selector("#chat .preview", timeout=60_000)
    page.click("#stop")
    page.wait_for_selector("#chat .draft:has-text('Stopped')", timeout=30_000)
    page.wait_for_timeout(2000)
    assert page.locator("#chat .answer, #chat .abstained").count() == 0  # stopped before the answer
    page.click("#retry")  # the model was released: the same question runs again to the end
    page.wait_for_selector("#chat .answer", timeout=180_000)
    assert "460" in page.locator("#chat .answer").last.inner_text()
    assert page.locator("#chat .answer").count() == 1  # the retried answer, once
    assert page.locator("#chat").inner_text().count(question) == 1  # the question asked again, not twice
    page.click("#clear")
    page.wait_for_function("() => !document.querySelector('#chat .answer')")
    assert "Sources of each answer appear here" in page.locator("#sources").inner_text()


def test_upload_then_ask(page, tmp_path: Path) -> None:
    article = tmp_path / "lanterns.txt"
    article.write_text(LANTERNS, encoding="utf-8")
    page.get_by_role("tab", name="Library").click()
    page.set_input_files("#upload input[type=file]", str(article))
    page.wait_for_function("() => document.querySelector('#library-status').innerText.includes('added')")
    assert "Changsha opens lantern museum" in page.locator("#library").inner_text()
    page.screenshot(path=ARTIFACTS / "library.png")
    page.get_by_role("tab", name="Chat").click()
    asked = ask(page, "How many lanterns does the Changsha Lantern Museum hold?")
    assert not asked.abstained and "1,200" in asked.text
    assert "lantern" in page.locator("#sources .turn.cited .card-title").first.inner_text().lower()
    page.get_by_role("tab", name="Library").click()  # and take it out again
    page.click("#pick input")
    page.get_by_role("option", name="Changsha opens lantern museum (lanterns.txt)").click()
    page.click("#remove")
    page.wait_for_function("() => document.querySelector('#library-status').innerText.includes('removed')")
    assert "Changsha opens lantern museum" not in page.locator("#library").inner_text()
    page.get_by_role("tab", name="Chat").click()
    assert ask(page, "How many lanterns does the Changsha Lantern Museum hold?").abstained


def library_table(page) -> str:
    """The library's table as the user reads it, once no update of it is in flight (Gradio's
    progress line, "queue: 1/1 | 0.2s", is shown over it meanwhile)."""
    page.wait_for_function("() => !document.querySelector('#library .progress-text')")
    return page.locator("#library table.library").inner_text()


def test_bad_upload_changes_nothing(page, tmp_path: Path) -> None:
    page.get_by_role("tab", name="Library").click()
    before = library_table(page)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 this is not really a pdf")
    page.set_input_files("#upload input[type=file]", str(bad))
    page.wait_for_function("() => document.querySelector('#library-status').innerText.includes('Not added')")
    assert "broken.pdf" in page.locator("#library-status").inner_text()
    assert library_table(page) == before


def test_article_markup_renders_as_text(page, tmp_path: Path) -> None:
    article = tmp_path / "fair.json"
    body = "The lantern fair <script>window.pwned = 3</script> opened in May. Visitors counted 5,000 lanterns."
    article.write_text(json.dumps({"title": EVIL_TITLE, "body": body}), encoding="utf-8")
    page.get_by_role("tab", name="Library").click()
    page.set_input_files("#upload input[type=file]", str(article))
    page.wait_for_function("() => document.querySelector('#library-status').innerText.includes('added')")
    assert EVIL_TITLE in page.locator("#library").inner_text()
    page.get_by_role("tab", name="Chat").click()
    asked = ask(page, "How many lanterns did visitors count at the lantern fair?")
    assert not asked.abstained and "5,000" in asked.text
    assert EVIL_TITLE in page.locator("#sources").inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.locator("#sources script, #sources img, #library script, #library img").count() == 0
    page.screenshot(path=ARTIFACTS / "escaped.png")


def test_api_answers_with_citations(server) -> None:
    from gradio_client import Client

    data = Client(server.url, verbose=False).predict(
        question="How many new energy vehicle manufacturers are there in Hunan?", api_name="/ask"
    )
    assert data["abstained"] is False and "13" in data["text"]
    (citation,) = data["citations"]
    assert Path(citation["file"]).name.startswith("001_") and "13" in citation["quote"]


CONVERSATIONS = [
    ("Who was China's minister of industry and information technology at the dialogue?", "Xiao Yaqing"),
    ("How many collaborative projects has the Research and Innovation Partnership Fund supported?", "460"),
    ("Who is the chairman of The 48 Group Club?", "Stephen Perry"),
    ("How many new energy vehicle manufacturers are there in Hunan?", "13"),
]


def test_four_concurrent_clients_keep_their_own_conversations(server) -> None:
    from gradio_client import Client

    def converse(question: str) -> tuple[dict, dict]:
        client = Client(server.url, verbose=False)
        first = client.predict(question=question, api_name="/ask")
        history = [[question, first["text"]]]
        follow = client.predict(question="Which article says so?", history=history, api_name="/ask")
        return first, follow

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(converse, [q for q, _ in CONVERSATIONS]))
    for (question, expected), (first, follow) in zip(CONVERSATIONS, results, strict=True):
        assert first["question"] == question and expected in first["text"], first["text"]
        assert follow["question"] == "Which article says so?" and follow["standalone_question"] != follow["question"]
        others = [e for q, e in CONVERSATIONS if q != question]
        assert not any(e in follow["standalone_question"] for e in others), follow["standalone_question"]
