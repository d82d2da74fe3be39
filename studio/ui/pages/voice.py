"""Suara: narration per scene — synthesize, play, import a file, or record the microphone.

The voice engine (espeak-ng, MMS-TTS, Piper), its variant, rate and pitch are chosen
here. A take of the whole video (imported or recorded) is split into the scenes by
``pipeline.voice.importing.import_whole_take`` (where the script changes scene, when
Whisper is ready; else at the pauses). When the video's length is outside the
preset's range, ``FitCard`` shows ``pipeline.duration_fit``'s proposals with the
duration each leads to, and applies a tempo change on request.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QScrollArea, QSlider, QSpinBox, QVBoxLayout, QWidget

from studio.core.project import Scene
from studio.ui import dialogs, i18n, texts
from studio.ui.pages.base import Page
from studio.ui.widgets.common import Card, button, clear_layout, label, set_tone
from studio.ui.widgets.fit import FitCard
from studio.ui.widgets.media import MicRecorder, Player

TEMP_PREFIX = ".rekaman-"


def _drop_temporary(path: Path) -> None:
    """Delete a microphone take once it was imported (a failed import keeps it)."""
    if path.name.startswith(TEMP_PREFIX):
        path.unlink(missing_ok=True)


class VoiceRow(Card):
    """One scene's narration: text excerpt, length, origin, and the actions."""

    def __init__(self, page: "VoicePage", scene: Scene, index: int) -> None:
        super().__init__()
        self.page = page
        self.scene = scene
        self.scene_id = scene.id
        row = QHBoxLayout()
        self.body.addLayout(row)
        left = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Adegan {n}").format(n=index + 1), "h2"))
        self.badge = label(role="badge")
        self.duration = label(role="muted")
        head.addWidget(self.badge)
        head.addWidget(self.duration)
        head.addStretch(1)
        left.addLayout(head)
        self.text = label(role="muted", wrap=True)
        left.addWidget(self.text)
        self.state = label(role="small", tone="warn", wrap=True)
        left.addWidget(self.state)
        row.addLayout(left, 1)
        self.play_button = button("▶ " + self.tr("Putar"), slot=self._on_play)
        self.tts_button = button(self.tr("Buat ulang"), slot=self._on_tts,
                                 tip=self.tr("Buat suara sintetis untuk adegan ini"))
        self.import_button = button(self.tr("Impor…"), slot=self._on_import,
                                    tip=self.tr("Pakai berkas rekaman (WAV, MP3, M4A…) untuk adegan ini"))
        self.record_button = button("● " + self.tr("Rekam"), slot=self._on_record,
                                    tip=self.tr("Rekam narasi adegan ini dengan mikrofon"))
        for b in (self.play_button, self.tts_button, self.import_button, self.record_button):
            row.addWidget(b)
        self.update_view()

    def update_view(self) -> None:
        s = self.scene
        text = s.narration.strip() or self.tr("(narasi kosong)")
        self.text.setText(text if len(text) < 160 else text[:157] + "…")
        status = self.page.session.status()["voice"]
        if s.voice is None:
            self.badge.setText(self.tr("Belum ada"))
            set_tone(self.badge, "")
            self.duration.setText("")
        else:
            self.badge.setText(texts.voice_origin_label(s.voice.origin))
            set_tone(self.badge, "ok" if s.voice.origin != "tts" else "")
            self.duration.setText(texts.seconds(s.voice.duration))
        self.play_button.setEnabled(s.voice is not None)
        stale = s.id in status.stale
        self.set_state("stale" if stale else "")
        self.state.setText("⟳ " + self.tr("Narasi berubah sejak suara ini dibuat.") if stale else "")
        self.state.setVisible(stale)

    def _on_play(self) -> None:
        if self.scene.voice is not None:
            self.page.player.toggle(self.page.session.root / self.scene.voice.path)

    def _on_tts(self) -> None:
        self.page.session.run_step("voice", scene_ids=[self.scene_id], force=True)

    def _on_import(self) -> None:
        src = dialogs.choose_file(self, self.tr("Pilih rekaman untuk adegan ini"), dialogs.AUDIO_FILTER)
        if src is not None:
            self.page.import_scene(self.scene_id, src, "imported")

    def _on_record(self) -> None:
        self.page.toggle_recording(self.scene_id, self.record_button)


