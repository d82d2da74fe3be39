"""“Jalankan semua langkah”: every missing or stale step, in the CLI's ``run all`` order.

The steps run one after the other as the session's ordinary jobs (each applied and saved
before the next starts, so a later step sees what the earlier one made), and each is
skipped when ``pipeline.steps.needs_run`` says it is up to date — the same decision as
``studio run all``. The job bar shows them as one bar ("Semua langkah 2/5: Gambar") with
one Cancel: a cancel or a failure stops the chain and keeps every finished step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from studio.ui.session.state import Session


class RunAll(QObject):
    """Runs ``STEP_ORDER`` through ``session.run_step``; ``finished(outcome)`` at the end."""

    stepStarted = Signal(int, int, str)
    """(index, total, step) when a step of the chain starts."""
    finished = Signal(str)
    """ok (everything is up to date), cancelled or failed."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.todo: list[str] = []
        self.index = 0
        self.ran: list[str] = []
        self.running = False
        session.jobEnded.connect(self._on_job_ended)

    def start(self) -> bool:
        """Start the chain; False when a job is running or nothing needs to run."""
        from studio.pipeline import steps

        if self.running or self.session.busy or not self.session.is_open:
            return False
        project = self.session.project
        # Later steps become due once an earlier one ran (a new script makes every image due):
        # the whole order is the plan; each step is checked again just before it would run.
        first = next((i for i, s in enumerate(steps.STEP_ORDER) if steps.needs_run(s, project)), None)
        if first is None:
            self.finished.emit("ok")
            return False
        self.todo = list(steps.STEP_ORDER[first:])
        self.index, self.ran, self.running = 0, [], True
        self._next()
        return True

    @property
    def total(self) -> int:
        return len(self.todo)

    def _next(self) -> None:
        from studio.pipeline import steps

        while self.index < len(self.todo) and not steps.needs_run(self.todo[self.index], self.session.project):
            self.index += 1
        if self.index >= len(self.todo):
            self._stop("ok")
            return
        step = self.todo[self.index]
        self.stepStarted.emit(self.index, len(self.todo), step)
        if self.session.run_step(step) is None:
            self._stop("failed")

    def _on_job_ended(self, step: str, outcome: str) -> None:
        if not self.running or self.index >= len(self.todo) or step != self.todo[self.index]:
            return
        if outcome != "ok":
            self._stop(outcome)
            return
        self.ran.append(step)
        self.index += 1
        # After the finished job's own signals: the next job's bar must not be hidden by them.
        QTimer.singleShot(0, self._next)

    def cancel(self) -> None:
        """Stop after the running step's current part (what finished is kept)."""
        if self.running:
            self.session.cancel()

    def _stop(self, outcome: str) -> None:
        self.running = False
        self.finished.emit(outcome)
