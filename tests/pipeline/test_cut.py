"""One long take cut into scenes (issue 15 items 2 and 5): shot changes found by
``media.shots.suggest_cuts``, parts put on scenes by ``images.cut.cut_into_scenes``, and
``studio cut``. The long take is a real file made with the bundled ffmpeg: five shots
with known cuts, a crossfade and a pan inside shots (which must not cut) and a tone."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from clip_samples import CUTS, clip, long_take
from render_fixtures import build_project, make_picture
from studio.cli import main
from studio.core import ailog
from studio.core.errors import MediaError, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.storage import load_project, save_project
from studio.pipeline.images.cut import cut_into_scenes
from studio.pipeline.media import shots
from studio.pipeline.media.shots import suggest_cuts
from studio.pipeline.media.video import ClipReader


def _state(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def project_dir(tmp_path):
    root = tmp_path / "p"
    save_project(root, build_project(root, voices=(1.0, 1.0, 1.0, 1.0, 1.0), cues=False))
    return root


def test_suggest_cuts_finds_the_shot_changes_and_not_the_fade_or_the_pan():
    seen = []
    cuts = suggest_cuts(long_take(), JobContext("shots", seen.append))
    assert len(cuts) == len(CUTS), cuts
    # The cut lands on the new shot's first frame (30 fps: within one frame).
    assert all(abs(a - b) < 1 / 30 for a, b in zip(cuts, CUTS)), cuts
    assert seen[-1].total == pytest.approx(12.0, abs=0.1) and seen[-1].done == pytest.approx(12.0, abs=0.1)


def test_a_minimum_shot_length_merges_cuts_closer_than_it():
    # 2 s is too near the start, 7 s too near 5 s and 10 s too near the end (12 s).
    assert suggest_cuts(long_take(), JobContext("shots"), min_shot=2.5) == pytest.approx([5.0], abs=0.04)


def test_pick_cuts_wants_a_change_that_stands_out_from_its_neighbours():
    times = [i / 10 for i in range(60)]
    shaky = [0.3 if i % 2 else 0.25 for i in range(60)]  # every frame jolts: nothing stands out
    assert shots.pick_cuts(times, shaky) == []
    calm = [0.01] * 60
    calm[30] = 0.5
    assert shots.pick_cuts(times, calm) == [3.0]


def test_suggest_cuts_stops_when_cancelled():
    ctx = JobContext("shots")
    ctx.cancel()
    with pytest.raises(Cancelled):
        suggest_cuts(long_take(), ctx)


def test_suggest_cuts_refuses_a_file_with_no_picture():
    with pytest.raises(MediaError, match="only sound"):
        suggest_cuts(clip("audio_only"), JobContext("shots"))


def test_the_parts_go_on_scenes_in_order_from_one_copy(project_dir):
    project = load_project(project_dir)
    before = set((project_dir / "images").glob("*"))
    result = cut_into_scenes(project, project_dir, long_take(), CUTS, JobContext("cut"), declared=None)
    save_project(project_dir, project)
    project = load_project(project_dir)
    got = [(s.clip.start, s.clip.end) for s in project.scenes]
    assert got == [(0.0, 2.0), (2.0, 5.0), (5.0, 7.0), (7.0, 10.0), (10.0, None)]
    assert result.parts[-1] == pytest.approx((10.0, 12.0), abs=0.05)
    # One copy of the file, shared by every scene.
    assert len({s.clip.path for s in project.scenes}) == 1
    assert len(set((project_dir / "images").glob("*")) - before) == 1
    # Each part starts on its own shot: the frame at a part's in point differs from the one just before.
    reader = ClipReader(project_dir / project.scenes[0].clip.path, (64, 36))
    for t in CUTS:
        before_cut = reader.frame(t - 0.04).convert("L").tobytes()
        at_cut = reader.frame(t).convert("L").tobytes()
        assert sum(abs(a - b) for a, b in zip(before_cut, at_cut)) / len(at_cut) > 8, t
    reader.close()
    records = [r for r in ailog.read(project_dir) if r.step == "images" and r.action == "replace"]
    assert {r.scene_id for r in records[-5:]} == {s.id for s in project.scenes}


def test_fewer_parts_than_scenes_leave_the_rest_as_they_were(project_dir):
    project = load_project(project_dir)
    images = [s.image for s in project.scenes]
    cut_into_scenes(project, project_dir, long_take(), [5.0], JobContext("cut"))
    assert [s.clip is not None for s in project.scenes] == [True, True, False, False, False]
    assert [s.image for s in project.scenes[2:]] == images[2:]


def test_a_large_file_is_stream_cut_part_by_part(project_dir):
    project = load_project(project_dir)
    cut_into_scenes(project, project_dir, long_take(), [4.0, 8.0], JobContext("cut"), copy_whole_bytes=0)
    clips = [s.clip for s in project.scenes[:3]]
    assert len({c.path for c in clips}) == 3
    # Each copy holds about its own part (from the keyframe before it), not the whole take.
    assert all(c.duration < 8.5 for c in clips), [c.duration for c in clips]
    assert all(c.end is None or c.end - c.start == pytest.approx(4.0, abs=0.01) for c in clips)


def test_a_damaged_tail_shortens_the_last_part_and_says_so(project_dir):
    project = load_project(project_dir)
    result = cut_into_scenes(project, project_dir, clip("corrupt_tail"), [0.8], JobContext("cut"))
    assert result.parts[1][1] < 2.4
    assert any("damaged" in w for w in result.warnings)
    assert project.scenes[1].clip.end == pytest.approx(result.parts[1][1])


@pytest.mark.parametrize("at, match", [
    ([2.0, 13.0], "outside"), ([0.0, 4.0], "outside"), ([5.0, 2.0], "in order"), ([2.0, 2.3], "shorter than"),
    ([11.8], "shorter than"), ([1, 2, 3, 4, 5, 6], "6 scenes|7 parts"),
])
def test_bad_cut_points_get_a_sentence_and_nothing_changes(project_dir, at, match):
    project = load_project(project_dir)
    state = _state(project_dir)
    dump = project.model_dump_json()
    with pytest.raises(UsageError, match=match) as err:
        cut_into_scenes(project, project_dir, long_take(), at, JobContext("cut"))
    assert str(err.value).count(". ") == 0 and str(err.value).endswith(".")
    assert project.model_dump_json() == dump and _state(project_dir) == state


def test_what_is_not_a_clip_is_refused_and_nothing_changes(project_dir, tmp_path):
    project = load_project(project_dir)
    state = _state(project_dir)
    with pytest.raises(MediaError, match="only sound"):
        cut_into_scenes(project, project_dir, clip("audio_only"), [1.0], JobContext("cut"))
    photo = make_picture(tmp_path / "foto.png", (320, 180), seed=1)
    with pytest.raises(UsageError, match="not a video clip"):
        cut_into_scenes(project, project_dir, photo, [1.0], JobContext("cut"))
    assert _state(project_dir) == state


def test_cli_without_at_prints_the_suggestion_and_changes_nothing(project_dir, capsys):
    state = _state(project_dir)
    assert main(["cut", str(project_dir), str(long_take())]) == 0
    out = capsys.readouterr().out
    assert "4 suggested cut(s)" in out and "Nothing was changed" in out
    assert "part 5:   10.00 -   12.00 s" in out and "--at 2,5,7,10" in out
    assert _state(project_dir) == state


def test_cli_with_at_cuts_and_saves(project_dir, capsys):
    assert main(["cut", str(project_dir), str(long_take()), "--at", "2,0:05", "--own"]) == 0
    out = capsys.readouterr().out
    assert "cut into 3 scene(s)" in out and "Origin: My own work" in out
    project = load_project(project_dir)
    assert [(s.clip.start, s.clip.end) for s in project.scenes[:3]] == [(0.0, 2.0), (2.0, 5.0), (5.0, None)]
    assert project.scenes[0].clip.declared.kind == "own"


@pytest.mark.parametrize("at", ["2,x", "2,,5", "2,-1"])
def test_cli_unreadable_at_is_exit_2(project_dir, capsys, at):
    state = _state(project_dir)
    assert main(["cut", str(project_dir), str(long_take()), "--at", at]) == 2
    assert _state(project_dir) == state


def test_cli_refusals_are_one_line_and_exit_2(project_dir, capsys):
    state = _state(project_dir)
    assert main(["cut", str(project_dir), str(long_take()), "--at", "1,2,3,4,5,6"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "7 parts" in err
    assert main(["cut", str(project_dir), str(clip("audio_only"))]) == 2
    assert "only sound" in capsys.readouterr().err
    assert _state(project_dir) == state


def test_cli_cancel_is_exit_130_and_nothing_changes(project_dir, capsys, monkeypatch):
    real = shots.suggest_cuts

    def cancelled_at_once(src, ctx, **kw):  # the creator presses Ctrl-C as it starts
        ctx.cancel()
        return real(src, ctx, **kw)

    monkeypatch.setattr(shots, "suggest_cuts", cancelled_at_once)
    state = _state(project_dir)
    assert main(["cut", str(project_dir), str(long_take())]) == 130
    assert _state(project_dir) == state
