"""The "Impor naskah" dialog: paste a script or open a .txt / .md / .docx, choose how it is
split into scenes, and say where it came from (``OriginPicker``). The work itself is
``pipeline.imports.script``; the page runs it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import StudioError
from studio.core.origin import Origin
from studio.ui import dialogs
from studio.ui.widgets.common import button, label
from studio.ui.widgets.origin import OriginPicker

SCRIPT_FILTER = "Naskah / Script (*.txt *.md *.markdown *.docx);;*"


@dataclass
class ScriptChoice:
    """What the creator chose: a file (``path``) or pasted ``text``, the split, the origin."""

    text: str
    path: Path | None
    split: str
    declared: Origin | None


class ScriptImportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Impor naskah"))
        self.resize(640, 520)
        self.path: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(label(self.tr("Tempel naskah yang Anda tulis di tempat lain, atau buka berkas .txt, "
                                       ".md atau .docx. Naskah ini menggantikan semua adegan yang ada."),
                               wrap=True))
        row = QHBoxLayout()
        self.open_button = button(self.tr("Buka berkas…"), slot=self._on_open)
        self.file_label = label(role="muted")
        row.addWidget(self.open_button)
        row.addWidget(self.file_label, 1)
        layout.addLayout(row)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("Tempel naskah di sini. Satu paragraf = satu adegan."))
        self.text.textChanged.connect(self._on_typed)
        layout.addWidget(self.text, 1)
        split = QHBoxLayout()
        split.addWidget(label(self.tr("Bagi menjadi adegan:"), "muted"))
        self.by_paragraph = QRadioButton(self.tr("per paragraf"))
        self.by_sentence = QRadioButton(self.tr("per kalimat, sesuai jatah kata"))
        self.by_paragraph.setChecked(True)
        split.addWidget(self.by_paragraph)
        split.addWidget(self.by_sentence)
        split.addStretch(1)
        layout.addLayout(split)
        layout.addWidget(label(self.tr("Dari mana naskah ini?"), "h2"))
        self.origin = OriginPicker()
        layout.addWidget(self.origin)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Impor"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Batal"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._on_typed()

    def load_file(self, path: Path) -> bool:
        """Show the file's text (refused files get the sentence and leave the dialog as it was)."""
        from studio.pipeline.imports.document import read_script_file

        try:
            text = read_script_file(path)
        except StudioError as exc:
            dialogs.show_error(self, exc, title=self.tr("Naskah tidak bisa dibuka"))
            return False
        self.text.blockSignals(True)
        self.text.setPlainText(text)
        self.text.blockSignals(False)
        self.path = Path(path)
        self.file_label.setText(self.path.name)
        self._on_typed(keep_path=True)
        return True

    def _on_open(self) -> None:
        path = dialogs.choose_file(self, self.tr("Buka naskah"), SCRIPT_FILTER)
        if path is not None:
            self.load_file(path)

    def _on_typed(self, keep_path: bool = False) -> None:
        if not keep_path and self.path is not None:
            # Typed over the file's text: it is now pasted text (the record says so).
            self.path = None
            self.file_label.setText(self.tr("(teks disunting)"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text.toPlainText().strip()))

    def choice(self) -> ScriptChoice:
        return ScriptChoice(text=self.text.toPlainText(), path=self.path,
                            split="sentence" if self.by_sentence.isChecked() else "paragraph",
                            declared=self.origin.value())
