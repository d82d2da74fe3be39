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

from studio.ui.jury_view import FAIL_COLOR, JuryDialog, JuryModel  # noqa: E402

SORT_ROLE = JuryModel.SORT_ROLE


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
    # States read in Indonesian; the CSV keeps its codes.
    assert model.index(by_name["paket"], 5).data() == "utuh" and model.index(by_name["baik.mp4"], 5).data() == "bukan paket"
    assert model.index(by_name["paket"], 6).data() == "tidak ada"
    assert seen and seen[-1][1] == 3
    assert "3 karya, 1 tidak lolos." in dialog.summary.text()
    dialog.table.selectRow(by_name["teks.mp4"])
    assert "Tidak lolos" in dialog.details.toPlainText() and "teks.mp4" in dialog.details.toPlainText()
    dialog.table.selectRow(by_name["paket"])
    text = dialog.details.toPlainText()
    assert "Laporan AI" in text and "Whisper" in text
    shot(dialog, "jury-table")
    dialog.close()


def test_the_table_sorts_by_value_and_a_check_can_be_cancelled(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    root = tmp_path / "lomba"
    root.mkdir()
    shutil.copy(sample("ok"), root / "a-panjang.mp4")
    shutil.copy(sample("small_ok"), root / "b-pendek.mp4")
    (root / "c-teks.mp4").write_text("bukan video", encoding="utf-8")
    for i in range(4):
        shutil.copy(sample("small_ok"), root / f"d-{i}.mp4")
    dialog = JuryDialog(window)
    dialog.show()
    # Batal while checking: it stops between entries and says so; the next look resumes.
    runner = dialog.start(root, "free")
    assert dialog.cancel_button.isVisible()
    runner.progressed.connect(lambda p: p.done >= 1 and dialog._on_cancel())
    with qtbot.waitSignal(runner.finished, timeout=120_000):
        pass
    assert "Dibatalkan" in dialog.summary.text() and not dialog.cancel_button.isVisible()
    assert dialog.model.rowCount() == 0 and dialog.open_button.isEnabled()
    runner = dialog.start(root, "free")
    with qtbot.waitSignal(runner.finished, timeout=120_000):
        pass
    assert dialog.model.rowCount() == 7
    header = [dialog.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(8)]
    assert header[:4] == ["Karya", "Lolos", "Aturan gagal", "Durasi (dtk)"]
    # Clicking "Durasi" sorts by seconds (as numbers), the unreadable entry first.
    dialog.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    names = [dialog.proxy.index(r, 0).data() for r in range(7)]
    seconds = [dialog.proxy.index(r, 0).siblingAtColumn(3).data(SORT_ROLE) for r in range(7)]
    assert names[0] == "c-teks.mp4" and seconds == sorted(seconds) and names[-1] == "a-panjang.mp4"
    assert dialog.proxy.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)  # the reason, on hover
    # Selecting a sorted row shows that entry, not the one at the same place unsorted.
    dialog.table.selectRow(names.index("a-panjang.mp4"))
    assert "a-panjang.mp4" in dialog.details.toPlainText()
    dialog.close()
