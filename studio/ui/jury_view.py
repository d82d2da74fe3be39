"""Juri: the jury's table in the window (issue 19) — the same check as ``studio check DIR``.

The jury picks a folder of entries; ``pipeline.jury.folder.check_folder`` runs as a job off
the GUI thread (``ui.jobs.JobRunner``, with its cache, so a second look is instant) and
reports ``entries done/total``. The rows fill a QTableView (failures in red); selecting one
shows its reasons, findings and AI report beside the table.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.core.jobs import JobContext
from studio.core.presets import DEFAULT_PRESET
from studio.ui import dialogs
from studio.ui.jobs import JobRunner
from studio.ui.widgets.common import button, label

FAIL_COLOR = QColor("#b3261e")
FAIL_BACKGROUND = QColor("#fdf0ef")
_Index = QModelIndex | QPersistentModelIndex


class JuryModel(QAbstractTableModel):
    """The rows of the jury's table (``pipeline.jury.entries.EntryResult``)."""

    COLUMNS = ("entry", "passed", "failed_rules", "duration_s", "ai_tools", "bundle_integrity",
               "c2pa", "duplicate_of")
    SORT_ROLE = Qt.ItemDataRole.UserRole
    """The raw value a column sorts by: seconds as numbers, not as text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.titles()[section]
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.tr("Kolom CSV: {name}").format(name=self.COLUMNS[section])
        return None

    def states(self, column: str) -> dict[str, str]:
        """The words shown for the CSV's state codes of ``column`` (``bundle_integrity``, ``c2pa``)."""
        if column == "c2pa":
            return {"none": self.tr("tidak ada"), "valid": self.tr("sah"), "invalid": self.tr("tidak sah")}
        return {"ok": self.tr("utuh"), "tampered": self.tr("diubah"), "incomplete": self.tr("tidak lengkap"),
                "none": self.tr("bukan paket")}

    def titles(self) -> tuple[str, ...]:
        """Column titles in the interface's language; the CSV keeps the ids (``COLUMNS``)."""
        return (self.tr("Karya"), self.tr("Lolos"), self.tr("Aturan gagal"), self.tr("Durasi (dtk)"),
                self.tr("Alat AI"), self.tr("Keutuhan paket"), self.tr("C2PA"), self.tr("Duplikat dari"))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and not row.passed:
            return QBrush(FAIL_COLOR)
        if role == Qt.ItemDataRole.BackgroundRole and not row.passed:
            return QBrush(FAIL_BACKGROUND)
        if role == Qt.ItemDataRole.ToolTipRole and not row.passed:
            from studio.pipeline.jury.table import reason

            return reason(row) or None
        value = getattr(row, self.COLUMNS[index.column()])
        if role == self.SORT_ROLE:
            if isinstance(value, list):
                return ";".join(value)
            return -1.0 if value is None else value  # unreadable entries (no duration) sort first
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if isinstance(value, bool):
            return self.tr("ya") if value else self.tr("tidak")
        if self.COLUMNS[index.column()] in ("bundle_integrity", "c2pa"):
            return self.states(self.COLUMNS[index.column()]).get(str(value), str(value))
        if isinstance(value, list):
            return "; ".join(value)
        if isinstance(value, float):
            return f"{value:.2f}"
        return "" if value is None else str(value)


