"""Autosave and recovery: what the creator typed survives a crash."""

from __future__ import annotations

from ui_helpers import click

from studio.core import storage
from studio.ui.window.main import MainWindow


def test_autosave_then_crash_then_restore(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    start = w.pages["start"]
    folder = tmp_path / "batik"
    qtbot.keyClicks(start.title_edit, "Batik Gajah Oling")
    qtbot.keyClicks(start.folder_edit, str(folder))
    click(qtbot, start.create_button)
    brief = w.pages["brief"]
    qtbot.keyClicks(brief.region_edit, "Kabupaten Banyuwangi")
    qtbot.keyClicks(brief.facts_edit, "Motif gajah oling berbentuk tanda tanya.")

    auto = folder / storage.AUTOSAVE_FILE
    # Debounced: nothing is written while typing, the autosave appears ~1.5 s later.
    assert not auto.exists()
    qtbot.waitUntil(auto.exists, timeout=10_000)
    assert "Banyuwangi" in auto.read_text(encoding="utf-8")
    # The autosave never touches project.json: the explicit save is still the old one.
    assert "Banyuwangi" not in (folder / storage.PROJECT_FILE).read_text(encoding="utf-8")

    # "Crash": the first window is never closed. A new window opens the same project.
    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.resize(1366, 768)
    w2.show()
    start2 = w2.pages["start"]
    assert start2.recent_list.currentItem().data(0x0100) == str(folder.resolve())
    click(qtbot, start2.open_button)
    banner = w2.recovery_banner
    assert banner.isVisible()
    assert "Pulihkan perubahan yang belum tersimpan?" in banner.text.text()
    shot(w2, "09-pemulihan")
    restore = banner.buttons()[0]
    assert restore.text() == "Pulihkan"
    click(qtbot, restore)

    project = w2.session.project
    assert project.brief.region == "Kabupaten Banyuwangi"
    assert project.brief.key_facts == ["Motif gajah oling berbentuk tanda tanya."]
    assert not banner.isVisible()
    saved = storage.load_project(folder)
    assert saved.brief.region == "Kabupaten Banyuwangi"
    assert not auto.exists()
    w2.go("brief")
    assert w2.pages["brief"].region_edit.text() == "Kabupaten Banyuwangi"


def test_declining_recovery_keeps_the_autosave_aside(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    w = window
    start = w.pages["start"]
    folder = tmp_path / "tari"
    qtbot.keyClicks(start.folder_edit, str(folder))
    click(qtbot, start.create_button)
    qtbot.keyClicks(w.pages["brief"].region_edit, "Kota Padang")
    auto = folder / storage.AUTOSAVE_FILE
    qtbot.waitUntil(auto.exists, timeout=10_000)

    w2 = MainWindow()
    qtbot.addWidget(w2)
    w2.show()
    click(qtbot, w2.pages["start"].open_button)
    click(qtbot, w2.recovery_banner.buttons()[1])  # Abaikan
    assert w2.session.project.brief.region == ""
    assert not auto.exists()
    assert "Kota Padang" in (folder / "project.autosave.discarded.json").read_text(encoding="utf-8")
