"""UI test fixtures: a real MainWindow at 1366×768 (offscreen), job waiting, screenshots.

Screenshots go under the test's tmp dir; if ``STUDIO_SCREENS_DIR`` is set they are
copied there too (for a human to look at).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pytestqt")

from ui_helpers import settle  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

SIZE = (1366, 768)


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """Every UI test starts from default machine settings (Bahasa Indonesia, offline engines)."""
    from studio.core.settings import settings_path
    from studio.ui import i18n

    path = settings_path()
    if path.exists():
        path.unlink()
    i18n.install("id")
    yield
    if path.exists():
        path.unlink()
    i18n.install("id")


@pytest.fixture
def window(qtbot, qapp):  # noqa: ANN001, ANN201
    """The real main window, shown at 1366×768."""
    from studio.ui.app import create_app
    from studio.ui.window.main import MainWindow

    create_app([])
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.session.cancel()
    if w.session.runner is not None:
        w.session.runner.wait(30)
    QApplication.processEvents()


@pytest.fixture
def shot(tmp_path) -> Callable[[QWidget, str], Path]:  # noqa: ANN001
    """``shot(window, name)`` saves a PNG of the window (and copies it for review)."""
    folder = tmp_path / "screens"
    folder.mkdir(exist_ok=True)
    extra = os.environ.get("STUDIO_SCREENS_DIR")

    def take(widget: QWidget, name: str) -> Path:
        # Layouts settle over a few event-loop turns; a user never sees the intermediate state.
        settle(widget)
        path = folder / f"{name}.png"
        assert widget.grab().save(str(path))
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, Path(extra) / path.name)
        return path

    return take
