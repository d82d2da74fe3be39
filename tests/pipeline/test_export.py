"""The export bundle and the AI-usage report on a real project folder and a real MP4."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import srt
from PIL import Image

from media_samples import sample
from studio.core import ailog, storage
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Brief, Cue, ImageAsset, Project, Scene, VoiceAsset
from studio.pipeline.checks import check_export
from studio.pipeline.export.bundle import CHECKSUMS, export_bundle, metadata_for
from studio.pipeline.report.build import REPORT_SCHEMA, SCHEMA_ID, STATEMENT_ID, validate_report

SECRET = "sk-test-SECRET-0123456789abcdef"
PROMPTS = [f"lukisan cat air <weton> & pasaran {name}, cahaya pagi"
           for name in ("Legi", "Pahing", "Pon", "Wage", "Kliwon", "Senin", "Selasa", "Rabu", "Kamis")]
SCRIPT_PROMPT = "Tulis naskah 75 detik tentang weton untuk \"generasi muda\" <Yogyakarta>."


def make_project(root: Path) -> Project:
    """A finished 9-scene project (AI images, espeak voices, Whisper cues) with its AI log."""
    project = Project(brief=Brief(title="Weton: Hitungan Hari Lahir Orang Jawa", region="Yogyakarta",
                                  theme="weton", creator="Sri Lestari",
                                  agency="Dinas Kebudayaan DIY"))
    project.render.width, project.render.height = 720, 1280
    storage.create_project(root, project)
    scenes = []
    for i, prompt in enumerate(PROMPTS):
        img = root / "images" / f"scene-{i}.png"
        Image.new("RGB", (360, 640), (170 + 8 * i, 70, 40)).save(img)  # warm; the test video is blue
        scenes.append(Scene(narration=f"Adegan {i + 1}: weton dan pasaran. " * 3, image_prompt=prompt,
                            on_screen_text=f"Bagian {i + 1}",
                            image=ImageAsset(path=f"images/scene-{i}.png", origin="ai",
                                             engine="image.diffusers", model="stabilityai/sd-turbo",
                                             seed=1000 + i, prompt=prompt),
                            voice=VoiceAsset(path=f"voice/scene-{i}.wav", origin="tts",
                                             engine="voice.espeak", duration=6.0)))
    # The script draft the AI wrote; the creator then corrected scene 3 (an "edit" record below).
    draft = {"format": "studio.script", "version": 1, "scenes": [
        {"narration": s.narration, "image_prompt": s.image_prompt} for s in scenes]}
    draft["scenes"][2]["narration"] = "Adegan 3: weton dan pasaran Legi. " * 3
    (root / "script" / "script-1.json").write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    for s in scenes:
        s.source = "ai"
    scenes[2].edited = True
    project.scenes = scenes
    project.subtitles.cues = [Cue(start=3.5 + 7 * i, end=6.5 + 7 * i, text=f"Weton bagian {i + 1}.",
                                  scene_id=s.id) for i, s in enumerate(scenes)]
    project.subtitles.source = "edited"
    ailog.append(root, ailog.AiRecord(step="script", action="generate", actor="ai", engine="script.openai",
                                      tool="Ollama (OpenAI-compatible)", model="qwen2.5:3b",
                                      model_revision="sha-abc123", licence="Apache-2.0",
                                      prompt=SCRIPT_PROMPT, seconds=12.5,
                                      inputs={"brief": "b" * 64},
                                      outputs=[ailog.OutputRef(path="script/script-1.json", sha256="c" * 64)],
                                      params={"temperature": 0.7, "api_key": SECRET}))
    for i, s in enumerate(scenes):
        ailog.append(root, ailog.AiRecord(step="images", action="generate", actor="ai", scene_id=s.id,
                                          engine="image.diffusers", tool="Stable Diffusion (diffusers)",
                                          model="stabilityai/sd-turbo", model_revision="rev-1",
                                          licence="Stability AI Community", prompt=PROMPTS[i] + " (versi 1)",
                                          seed=10 + i,
                                          outputs=[ailog.OutputRef(path=f"images/scene-{i}.png", sha256="a" * 64)]))
    # Scene 1 regenerated: the first version is history, the second is in the video.
    ailog.append(root, ailog.AiRecord(step="images", action="regenerate", actor="ai", scene_id=scenes[0].id,
                                      engine="image.diffusers", tool="Stable Diffusion (diffusers)",
                                      model="stabilityai/sd-turbo", model_revision="rev-1",
                                      licence="Stability AI Community", prompt=PROMPTS[0], seed=1000))
    ailog.append(root, ailog.AiRecord(step="script", action="edit", actor="human", scene_id=scenes[2].id,
                                      tool="Kreator", note="Nama pasaran dibetulkan."))
    for s in scenes:
        ailog.append(root, ailog.AiRecord(step="voice", action="generate", actor="tool", scene_id=s.id,
                                          engine="voice.espeak", tool="espeak-ng", licence="GPL-3.0",
                                          prompt=s.narration))
    ailog.append(root, ailog.AiRecord(step="subtitles", action="transcribe", actor="ai",
                                      engine="transcribe.faster_whisper", tool="faster-whisper",
                                      model="whisper-base", licence="MIT"))
    storage.save_project(root, project)
    return project


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory):
    """One export shared by the tests that only read it (each export takes a second or two)."""
    with pytest.MonkeyPatch.context() as mp:
        # A real-looking credential in the environment must never reach the bundle.
        mp.setenv("STUDIO_LLM_API_KEY", SECRET)
        root = tmp_path_factory.mktemp("export") / "proyek"
        project = make_project(root)
        video = root / "render" / "weton.mp4"
        shutil.copy(sample("ok"), video)
        findings, facts = check_export(project, root, video)
        before = project.model_dump()
        progress = []
        result = export_bundle(project, root, JobContext("export", progress.append), video=video,
                               findings=findings, facts=facts)
        assert project.model_dump() == before  # the live project is not touched
        yield root, project, result, findings, progress


def test_bundle_has_every_file_under_a_dated_slug(exported) -> None:
    root, project, result, findings, progress = exported
    slug = "weton-hitungan-hari-lahir-orang-jawa"
    assert result.folder == root / "export" / f"{slug}-{date.today().isoformat()}"
    names = sorted(p.name for p in result.folder.iterdir())
    assert names == sorted([f"{slug}.mp4", f"{slug}.srt", "ai_log.jsonl", "laporan-ai.json",
                            "laporan-ai.html", "laporan-ai.pdf", "thumbnail.jpg", "README.txt", CHECKSUMS])
    assert [p.name for p in (root / "export").iterdir()] == [result.folder.name]  # no .part left
    assert result.video.read_bytes() == (root / "render" / "weton.mp4").read_bytes()
    assert (root / "ai_log.jsonl").read_bytes() == (result.folder / "ai_log.jsonl").read_bytes()
    assert result.passed and result.record.passed
    assert result.record.folder == f"export/{result.folder.name}"
    assert progress[-1].done == progress[-1].total


def test_checksums_match_the_files(exported) -> None:
    _, _, result, _, _ = exported
    lines = (result.folder / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 8
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((result.folder / name).read_bytes()).hexdigest() == digest


def test_report_json_validates_and_matches_the_log(exported) -> None:
    root, project, result, findings, _ = exported
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    validate_report(report)
    assert report["schema"] == SCHEMA_ID == REPORT_SCHEMA["properties"]["schema"]["const"]
    log = ailog.read(root)
    assert len(report["records"]) == len(log)
    for row, rec in zip(report["records"], log):
        assert (row["step"], row["action"], row["actor"], row["prompt"], row["seed"], row["scene_id"]) == (
            rec.step, rec.action, rec.actor, rec.prompt, rec.seed, rec.scene_id)
    # The first version of scene 1's image was regenerated: kept, but not current.
    first = [r for r in report["records"] if r["scene_id"] == project.scenes[0].id and r["step"] == "images"]
    assert [r["current"] for r in first] == [False, True]
    summary = {row["step"]: row["who"] for row in report["summary"]}
    assert summary == {"script": "both", "images": "ai", "voice": "tool", "subtitles": "ai", "music": "none"}
    tools = {t["tool"]: t for t in report["tools"]}
    assert tools["Stable Diffusion (diffusers)"]["uses"] == 9  # current images only
    assert tools["Ollama (OpenAI-compatible)"]["version"] == "sha-abc123"
    assert tools["espeak-ng"]["is_ai"] is False and tools["espeak-ng"]["licence"] == "GPL-3.0"
    assert "sd-turbo" in report["disclosure"]["id"] and report["disclosure"]["id"].startswith("Dibuat")
    # Final checks as probed: the file's duration, not the project's estimate.
    assert report["checks"]["passed"] is True
    rules = {f["rule"]: f for f in report["checks"]["findings"]}
    assert rules["duration.min"]["measured"] == "60.5 s"
    assert len(rules) == len(report["checks"]["findings"])  # one row per rule
    assert report["checks"]["media"]["video_codec"] == "h264"
    files = {f["name"]: f for f in report["files"]}
    assert set(files) == {result.video.name, result.srt.name, "ai_log.jsonl", "thumbnail.jpg"}
    for name, entry in files.items():
        assert hashlib.sha256((result.folder / name).read_bytes()).hexdigest() == entry["sha256"]
    assert report["scenes"][0]["prompts"][0]["prompt"] == PROMPTS[0]


def test_report_schema_rejects_a_broken_report(exported) -> None:
    import jsonschema

    _, _, result, _, _ = exported
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    del report["records"][0]["actor"]
    with pytest.raises(jsonschema.ValidationError):
        validate_report(report)


def test_html_has_every_prompt_the_checklist_and_the_statement(exported) -> None:
    root, project, result, _, _ = exported
    page = result.report_html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="id">' in page
    for rec in ailog.read(root):
        if rec.prompt:
            assert html.escape(rec.prompt, quote=True) in page, rec.prompt
    assert "<weton>" not in page  # prompts are escaped, not markup
    assert STATEMENT_ID.split("“")[0] in page and "Saya yang bertanda tangan" in page
    for blank in ("Nama", "NIP", "Tempat, tanggal", "Tanda tangan"):
        assert f"<td>{blank}</td>" in page or f">{blank}</td>" in page
    assert "Sri Lestari" in page and "Dinas Kebudayaan DIY" in page
    assert "Ringkasan per langkah" in page and "Pemeriksaan aturan lomba" in page
    assert page.count("data:image/jpeg;base64,") == len(project.scenes)
    assert "Durasi minimal" in page and "✓ Lolos" in page
    assert "qwen2.5:3b" in page and "Apache-2.0" in page and "sha-abc123" in page


def test_srt_thumbnail_and_readme(exported) -> None:
    _, project, result, _, _ = exported
    subs = list(srt.parse(result.srt.read_text(encoding="utf-8")))
    assert [(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in subs] == [
        (c.start, c.end, c.text) for c in project.subtitles.cues]
    with Image.open(result.thumbnail) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (720, 1280)
        # The title is drawn over the first scene's picture: bright text pixels exist.
        assert thumb.convert("L").getextrema()[1] > 240
        r, _, b = thumb.convert("RGB").getpixel((40, 1100))
        assert r > b  # the first scene's warm picture, darkened
    readme = (result.folder / "README.txt").read_text(encoding="utf-8")
    for p in result.folder.iterdir():
        assert p.name in readme
    assert "semua aturan wajib lomba terpenuhi" in readme


def test_no_secret_anywhere_in_the_bundle(exported) -> None:
    _, _, result, _, _ = exported
    for path in result.folder.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path.name
        assert b"api_key" not in path.read_bytes(), path.name


def test_a_secret_planted_in_a_hand_edited_log_is_redacted(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MY_SERVICE_TOKEN", SECRET)
    root = tmp_path / "p"
    project = make_project(root)
    with open(root / "ai_log.jsonl", "a", encoding="utf-8") as f:  # bypasses ailog.append's scrub
        f.write(json.dumps({"step": "music", "action": "import", "actor": "human",
                            "note": f"token {SECRET}", "params": {"auth_header": SECRET}}) + "\n")
    video = root / "render" / "v.mp4"
    shutil.copy(sample("ok"), video)
    result = export_bundle(project, root, JobContext("export"), video=video, findings=[])
    for path in result.folder.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path.name


def test_cancel_leaves_no_bundle(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = make_project(root)
    video = root / "render" / "v.mp4"
    shutil.copy(sample("ok"), video)
    holder: dict[str, JobContext] = {}

    def report(p) -> None:
        if p.done >= 4:  # the user presses cancel while the thumbnail is being made
            holder["ctx"].cancel()

    ctx = holder["ctx"] = JobContext("export", report)
    with pytest.raises(Cancelled):
        export_bundle(project, root, ctx, video=video, findings=[])
    assert list((root / "export").iterdir()) == []
    assert video.exists()


def test_blocking_findings_are_reported_not_hidden(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = make_project(root)
    video = root / "render" / "v.mp4"
    shutil.copy(sample("short"), video)
    findings, facts = check_export(project, root, video)
    result = export_bundle(project, root, JobContext("export"), video=video, findings=findings,
                           facts=facts)
    assert not result.passed and not result.record.passed
    readme = (result.folder / "README.txt").read_text(encoding="utf-8")
    assert "PERHATIAN" in readme and "terlalu pendek" in readme
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    assert report["checks"]["passed"] is False
    assert "✗ Gagal (memblokir)" in result.report_html.read_text(encoding="utf-8")
    # A second export the same day gets its own folder.
    again = export_bundle(project, root, JobContext("export"), video=video, findings=findings,
                          facts=facts)
    assert again.folder.name == result.folder.name + "-2"


def test_metadata_for_the_renderer(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = make_project(root)
    tags = metadata_for(project, ailog.read(root))
    assert tags["title"] == project.brief.title and tags["artist"] == "Sri Lestari"
    assert tags["comment"] == ailog.disclosure_text(
        ailog.current_records(ailog.read(root), [s.id for s in project.scenes]), "id")
    assert "weton" in tags["genre"] and "Yogyakarta" in tags["keywords"]
    assert all(isinstance(v, str) and v for v in tags.values())
    assert not any(re.search(r"[\r\n]", v) for v in tags.values())


def test_thumbnail_falls_back_to_a_frame_of_the_video(tmp_path: Path) -> None:
    root = tmp_path / "p"
    project = make_project(root)
    (root / "images" / "scene-0.png").unlink()  # the first picture went missing
    video = root / "render" / "v.mp4"
    shutil.copy(sample("ok"), video)
    result = export_bundle(project, root, JobContext("export"), video=video, findings=[])
    with Image.open(result.thumbnail) as thumb:
        r, _, b = thumb.convert("RGB").getpixel((40, 1100))
    assert b > r  # the blue test video, not the warm scene pictures
    page = result.report_html.read_text(encoding="utf-8")
    assert page.count("data:image/jpeg;base64,") == len(project.scenes) - 1


# ------------------------------------------------------------------ PDF, drafts, schema doc


def pdf_text(path: Path) -> tuple[int, list[str]]:
    """Page count and the text of each page (whitespace collapsed), read with pypdfium2."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for i in range(len(doc)):
            page = doc[i]
            text = page.get_textpage().get_text_range()
            texts.append(" ".join(text.split()))
        return len(doc), texts
    finally:
        doc.close()


