"""Closing the window while a job runs (issue 16 #3): it asks first, cancels without freezing
the window, keeps the scenes already voiced, and then closes by itself."""

from __future__ import annotations

import time

from studio.core import storage
from studio.core.project import Brief, Project, Scene
from studio.ui import dialogs

NARRATION = [f"Adegan {i} bercerita tentang tenun ikat dari Sumba Timur yang dibuat dengan sabar dan teliti "
             "oleh para penenun di desa." for i in range(1, 13)]


def test_closing_during_a_job_asks_cancels_keeps_and_stays_responsive(window, qtbot, tmp_path,
                                                                        monkeypatch) -> None:  # noqa: ANN001
    w = window
    root = tmp_path / "tenun"
    storage.create_project(root, Project(preset="free", brief=Brief(title="Tenun", region="Sumba", theme="kerajinan"),
                                         scenes=[Scene(narration=t) for t in NARRATION]))
    assert w.open_project(root)
    asked: list[str] = []
    answer = [1]  # first "Batal", then "Hentikan dan tutup"
    monkeypatch.setattr(dialogs, "choose_action", lambda _p, _t, text, buttons: asked.append(text) or answer[0])
    assert w.session.run_step("voice") is not None
    qtbot.waitUntil(lambda: any(s.voice for s in w.session.project.scenes) or
                    (w.job_bar.fraction() or 0) > 0.0, timeout=60_000)

    w.close()  # "Batal": nothing changes, the job goes on
    assert asked and asked[0].startswith("Pekerjaan Suara sedang berjalan: hentikan dan tutup?")
    assert w.isVisible() and w.session.busy

    answer[0] = 0
    started = time.monotonic()
    w.close()
    assert time.monotonic() - started < 1.0  # the close returns at once: no wait under the GIL
    assert w.isVisible()  # still open while the job winds down, and it answers events
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=120_000)
    saved = storage.load_project(root)
    voiced = [s for s in saved.scenes if s.voice is not None]
    assert 0 < len(voiced) < len(NARRATION)  # what finished was kept; the rest was cancelled
    assert all((root / s.voice.path).is_file() for s in voiced)
