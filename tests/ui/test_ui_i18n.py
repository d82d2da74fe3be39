"""The English UI comes from Qt's translator; Bahasa Indonesia is the source language."""

from __future__ import annotations

import shutil

from ui_helpers import click

from studio.core.errors import EngineUnavailable
from studio.ui import i18n, texts
from studio.ui.i18n import update


def test_committed_qm_is_exactly_what_the_ts_compiles_to(tmp_path) -> None:  # noqa: ANN001
    qm = tmp_path / "studio_en.qm"
    update.compile_qm(update.TS, qm)
    assert qm.read_bytes() == update.QM.read_bytes(), \
        "run: python -m studio.ui.i18n.update --compile"


def test_every_ui_string_has_an_english_translation(tmp_path) -> None:  # noqa: ANN001
    ts = tmp_path / "studio_en.ts"
    shutil.copy(update.TS, ts)
    update.extract(ts)  # what the code asks for today, merged with the committed translations
    found = update.messages(ts)
    assert len(found) > 300
    missing = sorted(f"{ctx}: {src}" for (ctx, src), tr in found.items() if tr is None)
    assert not missing, "untranslated (run python -m studio.ui.i18n.update):\n" + "\n".join(missing)
    # Placeholders survive translation.
    for (_ctx, src), tr in found.items():
        for name in ("{n}", "{step}", "{name}", "{value}", "{path}", "{err}"):
            assert (name in src) == (name in tr), (src, tr)


def test_switching_to_english_in_settings(window, qtbot, tmp_path, shot) -> None:  # noqa: ANN001
    w = window
    assert w.pages["start"].create_button.text() == "Buat proyek"
    w.actions_by_name["settings"].trigger()
    dialog = w.settings_dialog
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    click(qtbot, dialog.save_button)
    assert i18n.language() == "en"
    assert w.session.settings.ui_language == "en"
    assert w.pages["start"].create_button.text() == "Create project"
    assert w.step_list.item(2).text() == "2. Script"
    assert w.pages["start"].next_bar.next_button.text() == "Next →"  # a base-class string
    assert texts.seconds(1.5) == "1.5 s"
    err = EngineUnavailable("No model folder.", "Tidak ada folder model.")
    assert texts.error_text(err) == "No model folder."
    start = w.pages["start"]
    qtbot.keyClicks(start.folder_edit, str(tmp_path / "en"))
    click(qtbot, start.create_button)
    shot(w, "16-english")
    # And back: the choice is saved and the next start uses it.
    from studio.core.settings import load_settings

    assert load_settings().ui_language == "en"
    w.apply_language("id")
    assert w.pages["brief"].title.text() == "Ide"
