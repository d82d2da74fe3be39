"""Suara: narration per scene — synthesize, play, import a file, or record the microphone.

The voice engine (espeak-ng, MMS-TTS, Piper), its variant, rate and pitch are chosen
here. A take of the whole video (imported or recorded) is split into the scenes by
``pipeline.voice.importing.import_whole_take`` (where the script changes scene, when
Whisper is ready; else at the pauses). When the video's length is outside the
preset's range, ``FitCard`` shows ``pipeline.duration_fit``'s proposals with the
duration each leads to, and applies a tempo change on request.

The scene rows are in ``voice.rows``, the engine choice in ``voice.engine_choice``,
importing and recording in ``voice.takes``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QScrollArea, QSlider, QSpinBox, QVBoxLayout, QWidget

from studio.ui.pages.base import Page
from studio.ui.pages.voice.clarity import ClarityMixin
from studio.ui.pages.voice.engine_choice import EngineChoiceMixin
from studio.ui.pages.voice.rows import VoiceRow
from studio.ui.pages.voice.takes import TakesMixin
from studio.ui.session.state import Session
from studio.ui.widgets.common import Card, button, clear_layout, label
from studio.ui.widgets.fit import FitCard
from studio.ui.widgets.media import MicRecorder, Player


class VoicePage(ClarityMixin, EngineChoiceMixin, TakesMixin, Page):
    key = "voice"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._built = False
        self.intro.setText(self.tr("Panjang tiap adegan mengikuti suaranya, jadi gambar selalu pas "
                                   "dengan kata. Pakai suara sintetis, atau rekam suara Anda sendiri."))
        self.generate_button = button(self.tr("Buat semua suara"), "primary", slot=self._on_generate_clicked)
        self.generate_button.setToolTip(self.tr("Ctrl+Enter"))
        self.head_actions.addWidget(self.generate_button)
        self.player = Player(self)
        self.player.notice.connect(self.status.emit)  # no sound device, an unplayable file
        self.recorder = MicRecorder(self)
        session.jobStarted.connect(self._on_job_started)
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
                                lambda _option: self.navigate.emit("script"),
                                busy=lambda: self.session.busy)
        # The cards scroll with the scene rows: on a 1024×600 screen the page must not be taller
        # than the window.
        cards = [self.fit_card, self._build_clarity_card()]

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
        from studio.ui.widgets.origin import OriginPicker

        # Where an imported recording came from (as on Gambar & Video): the creator's own voice,
        # or a voice made in an AI tool (ElevenLabs…). Applies to "Impor…" on a scene and the whole take.
        self.origin = OriginPicker()
        self.origin.setToolTip(self.tr("Asal rekaman yang Anda impor: suara sendiri, atau suara AI dari alat "
                                       "lain (ElevenLabs…). Berlaku untuk setiap “Impor…”; dicatat di log AI."))
        take.body.addWidget(label(self.tr("Asal rekaman yang diimpor"), "small"))
        take.body.addWidget(self.origin)
        cards.append(take)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        host = QWidget()
        hcol = QVBoxLayout(host)
        hcol.setContentsMargins(0, 0, 0, 0)
        hcol.setSpacing(8)
        for card in cards:
            hcol.addWidget(card)
        self.list_host = QWidget()
        self.list = QVBoxLayout(self.list_host)
        self.list.setContentsMargins(0, 0, 0, 0)
        self.list.setSpacing(8)
        hcol.addWidget(self.list_host, 1)
        self.scroll.setWidget(host)
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
        self.update_clarity()  # before the rows: they show its per-scene line
        scenes = self.project.scenes
        same = self._built and len(scenes) == len(self.rows) and all(r.scene is s for r, s in zip(self.rows, scenes))
        if not same:
            self._rebuild()
        else:
            for row in self.rows:
                row.update_view()
        self.engine_label.setText(self.tr("Mesin suara: {name}").format(
            name=self.session.engine_name("voice", self.session.engine_key("voice"))))
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
        self.player.release()
        self.session.run_tempo(factor)

    def _on_job_started(self, runner) -> None:  # noqa: ANN001 - a JobRunner
        # A voice job started from another page (the Naskah page's tempo change) rewrites
        # the files this page's player may hold.
        if getattr(runner, "step", "") in ("voice", "import"):
            self.player.release()

    # ------------------------------------------------------------------ actions

    def _on_generate_clicked(self) -> None:
        self.player.release()
        self.session.run_step("voice")

    def main_action(self) -> None:
        self._on_generate_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat suara")

    def busy_changed(self, busy: bool) -> None:
        for b in (self.generate_button, self.take_import_button, self.take_record_button,
                  *self.fit_card.apply_buttons):
            b.setEnabled(not busy)
        for row in self.rows:
            for b in (row.tts_button, row.import_button, row.record_button):
                b.setEnabled(not busy)
