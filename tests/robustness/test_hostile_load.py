"""Hand-edited project.json under hostile edits (issue 21 #2, #5, #11, #13): every CLI
command that loads it says one sentence naming the field, exit 2, no traceback, and the
file is left as it was. Loading is shared with the window (core.storage → core.validate)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from studio.cli import main
from studio.core import storage
from studio.core.errors import ProjectFormatError
from studio.core.project import Cue, Project, Scene


def _project(root: Path) -> dict[str, Any]:
    project = Project()
    project.brief.title, project.brief.region = "Tari Saman", "Aceh"
    project.scenes = [Scene(id="s1", narration="Kalimat satu."), Scene(id="s2", narration="Kalimat dua.")]
    project.subtitles.cues = [Cue(start=0.5, end=2.0, text="Kalimat satu.", scene_id="s1")]
    storage.create_project(root, project)
    return json.loads((root / "project.json").read_text(encoding="utf-8"))


def _edit(root: Path, data: dict[str, Any], *path: Any, value: Any) -> bytes:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    raw = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")  # NaN/Infinity as JSON allows
    (root / "project.json").write_bytes(raw)
    return raw


def _refused(root: Path, capsys: pytest.CaptureFixture[str], field: str) -> str:
    before = (root / "project.json").read_bytes()
    for command in (["status"], ["check-project"], ["run", "voice"], ["export"]):
        code = main([*command, str(root)])
        out = capsys.readouterr()
        assert code == 2, (command, out)
        assert "Traceback" not in out.err + out.out
        assert field in out.err + out.out, (command, out.err)
    assert (root / "project.json").read_bytes() == before
    return out.err + out.out


def test_duplicate_scene_ids_are_refused_naming_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _project(tmp_path)
    _edit(tmp_path, data, "scenes", 1, "id", value="s1")
    said = _refused(tmp_path, capsys, "scenes.1")
    assert "scenes 1 and 2" in said and "'s1'" in said


@pytest.mark.parametrize(("path", "field"), [
    (("brief", "title"), "brief.title"), (("scenes", 0, "narration"), "scenes.0.narration")])
def test_absurd_text_sizes_are_refused_with_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      path: tuple[Any, ...], field: str) -> None:
    data = _project(tmp_path)
    _edit(tmp_path, data, *path, value="kata " * 2_000_000 if "narration" in path else "x" * 10_000_000)
    said = _refused(tmp_path, capsys, field)
    assert "the limit is" in said


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e308, 10**12])
@pytest.mark.parametrize(("path", "field"), [
    (("render", "title_seconds"), "render.title_seconds"), (("render", "width"), "render.width"),
    (("render", "height"), "render.height"), (("subtitles", "cues", 0, "end"), "subtitles.cues.0.end"),
    (("music", "level_db"), "music.level_db"), (("render", "fps"), "render.fps")])
def test_hostile_numbers_are_refused_naming_the_field(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      path: tuple[Any, ...], field: str, value: float) -> None:
    data = _project(tmp_path)
    if isinstance(value, float) and value != value and path[-1] in ("width", "height", "fps"):
        value = float("inf")  # int fields: pydantic already refuses NaN; infinity reaches us
    _edit(tmp_path, data, *path, value=value)
    _refused(tmp_path, capsys, field.split(".")[-1])


def test_negative_fps_names_fps_not_scenes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _project(tmp_path)
    _edit(tmp_path, data, "render", "fps", value=-30)
    said = _refused(tmp_path, capsys, "render.fps")
    assert "scene" not in said.lower().split("render.fps")[1][:80]


@pytest.mark.parametrize(("name", "value"), [("x264_preset", "ludicrous"), ("crf", 99)])
def test_bad_encoder_settings_are_named_before_any_encode(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                          name: str, value: Any) -> None:
    data = _project(tmp_path)
    _edit(tmp_path, data, "render", name, value=value)
    said = _refused(tmp_path, capsys, f"render.{name}")
    assert "code 234" not in said


def test_utf8_bom_is_just_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _project(tmp_path)
    raw = (tmp_path / "project.json").read_bytes()
    (tmp_path / "project.json").write_bytes(b"\xef\xbb\xbf" + raw)
    assert main(["status", str(tmp_path)]) == 0
    assert "Tari Saman" in capsys.readouterr().out


def test_the_error_carries_the_field_and_line(tmp_path: Path) -> None:
    data = _project(tmp_path)
    _edit(tmp_path, data, "render", "title_seconds", value=float("inf"))
    with pytest.raises(ProjectFormatError) as caught:
        storage.load_project(tmp_path)
    assert caught.value.field == "render.title_seconds" and caught.value.line
    assert "render.title_seconds" in caught.value.text("id") and caught.value.text("id") != str(caught.value)