class VoicePage(Page):
    key = "voice"

    def __init__(self, session, window) -> None:  # noqa: ANN001
        super().__init__(session, window)
        self._built = False
        self.intro.setText(self.tr("Panjang tiap adegan mengikuti suaranya, jadi gambar selalu pas "
                                   "dengan kata. Pakai suara sintetis, atau rekam suara Anda sendiri."))
        self.generate_button = button(self.tr("Buat semua suara"), "primary", slot=self._on_generate_clicked)
        self.generate_button.setToolTip(self.tr("Ctrl+Enter"))
        self.head_actions.addWidget(self.generate_button)
        self.player = Player(self)
        self.recorder = MicRecorder(self)
        self.recorder.errored.connect(self._on_record_error)
        self.recorder.finished.connect(self._on_recorded)
        self.recorder.durationChanged.connect(self._on_record_time)
        self._recording_for: str | None = None
        self._record_button = None

        settings = QHBoxLayout()
        settings.addWidget(label(self.tr("Kecepatan bicara"), "muted"))
        self.rate_spin = QSpinBox()
        self.rate_spin.setRange(90, 220)
        self.rate_spin.setSingleStep(5)
        self.rate_spin.setSuffix(self.tr(" kata/menit"))
        self.rate_spin.valueChanged.connect(self._on_voice_setting)
        settings.addWidget(self.rate_spin)
        settings.addSpacing(12)
        settings.addWidget(label(self.tr("Nada"), "muted"))
        self.pitch = QSlider(Qt.Orientation.Horizontal)
        self.pitch.setRange(0, 100)
        self.pitch.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 18)
        self.pitch.valueChanged.connect(self._on_voice_setting)
        settings.addWidget(self.pitch)
        settings.addStretch(1)
        self.engine_label = label(role="muted")
        settings.addWidget(self.engine_label)
        self.body.addLayout(settings)

        engines = QHBoxLayout()
        engines.addWidget(label(self.tr("Mesin suara"), "muted"))
        self.engine_combo = QComboBox()
        self.engine_combo.currentIndexChanged.connect(self._on_engine_chosen)
        engines.addWidget(self.engine_combo)
        self.variant_label = label(self.tr("Jenis suara"), "muted")
        engines.addWidget(self.variant_label)
        self.variant_combo = QComboBox()
        self.variant_combo.currentIndexChanged.connect(self._on_variant_chosen)
        engines.addWidget(self.variant_combo)
        self.model_button = button(self.tr("Pilih model…"), slot=self._on_choose_model)
        engines.addWidget(self.model_button)
        self.download_button = button(self.tr("Unduh model…"), slot=self._on_download_model)
        engines.addWidget(self.download_button)
        engines.addStretch(1)
        self.body.addLayout(engines)
        self.engine_state = label(role="small", tone="warn", wrap=True)
        self.body.addWidget(self.engine_state)
        self.fit_card = FitCard(self.fit_proposal, self.apply_tempo,
                                lambda _option: self.window_.go("script"),
                                busy=lambda: self.session.busy)
        self.body.addWidget(self.fit_card)

        take = Card()
        take_row = QHBoxLayout()
        take_text = QVBoxLayout()
        take_text.addWidget(label(self.tr("Satu rekaman untuk seluruh video"), "h2"))
        take_text.addWidget(label(self.tr("Bacakan seluruh naskah sekaligus dengan jeda singkat antar "
                                          "adegan; rekaman dibagi otomatis di tempat naskah berganti adegan."),
                                  "muted", wrap=True))
        take_row.addLayout(take_text, 1)
        self.take_import_button = button(self.tr("Impor rekaman utuh…"), slot=self._on_take_import)
        self.take_record_button = button("● " + self.tr("Rekam seluruh video"), slot=self._on_take_record)
        take_row.addWidget(self.take_import_button)
        take_row.addWidget(self.take_record_button)
        take.body.addLayout(take_row)
        self.body.addWidget(take)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.list_host = QWidget()
        self.list = QVBoxLayout(self.list_host)
        self.list.setSpacing(8)
        self.scroll.setWidget(self.list_host)
        self.body.addWidget(self.scroll, 1)
        self.rows: list[VoiceRow] = []

    def refresh(self, area: str = "all") -> None:
        if not self.session.is_open:
            return
        v = self.project.voice
        for widget, value in ((self.rate_spin, v.rate_wpm), (self.pitch, v.pitch)):
            widget.blockSignals(True)
            widget.setValue(value)
            widget.blockSignals(False)
        scenes = self.project.scenes
        same = self._built and len(scenes) == len(self.rows) and all(r.scene is s for r, s in zip(self.rows, scenes))
        if not same:
            self._rebuild()
        else:
            for row in self.rows:
                row.update_view()
        self.engine_label.setText(self.tr("Mesin suara: {name}").format(
            name=self.window_.engine_name("voice", self.session.engine_key("voice"))))
        self._fill_engine_choice()
        self.fit_card.update_view()
        self.show_state_banner()

    def _rebuild(self) -> None:
        self._built = True
        self.player.release()
        clear_layout(self.list)
        self.rows = [VoiceRow(self, s, i) for i, s in enumerate(self.project.scenes)]
        for row in self.rows:
            self.list.addWidget(row)
        if not self.rows:
            self.list.addWidget(label(self.tr("Belum ada adegan. Buat naskah dulu."), "muted"))
        self.list.addStretch(1)

    def _on_voice_setting(self) -> None:
        if not self.session.is_open:
            return
        self.project.voice.rate_wpm = self.rate_spin.value()
        self.project.voice.pitch = self.pitch.value()
        self.session.touch("voice-settings")
        self.show_state_banner()
        for row in self.rows:
            row.update_view()

    # ------------------------------------------------------------------ engine choice

    def _engine(self):  # noqa: ANN202 - a voice engine (built cheaply: nothing is loaded)
        from studio.engines import registry

        key = self.session.engine_key("voice")
        if getattr(self, "_engine_cache", (None, None))[0] != key:
            try:
                self._engine_cache = (key, registry.create(key, self.session.settings))
            except Exception:  # noqa: BLE001 - an unknown engine key: nothing to show
                self._engine_cache = (key, None)
        return self._engine_cache[1]

    def _fill_engine_choice(self) -> None:
        from studio.engines import registry

        combo = self.engine_combo
        combo.blockSignals(True)
        combo.clear()
        default = self.session.settings.engines.voice
        combo.addItem(self.tr("Sesuai Pengaturan ({name})").format(
            name=self.window_.engine_name("voice", default)), "")
        for key in registry.keys("voice"):
            combo.addItem(self.window_.engine_name("voice", key), key)
        combo.setCurrentIndex(max(0, combo.findData(self.project.voice.engine or "")))
        combo.blockSignals(False)
        self._engine_cache = (None, None)
        engine = self._engine()
        controls = getattr(engine, "controls", ("rate", "pitch"))
        self.pitch.setEnabled("pitch" in controls)
        self.pitch.setToolTip("" if "pitch" in controls else self.tr("Mesin ini tidak bisa mengubah nada."))
        variants = engine.variants() if engine is not None and hasattr(engine, "variants") else []
        self.variant_combo.blockSignals(True)
        self.variant_combo.clear()
        for value, text_id, text_en in variants:
            self.variant_combo.addItem(text_id if i18n.language() == "id" else text_en, value)
        self.variant_combo.setCurrentIndex(max(0, self.variant_combo.findData(self.project.voice.voice)))
        self.variant_combo.blockSignals(False)
        self.variant_combo.setVisible(bool(variants))
        self.variant_label.setVisible(bool(variants))
        key = self.session.engine_key("voice")
        self.model_button.setVisible(key in ("voice.vits", "voice.piper"))
        self.model_button.setText(self.tr("Pilih berkas suara…") if key == "voice.piper"
                                  else self.tr("Pilih folder model…"))
        problems = engine.preflight() if engine is not None else []
        spec = self._model_spec()
        self.download_button.setVisible(bool(problems) and spec is not None)
        if spec is not None:
            from studio.engines.models.catalog import human_size

            self.download_button.setText(self.tr("Unduh {name} ({size})").format(
                name=spec.name.split(" (")[0], size=human_size(spec.size, approx=not spec.size_exact)))
        self.engine_state.setText("\n".join(p.text("id") if hasattr(p, "text") else str(p) for p in problems))
        self.engine_state.setVisible(bool(problems))

    def _on_engine_chosen(self) -> None:
        if not self.session.is_open:
            return
        self.project.voice.engine = self.engine_combo.currentData() or ""
        self._engine_cache = (None, None)
        engine = self._engine()
        variants = engine.variants() if engine is not None and hasattr(engine, "variants") else []
        if variants and self.project.voice.voice not in [v for v, _, _ in variants]:
            self.project.voice.voice = variants[0][0]
        self.session.touch("voice-settings")
        self.refresh("voice")

    def _on_variant_chosen(self) -> None:
        if not self.session.is_open or self.variant_combo.currentData() is None:
            return
        self.project.voice.voice = self.variant_combo.currentData()
        self.session.touch("voice-settings")
        self.show_state_banner()
        for row in self.rows:
            row.update_view()

    def _model_spec(self):  # noqa: ANN202 - the catalogue entry the chosen engine can download, or None
        key = self.session.engine_key("voice")
        model_id = {"voice.vits": "mms-tts-ind", "voice.piper": "piper-id-news-tts-medium"}.get(key)
        if model_id is None:
            return None
        try:
            from studio.engines.models import manager as model_manager

            return model_manager.get_spec(model_id)
        except Exception:  # noqa: BLE001 - not in this version's catalogue
            return None

    def _on_download_model(self) -> None:
        """Download the engine's model on the creator's request, with progress in the job bar."""
        spec = self._model_spec()
        if spec is None:
            return
        if not dialogs.confirm(self, self.tr("Unduh model?"),
                               self.tr("{name}: sekitar {size} MB, lisensi {licence}. Unduh sekarang?").format(
                                   name=spec.name, size=round(spec.size / 1e6), licence=spec.licence),
                               self.tr("Unduh")):
            return

        def call(ctx, _snapshot, _root):  # noqa: ANN001, ANN202 - worker
            from studio.engines.models import manager as model_manager

            return model_manager.download(spec, ctx)

        def apply(_project, _folder) -> None:  # noqa: ANN001
            self._engine_cache = (None, None)

        self.session.run_task("models", call, apply, save=False)

    def _on_choose_model(self) -> None:
        settings = self.session.settings.model_copy(deep=True)
        if self.session.engine_key("voice") == "voice.piper":
            src = dialogs.choose_file(self, self.tr("Pilih suara Piper (.onnx)"), "Piper (*.onnx);;*")
            if src is None:
                return
            settings.models.piper_voice = str(src)
        else:
            src = dialogs.choose_folder(self, self.tr("Pilih folder model MMS-TTS"))
            if src is None:
                return
            settings.models.mms_tts = str(src)
        self.session.set_settings(settings)
        self._engine_cache = (None, None)
        self.refresh("voice")

    # ------------------------------------------------------------------ duration fit

    def fit_proposal(self):  # noqa: ANN201 - a FitProposal or None
        """What to change when the video is too long or too short (None without scenes/preset)."""
        from studio.core.errors import PresetError
        from studio.core.presets import get_preset
        from studio.pipeline.duration_fit import propose_for_preset

        if not self.session.is_open or not self.project.scenes:
            return None
        try:
            preset = get_preset(self.project.preset)
        except PresetError:
            return None
        engine = self._engine()
        measure = getattr(engine, "words_per_minute", None)
        wpm = float(measure(self.project.voice.rate_wpm)) if callable(measure) else None
        return propose_for_preset(self.project, preset, wpm=wpm)

    def apply_tempo(self, factor: float) -> None:
        settings = self.session.settings.model_copy(deep=True)
        key = self.session.engine_key("voice")

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.engines import registry
            from studio.pipeline.duration_fit import apply_tempo

            engine = None
            if any(s.voice is not None and s.voice.origin == "tts" for s in snapshot.scenes):
                engine = registry.create(key, settings)
                registry.require_ready(engine)
            return apply_tempo(snapshot, root, factor, ctx, engine=engine)

        def apply(project, outcome) -> None:  # noqa: ANN001
            outcome.apply_to(project)

        self.player.release()
        self.session.run_task("voice", call, apply)

    # ------------------------------------------------------------------ actions

    def _on_generate_clicked(self) -> None:
        self.player.release()
        self.session.run_step("voice")

    def main_action(self) -> None:
        self._on_generate_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat suara")

    def import_scene(self, scene_id: str, src: Path, origin: str) -> None:
        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.voice import importing as voice_import
            asset = voice_import.import_voice(snapshot, root, scene_id, src, origin=origin)
            _drop_temporary(src)
            return asset

        def apply(project, asset) -> None:  # noqa: ANN001
            project.scene(scene_id).voice = asset

        self.player.release()
        self.session.run_task("import", call, apply)

    def import_take(self, src: Path, origin: str) -> None:
        settings = self.session.settings.model_copy(deep=True)

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.engines import registry
            from studio.pipeline.voice import importing as voice_import

            # Cut where the script changes scene when Whisper is ready; else at the pauses.
            try:
                transcriber = registry.create_for("transcribe", settings)
                transcriber = None if transcriber.preflight() else transcriber
            except Exception:  # noqa: BLE001 - no usable recogniser: the pause-based split
                transcriber = None
            split = voice_import.import_whole_take(snapshot, root, src, origin=origin, ctx=ctx,
                                                   transcriber=transcriber)
            _drop_temporary(src)
            return split

        def apply(project, split) -> None:  # noqa: ANN001
            for scene in project.scenes:
                if scene.id in split.voices:
                    scene.voice = split.voices[scene.id]

        self.player.release()
        self.session.run_task("import", call, apply)

    def _on_take_import(self) -> None:
        src = dialogs.choose_file(self, self.tr("Pilih rekaman seluruh narasi"), dialogs.AUDIO_FILTER)
        if src is not None:
            self.import_take(src, "imported")

    def _on_take_record(self) -> None:
        self.toggle_recording(None, self.take_record_button)

    # ------------------------------------------------------------------ recording

    def toggle_recording(self, scene_id: str | None, source_button) -> None:  # noqa: ANN001
        if self.recorder.recording:
            self.recorder.stop()
            return
        if not self.session.is_open:
            return
        target = self.session.root / "voice" / f"{TEMP_PREFIX}{uuid.uuid4().hex[:8]}.wav"
        self._recording_for = scene_id or "*"
        self._record_button = source_button
        self._record_caption = source_button.text()
        if self.recorder.start(target):
            source_button.setText("■ " + self.tr("Berhenti"))
            self.banner.show_message(self.tr("Merekam… bicaralah dengan jelas. Tekan “Berhenti” bila "
                                             "selesai."), "bad")

    def _on_record_time(self, seconds: float) -> None:
        self.banner.text.setText(self.tr("Merekam… {t}").format(t=texts.seconds(seconds)))

    def _on_recorded(self, path: Path) -> None:
        self._restore_record_button()
        self.banner.hide()
        target, self._recording_for = self._recording_for, None
        if target == "*":
            self.import_take(path, "recorded")
        elif target:
            self.import_scene(target, path, "recorded")

    def _on_record_error(self, text: str) -> None:
        self._restore_record_button()
        self._recording_for = None
        self.banner.show_message(text, "warn")

    def _restore_record_button(self) -> None:
        if self._record_button is not None:
            self._record_button.setText(self._record_caption)
            self._record_button = None

    def busy_changed(self, busy: bool) -> None:
        for b in (self.generate_button, self.take_import_button, self.take_record_button,
                  *self.fit_card.apply_buttons):
            b.setEnabled(not busy)
        for row in self.rows:
            for b in (row.tts_button, row.import_button, row.record_button):
                b.setEnabled(not busy)
