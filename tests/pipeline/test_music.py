"""The generated gamelan bed: deterministic, in tune, in time, loopable, quiet where speech is."""

from __future__ import annotations

import wave

import numpy as np
import pytest
from render_fixtures import build_project
from scipy.signal import find_peaks

from studio.core import ailog
from studio.core.jobs import Cancelled, JobContext
from studio.engines import registry
from studio.engines.base import MusicEngine, MusicRequest
from studio.engines.music.gamelan import BASE_HZ, PELOG_BEM, SLENDRO, GamelanMusicEngine
from studio.pipeline.media.audio import read_audio
from studio.pipeline.music import make_music

RATE = 48000


@pytest.fixture(scope="module")
def beds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("beds")
    engine = GamelanMusicEngine()
    out = {}
    for scale, tempo, seed in (("slendro", 72, 7), ("pelog", 90, 7), ("slendro", 72, 8)):
        path = folder / f"{scale}-{tempo}-{seed}.wav"
        out[(scale, tempo, seed)] = engine.generate(MusicRequest(20.0, seed, scale, tempo), path, JobContext("music"))
    return out


def test_engine_is_honest_and_ready():
    engine = GamelanMusicEngine()
    assert engine.info.is_ai is False and engine.info.kind == "music"
    assert "CC0" in engine.info.licence
    assert engine.preflight() == []
    # Music goes through the registry and has the shape of every engine kind.
    built = registry.create("music.gamelan")
    assert isinstance(built, GamelanMusicEngine) and isinstance(built, MusicEngine)
    assert built.loop_seconds(72) == pytest.approx(16 * 60 / 72)


def test_wav_format_and_whole_cycles(beds):
    for (scale, tempo, _), result in beds.items():
        with wave.open(str(result.path), "rb") as w:
            assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 2, 2)
            frames = w.getnframes()
        cycle = 16 * 60.0 / tempo
        assert result.loop_seconds == pytest.approx(cycle)
        assert frames / RATE >= 20.0
        cycles = frames / RATE / cycle
        assert abs(cycles - round(cycles)) < 1e-3
        assert result.provenance.is_ai is False and result.provenance.seed in (7, 8)


def test_same_seed_same_music_other_seed_other_music(beds, tmp_path):
    again = GamelanMusicEngine().generate(MusicRequest(20.0, 7, "slendro", 72), tmp_path / "again.wav",
                                          JobContext("music"))
    assert again.path.read_bytes() == beds[("slendro", 72, 7)].path.read_bytes()
    assert beds[("slendro", 72, 8)].path.read_bytes() != again.path.read_bytes()


@pytest.mark.parametrize("scale,tempo,cents", [("slendro", 72, SLENDRO), ("pelog", 90, PELOG_BEM)])
def test_melody_is_in_the_chosen_tuning(beds, scale, tempo, cents):
    x = read_audio(beds[(scale, tempo, 7)].path, RATE, 1)[:, 0]
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    freqs = np.fft.rfftfreq(len(x), 1 / RATE)
    band = (freqs > 200) & (freqs < 470)
    peaks, _ = find_peaks(spectrum[band], distance=int(5 / freqs[1]))
    strongest = freqs[band][peaks[np.argsort(spectrum[band][peaks])[-5:]]]
    for f in strongest:
        c = (1200 * np.log2(f / BASE_HZ[scale])) % 1200
        assert min(min(abs(c - t), 1200 - abs(c - t)) for t in cents) < 15, (scale, f, c)
    other = PELOG_BEM if scale == "slendro" else SLENDRO
    off = [f for f in strongest
           if min(min(abs((1200 * np.log2(f / BASE_HZ[scale])) % 1200 - t), 1200) for t in other) > 15]
    assert off  # the two tunings really differ: some tones are not in the other scale


def _beat_peakiness(x: np.ndarray, period: float, hop: int = 480, bins: int = 20) -> float:
    frames = len(x) // hop
    env = np.sqrt((x[:frames * hop].reshape(frames, hop) ** 2).mean(axis=1))
    onset = np.clip(np.diff(env), 0, None)
    phase = (np.arange(len(onset)) * hop / RATE % period) / period
    hist = np.bincount((phase * bins).astype(int) % bins, weights=onset, minlength=bins)
    return float(hist.max() / hist.mean())


@pytest.mark.parametrize("key", [("slendro", 72, 7), ("pelog", 90, 7)])
def test_notes_fall_on_the_tempo_grid(beds, key):
    x = read_audio(beds[key].path, RATE, 1)[:, 0]
    beat = 60.0 / key[1]
    right = _beat_peakiness(x, beat)
    wrong = max(_beat_peakiness(x, beat * k) for k in (0.8, 1 / 1.13, 1.13, 1.25))
    assert right > wrong + 0.05, (right, wrong)


def test_loops_without_a_seam(beds):
    x = read_audio(beds[("slendro", 72, 7)].path, RATE, 2)
    step = np.abs(x[0] - x[-1]).max()
    typical = np.percentile(np.abs(np.diff(x, axis=0)), 99.9)
    assert step <= typical
    # The ringing of the last notes continues at the start (circular tails), so the
    # level does not drop at the loop point.
    tail = np.sqrt(np.mean(x[-RATE // 4:] ** 2))
    head = np.sqrt(np.mean(x[:RATE // 4] ** 2))
    assert 0.3 < head / tail < 3.0


def test_quiet_in_the_speech_band(beds):
    for result in beds.values():
        x = read_audio(result.path, RATE, 1)[:, 0]
        power = np.abs(np.fft.rfft(x)) ** 2
        freqs = np.fft.rfftfreq(len(x), 1 / RATE)
        speech = power[(freqs >= 1000) & (freqs < 4000)].sum() / power.sum()
        assert speech < 0.03, speech
        assert np.abs(read_audio(result.path, RATE, 2)).max() < 0.95  # -1 dBFS headroom


def test_make_music_writes_logs_and_returns_updated_music(tmp_path):
    root = tmp_path / "p"
    project = build_project(root, voices=(1.0, 1.0), cues=False)
    before = project.music.model_copy()
    music = make_music(project, root, JobContext("music"))
    assert project.music == before  # the live project is not touched
    assert music.source == "generated" and music.path.startswith("music/bed-")
    assert music.path.endswith(f"{music.inputs_hash[:8]}.wav")
    assert (root / music.path).is_file() and "CC0" in music.licence
    records = [r for r in ailog.read(root) if r.step == "music"]
    assert len(records) == 1
    rec = records[0]
    assert rec.actor == "tool" and rec.engine == "music.gamelan" and rec.seed == project.music.seed
    assert rec.outputs[0].path == music.path and len(rec.outputs[0].sha256) == 64
    with wave.open(str(root / music.path)) as w:
        from studio.core.timeline import build_timeline

        assert w.getnframes() / RATE >= build_timeline(project).duration


def test_cancelled_music_leaves_nothing(tmp_path):
    root = tmp_path / "p"
    project = build_project(root, voices=(1.0,), cues=False)
    ctx = JobContext("music")
    ctx.cancel()
    with pytest.raises(Cancelled):
        make_music(project, root, ctx)
    assert not list((root / "music").iterdir())
    assert not [r for r in ailog.read(root) if r.step == "music"]
