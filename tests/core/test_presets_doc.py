"""Presets are data a trainer can write: the README documents every field, its worked
example is a valid preset, the built-ins carry the issue's numbers, and typos fail loudly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from studio.core import paths
from studio.core.errors import PresetError
from studio.core.presets import (
    AiRules,
    CardStyle,
    DurationRules,
    LoudnessRules,
    Preset,
    RequiredElements,
    VideoRules,
    competition_presets,
    get_preset,
    load_file,
)
from studio.core.project import Brief, Project
from studio.core.rules.project import check_project_facts
from studio.core.timeline import build_timeline

README = paths.presets_dir() / "competitions" / "README.md"


def readme_example(tmp_path: Path) -> Path:
    """The first TOML block of the README, written to a file as a trainer would save it."""
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block, "the README has no worked example"
    target = tmp_path / "pesona-desa-sleman-2025.toml"
    target.write_text(block.group(1), encoding="utf-8")
    return target


def example_preset(tmp_path: Path) -> Preset:
    return load_file(readme_example(tmp_path), Preset)  # type: ignore[return-value]


def fields(model: type[BaseModel]) -> set[str]:
    return {name for name, info in model.model_fields.items() if not info.exclude}


@pytest.mark.parametrize("model", [Preset, VideoRules, DurationRules, LoudnessRules,
                                   RequiredElements, AiRules, CardStyle])
def test_every_field_is_documented_in_both_languages(model: type[BaseModel]) -> None:
    text = README.read_text(encoding="utf-8")
    indonesian, _, english = text.partition("# Competition presets")
    assert english, "the English half is missing"
    for name in fields(model):
        if name in ("video", "duration", "loudness", "required", "ai", "style"):
            name = f"[{name}]"
        assert f"`{name}`" in indonesian, f"{model.__name__}.{name} is not explained in Indonesian"
        assert f"`{name}`" in english, f"{model.__name__}.{name} is not explained in English"


def test_the_worked_example_is_a_valid_preset(tmp_path: Path) -> None:
    preset = example_preset(tmp_path)
    assert preset.id == "pesona-desa-sleman-2025"
    assert (preset.duration.min, preset.duration.max) == (30.0, 60.0)
    assert (preset.video.fps_min, preset.video.fps_max, preset.video.max_size_mb) == (25, 30, 100)
    assert preset.ai.required and preset.ai.mode == "all" and preset.ai.steps == ["script", "images"]
    assert preset.language == "id" and preset.required.burned_subtitles


def test_a_user_preset_is_found_by_id_and_can_replace_a_built_in(tmp_path: Path) -> None:
    folder = paths.user_presets_dir() / "competitions"
    folder.mkdir(parents=True, exist_ok=True)
    mine = folder / "pesona-desa-sleman-2025.toml"
    mine.write_text(readme_example(tmp_path).read_text(encoding="utf-8"), encoding="utf-8")
    override = folder / "reels.toml"
    override.write_text('id = "reels"\nname = "Reels versi panitia"\n[duration]\nmax = 60.0\n',
                        encoding="utf-8")
    try:
        assert get_preset("pesona-desa-sleman-2025").video.fps_max == 30
        assert get_preset("reels").duration.max == 60.0
        assert get_preset("reels").name == "Reels versi panitia"
    finally:
        mine.unlink()
        override.unlink()
    assert get_preset("reels").duration.max == 90.0


def test_built_ins_carry_the_issue_numbers() -> None:
    presets = competition_presets()
    assert {"ai-local-content-2025", "reels", "youtube", "free"} <= set(presets)

    comp = presets["ai-local-content-2025"]
    assert (comp.duration.min, comp.duration.max) == (60.0, 90.0)
    assert comp.ai.required and comp.ai.mode == "any"
    assert comp.video.aspects[0] == "9:16"  # the first accepted aspect is the recommended one
    assert all(vars(comp.required).values())  # title card, disclosure, subtitles, theme
    assert comp.language == "id"

    reels = presets["reels"]
    v = reels.video
    assert (v.width, v.height, v.aspects, v.min_height) == (1080, 1920, ["9:16"], 1080)
    assert (v.codec, v.pix_fmt, v.audio_codec, v.audio_required) == ("h264", "yuv420p", "aac", True)
    assert reels.duration.max == 90.0 and (v.fps_min, v.fps_max) == (24.0, 60.0)

    yt = presets["youtube"]
    assert (yt.video.width, yt.video.height, yt.video.aspects) == (1920, 1080, ["16:9"])
    free = presets["free"]
    assert not free.ai.required and not any(vars(free.required).values()) and free.language == ""


@pytest.mark.parametrize("body, field", [
    ('[ai]\nsteps = ["image"]\n', "ai.steps"),  # "images" misspelt
    ("[duration]\nmin = 90.0\nmax = 60.0\n", "duration"),
    ("[video]\nfps_min = 60\nfps_max = 30\n", "video"),
    ('[video]\naspects = ["9x16"]\n', "video"),
    ("[video]\nmax_size = 100\n", "video.max_size"),  # a field that does not exist
])
def test_a_trainers_typo_is_an_error_naming_the_field(tmp_path: Path, body: str, field: str) -> None:
    bad = tmp_path / "lomba.toml"
    bad.write_text('id = "lomba"\nname = "Lomba"\n' + body, encoding="utf-8")
    with pytest.raises(PresetError) as err:
        load_file(bad, Preset)
    assert "lomba.toml" in str(err.value) and f"'{field}" in str(err.value)
    assert "lomba.toml" in err.value.text("id") and "tidak sah" in err.value.text("id")


def _project(language: str) -> Project:
    return Project(brief=Brief(title="Weton", region="Yogyakarta", theme="weton", language=language,
                               creator="Sri", agency="Dinas"))


def test_the_preset_language_is_a_blocking_rule() -> None:
    comp = get_preset("ai-local-content-2025")

    def language_finding(project: Project, preset: Preset):
        found = [f for f in check_project_facts(project, preset, timeline=build_timeline(project),
                                                ai_steps={"images"}) if f.rule == "brief.language"]
        return found[0] if found else None

    ok = language_finding(_project("id-ID"), comp)
    assert ok is not None and ok.passed and ok.message_id == (
        "Video dalam Bahasa Indonesia, sesuai ketentuan lomba.")
    bad = language_finding(_project("jv"), comp)
    assert bad is not None and bad.blocks and bad.step == "brief"
    assert (bad.measured, bad.limit) == ("jv", "id")
    assert bad.message_id.startswith("Lomba ini meminta video dalam Bahasa Indonesia, tetapi bahasa "
                                     "proyek adalah Basa Jawa.")
    # A preset without a language accepts any.
    assert language_finding(_project("jv"), get_preset("reels")) is None
