"""Small building blocks shared by the pages: styled labels, buttons, cards, banners."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


def restyle(widget: QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def label(text: str = "", role: str = "", *, tone: str = "", wrap: bool = False,
          selectable: bool = False) -> QLabel:
    """A QLabel with a stylesheet role (h1, h2, muted, small, badge) and tone (ok, warn, bad)."""
    lab = QLabel(text)
    if role:
        lab.setProperty("role", role)
    if role == "badge":
        lab.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if tone:
        lab.setProperty("tone", tone)
    lab.setWordWrap(wrap)
    if selectable:
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return lab


def set_tone(widget: QWidget, tone: str) -> None:
    if widget.property("tone") != tone:
        widget.setProperty("tone", tone)
        restyle(widget)


def button(text: str, role: str = "", *, tip: str = "",
           slot: Callable[[], object] | None = None) -> QPushButton:
    """A QPushButton with a stylesheet role (primary, danger, link, icon)."""
    btn = QPushButton(text)
    if role:
        btn.setProperty("role", role)
    if tip:
        btn.setToolTip(tip)
    if slot is not None:
        btn.clicked.connect(lambda _checked=False: slot())
    btn.setCursor(Qt.CursorShape.PointingHandCursor)
    return btn


class Card(QFrame):
    """A white rounded panel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(14, 12, 14, 12)
        self.body.setSpacing(8)

    def set_state(self, state: str) -> None:
        if self.property("state") != state:
            self.setProperty("state", state)
            restyle(self)


class Banner(QFrame):
    """A one-line message with optional action buttons (info, warn, bad, ok)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner")
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.text = label(wrap=True)
        self.text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(self.text, 1)
        self._buttons = QHBoxLayout()
        row.addLayout(self._buttons)
        self.hide()

    def show_message(self, text: str, tone: str = "", actions: list[tuple[str, Callable[[], object]]] | None = None) -> None:
        self.text.setText(text)
        set_tone(self, tone)
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        for i, (caption, slot) in enumerate(actions or []):
            self._buttons.addWidget(button(caption, "primary" if i == 0 else "", slot=slot))
        self.show()

    def buttons(self) -> list[QPushButton]:
        return [self._buttons.itemAt(i).widget() for i in range(self._buttons.count())
                if isinstance(self._buttons.itemAt(i).widget(), QPushButton)]


def clear_layout(layout) -> None:  # noqa: ANN001 - any QLayout
    """Remove and delete every widget and sub-layout of ``layout``."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            clear_layout(item.layout())


class ThumbnailLoader(QObject):
    """Decodes and scales pictures on the thread pool; ``loaded(key, QImage)`` on the GUI thread.

    A 1080×1920 PNG takes tens of milliseconds to decode; twelve of them on the GUI
    thread would freeze the window, so cards ask for their picture here.
    """

    loaded = Signal(object, object)
    _done = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache: dict[tuple, object] = {}
        self._done.connect(self._on_done)

    def request(self, key: object, path: str, max_w: int, max_h: int) -> None:
        from PySide6.QtCore import QThreadPool

        from studio.ui.jobs import _Task

        cache_key = (path, _mtime(path), max_w, max_h)
        if cache_key in self._cache:
            self.loaded.emit(key, self._cache[cache_key])
            return

        def work() -> None:
            image = _scaled_image(path, max_w, max_h)
            try:
                self._done.emit((key, cache_key), image)
            except RuntimeError:
                pass  # the loader went away with its page

        QThreadPool.globalInstance().start(_Task(work))

    def _on_done(self, keys: tuple, image: object) -> None:
        key, cache_key = keys
        self._cache[cache_key] = image
        self.loaded.emit(key, image)


def _mtime(path: str) -> float:
    import os

    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _scaled_image(path: str, max_w: int, max_h: int):  # noqa: ANN202 - QImage
    from PySide6.QtGui import QImageReader

    reader = QImageReader(path)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and size.width() > 0 and size.height() > 0:
        scale = min(max_w / size.width(), max_h / size.height(), 1.0)
        reader.setScaledSize(size * scale)
    return reader.read()
