"""Give a released model's memory back to the operating system.

Setting an engine's model to None frees it inside the process, but glibc's allocator
keeps the freed pages in its arenas: after Whisper base is unloaded the process still
holds ~250 MB it no longer uses, and a long session of subtitle runs keeps that much
more than it needs (measured with tests/bench/longday_bench.py). ``release()`` runs
the garbage collector and, on glibc, ``malloc_trim(0)``, which returns those pages.
Elsewhere (Windows, macOS, musl) it only collects: their allocators return big blocks
on their own.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
from typing import Any

log = logging.getLogger(__name__)

_libc: Any = None
_looked = False


def _glibc() -> Any:
    global _libc, _looked
    if not _looked:
        _looked = True
        if sys.platform.startswith("linux"):
            try:
                lib = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
                _libc = lib if hasattr(lib, "malloc_trim") else None
            except OSError:
                _libc = None
    return _libc


def release() -> None:
    """Collect garbage and return freed heap pages to the OS (glibc only); never raises."""
    gc.collect()
    libc = _glibc()
    if libc is not None:
        try:
            libc.malloc_trim(0)
        except (OSError, AttributeError) as exc:  # pragma: no cover - defensive
            log.debug("malloc_trim failed: %s", exc)


__all__ = ["release"]


def available_bytes() -> int | None:
    """Memory the system can still give this process without swapping (Linux: MemAvailable;
    elsewhere the free physical pages), or None when the system does not say."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import os

        return int(os.sysconf("SC_AVPHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None
