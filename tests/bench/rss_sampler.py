"""Peak resident memory of this process and of its children (ffmpeg), sampled on a thread.

Shared by the benchmarks (render, long day, soak). Reads /proc (Linux), so it needs no
extra package; on other systems every reading is 0. Not collected by pytest (no tests).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


def rss_bytes(pid: int | str = "self") -> int:
    """Resident set size of ``pid`` in bytes (0 when it is gone or unknown)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def rss_mb() -> float:
    """This process's resident set size in MB (2**20 bytes)."""
    return rss_bytes() / 2 ** 20


def children() -> list[int]:
    """Process ids of this process's children, grandchildren included."""
    out: list[int] = []
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        try:
            kids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except (OSError, ValueError):
            continue
        out += kids
        todo += kids
    return out


class PeakRss:
    """``with PeakRss() as rss: ...`` then ``rss.peak`` / ``peak_self`` / ``peak_children`` (bytes)."""

    def __init__(self, every: float = 0.1) -> None:
        self.every = every
        self.peak = self.peak_self = self.peak_children = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            mine = rss_bytes()
            kids = sum(rss_bytes(c) for c in children())
            self.peak = max(self.peak, mine + kids)
            self.peak_self = max(self.peak_self, mine)
            self.peak_children = max(self.peak_children, kids)
            self._stop.wait(self.every)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
