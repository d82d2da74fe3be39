"""Start-up: `python -m studio` shows the window before any heavy library is imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from studio.ui.app import HEAVY_MODULES


def test_window_is_shown_before_heavy_libraries_load(tmp_path) -> None:  # noqa: ANN001
    probe = tmp_path / "shown.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STUDIO_HOME": str(tmp_path / "home"),
           "STUDIO_EXIT_AFTER_SHOWN": str(probe)}
    done = subprocess.run([sys.executable, "-m", "studio"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(probe.read_text(encoding="utf-8"))
    assert report["title"].startswith("Studio Lokal")
    # sys.modules of the app process, read right after the window was shown.
    assert report["heavy"] == [], f"loaded before the window: {report['heavy']}"
    assert set(HEAVY_MODULES) >= {"torch", "diffusers", "transformers", "faster_whisper"}


def test_opening_a_project_page_still_loads_no_heavy_library(tmp_path) -> None:  # noqa: ANN001
    """Walking every page of an open project (no step run) keeps torch & co. out."""
    code = f"""
import os, sys, json
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["STUDIO_HOME"] = {str(tmp_path / 'home')!r}
from studio.ui.app import create_app, heavy_loaded
from studio.ui.window.main import MainWindow
app = create_app([])
w = MainWindow()
w.show()
w.session.new_project({str(tmp_path / 'p')!r}, "ai-local-content-2025", title="Uji")
for key in w.pages:
    w.go(key)
    app.processEvents()
print(json.dumps(heavy_loaded()))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
