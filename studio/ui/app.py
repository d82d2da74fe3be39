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
    from studio.ui.widgets import wheel_guard

    wheel_guard.install(app)
    return app  # type: ignore[return-value]


def create_window():  # noqa: ANN201 - MainWindow
    from studio.ui.window.main import MainWindow

    return MainWindow()


def heavy_loaded() -> list[str]:
    """Heavy libraries already imported in this process."""
    return sorted(m for m in HEAVY_MODULES if m in sys.modules)


APT_LINE = ("sudo apt-get install libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libpulse0 libxrandr2")
"""The Debian libraries the window needs beyond a minimal machine (the README's apt line)."""

_DEBIAN_PACKAGE = {"libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1",
                   "libxcb-cursor.so.0": "libxcb-cursor0", "libpulse.so.0": "libpulse0",
                   "libXrandr.so.2": "libxrandr2", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
                   "libxcb-image.so.0": "libxcb-image0", "libxcb-render-util.so.0": "libxcb-render-util0",
                   "libEGL.so.1": "libegl1", "libfontconfig.so.1": "libfontconfig1"}


def platform_plugin_problem(plugin: Path | None = None) -> str | None:
    """Why Qt's xcb platform plugin cannot load on this machine, as one sentence, or None.

    Qt itself only aborts with "no Qt platform plugin could be initialized". Loading the plugin
    the way Qt will (its own library search path) names the missing system library instead.
    Only checked when the window will use xcb (Linux with an X display).
    """
    if plugin is None:
        if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM", "xcb") != "xcb" \
                or not os.environ.get("DISPLAY"):
            return None
        import PySide6

        plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if not plugin.is_file():
            return None
    import ctypes

    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        missing = str(exc).split(":")[0].strip()
        package = _DEBIAN_PACKAGE.get(missing)
        fix = f"sudo apt-get install {package}" if package else APT_LINE
        return (f"Jendela Studio Lokal tidak bisa dibuka: pustaka sistem {missing} tidak ada. "
                f"Pasang dengan: {fix}  (The window cannot open: the system library {missing} is "
                f"missing. Install it with the command above.)")
    return None


def run_gui(argv: list[str] | None = None) -> int:
    """Open the window and run the event loop; returns the exit code (2 when Qt cannot start)."""
    logging.basicConfig(level=logging.INFO if os.environ.get("STUDIO_VERBOSE") else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    problem = platform_plugin_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    app = create_app(argv)
    window = create_window()
    window.show()
    probe = os.environ.get("STUDIO_EXIT_AFTER_SHOWN")
    if not probe:
        # Once shown: the last project opens again and a crash's autosave is offered at once.
        QTimer.singleShot(0, window.at_launch)
    if probe:
        def report() -> None:
            Path(probe).write_text(json.dumps({"shown": time.time(), "heavy": heavy_loaded(),
                                               "title": window.windowTitle()}), encoding="utf-8")
            window.close()
            app.quit()

        # After the first paint: the event loop has processed the show.
        QTimer.singleShot(0, report)
    return int(app.exec())
