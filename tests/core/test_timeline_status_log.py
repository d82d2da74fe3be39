"""Timeline arithmetic, step status (stale detection), the AI log and job contexts."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from studio.core import ailog, status
from studio.core.jobs import Cancelled, JobContext, Progress
from studio.core.project import Project, RenderSettings, Scene, VoiceAsset
from studio.core.timeline import build_timeline, count_words, estimate_speech_seconds


def _voiced(n: int, seconds: float = 5.0, transition: str = "crossfade") -> Project:
    return Project(scenes=[Scene(narration="kata " * 10, transition=transition,
                                 voice=VoiceAsset(path=f"voice/{i}.wav", origin="tts", duration=seconds))
                           for i in range(n)])


def test_voices_never_overlap_and_sit_inside_their_scene() -> None:
    project = _voiced(6)
    tl = build_timeline(project)
    scenes = tl.scenes()
    assert [s.kind for s in tl.segments] == ["title"] + ["scene"] * 6 + ["end"]
    for seg in scenes:
        assert seg.start + seg.transition_in_seconds <= seg.voice_start
        assert seg.voice_end <= seg.end - project.render.transition_seconds + 1e-9
    for a, b in zip(scenes, scenes[1:]):
        assert b.voice_start - a.voice_end >= 0.3  # an audible pause between scenes
    # title 3 + 6 x (0.5 + 5 + 0.5) - 7 overlaps x 0.5 + end 4
    assert tl.duration == pytest.approx(3 + 6 * 6.0 - 7 * 0.5 + 4, abs=1 / 30)
    assert tl.frame_count == round(tl.duration * 30)


def test_cuts_do_not_overlap_and_duration_is_whole_frames() -> None:
    project = _voiced(3, seconds=2.0101, transition="cut")
    project.render = RenderSettings(fps=25, title_card=False, end_card=False)
    tl = build_timeline(project)
    assert [s.transition_in_seconds for s in tl.segments] == [0, 0, 0]
    assert tl.segments[1].start == pytest.approx(tl.segments[0].end)
    assert abs(tl.duration * 25 - round(tl.duration * 25)) < 1e-9


def test_visible_reports_transition_progress() -> None:
    tl = build_timeline(_voiced(2))
    second = tl.scenes()[1]
    mid = second.start + second.transition_in_seconds / 2
    (out, p_out), (inc, p_in) = tl.visible(mid)
    assert out.scene_index == 0 and inc.scene_index == 1 and p_out == 1.0 and p_in == pytest.approx(0.5)
    assert tl.visible(second.start + 1.0) == [(second, 1.0)]


def test_estimate_uses_words_until_voice_exists() -> None:
    project = Project(scenes=[Scene(narration="satu dua tiga empat lima enam tujuh delapan sembilan sepuluh.")])
    tl = build_timeline(project, wpm=120)
    seg = tl.scenes()[0]
    assert seg.estimated and seg.voice_duration == pytest.approx(5.0)
    assert count_words("Rp 5.000, ya—kan?") == 4
    assert estimate_speech_seconds("") == 0


def test_editing_narration_makes_voice_and_subtitles_stale() -> None:
    project = _voiced(2)
    for scene in project.scenes:
        scene.voice.inputs_hash = status.voice_inputs_hash(project, scene, "voice.espeak")
        scene.voice.engine = "voice.espeak"
    project.subtitles.cues = []
    st = status.project_status(project)
    assert st["voice"].state == "done"
    project.scenes[1].narration = "teks baru"
    st = status.project_status(project)
    assert st["voice"].state == "stale" and st["voice"].stale == [project.scenes[1].id]


def test_scene_seed_is_stable_under_reordering() -> None:
    project = _voiced(3)
    seeds = {s.id: status.scene_seed(project, s) for s in project.scenes}
    project.scenes.reverse()
    assert {s.id: status.scene_seed(project, s) for s in project.scenes} == seeds
    assert len(set(seeds.values())) == 3


def test_ai_log_appends_scrubs_secrets_and_survives_a_torn_line(tmp_path: Path) -> None:
    ailog.append(tmp_path, ailog.AiRecord(step="script", action="generate", actor="tool", tool="Templat"))
    ailog.append(tmp_path, ailog.AiRecord(step="subtitles", action="transcribe", actor="ai",
                                          tool="Whisper (faster-whisper)", model="whisper-base",
                                          params={"api_key": "sk-SECRET", "nested": {"token": "t"}, "beam": 5}))
    with open(tmp_path / ailog.LOG_FILE, "a", encoding="utf-8") as f:
        f.write('{"step": "images", "act')  # the machine died mid-append
    records = ailog.read(tmp_path)
    assert [r.step for r in records] == ["script", "subtitles"]
    text = (tmp_path / ailog.LOG_FILE).read_text(encoding="utf-8")
    assert "sk-SECRET" not in text and '"token"' not in text and '"beam":5' in text
    assert ailog.steps_with_ai(records) == {"subtitles"}
    assert ailog.summary(records) == {"script": "tool", "subtitles": "ai"}
    assert ailog.disclosure_text(records).startswith("Dibuat dengan bantuan AI: ")
    assert "Whisper" in ailog.disclosure_text(records) and "Subtitle" in ailog.disclosure_text(records)
    assert ailog.disclosure_text(records[:1]) == "Tanpa bantuan AI."


def test_current_records_forget_replaced_generations() -> None:
    r = [ailog.AiRecord(step="images", action="generate", actor="ai", scene_id="a", tool="SD"),
         ailog.AiRecord(step="images", action="replace", actor="human", scene_id="a"),
         ailog.AiRecord(step="images", action="generate", actor="ai", scene_id="gone", tool="SD")]
    current = ailog.current_records(r, project_scene_ids=["a"])
    assert [(x.action, x.actor) for x in current] == [("replace", "human")]
    assert ailog.summary(current) == {"images": "human"}


def test_job_context_progress_and_cancel_from_another_thread() -> None:
    seen: list[Progress] = []
    ctx = JobContext("images", seen.append)
    ctx.progress(1, 4, "Gambar 1")
    ctx.substep(5, 10)
    assert seen[-1].fraction == pytest.approx(1.5 / 4) and seen[-1].message == "Gambar 1"
    t = threading.Thread(target=ctx.cancel)
    t.start()
    t.join()
    with pytest.raises(Cancelled):
        ctx.check()
    child_seen: list[Progress] = []
    parent = JobContext("all", child_seen.append)
    child = parent.child("voice", 2, 1, 5)
    child.progress(1, 2)
    assert child_seen[-1].done == pytest.approx(2.5) and child_seen[-1].total == 5
    parent.cancel()
    with pytest.raises(Cancelled):
        child.check()
