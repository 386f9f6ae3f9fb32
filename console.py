"""What reaches the terminal: the project's own lines, and third-party output only when asked.

By default the libraries underneath (transformers, NNCF, OpenVINO, torch's tracer) keep their
warnings, log lines and progress bars to themselves: warnings and logs are captured into
`<cache>/logs/third-party.log`, and a noisy step (the embedder's one-time export) runs with its
console output captured, shown only if the step fails. `--verbose` on a command, or
ASK_VERBOSE=1, lets everything through. Child processes (the model's) inherit the choice.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

_LOUD_LOGGERS = (
    "transformers",
    "nncf",
    "openvino",
    "torch",
    "sentence_transformers",
    "httpx",
    "urllib3",
    "milvus_lite",
)
# pymilvus sets its own console handlers when imported (after start-up); `quiet_imported` undoes that
PYMILVUS_LOGGERS = ("pymilvus", "pymilvus.milvus_client", "pymilvus.bulk_writer")
_handler: logging.Handler | None = None  # where quiet_libraries sends third-party logs


def verbose() -> bool:
    return os.environ.get("ASK_VERBOSE", "") not in ("", "0")


def quiet_libraries(cache_dir: Path, loud: bool = False) -> None:
    """Call once at the start of a command: `loud` (its --verbose) lets everything through."""
    if loud:
        os.environ["ASK_VERBOSE"] = "1"
    if verbose():
        return
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    logging.captureWarnings(True)  # into the log below, under Python's usual filters
    handler: logging.Handler = logging.NullHandler()
    try:
        (Path(cache_dir) / "logs").mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(Path(cache_dir) / "logs" / "third-party.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    except OSError:
        pass  # a read-only cache: the warnings are dropped rather than shown
    global _handler
    _handler = handler
    quiet_imported("py.warnings", *_LOUD_LOGGERS, *PYMILVUS_LOGGERS)


def quiet_imported(*names: str) -> None:
    """Send these loggers to the third-party log again (a library configured them on import)."""
    if _handler is None:
        return
    for name in names:
        logger = logging.getLogger(name)
        logger.handlers = [_handler]
        logger.propagate = False


@contextlib.contextmanager
def captured(step: str) -> Iterator[None]:
    """Run a noisy third-party step with its console output held back (Python-level stdout and
    stderr: progress bars, prints); if the step fails, its last lines go to stderr with the error."""
    if verbose():
        yield
        return
    buffer = io.StringIO()
    try:
        with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except BaseException:
        tail = buffer.getvalue().strip().splitlines()[-20:]
        if tail:
            print(f"{step} failed; its last output:\n" + "\n".join(tail), file=sys.stderr)
        raise
