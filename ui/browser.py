"""Drive the running chat app in headless Chromium (Debian's `chromium`, through Playwright):
start the app on a free port, open a page, ask a question and time what appears.

Used by the end-to-end tests and by `python -m eval.browser`. No browser is downloaded: the
system Chromium is launched with the flags this offline machine needs.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class BrowserMissing(RuntimeError):
    """No system Chromium to drive."""


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise BrowserMissing("no chromium on PATH: apt-get install chromium (or set CHROMIUM=/path/to/chrome)")
    return path


def launch(playwright: Playwright) -> Browser:
    """A headless Chromium browser from the system package."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_app(args: list[str], log: Path, timeout: float = 600, env: dict[str, str] | None = None) -> Server:
    """`python app.py --port <free> *args` (with `env` added to this process's environment),
    returned once its page answers."""
    port = free_port()
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--port", str(port), *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return Server(url, process, log)
        except OSError:
            time.sleep(1)
    process.kill()
    raise RuntimeError(f"the app did not start in {timeout:.0f}s:\n{log.read_text()[-2000:]}")


@dataclass(frozen=True)
class Asked:
    text: str  # the final message, as the page shows it
    abstained: bool
    preview_s: float  # Enter -> the cited preview on screen
    first_token_s: float  # Enter -> the model's first word on screen
    total_s: float  # Enter -> the verified answer on screen


def ask(page: Page, question: str, timeout_ms: int = 180_000) -> Asked:
    """Type `question`, press Enter and wait for the verified answer (or the abstention)."""
    before = page.locator("#chat .answer, #chat .abstained").count()
    page.fill("#question textarea", question)
    started = time.perf_counter()
    page.press("#question textarea", "Enter")
    # new answers only: a fast model's answer can replace the preview before a poll sees it
    page.wait_for_function(
        """n => document.querySelectorAll('#chat .answer, #chat .abstained').length > n
              || document.querySelector('#chat .preview')""",
        arg=before,
        timeout=timeout_ms,
    )
    preview = time.perf_counter() - started
    page.wait_for_function(
        """n => document.querySelectorAll('#chat .answer, #chat .abstained').length > n
              || [...document.querySelectorAll('#chat .draft .words')].some(w => w.textContent.trim())""",
        arg=before,
        timeout=timeout_ms,
    )
    first = time.perf_counter() - started
    page.wait_for_function(
        "n => document.querySelectorAll('#chat .answer, #chat .abstained').length > n", arg=before, timeout=timeout_ms
    )
    total = time.perf_counter() - started
    last = page.locator("#chat .answer, #chat .abstained").last
    abstained = "abstained" in (last.get_attribute("class") or "")
    return Asked(last.inner_text(), abstained, preview, first, total)
