"""Musik: the generated gamelan bed, the creator's own file (licence required), or none."""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.ui import dialogs, i18n
from studio.ui.pages.base import Page
from studio.ui.session.state import Session
from studio.ui.widgets.common import button, label, set_tone
from studio.ui.widgets.media import Player


class MusicPage(Page):
    key = "music"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.intro.setText(self.tr("Musik latar diredam otomatis saat narasi berbicara, dan suara "
                                   "keseluruhan disetarakan ke standar platform (−14 LUFS)."))
        self.player = Player(self)
        self.player.notice.connect(self.status.emit)  # no sound device, an unplayable file
        self._own_file: Path | None = None
        self._own_root: Path | None = None
        self._loading = False
        self._last_source = ""
        self._importing = False
        body = self.scroll_body()

        choice = QGroupBox(self.tr("Sumber musik"))
        col = QVBoxLayout(choice)
        self.generated_radio = QRadioButton(self.tr("Gamelan buatan Studio Lokal (tanpa AI, bebas royalti)"))
        self.own_radio = QRadioButton(self.tr("Musik saya sendiri (berkas, wajib dengan lisensi)"))
        self.none_radio = QRadioButton(self.tr("Tanpa musik"))
        self.group = QButtonGroup(self)
        for i, r in enumerate((self.generated_radio, self.own_radio, self.none_radio)):
            self.group.addButton(r, i)
            # Only the dot and its words are clickable; size the button to them.
            r.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            col.addWidget(r)
        self.group.idToggled.connect(self._on_source_toggled)
        body.addWidget(choice)

        row = QHBoxLayout()
        self.gen_box = QGroupBox(self.tr("Gamelan"))
        gform = QFormLayout(self.gen_box)
        self.scale_combo = QComboBox()
        self.scale_combo.addItem(self.tr("Slendro (lima nada, cerah)"), "slendro")
        self.scale_combo.addItem(self.tr("Pelog (tujuh nada, khidmat)"), "pelog")
        self.tempo_spin = QSpinBox()
        self.tempo_spin.setRange(40, 120)
        self.tempo_spin.setSuffix(" BPM")
        gform.addRow(self.tr("Laras"), self.scale_combo)
        gform.addRow(self.tr("Tempo"), self.tempo_spin)
        gbuttons = QHBoxLayout()
        self.generate_button = button(self.tr("Buat musik"), "primary", slot=self._on_generate_clicked)
        self.variation_button = button(self.tr("Variasi lain"), slot=self._on_variation_clicked)
        gbuttons.addWidget(self.generate_button)
        gbuttons.addWidget(self.variation_button)
        gform.addRow("", gbuttons)
        self.scale_combo.currentIndexChanged.connect(self._on_params_changed)
        self.tempo_spin.valueChanged.connect(self._on_params_changed)
        row.addWidget(self.gen_box, 1)

        self.own_box = QGroupBox(self.tr("Musik sendiri"))
        oform = QFormLayout(self.own_box)
        frow = QHBoxLayout()
        self.file_label = label(self.tr("Belum dipilih"), "muted", wrap=True)
        self.choose_button = button(self.tr("Pilih berkas…"), slot=self._on_choose_clicked)
        frow.addWidget(self.file_label, 1)
        frow.addWidget(self.choose_button)
        self.licence_edit = QLineEdit()
        self.licence_edit.setPlaceholderText(self.tr("mis. CC BY 4.0 — nama pencipta, atau “karya sendiri”"))
        self.licence_edit.textChanged.connect(self._update_own_button)
        self.use_button = button(self.tr("Pakai musik ini"), "primary", slot=self._on_use_clicked)
        oform.addRow(self.tr("Berkas"), frow)
        oform.addRow(self.tr("Lisensi"), self.licence_edit)
        from studio.ui.widgets.origin import OriginPicker

        # Where the file came from, as on Gambar & Video: own work, or made in an AI tool (Suno…).
        self.origin = OriginPicker()
        self.origin.setToolTip(self.tr("Asal musik yang Anda impor: karya sendiri, atau dibuat dengan alat "
                                       "AI lain (Suno, Udio…). Dicatat di log AI dan laporan."))
        oform.addRow(self.origin)
        oform.addRow("", self.use_button)
        row.addWidget(self.own_box, 1)
        body.addLayout(row)

        level_box = QGroupBox(self.tr("Volume musik"))
        lrow = QHBoxLayout(level_box)
        self.level = QSlider(Qt.Orientation.Horizontal)
        self.level.setRange(-36, -6)
        self.level.setToolTip(self.tr("Volume musik sebelum diredam di bawah narasi"))
        self.level.valueChanged.connect(self._on_level_changed)
        self.level_label = label(role="muted")
        self.play_button = button("▶ " + self.tr("Putar musik"), slot=self._on_play_clicked)
        lrow.addWidget(label(self.tr("Pelan"), "small"))
        lrow.addWidget(self.level, 1)
        lrow.addWidget(label(self.tr("Keras"), "small"))
        lrow.addWidget(self.level_label)
        lrow.addWidget(self.play_button)
        body.addWidget(level_box)
        self.current = label(role="muted", wrap=True)
        body.addWidget(self.current)
        self.done_label = label(wrap=True)
        """What the last music job did ("✓ Musik selesai dibuat…"), so the page says when it is done."""
        self.done_label.hide()
        body.addWidget(self.done_label)
        session.jobStarted.connect(self._on_job_started)
        session.jobEnded.connect(self._on_job_ended)
        body.addStretch(1)

    # ------------------------------------------------------------------ view

    def refresh(self, area: str = "all") -> None:
        if not self.session.is_open:
            return
        m = self.project.music
        self._loading = True
        # A failed import of the creator's file (the window refreshes after every job) keeps
        # the choice, the file and the licence on screen: only the file needs fixing.
        keep_own = (self.own_radio.isChecked() and self._own_file is not None
                    and self._own_root == self.session.root and m.source == self._last_source)
        if (area == "all" and not keep_own) or m.source != self._last_source:
            # Choosing "own music" is only a choice until a file is imported: keep the
            # creator's radio selection unless the project's source really changed.
            {"generated": self.generated_radio, "imported": self.own_radio,
             "none": self.none_radio}[m.source].setChecked(True)
            self._last_source = m.source
        self.scale_combo.setCurrentIndex(max(0, self.scale_combo.findData(m.scale)))
        self.tempo_spin.setValue(int(round(m.tempo_bpm)))
        self.level.setValue(int(round(m.level_db)))
        if m.source == "imported":
            self.licence_edit.setText(m.licence)
            self.origin.set_value(m.declared)
        self._loading = False
        self.level_label.setText(f"{m.level_db:.0f} dB")
        self._update_boxes()
        if m.path:
            what = self.tr("Musik yang dipakai: {file}").format(file=Path(m.path).name)
            if m.licence:
                what += " · " + self.tr("lisensi: {lic}").format(lic=m.licence)
            if m.source == "imported" and m.declared is not None:
                what += " · " + self.tr("asal: {origin}").format(origin=m.declared.label(i18n.language()))
            self.current.setText(what)
        elif m.source == "none":
            self.current.setText(self.tr("Video tanpa musik latar."))
        else:
            self.current.setText(self.tr("Musik belum dibuat."))
        self.play_button.setEnabled(bool(m.path) and m.source != "none")

    def _update_boxes(self) -> None:
        self.gen_box.setEnabled(self.generated_radio.isChecked() and not self.session.busy)
        self.own_box.setEnabled(self.own_radio.isChecked() and not self.session.busy)
        self._update_own_button()

    def _update_own_button(self) -> None:
        self.use_button.setEnabled(self._own_file is not None and bool(self.licence_edit.text().strip()))
        if self._own_file is not None and not self.licence_edit.text().strip():
            self.use_button.setToolTip(self.tr("Isi lisensi musik dulu"))
        else:
            self.use_button.setToolTip("")

    # ------------------------------------------------------------------ edits

    def _on_source_toggled(self, which: int, checked: bool) -> None:
        if not checked or self._loading or not self.session.is_open:
            return
        m = self.project.music
        if which == 2:
            m.source = "none"
            m.path = None
            self.session.touch("music")
        elif which == 0 and m.source != "generated":
            m.source, m.path, m.licence = "generated", None, ""
            self.session.touch("music")
        self._update_boxes()
        if which != 1:
            self.refresh("music")

    def _on_params_changed(self) -> None:
        if self._loading or not self.session.is_open:
            return
        m = self.project.music
        m.scale = self.scale_combo.currentData()
        m.tempo_bpm = float(self.tempo_spin.value())
        if m.source == "generated":
            m.path = None  # the bed must be made again for the new settings
        self.session.touch("music")
        self.refresh("music")

    def _on_level_changed(self, value: int) -> None:
        self.level_label.setText(f"{value} dB")
        if self._loading or not self.session.is_open:
            return
        self.project.music.level_db = float(value)
        self.session.touch("music-level")

    def _on_variation_clicked(self) -> None:
        self.project.music.seed = random.SystemRandom().randrange(1, 100000)
        self.project.music.path = None
        self.session.touch("music")
        self._on_generate_clicked()

    def _on_generate_clicked(self) -> None:
        self.player.release()
        if not self.generated_radio.isChecked():
            self.generated_radio.setChecked(True)
        self.session.run_step("music")

    def _on_choose_clicked(self) -> None:
        src = dialogs.choose_file(self, self.tr("Pilih berkas musik"), dialogs.AUDIO_FILTER)
        if src is not None:
            self._own_file, self._own_root = src, self.session.root
            self.file_label.setText(src.name)
            self._update_own_button()

    def _on_use_clicked(self) -> None:
        src, licence, declared = self._own_file, self.licence_edit.text(), self.origin.value()
        if src is None:
            return

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.voice import importing as voice_import

            return voice_import.import_music(snapshot, root, src, licence, declared=declared)

        def apply(project, music) -> None:  # noqa: ANN001
            project.music = music.model_copy(update={"level_db": project.music.level_db,
                                                     "duck_db": project.music.duck_db})

        self.player.release()
        self._importing = True  # "import" is also the voice page's step name
        if self.session.run_task("import", call, apply) is None:
            self._importing = False

    def _on_play_clicked(self) -> None:
        m = self.project.music
        if m.path:
            self.player.toggle(self.session.root / m.path)

    def _on_job_started(self, runner) -> None:  # noqa: ANN001 - JobRunner
        if getattr(runner, "step", "") == "music" or self._importing:
            self.done_label.setText(self.tr("Membuat musik…") if runner.step == "music"
                                    else self.tr("Memasang musik Anda…"))
            set_tone(self.done_label, "")
            self.done_label.show()

    def _on_job_ended(self, step: str, outcome: str) -> None:
        mine = step == "music" or (step == "import" and self._importing)
        self._importing = False
        if not mine or not self.session.is_open:
            return
        m = self.project.music
        if outcome == "ok" and m.path:
            text = (self.tr("✓ Musik selesai dibuat: {file}. Tekan “Putar musik” untuk mendengarkan.")
                    if step == "music" else self.tr("✓ Musik Anda terpasang: {file}."))
            self.done_label.setText(text.format(file=Path(m.path).name))
            set_tone(self.done_label, "ok")
        elif outcome == "cancelled":
            self.done_label.setText(self.tr("Pembuatan musik dibatalkan."))
            set_tone(self.done_label, "warn")
        else:
            self.done_label.setText(self.tr("Musik belum berhasil dibuat; lihat pesan kesalahan."))
            set_tone(self.done_label, "bad")
        self.done_label.show()

    def main_action(self) -> None:
        if self.own_radio.isChecked():
            if self.use_button.isEnabled():
                self._on_use_clicked()
            else:
                self._on_choose_clicked()
        else:
            self._on_generate_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat musik")

    def busy_changed(self, busy: bool) -> None:
        self._update_boxes()

    def hideEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.player.stop()
        super().hideEvent(event)
