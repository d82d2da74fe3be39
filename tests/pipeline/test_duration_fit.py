"""Speed/duration fit: proposals with their resulting duration, and a tempo change that keeps pitch."""

from __future__ import annotations

from pathlib import Path

import pytest
from pitch import median_f0

from studio.core import ailog
from studio.core.errors import UsageError
from studio.core.jobs import JobContext
from studio.core.presets import get_preset
from studio.core.project import Brief, Project, Scene, VoiceAsset
from studio.core.storage import create_project, resolve_in
from studio.core.timeline import build_timeline, count_words
from studio.engines.voice.espeak import EspeakVoiceEngine
from studio.pipeline.media.audio import read_audio
from studio.pipeline.duration_fit import (
    MAX_TEMPO,
    apply_tempo,
    duration_with,
    propose_fit,
    propose_for_preset,
)
from studio.pipeline.voice.step import synthesize_voices
from studio.pipeline.voice.importing import import_voice

TEXT = ("Weton adalah tradisi Jawa yang menghitung hari kelahiran seseorang berdasarkan gabungan hari "
        "dalam seminggu dan hari pasaran.")


def _paper_project(durations: list[float], origin: str = "tts") -> Project:
    return Project(scenes=[Scene(narration=TEXT, voice=VoiceAsset(path="x.wav", origin=origin, duration=d))
                           for d in durations])


def test_inside_the_range_nothing_is_proposed() -> None:
    p = _paper_project([8.0] * 8)
    prop = propose_fit(p, 60, 90)
    assert prop.status == "ok" and prop.options == () and 60 <= prop.total <= 90


def test_too_long_gets_tempo_and_trim_options_with_their_results() -> None:
    p = _paper_project([9.0 + i for i in range(8)])
    prop = propose_fit(p, 60, 90)
    assert prop.status == "long" and prop.total > 90 and not prop.estimated
    tempo, trim, both = prop.options
    assert tempo.kind == "tempo" and tempo.factor == pytest.approx(1 + MAX_TEMPO)
    assert not tempo.fits and "tidak" not in tempo.summary_id and "Belum cukup" in tempo.summary_id
    assert tempo.rate_wpm == round(150 * 1.08)
    assert trim.kind == "trim" and trim.fits and 60 <= trim.result_seconds <= 90
    assert all(c.delta < 0 and c.words + c.delta >= 5 for c in trim.changes)
    assert "adegan 8: −" in trim.summary_id
    # Longer scenes lose more words.
    assert trim.changes[-1].delta <= trim.changes[0].delta
    assert both.factor == tempo.factor and both.fits
    assert sum(-c.delta for c in both.changes) < sum(-c.delta for c in trim.changes)
    # The result shown is the timeline's length with the changed scenes, nothing else.
    pace = {s.id: s.voice.duration / count_words(TEXT) for s in p.scenes}
    seconds = {s.id: s.voice.duration for s in p.scenes}
    for c in trim.changes:
        seconds[c.scene_id] += c.delta * pace[c.scene_id]
    assert duration_with(p, seconds) == pytest.approx(trim.result_seconds, abs=0.01)
    assert "sekitar" in trim.text("id") and "words" in trim.text("en")


def test_a_small_excess_is_fixed_by_tempo_alone() -> None:
    p = _paper_project([10.2] * 8)
    prop = propose_fit(p, 60, 90)
    tempo = prop.options[0]
    assert tempo.fits and 1.0 < tempo.factor <= 1 + MAX_TEMPO
    assert tempo.result_seconds <= 90 - 0.5
    assert len(prop.options) == 2  # no combined option needed


def test_too_short_gets_extend_and_slower_options() -> None:
    p = _paper_project([4.0] * 8, origin="recorded")
    prop = propose_fit(p, 60, 90)
    assert prop.status == "short"
    tempo, extend = prop.options[:2]
    assert tempo.factor == pytest.approx(1 - MAX_TEMPO) and tempo.rate_wpm is None  # recordings only
    assert extend.kind == "extend" and all(c.delta > 0 for c in extend.changes) and extend.fits


