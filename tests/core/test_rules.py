"""Pure rule checks on crafted projects and crafted media facts (no files, no ffmpeg)."""

from __future__ import annotations

import math

import pytest

from studio.core.presets import AiRules, get_preset
from studio.core.project import Brief, Cue, ImageAsset, Project, Scene, VoiceAsset
from studio.core.rules.findings import RULE_LABELS, Finding, blocking, failed, format_findings, merge_findings
from studio.core.rules.media import MediaFacts, check_media_facts
from studio.core.rules.project import check_project_facts
from studio.core.status import subtitles_inputs_hash
from studio.core.timeline import build_timeline

PRESET = get_preset("ai-local-content-2025")


def complete_project(n: int = 9, seconds: float = 6.0) -> Project:
    """A project that meets every competition rule (65 s with 9 × 6 s voices)."""
    project = Project(brief=Brief(title="Weton", region="Yogyakarta", theme="weton",
                                  creator="Sri Lestari", agency="Dinas Kebudayaan DIY"))
    project.scenes = [Scene(narration="kata " * 12, image_prompt=f"lukisan {i}",
                            image=ImageAsset(path=f"images/{i}.png", origin="ai", engine="image.diffusers"),
                            voice=VoiceAsset(path=f"voice/{i}.wav", origin="tts", duration=seconds))
                      for i in range(n)]
    project.subtitles.cues = [Cue(start=3.0, end=5.0, text="Weton adalah hari lahir.")]
    project.subtitles.source = "script+whisper"
    project.subtitles.inputs_hash = subtitles_inputs_hash(project)
    return project


def check(project: Project, preset=PRESET, ai_steps: set[str] | None = None) -> list[Finding]:
    return check_project_facts(project, preset, timeline=build_timeline(project),
                               ai_steps={"images"} if ai_steps is None else ai_steps)


def by_rule(findings: list[Finding]) -> dict[str, Finding]:
    return {f.rule: f for f in findings}


def test_complete_project_passes_everything() -> None:
    findings = check(complete_project())
    assert failed(findings) == []
    assert {"duration.min", "duration.max", "video.aspect", "video.fps", "required.title_card",
            "required.ai_disclosure", "required.subtitles", "required.theme_metadata", "ai.required",
            "scenes.image", "scenes.voice", "review.claims"} <= {f.rule for f in findings}


def test_estimated_duration_says_perkiraan_and_names_the_limit() -> None:
    project = complete_project()
    project.scenes = [Scene(narration="Weton adalah hitungan hari lahir orang Jawa.")] * 2
    f = by_rule(check(project))["duration.min"]
    assert not f.passed and f.blocks and f.step == "script"
    assert f.message_id.startswith("Video terlalu pendek: perkiraan durasi")
    assert "minimal 60 detik" in f.message_id
    assert str(f.measured).startswith("≈ ")


def test_real_duration_too_long() -> None:
    project = complete_project(n=12, seconds=7.5)
    f = by_rule(check(project))["duration.max"]
    assert not f.passed and "perkiraan" not in f.message_id.lower()
    assert "maksimal 90 detik" in f.message_id and "," in f.message_id  # Indonesian decimal comma


def test_render_size_and_fps_against_a_vertical_only_preset() -> None:
    project = complete_project()
    project.render.width, project.render.height, project.render.fps = 1920, 1080, 30
    f = by_rule(check(project, get_preset("reels")))
    assert not f["video.aspect"].passed and "9:16" in f["video.aspect"].message_id
    assert f["video.aspect"].step == "export"
    project.render.width, project.render.height, project.render.fps = 1080, 1920, 120
    f = by_rule(check(project, get_preset("reels")))
    assert f["video.aspect"].passed and not f["video.fps"].passed


def test_title_card_needs_creator_and_agency() -> None:
    project = complete_project()
    project.brief.creator = ""
    project.brief.agency = " "
    f = by_rule(check(project))["required.title_card"]
    assert f.blocks and f.step == "brief"
    assert "nama pembuat dan instansi" in f.message_id
    project = complete_project()
    project.render.title_card = False
    f = by_rule(check(project))["required.title_card"]
    assert f.blocks and f.step == "export" and "kartu judul" in f.message_id


def test_end_card_and_burned_subtitles_are_required() -> None:
    project = complete_project()
    project.render.end_card = False
    project.subtitles.burn_in = False
    f = by_rule(check(project))
    assert f["required.ai_disclosure"].blocks
    assert f["required.subtitles"].blocks and f["required.subtitles"].step == "subtitles"
    project.subtitles.cues = []
    assert "belum dibuat" in by_rule(check(project))["required.subtitles"].message_id
    # The free preset requires neither.
    rules = {x.rule for x in check(project, get_preset("free"))}
    assert "required.ai_disclosure" not in rules and "required.subtitles" not in rules


