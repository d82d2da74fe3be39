"""Start the desktop app: ``studio`` with no arguments and ``python -m studio`` land here.

The window is shown before any heavy library (torch, diffusers, faster-whisper,
transformers) is imported: the pages import the pipeline lazily, when a step runs.
``tests/ui/test_startup.py`` proves it; ``tests/bench/startup_bench.py`` measures the
cold start.

``STUDIO_EXIT_AFTER_SHOWN=FILE`` (for the benchmark and the start-up test) writes the
wall-clock time at which the window was first painted, plus the heavy modules loaded
by then, to FILE and quits.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from studio import APP_NAME, __version__

HEAVY_MODULES = ("torch", "diffusers", "transformers", "faster_whisper", "ctranslate2", "whisper",
                 "moviepy")


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with our name, font, stylesheet and UI language."""
    from studio.core.settings import load_settings
    from studio.ui import i18n, style

    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Studio Lokal")
    style.apply_style(app)
    i18n.install(load_settings().ui_language)
    return app  # type: ignore[return-value]


def create_window():  # noqa: ANN201 - MainWindow
    from studio.ui.window.main import MainWindow

    return MainWindow()


def heavy_loaded() -> list[str]:
    """Heavy libraries already imported in this process."""
    return sorted(m for m in HEAVY_MODULES if m in sys.modules)


def run_gui(argv: list[str] | None = None) -> int:
    """Open the window and run the event loop; returns the exit code."""
    logging.basicConfig(level=logging.INFO if os.environ.get("STUDIO_VERBOSE") else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    app = create_app(argv)
    window = create_window()
    window.show()
    probe = os.environ.get("STUDIO_EXIT_AFTER_SHOWN")
    if probe:
        def report() -> None:
            Path(probe).write_text(json.dumps({"shown": time.time(), "heavy": heavy_loaded(),
                                               "title": window.windowTitle()}), encoding="utf-8")
            window.close()
            app.quit()

        # After the first paint: the event loop has processed the show.
        QTimer.singleShot(0, report)
    return int(app.exec())
