"""Every message box and file chooser the window shows, in one place.

Errors become an ``ErrorDialog``: the sentence from ``StudioError.text(language)``
(what went wrong and what to do), and the technical details behind "Tampilkan
detail" with a "Salin detail" button. It is window-modal but opened without a
nested event loop (``open()``), so a running job and the tests keep going.

File choosers go through ``choose_*`` functions so the rest of the UI (and the
tests, which replace them) never call QFileDialog directly.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from studio.core.errors import EngineUnavailable, StudioError
from studio.ui import i18n, texts
from studio.ui.widgets.common import button, label

AUDIO_FILTER = "Audio (*.wav *.mp3 *.m4a *.aac *.ogg *.oga *.opus *.flac *.webm *.mp4 *.3gp *.amr);;*"
IMAGE_FILTER = "Gambar / Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;*"
# Phones name their clips in capitals (IMG_0001.MOV, VID_2024.MP4): both spellings are offered.
VIDEO_FILTER = ("Video (*.mp4 *.mov *.mkv *.webm *.3gp *.m4v *.MP4 *.MOV *.MKV *.WEBM *.3GP *.M4V);;"
                "Gambar / Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;*")
SRT_FILTER = "SubRip (*.srt);;WebVTT (*.vtt);;*"


class ErrorDialog(QDialog):
    """A failure in words a creator can act on, with copyable technical details."""

    def __init__(self, parent: QWidget | None, title: str, message: str, details: str,
                 actions: list[tuple[str, Callable[[], object]]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.message = message
        self.details = details
        box = QVBoxLayout(self)
        box.setSpacing(12)
        heading = label(title, "h2")
        box.addWidget(heading)
        self.message_label = label(message, wrap=True, selectable=True)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 64)
        box.addWidget(self.message_label)
        self.details_box = QPlainTextEdit(details)
        self.details_box.setReadOnly(True)
        self.details_box.setVisible(False)
        self.details_box.setMinimumHeight(self.fontMetrics().height() * 8)
        box.addWidget(self.details_box)
        row = QHBoxLayout()
        self.toggle_button = button(self.tr("Tampilkan detail"))
        self.toggle_button.clicked.connect(self._toggle)
        self.copy_button = button(self.tr("Salin detail"))
        self.copy_button.clicked.connect(self.copy_details)
        self.ok_button = button(self.tr("Tutup"), "primary")
        self.ok_button.clicked.connect(self.accept)
        self.ok_button.setDefault(True)
        row.addWidget(self.toggle_button)
        row.addWidget(self.copy_button)
        row.addStretch(1)
        self.action_buttons: list[QPushButton] = []
        """A way out offered with the message (e.g. "Pulihkan dari cadangan"): the first is
        the default; clicking one closes the dialog, then runs its action."""
        for i, (caption, slot) in enumerate(actions or []):
            action = button(caption, "primary" if i == 0 else "")
            action.clicked.connect(lambda _checked=False, run=slot: self._run(run))
            row.addWidget(action)
            self.action_buttons.append(action)
        if self.action_buttons:
            self.ok_button.setProperty("role", "")
            self.ok_button.setDefault(False)
            self.action_buttons[0].setDefault(True)
        row.addWidget(self.ok_button)
        box.addLayout(row)
        if not details:
            self.toggle_button.hide()

    def _run(self, slot: Callable[[], object]) -> None:
        self.accept()
        slot()

    def _toggle(self) -> None:
        shown = not self.details_box.isVisible()
        self.details_box.setVisible(shown)
        self.toggle_button.setText(self.tr("Sembunyikan detail") if shown else self.tr("Tampilkan detail"))
        self.adjustSize()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(f"{self.message}\n\n{self.details}".strip())


def error_details(exc: BaseException) -> str:
    """Technical text for the details box: the English message, details and traceback."""
    parts = [f"{exc.__class__.__name__}: {exc}"]
    if isinstance(exc, StudioError) and exc.details:
        parts.append(exc.details)
    if isinstance(exc, EngineUnavailable) and exc.problems:
        parts.append("\n".join(f"- {p}" for p in exc.problems))
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if tb.strip():
        parts.append(tb)
    return "\n\n".join(parts)


def error_message(exc: BaseException) -> str:
    """The sentence to show: a StudioError's own words, or a generic plea with what happened."""
    if isinstance(exc, StudioError):
        return texts.error_text(exc)
    if isinstance(exc, MemoryError):
        return QCoreApplication.translate(
            "Dialogs", "Memori komputer tidak cukup. Tutup aplikasi lain lalu coba lagi; untuk gambar AI, "
                       "pilih ukuran lebih kecil di Pengaturan.")
    return QCoreApplication.translate(
        "Dialogs", "Terjadi kesalahan yang tidak terduga ({name}). Simpan proyek, lalu coba lagi. Jika "
                   "berulang, salin detail dan kirimkan ke pelatih atau tim pendukung.",
    ).format(name=exc.__class__.__name__)


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "", note: str = "",
               actions: list[tuple[str, Callable[[], object]]] | None = None) -> ErrorDialog:
    """Open (not exec) an ErrorDialog for ``exc`` and return it.

    ``note`` is a second paragraph (what the offered ``actions`` would do).
    """
    title = title or QCoreApplication.translate("Dialogs", "Tidak berhasil")
    message = error_message(exc) + (f"\n\n{note}" if note else "")
    dialog = ErrorDialog(parent, title, message, error_details(exc), actions)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def confirm(parent: QWidget | None, title: str, text: str, yes: str, no: str = "") -> bool:
    """A yes/no question with our own button texts (Qt ships no Indonesian buttons)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText(text)
    box.setIcon(QMessageBox.Icon.Question)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no or QCoreApplication.translate("Dialogs", "Batal"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_button)
    box.exec()
    return box.clickedButton() is yes_button


def choose_action(parent: QWidget | None, title: str, text: str, buttons: list[str]) -> int:
    """Ask with our own button texts; returns the index of the clicked one (-1: closed)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setText(text)
    box.setIcon(QMessageBox.Icon.Warning)
    made = [box.addButton(caption, QMessageBox.ButtonRole.AcceptRole if i == 0
                          else QMessageBox.ButtonRole.RejectRole if i == len(buttons) - 1
                          else QMessageBox.ButtonRole.DestructiveRole)
            for i, caption in enumerate(buttons)]
    if made:
        box.setDefaultButton(made[0])
    box.exec()
    clicked = box.clickedButton()
    return next((i for i, b in enumerate(made) if b is clicked), -1)


