"""The Suara page's own recordings: import a file or record the microphone, for one scene
or for the whole video (split into the scenes by ``pipeline.voice.importing``)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from studio.ui import dialogs, texts

TEMP_PREFIX = ".rekaman-"


def _drop_temporary(path: Path) -> None:
    """Delete a microphone take once it was imported (a failed import keeps it)."""
    if path.name.startswith(TEMP_PREFIX):
        path.unlink(missing_ok=True)


class TakesMixin:
    """Mixed into ``VoicePage`` (which provides session, the player, the recorder and the banner)."""

    session: Any

    def declared(self, origin: str) -> Any:  # noqa: ANN401 - core.origin.Origin | None
        """The creator's declaration for an imported file (the page's picker); a take recorded
        here with the microphone is theirs by definition and keeps the log's "recorded" note."""
        return self.origin.value() if origin == "imported" else None

    def import_scene(self, scene_id: str, src: Path, origin: str) -> None:
        declared = self.declared(origin)

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.voice import importing as voice_import
            asset = voice_import.import_voice(snapshot, root, scene_id, src, origin=origin, declared=declared)
            _drop_temporary(src)
            return asset

        def apply(project, asset) -> None:  # noqa: ANN001
            project.scene(scene_id).voice = asset

        self.player.release()
        self.session.run_task("import", call, apply)

    def import_take(self, src: Path, origin: str) -> None:
        settings = self.session.settings.model_copy(deep=True)
        declared = self.declared(origin)

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
                                                   transcriber=transcriber, declared=declared)
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
