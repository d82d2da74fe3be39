"""Pratinjau & Ekspor: preview, the rule checklist (each failure links to its fix), export.

The checklist is live (``pipeline.checks.check_project``) until an export finishes;
then it shows the final verdict on the file as probed. Export runs
``pipeline.steps.prepare_export`` off the GUI thread with progress and cancel; the
bundle's folder can be opened and its AI-usage report read in the window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QSplitter, QVBoxLayout, QWidget

from studio.core.status import render_inputs_hash
from studio.ui import dialogs, i18n, texts
from studio.ui.pages.base import Page, display_name
from studio.ui.widgets.common import Card, button, clear_layout, label
from studio.ui.widgets.preview import PreviewPanel


class FindingRow(QWidget):
    """One rule: passed or not, the reason, and a button to the step that fixes it."""

    def __init__(self, finding, page: "ExportPage") -> None:  # noqa: ANN001 - core.rules.Finding
        super().__init__()
        self.finding = finding
        lang = i18n.language()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 4, 0, 4)
        if finding.passed:
            icon, tone = "✓", "ok"
        elif finding.severity == "block":
            icon, tone = "✗", "bad"
        else:
            icon, tone = "⚠", "warn"
        mark = label(icon, tone=tone)
        mark.setFixedWidth(self.fontMetrics().horizontalAdvance("MM"))
        mark.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        row.addWidget(mark)
        col = QVBoxLayout()
        col.setSpacing(1)
        head = label(f"<b>{finding.label(lang)}</b> &nbsp; <span style='color:#525c69'>"
                     f"{finding.measured} · {finding.limit}</span>", wrap=True)
        col.addWidget(head)
        if not finding.passed:
            col.addWidget(label(finding.text(lang), tone=tone, wrap=True))
        row.addLayout(col, 1)
        if not finding.passed and finding.step in texts.PAGES and finding.step != "export":
            fix = button(self.tr("Perbaiki di {step}").format(step=texts.step_label(finding.step)), "link")
            fix.clicked.connect(lambda: page.navigate.emit(finding.step))
            row.addWidget(fix, 0, Qt.AlignmentFlag.AlignTop)


class ExportPage(Page):
    key = "export"

    def __init__(self, session, window) -> None:  # noqa: ANN001
        super().__init__(session, window)
        self.intro.setText(self.tr("Periksa video sebelum dikirim. Ekspor menulis MP4, subtitle, "
                                   "gambar mini, dan laporan penggunaan AI dalam satu folder."))
        self.export_button = button(self.tr("Ekspor video"), "primary", slot=self._on_export_clicked)
        self.export_button.setToolTip("Ctrl+E")
        self.head_actions.addWidget(self.export_button)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.preview = PreviewPanel(session)
        split.addWidget(self.preview)
        right = QWidget()
        rcol = QVBoxLayout(right)
        rcol.setContentsMargins(8, 0, 0, 0)
        self.size_label = label(role="muted", wrap=True)
        rcol.addWidget(self.size_label)
        self.result = Card()
        self.result_text = label(wrap=True, selectable=True)
        self.result.body.addWidget(self.result_text)
        rrow = QHBoxLayout()
        self.open_folder_button = button(self.tr("Buka folder"), slot=self._on_open_folder)
        self.report_button = button(self.tr("Lihat laporan AI"), slot=self._on_report)
        self.play_button = button(self.tr("Putar video"), slot=self._on_play_video)
        for b in (self.open_folder_button, self.report_button, self.play_button):
            rrow.addWidget(b)
        rrow.addStretch(1)
        self.result.body.addLayout(rrow)
        self.result.hide()
        rcol.addWidget(self.result)
        self.checks_title = label(self.tr("Daftar periksa aturan"), "h2")
        rcol.addWidget(self.checks_title)
        self.checks_scroll = QScrollArea()
        self.checks_scroll.setWidgetResizable(True)
        self.checks_host = QWidget()
        self.checks = QVBoxLayout(self.checks_host)
        self.checks.setSpacing(2)
        self.checks_scroll.setWidget(self.checks_host)
        rcol.addWidget(self.checks_scroll, 1)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.body.addWidget(split, 1)
        self.rows: list[FindingRow] = []

    # ------------------------------------------------------------------ view

    def refresh(self, area: str = "all") -> None:
        if not self.session.is_open:
            return
        r = self.project.render
        self.size_label.setText(self.tr("Video {w}×{h}, {fps} fps · preset: {preset}").format(
            w=r.width, h=r.height, fps=r.fps, preset=display_name(self.session.preset())))
        self.preview.reload()
        self._show_result()
        self._show_findings()

    def _final_findings(self) -> list | None:
        """The findings of the last export, if it still matches the project."""
        outcome = self.session.results.get("export")
        last = self.project.last_export
        if outcome is None or last is None or last.inputs_hash != render_inputs_hash(self.project):
            return None
        return list(outcome.findings) + list(outcome.file_findings)

    def _show_findings(self) -> None:
        final = self._final_findings()
        findings = final if final is not None else self.session.findings()
        blocked = self.session.results.get("export-blocked")
        if final is None and blocked:
            # Findings the export itself refused on (the file as probed) stay visible.
            findings = [*blocked, *[f for f in findings if f.rule not in {b.rule for b in blocked}]]
        self.checks_title.setText(self.tr("Hasil pemeriksaan berkas video") if final is not None
                                  else self.tr("Daftar periksa aturan"))
        clear_layout(self.checks)
        self.rows = []
        order = {"block": 0, "warn": 1}
        findings = sorted(findings, key=lambda f: (f.passed, order.get(f.severity, 2)))
        for f in _dedupe(findings):
            row = FindingRow(f, self)
            self.rows.append(row)
            self.checks.addWidget(row)
        if not self.rows:
            self.checks.addWidget(label(self.tr("Pemeriksaan aturan belum tersedia."), "muted"))
        self.checks.addStretch(1)

    def _show_result(self) -> None:
        last = self.project.last_export
        if last is None:
            self.result.hide()
            return
        folder = self.session.root / last.folder
        fresh = last.inputs_hash == render_inputs_hash(self.project)
        text = self.tr("Video terakhir: {path}").format(path=self.session.root / last.video)
        if fresh and last.passed:
            text = "✓ " + self.tr("Video siap dikirim.") + "\n" + text
        if not fresh:
            text += "\n" + self.tr("⟳ Proyek sudah berubah sejak ekspor ini; ekspor lagi untuk memperbarui.")
        elif not last.passed:
            text += "\n" + self.tr("Ada aturan yang belum terpenuhi.")
        self.result_text.setText(text)
        self.report_button.setEnabled((folder / "laporan-ai.html").exists())
        self.open_folder_button.setEnabled(folder.exists())
        self.play_button.setEnabled((self.session.root / last.video).exists())
        self.result.show()

    # ------------------------------------------------------------------ actions

    def _on_export_clicked(self) -> None:
        self.preview.stop()
        self.session.results.pop("export-blocked", None)
        self.session.run_export()

    def export_blocked(self, findings: list) -> None:  # noqa: ANN001
        """Called by the window when export refused: show why in the checklist."""
        self.session.results["export-blocked"] = list(findings)
        self._show_findings()

    def _bundle(self) -> Path | None:
        last = self.project.last_export if self.session.is_open else None
        return (self.session.root / last.folder) if last else None

    def _on_open_folder(self) -> None:
        folder = self._bundle()
        if folder is not None:
            dialogs.open_folder(folder)

    def _on_report(self) -> None:
        folder = self._bundle()
        if folder is not None and (folder / "laporan-ai.html").exists():
            self.report_dialog = dialogs.ReportDialog(self.window_, folder / "laporan-ai.html")
            self.report_dialog.open()

    def _on_play_video(self) -> None:
        last = self.project.last_export
        if last is not None:
            dialogs.open_folder(self.session.root / last.video)

    def main_action(self) -> None:
        self._on_export_clicked()

    def main_action_label(self) -> str:
        return self.tr("Ekspor video")

    def readiness(self) -> tuple[bool, str]:
        return True, ""

    def busy_changed(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.preview.stop()
        super().hideEvent(event)


def _dedupe(findings: list) -> list:
    seen: set[str] = set()
    out = []
    for f in findings:
        if f.rule in seen:
            continue
        seen.add(f.rule)
        out.append(f)
    return out
