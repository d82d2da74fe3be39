"""Juri in the window (issue 19): the start page opens the jury's table, which checks a folder
as a job (progress, the GUI stays live), shows failures in red and an entry's details beside."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from ui_helpers import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pipeline"))

from jury_samples import make_bundle  # noqa: E402
from media_samples import sample  # noqa: E402
from studio.ui.jury_view import FAIL_COLOR, JuryDialog  # noqa: E402


def test_the_start_page_opens_the_jury_table(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    root = tmp_path / "lomba"
    root.mkdir()
    shutil.copy(sample("small_ok"), root / "baik.mp4")
    (root / "teks.mp4").write_text("bukan video", encoding="utf-8")
    make_bundle(root / "paket", sample("small_ok"), comment="")
    start = window.pages["start"]
    click(qtbot, start.jury_button)
    dialog = start.jury_dialog
    assert isinstance(dialog, JuryDialog) and dialog.isVisible()
    seen: list[tuple[int, int]] = []
    runner = dialog.start(root, "free")
    runner.progressed.connect(lambda p: seen.append((int(p.done), int(p.total or 0))))
    assert not dialog.open_button.isEnabled()  # running off the GUI thread: the dialog answers
    with qtbot.waitSignal(runner.finished, timeout=120_000):
        pass
    model = dialog.model
    assert model.rowCount() == 3 and dialog.open_button.isEnabled() and not dialog.progress.isVisible()
    by_name = {model.index(i, 0).data(): i for i in range(3)}
    assert set(by_name) == {"baik.mp4", "teks.mp4", "paket"}
    bad = model.index(by_name["teks.mp4"], 1)
    assert bad.data() == "tidak"
    assert bad.data(Qt.ItemDataRole.ForegroundRole).color() == FAIL_COLOR
    assert model.index(by_name["baik.mp4"], 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert seen and seen[-1][1] == 3
    assert "3 karya, 1 tidak lolos." in dialog.summary.text()
    dialog.table.selectRow(by_name["teks.mp4"])
    assert "Tidak lolos" in dialog.details.toPlainText() and "teks.mp4" in dialog.details.toPlainText()
    dialog.table.selectRow(by_name["paket"])
    text = dialog.details.toPlainText()
    assert "Laporan AI" in text and "Whisper" in text
    shot(dialog, "jury-table")
    dialog.close()