class JuryDialog(QDialog):
    """Pick a folder of entries, check them as a job, read the table and each entry's details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Juri: tabel karya lomba"))
        self.resize(1100, 640)
        self.folder: Path | None = None
        self.runner: JobRunner | None = None
        col = QVBoxLayout(self)
        top = QHBoxLayout()
        self.preset_combo = QComboBox()
        self._fill_presets()
        self.open_button = button(self.tr("Pilih folder karya…"), "primary", slot=self._on_choose)
        top.addWidget(label(self.tr("Aturan lomba")))
        top.addWidget(self.preset_combo, 1)
        top.addWidget(self.open_button)
        self.cancel_button = button(self.tr("Batal"), slot=self._on_cancel)
        self.cancel_button.setToolTip(self.tr("Hentikan pemeriksaan; karya yang sudah diperiksa "
                                              "tidak diperiksa ulang lain kali."))
        self.cancel_button.hide()
        top.addWidget(self.cancel_button)
        col.addLayout(top)
        self.progress = QProgressBar()
        self.progress.setFormat(self.tr("%v dari %m karya"))
        self.progress.hide()
        col.addWidget(self.progress)
        self.summary = label(role="muted", wrap=True)
        col.addWidget(self.summary)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = JuryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(JuryModel.SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # path order until a header is clicked
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.details = QTextBrowser()
        self.details.setPlaceholderText(self.tr("Pilih satu karya untuk melihat temuan dan laporannya."))
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        col.addWidget(split, 1)

    def _fill_presets(self) -> None:
        from studio.core.errors import StudioError
        from studio.core.presets import competition_presets

        try:
            presets = competition_presets()
        except StudioError:
            presets = {}
        for p in sorted(presets.values(), key=lambda p: (p.id != DEFAULT_PRESET, p.name)):
            self.preset_combo.addItem(p.name, p.id)
        if not presets:
            self.preset_combo.addItem("free", "free")

    def _on_choose(self) -> None:
        folder = dialogs.choose_folder(self, self.tr("Pilih folder karya lomba"))
        if folder is not None:
            self.start(folder)

    def start(self, folder: Path, preset: str | None = None) -> JobRunner:
        """Check every entry under ``folder`` off the GUI thread; the table fills when done."""
        from studio.pipeline.jury.folder import check_folder

        self.folder = Path(folder)
        chosen = preset or str(self.preset_combo.currentData() or "free")

        def call(ctx: JobContext) -> list[Any]:
            def progress(done: int, total: int, name: str) -> None:
                ctx.check()
                ctx.progress(done, total, name)

            return check_folder(self.folder or Path(folder), chosen, jobs=1, progress=progress)

        self.open_button.setEnabled(False)
        self.cancel_button.show()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.summary.setText(self.tr("Memeriksa {folder}…").format(folder=self.folder.name))
        runner = JobRunner(call, "jury", self)
        runner.progressed.connect(self._on_progress)
        runner.succeeded.connect(self._on_done)
        runner.failed.connect(self._on_failed)
        runner.cancelled.connect(self._on_cancelled)
        runner.finished.connect(self._on_finished)
        self.runner = runner
        runner.start()
        return runner

    def _on_progress(self, p: Any) -> None:
        if p.total:
            self.progress.setRange(0, int(p.total))
            self.progress.setValue(int(p.done))

    def _on_done(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        failed = sum(not r.passed for r in rows)
        self.summary.setText(self.tr("{n} karya, {failed} tidak lolos.").format(n=len(rows), failed=failed))
        if rows:
            self.table.selectRow(0)

    def _on_failed(self, exc: BaseException) -> None:
        self.summary.setText(dialogs.error_message(exc))

    def _on_cancel(self) -> None:
        if self.runner is not None and self.runner.running:
            self.cancel_button.setEnabled(False)
            self.summary.setText(self.tr("Menghentikan setelah karya yang sedang diperiksa…"))
            self.runner.cancel()

    def _on_cancelled(self, _why: Any = None) -> None:
        self.summary.setText(self.tr("Dibatalkan. Karya yang sudah diperiksa disimpan; "
                                     "buka folder ini lagi untuk melanjutkan."))

    def _on_finished(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.cancel_button.setEnabled(True)
        self.open_button.setEnabled(True)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if self.runner is not None and self.runner.running:
            self.runner.cancel()
            self.runner.wait(10.0)
        super().closeEvent(event)

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        source = self.proxy.mapToSource(current)
        if not source.isValid() or source.row() >= len(self.model.rows):
            self.details.clear()
            return
        self.details.setHtml(self.details_html(self.model.rows[source.row()]))

    def details_html(self, r: Any) -> str:
        """One entry's verdict, reasons, failed findings and AI report as rich text."""
        from studio.pipeline.jury.table import reason

        e = html.escape
        findings_title = self.tr("Temuan")
        report_title = self.tr("Laporan AI")
        no_report = self.tr("Tidak ada laporan AI.")
        verdict = self.tr("Lolos") if r.passed else self.tr("Tidak lolos")
        color = "#1b7a3d" if r.passed else FAIL_COLOR.name()
        parts = [f"<h3>{e(r.entry)}</h3><p style='color:{color}'><b>{e(verdict)}</b></p>"]
        why = reason(r)
        if why:
            parts.append(f"<p>{e(why)}</p>")
        failing = [f for f in r.findings if not f.get("passed", True)]
        if failing:
            parts.append(f"<h4>{e(findings_title)}</h4><ul>")
            parts += [f"<li><b>{e(str(f.get('rule')))}</b>: {e(str(f.get('message_id') or f.get('message_en')))}</li>"
                      for f in failing]
            parts.append("</ul>")
        parts.append(f"<h4>{e(report_title)}</h4>")
        if r.report:
            parts.append(f"<pre>{e(json.dumps(r.report, ensure_ascii=False, indent=2))}</pre>")
        else:
            parts.append(f"<p>{e(no_report)}</p>")
        return "".join(parts)