def test_theme_metadata_lists_what_is_empty() -> None:
    project = complete_project()
    project.brief.region = ""
    project.brief.theme = ""
    f = by_rule(check(project))["required.theme_metadata"]
    assert f.blocks and f.step == "brief" and "Isi daerah dan tema" in f.message_id


def test_ai_required_any_and_all() -> None:
    project = complete_project()
    f = by_rule(check(project, ai_steps=set()))["ai.required"]
    assert f.blocks and "Naskah, Gambar, Suara atau Subtitle" in f.message_id
    assert by_rule(check(project, ai_steps={"subtitles"}))["ai.required"].passed
    strict = PRESET.model_copy(update={"ai": AiRules(required=True, mode="all",
                                                     steps=["script", "images", "voice"])})
    f = by_rule(check(project, strict, ai_steps={"images"}))["ai.required"]
    assert f.blocks and f.step == "script" and "Naskah dan Suara" in f.message_id
    assert by_rule(check(project, strict, ai_steps={"script", "images", "voice"}))["ai.required"].passed
    assert "ai.required" not in by_rule(check(project, get_preset("free"), ai_steps=set()))


def test_missing_assets_name_the_scene_numbers() -> None:
    project = complete_project()
    project.scenes[1].image = None
    project.scenes[4].voice = None
    f = by_rule(check(project))
    assert f["scenes.image"].blocks and "Adegan 2 " in f["scenes.image"].message_id
    assert f["scenes.voice"].blocks and "Adegan 5 " in f["scenes.voice"].message_id
    assert f["scenes.voice"].step == "voice"


def test_stale_voice_warns_and_stale_burned_subtitles_block() -> None:
    project = complete_project()
    project.scenes[2].voice.inputs_hash = "an-older-script"
    project.scenes[2].voice.sha256 = "changed"  # a new voice file: the cues are now out of step
    f = by_rule(check(project))
    assert not f["stale.voice"].passed and f["stale.voice"].severity == "warn"
    assert "Suara adegan 3" in f["stale.voice"].message_id
    assert f["stale.subtitles"].blocks
    project.subtitles.burn_in = False
    # Not burned in: the jury never sees mistimed cues in the picture, so only a warning.
    assert by_rule(check(project, get_preset("free")))["stale.subtitles"].severity == "warn"


def test_ai_claims_awaiting_review_warn_but_do_not_block() -> None:
    project = complete_project()
    project.scenes[0].needs_review = ["Weton sudah ada sejak abad ke-9."]
    findings = check(project)
    f = by_rule(findings)["review.claims"]
    assert not f.passed and f.severity == "warn" and "adegan 1" in f.message_id
    assert blocking(findings) == []


def test_imported_music_without_licence_warns() -> None:
    project = complete_project()
    project.music.source = "imported"
    project.music.path = "music/lagu.mp3"
    assert not by_rule(check(project))["music.licence"].passed
    project.music.licence = "CC BY 4.0, Gamelan Jogja"
    assert by_rule(check(project))["music.licence"].passed


# ------------------------------------------------------------------ media facts


def facts(**over) -> MediaFacts:
    base = dict(name="x.mp4", size_bytes=20_000_000, duration=75.0, container="mp4",
                video_codec="h264", video_profile="High", pix_fmt="yuv420p", color_range="tv",
                width=1080, height=1920, fps=30.0, audio_codec="aac", sample_rate=48000, channels=2,
                faststart=True, loudness_lufs=-14.2, true_peak_db=-1.5,
                metadata={"title": "Weton", "comment": "Dibuat dengan bantuan AI"})
    base.update(over)
    return MediaFacts(**base)


def failed_rules(f: MediaFacts, preset=PRESET) -> set[str]:
    return {x.rule for x in failed(check_media_facts(f, preset))}


@pytest.mark.parametrize("seconds, expected", [(59.9, {"duration.min"}), (60.0, set()), (75.0, set()),
                                               (90.0, set()), (90.1, {"duration.max"})])
def test_duration_edges(seconds: float, expected: set[str]) -> None:
    assert failed_rules(facts(duration=seconds)) == expected


@pytest.mark.parametrize("over, rule", [
    ({"video_codec": "hevc"}, "video.codec"),
    ({"video_profile": "High 10"}, "video.profile"),
    ({"pix_fmt": "yuv444p"}, "video.pix_fmt"),
    ({"width": 1920, "height": 1440}, "video.aspect"),
    ({"width": 540, "height": 960}, "video.min_height"),
    ({"fps": 23.0}, "video.fps"),
    ({"fps": 120.0}, "video.fps"),
    ({"audio_codec": "mp3"}, "audio.codec"),
    ({"size_bytes": 501_000_000}, "file.size"),
    ({"container": "mov"}, "container.format"),
])
def test_blocking_media_rules(over: dict, rule: str) -> None:
    findings = check_media_facts(facts(**over), PRESET)
    assert {f.rule for f in failed(findings)} == {rule}
    assert [f.rule for f in blocking(findings)] == [rule]


