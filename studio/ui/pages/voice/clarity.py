"""The Suara page's "suara sulit dipahami" card: the scenes whose synthetic voice Whisper could
hardly understand (``pipeline.voice.clarity``), with the two ways out: a clearer neural voice
(downloaded on request, then used for this project) or the creator's own recording."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout

from studio.ui.widgets.common import Card, button, label

NEURAL_VOICE = ("piper-id-news-tts-medium", "voice.piper")
"""The neural Indonesian voice offered first (the catalogue: clearer than espeak-ng)."""


class ClarityMixin:
    """Mixed into ``VoicePage`` (which provides session, project, the rows and the model download)."""

    session: Any
    project: Any
    unclear: dict[str, float]

    def _build_clarity_card(self) -> Card:
        self.unclear = {}
        card = Card()
        self.clarity_text = label(wrap=True, tone="warn")
        card.body.addWidget(self.clarity_text)
        row = QHBoxLayout()
        self.clarity_download_button = button(self.tr("Unduh suara AI yang lebih jelas…"), "primary",
                                              slot=self._on_clearer_voice)
        self.clarity_record_button = button("● " + self.tr("Rekam suara sendiri"), slot=self._on_take_record)
        row.addWidget(self.clarity_download_button)
        row.addWidget(self.clarity_record_button)
        row.addStretch(1)
        card.body.addLayout(row)
        card.hide()
        self.clarity_card = card
        return card

    def update_clarity(self) -> None:
        """Flag the scenes Whisper recognised too little of (their current voice only)."""
        from studio.pipeline.voice.clarity import unclear_voices

        self.unclear = unclear_voices(self.project, self.session.root) if self.session.is_open else {}
        if not self.unclear:
            self.clarity_card.hide()
            return
        numbers = [str(i + 1) for i, s in enumerate(self.project.scenes) if s.id in self.unclear]
        low, high = min(self.unclear.values()), max(self.unclear.values())
        share = f"{low:.0%}" if round(low, 2) == round(high, 2) else f"{low:.0%}–{high:.0%}"
        self.clarity_text.setText(self.tr(
            "⚠ Suara sulit dipahami di adegan {scenes}: Whisper hanya mengenali {share} kata naskahnya, "
            "jadi juri pun mungkin sulit menangkapnya. Pakai suara AI yang lebih jelas, atau rekam suara "
            "Anda sendiri (seluruh video, atau ● Rekam di adegan itu).").format(
                scenes=", ".join(numbers), share=share.replace("%", " %")))
        spec = self._clearer_spec()
        self.clarity_download_button.setVisible(spec is not None)
        self.clarity_card.show()

    def clarity_note(self, scene_id: str) -> str:
        """The row's line for a flagged scene ("" when its voice is clear enough)."""
        score = self.unclear.get(scene_id)
        if score is None:
            return ""
        return "⚠ " + self.tr("Suara sulit dipahami: Whisper mengenali {share} kata.").format(
            share=f"{score:.0%}".replace("%", " %"))

    def _clearer_spec(self) -> Any:
        if self.session.engine_key("voice") == NEURAL_VOICE[1]:
            return None  # already the neural voice: a recording is the way out
        try:
            from studio.engines.models.catalog import get_spec

            return get_spec(NEURAL_VOICE[0])
        except Exception:  # noqa: BLE001 - not in this version's catalogue
            return None

    def _on_clearer_voice(self) -> None:
        spec = self._clearer_spec()
        if spec is not None:
            self._on_download_model(spec, engine_key=NEURAL_VOICE[1])
