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
