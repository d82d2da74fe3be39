"""The Suara page's engine choice: the voice engine, its variant, and its model (choose a
file or folder, or download it from the catalogue with progress in the job bar)."""

from __future__ import annotations

from typing import Any

from studio.ui import dialogs, i18n


class EngineChoiceMixin:
    """Mixed into ``VoicePage`` (which provides session, project, the combos and refresh())."""

    session: Any
    project: Any

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
            name=self.session.engine_name("voice", default)), "")
        for key in registry.keys("voice"):
            combo.addItem(self.session.engine_name("voice", key), key)
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
            from studio.engines.models.catalog import get_spec

            return get_spec(model_id)
        except Exception:  # noqa: BLE001 - not in this version's catalogue
            return None

    def _on_download_model(self, spec: Any = None, *, engine_key: str = "") -> None:
        """Download the engine's model (or ``spec``) on the creator's request, with progress in the
        job bar; ``engine_key``: the voice engine this project uses once it is here."""
        spec = spec or self._model_spec()
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

        def apply(project, _folder) -> None:  # noqa: ANN001
            self._engine_cache = (None, None)
            if engine_key and project.voice.engine != engine_key:
                project.voice.engine = engine_key
                self.session.touch("voice-settings")

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
