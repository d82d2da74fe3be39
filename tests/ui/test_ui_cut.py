"""Issue 15 item 2 in the window: "Potong rekaman panjang…" on the Gambar & Video page.

A real long take (``clip_samples.long_take``: five shots, cuts at 2, 5, 7 and 10 s, a
crossfade and a pan that must not cut) is picked; the dialog finds the cuts as a session
task, the creator edits the list (a point removed, one added, one typed wrong and fixed,
one outside the clip refused with a sentence), and "Potong ke adegan" puts the parts on
scenes 1..N with the declaration. Cancelling the search leaves the list to fill by hand.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtWidgets import QApplication
from ui_helpers import click, new_project_with_scenes, wait_job

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from clip_samples import CUTS, long_take  # noqa: E402

from studio.core.storage import load_project  # noqa: E402
from studio.pipeline.media import shots  # noqa: E402
from studio.ui import dialogs  # noqa: E402
from studio.ui.widgets.cut_dialog import parse_seconds, seconds_text  # noqa: E402


def _set_text(dialog, row: int, text: str) -> None:  # noqa: ANN001
    dialog.points.item(row).setText(text)  # what the list's line editor commits
    QApplication.processEvents()


def test_seconds_read_and_written_the_indonesian_way() -> None:
    assert parse_seconds("12,5") == 12.5 and parse_seconds("1:05,5") == 65.5 and parse_seconds("7") == 7.0
    assert parse_seconds("tujuh") is None and parse_seconds("") is None and parse_seconds("-1") is None
    assert seconds_text(65.5) == "1:05,50" and seconds_text(2) == "2,00"


def test_cut_a_long_take_into_scenes(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "tumpeng"
    new_project_with_scenes(qtbot, w, folder, 5)
    w.go("images")
    page = w.pages["images"]
    src = long_take()
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: src)
    click(qtbot, page.cut_button)
    dialog = page.cut_dialog
    assert wait_job(qtbot, w) == "ok"
    assert [round(t, 2) for t in dialog.values()] == CUTS
    assert "4 pergantian gambar" in dialog.head.text()
    assert dialog.plan.text().splitlines()[-1] == "Bagian 5: 10,00–12,00 dtk → Adegan 5"
    shot(dialog, "cut-dialog")

    # Remove the 7 s cut, then add one: it lands in the middle of the longest part (5-10 s).
    dialog.points.setCurrentRow(2)
    click(qtbot, dialog.remove_button)
    assert [round(t, 2) for t in dialog.values()] == [2.0, 5.0, 10.0]
    click(qtbot, dialog.add_button)
    assert [round(t, 2) for t in dialog.values()] == [2.0, 5.0, 7.5, 10.0]
    # A typing slip and a point past the end are refused with a sentence; apply waits.
    _set_text(dialog, 2, "tujuh")
    assert "detik" in dialog.problem.text() and not dialog.apply_button.isEnabled()
    _set_text(dialog, 2, "13")
    assert "di luar" in dialog.problem.text() and not dialog.apply_button.isEnabled()
    _set_text(dialog, 2, "7,0")
    assert dialog.problem.text() == "" and dialog.apply_button.isEnabled()

    dialog.origin.combo.setCurrentIndex(1)  # "Karya saya sendiri"
    click(qtbot, dialog.apply_button)
    assert wait_job(qtbot, w) == "ok"
    assert not dialog.isVisible()
    project = load_project(folder)
    assert [(s.clip.start, s.clip.end) for s in project.scenes] == [
        (0.0, 2.0), (2.0, 5.0), (5.0, 7.0), (7.0, 10.0), (10.0, None)]
    assert all(s.clip.declared.kind == "own" for s in project.scenes)
    assert len({s.clip.path for s in project.scenes}) == 1
    assert page.cards[0].badge.text() == "Rekaman sendiri"


def test_cancelling_the_search_keeps_the_project_and_leaves_the_list_to_fill(window, qtbot, tmp_path,
                                                                            monkeypatch) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "tumpeng"
    new_project_with_scenes(qtbot, w, folder, 3)
    w.go("images")
    page = w.pages["images"]
    real = shots.suggest_cuts

    def wait_for_cancel(src, ctx, **kw):  # noqa: ANN001, ANN202 - the search is still running when Batal is hit
        flag = threading.Event()
        for _ in range(3000):
            if ctx.cancelled:
                break
            flag.wait(0.01)
        return real(src, ctx, **kw)

    monkeypatch.setattr(shots, "suggest_cuts", wait_for_cancel)
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: long_take())
    before = load_project(folder).model_dump_json()
    click(qtbot, page.cut_button)
    dialog = page.cut_dialog
    click(qtbot, dialog.cancel_button)
    assert wait_job(qtbot, w) == "cancelled"
    assert "dibatalkan" in dialog.head.text() and dialog.values() == []
    click(qtbot, dialog.add_button)
    assert [round(t, 2) for t in dialog.values()] == [6.0]
    assert dialog.apply_button.isEnabled()
    click(qtbot, dialog.close_button)
    assert load_project(folder).model_dump_json() == before
