"""A stand-in for ask/worker.py that plays llama.cpp's CPU variants: `python -m tests.fake_worker SPEC`.

It announces the first of variants "a", "b", "c" not in the spec's "exclude", dies by SIGILL if
that one is listed in the spec's "crash" (as a variant compiled for instructions the machine does
not run would), and otherwise reports ready and answers "ok <variant>".
"""

from __future__ import annotations

import json
import os
import signal
import sys


def main() -> None:
    spec = json.loads(sys.argv[1])
    variant = next(v for v in "abc" if v not in spec.get("exclude", []))
    print(json.dumps({"event": "variant", "name": variant}), flush=True)
    if variant in spec.get("crash", []):
        os.kill(os.getpid(), signal.SIGILL)
    print(json.dumps({"event": "ready", "info": {"variant": variant, "excluded": spec.get("exclude", [])}}), flush=True)
    for line in sys.stdin:
        if "messages" in json.loads(line):
            print(json.dumps({"text": f"ok {variant}"}), flush=True)
            print(json.dumps({"event": "done"}), flush=True)


if __name__ == "__main__":
    main()
