"""Issue 16, a creator's first session: the checklist tells the truth about placeholder art,
every action says what happened, and one button runs every step."""

from __future__ import annotations

from pathlib import Path

from studio.core import storage
from studio.core.project import Brief, ImageAsset, Project, Scene
from ui_helpers import click, settle


def _placeholder_project(folder: Path) -> Path:
    project = Project(preset="ai-local-content-2025",
                      brief=Brief(title="Weton", region="Yogyakarta", theme="weton",
                                  creator="Sri", agency="Dinas"))
    project.scenes = [Scene(narration=f"Kalimat adegan {i}.") for i in range(3)]
    storage.create_project(folder, project)
    for i in (0, 2):
        project.scenes[i].image = ImageAsset(path=f"images/{i}.png", origin="generated",
                                             engine="image.placeholder")
    storage.save_project(folder, project)
    return folder


def test_checklist_names_placeholder_scenes_and_offers_the_model_download(window, qtbot, tmp_path):  # noqa: ANN001
    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    w.go("export")
    page = w.pages["export"]
    (row,) = [r for r in page.rows if r.finding.rule == "images.placeholder"]
    assert not row.finding.passed and "Adegan 1, 3" in row.finding.text("id")
    click(qtbot, row.models_button)
    settle(w)
    assert page.models_dialog.isVisible()
    page.models_dialog.close()


TECHNICAL = ("script.", "image.", "voice.", "transcribe.", "diffusers", "VAE", "TAESD", "int8",
             "OpenAI-compatible", "streaming", "keyring", "STUDIO_MODELS_DIR", "transformers",
             "model card", "(LLM)")


def _plain_words(widget) -> list[str]:  # noqa: ANN001
    """Every text a creator reads first in ``widget``: labels, boxes, tabs and choices, without
    the small grey technical names set beside them."""
    import re

    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QTabWidget

    out: list[str] = []
    for lab in widget.findChildren(QLabel):
        if lab.property("role") != "small" and lab.text():
            out.append(re.sub(r"<small[^>]*>.*?</small>", "", lab.text()))
    out += [b.text() for b in widget.findChildren(QAbstractButton) if b.text()]
    for combo in widget.findChildren(QComboBox):
        out += [combo.itemText(i) for i in range(combo.count())
                if combo.itemData(i) not in ("", None) or combo.itemText(i)]
    for tabs in widget.findChildren(QTabWidget):
        out += [tabs.tabText(i) for i in range(tabs.count())]
    return out


def test_settings_speak_plain_words_first(window, qtbot):  # noqa: ANN001
    dialog = window.open_settings()
    qtbot.waitExposed(dialog)
    import re

    shown = [t for t in _plain_words(dialog) if "/" not in t]  # paths are the creator's own
    for text in shown:
        plain = re.sub(r"\([^)]*\)", "", text)  # "Cepat (int8)": the name after the plain words
        for word in TECHNICAL:
            assert word not in plain, (word, text)
    assert any(t.startswith("Cepat (int8)") for t in shown)
    image = dialog.engine_combos["image"]
    assert image.itemText(image.findData("image.placeholder")) == "Ilustrasi sementara, tanpa AI"
    assert dialog.engine_keys["image"].text() == image.currentData()  # the key, small beside it
    dialog.reject()


def test_model_manager_offers_check_not_download_again_for_a_model_that_is_here(window, qtbot):  # noqa: ANN001
    from studio.engines.models import manager as mm
    from studio.ui.models_dialog import ModelsDialog

    dialog = ModelsDialog(window, window.session.settings)
    qtbot.addWidget(dialog)
    dialog.show()
    here = next(st for st in dialog.statuses if st.present)
    dialog.select(here.spec.id)
    assert dialog.download_button.text() == "Unduh lagi"
    assert dialog.download_button.property("role") != "primary"
    assert dialog.verify_button.property("role") == "primary"
    missing = next(st for st in dialog.statuses if not st.present and st.spec.repo)
    dialog.select(missing.spec.id)
    assert dialog.download_button.property("role") == "primary"
    dialog.select("piper-id-news-tts-medium")
    assert "tidak disebutkan di kartu modelnya" in dialog.detail_text.text()
    assert "model card" not in dialog.detail_text.text()
    assert mm.get_spec("piper-id-news-tts-medium").licence.startswith("not stated")  # the log keeps the source
    dialog.close()


def test_placeholder_card_names_no_model_and_engines_have_plain_names(window, qtbot, tmp_path):  # noqa: ANN001
    w = window
    assert w.open_project(_placeholder_project(tmp_path / "p"))
    project = w.session.project
    project.scenes[0].image.model = "placeholder v1"
    w.go("images")
    page = w.pages["images"]
    card = page.cards[0]
    card.update_view()
    assert "placeholder" not in card.state.text()
    assert page.engine_label.text() == "Mesin gambar: Ilustrasi sementara, tanpa AI"
    w.apply_language("en")
    try:
        w.go("images")
        assert w.pages["images"].engine_label.text() == "Image engine: Placeholder art, no AI"
    finally:
        w.apply_language("id")
