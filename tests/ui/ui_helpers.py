"""Helpers for the UI tests: click a widget, wait for the running job."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def click(qtbot, widget: QWidget) -> None:  # noqa: ANN001
    """Click like a user: the widget must be shown and enabled."""
    QApplication.processEvents()  # children added to a visible layout are shown on the next loop
    assert widget.isVisible() and widget.isEnabled(), f"{widget.text() if hasattr(widget, 'text') else widget} is not clickable"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def settle(*widgets: QWidget, turns: int = 100) -> None:
    """Turn the event loop until what ``widgets`` paint stops changing (layouts settle over a
    few turns: children added to a visible layout are shown on the next one). A condition,
    not a clock: it returns after two equal frames in a row (or ``turns`` turns, for a
    widget that animates)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    def frame() -> list:  # noqa: ANN202
        return [w.grab().toImage() for w in widgets]

    last = None
    for _ in range(turns):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()
        now = frame()
        if last is not None and now == last:
            return
        last = now


def wait_job(qtbot, window, timeout: int = 120_000) -> str:  # noqa: ANN001
    """Wait for the running job to end; returns ok / failed / cancelled (failures say why)."""
    outcome: list[str] = []
    failure: list[BaseException] = []
    session = window.session
    session.jobFailed.connect(lambda _step, exc: failure.append(exc))
    if not session.busy:
        raise AssertionError("no job is running")
    with qtbot.waitSignal(session.jobEnded, timeout=timeout) as blocker:
        pass
    outcome.append(blocker.args[1])
    if outcome[0] == "failed" and failure:
        exc = failure[0]
        text = exc.text("id") if hasattr(exc, "text") else str(exc)
        raise AssertionError(f"job {blocker.args[0]} failed: {text}") from exc
    return outcome[0]


def tone_wav(path, seconds: float = 0.6, rate: int = 16000):  # noqa: ANN001, ANN201 - Path
    """A 440 Hz mono WAV of ``seconds`` at ``path`` (parents made), for the players."""
    import math
    import struct
    import wave
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * i / rate)))
                               for i in range(int(seconds * rate))))
    return path


def new_project_with_scenes(qtbot, w, folder, scenes: int) -> None:  # noqa: ANN001
    """Through the window: a free-preset project in ``folder`` with ``scenes`` typed scenes."""
    start = w.pages["start"]
    qtbot.keyClicks(start.title_edit, "Tumpeng")
    qtbot.keyClicks(start.folder_edit, str(folder))
    start.preset_combo.setCurrentIndex(start.preset_combo.findData("free"))
    click(qtbot, start.create_button)
    w.go("script")
    script = w.pages["script"]
    for i in range(scenes):
        click(qtbot, script.add_button)
        qtbot.keyClicks(script.cards[-1].narration, f"Tumpeng disusun pelan-pelan, adegan {i + 1}.")
