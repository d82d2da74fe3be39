"""The always-visible indicators: the step list, the duration meter and the rule chip."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPushButton, QSizePolicy, QWidget

from studio.ui import style, texts

_GLYPH = {"done": "✓", "stale": "⟳", "partial": "◐", "missing": ""}


def state_icon(state: str, size: int = 22) -> QIcon:
    """A round state marker: filled green tick, amber refresh, blue half, grey ring."""
    pix = QPixmap(size * 2, size * 2)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = style.colour(state)
    rect = QRectF(3, 3, size * 2 - 6, size * 2 - 6)
    if state == "missing":
        p.setPen(QPen(QColor("#c5ccd6"), 3))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(rect)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(rect)
        p.setPen(QColor("white"))
        font = QFont()
        font.setPixelSize(int(size * 1.3))
        font.setBold(True)
        p.setFont(font)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, _GLYPH.get(state, ""))
    p.end()
    return QIcon(pix)


class StepList(QListWidget):
    """The steps in order with their state; always visible on the left."""

    stepChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepList")
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self._states: dict[str, str] = {}
        for key in texts.PAGES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.addItem(item)
        self.retranslate()
        self.currentRowChanged.connect(self._on_row)

    def retranslate(self) -> None:
        for i, key in enumerate(texts.PAGES):
            self._render(i, key)
        fm = self.fontMetrics()
        widest = max(fm.horizontalAdvance(self.item(i).text().split("\n")[0])
                     for i in range(self.count()))
        self.setFixedWidth(int(widest + fm.height() * 4.5))
        self.setIconSize(QSize(int(fm.height() * 1.2), int(fm.height() * 1.2)))

    def _render(self, row: int, key: str) -> None:
        item = self.item(row)
        state = self._states.get(key, "")
        number = f"{row}. " if row else ""
        text = number + texts.page_label(key)
        if state in ("stale", "partial"):
            text += "\n" + texts.state_label(state)
        item.setText(text)
        item.setIcon(state_icon(state) if state else QIcon())
        tip = texts.state_label(state) if state else ""
        item.setToolTip(f"{texts.page_label(key)}: {tip}" if tip else texts.page_label(key))

    def set_states(self, states: dict[str, str]) -> None:
        """``{page key: done|stale|missing|partial}`` (keys without a state show no icon)."""
        if states == self._states:
            return
        self._states = dict(states)
        for i, key in enumerate(texts.PAGES):
            self._render(i, key)

    def state(self, key: str) -> str:
        return self._states.get(key, "")

    def select(self, key: str) -> None:
        row = texts.PAGES.index(key)
        if self.currentRow() != row:
            self.blockSignals(True)
            self.setCurrentRow(row)
            self.blockSignals(False)

    def _on_row(self, row: int) -> None:
        if 0 <= row < len(texts.PAGES):
            self.stepChosen.emit(texts.PAGES[row])


class DurationMeter(QWidget):
    """A bar showing the video's length against the preset's range (e.g. 60–90 s)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.seconds = 0.0
        self.estimated = True
        self.lo, self.hi = 60.0, 90.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 40)

    def sizeHint(self) -> QSize:
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance("0") * 50, int(fm.height() * 2.6))

    def set_value(self, seconds: float, estimated: bool, lo: float, hi: float) -> None:
        self.seconds, self.estimated, self.lo, self.hi = seconds, estimated, lo, hi
        self.setToolTip(self.summary())
        self.update()

    def in_range(self) -> bool:
        return self.lo - 1e-6 <= self.seconds <= self.hi + 1e-6

    def summary(self) -> str:
        approx = "~" if self.estimated else ""
        text = self.tr("Durasi {approx}{value} · target {lo}–{hi}").format(
            approx=approx, value=texts.seconds(self.seconds), lo=texts.number(self.lo, 0),
            hi=texts.seconds(self.hi, 0))
        if self.estimated:
            text += " " + self.tr("(perkiraan)")
        return text

    def paintEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        w, h = self.width(), self.height()
        text_h = fm.height()
        bar_y = text_h + 4
        bar_h = max(6, h - bar_y - 3)
        top = max(self.hi * 1.25, self.seconds * 1.05, 1.0)
        scale = (w - 2) / top
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#e3e8ef"))
        p.drawRoundedRect(QRectF(1, bar_y, w - 2, bar_h), bar_h / 2, bar_h / 2)
        p.setBrush(QColor("#cfe8d6"))
        p.drawRect(QRectF(1 + self.lo * scale, bar_y, (self.hi - self.lo) * scale, bar_h))
        ok = self.in_range()
        fill = QColor(style.OK if ok else (style.WARN if self.seconds < self.lo else style.BAD))
        p.setBrush(fill)
        p.drawRoundedRect(QRectF(1, bar_y + bar_h * 0.25, max(bar_h / 2, self.seconds * scale),
                                 bar_h * 0.5), bar_h / 4, bar_h / 4)
        p.setPen(QColor(style.INK))
        p.drawText(QRectF(0, 0, w, text_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                   self.summary())
        p.end()


class RuleChip(QPushButton):
    """"Aturan: ✓ terpenuhi / ⚠ 2 perlu perhatian / ✗ 1 memblokir" — click to see the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.blocking = 0
        self.warnings = 0
        self.set_counts(0, 0)

    def set_counts(self, blocking: int, warnings: int, *, known: bool = True) -> None:
        self.blocking, self.warnings = blocking, warnings
        if not known:
            text, colour = self.tr("Aturan: belum diperiksa"), style.MUTED
        elif blocking:
            text = self.tr("✗ {n} aturan memblokir ekspor").format(n=blocking)
            colour = style.BAD
        elif warnings:
            text = self.tr("⚠ {n} perlu perhatian").format(n=warnings)
            colour = style.WARN
        else:
            text, colour = self.tr("✓ Aturan terpenuhi"), style.OK
        self.setText(text)
        self.setStyleSheet(f"QPushButton {{ color: {colour}; font-weight: 600; }}")
        self.setToolTip(self.tr("Lihat daftar periksa aturan di halaman Pratinjau & Ekspor"))
