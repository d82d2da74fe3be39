"""The transformers VITS voice (MMS-TTS path), on a tiny random VITS the test saves to disk."""

from __future__ import annotations

import json
import math
import wave
from pathlib import Path

import numpy as np
import pytest

from studio.core.errors import EngineUnavailable, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.settings import Settings
from studio.engines import registry
from studio.engines.base import VoiceEngine, VoiceRequest
from studio.engines.voice.vits import CLAUSE_PAUSE, SENTENCE_PAUSE, VitsVoiceEngine

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

CHARS = list("_ abcdefghijklmnopqrstuvwxyz'-")
TEXT = "Pada 17/10, KPU membayar Rp 5.000. Juara ke-3 senang!"


def build_tiny_vits(folder: Path, *, readme: str | None = None) -> Path:
    """A random VITS with MMS-TTS's layout (config, safetensors, vocab, tokenizer config)."""
    from transformers import VitsConfig, VitsModel, VitsTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    vocab = {c: i for i, c in enumerate(CHARS)}
    vocab["<unk>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    VitsTokenizer(str(folder / "vocab.json"), pad_token="_", unk_token="<unk>", language="ind",
                  add_blank=True, normalize=True, phonemize=False, is_uroman=False).save_pretrained(folder)
    config = VitsConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, ffn_dim=32,
        flow_size=16, spectrogram_bins=33, upsample_initial_channel=32, upsample_rates=[8, 4],
        upsample_kernel_sizes=[16, 8], resblock_kernel_sizes=[3], resblock_dilation_sizes=[[1, 3]],
        prior_encoder_num_flows=1, prior_encoder_num_wavenet_layers=1, posterior_encoder_num_wavenet_layers=1,
        duration_predictor_num_flows=1, duration_predictor_filter_channels=16, depth_separable_num_layers=1,
        wavenet_kernel_size=3, sampling_rate=16000)
    torch.manual_seed(0)
    VitsModel(config).save_pretrained(folder)
    if readme is not None:
        (folder / "README.md").write_text(readme, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return build_tiny_vits(tmp_path_factory.mktemp("vits") / "mms-tts-ind",
                           readme="---\nlicense: cc-by-nc-4.0\n---\n# MMS-TTS ind (tiny random copy)\n")


@pytest.fixture(scope="module")
def engine(tiny) -> VitsVoiceEngine:
    return VitsVoiceEngine(tiny)


def _read(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2"), w.getframerate()


def test_registry_settings_and_preflight(tiny, tmp_path) -> None:
    settings = Settings()
    settings.models.mms_tts = str(tiny)
    engine = registry.create("voice.vits", settings)
    assert isinstance(engine, VitsVoiceEngine) and isinstance(engine, VoiceEngine) and engine.info.is_ai
    assert engine.preflight() == []
    assert "rate" in engine.controls and "pitch" not in engine.controls
    # No model anywhere: a sentence that says how to get it, and nothing is downloaded.
    missing = VitsVoiceEngine(settings=Settings()).preflight()
    if missing:  # (a developer machine may hold a real MMS-TTS in its Hugging Face cache)
        assert "studio models download mms-tts-ind" in str(missing[0])
        assert "flashdisk" in missing[0].text("id")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{}")
    problems = VitsVoiceEngine(broken).preflight()
    assert problems and "vocab.json" in str(problems[0]) and "model.safetensors" in str(problems[0])
    with pytest.raises(EngineUnavailable):
        VitsVoiceEngine(broken).synthesize(VoiceRequest("Halo."), tmp_path / "x.wav", JobContext("voice"))
    assert not (tmp_path / "x.wav").exists()


def test_speaks_a_scene_with_word_timings_and_an_honest_licence(engine, tmp_path) -> None:
    out = tmp_path / "v.wav"
    result = engine.synthesize(VoiceRequest(TEXT), out, JobContext("voice"))
    samples, rate = _read(out)
    assert rate == 16000 == result.sample_rate
    assert result.duration == pytest.approx(len(samples) / rate)
    assert np.abs(samples).max() > 1000
    # Subtitles get the script's written words; the model heard the normalised form.
    assert [w.text for w in result.words] == TEXT.split()
    assert result.provenance.prompt == "Pada tujuh belas Oktober, ka pe u membayar lima ribu rupiah. " \
                                       "Juara ketiga senang!"
    for a, b in zip(result.words, result.words[1:]):
        assert a.start <= a.end <= b.start
    assert 0 < result.words[0].start and result.words[-1].end <= result.duration
    # Phrases are spoken separately and joined with pauses (MMS-TTS has no punctuation).
    assert result.words[2].start - result.words[1].end >= CLAUSE_PAUSE - 1e-3  # after "17/10,"
    assert result.words[6].start - result.words[5].end >= SENTENCE_PAUSE - 1e-3  # after "5.000."
    prov = result.provenance
    assert prov.is_ai and prov.engine == "voice.vits" and prov.licence == "cc-by-nc-4.0"
    assert "non-komersial" in prov.note and prov.seed == 1234
    # Deterministic for the same seed.
    again = engine.synthesize(VoiceRequest(TEXT), tmp_path / "w.wav", JobContext("voice"))
    assert np.array_equal(_read(tmp_path / "w.wav")[0], samples)
    assert again.words == result.words


def test_word_timings_follow_the_predicted_durations_exactly(engine, tmp_path) -> None:
    # Force every input token to last 3 frames: then each word's span is known in advance.
    loaded = engine.load()
    hop = loaded.hop

    def three_frames(_module, _inputs, output):  # noqa: ANN001, ANN202 - torch hook
        return torch.full_like(output, math.log(3.0))

    handle = loaded.model.duration_predictor.register_forward_hook(three_frames)
    try:
        result = engine.synthesize(VoiceRequest("ab cde"), tmp_path / "d.wav", JobContext("voice"))
    finally:
        handle.remove()
    lead = int(0.05 * 16000)
    # Tokens: _ a _ b _ ␠ _ c _ d _ e _  (blank between characters); 3 frames each.
    frame = 3 * hop
    assert result.words[0].start == pytest.approx((lead + 1 * frame) / 16000, abs=1e-3)  # "a"
    assert result.words[0].end == pytest.approx((lead + 4 * frame) / 16000, abs=1e-3)  # end of "b"
    assert result.words[1].start == pytest.approx((lead + 7 * frame) / 16000, abs=1e-3)  # "c"
    assert result.words[1].end == pytest.approx((lead + 12 * frame) / 16000, abs=1e-3)  # end of "e"
    assert result.duration == pytest.approx((2 * lead + 13 * frame) / 16000, abs=1e-3)


def test_rate_changes_the_length(engine, tmp_path) -> None:
    slow = engine.synthesize(VoiceRequest(TEXT, rate_wpm=100), tmp_path / "s.wav", JobContext("voice"))
    fast = engine.synthesize(VoiceRequest(TEXT, rate_wpm=200), tmp_path / "f.wav", JobContext("voice"))
    assert slow.duration > fast.duration
    assert slow.provenance.params["speaking_rate"] < fast.provenance.params["speaking_rate"]


def test_cancel_between_phrases_and_empty_text(engine, tmp_path) -> None:
    ctx = JobContext("voice", lambda p: ctx.cancel() if p.sub and p.sub[0] >= 1 else None)
    with pytest.raises(Cancelled):
        engine.synthesize(VoiceRequest(TEXT), tmp_path / "c.wav", ctx)
    assert not (tmp_path / "c.wav").exists()
    with pytest.raises(UsageError):
        engine.synthesize(VoiceRequest("🙂 ---"), tmp_path / "e.wav", JobContext("voice"))


def test_voice_step_logs_the_licence(tiny, tmp_path) -> None:
    from studio.core import ailog
    from studio.core.project import Brief, Project, Scene
    from studio.core.storage import create_project
    from studio.pipeline.voice.step import synthesize_voices

    project = Project(brief=Brief(title="Uji", region="Solo", theme="weton"),
                      scenes=[Scene(narration="Weton dihitung dari hari lahir.")])
    root = tmp_path / "p"
    create_project(root, project)
    result = synthesize_voices(project, root, VitsVoiceEngine(tiny), JobContext("voice"))
    asset = result[project.scenes[0].id]
    assert asset.engine == "voice.vits" and len(asset.words) == 5
    records = [r for r in ailog.read(root) if r.step == "voice"]
    assert records and records[-1].licence == "cc-by-nc-4.0" and records[-1].actor == "ai"


def test_each_narration_language_speaks_with_its_own_checkpoint(tiny, tmp_path, monkeypatch) -> None:
    """Basa Jawa and Basa Sunda each load their MMS-TTS folder from the model folder; Basa Bali,
    which has no voice model, is a sentence that offers the creator's own recording."""
    from studio.engines.models import manager
    from studio.engines.models.catalog import get_spec

    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "models"))
    settings = Settings()
    settings.models.mms_tts = str(tiny)  # the Indonesian voice chosen in Settings
    for model_id in ("mms-tts-jav", "mms-tts-sun"):  # copied in as from a USB stick
        manager.use_folder(get_spec(model_id), build_tiny_vits(tmp_path / "usb" / model_id),
                           settings, copy=True)
    engine = registry.create("voice.vits", settings)
    ctx = JobContext("voice")
    said = {}
    for lang in ("jv", "su", "id"):
        result = engine.synthesize(VoiceRequest("Sugeng enjing sedaya.", language=lang), tmp_path / f"{lang}.wav", ctx)
        said[lang] = result.provenance.model
        assert (tmp_path / f"{lang}.wav").stat().st_size > 1000
    assert said == {"jv": "mms-tts-jav", "su": "mms-tts-sun", "id": "mms-tts-ind"}
    with pytest.raises(EngineUnavailable) as no_voice:
        engine.synthesize(VoiceRequest("Om swastiastu.", language="ban"), tmp_path / "ban.wav", ctx)
    assert "Basa Bali" in no_voice.value.message_id and "Rekam" in no_voice.value.message_id
    assert not (tmp_path / "ban.wav").exists()
    # A language whose voice is not downloaded says which model to get.
    monkeypatch.setenv("STUDIO_MODELS_DIR", str(tmp_path / "empty"))
    bare = VitsVoiceEngine(settings=Settings())
    bare.use_language("jv")
    problems = bare.preflight()
    if problems:  # (a developer machine may hold a real MMS-TTS jav in its Hugging Face cache)
        assert "studio models download mms-tts-jav" in str(problems[0]) and "Basa Jawa" in problems[0].text("id")
