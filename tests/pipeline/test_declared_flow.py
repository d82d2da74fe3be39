"""Declared AI from other tools flows into the AI log, the report's tools table, the end card
and the C2PA assertion, apart from the app's own calls; own work is labelled as such (issue 15)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PIL import Image

from media_samples import sample
from studio.core import ailog, storage
from studio.core.jobs import JobContext
from studio.core.origin import made_with_ai, own_work
from studio.core.project import Brief, Project, VoiceAsset
from studio.pipeline.checks import check_export
from studio.pipeline.export.bundle import export_bundle
from studio.pipeline.export.sign import build_manifest
from studio.pipeline.images.step import import_own_image
from studio.pipeline.imports.script import import_script
from studio.pipeline.render.renderer import Renderer
from studio.pipeline.report.build import validate_report


def _project(root: Path) -> Project:
    project = Project(brief=Brief(title="Tumpeng", region="Yogyakarta", theme="kuliner", creator="Sri",
                                  agency="Dinas Kebudayaan"))
    project.render.width, project.render.height = 720, 1280
    return storage.create_project(root, project)


def test_declared_tools_reach_report_end_card_and_credentials(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = _project(root)
    text = "\n\n".join(f"Adegan {i}: tumpeng dan maknanya bagi orang Jawa, kata demi kata." for i in range(1, 4))
    src = tmp_path / "naskah.txt"
    src.write_text(text, encoding="utf-8")
    import_script(project, root, src, declared=made_with_ai("ChatGPT", "GPT-4o", "naskah tumpeng")).apply_to(project)
    photos = []
    for i, colour in enumerate(((200, 120, 40), (40, 120, 200), (90, 160, 60))):
        path = tmp_path / f"foto-{i}.png"
        Image.new("RGB", (720, 1280), colour).save(path)
        photos.append(path)
    a, b, c = project.scenes
    a.image = import_own_image(project, root, a.id, photos[0], declared=made_with_ai("bing"))
    b.image = import_own_image(project, root, b.id, photos[1], declared=own_work())
    c.image = import_own_image(project, root, c.id, photos[2])  # nothing declared: the creator's import
    for s in project.scenes:
        s.voice = VoiceAsset(path=f"voice/{s.id}.wav", origin="tts", engine="voice.espeak", duration=5.0)
        ailog.append(root, ailog.AiRecord(step="voice", action="generate", actor="tool", scene_id=s.id,
                                          engine="voice.espeak", tool="espeak-ng"))
    ailog.append(root, ailog.AiRecord(step="subtitles", action="transcribe", actor="ai", tool="faster-whisper",
                                      engine="transcribe.faster_whisper", model="whisper-base"))
    storage.save_project(root, project)
    loaded = storage.load_project(root)
    assert loaded.scenes[0].image.declared.tool == "Copilot / Bing Image Creator"
    assert loaded.scenes[1].image.declared.kind == "own" and loaded.scenes[2].image.declared is None

    records = ailog.read(root)
    assert [r.actor for r in records if r.step in ("script", "images")] == ["declared", "declared", "human", "human"]
    end_card = Renderer(loaded, root).disclosure()
    assert end_card == ("Dibuat dengan bantuan AI: Naskah — ChatGPT, model GPT-4o (dinyatakan pembuat); "
                        "Gambar — Copilot / Bing Image Creator (dinyatakan pembuat); "
                        "Subtitle — faster-whisper, model whisper-base.")

    video = root / "render" / "v.mp4"
    shutil.copy(sample("ok"), video)
    findings, facts = check_export(loaded, root, video)
    result = export_bundle(loaded, root, JobContext("export"), video=video, findings=findings, facts=facts)
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    validate_report(report)
    tools = {t["tool"]: t for t in report["tools"]}
    assert tools["ChatGPT"]["declared"] and tools["ChatGPT"]["is_ai"] and tools["ChatGPT"]["steps"] == ["script"]
    assert tools["Copilot / Bing Image Creator"]["declared"]
    assert not tools["faster-whisper"]["declared"] and tools["faster-whisper"]["is_ai"]
    assert "Kreator" not in tools  # the creator is not a tool
    summary = {row["step"]: row for row in report["summary"]}
    assert summary["script"]["tools"] == ["ChatGPT (GPT-4o) (dinyatakan pembuat)"]
    assert summary["images"]["who"] == "both"
    assert summary["images"]["tools"] == ["Copilot / Bing Image Creator (dinyatakan pembuat)",
                                          "Karya saya sendiri (dinyatakan pembuat)"]
    assert report["scenes"][0]["image"]["declared"]["tool"] == "Copilot / Bing Image Creator"
    assert report["scenes"][1]["image"]["declared"] == {"kind": "own", "tool": "", "model": "", "prompt": ""}
    assert report["disclosure"]["id"] == end_card
    assert {r["actor"] for r in report["records"]} == {"declared", "human", "tool", "ai"}
    page = result.report_html.read_text(encoding="utf-8")
    assert "AI (dinyatakan pembuat)" in page and "Karya saya sendiri (dinyatakan pembuat)" in page
    ai_rule = next(f for f in report["checks"]["findings"] if f["rule"] == "ai.required")
    assert ai_rule["passed"] and "ChatGPT" in ai_rule["message_id"]

    manifest = build_manifest(loaded, records, [], "Tumpeng")
    usage = manifest["assertions"][1]["data"]["ai_tools"]
    assert {"tool": "ChatGPT", "model": "GPT-4o", "steps": ["script"], "declared_by_creator": True} in usage
    assert any(t["tool"] == "faster-whisper" and "declared_by_creator" not in t for t in usage)
