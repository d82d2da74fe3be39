"""Done means (issue 20): a Basa Jawa narration with Indonesian subtitles, on real engines (a
tiny random MMS-TTS ``jav`` copied in as from a USB stick, the bundled Whisper listening as
``jw``, placeholder art, the gamelan bed), exported and checked. The captions carry both lines,
the bundle both SRT files, and the report both languages."""

from __future__ import annotations

import json
import os

import pytest

from studio.cli import EXIT_OK, main
from studio.core import storage
from studio.core.jobs import JobContext
from studio.core.project import Brief, Project, Scene
from studio.core.settings import Settings
from studio.pipeline import steps
from studio.pipeline.render.renderer import Renderer
from studio.pipeline.subtitles.files import read_srt

pytest.importorskip("transformers")
pytestmark = pytest.mark.slow

JAVANESE = ["Weton iku dina lair miturut pasaran Jawa.", "Kulawarga ngetung neptu sadurunge duwe gawe."]
INDONESIAN = ["Weton adalah hari lahir menurut pasaran Jawa.", "Keluarga menghitung neptu sebelum hajatan."]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory):
    from studio.engines.models import manager
    from studio.engines.models.catalog import get_spec
    from tests.engines.test_voice_vits import build_tiny_vits

    base = tmp_path_factory.mktemp("jawa")
    old = os.environ.get("STUDIO_MODELS_DIR")
    os.environ["STUDIO_MODELS_DIR"] = str(base / "models")
    try:
        settings = Settings()
        manager.use_folder(get_spec("mms-tts-jav"), build_tiny_vits(base / "usb" / "mms-tts-jav"),
                           settings, copy=True)
        root = base / "proyek"
        project = Project(preset="free", brief=Brief(
            title="Weton", region="Yogyakarta", theme="weton", language="jv", subtitle_language="id",
            creator="Sri Lestari", agency="Dinas Kebudayaan DIY"))
        project.render.width, project.render.height, project.render.fps = 360, 640, 24
        project.render.title_seconds, project.render.end_seconds = 1.0, 2.0
        project.render.x264_preset = "ultrafast"
        project.voice.engine = "voice.vits"
        project.scenes = [Scene(narration=jv, subtitle=idn, image_prompt=f"ilustrasi {i}")
                          for i, (jv, idn) in enumerate(zip(JAVANESE, INDONESIAN))]
        storage.create_project(root, project)
        for step in ("images", "voice", "subtitles", "music"):
            job = steps.prepare(step, project, root, settings)
            job.apply(project, job.run(JobContext(step)))
        storage.save_project(root, project)
        assert main(["export", str(root)]) == EXIT_OK
        project = storage.load_project(root)
        yield root, project, root / project.last_export.folder
    finally:
        if old is None:
            os.environ.pop("STUDIO_MODELS_DIR", None)
        else:
            os.environ["STUDIO_MODELS_DIR"] = old


def test_the_voice_is_the_javanese_checkpoint_and_cues_carry_both_lines(exported) -> None:
    _, project, _ = exported
    assert {s.voice.engine for s in project.scenes} == {"voice.vits"}
    for scene, idn in zip(project.scenes, INDONESIAN):
        cues = [c for c in project.subtitles.cues if c.scene_id == scene.id]
        assert cues and " ".join(c.text for c in cues).split() == scene.narration.split()
        assert " ".join(c.translation for c in cues).split() == idn.split()


def test_the_bundle_has_both_srt_files_and_the_report_both_languages(exported) -> None:
    _, project, folder = exported
    main_srt = sorted(p for p in folder.glob("*.srt") if not p.name.endswith(".jv.srt"))
    jv_srt = sorted(folder.glob("*.jv.srt"))
    assert len(main_srt) == 1 and len(jv_srt) == 1
    assert " ".join(c.text for c in read_srt(main_srt[0])).split() == " ".join(INDONESIAN).split()
    assert " ".join(c.text for c in read_srt(jv_srt[0])).split() == " ".join(JAVANESE).split()
    sums = (folder / "SHA256SUMS.txt").read_text(encoding="utf-8")
    assert main_srt[0].name in sums and jv_srt[0].name in sums
    report = json.loads((folder / "laporan-ai.json").read_text(encoding="utf-8"))
    assert (report["brief"]["language"], report["brief"]["subtitle_language"]) == ("jv", "id")
    assert [s["subtitle"] for s in report["scenes"]] == INDONESIAN
    html = (folder / "laporan-ai.html").read_text(encoding="utf-8")
    assert "Narasi Basa Jawa, subtitle Bahasa Indonesia" in html
    voice_tools = [t for t in report["tools"] if t["engine"] == "voice.vits"]
    assert voice_tools and voice_tools[0]["model"] == "mms-tts-jav"


def test_the_captions_show_both_lines_or_the_indonesian_only(exported) -> None:
    root, project, folder = exported
    cue = project.subtitles.cues[0]
    t = (cue.start + cue.end) / 2
    both = Renderer(project, root).frame_at(t)
    only = project.model_copy(deep=True)
    only.subtitles.lines = "translation"
    alone = Renderer(only, root).frame_at(t)
    none = project.model_copy(deep=True)
    none.subtitles.burn_in = False
    bare = Renderer(none, root).frame_at(t)

    def changed_rows(a, b) -> list[int]:
        from PIL import ImageChops

        box = ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda v: 255 if v > 40 else 0)
        return [y for y in range(box.height) if box.crop((0, y, box.width, y + 1)).getbbox()]

    both_rows, alone_rows = changed_rows(both, bare), changed_rows(alone, bare)
    assert alone_rows and both_rows
    # The narration's line sits above the Indonesian one: captions reach higher with both lines.
    assert min(both_rows) < min(alone_rows) - 10
    # And the exported video passes the file checks.
    mp4 = next(folder.glob("*.mp4"))
    assert main(["check", str(mp4), "--preset", "free"]) == EXIT_OK
