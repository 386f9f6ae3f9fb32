"""The model on any OpenAI-compatible server: `--model openai://HOST:PORT/MODEL`.

Streams replies from `POST /v1/chat/completions` (llama.cpp's server, `python -m ask.serve`,
vLLM, Ollama, TGI…), greedily like the built-in backends, so verification and citations are
the same. `openai+https://HOST/MODEL` speaks HTTPS; an `OPENAI_API_KEY` in the environment is
sent as a bearer token. A server that cannot be reached, times out or answers 5xx is retried with
back-off before the first word of a reply (never after: the words would repeat); what still
fails, and a reply that is not an OpenAI chat completion, raises `ServerError` with the address
and what went wrong. `choose` weighs one-word replies from the server's `top_logprobs`; a server
that gives none makes it return {} and the checks that need it are skipped.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx

from ask.generate import Messages, option_shares, spellings
from index.embed import ModelUnavailable

SCHEMES = {"openai": "http", "openai+http": "http", "openai+https": "https"}


class ServerError(ModelUnavailable):
    """The model server is down, too slow, or answered something that is not a chat completion."""


def is_remote(model: str | None) -> bool:
    return bool(model) and urlsplit(model).scheme in SCHEMES


def parse(address: str) -> tuple[str, str]:
    """`openai://HOST:PORT/MODEL` -> ("http://HOST:PORT/v1", "MODEL"). The model may be empty
    (the server's only or default model); a path before it is kept ("…/api/v1/MODEL")."""
    url = urlsplit(address)
    if url.scheme not in SCHEMES or not url.netloc:
        raise ModelUnavailable(f"not a model server address: {address!r} (write openai://HOST:PORT/MODEL)")
    path, _, model = url.path.strip("/").rpartition("/")
    base = f"{SCHEMES[url.scheme]}://{url.netloc}/{path or 'v1'}"
    return base, model


class OpenAIGenerator:
    """`address`: openai://HOST:PORT/MODEL. `timeout`: seconds to connect, and to wait for each
    piece of a reply; `retries`: further tries, `backoff` seconds apart and doubling."""

    def __init__(self, address: str, timeout: float = 120.0, retries: int = 3, backoff: float = 0.5) -> None:
        self.base, self.model = parse(address)
        self.name = f"{self.model or 'default model'} at {self.base}"
        self.retries = retries
        self.backoff = backoff
        key = os.environ.get("OPENAI_API_KEY")
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"Authorization": f"Bearer {key}"} if key else {},
        )

    def check(self) -> None:
        """One short reply, so that a wrong address fails at start, not at the first question."""
        "".join(self.stream([{"role": "user", "content": "Say OK."}], max_tokens=2))

    def stream(self, messages: Messages, max_tokens: int = 160) -> Iterator[str]:
        body = self._body(messages, max_tokens, stream=True)
        for attempt in range(self.retries + 1):
            started = False
            try:
                with self._client.stream("POST", f"{self.base}/chat/completions", json=body) as response:
                    self._raise_for(response)
                    for line in response.iter_lines():
                        piece = self._piece(line)
                        if piece is None:
                            return
                        if piece:
                            started = True
                            yield piece
                return
            except (httpx.TransportError, _Retry) as err:
                if started or attempt == self.retries:
                    raise ServerError(f"the model server at {self.base} failed: {_reason(err)}") from None
                time.sleep(self.backoff * 2**attempt)

    def choose(self, messages: Messages, options: list[str]) -> dict[str, float]:
        """Each option's share of the probability the server gives the first reply token
        (options in their usual spellings: "yes", "Yes", " yes"); {} without log-probabilities."""
        body = {**self._body(messages, 1, stream=False), "logprobs": True, "top_logprobs": 20}
        reply = self._post(body)
        try:
            top = reply["choices"][0]["logprobs"]["content"][0]["top_logprobs"]
            probability = {t["token"]: math.exp(t["logprob"]) for t in top}
        except (KeyError, IndexError, TypeError):
            return {}

        def listed(option: str) -> set[str]:
            return {w for w in spellings(option) if w in probability}

        if not any(listed(o) for o in options):
            return {}
        return option_shares(probability, listed, options)

    def _post(self, body: dict) -> dict:
        for attempt in range(self.retries + 1):
            try:
                response = self._client.post(f"{self.base}/chat/completions", json=body)
                self._raise_for(response)
                reply = response.json()
                if not isinstance(reply, dict) or "choices" not in reply:
                    raise json.JSONDecodeError("no 'choices'", response.text[:80], 0)
                return reply
            except json.JSONDecodeError:
                raise ServerError(
                    f"the model server at {self.base} answered something that is not a chat completion: "
                    f"{response.text[:200]!r}"
                ) from None
            except (httpx.TransportError, _Retry) as err:
                if attempt == self.retries:
                    raise ServerError(f"the model server at {self.base} failed: {_reason(err)}") from None
                time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")

    def _body(self, messages: Messages, max_tokens: int, stream: bool) -> dict:
        body = {"messages": messages, "max_tokens": max_tokens, "temperature": 0.0, "stream": stream}
        return {**body, "model": self.model} if self.model else body

    def _raise_for(self, response: httpx.Response) -> None:
        if response.status_code >= 500 or response.status_code == 429:
            raise _Retry(f"HTTP {response.status_code}")
        if response.status_code >= 400:
            response.read()
            raise ServerError(
                f"the model server at {self.base} refused the request: HTTP {response.status_code} "
                f"{response.text[:200]}"
            )

    def _piece(self, line: str) -> str | None:
        """The text in one server-sent event line; "" for a line without any; None at the end."""
        if not line.startswith("data:"):
            return ""
        data = line[5:].strip()
        if data == "[DONE]":
            return None
        try:
            choice = json.loads(data)["choices"][0]
        except (ValueError, KeyError, IndexError, TypeError):
            raise ServerError(
                f"the model server at {self.base} answered something that is not a chat completion: {data[:200]!r}"
            ) from None
        return (choice.get("delta") or {}).get("content") or ""

    def close(self) -> None:
        self._client.close()


class _Retry(Exception):
    """A reply worth asking again for (HTTP 5xx or 429)."""


def _reason(err: Exception) -> str:
    if isinstance(err, httpx.TimeoutException):
        return "no reply in time"
    if isinstance(err, httpx.ConnectError):
        return "cannot connect (is it running?)"
    return str(err) or type(err).__name__
