"""Naskah: generate the script from the brief, then edit, add, remove and reorder scenes.

The duration of each scene and of the whole video is re-estimated as the creator
types (word count at the voice's measured speaking rate; the real audio length once
a voice exists and still matches the text) and compared with the preset's range.
Editing generated text marks the scene ``edited`` and logs one human "edit" record
per burst of typing (``Session.touch(human=...)``).

While a language model writes, the text it has streamed so far (the engine's
``partial_text``, read from the GUI thread on a timer) and its character count are
shown with a Cancel button. Once the voices exist and the real length is outside the
preset's range, the "Durasi video" card (``pipeline.duration_fit``, the same proposal
as on the Suara page) says what to trim or extend, and each scene shows its share. A
scene edited since its voice was made counts at the measured pace, so the card follows
the edits and disappears once the text fits.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QScrollArea, QVBoxLayout, QWidget

from studio.core.project import Project, Scene
from studio.ui import dialogs, texts
from studio.ui.pages.base import Page
from studio.ui.session.state import Session
from studio.ui.widgets.common import Card, button, clear_layout, label, set_tone
from studio.ui.widgets.fit import FitCard
from studio.ui.widgets.scene_card import SceneCard

STREAM_POLL_MS = 200
STREAM_RATE_AFTER_S = 2.0
"""The writing speed is shown once this much streaming is measured (earlier it jumps)."""
FIT_DELAY_MS = 600
"""The duration proposal is recomputed this long after the last keystroke."""
MIN_PACE_WORDS = 20
"""Fewer timed words than this do not tell a voice's pace (``ScriptPage.pace``)."""


