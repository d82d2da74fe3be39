"""espeak-ng voice engine on the real library: Indonesian audio, word timings, rate, hygiene."""

from __future__ import annotations

import threading
import wave
from pathlib import Path

import numpy as np
import pytest
from pitch import median_f0

from studio.core.errors import UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.timeline import count_words
from studio.engines import registry
from studio.engines.base import VoiceEngine, VoiceRequest
from studio.engines.voice.espeak import (
    RATE_TABLE,
    EspeakVoiceEngine,
    espeak_rate_for,
    speakable_text,
    split_words,
    words_per_minute,
)

TEXT = ("Weton adalah tradisi Jawa yang menghitung hari kelahiran. Ada lima hari pasaran, "
        "yaitu Legi, Pahing, Pon, Wage, dan Kliwon.")


@pytest.fixture(scope="module")
def engine() -> EspeakVoiceEngine:
    return EspeakVoiceEngine()


def _read(path: Path) -> tuple[np.ndarray, int, int, int]:
    with wave.open(str(path), "rb") as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data, w.getframerate(), w.getnchannels(), w.getsampwidth()


def _say(engine: EspeakVoiceEngine, tmp_path: Path, text: str = TEXT, name: str = "v.wav",
         **kw) -> tuple:
    out = tmp_path / name
    result = engine.synthesize(VoiceRequest(text, **kw), out, JobContext("voice"))
    return result, out


def test_registry_builds_a_ready_rule_based_engine() -> None:
    engine = registry.create("voice.espeak")
    assert isinstance(engine, EspeakVoiceEngine)
    assert isinstance(engine, VoiceEngine)
    assert engine.preflight() == []
    assert engine.info.is_ai is False  # rule-based formant synthesis, not a model
    assert engine.info.licence == "GPL-3.0-or-later"


def test_indonesian_speech_has_plausible_length_and_format(engine, tmp_path) -> None:
    result, out = _say(engine, tmp_path, rate_wpm=140)
    samples, rate, channels, width = _read(out)
    assert (rate, channels, width) == (22050, 1, 2)
    assert result.sample_rate == 22050
    assert result.duration == pytest.approx(len(samples) / rate, abs=1e-6)
    wpm = count_words(TEXT) * 60 / result.duration
    assert 140 * 0.8 < wpm < 140 * 1.2
    # Leading and trailing silence trimmed to ~50 ms: quiet edges, sound right after.
    edge = int(0.04 * rate)
    assert np.abs(samples[:edge]).max() < 200 and np.abs(samples[-edge:]).max() < 200
    assert np.abs(samples[: int(0.15 * rate)]).max() > 1000
    assert np.abs(samples[-int(0.15 * rate):]).max() > 1000
    prov = result.provenance
    assert prov.engine == "voice.espeak" and prov.is_ai is False and prov.tool == "espeak-ng"
    assert prov.model_revision.startswith("1.")
    assert prov.params["espeak_rate"] == espeak_rate_for(140)


def test_word_timings_cover_every_word_in_order(engine, tmp_path) -> None:
    result, out = _say(engine, tmp_path)
    words = result.words
    assert [w.text for w in words] == TEXT.split()
    starts = [w.start for w in words]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for a, b in zip(words, words[1:]):
        assert a.start < a.end <= b.start + 1e-6
    assert words[0].start <= 0.1
    assert words[-1].end >= result.duration - 0.15
    assert all(0 <= w.start <= w.end <= result.duration for w in words)
    # The sentence pause is not part of "kelahiran.": it ends before "Ada" starts.
    texts = [w.text for w in words]
    k = texts.index("kelahiran.")
    assert words[k + 1].start - words[k].end > 0.1
    # The same after a comma: "pasaran," ends with its sound, not at "yaitu".
    k = texts.index("pasaran,")
    assert words[k + 1].start - words[k].end > 0.05
    # Each word starts where there is sound (espeak's events point at the onsets).
    samples, rate, _, _ = _read(out)
    for w, nxt in zip(words, list(words[1:]) + [None]):
        chunk = samples[int(w.start * rate): int(w.start * rate) + int(0.08 * rate)]
        assert np.abs(chunk).max() > 300, w.text
        # ...and where a pause follows, the pause after its end is silent.
        if nxt is not None and nxt.start - w.end > 0.05:
            pause = samples[int((w.end + 0.01) * rate): int((nxt.start - 0.01) * rate)]
            assert np.abs(pause).max() < 300, w.text


def test_a_number_spoken_as_several_words_is_one_timed_word(engine, tmp_path) -> None:
    result, _ = _say(engine, tmp_path, text="Pada tahun 2024 desa kami menang.")
    assert [w.text for w in result.words] == ["Pada", "tahun", "2024", "desa", "kami", "menang."]
    year = result.words[2]
    assert year.end - year.start > 0.8  # "dua ribu dua puluh empat"


