"""Ide: the brief (title, region, theme, language, audience, key facts, creator, agency)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.languages import LANGUAGES, language
from studio.core.presets import DEFAULT_PRESET
from studio.ui.pages.base import Page, display_name
from studio.ui.session.state import Session
from studio.ui.widgets.common import label
from studio.ui.widgets.limits import limit_line


class BriefPage(Page):
    key = "brief"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.intro.setText(self.tr("Ceritakan video yang ingin Anda buat. Naskah disusun dari isian "
                                   "ini; fakta kunci pasti masuk ke narasi."))
        self._loading = False
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setSpacing(16)
        scroll.setWidget(inner)
        self.body.addWidget(scroll, 1)

        what = QGroupBox(self.tr("Tentang video"))
        form = QFormLayout(what)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("Judul yang muncul di kartu pembuka"))
        self.region_edit = QLineEdit()
        self.region_edit.setPlaceholderText(self.tr("mis. Kabupaten Sleman, DI Yogyakarta"))
        self.theme_combo = QComboBox()
        self.theme_combo.setEditable(True)
        self.theme_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.theme_combo.lineEdit().setPlaceholderText(self.tr("Pilih tema atau tulis sendiri"))
        self.language_combo = QComboBox()
        self.language_combo.setEditable(True)
        self.subtitle_combo = QComboBox()
        self.subtitle_combo.setToolTip(self.tr(
            "Narasi dalam bahasa daerah dengan subtitle Bahasa Indonesia: setiap adegan punya dua baris, "
            "dan juri membaca terjemahannya."))
        self.voice_note = label("", "muted")
        self.voice_note.setWordWrap(True)
        self.audience_edit = QLineEdit()
        self.audience_edit.setPlaceholderText(self.tr("mis. pelajar SMA dan generasi muda"))
        self.facts_edit = QPlainTextEdit()
        self.facts_edit.setPlaceholderText(self.tr("Satu fakta per baris. Fakta ini wajib ada di narasi."))
        self.facts_edit.setMinimumHeight(self.fontMetrics().height() * 5)
        for edit, key in ((self.title_edit, "Brief.title"), (self.region_edit, "Brief.region"),
                          (self.audience_edit, "Brief.audience")):
            limit_line(edit, key)
        form.addRow(self.tr("Judul"), self.title_edit)
        form.addRow(self.tr("Daerah"), self.region_edit)
        form.addRow(self.tr("Tema"), self.theme_combo)
        form.addRow(self.tr("Bahasa narasi"), self.language_combo)
        form.addRow("", self.voice_note)
        form.addRow(self.tr("Bahasa subtitle"), self.subtitle_combo)
        form.addRow(self.tr("Penonton"), self.audience_edit)
        form.addRow(self.tr("Fakta kunci"), self.facts_edit)
        row.addWidget(what, 3)

        side = QVBoxLayout()
        who = QGroupBox(self.tr("Pembuat"))
        form2 = QFormLayout(who)
        form2.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.creator_edit = QLineEdit()
        self.agency_edit = QLineEdit()
        self.agency_edit.setPlaceholderText(self.tr("mis. Dinas Kebudayaan Kabupaten …"))
        self.preset_combo = QComboBox()
        self.preset_info = label(role="small", wrap=True)
        limit_line(self.creator_edit, "Brief.creator")
        limit_line(self.agency_edit, "Brief.agency")
        form2.addRow(self.tr("Nama pembuat"), self.creator_edit)
        form2.addRow(self.tr("Instansi"), self.agency_edit)
        self.size_combo = QComboBox()
        self.size_combo.setToolTip(self.tr("Ukuran gambar video. Ukuran kecil lebih cepat dirender "
                                           "(untuk uji coba), ukuran penuh untuk dikirim."))
        form2.addRow(self.tr("Lomba / platform"), self.preset_combo)
        form2.addRow("", self.preset_info)
        form2.addRow(self.tr("Ukuran video"), self.size_combo)
        side.addWidget(who)
        self.theme_box = QGroupBox(self.tr("Tentang tema ini"))
        tcol = QVBoxLayout(self.theme_box)
        self.theme_info = label(wrap=True)
        self.theme_questions = label(role="muted", wrap=True)
        tcol.addWidget(self.theme_info)
        tcol.addWidget(self.theme_questions)
        side.addWidget(self.theme_box)
        side.addStretch(1)
        row.addLayout(side, 2)

        for edit in (self.title_edit, self.region_edit, self.audience_edit, self.creator_edit,
                     self.agency_edit):
            edit.textChanged.connect(self._on_field_changed)
        self.facts_edit.textChanged.connect(self._on_field_changed)
        self.theme_combo.currentTextChanged.connect(self._on_theme_changed)
        self.language_combo.currentTextChanged.connect(self._on_field_changed)
        self.subtitle_combo.currentIndexChanged.connect(self._on_field_changed)
        self.preset_combo.currentIndexChanged.connect(self._on_preset_changed)
        self.size_combo.currentIndexChanged.connect(self._on_size_changed)
        self._fill_choices()

    def _fill_choices(self) -> None:
        from studio.core.presets import competition_presets, themes

        self._loading = True
        try:
            self._themes = themes()
        except StudioError:
            self._themes = {}
        self.theme_combo.clear()
        for theme in sorted(self._themes.values(), key=display_name):
            self.theme_combo.addItem(display_name(theme), theme.id)
        self.language_combo.clear()
        self.subtitle_combo.clear()
        self.subtitle_combo.addItem(self.tr("Sama dengan narasi"), "")
        for lang in LANGUAGES:
            self.language_combo.addItem(f"{lang.name_id} ({lang.code})", lang.code)
            self.subtitle_combo.addItem(f"{lang.name_id} ({lang.code})", lang.code)
        self.preset_combo.clear()
        try:
            presets = competition_presets()
        except StudioError:
            presets = {}
        for preset in sorted(presets.values(), key=lambda p: (p.id != DEFAULT_PRESET, p.name)):
            self.preset_combo.addItem(display_name(preset), preset.id)
        self._loading = False

    # ------------------------------------------------------------------ model <-> widgets

    def refresh(self, area: str = "all") -> None:
        if not self.session.is_open or area not in ("all", "opened", "settings"):
            self._update_theme_info()
            return
        b = self.project.brief
        self._loading = True
        self.title_edit.setText(b.title)
        self.region_edit.setText(b.region)
        idx = self.theme_combo.findData(b.theme)
        if idx >= 0:
            self.theme_combo.setCurrentIndex(idx)
        else:
            self.theme_combo.setEditText(b.theme)
        lidx = self.language_combo.findData(b.language)
        if lidx >= 0:
            self.language_combo.setCurrentIndex(lidx)
        else:
            self.language_combo.setEditText(b.language)
        self.subtitle_combo.setCurrentIndex(max(0, self.subtitle_combo.findData(
            b.subtitle_language if b.bilingual else "")))
        self._update_voice_note()
        self.audience_edit.setText(b.audience)
        self.facts_edit.setPlainText("\n".join(b.key_facts))
        self.creator_edit.setText(b.creator)
        self.agency_edit.setText(b.agency)
        pidx = self.preset_combo.findData(self.project.preset)
        if pidx >= 0:
            self.preset_combo.setCurrentIndex(pidx)
        self._fill_sizes()
        self._loading = False
        self._update_theme_info()
        self._update_preset_info()

    def _theme_value(self) -> str:
        text = self.theme_combo.currentText().strip()
        idx = self.theme_combo.findText(text)
        if idx >= 0:
            return str(self.theme_combo.itemData(idx))
        return text

    def _update_voice_note(self) -> None:
        """Say which voice reads the narration language, or that the creator records it."""
        lang = language(self._language_value())
        if lang is None or lang.voice_model:
            self.voice_note.setText(self.tr("Ada suara AI untuk bahasa ini: {0} (unduh di Model AI bila belum ada).").format(
                lang.voice_model) if lang is not None and lang.code != "id" else "")
        else:
            self.voice_note.setText(self.tr(
                "Belum ada suara AI untuk {0}: rekam atau impor narasi Anda sendiri di langkah Suara. "
                "Subtitle tetap dibuat dan diatur waktunya otomatis.").format(lang.name_id))
        self.voice_note.setVisible(bool(self.voice_note.text()))

    def _language_value(self) -> str:
        text = self.language_combo.currentText().strip()
        idx = self.language_combo.findText(text)
        if idx >= 0:
            return str(self.language_combo.itemData(idx))
        return text or "id"

    def _on_field_changed(self, *_args: object) -> None:
        if self._loading or not self.session.is_open:
            return
        b = self.project.brief
        b.title = self.title_edit.text()
        b.region = self.region_edit.text()
        b.audience = self.audience_edit.text()
        b.creator = self.creator_edit.text()
        b.agency = self.agency_edit.text()
        b.language = self._language_value()
        b.subtitle_language = str(self.subtitle_combo.currentData() or "")
        self._update_voice_note()
        b.key_facts = [line.strip() for line in self.facts_edit.toPlainText().splitlines() if line.strip()]
        self.session.touch("brief")

    def _on_theme_changed(self, _text: str) -> None:
        if self._loading or not self.session.is_open:
            return
        self.project.brief.theme = self._theme_value()
        self._update_theme_info()
        self.session.touch("brief")

    def _on_preset_changed(self) -> None:
        if self._loading or not self.session.is_open:
            return
        from studio.core.presets import get_preset

        pid = self.preset_combo.currentData()
        if not pid or pid == self.project.preset:
            return
        preset = get_preset(pid)
        self.project.preset = preset.id
        r = self.project.render
        # Keep the creator's frame if the new preset accepts it; else take the preset's.
        if not _accepts(preset, r.width, r.height):
            r.width, r.height = preset.video.width, preset.video.height
        if not (preset.video.fps_min <= r.fps <= preset.video.fps_max):
            r.fps = preset.video.fps
        self._loading = True
        self._fill_sizes()
        self._loading = False
        self._update_preset_info()
        self.session.touch("render")

    def _fill_sizes(self) -> None:
        """Frame sizes the preset accepts: full, lighter, and a small one for quick trials."""
        try:
            preset = self.session.preset()
        except StudioError:
            return
        r = self.project.render
        self.size_combo.clear()
        names = {1920: self.tr("penuh"), 1280: self.tr("lebih ringan"), 640: self.tr("uji cepat")}
        for aspect in preset.video.aspects:
            a, _, b = aspect.partition(":")
            try:
                ra, rb = float(a), float(b)
            except ValueError:
                continue
            for long_side, name in names.items():
                if ra >= rb:
                    w, h = long_side, long_side * rb / ra
                else:
                    w, h = long_side * ra / rb, long_side
                w, h = int(round(w / 2)) * 2, int(round(h / 2)) * 2
                if min(w, h) < preset.video.min_height:
                    continue
                self.size_combo.addItem(f"{w}×{h} ({aspect}, {name})", f"{w}x{h}")
        idx = self.size_combo.findData(f"{r.width}x{r.height}")
        if idx < 0:
            self.size_combo.addItem(f"{r.width}×{r.height}", f"{r.width}x{r.height}")
            idx = self.size_combo.count() - 1
        self.size_combo.setCurrentIndex(idx)

    def _on_size_changed(self) -> None:
        if self._loading or not self.session.is_open:
            return
        size = self.size_combo.currentData()
        if not size:
            return
        r = self.project.render
        w, _, h = str(size).partition("x")
        r.width, r.height = int(w), int(h)
        self._update_preset_info()
        self.session.touch("render")

    def _update_preset_info(self) -> None:
        if not self.session.is_open:
            return
        try:
            p = self.session.preset()
        except StudioError as exc:
            self.preset_info.setText(str(exc))
            return
        self.preset_info.setText(self.tr("Durasi {lo:g}–{hi:g} detik · video {w}×{h}").format(
            lo=p.duration.min, hi=p.duration.max, w=self.project.render.width,
            h=self.project.render.height))

    def _update_theme_info(self) -> None:
        from studio.core.presets import find_theme

        theme = find_theme(self.project.brief.theme) if self.session.is_open else None
        if theme is None:
            self.theme_info.setText(self.tr("Tema bebas: naskah disusun dari judul, daerah dan fakta "
                                            "kunci Anda."))
            self.theme_questions.setText("")
            return
        self.theme_info.setText(theme.summary or theme.name)
        if theme.ask_creator:
            self.theme_questions.setText(self.tr("Pertanyaan untuk Anda isi di fakta kunci:") + "\n• "
                                         + "\n• ".join(theme.ask_creator))
        else:
            self.theme_questions.setText("")

    def readiness(self) -> tuple[bool, str]:
        if not self.session.is_open:
            return True, ""
        b = self.project.brief
        missing = [name for name, value in ((self.tr("judul"), b.title), (self.tr("daerah"), b.region),
                                            (self.tr("tema"), b.theme)) if not value.strip()]
        if missing:
            return False, self.tr("Isi dulu: {fields}. Isian ini dipakai naskah dan diwajibkan lomba.").format(
                fields=", ".join(missing))
        return True, ""


def _accepts(preset, width: int, height: int) -> bool:  # noqa: ANN001 - Preset
    from math import isclose

    short = min(width, height)
    if short < preset.video.min_height:
        return False
    for aspect in preset.video.aspects:
        a, _, b = aspect.partition(":")
        try:
            if isclose(width / height, float(a) / float(b), rel_tol=0.01):
                return True
        except (ValueError, ZeroDivisionError):
            continue
    return False
