"""Probing real MP4s and the final-gate rules on them: each broken sample fails exactly the
rule it breaks, with an Indonesian sentence naming the limit."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from PIL import Image

from media_samples import COMMENT, TITLE, has_encoder, sample
from studio.core.errors import MediaError
from studio.core.presets import DurationRules, Preset, VideoRules, get_preset
from studio.core.rules import blocking, failed
from studio.pipeline.checks import check_file, finding_dict
from studio.pipeline.probe import mp4_atoms, probe_media

COMPETITION = "ai-local-content-2025"
# Permissive except for what a sample breaks: small, short files pass everything else.
TEST_PRESET = Preset(id="test-small", name="Uji", duration=DurationRules(min=1.0, max=90.0),
                     video=VideoRules(min_height=360, fps_max=30))


def failed_rules(findings) -> set[str]:
    return {f.rule for f in failed(findings)}


def test_compliant_file_passes_every_rule_of_the_competition() -> None:
    findings = check_file(sample("ok"), COMPETITION)
    assert failed(findings) == []
    rules = {f.rule for f in findings}
    # The checklist is complete, not just "no failures".
    assert {"duration.min", "duration.max", "video.codec", "video.profile", "video.pix_fmt",
            "video.aspect", "video.min_height", "video.fps", "audio.present", "audio.codec",
            "audio.silent", "loudness.integrated", "loudness.true_peak", "file.faststart",
            "file.size", "container.format", "meta.title", "meta.disclosure"} <= rules


def test_probe_reads_the_real_file() -> None:
    facts = probe_media(sample("ok"))
    assert facts.container == "mp4"
    assert facts.duration == pytest.approx(60.5, abs=0.05)
    assert (facts.width, facts.height, facts.fps) == (720, 1280, 24.0)
    assert facts.video_codec == "h264" and facts.pix_fmt == "yuv420p"
    assert facts.audio_codec == "aac" and facts.sample_rate == 48000 and facts.channels == 2
    assert facts.faststart is True
    assert facts.loudness_lufs == pytest.approx(-14.0, abs=0.3)
    assert facts.true_peak_db < -1.0
    assert facts.metadata["title"] == TITLE and facts.metadata["comment"] == COMMENT
    assert facts.size_bytes == sample("ok").stat().st_size
    quick = probe_media(sample("ok"), loudness=False)
    assert quick.loudness_lufs is None and quick.duration == facts.duration


@pytest.mark.parametrize("name, limit, word", [("short", "60", "terlalu pendek"),
                                                ("long", "90", "terlalu panjang")])
def test_duration_out_of_range_fails_with_the_limit_in_indonesian(name: str, limit: str, word: str) -> None:
    findings = check_file(sample(name), COMPETITION)
    assert failed_rules(findings) == {"duration." + ("min" if name == "short" else "max")}
    (bad,) = failed(findings)
    assert bad.severity == "block" and bad.step == "script"
    assert word in bad.message_id and f"{limit} detik" in bad.message_id
    assert bad.message_id.startswith("Video") and bad.message_en.startswith("The video")


@pytest.mark.parametrize("name, expected", [
    ("small_ok", set()),
    ("no_audio", {"audio.present"}),
    ("fps60", {"video.fps"}),
    ("no_faststart", {"file.faststart"}),
    ("too_loud", {"loudness.integrated", "loudness.true_peak"}),
    ("silent", {"audio.silent"}),
    ("full_range", {"video.pix_fmt", "video.color_range"}),
])
def test_each_broken_sample_fails_exactly_its_rule(name: str, expected: set[str]) -> None:
    assert failed_rules(check_file(sample(name), TEST_PRESET)) == expected


def test_severity_policy_on_real_files() -> None:
    # Missing or silent audio blocks; loudness and faststart only warn.
    assert {f.rule for f in blocking(check_file(sample("no_audio"), TEST_PRESET))} == {"audio.present"}
    assert {f.rule for f in blocking(check_file(sample("silent"), TEST_PRESET))} == {"audio.silent"}
    assert blocking(check_file(sample("too_loud"), TEST_PRESET)) == []
    assert blocking(check_file(sample("no_faststart"), TEST_PRESET)) == []
    loud = {f.rule: f for f in check_file(sample("too_loud"), TEST_PRESET)}["loudness.integrated"]
    assert "terlalu keras" in loud.message_id and "-14" in loud.message_id


def test_silent_audio_only_warns_when_audio_is_not_required() -> None:
    preset = TEST_PRESET.model_copy(update={"video": TEST_PRESET.video.model_copy(
        update={"audio_required": False})})
    (silent,) = failed(check_file(sample("silent"), preset))
    assert silent.rule == "audio.silent" and silent.severity == "warn"
    assert failed(check_file(sample("no_audio"), preset)) == []


def test_hevc_fails_the_codec_rule() -> None:
    if not has_encoder("libx265"):
        pytest.skip("this ffmpeg build has no libx265 encoder, so no HEVC sample can be made")
    findings = check_file(sample("hevc"), TEST_PRESET)
    assert failed_rules(findings) == {"video.codec"}
    assert "hevc" in failed(findings)[0].message_id


def test_landscape_720p_fails_a_vertical_only_preset() -> None:
    reels = get_preset("reels")
    assert reels.video.aspects == ["9:16"]
    findings = check_file(sample("landscape"), reels)
    assert failed_rules(findings) == {"video.aspect", "video.min_height"}
    aspect = {f.rule: f for f in findings}["video.aspect"]
    assert aspect.measured == "1280×720" and "9:16" in aspect.message_id
    # The same file is fine where 16:9 is accepted.
    assert "video.aspect" not in failed_rules(check_file(sample("landscape"), TEST_PRESET.model_copy(
        update={"video": TEST_PRESET.video.model_copy(update={"aspects": ["9:16", "16:9"]})})))


def test_size_limit_blocks() -> None:
    preset = TEST_PRESET.model_copy(update={"video": TEST_PRESET.video.model_copy(
        update={"max_size_mb": 0.001})})
    (size,) = failed(check_file(sample("small_ok"), preset))
    assert size.rule == "file.size" and size.blocks


def test_faststart_is_read_from_the_atom_order() -> None:
    fast = [a[0] for a in mp4_atoms(sample("small_ok"))]
    slow = [a[0] for a in mp4_atoms(sample("no_faststart"))]
    assert fast.index("moov") < fast.index("mdat")
    assert slow.index("moov") > slow.index("mdat")


def test_finding_dict_is_json_ready() -> None:
    import json

    data = [finding_dict(f) for f in check_file(sample("small_ok"), TEST_PRESET)]
    text = json.dumps(data, ensure_ascii=False)
    assert "label_id" in data[0] and json.loads(text) == data


# ------------------------------------------------------------------ unreadable files


def test_not_a_video_is_a_media_error(tmp_path: Path) -> None:
    text = tmp_path / "catatan.mp4"
    text.write_text("ini bukan video", encoding="utf-8")
    with pytest.raises(MediaError) as err:
        probe_media(text)
    assert "catatan.mp4" in str(err.value) and "ekspor ulang" in err.value.text("id").lower()

    png = tmp_path / "gambar.png"
    Image.new("RGB", (64, 64), (200, 10, 10)).save(png)
    with pytest.raises(MediaError) as err:
        probe_media(png)
    assert "bukan video" in err.value.text("id")

    empty = tmp_path / "kosong.mp4"
    empty.write_bytes(b"")
    with pytest.raises(MediaError, match="empty"):
        probe_media(empty)
    with pytest.raises(MediaError, match="does not exist"):
        probe_media(tmp_path / "tidak-ada.mp4")


def test_audio_only_file_is_not_a_video(tmp_path: Path) -> None:
    import subprocess

    from media_samples import ffmpeg

    m4a = tmp_path / "suara.m4a"
    subprocess.run([ffmpeg(), "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=f=440:d=1", "-c:a", "aac", str(m4a)], check=True)
    with pytest.raises(MediaError) as err:
        probe_media(m4a)
    assert "not a video" in str(err.value)


def test_truncated_render_is_a_media_error(tmp_path: Path) -> None:
    # A render killed half-way: without faststart the moov atom at the end is missing.
    src = sample("no_faststart")
    cut = tmp_path / "setengah.mp4"
    data = src.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError) as err:
        probe_media(cut)
    assert "setengah.mp4" in str(err.value)


def test_probe_does_not_trust_the_file_name(tmp_path: Path) -> None:
    renamed = tmp_path / "video.mov"
    shutil.copy(sample("small_ok"), renamed)
    facts = probe_media(renamed)
    assert facts.container == "mp4" and math.isfinite(facts.loudness_lufs)
