"""Subtitle: transcribe, then edit the cues in a table synced to the preview.

Clicking a cue seeks the preview to it (the frame shows the burned-in caption as it
will be exported); while the draft plays, the current cue is highlighted. Cue text
shows a line break as " | ". Split, merge, shift and find-and-replace call
``pipeline.subtitles.edit``; reading-rule problems (``pipeline.subtitles.step.check_cues``)
are listed under the table. Import and export SRT/VTT go through
``pipeline.subtitles.files``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QHeaderView,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError, TimeEntryError
from studio.core.project import Cue
from studio.ui import dialogs, style, texts
from studio.ui.pages.base import Page
from studio.ui.session.state import Session
from studio.ui.widgets.common import button, label
from studio.ui.widgets.preview import PreviewPanel

log = logging.getLogger(__name__)

LINE_BREAK = " | "


class SubtitlesPage(Page):
    key = "subtitles"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.intro.setText(self.tr("Whisper mendengarkan suara tiap adegan untuk menepatkan waktu "
                                   "subtitle; teksnya diambil dari naskah. Klik baris untuk melihatnya "
                                   "di pratinjau."))
        self.transcribe_button = button(self.tr("Buat subtitle"), "primary", slot=self._on_transcribe_clicked)
        self.transcribe_button.setToolTip(self.tr("Transkripsi dengan Whisper (Ctrl+Enter)"))
        self.head_actions.addWidget(self.transcribe_button)

        tools = QHBoxLayout()
        tools.addWidget(label(self.tr("Gaya"), "muted"))
        self.style_combo = QComboBox()
        for key, text in texts.caption_style_items():
            self.style_combo.addItem(text, key)
        self.style_combo.currentIndexChanged.connect(self._on_style_changed)
        tools.addWidget(self.style_combo)
        # Bilingual projects only: the narration's own line small above the subtitle language, or not.
        self.lines_combo = QComboBox()
        self.lines_combo.addItem(self.tr("Dua baris (narasi + terjemahan)"), "both")
        self.lines_combo.addItem(self.tr("Terjemahan saja"), "translation")
        self.lines_combo.currentIndexChanged.connect(self._on_lines_changed)
        self.lines_combo.hide()  # shown by refresh() for a bilingual project only
        for combo in (self.style_combo, self.lines_combo):
            # Narrow screens (1024 px): the box may be narrower than its longest choice.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(18)
        tools.addWidget(self.lines_combo)
        self.burn_check = QCheckBox(self.tr("Tampilkan di video"))
        self.burn_check.toggled.connect(self._on_burn_toggled)
        tools.addWidget(self.burn_check)
        tools.addStretch(1)
        self.import_button = button(self.tr("Impor SRT/VTT…"), slot=self._on_import_clicked)
        self.export_button = button(self.tr("Ekspor SRT/VTT…"), slot=self._on_export_clicked)
        tools.addWidget(self.import_button)
        tools.addWidget(self.export_button)
        self.body.addLayout(tools)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        lcol = QVBoxLayout(left)
        lcol.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Mulai"), self.tr("Selesai"), self.tr("Teks")])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.currentCellChanged.connect(self._on_current_cell)
        lcol.addWidget(self.table, 1)
        edits = QHBoxLayout()
        self.split_button = button(self.tr("Pisah"), slot=self._on_split,
                                   tip=self.tr("Pisah subtitle terpilih menjadi dua"))
        self.merge_button = button(self.tr("Gabung"), slot=self._on_merge,
                                   tip=self.tr("Gabung subtitle terpilih dengan berikutnya"))
        edits.addWidget(self.split_button)
        edits.addWidget(self.merge_button)
        edits.addSpacing(12)
        self.shift_spin = QDoubleSpinBox()
        self.shift_spin.setRange(-10.0, 10.0)
        self.shift_spin.setSingleStep(0.1)
        self.shift_spin.setDecimals(2)
        self.shift_spin.setSuffix(self.tr(" dtk"))
        edits.addWidget(self.shift_spin)
        self.shift_button = button(self.tr("Geser semua"), slot=self._on_shift,
                                   tip=self.tr("Majukan (−) atau mundurkan (+) semua subtitle"))
        edits.addWidget(self.shift_button)
        edits.addStretch(1)
        # Find and replace fold away (in presentation mode they start folded): the table's rows
        # need the height more.
        self.find_toggle = button(self.tr("Cari && ganti"), slot=self._toggle_find)
        self.find_toggle.setCheckable(True)
        edits.addWidget(self.find_toggle)
        big = style.presentation_mode()
        if not big:
            lcol.addLayout(edits)  # in presentation mode the row spans the page, under both panes
        self.find_row = QWidget()
        find = QHBoxLayout(self.find_row)
        find.setContentsMargins(0, 0, 0, 0)
        self.find_edit = QLineEdit()
        self.find_edit.setPlaceholderText(self.tr("Cari kata"))
        self.replace_edit = QLineEdit()
        self.replace_edit.setPlaceholderText(self.tr("Ganti dengan"))
        self.replace_button = button(self.tr("Ganti semua"), slot=self._on_replace)
        find.addWidget(self.find_edit, 1)
        find.addWidget(self.replace_edit, 1)
        find.addWidget(self.replace_button)
        lcol.addWidget(self.find_row)
        self.hint = label(self.tr("Klik dua kali untuk mengubah. Waktu dalam menit:detik; “ | ” "
                                  "memisahkan dua baris."), "small", wrap=True)
        lcol.addWidget(self.hint)
        self.table.setToolTip(self.hint.text())
        self.find_toggle.setChecked(not big)
        self.find_row.setVisible(not big)
        self.hint.setVisible(not big)  # in presentation mode it is the table's tooltip
        if big:
            # One line a cue, rows no taller than the text: many rows on a projector.
            self.table.setWordWrap(False)
            rows = self.table.verticalHeader()
            rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
            # The page's introduction is for learning it; on a projector the rows need the room.
            self.title.setToolTip(self.intro.text())
            self.intro.hide()
        self.quality = label(role="small", tone="warn", wrap=not big)
        """Reading-rule problems; on a projector one line, the whole list in its tooltip."""
        lcol.addWidget(self.quality)
        split.addWidget(left)
        self.preview = PreviewPanel(session)
        self.preview.positionChanged.connect(self._on_preview_position)
        split.addWidget(self.preview)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.body.addWidget(split, 1)
        if big:
            self.body.addLayout(edits)
        self._filling = False
        self._syncing = False

    # ------------------------------------------------------------------ view

    def refresh(self, area: str = "all") -> None:
        if not self.session.is_open:
            return
        subs = self.project.subtitles
        self.style_combo.blockSignals(True)
        self.style_combo.setCurrentIndex(max(0, self.style_combo.findData(subs.style)))
        self.style_combo.blockSignals(False)
        self.lines_combo.blockSignals(True)
        self.lines_combo.setCurrentIndex(max(0, self.lines_combo.findData(subs.lines)))
        self.lines_combo.setVisible(self.project.brief.bilingual)
        self.lines_combo.blockSignals(False)
        self.burn_check.blockSignals(True)
        self.burn_check.setChecked(subs.burn_in)
        self.burn_check.blockSignals(False)
        if area != "cue":
            self._fill_table()
        self.export_button.setEnabled(bool(subs.cues))
        self._show_quality()
        self.preview.reload()
        self.show_state_banner()

    def _fill_table(self) -> None:
        self._filling = True
        cues = self.project.subtitles.cues
        self.table.setRowCount(len(cues))
        for i, cue in enumerate(cues):
            for col, text in enumerate((texts.clock(cue.start), texts.clock(cue.end),
                                        cue.text.replace("\n", LINE_BREAK))):
                item = QTableWidgetItem(text)
                if col < 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, col, item)
        if self.table.wordWrap():  # wrapped rows grow with their text; F11's one-line rows stay fixed
            self.table.resizeRowsToContents()
        self._filling = False

    def _show_quality(self) -> None:
        outcome = self.session.results.get("subtitles")
        lines: list[str] = []
        agreement = getattr(outcome, "agreement", {}) or {}
        for scene_id, score in agreement.items():
            try:
                n = self.project.scene_index(scene_id) + 1
            except KeyError:
                continue
            if score < 0.5:
                lines.append(self.tr("Adegan {n}: Whisper mengenali {pct}% kata naskah. Dengarkan suaranya; "
                                     "bila pelafalannya sudah benar, abaikan pesan ini.").format(
                                         n=n, pct=int(round(score * 100))))
        lines += list(getattr(outcome, "warnings", []) or [])
        from studio.pipeline.subtitles.step import check_cues

        hard = [p for p in check_cues(self.project) if p.hard]
        if hard:
            lines.append(self.tr("Aturan baca dilanggar di {n} tempat: {first}").format(
                n=len(hard), first="; ".join(p.text("id") for p in hard[:3])))
        self.quality.setText("\n".join(lines) if self.quality.wordWrap() else " · ".join(
            line.split(":")[0] for line in lines))
        self.quality.setToolTip("\n".join(lines))
        self.quality.setVisible(bool(lines))

    def _toggle_find(self) -> None:
        self.find_row.setVisible(self.find_toggle.isChecked())
        if self.find_toggle.isChecked():
            self.find_edit.setFocus()

    # ------------------------------------------------------------------ sync with the preview

    def _on_current_cell(self, row: int, _col: int, _prow: int, _pcol: int) -> None:
        if self._syncing or not self.session.is_open:
            return
        cues = self.project.subtitles.cues
        if 0 <= row < len(cues):
            # A hair after the start so the cue is surely on screen in the frame.
            self.preview.seek(cues[row].start + 0.05)

    def _on_preview_position(self, t: float) -> None:
        if not self.session.is_open:
            return
        cues = self.project.subtitles.cues
        row = next((i for i, c in enumerate(cues) if c.start <= t < c.end), -1)
        if row >= 0 and row != self.table.currentRow():
            self._syncing = True
            self.table.setCurrentCell(row, self.table.currentColumn() if self.table.currentColumn() >= 0 else 2)
            self.table.scrollToItem(self.table.item(row, 0))
            self._syncing = False

    # ------------------------------------------------------------------ edits

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or not self.session.is_open:
            return
        row, col = item.row(), item.column()
        cues = self.project.subtitles.cues
        if not 0 <= row < len(cues):
            return
        cue = cues[row]
        try:
            start, end, text = cue.start, cue.end, cue.text
            try:
                if col == 0:
                    start = texts.parse_clock(item.text())
                elif col == 1:
                    end = texts.parse_clock(item.text())
            except TimeEntryError:
                start = end = -1.0
            else:
                if col >= 2:
                    text = "\n".join(part.strip() for part in item.text().split("|") if part.strip())
            if end <= start or start < 0:
                raise TimeEntryError(
                    "Invalid time: write it like 0:05,20 and make sure the end comes after the start.",
                    "Waktu tidak sah: tulis seperti 0:05,20 dan pastikan selesai sesudah mulai.")
            if col < 2:
                # Retimed: the words inside follow; a cue may not run over its neighbours.
                from studio.pipeline.subtitles.edit import retime_cue

                new_cues = retime_cue(cues, row, start=start, end=end)
            else:
                new_cues = list(cues)
                new_cues[row] = Cue(start=start, end=end, text=text, scene_id=cue.scene_id,
                                    words=[] if text != cue.text else cue.words)
        except StudioError as exc:
            self.banner.show_message(exc.text("id"), "warn")
            self._fill_table()
            return
        self.banner.hide()
        self.project.subtitles.cues = new_cues
        self.project.subtitles.source = "edited"
        self.session.touch("cue", human=("subtitles", None), note="Creator edited subtitle cues.")
        self.preview.reload()

    def _on_style_changed(self) -> None:
        if self.session.is_open:
            subs = self.project.subtitles
            subs.style = self.style_combo.currentData()
            if subs.cues and subs.source not in ("edited", "imported"):
                # Made by the step: cue the same words again for this style's line length.
                from studio.pipeline.subtitles.edit import reflow
                from studio.pipeline.subtitles.rules import rules_for_style

                from studio.pipeline.subtitles.bilingual import attach_translations

                subs.cues = attach_translations(self.project, reflow(subs.cues, rules_for_style(subs.style)))
            self.session.touch("cue")
            self._fill_table()
            self._show_quality()
            self.preview.reload()

    # ------------------------------------------------------------------ cue tools

    def _selected(self) -> int:
        row = self.table.currentRow()
        return row if 0 <= row < len(self.project.subtitles.cues) else -1

    def _edit(self, change, note: str, select: int = -1) -> None:  # noqa: ANN001 - a callable on cues
        """Run one ``subtitle_edit`` operation on the cues and keep the result."""
        from studio.pipeline.subtitles.rules import rules_for_style

        if not self.session.is_open or not self.project.subtitles.cues:
            return
        try:
            cues = change(list(self.project.subtitles.cues), rules_for_style(self.project.subtitles.style))
        except StudioError as exc:
            self.banner.show_message(exc.text("id"), "warn")
            return
        self.banner.hide()
        self.project.subtitles.cues = cues
        self.project.subtitles.source = "edited"
        self.session.touch("cue", human=("subtitles", None), note=note)
        self._fill_table()
        if 0 <= select < len(cues):
            self.table.setCurrentCell(select, 2)
        self._show_quality()
        self.preview.reload()

    def _on_split(self) -> None:
        from studio.pipeline.subtitles.edit import split_cue

        row = self._selected()
        if row < 0:
            self.banner.show_message(self.tr("Pilih dulu subtitle yang akan dipisah."), "warn")
            return
        self._edit(lambda cues, rules: split_cue(cues, row, rules=rules), "Creator split a subtitle cue.", row)

    def _on_merge(self) -> None:
        from studio.pipeline.subtitles.edit import merge_cues

        row = self._selected()
        if row < 0:
            self.banner.show_message(self.tr("Pilih dulu subtitle yang akan digabung."), "warn")
            return
        self._edit(lambda cues, rules: merge_cues(cues, row, rules=rules), "Creator merged subtitle cues.", row)

    def _on_shift(self) -> None:
        from studio.pipeline.subtitles.edit import shift_cues

        delta = round(self.shift_spin.value(), 3)
        if delta:
            self._edit(lambda cues, _rules: shift_cues(cues, delta),
                       f"Creator shifted all subtitle cues by {delta:+.2f} s.", self._selected())

    def _on_replace(self) -> None:
        from studio.pipeline.subtitles.edit import find_replace

        find, new = self.find_edit.text().strip(), self.replace_edit.text()
        if not find:
            return
        found: list[int] = []

        def change(cues, _rules):  # noqa: ANN001, ANN202
            out, n = find_replace(cues, find, new)
            found.append(n)
            return out

        self._edit(change, f"Creator replaced '{find}' with '{new}' in the subtitles.")
        if found:
            self.status.emit(self.tr("{n} kata diganti.").format(n=found[0]))

    def _on_lines_changed(self) -> None:
        if self.session.is_open:
            self.project.subtitles.lines = self.lines_combo.currentData()
            self.session.touch("cue")
            self.preview.reload()

    def _on_burn_toggled(self, on: bool) -> None:
        if self.session.is_open:
            self.project.subtitles.burn_in = on
            self.session.touch("cue")
            self.preview.reload()

    def _on_import_clicked(self) -> None:
        src = dialogs.choose_file(self, self.tr("Pilih berkas subtitle"), dialogs.SRT_FILTER)
        if src is None:
            return
        from studio.pipeline.subtitles import files as subtitle_io
        from studio.pipeline.provenance import log_human

        try:
            cues = subtitle_io.read_subtitles(src)
        except StudioError as exc:
            self.failed.emit(exc, self.tr("Subtitle tidak bisa diimpor"))
            return
        from studio.ui.import_checks import decoded_as_cp1252

        self.project.subtitles.cues = cues
        self.project.subtitles.source = "imported"
        try:
            log_human(self.session.root, "subtitles", "import", note=f"Creator imported {src.name}.")
        except OSError as exc:  # a read-only folder: the save below says so in Indonesian
            log.warning("could not log the subtitle import: %s", exc)
        self.session.touch("subtitles")
        self.session.save()
        self.refresh("subtitles")
        if decoded_as_cp1252(src):
            # Old Windows tools save subtitles as cp1252: read as such (é, ñ survive), but say
            # so, because a file in another code page would show wrong letters.
            self.banner.show_message(self.tr(
                "{name} bukan teks UTF-8; dibaca sebagai Windows-1252. Periksa huruf beraksen "
                "(mis. é) di tabel; jika ada yang salah, simpan berkasnya sebagai UTF-8 lalu impor "
                "lagi.").format(name=src.name), "warn")

    def _on_export_clicked(self) -> None:
        from studio.pipeline.subtitles import files as subtitle_io
        from studio.core.paths import slugify

        suggested = str(self.session.root / "subtitles" / f"{slugify(self.project.brief.title)}.srt")
        dest = dialogs.choose_save(self, self.tr("Simpan subtitle"), dialogs.SRT_FILTER, suggested)
        if dest is None:
            return
        try:
            subtitle_io.write_subtitles(self.project.subtitles.cues, dest)
        except (StudioError, OSError) as exc:
            self.failed.emit(exc, self.tr("Subtitle tidak bisa disimpan"))
            return
        self.status.emit(self.tr("Subtitle disimpan: {path}").format(path=dest))

    # ------------------------------------------------------------------ run

    def _on_transcribe_clicked(self) -> None:
        if self.project is not None and self.project.subtitles.source in ("edited", "imported") \
                and self.project.subtitles.cues:
            if not dialogs.confirm(self, self.tr("Ganti subtitle?"),
                                   self.tr("Subtitle baru akan menggantikan suntingan Anda. Lanjutkan?"),
                                   self.tr("Ganti subtitle")):
                return
        self.session.run_step("subtitles")

    def main_action(self) -> None:
        self._on_transcribe_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat subtitle")

    def busy_changed(self, busy: bool) -> None:
        for b in (self.transcribe_button, self.import_button, self.split_button, self.merge_button,
                  self.shift_button, self.replace_button):
            b.setEnabled(not busy)

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.preview.stop()
        super().hideEvent(event)
