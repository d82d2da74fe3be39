"""The Qt binding itself must not corrupt the interpreter: PySide6 6.12.0's ``Signal.emit()``
released a reference to ``True`` it never took, so after a few thousand emits (progress, a
playing preview's positions) Python died with "bool_dealloc". pyproject excludes that version;
this test fails on any binding with the same fault."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    bare = Signal()
    flag = Signal(bool)
    seconds = Signal(float)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def slot(self, *_args: object) -> None:
        self.count += 1


def test_emitting_a_signal_keeps_every_reference_count(qapp) -> None:  # noqa: ANN001
    emitter, receiver = _Emitter(), _Receiver()
    emitter.flag.connect(receiver.slot)
    emitter.seconds.connect(receiver.slot)
    before = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    for _ in range(300):  # well under True's count, so a faulty binding fails here, not by crashing
        emitter.bare.emit()
        emitter.flag.emit(False)
        emitter.seconds.emit(1.5)
    after = (sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None))
    assert receiver.count == 600
    assert [a - b for a, b in zip(after, before)] == [0, 0, 0]
