"""One scene of the script as an editable card: narration, on-screen text, image prompt."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from studio.core.project import Scene
from studio.ui import texts
from studio.ui.widgets.common import Card, button, label, set_tone
from studio.ui.widgets.limits import limit_line, limit_plain


class SceneCard(Card):
    """Edits one Scene in place; tells the page what changed."""

    edited = Signal(str, str)
    """(scene id, field) after the creator typed in narration / on_screen_text / image_prompt."""
    moveRequested = Signal(str, int)
    removeRequested = Signal(str)
    reviewed = Signal(str)

    def __init__(self, scene: Scene, index: int, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.scene_id = scene.id
        head = QHBoxLayout()
        self.number = label(role="h2")
        self.duration = label(role="muted")
        self.source = label(role="badge")
        self.fit_hint = label(role="badge", tone="warn")
        self.fit_hint.hide()
        head.addWidget(self.number)
        head.addWidget(self.duration)
        head.addWidget(self.source)
        head.addWidget(self.fit_hint)
        head.addStretch(1)
        self.up_button = button("↑", "icon", tip=self.tr("Pindah ke atas"))
        self.down_button = button("↓", "icon", tip=self.tr("Pindah ke bawah"))
        self.remove_button = button("✕", "icon", tip=self.tr("Hapus adegan ini"))
        self.remove_button.setProperty("role", "danger")
        for b in (self.up_button, self.down_button, self.remove_button):
            head.addWidget(b)
        self.body.addLayout(head)

        self.narration = QPlainTextEdit(scene.narration)
        self.narration.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.narration.setTabChangesFocus(True)
        self.narration.setPlaceholderText(self.tr("Narasi yang dibacakan pada adegan ini"))
        lines = 3.6
        self.narration.setFixedHeight(int(self.fontMetrics().lineSpacing() * lines + 16))
        self.body.addWidget(self.narration)
        # Bilingual projects: the narration's rendering in the subtitle language (shown by the page).
        self.subtitle = QPlainTextEdit(scene.subtitle)
        self.subtitle.setWordWrapMode(QTextOption.WrapMode.WordWrap)
        self.subtitle.setTabChangesFocus(True)
        self.subtitle.setFixedHeight(int(self.fontMetrics().lineSpacing() * 2.6 + 16))
        self.subtitle.hide()
        self.subtitle_label = label(role="muted")
        self.subtitle_label.hide()
        self.body.addWidget(self.subtitle_label)
        self.body.addWidget(self.subtitle)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.on_screen = QLineEdit(scene.on_screen_text)
        self.on_screen.setPlaceholderText(self.tr("Teks singkat yang tampil di layar (boleh kosong)"))
        self.prompt = QLineEdit(scene.image_prompt)
        self.prompt.setPlaceholderText(self.tr("Deskripsi gambar, sebaiknya dalam bahasa Inggris"))
        form.addRow(self.tr("Teks di layar"), self.on_screen)
        form.addRow(self.tr("Prompt gambar"), self.prompt)
        self.body.addLayout(form)

        self.review_row = QHBoxLayout()
        self.review = label(tone="warn", wrap=True)
        self.review_button = button(self.tr("Sudah saya periksa"), tip=self.tr(
            "Tandai bahwa fakta dari AI ini sudah Anda periksa kebenarannya"))
        self.review_row.addWidget(self.review, 1)
        self.review_row.addWidget(self.review_button)
        self.body.addLayout(self.review_row)

        limit_plain(self.narration, "Scene.narration")
        limit_line(self.on_screen, "Scene.on_screen_text")
        limit_line(self.prompt, "Scene.image_prompt")
        self.narration.textChanged.connect(lambda: self._on_changed("narration"))
        self.subtitle.textChanged.connect(lambda: self._on_changed("subtitle"))
        self.on_screen.textChanged.connect(lambda _t: self._on_changed("on_screen_text"))
        self.prompt.textChanged.connect(lambda _t: self._on_changed("image_prompt"))
        self.up_button.clicked.connect(lambda: self.moveRequested.emit(self.scene_id, -1))
        self.down_button.clicked.connect(lambda: self.moveRequested.emit(self.scene_id, 1))
        self.remove_button.clicked.connect(lambda: self.removeRequested.emit(self.scene_id))
        self.review_button.clicked.connect(lambda: self.reviewed.emit(self.scene_id))
        self.set_position(index, count)
        self.update_meta(None)

    def set_position(self, index: int, count: int) -> None:
        self.number.setText(self.tr("Adegan {n}").format(n=index + 1))
        self.up_button.setEnabled(index > 0)
        self.down_button.setEnabled(index < count - 1)

    def update_meta(self, seconds: tuple[float, bool] | None) -> None:
        """Refresh the duration, source badge and review warning from ``self.scene``."""
        s = self.scene
        if seconds is not None:
            value, estimated = seconds
            self.duration.setText(("≈ " if estimated else "") + texts.seconds(value))
            self.duration.setToolTip(self.tr("Perkiraan dari jumlah kata") if estimated
                                     else self.tr("Panjang suara yang sudah dibuat"))
        if s.source == "ai":
            text, tone = self.tr("Dari AI"), "ai"
        elif s.source == "template":
            text, tone = self.tr("Dari templat"), ""
        else:
            text, tone = self.tr("Tulisan Anda"), "ok"
        if s.edited and s.source != "human":
            text += " · " + self.tr("diedit")
        self.source.setText(text)
        set_tone(self.source, tone)
        claims = list(s.needs_review)
        self.review.setVisible(bool(claims))
        self.review_button.setVisible(bool(claims))
        if claims:
            self.review.setText(self.tr("Periksa fakta ini sebelum ekspor:") + " " + "; ".join(claims))

    def set_fit_hint(self, delta: int | None) -> None:
        """Show the duration fit's suggestion for this scene (words to cut or add), or hide it."""
        if not delta:
            self.fit_hint.hide()
            return
        text = self.tr("saran: {n} kata") if delta > 0 else self.tr("saran: −{n} kata")
        self.fit_hint.setText(text.format(n=f"+{delta}" if delta > 0 else abs(delta)))
        self.fit_hint.setToolTip(self.tr("Agar video masuk rentang durasi lomba (lihat kartu Durasi video)"))
        self.fit_hint.show()

    def show_subtitle(self, language_name: str) -> None:
        """Show the subtitle-language line (bilingual projects) or hide it (``language_name`` empty)."""
        self.subtitle.setVisible(bool(language_name))
        self.subtitle_label.setVisible(bool(language_name))
        if language_name:
            self.subtitle_label.setText(self.tr("Subtitle ({0})").format(language_name))
            self.subtitle.setPlaceholderText(self.tr("Terjemahan untuk subtitle, dalam {0}").format(language_name))
            self.narration.setPlaceholderText(self.tr("Narasi yang dibacakan, dalam bahasa narasi"))

    def _on_changed(self, field: str) -> None:
        value = {"narration": self.narration.toPlainText, "on_screen_text": self.on_screen.text,
                 "image_prompt": self.prompt.text, "subtitle": self.subtitle.toPlainText}[field]()
        if getattr(self.scene, field) == value:
            return
        setattr(self.scene, field, value)
        self.edited.emit(self.scene_id, field)
