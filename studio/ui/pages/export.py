"""Pratinjau & Ekspor: preview, the rule checklist (each failure links to its fix), export.

The checklist is live (``pipeline.checks.check_project``) until an export finishes;
then it shows the final verdict on the file as probed. Export runs
``pipeline.steps.prepare_export`` off the GUI thread with progress and cancel; the
bundle's folder can be opened and its AI-usage report read in the window (or its PDF
opened in the system's viewer).

Optional Content Credentials (C2PA): the "Tanda tangan" card keeps the paths of the
creator's certificate and key in ``Settings.signing`` (paths only, never key material),
shows ``c2pa_sign.preflight`` inline, and when ticked the export signs the MP4; the
result shows what was read back from the signed file.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from studio.core.settings import Settings
from studio.core.status import render_inputs_hash
from studio.ui import dialogs, i18n, texts
from studio.ui.pages.base import Page, display_name
from studio.ui.session.state import Session
from studio.ui.widgets.common import Card, button, clear_layout, label, set_tone
from studio.ui.widgets.preview import PreviewPanel


class FindingRow(QWidget):
    """One rule: passed or not, the reason, and a button to the step that fixes it."""

    def __init__(self, finding, page: "ExportPage") -> None:  # noqa: ANN001 - core.rules.findings.Finding
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
                     f"{html.escape(finding.detail(lang))}</span>", wrap=True)
        col.addWidget(head)
        if not finding.passed:
            col.addWidget(label(finding.text(lang), tone=tone, wrap=True))
        row.addLayout(col, 1)
        if not finding.passed and finding.step in texts.PAGES and finding.step != "export":
            fix = button(self.tr("Perbaiki di {step}").format(step=texts.step_label(finding.step)), "link")
            fix.clicked.connect(lambda: page.navigate.emit(finding.step))
            row.addWidget(fix, 0, Qt.AlignmentFlag.AlignTop)
        if not finding.passed and finding.rule == "images.placeholder":
            self.models_button = button(self.tr("Unduh model gambar…"), "link", slot=page.open_models)
            row.addWidget(self.models_button, 0, Qt.AlignmentFlag.AlignTop)


PEM_FILTER = "PEM (*.pem *.crt *.cer *.key);;*"
SIGNING_FIELDS = ("certificate", "private_key", "trust_anchors")


def signing_key(settings: Settings) -> Any:
    """A ``c2pa_sign.SigningKey`` from ``settings.signing`` when signing is on, else None."""
    sig = settings.signing
    if not sig.enabled:
        return None
    from studio.pipeline.export.sign import SigningKey

    return SigningKey(certificate=Path(sig.certificate), private_key=Path(sig.private_key),
                      tsa_url=sig.tsa_url, trust_anchors=Path(sig.trust_anchors) if sig.trust_anchors else None)


class SigningCard(Card):
    """Tick to sign the exported MP4 with Content Credentials; the files and their check, inline.

    Once the files can sign, the card folds to one line naming them (the checklist below
    needs the room); "Ubah berkas…" opens the fields again. While the creator is choosing
    files they stay open until the next export or the next visit to the page.
    """

    def __init__(self, page: "ExportPage") -> None:
        super().__init__()
        self.page = page
        self.editing = False
        self.enabled_check = QCheckBox(self.tr("Tanda tangan Content Credentials (opsional)"))
        self.enabled_check.setToolTip(self.tr(
            "Menyematkan kredensial konten C2PA ke MP4: siapa pembuatnya dan bagian mana yang dibuat AI, "
            "ditandatangani dengan sertifikat Anda. Bekerja tanpa internet."))
        self.enabled_check.toggled.connect(self._on_toggled)
        head = QHBoxLayout()
        head.addWidget(self.enabled_check)
        head.addStretch(1)  # only the box and its words are clickable, as a user expects
        self.body.addLayout(head)
        self.fields = QWidget()
        form = QFormLayout(self.fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        titles = {"certificate": self.tr("Sertifikat (PEM)"), "private_key": self.tr("Kunci privat (PEM)"),
                  "trust_anchors": self.tr("CA tepercaya (opsional)")}
        hints = {"certificate": self.tr("Sertifikat Anda lalu sertifikat CA penerbitnya, dalam satu berkas"),
                 "private_key": self.tr("Tetap di tempatnya; tidak pernah disalin ke proyek"),
                 "trust_anchors": self.tr("Sertifikat CA instansi, untuk memeriksa hasil tanda tangan")}
        self.edits: dict[str, QLineEdit] = {}
        self.browse_buttons: dict[str, Any] = {}
        for name in SIGNING_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(hints[name])
            edit.editingFinished.connect(self._save)
            pick = button(self.tr("Pilih…"), slot=lambda n=name: self._browse(n))
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(pick)
            self.edits[name] = edit
            self.browse_buttons[name] = pick
            form.addRow(titles[name], row)
        self.body.addWidget(self.fields)
        self.summary_row = QWidget()
        summary = QHBoxLayout(self.summary_row)
        summary.setContentsMargins(0, 0, 0, 0)
        self.summary = label(role="small", wrap=True)
        self.change_button = button(self.tr("Ubah berkas…"), "link", slot=self.open_fields)
        summary.addWidget(self.summary, 1)
        summary.addWidget(self.change_button)
        self.body.addWidget(self.summary_row)
        self.status = label(role="small", wrap=True)
        self.body.addWidget(self.status)

    def load(self, settings: Settings) -> None:
        """Show ``settings.signing`` (without saving it back)."""
        sig = settings.signing
        self.enabled_check.blockSignals(True)
        self.enabled_check.setChecked(sig.enabled)
        self.enabled_check.blockSignals(False)
        for name, edit in self.edits.items():
            if edit.text() != getattr(sig, name):
                edit.setText(getattr(sig, name))
        self._recheck(settings)

    def problems(self, settings: Settings) -> list:
        """What stops signing with these settings (``[]`` when it can sign or signing is off)."""
        sig = settings.signing
        if not sig.enabled:
            return []
        if not sig.certificate or not sig.private_key:
            from studio.core.errors import Problem

            return [Problem("Choose your certificate and private key files (PEM) to sign.",
                            "Pilih berkas sertifikat dan kunci privat (PEM) untuk menandatangani.")]
        from studio.pipeline.export import sign as c2pa_sign

        return list(c2pa_sign.preflight(signing_key(settings)))

    def open_fields(self) -> None:
        self.editing = True
        self._recheck(self._current())

    def fold(self) -> None:
        """Fold the fields to their one-line summary if the files can sign (after an export, on a visit)."""
        self.editing = False
        self._recheck(self.page.session.settings)

    def _recheck(self, settings: Settings) -> None:
        on = settings.signing.enabled
        problems = self.problems(settings) if on else []
        self.fields.setVisible(on and (self.editing or bool(problems)))
        self.summary_row.setVisible(on and not self.fields.isVisibleTo(self))
        self.status.setVisible(on)
        if not on:
            self.status.setText("")
            return
        sig = settings.signing
        text = self.tr("Sertifikat: {cert} · kunci: {key}").format(cert=Path(sig.certificate).name,
                                                                     key=Path(sig.private_key).name)
        if sig.trust_anchors:
            text += " · " + self.tr("CA: {ca}").format(ca=Path(sig.trust_anchors).name)
        self.summary.setText(text)
        self.summary.setToolTip("\n".join(p for p in (sig.certificate, sig.private_key, sig.trust_anchors) if p))
        lang = i18n.language()
        if problems:
            self.status.setText("✗ " + " ".join(p.text(lang) for p in problems))
            set_tone(self.status, "bad")
        else:
            self.status.setText("✓ " + self.tr("Siap: MP4 hasil ekspor akan ditandatangani."))
            set_tone(self.status, "ok")

    def _current(self) -> Settings:
        settings = self.page.session.settings.model_copy(deep=True)
        settings.signing.enabled = self.enabled_check.isChecked()
        for name, edit in self.edits.items():
            setattr(settings.signing, name, edit.text().strip())
        return settings

    def _save(self) -> None:
        self.editing = True
        settings = self._current()
        if settings.signing != self.page.session.settings.signing:
            # Saved at once, like every machine setting: the paths, never the key itself.
            self.page.session.set_settings(settings)
        self._recheck(settings)

    def _on_toggled(self, _on: bool) -> None:
        self._save()

    def _browse(self, name: str) -> None:
        edit = self.edits[name]
        found = dialogs.choose_file(self, self.tr("Pilih berkas PEM"), PEM_FILTER, edit.text())
        if found is not None:
            edit.setText(str(found))
            self._save()


class ExportPage(Page):
    key = "export"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.intro.setText(self.tr("Periksa video sebelum dikirim. Ekspor menulis MP4, subtitle, "
                                   "gambar mini, dan laporan penggunaan AI dalam satu folder."))
        self.export_button = button(self.tr("Ekspor video"), "primary", slot=self._on_export_clicked)
        self.export_button.setToolTip("Ctrl+E")
        # Why the button is off, beside it (not a dialog after the click).
        self.export_reason = label(role="small", tone="bad", wrap=True)
        self.export_reason.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 48)
        self.export_reason.hide()
        self.head_actions.addWidget(self.export_reason)
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
        self.pdf_button = button(self.tr("Buka laporan PDF"), slot=self._on_open_pdf)
        self.play_button = button(self.tr("Putar video"), slot=self._on_play_video)
        for b in (self.open_folder_button, self.report_button, self.pdf_button, self.play_button):
            rrow.addWidget(b)
        rrow.addStretch(1)
        self.result.body.addLayout(rrow)
        self.result.hide()
        rcol.addWidget(self.result)
        self.signing = SigningCard(self)
        rcol.addWidget(self.signing)
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
        self.signing.load(self.session.settings)
        self._show_result()
        self._show_findings()

    def _final_findings(self) -> list | None:
        """The findings of the last export, if it still matches the project."""
        outcome = self.session.results.get("export")
        last = self.project.last_export
        if outcome is None or last is None or last.inputs_hash != render_inputs_hash(self.project):
            return None
        return list(outcome.findings) + list(outcome.file_findings)

    def export_blockers(self, live: list | None = None) -> list:
        """The live checks that stop an export now (``[]`` when export can run)."""
        from studio.core.rules.findings import blocking

        return blocking(self.session.findings() if live is None else live) if self.session.is_open else []

    def _update_export_button(self, live: list | None = None) -> None:
        blockers = self.export_blockers(live)
        self.export_button.setEnabled(not self.session.busy and not blockers)
        if blockers:
            lang = i18n.language()
            first = blockers[0].label(lang)
            text = (self.tr("Belum bisa diekspor: {label}.").format(label=first) if len(blockers) == 1 else
                    self.tr("Belum bisa diekspor: {label} dan {n} aturan lain.").format(label=first,
                                                                                       n=len(blockers) - 1))
            self.export_reason.setText(text + " " + self.tr("Lihat daftar periksa."))
            self.export_reason.setToolTip("\n".join(f.text(lang) for f in blockers))
        self.export_reason.setVisible(bool(blockers))

    def _show_findings(self) -> None:
        final = self._final_findings()
        live = self.session.findings()
        self._update_export_button(live)
        findings = final if final is not None else live
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
        credentials = self.credentials()
        if credentials:
            text += "\n" + self.credentials_text(credentials)
        self.result_text.setText(text)
        self.report_button.setEnabled((folder / "laporan-ai.html").exists())
        self.pdf_button.setEnabled((folder / "laporan-ai.pdf").exists())
        self.open_folder_button.setEnabled(folder.exists())
        self.play_button.setEnabled((self.session.root / last.video).exists())
        self.result.show()

    def credentials(self) -> dict | None:
        """Content Credentials read back from the last exported MP4 (this session's export, else its report)."""
        outcome = self.session.results.get("export")
        found = getattr(outcome, "credentials", None)
        if found:
            return dict(found)
        folder = self._bundle()
        if folder is None or not (folder / "laporan-ai.json").is_file():
            return None
        import json

        try:
            report = json.loads((folder / "laporan-ai.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        found = report.get("content_credentials") if isinstance(report, dict) else None
        return dict(found) if isinstance(found, dict) else None

    def credentials_text(self, cred: dict) -> str:
        """One line on the signature as read back from the file."""
        state = cred.get("validation_state", "")
        verdict = {"Trusted": self.tr("sah, penerbitnya dipercaya"),
                   "Valid": self.tr("sah (penerbit sertifikat belum terdaftar tepercaya)")}.get(state, state)
        ok = state in ("Trusted", "Valid")
        return ("✓ " if ok else "✗ ") + self.tr(
            "Content Credentials ditandatangani oleh {signer} ({issuer}); diperiksa ulang dari berkas: "
            "{verdict}.").format(signer=cred.get("signer", "?"), issuer=cred.get("issuer", "?"), verdict=verdict)

    # ------------------------------------------------------------------ actions

    def _on_export_clicked(self) -> None:
        self.preview.stop()
        self.session.results.pop("export-blocked", None)
        self.session.run_export(sign=signing_key(self.session.settings))

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
            self.open_notice = dialogs.open_external(self, folder)

    def _on_report(self) -> None:
        folder = self._bundle()
        if folder is not None and (folder / "laporan-ai.html").exists():
            self.report_dialog = dialogs.ReportDialog(self, folder / "laporan-ai.html")
            self.report_dialog.open()

    def _on_open_pdf(self) -> None:
        folder = self._bundle()
        if folder is not None and (folder / "laporan-ai.pdf").exists():
            self.open_notice = dialogs.open_external(self, folder / "laporan-ai.pdf")

    def _on_play_video(self) -> None:
        last = self.project.last_export
        if last is not None:
            self.open_notice = dialogs.open_external(self, self.session.root / last.video)

    def open_models(self):  # noqa: ANN201 - ModelsDialog
        """The model manager, for a creator who wants AI pictures instead of placeholder art."""
        from studio.ui.models_dialog import ModelsDialog

        self.models_dialog = ModelsDialog(self, self.session.settings, on_settings=self.session.set_settings)
        self.models_dialog.open()
        return self.models_dialog

    def main_action(self) -> None:
        """Ctrl+E too: an export that cannot pass is not started; the reason is shown instead."""
        if self.export_blockers():
            self._update_export_button()
            self.status.emit(self.export_reason.text())
            return
        self._on_export_clicked()

    def main_action_label(self) -> str:
        return self.tr("Ekspor video")

    def readiness(self) -> tuple[bool, str]:
        return True, ""

    def busy_changed(self, busy: bool) -> None:
        if busy:
            self.export_button.setEnabled(False)
        else:
            self._update_export_button()
        self.signing.setEnabled(not busy)
        if not busy:
            self.signing.fold()

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.preview.stop()
        self.signing.editing = False  # the next visit shows the folded summary
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
