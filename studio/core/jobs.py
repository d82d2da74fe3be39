"""JobContext: the only job API engines and pipeline steps see.

A long-running call takes a ``JobContext``, reports progress through it and calls
``check()`` between units of work so a cancel from any thread stops it promptly.
The GUI forwards progress to a progress bar; the CLI draws a text bar.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace


class Cancelled(Exception):
    """The user cancelled. Not an error, and never shown as one.

    A step that finished some units before the cancel attaches them as ``partial``
    (same shape as its normal result) so the caller can keep them.
    """

    partial: object = None


@dataclass(frozen=True)
class Progress:
    """One progress report.

    ``done``/``total`` count units of this step (scenes, frames, seconds of audio);
    ``sub`` is the engine's progress inside the current unit (denoising steps...).
    """

    step: str
    done: float
    total: float | None = None
    message: str = ""
    sub: tuple[float, float] | None = None

    @property
    def fraction(self) -> float | None:
        """Overall fraction 0..1, folding the sub-progress in, or None if unknown."""
        if not self.total:
            return None
        done = self.done
        if self.sub and self.sub[1]:
            done += min(1.0, self.sub[0] / self.sub[1])
        return max(0.0, min(1.0, done / self.total))


class JobContext:
    """What a running job may touch: report progress and ask whether to stop."""

    def __init__(self, step: str, report: Callable[[Progress], None] | None = None) -> None:
        self.step = step
        self._report = report or (lambda progress: None)
        self._cancel = threading.Event()
        self._last = Progress(step, 0)
        self._watchers: list[Callable[[Progress], None]] = []

    def cancel(self) -> None:
        """Ask the job to stop at its next check. Safe from any thread."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled if a cancel was requested. Call between units of work."""
        if self._cancel.is_set():
            raise Cancelled(self.step)

    def progress(self, done: float, total: float | None = None, message: str = "") -> None:
        """Report that ``done`` of ``total`` units are finished."""
        self._last = Progress(self.step, done, total, message or self._last.message)
        for watcher in list(self._watchers):
            watcher(self._last)
        self._report(self._last)

    def watch(self, watcher: Callable[[Progress], None]) -> Callable[[], None]:
        """Also call ``watcher`` on every progress report (a step timing its engine); returns the un-watch."""
        self._watchers.append(watcher)
        return lambda: self._watchers.remove(watcher) if watcher in self._watchers else None

    def note(self, message: str) -> None:
        """Say something about the current unit (a busy server, a retry) without moving the bar."""
        self._last = replace(self._last, message=message)
        self._report(self._last)

    def substep(self, done: float, total: float) -> None:
        """Report progress inside the current unit (called by engines)."""
        self._report(replace(self._last, sub=(done, total)))

    def child(self, step: str, start: float, span: float, total: float) -> JobContext:
        """A context for a sub-call whose progress maps onto ``[start, start+span]`` of ours.

        The child shares our cancel flag, so cancelling the parent stops the child.
        """
        parent = self

        def forward(p: Progress) -> None:
            frac = p.fraction
            if frac is None:
                frac = 0.0
            parent.progress(start + span * frac, total, p.message)

        ctx = JobContext(step, forward)
        ctx._cancel = self._cancel
        return ctx
