"""Where an imported piece came from: the creator's declaration (``core.origin``), as a combo.

``OriginPicker`` offers "Karya saya sendiri", the common AI tools by name, and any other
name typed into the combo (with an optional model). ``changed`` fires on every change;
``committed`` once a choice is made (picked from the list, or typing finished), which is
when a page records a new declaration.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from studio.core.errors import UsageError
from studio.core.origin import KNOWN_TOOLS, OWN_WORK_ID, Origin, made_with_ai, own_work

UNDECLARED = 0
OWN = 1


class OriginPicker(QWidget):
    """A combo (not declared / own work / a known AI tool / a typed name) and a model field."""

    changed = Signal()
    committed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItem(self.tr("— pilih asal —"))
        self.combo.addItem(OWN_WORK_ID)
        for tool in KNOWN_TOOLS:
            self.combo.addItem(self.tr("AI: {tool}").format(tool=tool), tool)
        self.combo.lineEdit().setPlaceholderText(self.tr("atau ketik nama alat AI lain"))
        self.combo.setToolTip(self.tr("Dibuat dengan alat AI lain (pilih atau ketik namanya), atau karya "
                                      "Anda sendiri. Ini dicatat di log AI, laporan dan kartu penutup."))
        self.model = QLineEdit()
        self.model.setPlaceholderText(self.tr("model, bila tahu (misalnya GPT-4o)"))
        form.addRow(self.tr("Asal"), self.combo)
        form.addRow(self.tr("Model AI"), self.model)
        self.combo.currentTextChanged.connect(self._on_changed)
        self.model.textChanged.connect(lambda _t: self.changed.emit())
        self.combo.activated.connect(lambda _i: self.committed.emit())
        self.combo.lineEdit().editingFinished.connect(self.committed.emit)
        self.model.editingFinished.connect(self.committed.emit)
        self._on_changed()

    def _tool_text(self) -> str:
        text = self.combo.currentText().strip()
        i = self.combo.findText(text)
        if i >= 2:
            return str(self.combo.itemData(i))
        return text

    def _on_changed(self, _text: str = "") -> None:
        self.model.setEnabled(self.combo.currentIndex() != OWN and self.combo.findText(
            self.combo.currentText()) not in (UNDECLARED, OWN))
        self.changed.emit()

    def value(self) -> Origin | None:
        """The declaration shown (None when the creator has not chosen one)."""
        text = self.combo.currentText().strip()
        index = self.combo.findText(text)
        if not text or index == UNDECLARED:
            return None
        if index == OWN:
            return own_work()
        try:
            return made_with_ai(self._tool_text(), self.model.text())
        except UsageError:
            return None

    def set_value(self, origin: Origin | None) -> None:
        if origin is None:
            self.combo.setCurrentIndex(UNDECLARED)
            self.model.clear()
        elif origin.kind == "own":
            self.combo.setCurrentIndex(OWN)
            self.model.clear()
        else:
            i = self.combo.findData(origin.tool)
            if i >= 0:
                self.combo.setCurrentIndex(i)
            else:
                self.combo.setEditText(origin.tool)
            self.model.setText(origin.model)
