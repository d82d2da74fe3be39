"""The Indonesian normaliser: what the voice says for what the script writes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core import paths
from studio.core.jobs import JobContext
from studio.core.project import WordTiming
from studio.engines.base import VoiceRequest
from studio.engines.support.text_id import (
    load_lexicon,
    normalize,
    number_words,
    ordinal_words,
    roman_value,
    split_words,
    speakable_text,
)
from studio.engines.voice.espeak import EspeakVoiceEngine


@pytest.mark.parametrize("written, spoken", [
    ("17/10", "tujuh belas Oktober"),
    ("Rp 5.000", "lima ribu rupiah"),
    ("Rp5.000,-", "lima ribu rupiah"),
    ("Rp 1,5 juta", "satu koma lima juta rupiah"),
    ("KPU", "ka pe u"),
    ("ASN dan DPR", "a es en dan de pe er"),
    ("Tahun 1945", "Tahun seribu sembilan ratus empat puluh lima"),
    ("2024", "dua ribu dua puluh empat"),
    ("pukul 07.30", "pukul tujuh tiga puluh"),
    ("jam 9:05", "jam sembilan lewat lima"),
    ("50%", "lima puluh persen"),
    ("2,5", "dua koma lima"),
    ("juara ke-3", "juara ketiga"),
    ("ke-1", "pertama"),
    ("abad ke-19", "abad kesembilan belas"),
    ("abad XIX", "abad kesembilan belas"),
    ("Hamengkubuwono X", "Hamengkubuwono kesepuluh"),
    ("17-08-1945", "tujuh belas Agustus seribu sembilan ratus empat puluh lima"),
    ("10-15 orang", "sepuluh sampai lima belas orang"),
    ("10 km", "sepuluh kilometer"),
    ("5kg", "lima kilogram"),
    ("G20", "ge dua puluh"),
    ("KTP-nya", "ka te pe nya"),
    ("anak-anak", "anak-anak"),
    ("PAUD dan SIM", "paud dan sim"),
    ("HUT RI", "hut er i"),
    ("garam & gula", "garam dan gula"),
    ("dll.", "dan lain-lain."),
    ("Jl. Malioboro No. 5", "jalan Malioboro nomor lima"),
    ("dr. Sutomo", "dokter Sutomo"),
    ("622 M", "enam ratus dua puluh dua masehi"),
    ("Dhalang kethoprak", "dalang ketoprak"),
    ("Sesajén", "Sesajen"),
    ("0812", "nol delapan satu dua"),
])
def test_issue_examples_and_friends(written, spoken) -> None:
    assert normalize(written).spoken == spoken


def test_a_shouted_title_is_not_spelled_and_words_stay_words() -> None:
    assert normalize("WETON ADALAH TRADISI JAWA YANG DIHITUNG.").spoken == \
        "WETON ADALAH TRADISI JAWA YANG DIHITUNG."
    assert normalize("Weton adalah tradisi Jawa.").spoken == "Weton adalah tradisi Jawa."
    assert not normalize("Weton adalah tradisi Jawa.").changed


def test_other_languages_only_get_hygiene() -> None:
    s = normalize("**KPU** paid $5 on 17/10 🙂", language="en")
    assert s.spoken == "KPU paid $5 on 17/10"
    assert s.written == ("KPU", "paid", "$5", "on", "17/10")


def test_written_tokens_are_exactly_the_subtitle_tokens() -> None:
    text = "## Pada 17/10, KPU membayar **Rp 5.000** — untuk juara ke-3 🎉!"
    s = normalize(text)
    assert list(s.written) == [t for _, _, t in split_words(speakable_text(text))]
    # Every written token is in one group, in order, and groups tile the spoken text.
    covered = [i for a, b, _, _ in s.groups for i in range(a, b)]
    assert covered == list(range(len(s.written)))
    assert " ".join(s.spoken[p:q] for _, _, p, q in s.groups) == s.spoken


_WORDS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
          "delapan": 8, "sembilan": 9}


def _parse(words: str) -> int:
    """An independent reader of Indonesian number words (the property below checks both ways)."""
    total, group, current = 0, 0, 0
    for w in words.split():
        if w in _WORDS:
            current = _WORDS[w]
        elif w == "sepuluh":
            current = 10
        elif w == "sebelas":
            current = 11
        elif w == "belas":
            current += 10
        elif w == "puluh":
            group += current * 10
            current = 0
        elif w == "seratus":
            group += 100
        elif w == "ratus":
            group += current * 100
            current = 0
        elif w == "seribu":
            total += 1000
        elif w in ("ribu", "juta", "miliar", "triliun"):
            scale = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "triliun": 10**12}[w]
            total += (group + current) * scale
            group, current = 0, 0
        else:
            raise AssertionError(f"unexpected word {w!r} in {words!r}")
    return total + group + current


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_number_words_read_back_to_the_number(n) -> None:
    assert _parse(number_words(n)) == n


def test_number_words_spot_checks() -> None:
    assert number_words(11) == "sebelas"
    assert number_words(100) == "seratus"
    assert number_words(1000) == "seribu"
    assert number_words(1_000_000) == "satu juta"
    assert number_words(2_500_000_000) == "dua miliar lima ratus juta"
    assert ordinal_words(2) == "kedua" and ordinal_words(25) == "kedua puluh lima"
    assert roman_value("XIX") == 19 and roman_value("IIII") is None and roman_value("") is None


def test_a_trainer_can_add_regional_terms(tmp_path) -> None:
    user = paths.user_presets_dir() / "lexicon" / "id.toml"
    user.parent.mkdir(parents=True, exist_ok=True)
    try:
        user.write_text('[respell]\n"wagé" = "wa ge"\n[acronyms]\nwords = ["KPU"]\n', encoding="utf-8")
        assert normalize("Wagé KPU").spoken == "wa ge kpu"  # the user file wins
        user.write_text("[respell\nbroken", encoding="utf-8")
        assert normalize("KPU").spoken == "ka pe u"  # a broken user file is ignored, not fatal
    finally:
        user.unlink(missing_ok=True)
    assert load_lexicon().letters["k"] == "ka"


def test_written_timings_map_spoken_words_back() -> None:
    s = normalize("Harga Rp 5.000 naik.")
    spoken = split_words(s.spoken)  # Harga | lima | ribu | rupiah | naik.
    times = [WordTiming(text=t, start=i * 0.5, end=i * 0.5 + 0.4) for i, (_, _, t) in enumerate(spoken)]
    out = s.written_timings([(p, w) for (p, _, _), w in zip(spoken, times)])
    assert [w.text for w in out] == ["Harga", "Rp", "5.000", "naik."]
    assert out[0].start == 0.0 and out[0].end == 0.4
    # "Rp 5.000" was said as three words from 0.5 to 1.9; the two written words share that span.
    assert out[1].start == 0.5 and out[2].end == 1.9
    assert out[1].end == out[2].start and out[1].end - out[1].start < out[2].end - out[2].start
    assert out[3].start == 2.0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["Rp", "5.000", "KPU", "17/10", "ke-3", "dan", "2,5%", "abad",
                                 "XIX", "desa,", "—", "10", "km", "dll.", "Dhalang"]),
                min_size=1, max_size=14))
def test_written_timings_are_ordered_and_complete(tokens) -> None:
    s = normalize(" ".join(tokens))
    spoken = split_words(s.spoken)
    times = [WordTiming(text=t, start=i * 0.3, end=i * 0.3 + 0.25) for i, (_, _, t) in enumerate(spoken)]
    out = s.written_timings([(p, w) for (p, _, _), w in zip(spoken, times)])
    assert [w.text for w in out] == list(s.written)
    for a, b in zip(out, out[1:]):
        assert a.start <= b.start and a.end <= b.start + 1e-9
    assert all(w.end >= w.start for w in out)


@pytest.fixture(scope="module")
def espeak() -> EspeakVoiceEngine:
    return EspeakVoiceEngine()


def test_espeak_says_the_normalised_form(espeak) -> None:
    # Without the normaliser espeak says "kpu" as one syllable and "garis miring" for "/".
    assert espeak.phonemes("KPU") == "kˈa pˈɛ ˈu"
    assert "oktˈob" in espeak.phonemes("17/10") and "ɡˈaris" not in espeak.phonemes("17/10")
    assert "rupˈiah" in espeak.phonemes("Rp 5.000")
    assert "dh" not in espeak.phonemes("Dhandhanggula")
    assert espeak.phonemes("ke-3") == "kətˈiɡa"


def test_espeak_word_timings_keep_the_written_words(espeak, tmp_path) -> None:
    text = "Pada 17/10 KPU membayar Rp 5.000 untuk juara ke-3."
    result = espeak.synthesize(VoiceRequest(text), tmp_path / "n.wav", JobContext("voice"))
    assert [w.text for w in result.words] == text.split()
    assert result.provenance.prompt.startswith("Pada tujuh belas Oktober ka pe u membayar lima ribu rupiah")
    assert result.provenance.params["normalised"] is True
    date, kpu = result.words[1], result.words[2]
    assert date.end - date.start > 2 * (kpu.end - kpu.start) * 0.8  # "tujuh belas Oktober"
    for a, b in zip(result.words, result.words[1:]):
        assert a.start < b.start and a.end <= b.start + 1e-6
    assert result.words[-1].end <= result.duration


def test_a_regional_narration_reads_its_own_lexicon_and_keeps_the_written_words() -> None:
    """presets/lexicon/jv.toml and su.toml add to id.toml for their narration only; what the
    subtitles show (the written words) is the creator's spelling either way."""
    from studio.engines.support.text_id import lexicon_paths, normalize

    assert [p.name for p in lexicon_paths("jv")][:1] == ["id.toml"] and any(p.name == "jv.toml" for p in lexicon_paths("jv"))
    javanese = normalize("Sesaji, kembang lsp. ing Kab. Sleman.", "jv")
    assert "lan sapanunggalane" in javanese.spoken and "kabupaten Sleman" in javanese.spoken
    assert javanese.written == ("Sesaji,", "kembang", "lsp.", "ing", "Kab.", "Sleman.")
    assert "lan sapanunggalane" not in normalize("Sesaji, kembang lsp.", "id").spoken
    assert "jeung sajabana" in normalize("Kupat jsb.", "su").spoken
