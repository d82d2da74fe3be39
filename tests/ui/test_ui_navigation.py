"""Getting around: "Lanjut" never dead-ends, shortcuts, no microphone, presenter sizes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from ui_helpers import click

from studio.core import storage


def _new_project(qtbot, w, folder, preset: str = "free") -> None:  # noqa: ANN001
    start = w.pages["start"]
    qtbot.keyClicks(start.title_edit, "Upacara Kasada")
    qtbot.keyClicks(start.folder_edit, str(folder))
    start.preset_combo.setCurrentIndex(start.preset_combo.findData(preset))
    click(qtbot, start.create_button)


def test_lanjut_explains_what_is_missing_and_offers_a_way_on(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    # Without a project, Lanjut on Mulai offers the demo instead of doing nothing.
    click(qtbot, w.pages["start"].next_bar.next_button)
    hint = w.pages["start"].next_bar.hint
    assert hint.isVisible() and hint.buttons()[0].text() == "Buka proyek contoh"

    _new_project(qtbot, w, tmp_path / "kasada")
    brief = w.pages["brief"]
    click(qtbot, brief.next_bar.next_button)          # region and theme are still empty
    assert w.current_key() == "brief"
    hint = brief.next_bar.hint
    assert hint.isVisible() and "daerah" in hint.text.text() and "tema" in hint.text.text()
    skip = [b for b in hint.buttons() if b.text() == "Lanjut saja"]
    click(qtbot, skip[0])
    assert w.current_key() == "script"

    script = w.pages["script"]
    click(qtbot, script.next_bar.next_button)         # no scenes yet: offers to write them
    hint = script.next_bar.hint
    assert "Belum ada naskah" in hint.text.text()
    assert [b.text() for b in hint.buttons()] == ["Buat naskah", "Lanjut saja"]
    shot(w, "12-lanjut-menjelaskan")


def test_keyboard_shortcuts(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    w = window
    folder = tmp_path / "kasada"
    _new_project(qtbot, w, folder)
    QTest.keySequence(w, "Alt+3")
    assert w.current_key() == "images"
    QTest.keySequence(w, "F6")
    assert w.current_key() == "subtitles"
    QTest.keySequence(w, "Alt+1")
    brief = w.pages["brief"]
    qtbot.keyClicks(brief.region_edit, "Probolinggo")
    QTest.keySequence(w, "Ctrl+S")
    assert storage.load_project(folder).brief.region == "Probolinggo"
    assert not (folder / storage.AUTOSAVE_FILE).exists()
    # Ctrl+Enter runs the page's main action; Esc cancels it.
    QTest.keySequence(w, "Alt+2")
    with qtbot.waitSignal(w.session.jobStarted, timeout=5000):
        QTest.keySequence(w, "Ctrl+Return")
    with qtbot.waitSignal(w.session.jobEnded, timeout=60_000):
        QTest.keyClick(w, Qt.Key.Key_Escape)
    assert not w.session.busy


def test_recording_without_a_microphone_says_so(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    w = window
    _new_project(qtbot, w, tmp_path / "kasada")
    w.go("script")
    click(qtbot, w.pages["script"].add_button)
    qtbot.keyClicks(w.pages["script"].cards[0].narration, "Upacara Kasada digelar di Gunung Bromo.")
    w.go("voice")
    voice = w.pages["voice"]
    click(qtbot, voice.rows[0].record_button)
    # The test machine has no input device: a clear sentence, nothing recorded.
    assert voice.banner.isVisible()
    assert "Tidak ada mikrofon yang terdeteksi" in voice.banner.text.text()
    assert voice.rows[0].record_button.text().endswith("Rekam")
    assert not [p for p in (tmp_path / "kasada" / "voice").iterdir()]


def test_presentation_mode_and_projector_size(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    _new_project(qtbot, w, tmp_path / "kasada", preset="ai-local-content-2025")
    w.go("script")
    click(qtbot, w.pages["script"].add_button)
    qtbot.keyClicks(w.pages["script"].cards[0].narration, "Upacara Kasada digelar setiap tahun.")
    w.resize(1920, 1080)
    shot(w, "13-proyektor-1920")
    normal = w.pages["script"].title.font().pointSizeF()
    w.actions_by_name["presentation"].trigger()
    assert w.presentation
    assert w.pages["script"].title.fontInfo().pointSizeF() > normal * 1.2
    assert w.current_key() == "script"
    assert w.session.project.scenes[0].narration.startswith("Upacara Kasada")
    assert w.pages["script"].cards[0].narration.toPlainText().startswith("Upacara Kasada")
    shot(w, "14-mode-presentasi-1920")
    w.resize(1366, 768)
    shot(w, "15-mode-presentasi-1366")
    w.actions_by_name["presentation"].trigger()
    assert not w.presentation
    # Shortcuts still work after the window rebuilt itself (no duplicate, ambiguous ones).
    QTest.keySequence(w, "Alt+3")
    assert w.current_key() == "images"


def test_rule_checklist_links_each_failure_to_its_step(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    _new_project(qtbot, w, tmp_path / "kasada", preset="ai-local-content-2025")
    click(qtbot, w.rule_chip)                          # the top bar's rule status opens the list
    assert w.current_key() == "export"
    export = w.pages["export"]
    failed = [row for row in export.rows if not row.finding.passed]
    assert failed and all(row.finding.text("id") for row in failed)
    shot(w, "17-daftar-aturan")
    row = next(r for r in failed if r.finding.step == "brief")
    fix = [b for b in row.findChildren(type(w.pages["start"].create_button)) if b.text().startswith("Perbaiki")]
    click(qtbot, fix[0])
    assert w.current_key() == "brief"


def test_demo_project_opens_where_the_work_continues(window, qtbot) -> None:  # noqa: ANN001
    w = window
    click(qtbot, w.pages["start"].demo_button)
    project = w.session.project
    assert project.brief.theme == "weton" and project.preset == "ai-local-content-2025"
    assert (w.session.root / storage.PROJECT_FILE).exists()
    assert w.current_key() == "script"                 # the brief is done, the script is next
    assert w.step_list.state("brief") == "done"
    w.go("brief")
    assert w.pages["brief"].title_edit.text() == project.brief.title


def test_ai_claims_to_review_are_flagged_until_checked(window, qtbot, tmp_path) -> None:  # noqa: ANN001
    from studio.core import ailog
    from studio.core.project import Scene

    w = window
    folder = tmp_path / "kasada"
    _new_project(qtbot, w, folder)
    # A scene as an LLM would return it: a claim the brief did not contain.
    w.session.project.scenes = [Scene(narration="Kasada sudah ada sejak abad ke-15.", source="ai",
                                      needs_review=["sejak abad ke-15"])]
    w.session.touch("scenes")
    w.go("script")
    card = w.pages["script"].cards[0]
    assert card.review.isVisible() and "sejak abad ke-15" in card.review.text()
    assert card.source.text() == "Dari AI"
    click(qtbot, card.review_button)
    assert w.session.project.scenes[0].needs_review == []
    assert not w.pages["script"].cards[0].review.isVisible()
    w.session.flush_human_edits()
    assert [(r.actor, r.action) for r in ailog.read(folder)] == [("human", "edit")]
