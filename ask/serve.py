"""An OpenAI-compatible model server: python -m ask.serve [--port 8000] [--model GGUF].

llama-cpp-python's own server (`llama_cpp.server`: `/v1/chat/completions`, `/v1/models`),
started with what the built-in backend uses: the packaged model unless `--model` names a GGUF,
the best llama.cpp CPU variant this machine can run (ask/llama_runtime.py: llama.cpp's own choice
does not check that the OS enables an instruction set), every core, a 4096-token context, and
log-probabilities on (the judge weighs "yes" against "no" from them). The app, `python -m ask`
and `python -m eval` use it with `--model openai://HOST:PORT/` (ask/remote.py); so can several
app processes at once, on this machine or others.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ask import llama_runtime
from ask.model_files import default_gguf
from config import Config
from console import quiet_libraries
from index.embed import ModelUnavailable
from index.exported import threads


def main(argv: list[str] | None = None) -> int:
    config = Config()
    parser = argparse.ArgumentParser(prog="python -m ask.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve other machines")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the packaged model)")
    parser.add_argument("--n-ctx", type=int, default=4096)
    parser.add_argument("--verbose", action="store_true", help="also show llama.cpp's and the server's own logs")
    args = parser.parse_args(argv)
    quiet_libraries(config.cache_dir, args.verbose)
    try:
        import uvicorn
        from llama_cpp.server.app import create_app
        from llama_cpp.server.settings import ModelSettings, ServerSettings
    except ImportError as err:
        print(f"error: the server needs llama-cpp-python[server] ({err}): pip install -r requirements.txt",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        model = args.model or default_gguf(config.cache_dir)
        if not model.is_file():
            raise ModelUnavailable(f"no GGUF file at {model}")
        variant = llama_runtime.best(llama_runtime.crashed_variants(config.cache_dir))
        llama_runtime.load(variant)
    except (ModelUnavailable, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"llama.cpp CPU variant: {variant.name} ({llama_runtime.describe(variant)})", file=sys.stderr)
    settings = ModelSettings(
        model=str(model), model_alias=model.name, n_ctx=args.n_ctx, n_threads=threads(),
        n_threads_batch=threads(), logits_all=True, verbose=args.verbose,
    )  # fmt: skip
    app = create_app(server_settings=ServerSettings(host=args.host, port=args.port), model_settings=[settings])
    print(f"serving {model.name} at http://{args.host}:{args.port}/v1 "
          f"(ask with --model openai://{args.host}:{args.port}/{model.name})", file=sys.stderr)  # fmt: skip
    uvicorn.run(app, host=args.host, port=args.port, log_level="info" if args.verbose else "warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
