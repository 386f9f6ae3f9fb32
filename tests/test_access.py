"""Safe when exposed (ui/access.py, app.py): accounts, roles, refusing an open non-loopback start,
and the real app behind Gradio's login (fake models: the access rules are the point)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from config import ROOT
from index.settings import BadSetting
from tests.conftest import SEEDS
from tests.fakes import FAKE_MODELS
from ui.access import Access, account, exposure_refused, load_access
from ui.browser import start_app


def test_accounts_and_roles(tmp_path: Path) -> None:
    assert account("ann:pa:ss") == ("ann", "pa:ss")
    for bad in ("ann", ":pw", "ann:"):
        with pytest.raises(BadSetting, match="USER:PASSWORD"):
            account(bad)
    (tmp_path / "accounts").write_text("# team\nann:secret\n\nbob:pw:reader\n", encoding="utf-8")
    access = load_access(["cy:one"], ["dee:two"], tmp_path / "accounts")
    assert access.editors == {"cy": "one", "ann": "secret"} and access.readers == {"dee": "two", "bob": "pw"}
    assert access.login("ann", "secret") and access.login("bob", "pw") and not access.login("bob", "secret")
    assert not access.login("nobody", "pw")
    assert access.may_edit("ann") and not access.may_edit("bob") and not access.may_edit(None)
    assert Access().may_edit(None)  # no accounts: a loopback app, everyone may edit
    (tmp_path / "broken").write_text("ann\n", encoding="utf-8")
    with pytest.raises(BadSetting, match="broken line 1"):
        load_access([], [], tmp_path / "broken")


@pytest.mark.parametrize(("host", "refused"), [("127.0.0.1", False), ("localhost", False), ("::1", False),
                                               ("0.0.0.0", True), ("192.168.1.5", True), ("myhost", True)])  # fmt: skip
def test_an_open_app_binds_to_loopback_only(host: str, refused: bool) -> None:
    assert bool(exposure_refused(host, Access(), allow_anonymous=False)) is refused
    assert not exposure_refused(host, Access(editors={"a": "b"}), allow_anonymous=False)
    assert not exposure_refused(host, Access(), allow_anonymous=True)


def test_the_app_refuses_an_exposed_start_without_accounts() -> None:
    done = subprocess.run([sys.executable, "app.py", "--host", "0.0.0.0", "--port", "1"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2 and "no account is set" in done.stderr and "--allow-anonymous" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("guarded")
    shutil.copytree(SEEDS, root / "articles")
    app = start_app(["--articles", str(root / "articles"), "--index-dir", str(root / "index"),
                     "--auth", "ed:edpass", "--reader", "rd:rdpass", "--max-upload-mb", "1"],
                    root / "app.log", env={**FAKE_MODELS, "ASK_CACHE_DIR": str(root / "cache")})  # fmt: skip
    yield app, root
    app.stop()


def test_anonymous_requests_cannot_ask_or_upload(guarded) -> None:
    from gradio_client import Client

    app, _ = guarded
    upload = urllib.request.Request(f"{app.url}/gradio_api/upload", data=b"x", method="POST",
                                    headers={"Content-Type": "multipart/form-data; boundary=b"})  # fmt: skip
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(upload, timeout=30)
    assert refused.value.code in (401, 403)
    with pytest.raises(Exception, match=r"(?i)login|auth|401|403"):
        Client(app.url, verbose=False).predict(question="trade?", api_name="/ask")


@pytest.mark.real  # drives Debian's Chromium
def test_a_reader_can_ask_but_not_change_the_library(guarded) -> None:
    from gradio_client import Client
    from playwright.sync_api import sync_playwright

    from ui.browser import launch

    app, root = guarded
    answer = Client(app.url, auth=("rd", "rdpass"), verbose=False).predict(
        question="How much was trade between Hunan and the UK in 2018?", api_name="/ask"
    )
    assert answer["citations"]
    before = sorted(p.name for p in (root / "articles").glob("*.txt"))
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(app.url)
        page.fill("input[type=text]", "rd")
        page.fill("input[type=password]", "rdpass")
        page.keyboard.press("Enter")
        page.wait_for_selector("#model-status:has-text('Model ready')", timeout=60_000)
        page.get_by_role("tab", name="Library").click()
        page.click("#pick input")
        page.get_by_role("option").first.click()
        page.click("#remove")
        page.wait_for_selector("text=can ask questions but not change the library", timeout=30_000)
        browser.close()
    assert sorted(p.name for p in (root / "articles").glob("*.txt")) == before and len(before) == 5


def test_a_full_queue_says_busy(tmp_path: Path) -> None:
    """Past --max-queue waiting questions, a question is refused at once with Gradio's 'queue is full'."""
    from gradio_client import Client

    shutil.copytree(SEEDS, tmp_path / "articles")
    env = {**FAKE_MODELS, "ASK_MODEL": "py:tests.fakes:slow_model", "ASK_CACHE_DIR": str(tmp_path / "cache")}
    app = start_app(["--articles", str(tmp_path / "articles"), "--index-dir", str(tmp_path / "index"),
                     "--max-queue", "1"], tmp_path / "app.log", env=env)  # fmt: skip
    try:
        client = Client(app.url, verbose=False)
        jobs = [client.submit(question="How much was trade between Hunan and the UK in 2018?", api_name="/ask")
                for _ in range(4)]  # fmt: skip
        outcomes = []
        for job in jobs:
            try:
                outcomes.append(job.result(timeout=120)["citations"] != [])
            except Exception as err:  # gradio_client's QueueError
                outcomes.append(str(err))
        assert any(o is True for o in outcomes), outcomes
        assert any(isinstance(o, str) and "queue is full" in o.lower() for o in outcomes), outcomes
    finally:
        app.stop()
