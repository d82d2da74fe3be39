"""Combo boxes, spin boxes and sliders take the mouse wheel only when they have focus.

A creator scrolling the Naskah or Gambar page with the wheel passed over a scene's "Gerak"
combo and silently changed it (issue 16). Qt's default sends the wheel to whatever is under
the pointer; here an unfocused value widget hands it to the page it sits in instead, so the
page scrolls and nothing changes. Click (or tab to) the widget first to change it by wheel.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QScrollBar,
    QWidget,
)

_VALUE_WIDGETS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


class WheelGuard(QObject):
    """An application-wide event filter (``install``); cheap for every other event."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.Wheel or not isinstance(obj, _VALUE_WIDGETS) or obj.hasFocus():
            return False
        if isinstance(obj, QScrollBar):
            return False  # a scroll bar scrolls: that is what the wheel is for
        area = _scroll_area_of(obj)
        if area is not None:
            QCoreApplication.sendEvent(area.verticalScrollBar(), event)
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def install(app: QCoreApplication) -> WheelGuard:
    """Install the guard on ``app`` once; returns it (kept alive by the app as its parent)."""
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    return guard
