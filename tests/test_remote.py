"""The OpenAI-compatible backend (ask/remote.py) against real HTTP servers: a small scripted one
here for the failure cases (down, garbage, 5xx then well, refusals), and llama-cpp-python's own
server with the packaged model (`python -m ask.serve`, real-marked) for real answers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ask.remote import OpenAIGenerator, ServerError, is_remote, parse
from index.embed import ModelUnavailable
from ui.browser import free_port

ROOT = Path(__file__).resolve().parent.parent
Reply = Callable[[dict, int], tuple[int, bytes]]  # (request body, how many requests so far) -> (status, body)


@contextmanager
def server(reply: Reply) -> Iterator[tuple[str, list[dict]]]:
    """A real HTTP server on a free port answering /v1/chat/completions with `reply`;
    yields its openai:// address and the request bodies it received."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append(body)
            status, data = reply(body, len(received))
            self.send_response(status)
            self.send_header("Content-Type", "text/event-stream" if body.get("stream") else "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"openai://127.0.0.1:{httpd.server_address[1]}/tiny", received
    finally:
        httpd.shutdown()


def sse(*pieces: str) -> bytes:
    events = [{"choices": [{"delta": {"content": p}}]} for p in pieces]
    return b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in events) + b"data: [DONE]\n\n"


def test_addresses() -> None:
    assert parse("openai://localhost:8000/qwen") == ("http://localhost:8000/v1", "qwen")
    assert parse("openai://localhost:8000/") == ("http://localhost:8000/v1", "")
    assert parse("openai+https://example.org/api/v1/m") == ("https://example.org/api/v1", "m")
    assert is_remote("openai://h:1/m") and not is_remote("model.gguf") and not is_remote(None)
    with pytest.raises(ModelUnavailable, match="not a model server address"):
        parse("openai:///m")


def test_streams_a_reply_greedily() -> None:
    with server(lambda body, n: (200, sse("Thirteen ", "makers. [1]"))) as (address, received):
        reply = "".join(OpenAIGenerator(address).stream([{"role": "user", "content": "How many?"}], 20))
    assert reply == "Thirteen makers. [1]"
    (body,) = received
    assert body["temperature"] == 0 and body["max_tokens"] == 20 and body["stream"] and body["model"] == "tiny"


def test_weighs_one_word_replies_from_log_probabilities() -> None:
    top = [{"token": "Yes", "logprob": -0.2}, {"token": "No", "logprob": -2.0}, {"token": "The", "logprob": -3.0}]
    choice = {"message": {"content": "Yes"}, "logprobs": {"content": [{"token": "Yes", "top_logprobs": top}]}}
    with server(lambda body, n: (200, json.dumps({"choices": [choice]}).encode())) as (address, received):
        shares = OpenAIGenerator(address).choose([{"role": "user", "content": "?"}], ["yes", "no"])
    assert shares["yes"] == pytest.approx(1 / (1 + 2.718281828**-1.8), abs=1e-6)
    assert received[0]["logprobs"] is True and received[0]["max_tokens"] == 1
    # a server that gives no log-probabilities: nothing to weigh, the checks are skipped
    with server(lambda body, n: (200, json.dumps({"choices": [{"message": {"content": "Yes"}}]}).encode())) as (
        address,
        _,
    ):
        assert OpenAIGenerator(address).choose([{"role": "user", "content": "?"}], ["yes", "no"]) == {}


def test_a_failing_server_is_retried_with_back_off() -> None:
    with server(lambda body, n: (503, b"busy") if n < 3 else (200, sse("ok"))) as (address, received):
        started = time.perf_counter()
        assert "".join(OpenAIGenerator(address, backoff=0.05).stream([{"role": "user", "content": "?"}])) == "ok"
    assert len(received) == 3 and time.perf_counter() - started >= 0.05 + 0.1


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (lambda body, n: (503, b"busy"), "failed: HTTP 503"),
        (lambda body, n: (200, b"data: <html>not json</html>\n\n"), "not a chat completion"),
        (lambda body, n: (404, b'{"error": "no such model"}'), "refused the request: HTTP 404"),
    ],
)
def test_a_broken_server_is_one_clear_error(reply: Reply, message: str) -> None:
    with server(reply) as (address, _), pytest.raises(ServerError, match=message):
        "".join(OpenAIGenerator(address, retries=1, backoff=0.01).stream([{"role": "user", "content": "?"}]))


def test_a_server_that_is_down_fails_at_start() -> None:
    from ask import load_generator

    port = free_port()  # nobody listens on it
    with pytest.raises(ServerError, match=rf"127.0.0.1:{port}/v1 failed: cannot connect"):
        load_generator(f"openai://127.0.0.1:{port}/m", None, ROOT / "data" / "cache")


def test_garbage_in_a_non_streamed_reply_is_one_clear_error() -> None:
    with (
        server(lambda body, n: (200, b"<html>hello</html>")) as (address, _),
        pytest.raises(ServerError, match="not a chat completion"),
    ):
        OpenAIGenerator(address, retries=0).choose([{"role": "user", "content": "?"}], ["yes", "no"])


@pytest.mark.real
def test_the_packaged_model_answers_through_its_server(model_server: str) -> None:
    from ask import load_generator

    generator = load_generator(model_server, None, ROOT / "data" / "cache")
    messages = [{"role": "user", "content": "What is the capital of France? Reply with one word."}]
    assert "paris" in "".join(generator.stream(messages, 8)).lower()
    shares = generator.choose([{"role": "user", "content": "Is Paris in France? Reply yes or no."}], ["yes", "no"])
    assert shares["yes"] > 0.9


@pytest.mark.real
def test_ask_through_the_server_gives_a_verified_cited_answer(model_server: str) -> None:
    """The README's pair: `python -m ask.serve` (the fixture) and `python -m ask --model openai://…`."""
    done = subprocess.run(
        [sys.executable, "-m", "ask", "--json", "--model", model_server,
         "How many new energy vehicle manufacturers are there in Hunan?"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert not answer["abstained"] and "13" in answer["text"] and answer["support"] is not None
    assert [Path(c["file"]).name[:3] for c in answer["citations"]] == ["001"]