def test_estimated_scenes_count_and_presets_give_the_range() -> None:
    p = Project(scenes=[Scene(narration=" ".join([TEXT] * 5)) for _ in range(6)])
    prop = propose_for_preset(p, get_preset(p.preset))
    assert prop.estimated and prop.status == "long"
    assert prop.max_seconds == get_preset(p.preset).duration.max
    assert any(o.fits for o in prop.options)


def test_applied_tempo_lands_on_the_shown_duration_and_keeps_pitch(tmp_path) -> None:
    root = tmp_path / "p"
    texts = [TEXT, "Ada lima hari pasaran, yaitu Legi, Pahing, Pon, Wage, dan Kliwon.",
             "Banyak keluarga masih memakai weton untuk menentukan hari pernikahan dan pindah rumah."]
    p = Project(brief=Brief(title="Weton", region="Jawa", theme="weton"),
                scenes=[Scene(narration=t) for t in texts])
    p.voice.rate_wpm = 130
    create_project(root, p)
    engine = EspeakVoiceEngine()
    made = synthesize_voices(p, root, engine, JobContext("voice"))
    for s in p.scenes:
        s.voice = made[s.id]
    # Scene 3 is the creator's own recording (here: the TTS file, imported).
    src = tmp_path / "rekaman.wav"
    src.write_bytes((root / p.scenes[2].voice.path).read_bytes())
    p.scenes[2].voice = import_voice(p, root, p.scenes[2].id, src, origin="recorded")
    total = build_timeline(p).duration
    # A range that needs about 5 % less: the tempo option fixes it alone.
    # (A 1-second-wide range: the fix aims at its middle.)
    hi = total - 0.05 * sum(s.voice.duration for s in p.scenes) + 0.5
    prop = propose_fit(p, hi - 1.0, hi)
    tempo = prop.options[0]
    assert prop.status == "long" and tempo.kind == "tempo" and tempo.fits
    outcome = apply_tempo(p, root, tempo.factor, JobContext("voice"), engine=engine)
    before = {s.id: s.voice for s in p.scenes}
    after = p.model_copy(deep=True)
    outcome.apply_to(after)
    assert after.voice.rate_wpm == tempo.rate_wpm
    real = build_timeline(after).duration
    # What the creator was shown is what they get (espeak's rate steps and atempo's
    # rounding leave a few tenths of a second at most).
    assert real == pytest.approx(tempo.result_seconds, abs=0.35)
    assert real <= hi
    rec_old, rec_new = before[p.scenes[2].id], after.scenes[2].voice
    assert rec_new.origin == "recorded" and rec_new.path != rec_old.path
    assert rec_new.duration == pytest.approx(rec_old.duration / tempo.factor, rel=0.02)
    old_audio = read_audio(resolve_in(root, rec_old.path), rate=48000, channels=1)[:, 0]
    new_audio = read_audio(resolve_in(root, rec_new.path), rate=48000, channels=1)[:, 0]
    assert median_f0(new_audio, 48000) == pytest.approx(median_f0(old_audio, 48000), rel=0.04)
    assert (root / rec_old.path).is_file()  # the original recording stays
    edits = [r for r in ailog.read(root) if r.action == "edit" and r.step == "voice"]
    assert edits and "atempo" in edits[-1].note and edits[-1].actor == "human"
    with pytest.raises(UsageError):
        apply_tempo(p, root, 1.2, JobContext("voice"), engine=engine)


def test_tempo_without_an_engine_for_tts_voices_is_refused(tmp_path) -> None:
    p = _paper_project([5.0])
    with pytest.raises(UsageError):
        apply_tempo(p, Path(tmp_path), 1.05, JobContext("voice"))
