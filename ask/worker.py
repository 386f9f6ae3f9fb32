"""The model's own process: `python -m ask.worker SPEC`, started by ask/model_process.py.

It loads one generator, proves that it can generate (one short reply), then serves requests read
as JSON lines on stdin and streams each reply back as JSON lines on the stdout it was started
with. Whatever else writes to stdout (native libraries) is sent to stderr instead, so it cannot
corrupt the replies. A crash in here (an illegal instruction, a segmentation fault, the kernel's
out-of-memory killer) ends this process only: the app sees the pipe close and reports it.

Out: {"event": "variant", "name"} just before a llama.cpp CPU variant is first used; then
{"event": "ready", "info"} or {"event": "error", "message"}; per request, {"text"} pieces and
{"event": "done"}, or {"event": "failed", "message"}. In: {"messages", "max_tokens"},
{"choose": {"messages", "options"}} (answered by {"event": "choice", "probabilities"}),
{"rates": {"text", "prompt_tokens", "new_tokens"}}, and {"cancel": true} to end the reply being
streamed. The process exits when stdin closes (its parent is gone).
"""

from __future__ import annotations

import gc
import json
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ask import llama_runtime
from ask.generate import Generator, LlamaCppGenerator, TransformersGenerator
from ask.memory import release_memory
from console import quiet_libraries
from index.embed import ModelUnavailable
from index.embedders import load_plugin

CHECK = [{"role": "user", "content": "Reply with one word: ready"}]  # the start-up check's prompt
Send = Callable[..., None]


def open_generator(spec: dict, send: Send) -> tuple[Generator, dict]:
    """The generator the spec names, and what the page and the closing figures say about it."""
    if spec.get("factory"):  # "py:module:callable" returning a Generator (tests, custom runtimes)
        return load_plugin(spec["factory"]), {"backend": spec["factory"]}
    if spec["backend"] == "transformers":
        generator = TransformersGenerator(spec["model"], Path(spec["cache_dir"]))
        return generator, {"backend": "transformers", "loaded_from": generator.loaded_from}
    variant = llama_runtime.best(set(spec.get("exclude", ())))
    send(event="variant", name=variant.name)
    llama_runtime.load(variant)
    generator = LlamaCppGenerator(Path(spec["model"]))
    info = {"backend": "llama.cpp", "variant": variant.name, "cpu": llama_runtime.describe(variant),
            "system_info": llama_runtime.system_info()}  # fmt: skip
    return generator, info


def check(generator: Generator) -> float:
    """One short generation must succeed before the model is called ready; its seconds."""
    started = time.perf_counter()
    if not "".join(generator.stream(CHECK, 4)).strip():
        raise ModelUnavailable("the model loaded but its start-up check generated nothing")
    return time.perf_counter() - started


def serve(generator: Generator, requests: queue.Queue, cancelled: threading.Event, send: Send) -> None:
    while True:
        request = requests.get()
        cancelled.clear()
        try:
            if "rates" in request:
                if not hasattr(generator, "rates"):
                    raise ModelUnavailable("only llama.cpp models measure their prefill and decode rates")
                send(event="rates", **generator.rates(**request["rates"]))
                continue
            if "choose" in request:  # {} from a model that cannot weigh replies
                chooser = getattr(generator, "choose", None)
                send(event="choice", probabilities=chooser(**request["choose"]) if chooser else {})
                continue
            for piece in generator.stream(request["messages"], int(request["max_tokens"])):
                if cancelled.is_set():
                    break
                send(text=piece)
            send(event="done")
        except (ModelUnavailable, ValueError, RuntimeError, OSError) as err:
            send(event="failed", message=f"{type(err).__name__}: {err}")
        finally:  # each llama.cpp completion leaves a few reference cycles holding its buffers
            gc.collect()  # (about 18 objects, 10 ms); left to Python's rare full collections,
            release_memory()  # they grew this process ~0.3 MB an answer (python -m eval.soak)


def read_requests(requests: queue.Queue, cancelled: threading.Event) -> None:
    """stdin, line by line: cancels take effect at once, requests wait their turn."""
    for line in sys.stdin:
        message = json.loads(line)
        if message.get("cancel"):
            cancelled.set()
        else:
            requests.put(message)
    os._exit(0)  # the parent closed the pipe: it is gone or done with this model


def main(argv: list[str]) -> int:
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # stray output of native code goes to stderr, never into the replies
    sys.stdout = sys.stderr
    lock = threading.Lock()

    def send(**message) -> None:
        with lock:
            replies.write(json.dumps(message, ensure_ascii=False) + "\n")
            replies.flush()

    spec = json.loads(argv[0])
    quiet_libraries(Path(spec["cache_dir"]))
    started = time.perf_counter()
    try:
        generator, info = open_generator(spec, send)
        info |= {"load_s": time.perf_counter() - started, "check_s": check(generator)}
    except (ModelUnavailable, ValueError, RuntimeError, OSError) as err:
        send(event="error", message=str(err))
        return 3
    send(event="ready", info=info)
    requests: queue.Queue = queue.Queue()
    cancelled = threading.Event()
    threading.Thread(target=read_requests, args=(requests, cancelled), daemon=True).start()
    serve(generator, requests, cancelled, send)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
