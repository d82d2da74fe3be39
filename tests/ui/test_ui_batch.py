"""Folder kelas: a trainer opens a folder of two projects from the start page and runs the batch."""

from __future__ import annotations

from pathlib import Path

from ui_helpers import click

from studio.cli import main
from studio.core import storage
from studio.pipeline import steps


def _class_folder(root: Path) -> Path:
    for name, title in (("peserta-1", "Tari Kecak"), ("peserta-2", "Tari Pendet")):
        assert main(["new", str(root / name), "--title", title, "--region", "Bali", "--theme", "tari"]) == 0
    return root


def test_start_page_and_menu_open_the_batch_table_which_fills_as_projects_finish(window, qtbot, tmp_path,
                                                                                shot) -> None:  # noqa: ANN001
    room = _class_folder(tmp_path / "kelas")
    click(qtbot, window.pages["start"].class_button)
    dialog = window.pages["start"].batch_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Folder kelas"
    dialog.close()
    window.actions_by_name["class-folder"].trigger()  # the Berkas menu opens the same table
    dialog = window.pages["start"].batch_dialog
    dialog.set_folder(room)
    assert [dialog.cell(i, 0) for i in range(2)] == ["peserta-1", "peserta-2"]
    assert [dialog.cell(i, 1) for i in range(2)] == ["menunggu", "menunggu"]
    seen: list[tuple[str, str]] = []
    dialog._relay.row.connect(lambda row: seen.append((row.folder.name, row.status)))
    click(qtbot, dialog.run_button)
    assert dialog.cancel_button.isEnabled() and not dialog.run_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.running, timeout=600_000)
    # Rows moved on while the batch ran (not only at the end): the first finished before the second ran.
    assert ("peserta-1", "done") in seen
    assert seen.index(("peserta-1", "done")) < max(i for i, s in enumerate(seen) if s[0] == "peserta-2")
    for i in range(2):
        assert dialog.cell(i, 1) == "selesai", dialog.cell(i, 4)
        assert dialog.cell(i, 2).endswith(" s")
        assert dialog.cell(i, 3) == "lolos" or dialog.cell(i, 3).endswith(" memblokir")
    assert dialog.progress.value() == 2 and dialog.summary.text() == "2 proyek, 0 gagal."
    for name in ("peserta-1", "peserta-2"):
        project = storage.read_project(room / name).project
        assert not any(steps.needs_run(s, project) for s in steps.STEP_ORDER)
    shot(dialog, "batch-dialog")
    # Running again: nothing is missing, so both are "sudah lengkap".
    click(qtbot, dialog.run_button)
    qtbot.waitUntil(lambda: not dialog.running, timeout=120_000)
    assert [dialog.cell(i, 1) for i in range(2)] == ["sudah lengkap", "sudah lengkap"]


def test_cancel_stops_the_batch_and_keeps_finished_steps(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    room = _class_folder(tmp_path / "kelas")
    dialog = window.pages["start"].open_class_folder(room)

    def cancel_on_first_running(row) -> None:  # noqa: ANN001
        if row.status == "running" and row.steps_run:
            dialog.cancel()

    dialog._relay.row.connect(cancel_on_first_running)
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=300_000)
    statuses = [dialog.cell(i, 1) for i in range(2)]
    assert "dibatalkan" in statuses, statuses
    assert statuses[1] == "dibatalkan"  # the second never started
    assert "Dibatalkan; jalankan lagi untuk melanjutkan." in dialog.summary.text()
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert storage.read_project(room / "peserta-1").project.scenes  # the finished script step was saved
