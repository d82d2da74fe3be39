"""A step whose engine is not ready says why (in Indonesian) and runs nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from ui_helpers import click

from studio.core import ailog


def test_diffusers_without_model_folder_is_refused(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    start = w.pages["start"]
    folder = tmp_path / "kuliner"
    qtbot.keyClicks(start.title_edit, "Rendang")
    qtbot.keyClicks(start.folder_edit, str(folder))
    click(qtbot, start.create_button)
    w.go("script")
    script = w.pages["script"]
    click(qtbot, script.add_button)
    qtbot.keyClicks(script.cards[0].narration, "Rendang dimasak berjam-jam dengan santan.")
    qtbot.keyClicks(script.cards[0].prompt, "a pot of rendang, top view")

    # Settings: choose the diffusion engine with no model folder: the dialog says so.
    w.actions_by_name["settings"].trigger()
    dialog = w.settings_dialog
    combo = dialog.engine_combos["image"]
    combo.setCurrentIndex(combo.findData("image.diffusers"))
    dialog.diffusers_edit.clear()
    message = dialog.engine_status["image"].text()
    assert message.startswith("✗") and len(message) > 20
    assert dialog.engine_status["voice"].text().startswith("✓")
    dialog.tabs.setCurrentIndex(0)
    shot(dialog, "11-pengaturan")
    click(qtbot, dialog.save_button)
    assert w.session.settings.engines.image == "image.diffusers"

    # Generating images now fails before any work, with an actionable Indonesian message.
    w.go("images")
    images = w.pages["images"]
    failures: list[BaseException] = []
    w.session.jobFailed.connect(lambda _step, exc: failures.append(exc))
    with qtbot.waitSignal(w.session.jobEnded, timeout=30_000) as ended:
        qtbot.mouseClick(images.generate_button, Qt.MouseButton.LeftButton)
    assert ended.args == ["images", "failed"]
    from studio.core.errors import EngineUnavailable

    assert isinstance(failures[0], EngineUnavailable)
    shown = w.last_error
    assert shown is not None and shown.isVisible()
    assert shown.message == failures[0].text("id")
    assert "belum bisa dipakai" in shown.message
    shot(w, "10-gagal-preflight")
    shot(shown, "10b-pesan-gagal")
    # Copyable details.
    click(qtbot, shown.copy_button)
    from PySide6.QtGui import QGuiApplication

    assert "EngineUnavailable" in QGuiApplication.clipboard().text()
    shown.accept()
    # Nothing ran: no image file, no AI-log record for images, scene still without image.
    assert not [p for p in (folder / "images").iterdir()]
    assert not [r for r in ailog.read(folder) if r.step == "images"]
    assert w.session.project.scenes[0].image is None