@pytest.mark.parametrize("over, rules", [
    ({"loudness_lufs": -20.0}, {"loudness.integrated"}),
    ({"loudness_lufs": -12.5, "true_peak_db": -0.2}, {"loudness.integrated", "loudness.true_peak"}),
    ({"sample_rate": 44100}, {"audio.sample_rate"}),
    ({"color_range": "pc"}, {"video.color_range"}),
    ({"faststart": False}, {"file.faststart"}),
    ({"metadata": {}}, {"meta.title", "meta.disclosure"}),
])
def test_warning_media_rules(over: dict, rules: set[str]) -> None:
    findings = check_media_facts(facts(**over), PRESET)
    assert {f.rule for f in failed(findings)} == rules
    assert blocking(findings) == []


def test_loudness_message_says_which_way() -> None:
    quiet = {f.rule: f for f in check_media_facts(facts(loudness_lufs=-20.0), PRESET)}
    assert "terlalu pelan" in quiet["loudness.integrated"].message_id
    assert "-20,0 LUFS" in quiet["loudness.integrated"].message_id


def test_silence_and_missing_audio() -> None:
    silent = check_media_facts(facts(loudness_lufs=-math.inf, true_peak_db=-math.inf), PRESET)
    assert [f.rule for f in blocking(silent)] == ["audio.silent"]
    assert "loudness.integrated" not in {f.rule for f in silent}  # silence is reported once
    gone = check_media_facts(facts(audio_codec=None, sample_rate=None, channels=None,
                                   loudness_lufs=None, true_peak_db=None), PRESET)
    assert [f.rule for f in blocking(gone)] == ["audio.present"]
    assert "tidak punya trek audio" in blocking(gone)[0].message_id


def test_ntsc_frame_rate_is_written_as_such() -> None:
    f = {x.rule: x for x in check_media_facts(facts(fps=30000 / 1001), PRESET)}["video.fps"]
    assert f.passed and f.measured == "29.97 fps" and "29,97 fps" in f.message_id


def test_sample_aspect_ratio_is_applied() -> None:
    # 1440x1920 pixels shown with 3:4 pixels is a 1080x1920 (9:16) picture.
    assert "video.aspect" not in failed_rules(facts(width=1440, height=1920, display_aspect=0.5625))


# ------------------------------------------------------------------ lists and text


def test_merge_prefers_the_file_verdict() -> None:
    project = check(complete_project())
    file = check_media_facts(facts(duration=95.0), PRESET)
    merged = merge_findings(project, file)
    durations = [f for f in merged if f.rule == "duration.max"]
    assert len(durations) == 1 and not durations[0].passed and durations[0].measured == "95.0 s"


def test_format_findings_orders_blockers_first_in_both_languages() -> None:
    findings = check_media_facts(facts(duration=50.0, faststart=False), PRESET)
    text = format_findings(findings, "id").splitlines()
    assert text[0].startswith("✗ BLOKIR") and "Durasi minimal" in text[0]
    assert text[1].startswith("! PERINGATAN")
    assert all(line.startswith("✓") for line in text[2:])
    only = format_findings(findings, "en", only_failed=True)
    assert only.count("\n") == 1 and "too short" in only
    assert format_findings([], "id") == "Semua pemeriksaan lolos."


def test_every_finding_has_a_label_and_both_sentences() -> None:
    project = complete_project()
    project.scenes[0].needs_review = ["x"]
    project.music.source = "imported"
    project.subtitles.burn_in = False
    everything = (check(project, ai_steps=set())
                  + check_media_facts(facts(metadata={}, faststart=False), PRESET)
                  + check_media_facts(facts(audio_codec=None), PRESET))
    for f in everything:
        assert f.rule in RULE_LABELS, f.rule
        assert f.message_id.strip().endswith(".") and f.message_en.strip().endswith("."), f
        assert f.message_id != f.message_en
        assert f.step in {"brief", "script", "images", "voice", "subtitles", "music", "export"}


def test_placeholder_pictures_warn_naming_the_scenes_and_the_fix() -> None:
    project = complete_project()
    assert by_rule(check(project))["images.placeholder"].passed
    for i in (0, 3):
        project.scenes[i].image = ImageAsset(path=f"images/{i}.png", origin="generated",
                                             engine="image.placeholder")
    f = by_rule(check(project))["images.placeholder"]
    assert not f.passed and f.severity == "warn" and f.step == "images"
    assert f.message_id.startswith("Adegan 1, 4 masih memakai ilustrasi sementara")
    for fix in ("foto atau klip Anda sendiri", "gambar AI", "unduh model gambar"):
        assert fix in f.message_id
    # "Aturan terpenuhi" is no longer the whole story: the checklist has a failed line.
    assert f in failed(check(project))


