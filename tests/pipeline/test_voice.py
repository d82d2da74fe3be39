"""Voice step on the real espeak-ng engine: files, assets, staleness, AI log, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest

from studio.core import ailog
from studio.core.hashing import file_sha256, text_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Brief, Project, Scene, VoiceAsset
from studio.core.status import project_status, voice_inputs_hash
from studio.core.storage import create_project, resolve_in
from studio.engines.voice.espeak import EspeakVoiceEngine, words_per_minute
from studio.pipeline.media.audio import wav_duration
from studio.pipeline.voice.step import narration_wpm, synthesize_voices

NARRATIONS = [
    "Batik tulis dibuat dengan canting dan malam panas.",
    "",
    "Setiap motif menyimpan cerita tentang alam dan doa.",
    "Mari kita lestarikan kearifan lokal ini bersama.",
]


@pytest.fixture(scope="module")
def engine() -> EspeakVoiceEngine:
    return EspeakVoiceEngine()


@pytest.fixture
def project(tmp_path) -> tuple[Project, Path]:
    p = Project(brief=Brief(title="Batik", region="Pekalongan", theme="batik"))
    p.scenes = [Scene(narration=t) for t in NARRATIONS]
    p.voice.rate_wpm = 150
    root = tmp_path / "proj"
    create_project(root, p)
    return p, root


def _apply(p: Project, result: dict[str, VoiceAsset]) -> None:
    for scene in p.scenes:
        if scene.id in result:
            scene.voice = result[scene.id]


def test_voices_for_every_scene_with_narration(engine, project) -> None:
    p, root = project
    before = p.model_dump()
    reports = []
    result = synthesize_voices(p, root, engine, JobContext("voice", reports.append))
    assert p.model_dump() == before  # the live project is not touched
    empty = p.scenes[1].id
    assert set(result) == {s.id for s in p.scenes} - {empty}
    for scene in p.scenes:
        if scene.id == empty:
            continue
        asset = result[scene.id]
        inputs = voice_inputs_hash(p, scene, "voice.espeak")
        assert asset.path == f"voice/{scene.id}-{inputs[:8]}.wav"
        path = resolve_in(root, asset.path)
        assert asset.origin == "tts" and asset.engine == "voice.espeak" and asset.voice == "id"
        assert asset.inputs_hash == inputs
        assert asset.duration == pytest.approx(wav_duration(path), abs=1e-3)
        assert asset.sample_rate == 22050
        assert asset.sha256 == file_sha256(path)
        assert [w.text for w in asset.words] == scene.narration.split()
    assert not list((root / "voice").glob("*.part"))
    records = [r for r in ailog.read(root) if r.step == "voice"]
    assert len(records) == 3
    assert {r.scene_id for r in records} == set(result)
    for rec in records:
        scene = p.scene(rec.scene_id)
        assert rec.action == "generate" and rec.actor == "tool"  # espeak is not AI
        assert rec.inputs == {"text": text_sha256(scene.narration)}
        assert rec.outputs[0].path == result[scene.id].path
        assert rec.params["rate_wpm"] == 150
    assert reports[-1].done == reports[-1].total == 3


def test_only_missing_or_stale_voices_are_made(engine, project) -> None:
    p, root = project
    _apply(p, synthesize_voices(p, root, engine, JobContext("voice")))
    status = project_status(p)["voice"]
    assert status.missing == [p.scenes[1].id] and status.stale == []  # only the empty scene
    assert synthesize_voices(p, root, engine, JobContext("voice")) == {}
    old = p.scenes[2].voice
    p.scenes[2].narration = "Setiap motif batik menyimpan cerita."
    assert project_status(p)["voice"].stale == [p.scenes[2].id]
    again = synthesize_voices(p, root, engine, JobContext("voice"))
    assert list(again) == [p.scenes[2].id]
    assert again[p.scenes[2].id].path != old.path  # a new file; the old one is untouched
    assert resolve_in(root, old.path).exists()
    last = ailog.read(root)[-1]
    assert last.action == "regenerate" and last.scene_id == p.scenes[2].id
    _apply(p, again)
    p.voice.rate_wpm = 120  # a project-wide change makes every voice stale
    assert len(synthesize_voices(p, root, engine, JobContext("voice"))) == 3


def test_force_and_recorded_voices(engine, project) -> None:
    p, root = project
    _apply(p, synthesize_voices(p, root, engine, JobContext("voice")))
    recorded = p.scenes[3]
    recorded.voice = recorded.voice.model_copy(update={"origin": "recorded", "words": []})
    forced = synthesize_voices(p, root, engine, JobContext("voice"), force=True)
    assert set(forced) == {p.scenes[0].id, p.scenes[2].id}  # the recording is kept
    only = synthesize_voices(p, root, engine, JobContext("voice"),
                             scene_ids=[recorded.id], force=True)
    assert list(only) == [recorded.id]  # named explicitly: replaced on request


def test_cancel_keeps_finished_voices_and_leaves_no_part(engine, project) -> None:
    p, root = project

    def report(progress) -> None:
        if progress.done >= 1 and progress.sub is None:
            ctx.cancel()

    ctx = JobContext("voice", report)
    with pytest.raises(Cancelled) as err:
        synthesize_voices(p, root, engine, ctx)
    partial = err.value.partial
    assert list(partial) == [p.scenes[0].id]
    files = sorted(f.name for f in (root / "voice").iterdir())
    assert files == [Path(partial[p.scenes[0].id].path).name]
    assert len([r for r in ailog.read(root) if r.step == "voice"]) == 1


def test_cancel_inside_the_engine_removes_the_part_file(engine, project) -> None:
    p, root = project

    def report(progress) -> None:
        if progress.sub is not None:
            ctx.cancel()  # espeak is asked to stop mid-sentence

    ctx = JobContext("voice", report)
    with pytest.raises(Cancelled) as err:
        synthesize_voices(p, root, engine, ctx)
    assert err.value.partial == {}
    assert list((root / "voice").iterdir()) == []


def test_narration_wpm_is_the_measured_rate(engine, project) -> None:
    p, _ = project
    p.voice.rate_wpm = 140
    assert narration_wpm(p, engine) == pytest.approx(words_per_minute(140))

    class NoMeasure:
        pass

    assert narration_wpm(p, NoMeasure()) == 140.0
