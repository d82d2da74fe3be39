"""Stable hashes: of files (sha256) and of step inputs (canonical JSON).

Each step stores the hash of the inputs it was produced from; when the current
inputs hash differs, the step's output is stale.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _hash_blocks(fin: Any, fout: Any, chunk: int, on_bytes: Callable[[int], None] | None,
                 check: Callable[[], None] | None) -> str:
    """The one hashing loop: read ``fin`` block by block (writing each to ``fout`` if given)."""
    h = hashlib.sha256()
    while block := fin.read(chunk):
        if fout is not None:
            fout.write(block)
        h.update(block)
        if on_bytes is not None:
            on_bytes(len(block))
        if check is not None:
            check()
    return h.hexdigest()


def file_sha256(path: str | Path, chunk: int = 1 << 22, *, on_bytes: Callable[[int], None] | None = None,
                check: Callable[[], None] | None = None) -> str:
    """Hex sha256 of a file's bytes.

    ``on_bytes`` hears how many bytes each block held (progress); ``check`` runs between
    blocks and may raise (a job's cancel check), so hashing a multi-GB model stays cancellable.
    """
    with open(path, "rb") as f:
        return _hash_blocks(f, None, chunk, on_bytes, check)


def copy_file_sha256(src: str | Path, dst: str | Path, chunk: int = 1 << 22, *,
                     on_bytes: Callable[[int], None] | None = None,
                     check: Callable[[], None] | None = None) -> str:
    """Copy ``src`` to ``dst`` and return the sha256 of the bytes written: one read for both.

    Models are gigabytes; reading them once to copy and again to hash would double the
    time on a USB stick. ``on_bytes`` and ``check`` work as in ``file_sha256``. ``dst`` is
    written in place; callers that need atomicity copy to a ``.part`` name and rename.
    """
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        return _hash_blocks(fin, fout, chunk, on_bytes, check)


def text_sha256(text: str) -> str:
    """Hex sha256 of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inputs_hash(value: Any) -> str:
    """A short stable hash of any JSON-serialisable value (dict key order ignored)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