class ScriptPage(Page):
    key = "script"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._built = False
        self.intro.setText(self.tr("Naskah dibagi per adegan: satu narasi dan satu gambar per adegan. "
                                   "Semua teks bisa Anda ubah."))
        self.generate_button = button(self.tr("Buat naskah dari ide"), "primary",
                                      slot=self._on_generate_clicked)
        self.generate_button.setToolTip(self.tr("Ctrl+Enter"))
        self.eta_label = label(role="small")  # a local model's expected time, before the button is pressed
        self.head_actions.addWidget(self.eta_label)
        self.head_actions.addWidget(self.generate_button)
        self.import_button = button(self.tr("Impor naskah…"), slot=self._on_import_clicked)
        self.import_button.setToolTip(self.tr("Pakai naskah yang Anda tulis sendiri atau dengan alat AI lain "
                                              "(tempel, .txt, .md, .docx)"))
        self.head_actions.addWidget(self.import_button)

        summary = QHBoxLayout()
        self.engine_label = label(role="muted")
        self.total_label = label(role="h2")
        summary.addWidget(self.total_label)
        summary.addStretch(1)
        summary.addWidget(self.engine_label)
        self.body.addLayout(summary)

        # While a model writes: what it has written so far, how much, and Cancel.
        self.stream_card = Card()
        stream_head = QHBoxLayout()
        self.stream_title = label(self.tr("Model sedang menulis naskah…"), "h2")
        self.stream_count = label(role="muted")
        self.stream_cancel = button(self.tr("Batalkan"), "danger", slot=self.session.cancel)
        stream_head.addWidget(self.stream_title)
        stream_head.addWidget(self.stream_count, 1)
        stream_head.addWidget(self.stream_cancel)
        self.stream_card.body.addLayout(stream_head)
        self.stream_text = QPlainTextEdit()
        self.stream_text.setReadOnly(True)
        self.stream_text.setFixedHeight(int(self.fontMetrics().lineSpacing() * 6 + 16))
        self.stream_card.body.addWidget(self.stream_text)
        self.stream_card.hide()
        self.body.addWidget(self.stream_card)
        self._stream_timer = QTimer(self, interval=STREAM_POLL_MS)
        self._stream_timer.timeout.connect(self._poll_stream)
        self.streamed_chars = 0
        self._stream_clock: tuple[float, int] | None = None
        """When, and at how many characters, the first streamed text was seen (for the speed)."""

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.list_host = QWidget()
        outer = QVBoxLayout(self.list_host)
        outer.setSpacing(10)
        outer.setContentsMargins(0, 0, 8, 0)
        self.fit_card = FitCard(self.fit_proposal, self._apply_tempo, self._show_fit_option,
                                busy=lambda: self.session.busy,
                                edit_label=self.tr("Tunjukkan adegan"))
        outer.addWidget(self.fit_card)
        self.list = QVBoxLayout()
        self.list.setSpacing(10)
        outer.addLayout(self.list, 1)
        self.scroll.setWidget(self.list_host)
        self.body.addWidget(self.scroll, 1)
        self.cards: list[SceneCard] = []
        self._undo: tuple[Scene, int] | None = None
        self._fit_timer = QTimer(self, singleShot=True, interval=FIT_DELAY_MS)
        self._fit_timer.timeout.connect(self._update_fit)

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
        b = self.project.brief
        from studio.core.languages import language_name

        for card in self.cards:
            card.show_subtitle(language_name(b.subtitles_in) if b.bilingual else "")
        self._update_times()
        self._update_fit()
        declared = self.project.script_declared
        self.engine_label.setText(self.tr("Naskah impor · asal: {origin}").format(origin=declared.label("id"))
                                  if declared is not None else self.tr("Mesin naskah: {name}").format(
                                      name=self.session.engine_name("script")))
        self._update_eta()
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

    def _voice_current(self, scene: Scene, voice_key: str) -> bool:
        """True when the scene's voice exists and still speaks its text (a recording always does)."""
        from studio.core.status import voice_inputs_hash

        v = scene.voice
        return v is not None and v.duration > 0 and (
            v.origin != "tts" or not v.inputs_hash
            or v.inputs_hash == voice_inputs_hash(self.project, scene, v.engine or voice_key))

    def _length_project(self) -> tuple[Project, bool]:
        """A copy of the project whose length is what this page shows, and whether voices were made.

        A voice made from text the creator has since edited no longer tells the length:
        such scenes count at the measured pace (so trimming the text shows its effect at
        once), while voices that still match keep their real length.
        """
        voice_key = self.session.engine_key("voice")
        project = self.project.model_copy(deep=True)
        measured = False
        for scene in project.scenes:
            measured = measured or (scene.voice is not None and scene.voice.duration > 0)
            if not self._voice_current(scene, voice_key):
                scene.voice = None
        return project, measured

    def pace(self) -> float:
        """Words per minute for estimates on this page: as this project's voices really speak.

        The voice engine's rate is measured on typical narrations; once voices with word
        timings exist, their own pace predicts an edited scene better (a trimmed scene is
        said at the speed its voice was). Too few words to judge: the engine's rate.
        """
        words, seconds = 0, 0.0
        for scene in self.project.scenes:
            v = scene.voice
            if v is not None and v.words and v.duration > 0:
                words += len(v.words)
                seconds += v.duration
        if words >= MIN_PACE_WORDS and seconds > 0:
            return words * 60.0 / seconds
        return self.session.words_per_minute()

    def timeline(self):  # noqa: ANN201 - core.timeline.Timeline
        """The video's timeline as the text stands now (edited scenes estimated, see ``_length_project``)."""
        from studio.core.timeline import build_timeline

        return build_timeline(self._length_project()[0], wpm=self.pace())

    def _update_times(self) -> None:
        """Per-scene and total duration against the preset (cheap: runs on every keystroke)."""
        from studio.core.timeline import estimate_speech_seconds

        wpm = self.pace()
        voice_key = self.session.engine_key("voice")
        for card in self.cards:
            s = card.scene
            if self._voice_current(s, voice_key):
                card.update_meta((s.voice.duration, False))
            else:
                card.update_meta((estimate_speech_seconds(s.narration, wpm), True))
        tl = self.timeline()
        preset = self.session.preset()
        lo, hi = preset.duration.min, preset.duration.max
        approx = "≈ " if tl.estimated else ""
        self.total_label.setText(self.tr("Total {approx}{value} (target {lo}–{hi}) · {n} adegan").format(
            approx=approx, value=texts.seconds(tl.duration), lo=texts.number(lo, 0),
            hi=texts.seconds(hi, 0), n=len(self.cards)))
        set_tone(self.total_label, "ok" if lo <= tl.duration <= hi else "warn")

    # ------------------------------------------------------------------ duration fit

    def fit_proposal(self):  # noqa: ANN201 - a FitProposal or None
        """duration_fit's proposal at the voice's measured pace (None without scenes/preset)."""
        from studio.core.errors import StudioError
        from studio.pipeline.duration_fit import propose_for_preset

        if not self.session.is_open or not self.project.scenes:
            return None
        project, measured = self._length_project()
        if not measured and not self._fresh_ai_script():
            return None  # no voice yet: the total above is already the estimate
        try:
            return propose_for_preset(project, self.session.preset(),
                                      wpm=self.pace())
        except StudioError:
            return None

    def _fresh_ai_script(self) -> bool:
        """The scenes are a language model's answer as it came (the model was already asked once
        more to fit the range): the card warns with the estimate before any voice exists."""
        scenes = self.project.scenes
        return bool(scenes) and all(s.source == "ai" and not s.edited and s.voice is None for s in scenes)

    def _update_fit(self) -> None:
        """Redraw the "Durasi video" card and each scene's share of its script option."""
        self._fit_timer.stop()
        if not self.session.is_open:
            return
        self.fit_card.update_view()
        deltas: dict[str, int] = {}
        if not self.fit_card.isHidden():
            option = next((o for o in self.fit_card.options if o.kind in ("trim", "extend") and o.fits),
                          next((o for o in self.fit_card.options if o.kind in ("trim", "extend")), None))
            if option is not None:
                deltas = {c.scene_id: c.delta for c in option.changes}
        for card in self.cards:
            card.set_fit_hint(deltas.get(card.scene_id))

    def _show_fit_option(self, option) -> None:  # noqa: ANN001 - a FitOption
        """Scroll to the first scene the option names and put the cursor at its end."""
        for card in self.cards:
            if any(c.scene_id == card.scene_id for c in option.changes):
                self.scroll.ensureWidgetVisible(card)
                card.narration.setFocus()
                card.narration.moveCursor(QTextCursor.MoveOperation.End)
                return

    def _apply_tempo(self, factor: float) -> None:
        self.session.run_tempo(factor)

    def _update_eta(self) -> None:
        from studio.engines.support import cpu
        from studio.ui import engine_facts

        s = self.session
        text, basis = engine_facts.script_eta(s.engine_key("script"), s.settings, cpu.known(), self.project,
                                              s.words_per_minute())
        self.eta_label.setText(text)
        self.eta_label.setToolTip(basis)
        self.eta_label.setVisible(bool(text))

    # ------------------------------------------------------------------ streaming

    def _poll_stream(self) -> None:
        """Show what the model has written so far (partial_text is safe to read from here)."""
        engine = self.session.running_engine("script")
        if engine is None:
            if not self.session.busy:
                self._stream_timer.stop()
                self.stream_card.hide()
            return
        text = getattr(engine, "partial_text", "")
        if not text:
            return
        if len(text) != self.streamed_chars:
            self.streamed_chars = len(text)
            self.stream_text.setPlainText(text)
            self.stream_text.moveCursor(QTextCursor.MoveOperation.End)
            self.stream_count.setText(self._stream_status(len(text), int(getattr(engine, "expected_chars", 0))))
        self.stream_card.show()

    def _stream_status(self, chars: int, expected: int) -> str:
        """"1.234 karakter · 85 karakter/dtk · sekitar 20 dtk lagi": the speed is measured from
        the first streamed text (prefill is not writing), the time left from the expected length."""
        now = time.monotonic()
        if self._stream_clock is None:
            self._stream_clock = (now, chars)
        text = self.tr("{n} karakter").format(n=f"{chars:,}".replace(",", "."))
        t0, c0 = self._stream_clock
        if now - t0 < STREAM_RATE_AFTER_S or chars <= c0:
            return text
        rate = (chars - c0) / (now - t0)
        text += " · " + self.tr("{rate} karakter/dtk").format(rate=f"{rate:.0f}")
        if expected > chars:
            text += " · " + self.tr("sekitar {s} dtk lagi").format(s=f"{(expected - chars) / rate:.0f}")
        return text

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
        self._fit_timer.start()

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

    def _on_import_clicked(self) -> None:
        """Paste or open a script written elsewhere, split it and declare where it came from."""
        if not self.session.is_open:
            return
        from studio.ui.widgets.script_import import ScriptImportDialog

        dialog = ScriptImportDialog(self)
        if dialog.exec() != ScriptImportDialog.DialogCode.Accepted:
            return
        self.import_script(dialog.choice())

    def import_script(self, choice) -> None:  # noqa: ANN001 - a widgets.script_import.ScriptChoice
        """Run the import off the GUI thread; the scenes replace the script only if it succeeds."""
        wpm = self.pace()

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.imports.script import import_script

            if choice.path is not None:
                return import_script(snapshot, root, choice.path, split=choice.split, declared=choice.declared,
                                     words_per_minute=wpm)
            return import_script(snapshot, root, choice.text, split=choice.split, declared=choice.declared,
                                 words_per_minute=wpm, pasted=True)

        def apply(project, result) -> None:  # noqa: ANN001
            result.apply_to(project)
            self.banner.show_message(self.tr("Naskah diimpor: {n} adegan, perkiraan {value}.").format(
                n=len(result.scenes), value=texts.seconds(result.estimated_seconds)), "ok")

        self.session.run_task("script", call, apply)

    def main_action(self) -> None:
        self._on_generate_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat naskah")

    def show_state_banner(self) -> None:
        """The step's own banner, or else a gentle word about a brief that reads as nonsense."""
        super().show_state_banner()
        if self.banner.isVisible() or not self.session.is_open:
            return
        from studio.pipeline.script import unclear_brief_words

        odd = unclear_brief_words(self.project)
        if odd:
            self.banner.show_message(self.tr(
                "Brief ini belum jelas: “{words}” tidak terdengar seperti kata yang dikenal, jadi naskah "
                "templat hanya berisi kalimat umum. Periksa judul dan tema di langkah Ide, lalu buat "
                "naskah lagi.").format(words=" ".join(odd)), "warn",
                [(self.tr("Buka Ide"), lambda: self.navigate.emit("brief"))])

    def busy_changed(self, busy: bool) -> None:
        self.generate_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
        running_here = busy and self.session.runner is not None and self.session.runner.step == "script"
        self.list_host.setEnabled(not running_here)
        self.fit_card.set_busy(busy)
        if running_here:
            self.streamed_chars = 0
            self._stream_clock = None
            self.stream_text.clear()
            self.stream_count.setText("")
            self._stream_timer.start()
        else:
            self._stream_timer.stop()
            self.stream_card.hide()

    def readiness(self) -> tuple[bool, str]:
        if not self.session.is_open:
            return True, ""
        if not self.project.scenes:
            return False, self.tr("Belum ada naskah. Buat dari ide Anda atau tambahkan adegan sendiri.")
        empty = [i + 1 for i, s in enumerate(self.project.scenes) if not s.narration.strip()]
        if empty:
            return False, self.tr("Adegan {list} belum berisi narasi.").format(
                list=", ".join(map(str, empty)))
        tl = self.timeline()
        preset = self.session.preset()
        if not preset.duration.min <= tl.duration <= preset.duration.max:
            return False, self.tr("Perkiraan durasi {value} di luar target {lo}–{hi}. Tambah atau "
                                  "kurangi narasi.").format(value=texts.seconds(tl.duration),
                                                           lo=texts.number(preset.duration.min, 0),
                                                           hi=texts.seconds(preset.duration.max, 0))
        return True, ""
