"""Folder kelas: a trainer opens a folder of participants' projects and runs what is missing in each.

The same ``pipeline.batch.run_batch`` as ``studio batch``, on a ``JobRunner`` off the GUI
thread. Each row (project, status, duration, rule result, output path) updates when
its project moves on: the batch reports a row from its worker threads through a small
relay object, whose signal Qt delivers on the GUI thread. Cancel stops every project at
its next check; finished steps stay saved, so running again continues.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.jobs import JobContext
from studio.ui import dialogs
from studio.ui.jobs import JobRunner
from studio.ui.widgets.common import button, label


class _Relay(QObject):
    """Lives on the GUI thread; emitting from a worker queues the row to it."""

    row = Signal(object)


class BatchDialog(QDialog):
    """The batch table with progress, for one folder of project folders."""

    COLUMNS = 5

    def __init__(self, parent: QWidget | None, settings: Any, folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Folder kelas"))
        self.resize(900, 480)
        self.settings = settings
        self.folder: Path | None = None
        self.runner: JobRunner | None = None
        self.rows: list[Any] = []
        self._relay = _Relay(self)
        self._relay.row.connect(self._on_row)

        body = QVBoxLayout(self)
        top = QHBoxLayout()
        self.folder_label = label(self.tr("Belum ada folder dipilih."), "muted", wrap=True)
        top.addWidget(self.folder_label, 1)
        self.choose_button = button(self.tr("Pilih folder…"), slot=self._on_choose)
        top.addWidget(self.choose_button)
        body.addLayout(top)

        options = QHBoxLayout()
        self.export_check = QCheckBox(self.tr("Ekspor juga video yang lolos aturan"))
        options.addWidget(self.export_check)
        options.addStretch(1)
        options.addWidget(label(self.tr("Proyek bersamaan:")))
        self.jobs_spin = QSpinBox()
        self.jobs_spin.setRange(1, 8)
        options.addWidget(self.jobs_spin)
        body.addLayout(options)

        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("Proyek"), self.tr("Status"), self.tr("Durasi"),
                                              self.tr("Aturan"), self.tr("Hasil")])
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        body.addWidget(self.table, 1)

        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        body.addWidget(self.progress)
        self.summary = label("", "muted", wrap=True)
        body.addWidget(self.summary)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.run_button = button(self.tr("Jalankan yang belum selesai"), "primary", slot=self.start)
        self.cancel_button = button(self.tr("Batalkan"), "danger", slot=self.cancel)
        self.close_button = button(self.tr("Tutup"), slot=self.close)
        for b in (self.run_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        body.addLayout(buttons)
        self.set_folder(folder)

    # ------------------------------------------------------------------ words

    def status_text(self, row: Any) -> str:
        words = {"waiting": self.tr("menunggu"), "running": self.tr("berjalan"), "done": self.tr("selesai"),
                 "up to date": self.tr("sudah lengkap"), "failed": self.tr("gagal"),
                 "cancelled": self.tr("dibatalkan")}
        steps = {"script": self.tr("Naskah"), "images": self.tr("Gambar"), "voice": self.tr("Suara"),
                 "subtitles": self.tr("Subtitle"), "music": self.tr("Musik"), "export": self.tr("Ekspor")}
        text = words.get(row.status, row.status)
        if row.status == "running" and row.step:
            text += f": {steps.get(row.step, row.step)}"
        return text

    def rules_text(self, row: Any) -> str:
        if row.rules == "pass":
            return self.tr("lolos")
        if row.rules.endswith(" blocking"):
            return self.tr("{n} memblokir").replace("{n}", row.rules.split()[0])
        return "–"

    # ------------------------------------------------------------------ folder

    def _on_choose(self) -> None:
        folder = dialogs.choose_folder(self, self.tr("Pilih folder kelas (berisi folder proyek peserta)"))
        if folder is not None:
            self.set_folder(folder)

    def set_folder(self, folder: Path | None) -> None:
        """Show the projects of ``folder`` (each sub-folder holding a project) as waiting rows."""
        from studio.pipeline import batch

        self.folder = Path(folder) if folder is not None else None
        found = batch.find_projects([self.folder]) if self.folder is not None else []
        self.rows = [batch.BatchRow(p) for p in found]
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            self._show(i, row)
        if self.folder is None:
            self.folder_label.setText(self.tr("Belum ada folder dipilih."))
        else:
            self.folder_label.setText(self.tr("{path}: {n} proyek").replace("{path}", str(self.folder))
                                      .replace("{n}", str(len(self.rows))))
        self.progress.setRange(0, max(1, len(self.rows)))
        self.progress.setValue(0)
        self.summary.setText("" if self.rows or self.folder is None else
                             self.tr("Tidak ada folder proyek di sini. Pilih folder yang berisi folder proyek "
                                     "para peserta."))
        self._enable()

    # ------------------------------------------------------------------ run

    @property
    def running(self) -> bool:
        return self.runner is not None and self.runner.running

    def _enable(self) -> None:
        self.run_button.setEnabled(bool(self.rows) and not self.running)
        self.choose_button.setEnabled(not self.running)
        self.cancel_button.setEnabled(self.running)

    def start(self) -> JobRunner | None:
        """Run the batch off the GUI thread; None when there is nothing to run or it already runs."""
        if self.running or not self.rows or self.folder is None:
            return None
        from studio.pipeline import batch

        folder, settings = self.folder, self.settings.model_copy(deep=True)
        export, jobs = self.export_check.isChecked(), self.jobs_spin.value()
        relay = self._relay

        def call(ctx: JobContext) -> list[Any]:
            # A copy per report: the worker keeps changing its row while the GUI shows this one.
            return batch.run_batch([folder], settings, export=export, jobs=jobs, ctx=ctx,
                                   on_change=lambda row: relay.row.emit(dataclasses.replace(row)))

        self.runner = JobRunner(call, "batch", self)
        self.runner.succeeded.connect(self._on_done)
        self.runner.failed.connect(lambda exc: self.summary.setText(str(exc)))
        self.runner.finished.connect(self._enable)
        self.progress.setValue(0)
        self.summary.setText(self.tr("Berjalan…"))
        self.runner.start()
        self._enable()
        return self.runner

    def cancel(self) -> None:
        """Stop every project at its next check (finished steps stay saved)."""
        if self.runner is not None:
            self.runner.cancel()
            self.summary.setText(self.tr("Membatalkan… langkah yang sudah selesai tetap tersimpan."))

    def _index(self, folder: Path) -> int:
        return next((i for i, r in enumerate(self.rows) if r.folder == folder), -1)

    def _on_row(self, row: Any) -> None:
        i = self._index(row.folder)
        if i < 0:
            return
        self.rows[i] = row
        self._show(i, row)
        ended = sum(r.status not in ("waiting", "running") for r in self.rows)
        self.progress.setValue(ended)

    def _on_done(self, rows: list[Any]) -> None:
        for row in rows:
            self._on_row(row)
        failed = sum(r.status == "failed" for r in rows)
        cancelled = sum(r.status == "cancelled" for r in rows)
        text = self.tr("{n} proyek, {failed} gagal.").replace("{n}", str(len(rows))).replace("{failed}",
                                                                                              str(failed))
        if cancelled:
            text += " " + self.tr("Dibatalkan; jalankan lagi untuk melanjutkan.")
        self.summary.setText(text)

    def _show(self, i: int, row: Any) -> None:
        output = row.output or row.error or "–"
        cells = (row.folder.name, self.status_text(row), f"{row.seconds:.0f} s" if row.seconds else "–",
                 self.rules_text(row), output)
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if col == 4 and row.error:
                item.setToolTip(row.error)
            self.table.setItem(i, col, item)

    def cell(self, i: int, col: int) -> str:
        """A cell's text (tests and screenshots read the table through this)."""
        item = self.table.item(i, col)
        return item.text() if item is not None else ""

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        # Closing while it runs cancels: the runner is our child and must not outlive us mid-job.
        if self.running and self.runner is not None:
            self.runner.cancel()
            self.runner.wait(30.0)
        super().closeEvent(event)
