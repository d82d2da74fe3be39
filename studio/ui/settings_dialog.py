"""Pengaturan: engine per step (with its preflight verdict), model folders, LLM server, language.

Preflight is cheap by contract (never downloads, never calls the network), so the
verdict is re-checked whenever a choice or a folder changes. The LLM connection
test (``ping``) does touch the network and runs off the GUI thread. The API key is
never shown or stored: the dialog only says whether one was found and where.
"""

from __future__ import annotations

import os

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from studio.core import paths
from studio.core.errors import Problem, StudioError
from studio.core.settings import Settings
from studio.ui import dialogs, i18n
from studio.ui.jobs import LatestOnly
from studio.ui.widgets.common import button, label, set_tone

KINDS = ("script", "image", "voice", "transcribe")


def engine_name(key: str) -> str:
    """The engine's human name (its module is light to import by house rule)."""
    from studio.engines import registry

    try:
        return str(registry.engine_class(key).info.name)
    except Exception:  # noqa: BLE001 - a broken engine module must not break the dialog
        return key


def preflight_text(key: str, settings: Settings) -> tuple[bool, str]:
    """(ready, sentence) for an engine under ``settings``, in the UI language."""
    from studio.engines import registry

    lang = i18n.language()
    try:
        engine = registry.create(key, settings)
        problems = engine.preflight()
    except StudioError as exc:
        return False, exc.text(lang)
    except Exception as exc:  # noqa: BLE001 - shown, not raised
        return False, f"{exc.__class__.__name__}: {exc}"
    if not problems:
        return True, ""
    return False, " ".join(p.text(lang) if isinstance(p, Problem) else str(p) for p in problems)


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
        col = QVBoxLayout(self)
        self.tabs = QTabWidget()
        col.addWidget(self.tabs, 1)

        # -- engines
        engines = QWidget()
        form = QFormLayout(engines)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.engine_combos: dict[str, QComboBox] = {}
        self.engine_status: dict[str, object] = {}
        from studio.engines import registry

        names = {"script": self.tr("Naskah"), "image": self.tr("Gambar"), "voice": self.tr("Suara"),
                 "transcribe": self.tr("Transkripsi (subtitle)")}
        for kind in KINDS:
            combo = QComboBox()
            for key in registry.keys(kind):
                combo.addItem(f"{engine_name(key)}  ({key})", key)
            idx = combo.findData(getattr(self.settings.engines, kind))
            combo.setCurrentIndex(max(0, idx))
            combo.currentIndexChanged.connect(self._recheck)
            status = label(role="small", wrap=True)
            self.engine_combos[kind] = combo
            self.engine_status[kind] = status
            form.addRow(names[kind], combo)
            form.addRow("", status)
        form.addRow("", label(self.tr("Studio Lokal tidak pernah diam-diam beralih ke mesin lain: bila "
                                      "mesin pilihan belum siap, langkahnya berhenti dengan penjelasan."),
                              "muted", wrap=True))
        self.tabs.addTab(engines, self.tr("Mesin"))

        # -- models
        models = QWidget()
        mform = QFormLayout(models)
        mform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.diffusers_edit = QLineEdit(self.settings.models.diffusers)
        self.diffusers_edit.setPlaceholderText(self.tr("Folder model diffusers (berisi model_index.json)"))
        self.whisper_edit = QLineEdit(self.settings.models.whisper)
        self.whisper_edit.setPlaceholderText(self.tr("Kosong: Whisper base bawaan"))
        for edit, title in ((self.diffusers_edit, self.tr("Pilih folder model gambar")),
                            (self.whisper_edit, self.tr("Pilih folder model Whisper"))):
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(button(self.tr("Pilih…"), slot=lambda e=edit, t=title: self._browse(e, t)))
            edit.textChanged.connect(self._recheck)
            mform.addRow(self.tr("Model gambar (diffusers)") if edit is self.diffusers_edit
                         else self.tr("Model Whisper"), row)
        mform.addRow(self.tr("Folder model bersama"), label(str(paths.models_dir()), "muted", wrap=True,
                                                            selectable=True))
        mform.addRow("", label(self.tr("Untuk pelatihan luring: salin folder model dari USB, lalu "
                                       "arahkan STUDIO_MODELS_DIR ke sana atau pilih foldernya di atas."),
                               "muted", wrap=True))
        self.tabs.addTab(models, self.tr("Model"))

        # -- llm
        llm = QWidget()
        lform = QFormLayout(llm)
        lform.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.base_url_edit = QLineEdit(self.settings.llm.base_url)
        self.model_edit = QLineEdit(self.settings.llm.model)
        self.model_edit.setPlaceholderText(self.tr("mis. qwen2.5:7b-instruct (Ollama) atau gpt-4o-mini"))
        self.base_url_edit.textChanged.connect(self._recheck)
        self.model_edit.textChanged.connect(self._recheck)
        lform.addRow(self.tr("Alamat server (OpenAI-compatible)"), self.base_url_edit)
        lform.addRow(self.tr("Nama model"), self.model_edit)
        source = api_key_source(self.settings)
        self.key_label = label(
            self.tr("Kunci API ditemukan ({source}). Kunci tidak pernah disimpan di proyek.").format(source=source)
            if source else self.tr("Kunci API tidak ditemukan. Untuk layanan berbayar, setel variabel "
                                   "lingkungan {var} atau simpan di keyring sistem; server lokal seperti "
                                   "Ollama tidak memerlukannya.").format(var=self.settings.llm.api_key_env),
            tone="ok" if source else "", wrap=True)
        lform.addRow(self.tr("Kunci API"), self.key_label)
        ping_row = QHBoxLayout()
        self.ping_button = button(self.tr("Tes koneksi"), slot=self._on_ping)
        self.ping_label = label(role="small", wrap=True)
        ping_row.addWidget(self.ping_button)
        ping_row.addWidget(self.ping_label, 1)
        lform.addRow("", ping_row)
        self.tabs.addTab(llm, self.tr("Server AI (LLM)"))
        self._ping = LatestOnly(self)
        self._ping.done.connect(self._on_ping_done)
        self._ping.errored.connect(lambda _k, exc: self._on_ping_done(None, [str(exc)]))

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
        self._recheck()
        self.resize(self.fontMetrics().horizontalAdvance("0") * 90, self.fontMetrics().height() * 30)

    def _browse(self, edit: QLineEdit, title: str) -> None:
        folder = dialogs.choose_folder(self, title, edit.text())
        if folder is not None:
            edit.setText(str(folder))

    def current(self) -> Settings:
        """The settings as the dialog shows them now."""
        s = self.settings.model_copy(deep=True)
        for kind, combo in self.engine_combos.items():
            setattr(s.engines, kind, combo.currentData())
        s.models.diffusers = self.diffusers_edit.text().strip()
        s.models.whisper = self.whisper_edit.text().strip()
        s.llm.base_url = self.base_url_edit.text().strip()
        s.llm.model = self.model_edit.text().strip()
        s.ui_language = self.language_combo.currentData()
        return s

    def _recheck(self) -> None:
        settings = self.current()
        for kind, combo in self.engine_combos.items():
            ready, text = preflight_text(combo.currentData(), settings)
            status = self.engine_status[kind]
            status.setText("✓ " + self.tr("Siap dipakai") if ready else "✗ " + text)
            set_tone(status, "ok" if ready else "bad")

    def preflight_message(self, kind: str) -> str:
        return self.engine_status[kind].text()

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