def test_rate_changes_duration_and_maps_to_real_wpm(engine, tmp_path) -> None:
    slow, _ = _say(engine, tmp_path, name="slow.wav", rate_wpm=90)
    fast, _ = _say(engine, tmp_path, name="fast.wav", rate_wpm=180)
    assert slow.duration > 1.6 * fast.duration
    assert words_per_minute(140) == pytest.approx(140, abs=1.0)
    assert words_per_minute(20) == pytest.approx(RATE_TABLE[0][1])  # espeak's slowest
    assert words_per_minute(1000) == pytest.approx(RATE_TABLE[-1][1])
    values = [words_per_minute(w) for w in range(60, 330, 10)]
    assert values == sorted(values)
    assert engine.words_per_minute(150) == words_per_minute(150)


def test_pitch_raises_the_voice(engine, tmp_path) -> None:
    _, low = _say(engine, tmp_path, name="low.wav", pitch=10)
    _, high = _say(engine, tmp_path, name="high.wav", pitch=90)
    lo_s, rate, _, _ = _read(low)
    hi_s, _, _, _ = _read(high)
    assert median_f0(hi_s, rate) > 1.3 * median_f0(lo_s, rate)


@pytest.mark.parametrize("raw, clean", [
    ("**Weton** adalah _tradisi_ Jawa.", "Weton adalah tradisi Jawa."),
    ("# Batik\nBatik dibuat dengan canting.", "Batik, Batik dibuat dengan canting."),
    ("Satu.\n\n---\n\nDua.", "Satu. Dua."),
    ("- pertama\n- kedua", "pertama, kedua"),
    ("Lihat [situs desa](https://desa.id) ya 🙏🏽✨", "Lihat situs desa ya"),
    ("> Kutipan `kode`", "Kutipan kode"),
    ("Rendang 👨‍👩‍👧 enak!", "Rendang enak!"),
])
def test_speakable_text_drops_markdown_and_emoji(raw, clean) -> None:
    assert speakable_text(raw) == clean


def test_markdown_is_not_spoken(engine, tmp_path) -> None:
    plain, _ = _say(engine, tmp_path, name="plain.wav", text="Batik tulis dibuat dengan canting.")
    marked, _ = _say(engine, tmp_path, name="marked.wav",
                     text="## **Batik** tulis 🎨 dibuat _dengan_ canting.\n---")
    assert [w.text for w in marked.words] == [w.text for w in plain.words]
    assert marked.duration == pytest.approx(plain.duration, abs=0.05)


def test_punctuation_only_tokens_join_a_word() -> None:
    assert [t for _, _, t in split_words("Ya — betul …")] == ["Ya —", "betul …"]
    assert [t for _, _, t in split_words("« Halo")] == ["« Halo"]


def test_nothing_to_say_is_a_usage_error(engine, tmp_path) -> None:
    for text in ("", "   ", "🙂 --- **"):
        with pytest.raises(UsageError) as err:
            engine.synthesize(VoiceRequest(text), tmp_path / "x.wav", JobContext("voice"))
        assert "narasi" in err.value.text("id")
    assert not (tmp_path / "x.wav").exists()


def test_cancel_during_synthesis_stops_and_writes_nothing(engine, tmp_path) -> None:
    seen = []

    def report(p) -> None:
        seen.append(p)
        ctx.cancel()

    ctx = JobContext("voice", report)
    with pytest.raises(Cancelled):
        engine.synthesize(VoiceRequest(TEXT * 3), tmp_path / "c.wav", ctx)
    assert seen  # the engine reported progress from inside espeak before stopping
    assert not (tmp_path / "c.wav").exists()
    # The library is still usable after an aborted synthesis.
    result, _ = _say(engine, tmp_path, text="Masih bisa bicara.")
    assert [w.text for w in result.words] == ["Masih", "bisa", "bicara."]


def test_parallel_calls_are_serialised(engine, tmp_path) -> None:
    # espeak keeps one global callback: unserialised calls would mix their audio and events.
    # (espeak-ng itself varies by up to ~25 ms between calls, so compare with a tolerance.)
    reference, ref_path = _say(engine, tmp_path, name="ref.wav")
    results: dict[int, tuple] = {}

    def work(i: int) -> None:
        results[i] = _say(engine, tmp_path, name=f"t{i}.wav")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ref_audio = _read(ref_path)[0]
    assert len(results) == 3
    for result, path in results.values():
        assert [w.text for w in result.words] == [w.text for w in reference.words]
        for a, b in zip(result.words, reference.words):
            assert a.start == pytest.approx(b.start, abs=0.05)
            assert a.end == pytest.approx(b.end, abs=0.05)
        audio = _read(path)[0]
        assert abs(len(audio) - len(ref_audio)) < 0.05 * 22050