def test_pdf_report_has_every_part_in_indonesian(exported, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    root, project, result, _, _ = exported
    assert result.report_pdf == result.folder / "laporan-ai.pdf"
    data = result.report_pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"SourceSansPro" in data  # the real font, embedded
    pages, texts = pdf_text(result.report_pdf)
    assert pages >= 3
    first = texts[0]
    for part in ("Laporan Penggunaan Kecerdasan Artifisial (AI)", "Weton: Hitungan Hari Lahir Orang Jawa",
                 "Sri Lestari", "Dinas Kebudayaan DIY", "Keterangan penggunaan AI", "Ringkasan per langkah",
                 "AI, lalu diubah kreator", "Alat dan model", "qwen2.5:3b", "sha-abc123", "Apache-2.0"):
        assert part in first, part
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    assert " ".join(report["disclosure"]["id"].split()) in first
    everything = " ".join(texts)
    for rec in ailog.current_records(ailog.read(root), [s.id for s in project.scenes]):
        if rec.prompt and rec.step != "voice":  # a voice's prompt is its narration, shown once
            assert " ".join(rec.prompt.split()) in everything, rec.prompt
    assert "Pernyataan kreator" in texts[-1] and "Saya yang bertanda tangan" in texts[-1]
    for blank in ("Nama", "NIP", "Instansi", "Tempat, tanggal", "Tanda tangan"):
        assert blank in texts[-1]
    assert "Pemeriksaan aturan lomba" in everything and "Lolos" in everything
    # Every scene picture is drawn (9 JPEG images in the file).
    doc = pdfium.PdfDocument(str(result.report_pdf))
    try:
        images = sum(1 for i in range(len(doc)) for obj in doc[i].get_objects()
                     if obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE)
        png = tmp_path / "halaman-1.png"
        doc[0].render(scale=1.0).to_pil().convert("L").save(png)
    finally:
        doc.close()
    assert images == len(project.scenes)
    with Image.open(png) as page:
        # A4 at 72 dpi, mostly white paper with dark text on it.
        assert page.size[1] == 842 and abs(page.size[0] - 595) <= 1
        hist = page.histogram()
        dark = sum(hist[:100]) / (page.size[0] * page.size[1])
        assert 0.01 < dark < 0.3


def test_the_creators_change_to_the_draft_is_shown(exported) -> None:
    _, project, result, _, _ = exported
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    drafts = {s["index"]: s["draft"] for s in report["scenes"] if s["draft"]}
    assert list(drafts) == [3]
    assert drafts[3] == {"narration": "Adegan 3: weton dan pasaran Legi. " * 3}
    page = result.report_html.read_text(encoding="utf-8")
    assert "<del>pasaran Legi.</del> <ins>pasaran.</ins>" in page
    _, texts = pdf_text(result.report_pdf)
    assert "Perubahan kreator pada narasi draf" in " ".join(texts)


def test_report_records_carry_every_logged_field(exported) -> None:
    root, _, result, _, _ = exported
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    script = report["records"][0]
    assert (script["seconds"], script["inputs"], script["outputs"][0]["path"]) == (
        12.5, {"brief": "b" * 64}, "script/script-1.json")
    assert "api_key" not in script["params"] and script["params"]["temperature"] == 0.7
    assert report["statement"]["text_id"].startswith("Saya yang bertanda tangan")
    assert report["statement"]["fields"][-1] == "Tanda tangan"
    assert report["content_credentials"] is None


def test_schema_doc_and_schema_file_match_the_code() -> None:
    docs = Path(__file__).resolve().parents[2] / "assets" / "docs"
    on_disk = json.loads((docs / "ai-report-1.schema.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(REPORT_SCHEMA))
    text = (docs / "ai-report.md").read_text(encoding="utf-8")
    for name in REPORT_SCHEMA["properties"]:
        assert f"`{name}`" in text, name
    for section in ("records", "scenes", "tools", "summary"):
        item = REPORT_SCHEMA["properties"][section]["items"]
        for name in item["properties"]:
            assert f"`{name}`" in text, f"{section}.{name}"


def test_pdf_survives_characters_the_font_lacks(exported, tmp_path: Path) -> None:
    from studio.pipeline.report.pdf import render_pdf

    _, _, result, _, _ = exported
    report = json.loads(result.report_json.read_text(encoding="utf-8"))
    report["scenes"][0]["narration"] = "Batik tulis 🎨 dari Solo — “halus” ✗ ꦧꦠꦶꦏ꧀ selesai."
    out = render_pdf(report, tmp_path / "laporan.pdf")
    _, texts = pdf_text(out)
    # Emoji and symbols are dropped, letters the font has no glyph for (aksara Jawa) become "?".
    assert "Batik tulis dari Solo — “halus” ???? selesai." in " ".join(texts)
