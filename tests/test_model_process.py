"""The model in its own process: start-up check, crashes, stops, timeouts, CPU variants that crash.

The worker processes are real (`python -m ask.worker`); the models in them are scripted
(tests/fakes.py) and die by real signals.
"""

from __future__ import annotations

import gc
import json
import os
import queue
import threading
import weakref
from pathlib import Path

import pytest

from ask import llama_runtime, load_generator
from ask.model_process import ModelCrashed, ModelProcess
from ask.worker import serve
from index import ModelUnavailable

PASSAGES = [
    {"role": "system", "content": "Answer from the passages."},
    {"role": "user", "content": "Passages:\n[1] A title\nTrade reached $680 million. More text.\n\nQuestion: {q}"},
]


def ask(question: str) -> list[dict]:
    return [PASSAGES[0], {"role": "user", "content": PASSAGES[1]["content"].format(q=question)}]


def test_a_scripted_model_answers_from_its_own_process(tmp_path: Path) -> None:
    model = load_generator("py:tests.fakes:quoting_model", None, tmp_path)
    try:
        assert "".join(model.stream(ask("How much was trade?"))) == "Trade reached $680 million. [1]"
        assert model.info["backend"] == "py:tests.fakes:quoting_model" and model.info["check_s"] >= 0
        assert model.pid != os.getpid()
    finally:
        model.close()


def test_a_crash_while_answering_is_reported_and_the_next_question_is_answered(tmp_path: Path) -> None:
    model = load_generator("py:tests.fakes:crashing_model", None, tmp_path)
    try:
        pieces = []
        with pytest.raises(ModelCrashed, match=r"killed by SIGSEGV .*while answering.*restarts with the next"):
            pieces.extend(model.stream(ask("Please crash now")))
        assert pieces == ["Partly"]  # what came before the crash was streamed
        assert "".join(model.stream(ask("How much was trade?"))) == "Trade reached $680 million. [1]"
        assert model.restarts == 1
    finally:
        model.close()


def test_a_stopped_reply_leaves_the_model_free_and_clean(tmp_path: Path) -> None:
    model = load_generator("py:tests.fakes:quoting_model", None, tmp_path)
    try:
        words = model.stream(ask("How much was trade?"))
        assert next(words) == "Trade "
        words.close()  # the user pressed Stop
        assert "".join(model.stream(ask("And again?"))) == "Trade reached $680 million. [1]"
        assert model.restarts == 0
    finally:
        model.close()


def test_a_model_that_stops_answering_is_stopped_and_restarted(tmp_path: Path) -> None:
    spec = {"factory": "py:tests.fakes:crashing_model", "cache_dir": str(tmp_path)}
    model = ModelProcess(spec, "hanging", reply_timeout=2)
    try:
        with pytest.raises(ModelCrashed, match="gave no word for 2 s"):
            list(model.stream(ask("Now hang")))
        assert "".join(model.stream(ask("How much?"))).endswith("[1]")
    finally:
        model.close()


def test_stray_output_of_native_code_does_not_corrupt_replies(tmp_path: Path) -> None:
    model = load_generator("py:tests.fakes:noisy_model", None, tmp_path)
    try:
        assert "".join(model.stream(ask("How much was trade?"))) == "Trade reached $680 million. [1]"
        assert "a stray line on stdout" in model._stderr
    finally:
        model.close()


def test_a_model_that_cannot_generate_is_never_called_ready(tmp_path: Path) -> None:
    with pytest.raises(ModelUnavailable, match=r"killed by SIGILL .*while loading py:tests.fakes:crashing_at_start"):
        load_generator("py:tests.fakes:crashing_at_start", None, tmp_path)
    with pytest.raises(ModelUnavailable, match="does not name a callable"):
        load_generator("py:tests.fakes:no_such_model", None, tmp_path)
    with pytest.raises(ModelUnavailable, match="no GGUF file"):
        load_generator(str(tmp_path / "missing.gguf"), None, tmp_path)
    with pytest.raises(ValueError, match="unknown backend 'vllm'"):
        load_generator(str(tmp_path / "missing.gguf"), "vllm", tmp_path)


def test_a_cpu_variant_that_crashes_is_skipped_and_remembered(tmp_path: Path, capsys) -> None:
    spec = {"backend": "llama.cpp", "cache_dir": str(tmp_path), "crash": ["a"]}
    model = ModelProcess(spec, "fake", worker="tests.fake_worker")
    try:
        assert model.info["variant"] == "b"
        assert "".join(model.stream(ask("q"))) == "ok b"
    finally:
        model.close()
    assert "CPU variant a was killed by SIGILL" in capsys.readouterr().err
    assert llama_runtime.crashed_variants(tmp_path) == {"a"}
    assert json.loads((tmp_path / "llama-cpu.json").read_text()) == {llama_runtime.machine_key(): ["a"]}
    again = ModelProcess(spec, "fake", worker="tests.fake_worker")  # a later start skips it at once
    try:
        assert again.info == {"variant": "b", "excluded": ["a"]}
    finally:
        again.close()


class _Buffer:
    """A completion's buffer caught in a reference cycle, as llama-cpp-python's are."""

    def __init__(self) -> None:
        self.data = bytearray(1 << 20)
        self.me = self


def test_the_worker_frees_what_a_reply_left_in_cycles_before_the_next_request() -> None:
    buffers: list[weakref.ref] = []

    class CyclingModel:
        def stream(self, messages, max_tokens=160):
            buffer = _Buffer()
            buffers.append(weakref.ref(buffer))
            gc.collect()  # survives into the oldest generation, as a long completion's buffers do
            yield "Trade reached $680 million. [1]"

    requests: queue.Queue = queue.Queue()
    replies: queue.Queue = queue.Queue()
    automatic = gc.isenabled()
    gc.disable()  # only the worker's own collection may free the buffers
    try:
        threading.Thread(
            target=serve, args=(CyclingModel(), requests, threading.Event(), lambda **m: replies.put(m)), daemon=True
        ).start()
        for _ in range(3):
            requests.put({"messages": ask("How much was trade?"), "max_tokens": 20})
            while replies.get(timeout=10).get("event") != "done":
                pass
        # served only after the third reply's clean-up
        requests.put({"choose": {"messages": ask("Was it?"), "options": ["yes", "no"]}})
        assert replies.get(timeout=10) == {"event": "choice", "probabilities": {}}
        assert [ref() for ref in buffers] == [None, None, None]
    finally:
        if automatic:
            gc.enable()
