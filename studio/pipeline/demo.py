"""The sample project: the Javanese weton tradition, built with the offline defaults.

Used by ``studio demo`` and the window's "Buka proyek contoh". Running it again on
the same folder continues where it stopped (finished steps are up to date).
"""

from __future__ import annotations

from pathlib import Path

from studio.core import storage
from studio.core.presets import DEFAULT_PRESET, get_preset
from studio.core.project import Brief, Project

DEMO_BRIEF = Brief(
    title="Weton: Hitungan Hari Lahir Orang Jawa",
    region="Daerah Istimewa Yogyakarta",
    theme="weton",
    language="id",
    audience="masyarakat umum dan generasi muda",
    key_facts=[
        "Weton adalah gabungan hari dalam sepekan dengan hari pasaran Jawa.",
        "Ada lima hari pasaran: Legi, Pahing, Pon, Wage, dan Kliwon.",
    ],
    creator="Kreator Contoh",
    agency="Instansi Contoh (proyek demo Studio Lokal)",
    notes="Proyek contoh bawaan Studio Lokal, dibuat sepenuhnya luring.",
)


def demo_project(preset_id: str = DEFAULT_PRESET) -> Project:
    """A fresh demo project (brief only; the steps fill the rest)."""
    preset = get_preset(preset_id)
    project = Project(preset=preset.id, brief=DEMO_BRIEF.model_copy(deep=True))
    project.render.width, project.render.height = preset.video.width, preset.video.height
    project.render.fps = preset.video.fps
    return project


def open_or_create(folder: Path, *, preset_id: str = DEFAULT_PRESET) -> tuple[Path, Project]:
    """Open the demo project in ``folder`` if one is there, else create it."""
    folder = Path(folder)
    if (folder / storage.PROJECT_FILE).exists():
        project = storage.load_project(folder)
        storage.ensure_subdirs(folder)
        return folder, project
    project = storage.create_project(folder, demo_project(preset_id))
    return folder, project
