"""The bar at the bottom of the window while a job runs: what, how far, and Cancel."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from studio.core.jobs import Progress
from studio.ui import texts
from studio.ui.jobs import JobRunner
from studio.ui.widgets.common import button, label


class JobBar(QFrame):
    """Shows the running job; the Cancel button (and Esc) asks it to stop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "jobbar")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(12)
        self.title = label(role="h2")
        self.detail: QLabel = label(role="muted")
        self.detail.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 24)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.elapsed = label(role="small")
        self.cancel_button = button(self.tr("Batalkan (Esc)"), "danger")
        row.addWidget(self.title)
        row.addWidget(self.bar, 2)
        row.addWidget(self.detail, 2)
        row.addWidget(self.elapsed)
        row.addWidget(self.cancel_button)
        self._runner: JobRunner | None = None
        self._started = 0.0
        self._clock = QTimer(self, interval=500)
        self._clock.timeout.connect(self._tick)
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    @property
    def runner(self) -> JobRunner | None:
        return self._runner

    def attach(self, runner: JobRunner) -> None:
        """Show ``runner``'s progress until it finishes."""
        self._runner = runner
        self._started = time.monotonic()
        self.title.setText(texts.step_label(runner.step))
        self.detail.setText(self.tr("Menyiapkan…"))
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Batalkan (Esc)"))
        runner.progressed.connect(self._on_progress)
        runner.finished.connect(self._on_finished)
        self._clock.start()
        self._tick()
        self.show()

    def cancel(self) -> None:
        if self._runner is not None and self._runner.running:
            self._runner.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(self.tr("Membatalkan…"))
            self.detail.setText(self.tr("Berhenti setelah bagian yang sedang dikerjakan…"))

    def _on_progress(self, p: Progress) -> None:
        frac = p.fraction
        if frac is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(frac * 1000))
            self.bar.setFormat(f"{frac * 100:.0f}%")
        if p.message and self.cancel_button.isEnabled():
            self.detail.setText(p.message)

    def _tick(self) -> None:
        secs = int(time.monotonic() - self._started)
        self.elapsed.setText(f"{secs // 60}:{secs % 60:02d}")

    def _on_finished(self) -> None:
        self._clock.stop()
        self._runner = None
        self.hide()

    def fraction(self) -> float | None:
        """The shown progress 0..1 (None while indeterminate); used by tests and benches."""
        if self.bar.maximum() == 0:
            return None
        return self.bar.value() / 1000.0
