"""Handing freed memory back to the system between requests.

glibc keeps the blocks a request freed in its per-thread arenas instead of returning them, so a
long-running process that answers request after request (the app's server, the model's process)
would see its resident memory creep up; `python -m eval.soak` measures it. `malloc_trim(0)` after
each request gives back what is free. With another C library (musl, macOS) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys


def release_memory() -> None:
    """Return the memory freed since the last call to the system (glibc); elsewhere a no-op."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


_LIBC = ctypes.CDLL(ctypes.util.find_library("c")) if sys.platform == "linux" else None
if _LIBC is not None and not hasattr(_LIBC, "malloc_trim"):  # a C library other than glibc
    _LIBC = None
