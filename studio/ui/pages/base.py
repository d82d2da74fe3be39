"""What every step page has: a heading, a status banner, a body and a "Lanjut" bar.

A page is a view of ``Session.project``: ``refresh(area)`` redraws it from the
project (the window calls it when the page is shown and when the project changes
while it is visible), edits go back through ``session.touch()``. ``main_action()``
is the page's Ctrl+Enter. ``readiness()`` says whether the step is done; "Lanjut"
never dead-ends: when something is missing it says what, offers to do it, and still
lets the creator continue.
"""

from __future__ import annotations

from collections.abc import Callable
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from studio.ui import texts
from studio.ui.session.state import Session
from studio.ui.widgets.common import Banner, button, label


def display_name(item) -> str:  # noqa: ANN001 - a Preset or Theme
    """A preset's or theme's name in the UI language (English names where they exist)."""
    from studio.ui import i18n

    if i18n.language() != "id" and getattr(item, "name_en", ""):
        return str(item.name_en)
    return str(item.name)


class NextBar(QFrame):
    """The bottom of a page: a hint about what is missing and the "Lanjut" button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "nextbar")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 10, 0, 0)
        self.hint = Banner()
        row.addWidget(self.hint, 1)
        self.next_button = button(QCoreApplication.translate("Page", "Lanjut →"), "primary")
        self.next_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.next_button.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        row.addStretch(0)
        row.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignRight)


class Page(QWidget):
    """Base class of the step pages."""

    key = ""
    navigate = Signal(str)
    """Ask the window to show another page (by key)."""
    status = Signal(str)
    """A short message for the window's status bar."""
    openProject = Signal(object)
    """Ask the window to open the project folder (a Path); it says why one is refused."""
    failed = Signal(object, str)
    """(exception, title): the window shows the error dialog."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 16, 24, 12)
        outer.setSpacing(10)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = label(role="h1")
        self.intro = label(role="muted", wrap=True)
        titles.addWidget(self.title)
        titles.addWidget(self.intro)
        head.addLayout(titles, 1)
        self.head_actions = QHBoxLayout()
        head.addLayout(self.head_actions)
        outer.addLayout(head)
        self.banner = Banner()
        outer.addWidget(self.banner)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        outer.addLayout(self.body, 1)
        self.next_bar = NextBar()
        self.next_bar.next_button.clicked.connect(self.go_next)
        outer.addWidget(self.next_bar)
        if self.key in texts.PAGES:
            self.title.setText(texts.page_label(self.key))
        # The last page has no "next": its own main action (export) ends the path.
        self.next_bar.next_button.setVisible(self.next_key() is not None)

    def scroll_body(self) -> QVBoxLayout:
        """A layout inside a scroll area filling the body, for pages without their own
        scrolling list, so no page forces the window taller than a 1366×768 screen."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.setSpacing(10)
        scroll.setWidget(inner)
        self.body.addWidget(scroll, 1)
        return layout

    # ------------------------------------------------------------------ overridables

    def refresh(self, area: str = "all") -> None:
        """Redraw from the project. ``area`` says what changed ("all" after opening)."""

    def main_action(self) -> None:
        """The page's Ctrl+Enter (generate, transcribe, export...)."""

    def main_action_label(self) -> str:
        return ""

    def readiness(self) -> tuple[bool, str]:
        """(done, what is missing) for the "Lanjut" check."""
        if not self.session.is_open or self.key not in self.session.status():
            return True, ""
        st = self.session.status()[self.key]
        if st.state == "done":
            return True, ""
        if st.state == "stale":
            return False, QCoreApplication.translate(
                "Page", "Sebagian hasil langkah ini sudah tidak sesuai dengan langkah sebelumnya "
                        "(perlu diperbarui).")
        return False, QCoreApplication.translate("Page", "Langkah ini belum selesai.")

    # ------------------------------------------------------------------ shared behaviour

    @property
    def project(self):  # noqa: ANN201 - Project | None
        return self.session.project

    def next_key(self) -> str | None:
        if self.key not in texts.PAGES:
            return None
        i = texts.PAGES.index(self.key)
        return texts.PAGES[i + 1] if i + 1 < len(texts.PAGES) else None

    def go_next(self) -> None:
        """Continue, or explain what is missing and offer to do it (never a dead end)."""
        nxt = self.next_key()
        ready, why = self.readiness()
        if ready or not self.session.is_open:
            self.next_bar.hint.hide()
            if nxt:
                self.navigate.emit(nxt)
            return
        actions: list[tuple[str, Callable[[], object]]] = []
        if self.main_action_label():
            actions.append((self.main_action_label(), self.main_action))
        if nxt:
            actions.append((QCoreApplication.translate("Page", "Lanjut saja"), lambda: self._skip(nxt)))
        self.next_bar.hint.show_message(why, "warn", actions)

    def _skip(self, nxt: str) -> None:
        self.next_bar.hint.hide()
        self.navigate.emit(nxt)

    def show_state_banner(self) -> None:
        """The banner at the top: stale or partial output of this step, with a fix."""
        if not self.session.is_open or self.key not in self.session.status():
            self.banner.hide()
            return
        st = self.session.status()[self.key]
        fix = [(self.main_action_label(), self.main_action)] if self.main_action_label() else []
        if st.state == "stale":
            n = len(st.stale)
            if n:
                text = QCoreApplication.translate(
                    "Page", "{n} adegan perlu diperbarui karena naskah atau pengaturan berubah.").format(n=n)
            else:
                text = QCoreApplication.translate(
                    "Page", "Hasil langkah ini perlu diperbarui karena langkah sebelumnya berubah.")
            self.banner.show_message("⟳ " + text, "warn", fix)
        elif st.state == "partial" and st.total:
            text = QCoreApplication.translate("Page", "{done} dari {total} adegan sudah selesai.")
            self.banner.show_message(text.format(done=st.done, total=st.total), "", fix)
        else:
            self.banner.hide()

    def busy_changed(self, busy: bool) -> None:
        """A job started or ended; pages disable their run buttons meanwhile."""
