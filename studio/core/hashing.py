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


def file_sha256(path: str | Path, chunk: int = 1 << 22, *, on_bytes: Callable[[int], None] | None = None,
                check: Callable[[], None] | None = None) -> str:
    """Hex sha256 of a file's bytes: the one hashing loop of the app.

    ``on_bytes`` hears how many bytes each block held (progress); ``check`` runs between
    blocks and may raise (a job's cancel check), so hashing a multi-GB model stays cancellable.
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            h.update(block)
            if on_bytes is not None:
                on_bytes(len(block))
            if check is not None:
                check()
    return h.hexdigest()


def copy_file_sha256(src: str | Path, dst: str | Path, chunk: int = 1 << 22, *,
                     on_bytes: Callable[[int], None] | None = None,
                     check: Callable[[], None] | None = None) -> str:
    """Copy ``src`` to ``dst`` and return the sha256 of the bytes written: one read for both.

    Models are gigabytes; reading them once to copy and again to hash would double the
    time on a USB stick. ``on_bytes`` and ``check`` work as in ``file_sha256``. ``dst`` is
    written in place; callers that need atomicity copy to a ``.part`` name and rename.
    """
    h = hashlib.sha256()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while block := fin.read(chunk):
            fout.write(block)
            h.update(block)
            if on_bytes is not None:
                on_bytes(len(block))
            if check is not None:
                check()
    return h.hexdigest()


def text_sha256(text: str) -> str:
    """Hex sha256 of a UTF-8 string."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def inputs_hash(value: Any) -> str:
    """A short stable hash of any JSON-serialisable value (dict key order ignored)."""
    data = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]
