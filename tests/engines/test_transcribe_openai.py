"""openai-whisper backend on a tiny random checkpoint the test saves; language handling for both backends."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import EngineFailed, EngineUnavailable, MediaError, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings
from studio.engines import registry
from studio.engines.base import TranscribeEngine, TranscribeRequest, VoiceRequest
from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine, whisper_language
from studio.engines.transcribe.whisper_torch import OpenAIWhisperEngine, windows
from studio.engines.voice.espeak import EspeakVoiceEngine

torch = pytest.importorskip("torch")
pytest.importorskip("whisper")


def tiny_checkpoint(path: Path) -> Path:
    """A random openai-whisper model (3.5 M parameters) saved the way load_model reads it."""
    from whisper.model import ModelDimensions, Whisper

    dims = ModelDimensions(n_mels=80, n_audio_ctx=1500, n_audio_state=64, n_audio_head=2, n_audio_layer=1,
                           n_vocab=51865, n_text_ctx=448, n_text_state=64, n_text_head=2, n_text_layer=1)
    torch.manual_seed(0)
    model = Whisper(dims)
    # openai-whisper makes this with torch.empty: without a real init the output is NaN-prone noise.
    torch.nn.init.normal_(model.decoder.positional_embedding, std=0.02)
    torch.save({"dims": dims.__dict__, "model_state_dict": model.state_dict()}, path)
    return path


@pytest.fixture(scope="module")
def ckpt(tmp_path_factory) -> Path:
    return tiny_checkpoint(tmp_path_factory.mktemp("ow") / "tiny-random.pt")


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ow-speech") / "s.wav"
    EspeakVoiceEngine().synthesize(VoiceRequest("Weton dihitung dari hari lahir dan pasaran."), out,
                                   JobContext("voice"))
    return out


def _spy(engine: OpenAIWhisperEngine) -> list[dict]:
    model = engine.load()
    calls: list[dict] = []
    real = model.transcribe

    def spy(audio, **kwargs):  # noqa: ANN001, ANN202
        calls.append(kwargs)
        return real(audio, **kwargs)

    model.transcribe = spy
    return calls


def test_preflight_never_downloads_and_says_what_to_do(ckpt, tmp_path) -> None:
    assert OpenAIWhisperEngine(ckpt).preflight() == []
    nothing = OpenAIWhisperEngine().preflight()
    assert nothing and ".pt" in str(nothing[0]) and "tidak pernah mengunduh" in nothing[0].text("id")
    # A model *name* is not a file: refused before whisper.load_model could download it.
    named = OpenAIWhisperEngine("base").preflight()
    assert named and "does not exist" in str(named[0])
    with pytest.raises(EngineUnavailable):
        OpenAIWhisperEngine("base").load()
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    with pytest.raises(EngineFailed) as err:
        OpenAIWhisperEngine(bad).load()
    assert "could not be loaded" in str(err.value)
    settings = Settings()
    settings.models.openai_whisper = str(ckpt)
    engine = registry.create("transcribe.openai_whisper", settings)
    assert isinstance(engine, OpenAIWhisperEngine) and isinstance(engine, TranscribeEngine)
    assert engine.preflight() == []


def test_transcribes_from_a_checkpoint_with_words_and_provenance(ckpt, speech) -> None:
    engine = OpenAIWhisperEngine(ckpt, max_tokens=12)
    calls = _spy(engine)
    seen = []
    t = engine.transcribe(TranscribeRequest(speech, "id"), JobContext("t", seen.append))
    assert calls and all(c["language"] == "id" for c in calls)
    assert t.language == "id" and t.duration == pytest.approx(2.9, abs=1.0)
    assert t.segments and all(0 <= s.start <= s.end <= t.duration for s in t.segments)
    assert all(0 <= w.start <= w.end <= t.duration for w in t.words)
    assert t.provenance.engine == "transcribe.openai_whisper" and t.provenance.model == "tiny-random.pt"
    assert len(t.provenance.model_revision) == 12 and t.provenance.params["language"] == "id"
    assert seen[-1].done == pytest.approx(t.duration) and seen[-1].total == pytest.approx(t.duration)


@pytest.mark.parametrize("project, expected", [("id", "id"), ("jv", "jw"), ("ban", "id"), ("su", "su")])
def test_the_language_is_always_set(ckpt, speech, project, expected) -> None:
    engine = OpenAIWhisperEngine(ckpt, max_tokens=4)
    calls = _spy(engine)
    t = engine.transcribe(TranscribeRequest(speech, project), JobContext("t"))
    assert calls and all(c["language"] == expected for c in calls)
    assert t.provenance.params["requested_language"] == project


def test_bad_requests(ckpt, speech, tmp_path) -> None:
    engine = OpenAIWhisperEngine(ckpt, max_tokens=4)
    with pytest.raises(UsageError):
        engine.transcribe(TranscribeRequest(speech, ""), JobContext("t"))
    with pytest.raises(UsageError) as err:
        engine.transcribe(TranscribeRequest(speech, "xx"), JobContext("t"))
    assert "'id'" in str(err.value)
    with pytest.raises(MediaError):
        engine.transcribe(TranscribeRequest(tmp_path / "none.wav", "id"), JobContext("t"))
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF....not audio")
    with pytest.raises(MediaError):
        engine.transcribe(TranscribeRequest(junk, "id"), JobContext("t"))


def _long_take(path: Path, seconds: float, quiet_at: list[float]) -> np.ndarray:
    rate = 16000
    rng = np.random.default_rng(1)
    audio = (0.2 * rng.standard_normal(int(seconds * rate))).astype(np.float32)
    for q in quiet_at:
        audio[int((q - 0.3) * rate): int((q + 0.3) * rate)] = 0.0
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((audio * 32767).astype("<i2").tobytes())
    return audio


def test_long_audio_is_cut_at_quiet_moments(tmp_path) -> None:
    audio = _long_take(tmp_path / "long.wav", 70.0, [27.0, 54.0])
    cuts = windows(audio)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(audio)
    assert all(b - a <= 30 * 16000 for a, b in cuts)
    assert all(cuts[i][1] == cuts[i + 1][0] for i in range(len(cuts) - 1))
    assert [round(b / 16000) for _, b in cuts[:-1]] == [27, 54]


def test_cancel_between_windows_keeps_what_was_heard(ckpt, tmp_path) -> None:
    path = tmp_path / "long.wav"
    _long_take(path, 65.0, [28.0, 56.0])
    engine = OpenAIWhisperEngine(ckpt, max_tokens=4)
    ctx = JobContext("t", lambda p: ctx.cancel() if p.done > 0 else None)
    with pytest.raises(Cancelled) as err:
        engine.transcribe(TranscribeRequest(path, "id"), ctx)
    partial = err.value.partial
    assert partial is not None and partial.duration == pytest.approx(65.0, abs=0.1)
    assert all(s.end <= 28.5 for s in partial.segments)


def test_faster_whisper_sizes_and_languages(speech) -> None:
    assert whisper_language("jv") == "jw" and whisper_language("ban") == "id"
    assert whisper_language("id-ID") == "id" and whisper_language("min") == "id"
    with pytest.raises(UsageError):
        whisper_language("")
    small = FasterWhisperEngine("small")
    problems = small.preflight()
    if problems:  # unless this machine already has Whisper small
        assert "studio models download faster-whisper-small" in str(problems[0])
    assert FasterWhisperEngine("base").model_dir is None and FasterWhisperEngine("base").preflight() == []
    engine = FasterWhisperEngine()
    model = engine.load()
    seen: list[str] = []
    real = model.transcribe

    def spy(audio, **kwargs):  # noqa: ANN001, ANN202
        seen.append(kwargs["language"])
        return real(audio, **kwargs)

    model.transcribe = spy
    t = engine.transcribe(TranscribeRequest(speech, "ban"), JobContext("t"))
    assert seen == ["id"] and t.provenance.params["requested_language"] == "ban"
