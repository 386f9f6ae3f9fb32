"""The app outlives its model: a generator that really dies (SIGSEGV in its own process) ends as
one clear error on the page and in the API, the cited preview still shows, and the next question
is answered by a restarted model. Real app, real browser; the models are tests/fakes.py's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config import ROOT
from tests.conftest import SEEDS
from ui.browser import ask, launch, start_app

pytestmark = pytest.mark.real  # drives Debian's Chromium
TRADE = "How much was trade between Hunan and the UK in 2018?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("crash")
    shutil.copytree(SEEDS, root / "articles")
    env = {"ASK_EMBEDDER": "py:tests.fakes:embedder", "ASK_MODEL": "py:tests.fakes:crashing_model",
           "ASK_CACHE_DIR": str(root / "cache")}  # fmt: skip
    app = start_app(["--articles", str(root / "articles"), "--index-dir", str(root / "index")],
                    root / "app.log", env=env)  # fmt: skip
    yield app
    app.stop()


def test_a_crash_is_an_error_on_the_page_and_the_next_question_is_answered(server) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(server.url)
        page.wait_for_selector("#model-status:has-text('Model ready')", timeout=60_000)
        page.fill("#question textarea", f"{TRADE} Then crash.")
        page.press("#question textarea", "Enter")
        failed = page.locator("#chat .failed")
        failed.wait_for(timeout=60_000)
        assert "killed by SIGSEGV" in failed.inner_text() and "restarts with the next question" in failed.inner_text()
        assert page.locator("#chat .preview").count() == 1  # the cited preview stays
        (ROOT / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=ROOT / "test-artifacts" / "model-crash.png")
        asked = ask(page, TRADE)  # a fresh model process answers
        assert not asked.abstained and "[" in asked.text and "SIGSEGV" not in asked.text
        browser.close()


def test_the_api_reports_a_crash_and_answers_after_it(server) -> None:
    from gradio_client import Client

    client = Client(server.url, verbose=False)
    with pytest.raises(Exception, match="killed by SIGSEGV"):
        client.predict(question=f"{TRADE} Crash, please.", api_name="/ask")
    answer = client.predict(question=TRADE, api_name="/ask")
    assert answer["citations"] and not answer["abstained"]
    assert "index ready" in Path(server.log).read_text()