def test_ai_rule_says_what_it_counted_and_the_preset_decides_on_subtitles_alone() -> None:
    project = complete_project()
    f = by_rule(check(project, ai_steps={"subtitles"}))["ai.required"]
    assert f.passed
    assert "Hanya subtitle yang dibuat dengan AI (pengenalan suara Whisper)" in f.message_id
    assert "Naskah, Gambar dan Suara dibuat tanpa AI" in f.message_id
    assert "menganggap itu cukup" in f.message_id
    f = by_rule(check(project, ai_steps={"images", "subtitles"}))["ai.required"]
    assert f.passed and f.message_id == "Dihitung sebagai AI: Gambar dan Subtitle. Tanpa AI: Naskah dan Suara."
    strict = PRESET.model_copy(update={"ai": PRESET.ai.model_copy(update={"subtitles_alone": False})})
    f = by_rule(check(project, strict, ai_steps={"subtitles"}))["ai.required"]
    assert f.blocks and f.step == "script"
    assert "meminta AI juga di luar subtitle" in f.message_id and "Naskah, Gambar atau Suara" in f.message_id
    assert by_rule(check(project, strict, ai_steps={"voice", "subtitles"}))["ai.required"].passed


ENGLISH = {"cues", "cue", "burned", "stale", "open", "title", "creator", "agency", "missing", "empty",
           "none", "any", "all", "of", "ok", "on", "off", "yes", "no", "region", "theme", "licence",
           "noted", "short", "overlap", "silent", "unknown", "s", "px", "script", "images", "voice"}


def test_checklist_details_are_indonesian_with_decimal_commas() -> None:
    """What the checklist prints beside each rule ("23 cues, burned in", "0 stale", "85.4 s")
    reads in Indonesian; the English checklist keeps its words."""
    good = complete_project()
    bad = complete_project(n=3, seconds=4.35)
    bad.brief.creator = bad.brief.agency = bad.brief.region = ""
    bad.scenes[0].needs_review = ["klaim"]
    bad.scenes[1].voice = None
    findings = [*check(good), *check(bad, ai_steps=set()),
                *check_media_facts(facts(duration=85.4, faststart=False, metadata={}), PRESET),
                *check_media_facts(facts(loudness_lufs=-20.5, true_peak_db=-0.2, size_bytes=12_345_678), PRESET)]
    for f in findings:
        text = f.detail("id")
        words = {w.lower() for w in __import__("re").findall(r"[A-Za-z]+", text)}
        assert not words & ENGLISH, (f.rule, text)
        assert not __import__("re").search(r"\d\.\d", text), (f.rule, text)
    details = {f.rule: f.detail("id") for f in check(good)}
    assert details["required.subtitles"] == "1 baris, menyatu di video · menyatu di video"
    assert details["review.claims"] == "0 belum diperiksa · 0 belum diperiksa"
    assert details["required.title_card"] == "sesuai · judul, pembuat, instansi"
    media = {f.rule: f for f in check_media_facts(facts(duration=85.4), PRESET)}
    assert media["duration.max"].detail("id") == "85,4 dtk · ≤ 90 dtk"
    assert media["duration.max"].detail("en") == "85.4 s · ≤ 90 s"


def test_ai_required_counts_declared_tools_and_names_them() -> None:
    project = complete_project()
    declared = [("ChatGPT", "GPT-4o", ["script"]), ("Copilot / Bing Image Creator", "", ["images"])]
    f = by_rule(check_project_facts(project, PRESET, timeline=build_timeline(project), ai_steps=set(),
                                    declared=declared))["ai.required"]
    assert f.passed and f.measured == "script, images (declared: ChatGPT, Copilot / Bing Image Creator)"
    assert ("Alat AI yang dinyatakan pembuat ikut dihitung: ChatGPT, model GPT-4o (Naskah) dan "
            "Copilot / Bing Image Creator (Gambar).") in f.message_id
    assert "AI tools declared by the creator are counted: ChatGPT, model GPT-4o (Script)" in f.message_en
    strict = PRESET.model_copy(update={"ai": AiRules(required=True, mode="all", steps=["script", "voice"])})
    f = by_rule(check_project_facts(project, strict, timeline=build_timeline(project), ai_steps=set(),
                                    declared=declared))["ai.required"]
    assert f.blocks and "belum memakai AI: Suara" in f.message_id and "ChatGPT, model GPT-4o (Naskah)" in f.message_id
    assert "Copilot" not in f.message_id  # not a step this preset asks about, so not counted
