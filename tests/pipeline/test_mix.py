"""The soundtrack: voice placement, ducking, clicks, loudness, limiting, looping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from render_fixtures import VOICE_RATE, build_project, click_peaks
from scipy.signal import correlate

from studio.core.errors import MediaError
from studio.core.jobs import JobContext
from studio.core.timeline import build_timeline
from studio.engines.support.wav import write_wav
from studio.pipeline.media.audio import measure_loudness, read_audio
from studio.pipeline.music import make_music
from studio.pipeline.render import soundtrack as mix
from studio.pipeline.render.soundtrack import (
    RATE,
    duck_gain,
    encode_soundtrack,
    integrated_lufs,
    limit_peaks,
    loop_to,
    mix_audio,
    music_track,
    place_voices,
    true_peak,
    voice_activity,
    write_mix,
)


@pytest.fixture(scope="module")
def project_with_music(tmp_path_factory):
    root = tmp_path_factory.mktemp("mix") / "p"
    project = build_project(root, voices=(2.5, 2.0, 3.0), cues=False)
    project.music = make_music(project, root, JobContext("music"))
    return project, root


def test_each_voice_lands_at_its_voice_start(project_with_music):
    project, root = project_with_music
    tl = build_timeline(project)
    track = place_voices(project, root, tl)
    assert len(track) == round(tl.duration * RATE)
    for seg in tl.scenes():
        original = read_audio(root / project.scenes[seg.scene_index].voice.path, RATE, 1)[:, 0]
        start = round(seg.voice_start * RATE)
        lo, hi = start - RATE // 4, start + len(original) + RATE // 4
        window = track[lo:hi, 0]
        corr = correlate(window, original, mode="valid", method="fft")
        lag = lo + int(np.argmax(corr))
        assert abs(lag - start) <= 2, (seg.scene_index, lag - start)
    # Nothing outside the voices: silence before the first and between them.
    first = tl.scenes()[0]
    assert not np.any(track[: round(first.voice_start * RATE) - 1])


def test_music_ducks_under_the_voice_and_swells_back(project_with_music):
    project, root = project_with_music
    tl = build_timeline(project)
    n = round(tl.duration * RATE)
    voice = place_voices(project, root, tl)
    gain = duck_gain(voice_activity(voice, RATE), project.music.duck_db, n, RATE)
    gain_db = 20 * np.log10(gain)
    for seg in tl.scenes():
        mid = round((seg.voice_start + seg.voice_duration / 2) * RATE)
        assert gain_db[mid] == pytest.approx(project.music.duck_db, abs=0.3)
        # Already down when the first syllable arrives (the attack starts before it).
        assert gain_db[round(seg.voice_start * RATE) + RATE // 50] < project.music.duck_db + 1.0
    assert gain_db[round(0.2 * RATE)] == pytest.approx(0.0, abs=0.01)  # title card: full bed
    last = tl.scenes()[-1]
    assert gain_db[round((last.voice_end + 1.1) * RATE)] == pytest.approx(0.0, abs=0.3)  # swelled back
    # Smooth: no gain step bigger than a linear 0.15 s ramp allows.
    steps = np.abs(np.diff(gain_db))
    assert steps.max() < abs(project.music.duck_db) / (0.15 * RATE) * 1.5


def test_mix_is_voice_plus_ducked_bed_normalised(project_with_music):
    project, root = project_with_music
    tl = build_timeline(project)
    result = mix_audio(project, root, timeline=tl)
    assert result.samples.shape == (round(tl.duration * RATE), 2)
    assert abs(result.loudness_lufs - project.render.loudness_lufs) <= 0.5
    assert result.true_peak_db <= project.render.true_peak_db - 0.4
    # Rebuild what went into the normaliser from the parts; the output is that, scaled.
    n = len(result.samples)
    voice = place_voices(project, root, tl)
    v = measure_loudness(voice, RATE).integrated_lufs  # the same meter as the mix
    voice = voice * 10 ** ((-16.0 - v) / 20)
    bed = music_track(project, root, n)
    gain = duck_gain(voice_activity(voice, RATE), project.music.duck_db, n, RATE)
    expected = voice + bed * gain[:, None]
    # This speech-like fixture needs no limiting, so the output is exactly that, scaled:
    # voice placement, bed level and the ducking envelope all reach the final mix.
    assert result.limiter_db == 0.0
    scale = 10 ** (result.gain_db / 20)
    assert np.allclose(result.samples, expected * scale, atol=2e-4)
    # The bed sits at its level (LUFS) before fades and ducking: level_db means loudness.
    core = bed[round(1.5 * RATE): n - round(2.5 * RATE)]
    assert measure_loudness(core, RATE).integrated_lufs == pytest.approx(project.music.level_db, abs=1.0)


def test_no_clicks_at_voice_edges(tmp_path):
    project = build_project(tmp_path / "p", voices=(1.0, 1.0), cues=False)
    # A voice file that starts and ends at full amplitude: a click unless faded.
    t = np.arange(int(1.0 * VOICE_RATE)) / VOICE_RATE
    harsh = 0.9 * np.cos(2 * math.pi * 200 * t)
    for scene in project.scenes:
        write_wav(tmp_path / "p" / scene.voice.path, harsh, VOICE_RATE)
    tl = build_timeline(project)
    track = place_voices(project, tmp_path / "p", tl)
    natural = 0.9 * 2 * math.pi * 200 / RATE  # the sine's own largest step
    for seg in tl.scenes():
        for edge in (seg.voice_start, seg.voice_end):
            i = round(edge * RATE)
            jumps = np.abs(np.diff(track[i - 480:i + 480, 0]))
            assert jumps.max() < natural * 1.6, (edge, jumps.max())
    mixed = mix_audio(project, tmp_path / "p", timeline=tl).samples
    for seg in tl.scenes():
        i = round(seg.voice_start * RATE)
        assert np.abs(np.diff(mixed[i - 480:i + 480, 0])).max() < 0.2


def test_limiter_holds_the_true_peak_smoothly():
    rng = np.random.default_rng(3)
    x = (rng.standard_normal((RATE * 3, 2)) * 0.05).astype(np.float32)
    x[RATE: RATE + 200] += 1.6  # a loud transient, ~5 dB over full scale
    out, reduction = limit_peaks(x, RATE, -1.5)
    loud = measure_loudness(out, RATE)
    assert loud.true_peak_db <= -1.5 + 0.05
    assert reduction < -5.0
    g = out[:, 0] / np.where(np.abs(x[:, 0]) > 1e-4, x[:, 0], np.nan)
    g = g[np.isfinite(g)]
    assert np.nanmax(np.abs(np.diff(g))) < 0.05  # gain glides, never steps
    quiet, none = limit_peaks(x * 0.1, RATE, -1.5)
    assert none == 0.0 and np.array_equal(quiet, x * 0.1)


def test_loop_crossfades_imported_music_and_tiles_generated():
    t = np.arange(5 * RATE) / RATE
    tone = (0.5 * np.sin(2 * math.pi * 220 * t))[:, None].repeat(2, axis=1).astype(np.float32)
    tone[-1] = 0.5  # an abrupt seam if tiled blindly
    out = loop_to(tone, 12 * RATE, RATE, seamless=False)
    assert len(out) == 12 * RATE
    assert np.abs(np.diff(out[:, 0])).max() < 0.05
    tiled = loop_to(tone, 12 * RATE, RATE, seamless=True)
    assert np.array_equal(tiled[5 * RATE: 10 * RATE], tone)


def test_silent_project_mixes_to_silence(tmp_path):
    project = build_project(tmp_path / "p", voices=(0.0,), cues=False)
    project.scenes[0].narration = "Belum ada suara."
    result = mix_audio(project, tmp_path / "p")
    assert not np.any(result.samples)
    assert result.loudness_lufs == float("-inf")


def test_missing_voice_file_is_a_sentence(tmp_path):
    project = build_project(tmp_path / "p", voices=(1.0, 1.0), cues=False)
    (tmp_path / "p" / project.scenes[1].voice.path).unlink()
    with pytest.raises(MediaError) as info:
        mix_audio(project, tmp_path / "p")
    assert "scene 2" in str(info.value) and "adegan 2" in info.value.text("id")


def test_write_mix_is_atomic_and_matches(tmp_path, project_with_music):
    project, root = project_with_music
    out = tmp_path / "mix.wav"
    result = write_mix(project, root, out)
    assert result.path == out and out.exists() and not (tmp_path / "mix.wav.part").exists()
    back = read_audio(out, RATE, 2)
    assert len(back) == len(result.samples)
    assert measure_loudness(back, RATE).integrated_lufs == pytest.approx(result.loudness_lufs, abs=0.1)


def test_edge_fades_are_what_keeps_scene_changes_click_free(tmp_path, monkeypatch):
    # Voices that start and stop at full amplitude (a recording cut mid-word).
    project = build_project(tmp_path / "p", voices=(1.2, 1.0, 1.4), cues=False, voice_kind="tone")
    tl = build_timeline(project)
    edges = [t for s in tl.scenes() for t in (s.voice_start, s.voice_end)]
    smooth = click_peaks(mix_audio(project, tmp_path / "p", timeline=tl).samples, RATE, edges)
    monkeypatch.setattr(mix, "EDGE_FADE", 0.0)
    harsh = click_peaks(mix_audio(project, tmp_path / "p", timeline=tl).samples, RATE, edges)
    assert max(smooth) < -60.0, smooth
    assert min(harsh) > -40.0, harsh  # the detector does see a cut edge


def test_loudness_meter_agrees_with_pyloudnorm():
    import pyloudnorm

    rng = np.random.default_rng(5)
    signals = [
        rng.normal(0, 0.1, RATE * 7).astype(np.float32),  # mono
        np.concatenate([rng.normal(0, 0.2, (RATE * 3, 2)), np.zeros((RATE * 5, 2)),
                        rng.normal(0, 0.01, (RATE * 4, 2))]).astype(np.float32),  # gated parts
        (0.3 * np.sin(2 * math.pi * 997 * np.arange(RATE * 2) / RATE))[:, None].repeat(2, 1),
        rng.normal(0, 0.1, (int(RATE * 0.45), 2)).astype(np.float32),  # one block only
    ]
    for x in signals:
        ref = pyloudnorm.Meter(RATE).integrated_loudness(np.asarray(x, dtype=np.float64))
        assert integrated_lufs(x, RATE) == pytest.approx(ref, abs=0.01)
        assert true_peak(x) == pytest.approx(measure_loudness(x, RATE).true_peak_db, abs=0.01)
    assert integrated_lufs(np.zeros((RATE, 2), np.float32), RATE) == float("-inf")


def test_encoded_soundtrack_meets_the_true_peak_even_when_aac_overshoots(tmp_path, monkeypatch,
                                                                          project_with_music, caplog):
    project, root = project_with_music
    project = project.model_copy(deep=True)
    # Limit the mix right AT the target: the AAC encoder's overshoot then crosses it, and
    # only the check on the encoded audio can bring the file back under.
    monkeypatch.setattr(mix, "AAC_MARGIN_DB", 0.0)
    project.render.loudness_lufs = -12.0  # loud enough that the limiter works hard
    out = tmp_path / "sound.m4a"
    with caplog.at_level("INFO", logger="studio.pipeline.render.soundtrack"):
        result = encode_soundtrack(project, root, out)
    assert any("AAC overshoot" in r.getMessage() for r in caplog.records)
    decoded = read_audio(out, RATE, 2)
    measured = measure_loudness(decoded, RATE)
    ceiling = project.render.true_peak_db - mix.FILE_PEAK_MARGIN_DB
    assert measured.true_peak_db <= ceiling
    assert result.true_peak_db == pytest.approx(measured.true_peak_db, abs=0.05)
    assert result.loudness_lufs == pytest.approx(measured.integrated_lufs, abs=0.05)
    # The correction costs a fraction of a dB of loudness, nothing more.
    mixed = mix_audio(project, root)
    assert 0.0 < mixed.loudness_lufs - measured.integrated_lufs < 0.8
