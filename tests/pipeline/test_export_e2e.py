"""End to end on real engines: a two-scene project made offline (placeholder art, espeak-ng,
Whisper, procedural gamelan), changed by the creator, exported and signed with
``studio export --sign``. Checks that every AI-log record carries what the issue asks,
and that the end card, the MP4's metadata, the report and the C2PA manifest all say the
same thing about the AI used, because they all come from the same log."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from studio.cli import EXIT_OK, main
from studio.core import ailog, storage
from studio.core.hashing import file_sha256
from studio.core.jobs import JobContext
from studio.core.project import Brief, Project, Scene
from studio.core.settings import Settings
from studio.pipeline import steps
from studio.pipeline.export import sign as c2pa_sign
from studio.pipeline.images import step as images
from studio.pipeline.media.probe import probe_media
from studio.pipeline.provenance import log_human
from studio.pipeline.render.renderer import Renderer
from studio.pipeline.report.build import validate_report

pytestmark = pytest.mark.slow
SHA = re.compile(r"^[0-9a-f]{64}$")
HEX = re.compile(r"^[0-9a-f]{16,64}$")
"""Input hashes: SHA-256 of files and texts; the music's is its parameters' status hash (16 hex)."""
NARRATION = ["Weton adalah hari lahir menurut kalender Jawa.",
             "Keluarga menghitung neptu sebelum hajatan."]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("e2e")
    root = base / "proyek"
    project = Project(preset="free", brief=Brief(
        title="Weton di Kotagede", region="Yogyakarta", theme="weton", language="id",
        creator="Sri Lestari", agency="Dinas Kebudayaan DIY"))
    project.render.width, project.render.height, project.render.fps = 360, 640, 24
    project.render.title_seconds, project.render.end_seconds = 1.0, 2.0
    project.render.x264_preset = "ultrafast"
    project.scenes = [Scene(narration=t, image_prompt=f"ilustrasi {i}", on_screen_text=f"Bagian {i + 1}")
                      for i, t in enumerate(NARRATION)]
    storage.create_project(root, project)
    settings = Settings()
    for step in ("images", "voice", "subtitles", "music"):
        job = steps.prepare(step, project, root, settings)
        job.apply(project, job.run(JobContext(step)))
    # The creator replaces scene 2's picture with a photo and fixes a word in scene 1.
    photo = base / "foto.png"
    from PIL import Image

    Image.new("RGB", (360, 640), (40, 120, 60)).save(photo)
    project.scenes[1].image = images.import_own_image(project, root, project.scenes[1].id, photo)
    log_human(root, "script", "edit", scene_id=project.scenes[0].id, note="Creator edited the text.")
    storage.save_project(root, project)

    key = c2pa_sign.make_test_credentials(base / "kunci", "Sri Lestari", "Dinas Kebudayaan DIY")
    code = main(["export", str(root), "--sign", str(key.certificate), str(key.private_key),
                 "--trust-anchors", str(key.trust_anchors)])
    assert code == EXIT_OK
    project = storage.load_project(root)
    folder = root / project.last_export.folder
    return root, project, folder, key


def test_every_log_record_carries_what_the_issue_asks(exported) -> None:
    root, project, _, _ = exported
    records = ailog.read(root)
    machine = [r for r in records if r.actor != "human"]
    assert {r.step for r in machine} == {"images", "voice", "subtitles", "music"}
    assert any(r.actor == "ai" and r.step == "subtitles" for r in machine)  # Whisper is AI
    for rec in records:
        datetime.fromisoformat(rec.ts.replace("Z", "+00:00"))
        if rec.step in ("images", "voice"):
            assert rec.scene_id in {s.id for s in project.scenes}, rec
    for rec in machine:
        what = f"{rec.step}/{rec.engine}"
        assert rec.engine and rec.tool and rec.model and rec.model_revision and rec.licence, what
        assert rec.params, what
        assert rec.inputs and all(HEX.match(v) for v in rec.inputs.values()), what
        assert rec.outputs and all(SHA.match(o.sha256) for o in rec.outputs), what
        assert rec.seconds > 0, what
        for out in rec.outputs:
            path = root / out.path
            if path.exists():
                assert file_sha256(path) == out.sha256, what  # the hash is of the file written
    seeded = {r.step for r in machine if r.seed is not None}
    assert {"images", "music"} <= seeded  # the engines with randomness record their seed
    prompts = {r.step: r.prompt for r in machine}
    assert prompts["images"] and prompts["voice"] in NARRATION
    humans = [(r.step, r.action) for r in records if r.actor == "human"]
    assert humans == [("images", "replace"), ("script", "edit")]
    replace = next(r for r in records if r.action == "replace")
    assert replace.outputs and replace.inputs["source"] == file_sha256(
        Path(root).parent / "foto.png")


def test_end_card_metadata_report_and_manifest_say_the_same(exported) -> None:
    root, project, folder, key = exported
    report = json.loads((folder / "laporan-ai.json").read_text(encoding="utf-8"))
    validate_report(report)
    sentence = report["disclosure"]["id"]
    assert sentence.startswith("Dibuat dengan bantuan AI: Subtitle — ")
    assert "faster-whisper" in sentence or "Whisper" in sentence
    video = folder / "weton-di-kotagede.mp4"
    facts = probe_media(video, loudness=False)
    assert facts.metadata["comment"] == sentence
    assert facts.metadata["title"] == "Weton di Kotagede"
    assert Renderer(project, root).disclosure() == sentence  # the end card's text
    read = c2pa_sign.read_credentials(video, key.trust_anchors)
    assert read["validation_state"] == "Trusted"
    assert read["ai_usage"]["disclosure_id"] == sentence
    assert read["digital_source_type"] == c2pa_sign.COMPOSITE_WITH_AI
    kinds = sorted((Path(i["title"]).suffix, str(i["digital_source_type"]).rsplit("/", 1)[-1])
                   for i in read["ingredients"])
    # Placeholder art, espeak-ng voices and gamelan are algorithmic (no AI); the photo is the creator's.
    assert kinds == [(".png", "None"), (".png", "algorithmicMedia"), (".wav", "algorithmicMedia"),
                     (".wav", "algorithmicMedia"), (".wav", "algorithmicMedia")]
    summary = {row["step"]: row["who"] for row in report["summary"]}
    assert summary == {"script": "human", "images": "tool+human", "voice": "tool", "subtitles": "ai",
                       "music": "tool"}


def test_the_exported_file_passes_studio_check(exported, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, folder, _ = exported
    code = main(["check", str(folder / "weton-di-kotagede.mp4"), "--preset", "free", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == EXIT_OK and doc["passed"] is True
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        "weton-di-kotagede.mp4", "weton-di-kotagede.srt", "ai_log.jsonl", "laporan-ai.json",
        "laporan-ai.html", "laporan-ai.pdf", "thumbnail.jpg", "README.txt", "SHA256SUMS.txt"])


def test_the_script_step_logs_the_same_fields(tmp_path: Path) -> None:
    root = tmp_path / "naskah"
    project = Project(brief=Brief(title="Weton", region="Yogyakarta", theme="weton", language="id"))
    storage.create_project(root, project)
    job = steps.prepare("script", project, root, Settings())
    job.apply(project, job.run(JobContext("script")))
    (rec,) = ailog.read(root)
    assert (rec.step, rec.action, rec.actor, rec.scene_id) == ("script", "generate", "tool", None)
    assert rec.engine == "script.template" and rec.model and rec.model_revision and rec.licence
    assert rec.params["word_budget"] > 0 and rec.seconds > 0
    assert SHA.match(rec.inputs["brief"])
    (out,) = rec.outputs
    assert file_sha256(root / out.path) == out.sha256
    # The draft it wrote is what the report compares the creator's edits with.
    draft = json.loads((root / out.path).read_text(encoding="utf-8"))
    assert [s["narration"] for s in draft["scenes"]] == [s.narration for s in project.scenes]
