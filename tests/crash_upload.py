"""An upload that stops at one moment so that a test can kill -9 it there.

    python -m tests.crash_upload MOMENT ARTICLES INDEX UPLOAD MARKER

MOMENT is one of MOMENTS. The process writes MARKER when it has reached the moment, then sleeps
until it is killed. Only the pause is added: the copy, the index build and the switch are the
library's own code, on real files.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

MOMENTS = ("copying", "embedding", "writing", "switching", "after")


def _stop(marker: Path) -> None:
    marker.write_text("reached", encoding="utf-8")
    time.sleep(600)


def main(moment: str, articles: Path, index_dir: Path, upload: Path, marker: Path) -> None:
    from config import Config
    from index import library_files, store
    from index.library import Library
    from tests.fakes import FakeEmbedder

    embedder = FakeEmbedder()
    if moment == "copying":  # half the bytes are in the hidden temporary file

        def half(src, dst, length=0) -> None:
            dst.write(src.read(max(1, upload.stat().st_size // 2)))
            dst.flush()
            _stop(marker)

        library_files.shutil.copyfileobj = half
    elif moment == "embedding":  # the file is in the folder, its chunks are being embedded
        encode = embedder.encode
        embedder.encode = lambda texts, progress=False: _stop(marker) if len(texts) else encode(texts)
    elif moment == "writing":  # the new generation is in its staging folder, not all synced
        fsync = store._fsync
        store._fsync = lambda path: _stop(marker) if path.name == "dense.faiss" else fsync(path)
    elif moment == "switching":  # the new generation is whole, CURRENT still names the old one
        fsync = store._fsync
        store._fsync = lambda path: _stop(marker) if path.name.startswith(".CURRENT-") else fsync(path)
    library = Library(articles, index_dir, embedder, Config().search, chunk_tokens=60)
    library.add([upload])
    _stop(marker)  # "after": the upload is indexed and live


if __name__ == "__main__":
    moment, *paths = sys.argv[1:]
    if moment not in MOMENTS or len(paths) != 4:
        sys.exit(__doc__)
    main(moment, *map(Path, paths))
