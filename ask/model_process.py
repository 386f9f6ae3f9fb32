"""A Generator whose model runs in a child process (ask/worker.py), so a crash cannot take the app.

Starting it loads the model there and waits for the worker's start-up check (one short reply).
If llama.cpp dies by a signal during that check, the CPU variant it was using is remembered as
unusable on this machine and the next best one is tried. If the model process dies while
answering (a crash, an illegal instruction, the out-of-memory killer), `stream` raises
ModelCrashed with the reason; the next question starts a fresh process. A reply stopped early
(the consumer closes the stream) is cancelled in the worker, which is then free again.
"""

from __future__ import annotations

import atexit
import json
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from ask import llama_runtime
from ask.generate import Messages
from index.embed import ModelUnavailable

ROOT = Path(__file__).resolve().parent.parent
_CLOSED = {"event": "closed"}  # the worker's stdout ended


class ModelCrashed(ModelUnavailable):
    """The model process died while answering; the next question restarts it."""


def exit_reason(code: int) -> str:
    """How a process ended, in words: "was killed by SIGSEGV (Segmentation fault)"."""
    if code < 0:
        try:
            sig = signal.Signals(-code)
            return f"was killed by {sig.name} ({signal.strsignal(sig) or sig.name})"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


class ModelProcess:
    """`spec`: the worker's JSON spec (model, backend, cache_dir, or factory). `start_timeout`:
    seconds to load and check the model; `reply_timeout`: seconds without a word before a reply
    is given up (the process is then stopped). `worker`: the module run as the model's process."""

    def __init__(self, spec: dict, name: str, start_timeout: float = 900, reply_timeout: float = 300,
                 verbose: bool = False, worker: str = "ask.worker") -> None:  # fmt: skip
        self.spec = spec
        self.worker = worker
        self.name = name
        self.start_timeout = start_timeout
        self.reply_timeout = reply_timeout
        self.verbose = verbose
        self.info: dict = {}
        self.restarts = 0
        self._proc: subprocess.Popen | None = None
        self._lines: queue.Queue = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=30)
        self._lock = threading.Lock()
        atexit.register(self.close)
        with self._lock:
            self._start()

    @property
    def pid(self) -> int | None:
        """The model process's id (a crash or a restart changes it)."""
        return self._proc.pid if self._proc is not None else None

    def stream(self, messages: Messages, max_tokens: int = 160) -> Iterator[str]:
        with self._lock:
            yield from self._reply({"messages": messages, "max_tokens": max_tokens})

    def choose(self, messages: Messages, options: list[str]) -> dict[str, float]:
        """How likely the model's next word is each of `options` (shares summing to 1); {} when the
        model cannot say."""
        with self._lock:
            return next(self._reply({"choose": {"messages": messages, "options": options}}))["probabilities"]

    def rates(self, text: str, prompt_tokens: int = 400, new_tokens: int = 64) -> dict:
        """The model's prefill and decode tokens/s, measured in the worker (llama.cpp only)."""
        with self._lock:
            request = {"rates": {"text": text, "prompt_tokens": prompt_tokens, "new_tokens": new_tokens}}
            return next(self._reply(request))

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.stdin.close()  # the worker exits when its stdin closes
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()

    def _reply(self, request: dict) -> Iterator:
        """The worker's reply: text pieces, or one dict (rates, a choice); a reply left early is cancelled."""
        if self._proc is None or self._proc.poll() is not None:
            self.restarts += 1
            self._start()
        self._send(request)
        finished = False
        try:
            while True:
                message = self._next(self.reply_timeout, "answering")
                if "text" in message:
                    yield message["text"]
                elif message.get("event") in ("rates", "choice"):
                    finished = True
                    yield {k: v for k, v in message.items() if k != "event"}
                    return
                elif message.get("event") == "done":
                    finished = True
                    return
                elif message.get("event") == "failed":
                    finished = True
                    raise ModelUnavailable(f"the model could not answer: {message['message']}")
        finally:
            if not finished and self._proc.poll() is None:
                self._cancel()

    def _start(self) -> None:
        """Start the worker and wait for its check; move past CPU variants that crash in it."""
        excluded = set()
        if self.spec.get("backend") == "llama.cpp":
            excluded = llama_runtime.crashed_variants(Path(self.spec["cache_dir"]))
        while True:
            self._launch({**self.spec, "exclude": sorted(excluded)})
            message, variant = {}, ""
            while message.get("event") not in ("ready", "error", "closed"):
                message = self._next(self.start_timeout, "loading")
                if message.get("event") == "variant":
                    variant = message["name"]
            if message.get("event") == "ready":
                self.info = message["info"]
                return
            if message.get("event") == "error":
                raise ModelUnavailable(message["message"])
            code = self._proc.wait()
            if variant and code < 0:  # the CPU variant crashed in the start-up check: try the next one
                print(f"note: llama.cpp's CPU variant {variant} {exit_reason(code)} here; trying the next one",
                      file=sys.stderr)  # fmt: skip
                llama_runtime.remember_crash(Path(self.spec["cache_dir"]), variant)
                excluded.add(variant)
                continue
            raise ModelUnavailable(
                f"the model process {exit_reason(code)} while loading {self.name} "
                f"(backend {self.spec.get('backend') or self.spec.get('factory')}){self._tail()}. "
                "`python -m ask.llama_runtime` shows what this CPU can run; --verbose shows the runtime's own output"
            )

    def _launch(self, spec: dict) -> None:
        self._lines = queue.Queue()
        self._stderr.clear()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", self.worker, json.dumps(spec)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )  # fmt: skip
        threading.Thread(target=self._read_replies, args=(self._proc, self._lines), daemon=True).start()
        threading.Thread(target=self._read_stderr, args=(self._proc,), daemon=True).start()

    def _read_replies(self, proc: subprocess.Popen, lines: queue.Queue) -> None:
        for line in proc.stdout:
            try:
                lines.put(json.loads(line))
            except ValueError:
                self._stderr.append(line.rstrip())
        lines.put(_CLOSED)

    def _read_stderr(self, proc: subprocess.Popen) -> None:
        for line in proc.stderr:
            self._stderr.append(line.rstrip())
            if self.verbose:
                print(f"[model] {line}", end="", file=sys.stderr)

    def _next(self, timeout: float, doing: str) -> dict:
        try:
            message = self._lines.get(timeout=timeout)
        except queue.Empty:
            self._proc.kill()
            self._proc.wait()
            then = "it restarts with the next question" if doing == "answering" else "the model is not loaded"
            raise ModelCrashed(f"the model process gave no word for {timeout:.0f} s while {doing} and was stopped; "
                               f"{then}") from None  # fmt: skip
        if message is _CLOSED and doing == "answering":
            code = self._proc.wait()
            raise ModelCrashed(
                f"the model process {exit_reason(code)} while answering{self._tail()}; "
                "it restarts with the next question"
            )
        return message

    def _send(self, message: dict) -> None:
        try:
            self._proc.stdin.write(json.dumps(message, ensure_ascii=False) + "\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the worker is gone: reading its replies says how

    def _cancel(self) -> None:
        """End the reply being streamed and wait until the worker is free again."""
        self._send({"cancel": True})
        try:
            message = {}
            while message is not _CLOSED and message.get("event") not in ("done", "failed"):
                message = self._lines.get(timeout=self.reply_timeout)
        except queue.Empty:
            self._proc.kill()

    def _tail(self) -> str:
        lines = [ln for ln in self._stderr if ln.strip()][-3:]
        return f" (its last output: {' / '.join(lines)})" if lines else ""
