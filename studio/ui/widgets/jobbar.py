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
        self.chain: tuple[int, int] | None = None
        """(index, total) while "Jalankan semua langkah" runs: one bar over all its steps."""
        self._clock = QTimer(self, interval=500)
        self._clock.timeout.connect(self._tick)
        self.cancel_button.clicked.connect(self.cancel)
        self.hide()

    @property
    def runner(self) -> JobRunner | None:
        return self._runner

    def attach(self, runner: JobRunner) -> None:
        """Show ``runner``'s progress until it finishes."""
        first = self._runner is None or self.chain is None or self.chain[0] == 0
        self._runner = runner
        if first:
            self._started = time.monotonic()
        if self.chain is None:
            self.title.setText(texts.step_label(runner.step))
            self.bar.setRange(0, 0)  # busy until the first report
        else:
            index, total = self.chain
            self.title.setText(self.tr("Semua langkah {i}/{n}: {step}").format(
                i=index + 1, n=total, step=texts.step_label(runner.step)))
            self._show_fraction(index / total)
        self.detail.setText(self.tr("Menyiapkan…"))
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Batalkan (Esc)"))
        runner.progressed.connect(self._on_progress)
        runner.finished.connect(lambda r=runner: self._on_finished(r))
        self._clock.start()
        self._tick()
        self.show()

    def cancel(self) -> None:
        if self._runner is not None and self._runner.running:
            self._runner.cancel()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(self.tr("Membatalkan…"))
            self.detail.setText(self.tr("Berhenti setelah bagian yang sedang dikerjakan…"))

    def set_chain(self, index: int, total: int) -> None:
        """The next job is step ``index`` of ``total`` in one run of every step."""
        self.chain = (index, total)

    def end_chain(self) -> None:
        self.chain = None
        if self._runner is None:
            self.hide()

    def _show_fraction(self, frac: float) -> None:
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(frac * 1000))
        self.bar.setFormat(f"{frac * 100:.0f}%")

    def _on_progress(self, p: Progress) -> None:
        frac = p.fraction
        if self.chain is not None:
            index, total = self.chain
            self._show_fraction((index + (frac or 0.0)) / total)
        elif frac is None:
            self.bar.setRange(0, 0)
        else:
            self._show_fraction(frac)
        if p.message and self.cancel_button.isEnabled():
            self.detail.setText(p.message)

    def _tick(self) -> None:
        secs = int(time.monotonic() - self._started)
        self.elapsed.setText(f"{secs // 60}:{secs % 60:02d}")

    def _on_finished(self, runner: JobRunner | None = None) -> None:
        if runner is not None and runner is not self._runner:
            return  # an earlier job's late signal: the bar shows a newer one
        self._runner = None
        if self.chain is not None:
            return  # the next step of the chain follows; end_chain() hides the bar
        self._clock.stop()
        self.hide()

    def fraction(self) -> float | None:
        """The shown progress 0..1 (None while indeterminate); used by tests and benches."""
        if self.bar.maximum() == 0:
            return None
        return self.bar.value() / 1000.0
