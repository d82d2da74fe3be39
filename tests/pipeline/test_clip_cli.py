"""``studio media`` (issue 15): a photo or a clip on a scene from the command line, and
every bad input of item 6 refused with exit 2, one sentence, and the project unchanged.
Clips are real files made with the bundled ffmpeg (``clip_samples``)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from clip_samples import clip
from render_fixtures import build_project, make_picture
from studio.cli import main
from studio.core import ailog
from studio.core.storage import load_project, save_project
from studio.pipeline.images.clips import import_clip
from studio.pipeline.media.video import ClipReader, probe_clip
from test_clips import frame_number


def _state(root: Path) -> dict[str, str]:
    """Every file in the project folder and its hash (the AI log included)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def project_dir(tmp_path):
    root = tmp_path / "p"
    save_project(root, build_project(root, voices=(1.0, 1.0), cues=False))
    return root


def test_a_clip_goes_on_the_scene_with_its_choices(project_dir, capsys):
    code = main(["media", str(project_dir), "--scene", "2", str(clip("counter")), "--from", "0.5", "--to",
                 "2", "--audio", "keep", "--fit", "blur", "--speed", "1.5", "--ai-tool", "capcut"])
    out = capsys.readouterr().out
    assert code == 0, out
    c = load_project(project_dir).scenes[1].clip
    assert (c.start, c.end, c.audio, c.fit, c.speed, c.short) == (0.5, 2.0, "keep", "blur", 1.5, "hold")
    assert (c.width, c.height, c.has_audio, c.codec) == (320, 180, True, "h264")
    assert c.declared is not None and c.declared.tool == "CapCut"
    assert (project_dir / c.path).is_file() and c.path.startswith("images/")
    assert "hold (default hold)" in out and "AI: CapCut" in out
    records = [r for r in ailog.read(project_dir) if r.scene_id == load_project(project_dir).scenes[1].id]
    assert records[-1].actor == "declared" and records[-1].tool == "CapCut"


def test_a_rotated_clip_is_stored_upright(project_dir, capsys):
    assert main(["media", str(project_dir), "--scene", "1", str(clip("rotated")), "--own"]) == 0
    c = load_project(project_dir).scenes[0].clip
    assert (c.width, c.height, c.rotation, c.audio, c.has_audio) == (180, 320, 90, "mute", False)
    assert c.declared.kind == "own"


def test_a_photo_goes_on_the_scene(project_dir, tmp_path, capsys):
    photo = make_picture(tmp_path / "foto.png", (800, 1000), seed=3)
    assert main(["media", str(project_dir), "--scene", "1", str(photo), "--own"]) == 0
    scene = load_project(project_dir).scenes[0]
    assert scene.image.origin == "own" and scene.image.declared.kind == "own" and scene.clip is None
    assert main(["media", str(project_dir), "--scene", "1", str(photo), "--speed", "2"]) == 2


def test_corrupt_tail_uses_what_decodes_and_says_so(project_dir, capsys):
    assert main(["media", str(project_dir), "--scene", "1", str(clip("corrupt_tail"))]) == 0
    out = capsys.readouterr().out
    c = load_project(project_dir).scenes[0].clip
    assert "damaged after" in out and c.end is not None and 0.8 < c.end < 2.4


def _bad_files(tmp_path: Path) -> dict[str, list[str]]:
    text = tmp_path / "catatan.mp4"
    text.write_text("bukan video")
    return {
        "audio only": [str(clip("audio_only"))],
        "no video stream": [str(text)],
        "10-bit": [str(clip("ten_bit"))],
        "in point past the end": [str(clip("counter")), "--from", "9"],
        "out before in": [str(clip("counter")), "--from", "2", "--to", "1"],
        "speed": [str(clip("counter")), "--speed", "3"],
        "focus": [str(clip("counter")), "--focus", "2", "0.5"],
        "not a time": [str(clip("counter")), "--from", "abc"],
        "missing": [str(tmp_path / "nothing.mp4")],
        "not media": [str(tmp_path / "notes.txt")],
        "both declarations": [str(clip("counter")), "--own", "--ai-tool", "Canva"],
    }


def test_bad_input_exits_2_with_a_sentence_and_changes_nothing(project_dir, tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("x")
    before = _state(project_dir)
    for name, args in _bad_files(tmp_path).items():
        code = main(["media", str(project_dir), "--scene", "1", *args])
        err = capsys.readouterr().err.strip()
        assert code == 2, name
        # One line of reason (argparse's usage errors print the usage above it, as elsewhere).
        assert err and "error:" in err.splitlines()[-1] and len(err.splitlines()[-1]) > 30, (name, err)
        assert _state(project_dir) == before, name
    assert main(["media", str(project_dir), "--scene", "7", str(clip("counter"))]) == 2
    assert "no scene 7" in capsys.readouterr().err
    assert _state(project_dir) == before


def test_a_long_recording_is_read_and_copied_only_in_the_chosen_part(project_dir):
    project = load_project(project_dir)
    src = clip("long")
    assert probe_clip(src).duration == pytest.approx(20.0, abs=0.1)
    result = import_clip(project, project_dir, project.scenes[0].id, src, start=12.4, end=14.0,
                         copy_whole_bytes=0)
    c = result.clip
    copied = project_dir / c.path
    assert probe_clip(copied).duration < 3.5  # from the keyframe at 12 s to just past 14 s
    assert "only 12.0-14.0 s was copied" in result.warnings[0]
    reader = ClipReader(copied, (320, 320))
    try:  # the in point still shows source frame 12.4 * 30 = 372 (luma wraps at 256 levels/3)
        assert frame_number(reader.frame(c.start)) == pytest.approx((16 + 3 * 372) % 256 / 3 - 16 / 3, abs=0.7)
    finally:
        reader.close()
    assert json.loads(c.model_dump_json())["end"] == pytest.approx(14.0 - 12.0, abs=0.05)


def test_a_clip_counts_as_the_scenes_picture(project_dir):
    from studio.core.presets import get_preset
    from studio.core.rules.project import _scene_asset_findings
    from studio.core.status import project_status

    project = load_project(project_dir)
    for scene in project.scenes:
        scene.image = None

    def failed() -> list[str]:
        return [f.rule for f in _scene_asset_findings(project, get_preset(project.preset)) if not f.passed]

    assert "scenes.image" in failed() and project_status(project)["images"].state == "missing"
    for scene in project.scenes:
        scene.clip = import_clip(project, project_dir, scene.id, clip("counter")).clip
    assert "scenes.image" not in failed()
    assert project_status(project)["images"].state == "done"
