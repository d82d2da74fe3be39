"""Run a pipeline call off the GUI thread and hear back on it.

``JobRunner`` runs one call on the global ``QThreadPool``. The call receives a
``JobContext``; its progress, result, failure or cancellation arrive as Qt signals,
delivered on the GUI thread because the runner (a QObject) lives there and the
worker emits across threads (queued connections). The call must not touch widgets
or the live Project: it works on a snapshot and returns a result that the GUI
applies in the success slot (Anki's QueryOp idiom, superqt's WorkerBase).

Progress reports can arrive thousands of times a second from a renderer; they are
coalesced to the latest one and delivered at most every ~50 ms so the event loop
never floods.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from studio.core.errors import EngineUnavailable, ExportBlocked, UsageError
from studio.core.jobs import Cancelled, JobContext, Progress

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.05


_lowered: set[int] = set()


def lower_thread_priority() -> None:
    """Let the window win the CPU over background work (once per pool thread).

    On a busy 2-core laptop a render or a transcription would otherwise compete with
    the GUI thread as an equal and the window would stutter. Threads and processes the
    job starts (CTranslate2's threads, ffmpeg) inherit the lower priority.
    """
    tid = threading.get_native_id()
    if tid in _lowered:
        return
    _lowered.add(tid)
    try:
        if sys.platform.startswith("linux"):
            # Linux: a thread is a task with its own nice value.
            os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + 5))
        else:
            from PySide6.QtCore import QThread

            QThread.currentThread().setPriority(QThread.Priority.LowPriority)
    except (OSError, AttributeError) as exc:
        log.debug("could not lower the worker priority: %s", exc)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], None]) -> None:
        super().__init__()
        self._fn = fn
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        lower_thread_priority()
        self._fn()


class JobRunner(QObject):
    """One call on the thread pool, with progress / success / failure / cancel signals.

    Parent it to a long-lived object (the session) so it stays alive until done.
    """

    progressed = Signal(object)
    """A ``Progress`` (latest only; intermediate ones may be skipped)."""
    succeeded = Signal(object)
    """The call's return value."""
    failed = Signal(object)
    """The exception the call raised (a StudioError or anything else)."""
    cancelled = Signal(object)
    """The ``Cancelled`` exception (its ``partial`` may hold finished work)."""
    finished = Signal()
    """After any of the three outcomes."""

    def __init__(self, call: Callable[[JobContext], Any], step: str,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self._call = call
        self._lock = threading.Lock()
        self._pending: Progress | None = None
        self._last_emit = 0.0
        self.ctx = JobContext(step, report=self._report)
        self.running = False
        self.last_progress: Progress | None = None
        self._done = threading.Event()
        self._flush = QTimer(self)
        self._flush.setInterval(int(PROGRESS_INTERVAL * 1000))
        self._flush.timeout.connect(self._deliver)
        self._finished_outcome: tuple[str, Any] | None = None
        # Worker → GUI: a private signal, so the outcome is always delivered on our thread.
        self._outcome.connect(self._on_outcome)

    _outcome = Signal(str, object)

    # -------------------------------------------------------------- any thread

    def _report(self, progress: Progress) -> None:
        with self._lock:
            self._pending = progress

    # -------------------------------------------------------------- GUI thread

    def start(self) -> None:
        """Start the call on the global thread pool."""
        self.running = True
        self._flush.start()
        QThreadPool.globalInstance().start(_Task(self._run))

    def cancel(self) -> None:
        """Ask the call to stop at its next check (it keeps what it finished)."""
        self.ctx.cancel()

    def wait(self, timeout: float = 5.0) -> bool:
        """Block until the worker returned (used only on shutdown)."""
        return self._done.wait(timeout)

    def _deliver(self) -> None:
        with self._lock:
            progress, self._pending = self._pending, None
        if progress is not None:
            self.last_progress = progress
            self.progressed.emit(progress)

    def _on_outcome(self, kind: str, value: Any) -> None:
        self._flush.stop()
        self._deliver()
        self.running = False
        if kind == "ok":
            self.succeeded.emit(value)
        elif kind == "cancelled":
            self.cancelled.emit(value)
        else:
            self.failed.emit(value)
        self.finished.emit()

    # -------------------------------------------------------------- worker thread

    def _run(self) -> None:
        started = time.monotonic()
        try:
            result = self._call(self.ctx)
        except Cancelled as exc:
            log.info("job %s cancelled after %.1f s", self.step, time.monotonic() - started)
            self._emit("cancelled", exc)
        except (ExportBlocked, UsageError, EngineUnavailable) as exc:
            # An expected refusal, said in words by the window: no traceback on stderr.
            log.info("job %s refused: %s", self.step, exc)
            self._emit("failed", exc)
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI, which shows it
            log.exception("job %s failed", self.step)
            self._emit("failed", exc)
        else:
            log.info("job %s finished in %.1f s", self.step, time.monotonic() - started)
            self._emit("ok", result)
        finally:
            self._done.set()

    def _emit(self, kind: str, value: Any) -> None:
        try:
            self._outcome.emit(kind, value)
        except RuntimeError:
            # The runner was deleted while the job ran (window closed): nothing to tell.
            pass


class LatestOnly(QObject):
    """Runs at most one call at a time; a request made meanwhile replaces older ones.

    For scrubbing a preview: only the frame for the slider's latest position is drawn,
    and the GUI thread never waits.
    """

    done = Signal(object, object)
    """(request key, result) of each finished request (the latest one always comes last)."""
    errored = Signal(object, object)
    """(request key, exception)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._busy = False
        self._next: tuple[Any, Callable[[], Any]] | None = None
        self._result.connect(self._on_result)

    _result = Signal(object, object, bool)

    @property
    def busy(self) -> bool:
        return self._busy

    def request(self, key: Any, call: Callable[[], Any]) -> None:
        """Ask for ``call()``; if one is running, this replaces any queued request."""
        if self._busy:
            self._next = (key, call)
            return
        self._start(key, call)

    def _start(self, key: Any, call: Callable[[], Any]) -> None:
        self._busy = True

        def work() -> None:
            try:
                value, ok = call(), True
            except BaseException as exc:  # noqa: BLE001 - reported to the GUI
                log.warning("preview request failed: %s", exc)
                value, ok = exc, False
            try:
                self._result.emit(key, value, ok)
            except RuntimeError:
                pass

        QThreadPool.globalInstance().start(_Task(work))

    def _on_result(self, key: Any, value: Any, ok: bool) -> None:
        self._busy = False
        pending, self._next = self._next, None
        if pending is not None:
            # Start the newest request first, then show this (slightly older) result:
            # while scrubbing, the picture keeps following the slider.
            self._start(*pending)
        (self.done if ok else self.errored).emit(key, value)
