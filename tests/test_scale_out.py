"""Several app processes, one index, one model: two `python app.py` on different ports, pointed
at one Milvus server (Milvus Lite's gRPC server, the API a Milvus deployment speaks) and one
model server (`python -m ask.serve`), with one library folder. They answer alike, and an
article uploaded through one is answerable through the other."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from config import ROOT
from tests.conftest import SEEDS, wait_for_port
from ui.browser import ask, free_port, launch, start_app

pytestmark = pytest.mark.real
ARTIFACTS = ROOT / "test-artifacts"
MAKERS = "How many new energy vehicle manufacturers are there in Hunan?"
LANTERNS = (
    "Changsha opens lantern museum\n\n"
    "The Changsha Lantern Museum opened on Monday with 1,200 lanterns from 14 provinces. "
    "Curator Wen Lihua said the collection took nine years to assemble.\n"
)


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`milvus-lite server` on a free port; its milvus:// address."""
    pytest.importorskip("milvus_lite")
    port, data = free_port(), tmp_path_factory.mktemp("milvus")
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "milvus-server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(data), "--host", "127.0.0.1",
             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for_port(port, process, 60)
        try:
            assert process.poll() is None, (ARTIFACTS / "milvus-server.log").read_text()
            yield f"milvus://127.0.0.1:{port}/news"
        finally:
            process.terminate()
            process.wait(30)


def test_two_apps_share_one_store_and_one_model_server(milvus_server: str, model_server: str, tmp_path: Path) -> None:
    from gradio_client import Client
    from playwright.sync_api import sync_playwright

    shutil.copytree(SEEDS, tmp_path / "articles")
    args = ["--articles", str(tmp_path / "articles"), "--store", milvus_server, "--model", model_server]
    first = start_app(args, ARTIFACTS / "app-first.log")
    second = start_app(args, ARTIFACTS / "app-second.log")
    try:
        answers = [Client(s.url, verbose=False).predict(question=MAKERS, api_name="/ask") for s in (first, second)]
        assert all("13" in a["text"] and a["citations"] for a in answers), answers
        assert answers[0]["text"] == answers[1]["text"]  # one index, one model, greedy decoding
        article = tmp_path / "upload" / "lanterns.txt"
        article.parent.mkdir()
        article.write_text(LANTERNS, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            page.goto(first.url)
            page.get_by_role("tab", name="Library").click()
            page.set_input_files("#upload input[type=file]", str(article))
            page.wait_for_function("() => document.querySelector('#library-status').innerText.includes('added')")
            page.goto(second.url)  # the other process
            page.wait_for_selector("#question textarea")
            asked = ask(page, "How many lanterns does the Changsha Lantern Museum hold?")
            page.screenshot(path=ARTIFACTS / "scale-out-second-app.png")
            browser.close()
        assert not asked.abstained and "1,200" in asked.text
    finally:
        first.stop()
        second.stop()
    assert "index ready" in (ARTIFACTS / "app-second.log").read_text()
