"""Pengaturan: engine per step (with its preflight verdict), model folders, LLM server, language.

Preflight is cheap by contract (never downloads, never calls the network), so the
verdict is re-checked whenever a choice or a folder changes. The LLM connection
test (``ping``) does touch the network and runs off the GUI thread. The API key is
never shown or stored: the dialog only says whether one was found and where.
"Kelola model AI…" opens the model manager (``models_dialog``); a folder adopted
there fills the matching field here (saved with "Simpan", like every other field).
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core import paths
from studio.core.errors import Problem, StudioError
from studio.core.settings import Settings
from studio.engines.support import cpu
from studio.ui import dialogs, engine_facts, i18n
from studio.ui.jobs import LatestOnly
from studio.ui.widgets.common import button, label, set_tone

KINDS = ("script", "image", "voice", "transcribe")
WHISPER_SIZES = ("tiny", "base", "small", "medium", "large-v3")
COMPUTE_TYPES = ("int8", "int8_float32", "float32")
MODEL_FIELDS = ("diffusers", "diffusers_vae", "llm_local", "mms_tts", "piper_voice", "openai_whisper")
"""``Settings.models`` fields edited as a path (the Whisper field has its own combo box)."""
FILE_FIELDS = {"piper_voice": "Piper (*.onnx);;*", "openai_whisper": "openai-whisper (*.pt);;*"}
"""Fields that name a file, not a folder."""


def engine_name(key: str) -> str:
    """The engine's plain name in the UI language (else its tool name; its module is light to
    import by house rule)."""
    from studio.engines import registry
    from studio.ui import texts

    plain = texts.engine_label(key)
    if plain is not None:
        return plain

    try:
        return str(registry.engine_class(key).info.name)
    except Exception:  # noqa: BLE001 - a broken engine module must not break the dialog
        return key


def plain_label(plain: str, technical: str) -> str:
    """A form label in plain words first, with the technical name small and grey beside it."""
    return f"{plain} <small style='color:#6b7280'>{technical}</small>"


def preflight_problems(key: str, settings: Settings) -> list[str]:
    """What stops an engine under ``settings`` (sentences in the UI language); [] when ready."""
    from studio.engines import registry

    lang = i18n.language()
    try:
        engine = registry.create(key, settings)
        problems = engine.preflight()
    except StudioError as exc:
        return [exc.text(lang)]
    except Exception as exc:  # noqa: BLE001 - shown, not raised
        return [f"{exc.__class__.__name__}: {exc}"]
    return [p.text(lang) if isinstance(p, Problem) else str(p) for p in problems]


def preflight_text(key: str, settings: Settings) -> tuple[bool, str]:
    """(ready, sentence) for an engine under ``settings``, in the UI language."""
    problems = preflight_problems(key, settings)
    return not problems, " ".join(problems)


def api_key_source(settings: Settings) -> str:
    """Where an LLM API key was found ("" if none); never the key itself."""
    for var in (settings.llm.api_key_env, "STUDIO_LLM_API_KEY", "OPENAI_API_KEY"):
        if var and os.environ.get(var):
            return var
    try:
        import keyring  # optional

        if keyring.get_password("studio-lokal", "llm"):
            return "keyring"
    except Exception:  # noqa: BLE001 - no keyring backend is normal
        pass
    return ""


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings`` holds them after Save."""

    def __init__(self, parent: QWidget | None, settings: Settings) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pengaturan"))
        self.settings = settings.model_copy(deep=True)
        self.result_settings: Settings | None = None
        self.models_dialog = None
        col = QVBoxLayout(self)
        self.tabs = QTabWidget()
        col.addWidget(self.tabs, 1)
        self._build_engines_tab()
        self._build_models_tab()
        self._build_llm_tab()

        # -- display
        view = QWidget()
        vform = QFormLayout(view)
        self.language_combo = QComboBox()
        for code, name in i18n.LANGUAGES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self.settings.ui_language)))
        vform.addRow(self.tr("Bahasa tampilan"), self.language_combo)
        self.tabs.addTab(view, self.tr("Tampilan"))

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = button(self.tr("Batal"), slot=self.reject)
        self.save_button = button(self.tr("Simpan"), "primary", slot=self._on_save)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        col.addLayout(buttons)
        self._cpu = LatestOnly(self)
        self._cpu.done.connect(lambda _k, _found: self._recheck())
        if cpu.known() is None:  # no /proc/cpuinfo: numpy's table, off the GUI thread
            self._cpu.request("cpu", cpu.detect)
        self._recheck()
        fm = self.fontMetrics()
        # Room for the long model paths and the verdicts without a scrollbar on a 1366×768 screen.
        self.resize(max(fm.horizontalAdvance("0") * 130, 820), max(fm.height() * 34, 620))

    # ------------------------------------------------------------------ tabs

    def _build_engines_tab(self) -> None:
        from studio.engines import registry

        engines = QWidget()
        form = QFormLayout(engines)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.engine_combos: dict[str, QComboBox] = {}
        self.engine_status: dict[str, object] = {}
        self.engine_keys: dict[str, object] = {}
        names = {"script": self.tr("Naskah"), "image": self.tr("Gambar"), "voice": self.tr("Suara"),
                 "transcribe": self.tr("Subtitle (pengenal suara)")}
        for kind in KINDS:
            combo = QComboBox()
            for key in registry.keys(kind):
                combo.addItem(engine_name(key), key)
                combo.setItemData(combo.count() - 1, key, Qt.ItemDataRole.ToolTipRole)
            idx = combo.findData(getattr(self.settings.engines, kind))
            combo.setCurrentIndex(max(0, idx))
            combo.currentIndexChanged.connect(self._recheck)
            status = label(role="small", wrap=True)
            self.engine_combos[kind] = combo
            self.engine_status[kind] = status
            # The plain name in the box, the registry key small beside it.
            tech = label(role="small")
            tech.setStyleSheet("color: #6b7280;")
            combo.currentIndexChanged.connect(lambda _i, c=combo, t=tech: t.setText(str(c.currentData() or "")))
            tech.setText(str(combo.currentData() or ""))
            self.engine_keys[kind] = tech
            pick = QHBoxLayout()
            pick.addWidget(combo, 1)
            pick.addWidget(tech)
            form.addRow(names[kind], pick)
            form.addRow("", status)
            if kind == "script":
                # Before pressing the button: how long one script takes with this engine here.
                self.eta_label = label(role="small", wrap=True)
                form.addRow("", self.eta_label)
        # Which runtime and CPU features the local engines use, in plain words (issue 17).
        self.facts_label = label(role="small", wrap=True, selectable=True)
        form.addRow(self.tr("Komputer ini"), self.facts_label)
        form.addRow("", label(self.tr("Studio Lokal tidak pernah diam-diam beralih ke mesin lain: bila "
                                      "mesin pilihan belum siap, langkahnya berhenti dengan penjelasan. "
                                      "Folder model diatur di tab Model."),
                              "muted", wrap=True))
        self.tabs.addTab(engines, self.tr("Mesin"))

    def _build_models_tab(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        models = QWidget()
        scroll.setWidget(models)
        mform = QFormLayout(models)
        mform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        m = self.settings.models
        titles = {
            "diffusers": (plain_label(self.tr("Model gambar AI"), "diffusers"),
                          self.tr("Folder model gambar (berisi model_index.json)")),
            "diffusers_vae": (plain_label(self.tr("Pengurai gambar cepat (opsional)"), "VAE / TAESD"),
                              self.tr("Kosong: bawaan model gambar; folder TAESD membuat gambar lebih cepat")),
            "llm_local": (plain_label(self.tr("Model AI naskah di komputer ini"), "transformers"),
                          self.tr("Folder model obrolan, mis. Qwen2.5 1.5B Instruct")),
            "mms_tts": (plain_label(self.tr("Model suara AI MMS-TTS"), "VITS"),
                        self.tr("Kosong: folder model aplikasi")),
            "piper_voice": (plain_label(self.tr("Suara AI Piper"), ".onnx"),
                            self.tr("Berkas .onnx (dengan .onnx.json di sebelahnya)")),
            "openai_whisper": (plain_label(self.tr("Model pengenal suara lain"), "openai-whisper .pt"),
                               self.tr("Hanya untuk mesin pengenal suara openai-whisper")),
        }
        self.model_edits: dict[str, QLineEdit] = {}
        self.browse_buttons: dict[str, object] = {}
        for name in MODEL_FIELDS:
            title, hint = titles[name]
            edit = QLineEdit(getattr(m, name))
            edit.setPlaceholderText(hint)
            edit.textChanged.connect(self._recheck)
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            self.browse_buttons[name] = button(self.tr("Pilih…"), slot=lambda n=name: self._browse(n))
            row.addWidget(self.browse_buttons[name])
            self.model_edits[name] = edit
            mform.addRow(title, row)
        # Kept for code (and tests) written against the first version of this dialog.
        self.diffusers_edit = self.model_edits["diffusers"]

        whisper_row = QHBoxLayout()
        self.whisper_combo = QComboBox()
        self.whisper_combo.setEditable(True)
        self.whisper_combo.addItem(self.tr("base (bawaan aplikasi)"), "")
        for size in WHISPER_SIZES:
            if size != "base":
                self.whisper_combo.addItem(size, size)
        self.whisper_combo.lineEdit().setPlaceholderText(self.tr("Ukuran (tiny, small…) atau folder"))
        self._set_whisper(m.whisper)
        self.whisper_combo.currentTextChanged.connect(self._recheck)
        whisper_row.addWidget(self.whisper_combo, 1)
        whisper_row.addWidget(button(self.tr("Pilih folder…"), slot=self._browse_whisper))
        mform.addRow(plain_label(self.tr("Model pengenal suara"), "Whisper"), whisper_row)
        self.compute_combo = QComboBox()
        speeds = {"int8": self.tr("Cepat"), "int8_float32": self.tr("Seimbang"),
                  "float32": self.tr("Paling teliti, lambat")}
        for value in COMPUTE_TYPES:
            self.compute_combo.addItem(f"{speeds[value]} ({value})", value)
        idx = self.compute_combo.findData(m.whisper_compute_type)
        if idx < 0:
            self.compute_combo.addItem(m.whisper_compute_type, m.whisper_compute_type)
            idx = self.compute_combo.count() - 1
        self.compute_combo.setCurrentIndex(idx)
        self.compute_combo.setToolTip(self.tr("Cepat cocok untuk laptop; paling teliti butuh waktu jauh lebih lama."))
        self.compute_combo.currentIndexChanged.connect(self._recheck)
        mform.addRow(plain_label(self.tr("Kecepatan pengenal suara"), "compute type"), self.compute_combo)

        mform.addRow(self.tr("Folder model bersama"), label(str(paths.models_dir()), "muted", wrap=True,
                                                            selectable=True))
        manage = QHBoxLayout()
        self.manage_button = button(self.tr("Kelola model AI…"), slot=self.open_models)
        manage.addWidget(self.manage_button)
        manage.addStretch(1)
        mform.addRow("", manage)
        mform.addRow("", label(self.tr("Untuk pelatihan tanpa internet: salin folder model dari flashdisk, "
                                       "lalu pilih foldernya di atas atau pakai “Kelola model AI…”. Tidak ada "
                                       "yang diunduh tanpa Anda minta."), "muted", wrap=True))
        mform.addRow("", label(self.tr("Untuk pelatih: variabel lingkungan {var} menunjuk folder model bersama.")
                               .format(var="STUDIO_MODELS_DIR"), "small", wrap=True))
        self.tabs.addTab(scroll, self.tr("Model"))

    def _build_llm_tab(self) -> None:
        llm = QWidget()
        lform = QFormLayout(llm)
        lform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.base_url_edit = QLineEdit(self.settings.llm.base_url)
        self.model_edit = QLineEdit(self.settings.llm.model)
        self.model_edit.setPlaceholderText(self.tr("mis. qwen2.5:7b-instruct (Ollama) atau gpt-4o-mini"))
        self.base_url_edit.textChanged.connect(self._recheck)
        self.model_edit.textChanged.connect(self._recheck)
        lform.addRow(plain_label(self.tr("Alamat server AI"), self.tr("kompatibel OpenAI")), self.base_url_edit)
        lform.addRow(self.tr("Nama model"), self.model_edit)
        self.stream_check = QCheckBox(self.tr("Tampilkan naskah selagi ditulis"))
        self.stream_check.setChecked(self.settings.llm.stream)
        self.stream_check.setToolTip(self.tr("Jawaban bertahap (streaming). Matikan hanya bila server Anda "
                                             "tidak mendukungnya."))
        stream_row = QHBoxLayout()
        stream_row.addWidget(self.stream_check)
        stream_row.addStretch(1)  # the box and its words only: a click beside them does nothing
        lform.addRow("", stream_row)
        source = api_key_source(self.settings)
        self.key_label = label(
            self.tr("Kunci API ditemukan ({source}). Kunci tidak pernah disimpan di proyek.").format(source=source)
            if source else self.tr("Kunci API tidak ditemukan. Untuk layanan berbayar, setel variabel "
                                   "lingkungan {var} atau simpan di brankas sandi sistem (keyring); server lokal seperti "
                                   "Ollama tidak memerlukannya.").format(var=self.settings.llm.api_key_env),
            tone="ok" if source else "", wrap=True)
        lform.addRow(self.tr("Kunci API"), self.key_label)
        ping_row = QHBoxLayout()
        self.ping_button = button(self.tr("Tes koneksi"), slot=self._on_ping)
        self.ping_label = label(role="small", wrap=True)
        ping_row.addWidget(self.ping_button)
        ping_row.addWidget(self.ping_label, 1)
        lform.addRow("", ping_row)
        self.tabs.addTab(llm, self.tr("Server AI"))
        self._ping = LatestOnly(self)
        self._ping.done.connect(self._on_ping_done)
        self._ping.errored.connect(lambda _k, exc: self._on_ping_done(None, [str(exc)]))

    # ------------------------------------------------------------------ fields

    def _set_whisper(self, value: str) -> None:
        idx = self.whisper_combo.findData(value.strip().lower() if value.strip().lower() in WHISPER_SIZES
                                          else value)
        if value.strip().lower() == "base":
            idx = 0
        if idx >= 0:
            self.whisper_combo.setCurrentIndex(idx)
        else:
            self.whisper_combo.setEditText(value)

    def whisper_value(self) -> str:
        """The Whisper setting as typed or chosen: "" (bundled base), a size name, or a folder."""
        text = self.whisper_combo.currentText().strip()
        idx = self.whisper_combo.findText(text)
        if idx >= 0:
            return str(self.whisper_combo.itemData(idx) or "")
        return text

    def _browse(self, name: str) -> None:
        edit = self.model_edits[name]
        if name in FILE_FIELDS:
            found = dialogs.choose_file(self, self.tr("Pilih berkas model"), FILE_FIELDS[name], edit.text())
        else:
            found = dialogs.choose_folder(self, self.tr("Pilih folder model"), edit.text())
        if found is not None:
            edit.setText(str(found))

    def _browse_whisper(self) -> None:
        folder = dialogs.choose_folder(self, self.tr("Pilih folder model Whisper"), self.whisper_value())
        if folder is not None:
            self.whisper_combo.setEditText(str(folder))

    def current(self) -> Settings:
        """The settings as the dialog shows them now."""
        s = self.settings.model_copy(deep=True)
        for kind, combo in self.engine_combos.items():
            setattr(s.engines, kind, combo.currentData())
        for name, edit in self.model_edits.items():
            setattr(s.models, name, edit.text().strip())
        s.models.whisper = self.whisper_value()
        s.models.whisper_compute_type = self.compute_combo.currentData()
        s.llm.base_url = self.base_url_edit.text().strip()
        s.llm.model = self.model_edit.text().strip()
        s.llm.stream = self.stream_check.isChecked()
        s.ui_language = self.language_combo.currentData()
        return s

    def _recheck(self) -> None:
        settings = self.current()
        for kind, combo in self.engine_combos.items():
            problems = preflight_problems(combo.currentData(), settings)
            status = self.engine_status[kind]
            # The first problem is the one to fix first; an incomplete folder can list several,
            # each naming the folder again: the rest wait in the tooltip, the count says so.
            text = "✓ " + self.tr("Siap dipakai") if not problems else "✗ " + problems[0]
            if len(problems) > 1:
                text += " " + self.tr("(+{n} masalah lain)").format(n=len(problems) - 1)
            status.setText(text)
            status.setToolTip("\n".join(problems))
            set_tone(status, "bad" if problems else "ok")
        found = cpu.known()
        keys = {kind: combo.currentData() for kind, combo in self.engine_combos.items()}
        self.facts_label.setText(engine_facts.facts_text(keys, settings, found))
        eta, basis = engine_facts.script_eta(keys["script"], settings, found) if found is not None else ("", "")
        self.eta_label.setText(f"{eta} · {basis}" if basis else eta)
        self.eta_label.setVisible(bool(eta))

    def preflight_message(self, kind: str) -> str:
        return self.engine_status[kind].text()

    # ------------------------------------------------------------------ model manager

    def open_models(self):  # noqa: ANN201 - ModelsDialog
        """The model manager over the settings as shown here; an adopted folder fills its field."""
        from studio.ui.models_dialog import ModelsDialog

        dialog = ModelsDialog(self, self.current(), on_settings=self._on_models_settings)
        dialog.open()
        self.models_dialog = dialog
        return dialog

    def _on_models_settings(self, settings: Settings) -> None:
        for name, edit in self.model_edits.items():
            value = getattr(settings.models, name)
            if value != edit.text().strip():
                edit.setText(value)
        if settings.models.whisper != self.whisper_value():
            self._set_whisper(settings.models.whisper)
        self.settings.models.hub_url = settings.models.hub_url

    # ------------------------------------------------------------------ LLM server

    def _on_ping(self) -> None:
        from studio.engines import registry

        settings = self.current()
        self.ping_label.setText(self.tr("Menghubungi server…"))
        self.ping_button.setEnabled(False)

        def call() -> list:
            engine = registry.create("script.openai", settings)
            ping = getattr(engine, "ping", None)
            return list(ping(timeout=3)) if callable(ping) else list(engine.preflight())

        self._ping.request("ping", call)

    def _on_ping_done(self, _key: object, problems: list) -> None:
        self.ping_button.setEnabled(True)
        lang = i18n.language()
        if problems:
            self.ping_label.setText("✗ " + " ".join(p.text(lang) if isinstance(p, Problem) else str(p)
                                                    for p in problems))
            set_tone(self.ping_label, "bad")
        else:
            self.ping_label.setText("✓ " + self.tr("Server menjawab."))
            set_tone(self.ping_label, "ok")

    def _on_save(self) -> None:
        self.result_settings = self.current()
        self.accept()
