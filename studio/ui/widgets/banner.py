"""The banner that lists a project's missing or damaged files, with a way out for each.

Shown under the top bar when an opened project refers to files that are not there
(moved, deleted, empty, or changed outside the app). Each row says which file, in
words, and offers: "Pakai <file>" when a file that looks like it is found in the
project, "Sambungkan ulang…" (pick the file), "Buat ulang" (make it again), and for a
file edited outside the app "Pakai apa adanya". The widget only shows and signals;
the window asks the session to do the work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from studio.ui.widgets.common import button, clear_layout, label, set_tone


class AssetRow(QWidget):
    """One missing or damaged file: its sentence and its buttons."""

    def __init__(self, issue: Any, text: str, suggestion: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.issue = issue
        self.suggestion = suggestion
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.text = label(text, wrap=True)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.text, 1)
        self.suggest_button: QPushButton | None = None
        if suggestion:
            name = suggestion if len(suggestion) <= 32 else "…" + suggestion[-31:]
            self.suggest_button = button(self.tr("Pakai {file}").format(file=name), "primary",
                                         tip=self.tr("Berkas ini ditemukan di folder proyek: {file}")
                                         .format(file=suggestion))
            row.addWidget(self.suggest_button)
        self.accept_button: QPushButton | None = None
        if issue.problem == "changed":
            self.accept_button = button(self.tr("Pakai apa adanya"),
                                        tip=self.tr("Simpan berkas yang sudah diubah ini sebagai "
                                                    "bagian proyek."))
            row.addWidget(self.accept_button)
        self.relink_button = button(self.tr("Sambungkan ulang…"),
                                    tip=self.tr("Pilih berkas aslinya; berkas itu disalin ke folder "
                                                "proyek dengan nama yang diharapkan."))
        row.addWidget(self.relink_button)
        self.regenerate_button = button(self.tr("Buat ulang"),
                                        tip=self.tr("Buat berkas ini lagi di langkahnya."))
        row.addWidget(self.regenerate_button)


class AssetBanner(QFrame):
    """Missing or damaged project files, a few rows at a time, with "Buat ulang semua"."""

    relinkClicked = Signal(object)
    """An AssetIssue: the creator wants to pick its file."""
    suggestionClicked = Signal(object, str)
    """(AssetIssue, project-relative path of the file found in the project)."""
    regenerateClicked = Signal(object)
    """A list of AssetIssue to make again."""
    acceptClicked = Signal(object)
    """An AssetIssue whose changed file is kept as it is."""

    MAX_ROWS = 3
    """More rows would push the page off a 768-pixel screen; the rest are counted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner")
        set_tone(self, "warn")
        # Compact buttons: with four rows the banner must leave room for the page on a
        # 1366×768 laptop screen.
        self.setStyleSheet("QPushButton { padding: 0.1em 0.7em; min-height: 1.3em; }")
        self.issues: list[Any] = []
        self.rows: list[AssetRow] = []
        box = QVBoxLayout(self)
        box.setContentsMargins(10, 6, 10, 6)
        box.setSpacing(2)
        head = QHBoxLayout()
        self.heading = label(wrap=True)
        self.heading.setStyleSheet("font-weight: 600;")
        self.heading.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        head.addWidget(self.heading, 1)
        self.regenerate_all_button = button(self.tr("Buat ulang semua"), "link")
        self.regenerate_all_button.clicked.connect(lambda: self.regenerateClicked.emit(list(self.issues)))
        head.addWidget(self.regenerate_all_button)
        self.close_button = button(self.tr("Nanti saja"), "link", tip=self.tr("Sembunyikan pesan ini; berkas "
                                                                     "yang hilang tetap dicatat."))
        self.close_button.clicked.connect(self.hide)
        head.addWidget(self.close_button)
        box.addLayout(head)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(2)
        box.addLayout(self._rows)
        self.more = label(role="small")
        box.addWidget(self.more)
        self.hide()

    def set_issues(self, issues: list[Any], describe: Callable[[Any], str],
                   suggest: Callable[[Any], list[str]]) -> None:
        """Show ``issues`` (hide when empty); ``describe`` words one, ``suggest`` finds candidates."""
        self.issues = list(issues)
        clear_layout(self._rows)
        self.rows = []
        if not self.issues:
            self.hide()
            return
        n = len(self.issues)
        self.heading.setText(self.tr(
            "{n} berkas proyek hilang atau berubah. Tidak ada yang dihapus: sambungkan ulang "
            "berkas yang dipindah, atau buat ulang.").format(n=n))
        for issue in self.issues[:self.MAX_ROWS]:
            found = suggest(issue) if issue.problem in ("missing", "empty") else []
            row = AssetRow(issue, describe(issue), found[0] if found else None)
            row.relink_button.clicked.connect(lambda _c=False, i=issue: self.relinkClicked.emit(i))
            row.regenerate_button.clicked.connect(lambda _c=False, i=issue: self.regenerateClicked.emit([i]))
            if row.suggest_button is not None:
                row.suggest_button.clicked.connect(
                    lambda _c=False, i=issue, f=row.suggestion: self.suggestionClicked.emit(i, f))
            if row.accept_button is not None:
                row.accept_button.clicked.connect(lambda _c=False, i=issue: self.acceptClicked.emit(i))
            self._rows.addWidget(row)
            self.rows.append(row)
        rest = n - len(self.rows)
        self.more.setText(self.tr("… dan {n} berkas lainnya.").format(n=rest) if rest > 0 else "")
        self.more.setVisible(rest > 0)
        self.regenerate_all_button.setVisible(n > 1)
        self.show()
