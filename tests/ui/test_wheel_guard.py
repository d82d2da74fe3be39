"""Scrolling a page over a combo box must not change it (issue 16 #10): an unfocused value
widget hands the wheel to the page, which scrolls; a focused one still takes it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QSpinBox, QVBoxLayout, QWidget

from studio.ui.app import create_app


def _wheel(widget: QWidget, steps: int = -1) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(QPoint(int(centre.x()), int(centre.y())))),
                        QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_scrolls_the_page_not_an_unfocused_combo(qtbot) -> None:  # noqa: ANN001
    create_app([])  # installs the guard, as the window does
    area = QScrollArea()
    body = QWidget()
    layout = QVBoxLayout(body)
    combo, spin = QComboBox(), QSpinBox()
    combo.addItems(["auto", "zoom masuk", "zoom keluar", "geser"])
    layout.addWidget(combo)
    layout.addWidget(spin)
    layout.addSpacing(3000)
    area.setWidget(body)
    area.resize(400, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.setFocus()
    before = area.verticalScrollBar().value()
    _wheel(combo)
    _wheel(spin)
    assert (combo.currentIndex(), spin.value()) == (0, 0)
    assert area.verticalScrollBar().value() > before  # the page moved instead
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo)
    assert combo.currentIndex() == 1  # focused: the wheel is the creator's choice
