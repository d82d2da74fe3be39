"""One row per scene on the Suara page: the narration excerpt, its length and origin,
and play / make again / import / record for that scene."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout

from studio.core.project import Scene
from studio.ui import dialogs, texts
from studio.ui.widgets.common import Card, button, label, set_tone

if TYPE_CHECKING:
    from studio.ui.pages.voice.page import VoicePage


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
            declared = getattr(s.voice, "declared", None)
            if declared is not None and declared.is_ai:
                self.badge.setText(declared.label("id"))  # "AI: ElevenLabs", declared by the creator
                set_tone(self.badge, "ai")
            else:
                self.badge.setText(texts.voice_origin_label(s.voice.origin))
                set_tone(self.badge, "ok" if s.voice.origin != "tts" else "")
            self.duration.setText(texts.seconds(s.voice.duration))
        self.play_button.setEnabled(s.voice is not None)
        stale = s.id in status.stale
        unclear = "" if stale else self.page.clarity_note(s.id)
        self.set_state("stale" if stale or unclear else "")
        self.state.setText("⟳ " + self.tr("Narasi berubah sejak suara ini dibuat.") if stale else unclear)
        self.state.setVisible(stale or bool(unclear))

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