def choose_folder(parent: QWidget | None, title: str, start: str = "") -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title, start or str(Path.home()))
    return Path(folder) if folder else None


def choose_file(parent: QWidget | None, title: str, filters: str, start: str = "") -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, start or str(Path.home()), filters)
    return Path(path) if path else None


def choose_save(parent: QWidget | None, title: str, filters: str, suggested: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(path) if path else None


def open_folder(path: Path) -> bool:
    """Show ``path`` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def open_external(parent: QWidget | None, path: Path) -> ErrorDialog | None:
    """Open ``path`` (a folder or a file) in the system's app; when this computer has none that
    can (no file manager, no video player), say so with the path to open by hand (copyable)."""
    if open_folder(path):
        return None
    if Path(path).is_dir():
        text = QCoreApplication.translate(
            "Dialogs", "Komputer ini tidak punya pengelola berkas yang bisa membuka folder ini. Bukalah sendiri: {path}")
    else:
        text = QCoreApplication.translate(
            "Dialogs", "Komputer ini tidak punya aplikasi yang bisa membuka berkas ini. Bukalah sendiri: {path}")
    title = QCoreApplication.translate("Dialogs", "Tidak bisa dibuka dari sini")
    dialog = ErrorDialog(parent, title, text.format(path=path), str(path))
    dialog.open()
    return dialog


class ReportDialog(QDialog):
    """The AI-usage report (laporan-ai.html) shown inside the app (no web engine needed)."""

    def __init__(self, parent: QWidget | None, html_path: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Laporan penggunaan AI"))
        self.path = Path(html_path)
        box = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(self.path.parent)])
        self.browser.setHtml(self.path.read_text(encoding="utf-8"))
        box.addWidget(self.browser, 1)
        row = QHBoxLayout()
        external = button(self.tr("Buka di peramban"))
        external.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))))
        close: QPushButton = button(self.tr("Tutup"), "primary")
        close.clicked.connect(self.accept)
        row.addWidget(external)
        row.addStretch(1)
        row.addWidget(close)
        box.addLayout(row)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            geo = screen.availableGeometry()
            self.resize(int(geo.width() * 0.6), int(geo.height() * 0.8))


def language() -> str:
    return i18n.language()
