"""Naskah: generate the script from the brief, then edit, add, remove and reorder scenes.

The duration of each scene and of the whole video is re-estimated as the creator
types (word count at the voice's measured speaking rate; the real audio length once
a voice exists and still matches the text) and compared with the preset's range.
Editing generated text marks the scene ``edited`` and logs one human "edit" record
per burst of typing (``Session.touch(human=...)``).
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from studio.core.project import Scene
from studio.ui import dialogs, texts
from studio.ui.pages.base import Page
from studio.ui.widgets.common import button, clear_layout, label, set_tone
from studio.ui.widgets.scene_card import SceneCard


class ScriptPage(Page):
    key = "script"

    def __init__(self, session, window) -> None:  # noqa: ANN001
        super().__init__(session, window)
        self._built = False
        self.intro.setText(self.tr("Naskah dibagi per adegan: satu narasi dan satu gambar per adegan. "
                                   "Semua teks bisa Anda ubah."))
        self.generate_button = button(self.tr("Buat naskah dari ide"), "primary",
                                      slot=self._on_generate_clicked)
        self.generate_button.setToolTip(self.tr("Ctrl+Enter"))
        self.head_actions.addWidget(self.generate_button)

        summary = QHBoxLayout()
        self.engine_label = label(role="muted")
        self.total_label = label(role="h2")
        summary.addWidget(self.total_label)
        summary.addStretch(1)
        summary.addWidget(self.engine_label)
        self.body.addLayout(summary)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.list_host = QWidget()
        self.list = QVBoxLayout(self.list_host)
        self.list.setSpacing(10)
        self.list.setContentsMargins(0, 0, 8, 0)
        self.scroll.setWidget(self.list_host)
        self.body.addWidget(self.scroll, 1)
        self.cards: list[SceneCard] = []
        self._undo: tuple[Scene, int] | None = None

    # ------------------------------------------------------------------ drawing

    def refresh(self, area: str = "all") -> None:
        if not self.session.is_open:
            return
        scenes = self.project.scenes
        same = self._built and len(scenes) == len(self.cards) and all(c.scene is s for c, s in zip(self.cards, scenes))
        if not same:
            self._rebuild()
        else:
            for i, card in enumerate(self.cards):
                card.set_position(i, len(self.cards))
        self._update_times()
        self.engine_label.setText(self.tr("Mesin naskah: {name}").format(
            name=self.window_.engine_name("script")))
        self.show_state_banner()

    def _rebuild(self) -> None:
        self._built = True
        clear_layout(self.list)
        self.cards = []
        scenes = self.project.scenes
        for i, scene in enumerate(scenes):
            card = SceneCard(scene, i, len(scenes))
            card.edited.connect(self._on_card_edited)
            card.moveRequested.connect(self._on_move)
            card.removeRequested.connect(self._on_remove)
            card.reviewed.connect(self._on_reviewed)
            self.cards.append(card)
            self.list.addWidget(card)
        self.empty = label(self.tr("Belum ada adegan. Tekan “Buat naskah dari ide” atau tambahkan "
                                   "adegan sendiri."), "muted", wrap=True)
        # Parent it (add to the layout) before showing it: a parentless widget that is
        # shown becomes a window of its own and takes the focus from the main window.
        self.list.addWidget(self.empty)
        self.empty.setVisible(not scenes)
        self.add_button = button(self.tr("+ Tambah adegan"), slot=self._on_add_clicked)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        self.list.addLayout(row)
        self.list.addStretch(1)

    def _update_times(self) -> None:
        """Per-scene and total duration against the preset (cheap: runs on every keystroke)."""
        from studio.core.status import voice_inputs_hash
        from studio.core.timeline import estimate_speech_seconds

        wpm = self.window_.words_per_minute()
        voice_key = self.session.engine_key("voice")
        for card in self.cards:
            s = card.scene
            voice_ok = s.voice is not None and s.voice.duration > 0 and (
                s.voice.origin != "tts" or not s.voice.inputs_hash
                or s.voice.inputs_hash == voice_inputs_hash(self.project, s, s.voice.engine or voice_key))
            if voice_ok:
                card.update_meta((s.voice.duration, False))
            else:
                card.update_meta((estimate_speech_seconds(s.narration, wpm), True))
        tl = self.window_.timeline()
        preset = self.session.preset()
        lo, hi = preset.duration.min, preset.duration.max
        approx = "≈ " if tl.estimated else ""
        self.total_label.setText(self.tr("Total {approx}{value} (target {lo}–{hi}) · {n} adegan").format(
            approx=approx, value=texts.seconds(tl.duration), lo=texts.number(lo, 0),
            hi=texts.seconds(hi, 0), n=len(self.cards)))
        set_tone(self.total_label, "ok" if lo <= tl.duration <= hi else "warn")

    # ------------------------------------------------------------------ edits

    def _on_card_edited(self, scene_id: str, field: str) -> None:
        scene = self.project.scene(scene_id)
        human = None
        if scene.source in ("template", "ai"):
            # Generated text changed by the creator: the AI log must say so (once per burst).
            if not scene.edited:
                scene.edited = True
            human = ("script", scene_id)
        self.session.touch("scene", human=human, note="Creator edited the generated script text.")
        self._update_times()

    def _on_move(self, scene_id: str, delta: int) -> None:
        scenes = self.project.scenes
        i = self.project.scene_index(scene_id)
        j = i + delta
        if not 0 <= j < len(scenes):
            return
        scenes[i], scenes[j] = scenes[j], scenes[i]
        self.project.scenes = list(scenes)
        self.session.touch("scenes")
        self.refresh("scenes")
        self.cards[j].narration.setFocus()

    def _on_remove(self, scene_id: str) -> None:
        i = self.project.scene_index(scene_id)
        scene = self.project.scenes[i]
        self.project.scenes = [s for s in self.project.scenes if s.id != scene_id]
        self._undo = (scene, i)
        self.session.touch("scenes")
        self.refresh("scenes")
        self.banner.show_message(self.tr("Adegan {n} dihapus.").format(n=i + 1), "",
                                 [(self.tr("Urungkan"), self._on_undo_clicked)])

    def _on_undo_clicked(self) -> None:
        if self._undo is None:
            return
        scene, i = self._undo
        self._undo = None
        scenes = list(self.project.scenes)
        scenes.insert(min(i, len(scenes)), scene)
        self.project.scenes = scenes
        self.session.touch("scenes")
        self.banner.hide()
        self.refresh("scenes")

    def _on_add_clicked(self) -> None:
        scene = Scene(source="human")
        self.project.scenes = [*self.project.scenes, scene]
        self.session.touch("scenes")
        self.refresh("scenes")
        self.cards[-1].narration.setFocus()
        self.scroll.ensureWidgetVisible(self.cards[-1])

    def _on_reviewed(self, scene_id: str) -> None:
        scene = self.project.scene(scene_id)
        scene.needs_review = []
        self.session.touch("scene", human=("script", scene_id),
                           note="Creator checked the facts the AI added.")
        self.refresh("scene")

    # ------------------------------------------------------------------ generate

    def _on_generate_clicked(self) -> None:
        if not self.session.is_open:
            return
        if self.project.scenes and any(s.narration.strip() for s in self.project.scenes):
            if not dialogs.confirm(self, self.tr("Ganti naskah?"),
                                   self.tr("Naskah baru akan menggantikan semua adegan yang ada "
                                           "(termasuk suntingan Anda). Lanjutkan?"),
                                   self.tr("Ganti naskah")):
                return
        self.session.run_step("script")

    def main_action(self) -> None:
        self._on_generate_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat naskah")

    def busy_changed(self, busy: bool) -> None:
        self.generate_button.setEnabled(not busy)
        running_here = busy and self.session.runner is not None and self.session.runner.step == "script"
        self.list_host.setEnabled(not running_here)

    def readiness(self) -> tuple[bool, str]:
        if not self.session.is_open:
            return True, ""
        if not self.project.scenes:
            return False, self.tr("Belum ada naskah. Buat dari ide Anda atau tambahkan adegan sendiri.")
        empty = [i + 1 for i, s in enumerate(self.project.scenes) if not s.narration.strip()]
        if empty:
            return False, self.tr("Adegan {list} belum berisi narasi.").format(
                list=", ".join(map(str, empty)))
        tl = self.window_.timeline()
        preset = self.session.preset()
        if not preset.duration.min <= tl.duration <= preset.duration.max:
            return False, self.tr("Perkiraan durasi {value} di luar target {lo}–{hi}. Tambah atau "
                                  "kurangi narasi.").format(value=texts.seconds(tl.duration),
                                                           lo=texts.number(preset.duration.min, 0),
                                                           hi=texts.seconds(preset.duration.max, 0))
        return True, ""
