"""The command line's progress bar and Ctrl-C handling around a ``JobContext``.

``job(label)`` draws a text bar on stderr (redrawn in place on a terminal, sparse lines
otherwise) and turns the first Ctrl-C into a clean cancel at the job's next check.
"""

from __future__ import annotations

import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from studio.core.jobs import JobContext, Progress


class ProgressPrinter:
    """A text progress bar on stderr (redrawn in place on a terminal, sparse lines otherwise)."""

    def __init__(self, label: str, stream: TextIO | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last_draw = 0.0
        self._last_pct = -100.0
        self._open = False

    def __call__(self, p: Progress) -> None:
        frac = p.fraction
        now = time.monotonic()
        pct = -1.0 if frac is None else frac * 100
        if self.tty:
            if now - self._last_draw < 0.1 and pct < 100:
                return
        elif not (pct >= 100 or pct - self._last_pct >= 10 or now - self._last_draw > 15):
            return
        self._last_draw, self._last_pct = now, pct
        width = 28
        filled = 0 if frac is None else int(round(frac * width))
        bar = "#" * filled + "." * (width - filled)
        pct_text = "  ?%" if frac is None else f"{pct:3.0f}%"
        line = f"{self.label:<10} [{bar}] {pct_text} {p.message}"[:110]
        if self.tty:
            self.stream.write("\r" + line.ljust(110))
            self._open = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False


@contextmanager
def job(label: str) -> Iterator[JobContext]:
    """A JobContext whose progress draws a bar and which Ctrl-C cancels cleanly.

    The first Ctrl-C asks the job to stop at its next check (finished work is kept);
    a second one interrupts immediately.
    """
    printer = ProgressPrinter(label)
    ctx = JobContext(label.lower(), printer)
    previous = signal.getsignal(signal.SIGINT)

    def on_sigint(signum: int, frame: Any) -> None:  # noqa: ARG001 - signal API
        if ctx.cancelled:
            raise KeyboardInterrupt
        ctx.cancel()
        sys.stderr.write("\nCancelling… (press Ctrl-C again to stop at once)\n")

    installed = False
    try:
        signal.signal(signal.SIGINT, on_sigint)
        installed = True
    except ValueError:
        pass  # not the main thread (tests): cancellation still works through ctx.cancel()
    try:
        yield ctx
    finally:
        printer.done()
        if installed:
            signal.signal(signal.SIGINT, previous)
