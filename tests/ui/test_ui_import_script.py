"""Issue 15 in the window: "Impor naskah…" on the Naskah page (a real .docx, split choice,
origin declared as ChatGPT), a refused cp1252 file, and an imported picture declared as
made with Bing Image Creator on the Gambar page."""

from __future__ import annotations

import zipfile

from PIL import Image
from ui_helpers import click, wait_job

from studio.core import ailog
from studio.ui import dialogs
from studio.ui.widgets.script_import import ScriptImportDialog

PARAGRAPHS = ["Sasando dipetik dengan jari, bunyinya lembut seperti hujan di Pulau Rote.",
              "Daun lontar dilipat menjadi ruang suara yang bulat.",
              "Para pemain muda belajar dari kakek mereka di teras rumah."]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(path):  # noqa: ANN001, ANN202
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in PARAGRAPHS)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("word/document.xml", f'<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>')
    return path


def test_import_script_and_declare_pictures(window, qtbot, tmp_path, monkeypatch, shot) -> None:  # noqa: ANN001
    w = window
    start = w.pages["start"]
    folder = tmp_path / "sasando"
    qtbot.keyClicks(start.title_edit, "Sasando")
    qtbot.keyClicks(start.folder_edit, str(folder))
    start.preset_combo.setCurrentIndex(start.preset_combo.findData("free"))
    click(qtbot, start.create_button)
    w.go("script")
    page = w.pages["script"]
    session = w.session
    assert page.import_button.text() == "Impor naskah…"

    # The dialog: open a real .docx (the file chooser returns it), keep "per paragraf", pick ChatGPT.
    picked = [_docx(tmp_path / "naskah sasando.docx")]
    monkeypatch.setattr(dialogs, "choose_file", lambda *a, **k: picked.pop(0))
    seen: list[ScriptImportDialog] = []

    def fill(dialog: ScriptImportDialog) -> int:
        """What the creator does in the (modal) dialog; returns what exec() would."""
        seen.append(dialog)
        dialog.show()
        click(qtbot, dialog.open_button)
        assert dialog.text.toPlainText().split("\n\n") == PARAGRAPHS
        assert dialog.file_label.text() == "naskah sasando.docx"
        dialog.origin.combo.setCurrentIndex(dialog.origin.combo.findData("ChatGPT"))
        qtbot.keyClicks(dialog.origin.model, "GPT-4o")
        shot(dialog, "impor-naskah")
        dialog.hide()
        return ScriptImportDialog.DialogCode.Accepted

    monkeypatch.setattr(ScriptImportDialog, "exec", fill)
    click(qtbot, page.import_button)
    assert seen, "the import dialog did not open"
    assert wait_job(qtbot, w) == "ok"
    project = session.project
    assert [s.narration for s in project.scenes] == PARAGRAPHS
    assert project.script_declared.tool == "ChatGPT" and project.script_declared.model == "GPT-4o"
    assert len(page.cards) == 3
    assert page.engine_label.text() == "Naskah impor · asal: AI: ChatGPT (GPT-4o)"
    assert "Naskah diimpor: 3 adegan" in page.banner.text.text()
    (rec,) = [r for r in ailog.read(folder) if r.step == "script"]
    assert (rec.actor, rec.tool) == ("declared", "ChatGPT")

    # A cp1252 file: the dialog says why in Indonesian and nothing changes.
    bad = tmp_path / "lama.txt"
    bad.write_bytes("Sasando — alat musik “Rote”".encode("cp1252"))
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, exc, **k: errors.append(dialogs.error_message(exc)))
    dialog = ScriptImportDialog(page)
    assert not dialog.load_file(bad)
    assert errors and "tidak disimpan sebagai teks UTF-8" in errors[0] and dialog.path is None
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()  # nothing to import

    # Pasted text, split by sentence, declared as own work, through the page's import.
    dialog.text.setPlainText(" ".join(PARAGRAPHS * 2))
    dialog.by_sentence.setChecked(True)
    dialog.origin.combo.setCurrentIndex(1)
    choice = dialog.choice()
    assert (choice.path, choice.split, choice.declared.kind) == (None, "sentence", "own")
    page.import_script(choice)
    assert wait_job(qtbot, w) == "ok"
    assert session.project.script_declared.label("id") == "Karya saya sendiri"
    assert " ".join(s.narration for s in session.project.scenes) == " ".join(PARAGRAPHS * 2)

    # Gambar: a picture made in Bing Image Creator, declared before it is brought in.
    photo = tmp_path / "bing.png"
    Image.new("RGB", (1024, 1024), (90, 60, 140)).save(photo)
    w.go("images")
    images = w.pages["images"]
    card = images.cards[0]
    card.origin.combo.setCurrentIndex(card.origin.combo.findData("Copilot / Bing Image Creator"))
    picked.append(photo)
    click(qtbot, card.own_button)
    assert wait_job(qtbot, w) == "ok"
    image = session.project.scenes[0].image
    assert image.declared.tool == "Copilot / Bing Image Creator"
    assert images.cards[0].badge.text() == "AI: Copilot / Bing Image Creator"
    last = ailog.read(folder)[-1]
    assert (last.step, last.actor, last.tool, last.scene_id) == (
        "images", "declared", "Copilot / Bing Image Creator", session.project.scenes[0].id)

    # Changing the declaration afterwards (typed: another tool) is kept and logged.
    card = images.cards[0]
    card.origin.combo.setEditText("Ideogram")
    card.origin.combo.lineEdit().editingFinished.emit()
    assert session.project.scenes[0].image.declared.tool == "Ideogram"
    assert ailog.read(folder)[-1].tool == "Ideogram"
    assert images.cards[0].badge.text() == "AI: Ideogram"
    shot(w, "gambar-dinyatakan")
