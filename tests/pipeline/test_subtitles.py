"""Subtitles: reading rules, alignment to the script, SRT/VTT files, and the step itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core import ailog
from studio.core.errors import MediaError, UsageError
from studio.core.jobs import JobContext
from studio.core.project import Brief, Cue, Project, Scene, WordTiming
from studio.core.status import subtitles_inputs_hash
from studio.core.storage import create_project
from studio.core.timeline import build_timeline
from studio.engines.voice.espeak import EspeakVoiceEngine
from studio.pipeline.subtitles.files import (
    parse_srt,
    parse_vtt,
    read_srt,
    read_subtitles,
    srt_text,
    vtt_text,
    write_subtitles,
)
from studio.pipeline.subtitles.align import align_to_script, word_error_rate
from studio.pipeline.subtitles.rules import LINGER, chunk_words, layout_lines
from studio.pipeline.subtitles.step import make_subtitles, transcribe_file
from studio.pipeline.voice.step import synthesize_voices

LONG = ("Weton adalah tradisi Jawa yang menghitung hari kelahiran seseorang berdasarkan gabungan "
        "hari dalam seminggu dan hari pasaran. Ada lima hari pasaran, yaitu Legi, Pahing, Pon, "
        "Wage, dan Kliwon. Setiap weton memiliki nilai neptu yang dipercaya memengaruhi watak, "
        "rezeki, dan jodoh. Banyak keluarga di Jawa masih menggunakan perhitungan weton untuk "
        "menentukan hari pernikahan, pindah rumah, atau memulai usaha baru.")


def timed(text: str, start: float = 0.0, per_char: float = 0.065) -> list[WordTiming]:
    """Words with speech-like timing: length-based, pauses after commas and sentences."""
    out, t = [], start
    for tok in text.split():
        d = 0.08 + per_char * len(tok)
        out.append(WordTiming(text=tok, start=round(t, 3), end=round(t + d, 3)))
        t += d + (0.45 if tok[-1] in ".!?" else 0.15 if tok[-1] in ",;:" else 0.0)
    return out


def check_reading_rules(cues: list[Cue], words: list[WordTiming], *, max_chars: int = 42,
                        strict: bool = True) -> None:
    """The invariants every cue list must keep."""
    assert [w.text for c in cues for w in c.words] == [w.text for w in words]  # nothing lost
    for i, cue in enumerate(cues):
        lines = cue.text.split("\n")
        assert " ".join(lines) == " ".join(w.text for w in cue.words)
        assert cue.start == pytest.approx(cue.words[0].start, abs=1e-3)
        assert cue.end <= cue.words[-1].end + LINGER + 1e-6
        assert cue.end >= cue.start
        if i + 1 < len(cues):
            assert cue.end <= cues[i + 1].start + 1e-9  # never overlap
        if len(cue.words) > 1:
            assert len(lines) <= 2
            assert all(len(line) <= max_chars for line in lines), lines
        if strict and len(lines) == 2 and len(cue.words) > 2:
            assert all(len(line.split()) > 1 for line in lines), lines  # no orphan line


# ---------------------------------------------------------------- chunking


def test_long_narration_reads_well() -> None:
    words = timed(LONG)
    cues = chunk_words(words, scene_id="sc-1")
    check_reading_rules(cues, words)
    assert all(c.scene_id == "sc-1" for c in cues)
    for cue in cues:
        shown = cue.end - cue.start
        assert 1.0 <= shown <= 7.0
        assert len(cue.text.replace("\n", " ")) / shown <= 20.0
        assert len(cue.words) > 1  # no one-word cue in ordinary speech
    # Sentences start new cues: every sentence-final word ends its cue.
    ends = {c.words[-1].text for c in cues}
    assert {"pasaran.", "Kliwon.", "jodoh.", "baru."} <= ends
    # Lines are balanced when a cue needs two.
    for cue in cues:
        lines = cue.text.split("\n")
        if len(lines) == 2:
            assert abs(len(lines[0]) - len(lines[1])) <= 20, lines


def test_short_sentences_share_a_cue_and_fit_one_line() -> None:
    words = timed("Ya. Betul sekali.")
    cues = chunk_words(words)
    assert [c.text for c in cues] == ["Ya. Betul sekali."]


def test_breaks_prefer_punctuation_and_avoid_orphans() -> None:
    words = timed("Di Bali, upacara Ngaben adalah cara keluarga melepas orang yang dicintai. "
                  "Api menyucikan raga, dan doa mengantar jiwa pulang ke asalnya.")
    cues = chunk_words(words)
    check_reading_rules(cues, words)
    assert cues[0].words[-1].text == "dicintai."
    assert cues[-1].words[-1].text == "asalnya."
    assert not any(c.text.split("\n")[-1] in ("asalnya.", "dicintai.") for c in cues)


def test_timing_rules_linger_and_limits() -> None:
    words = [WordTiming(text="Gamelan.", start=1.0, end=1.6)]
    (cue,) = chunk_words(words)
    assert (cue.start, cue.end) == (1.0, pytest.approx(1.6 + LINGER))
    (cut,) = chunk_words(words, end_limit=1.7)
    assert cut.end == pytest.approx(1.7)  # never past a scene cut
    two = timed("Satu dua tiga empat lima. Enam tujuh delapan sembilan sepuluh.")
    cues = chunk_words(two)
    assert len(cues) == 2
    assert cues[0].end == pytest.approx(min(two[4].end + LINGER, cues[1].start))


def test_preferred_breaks_act_like_full_stops() -> None:
    # Whisper's segments often end without punctuation; their ends are good cue breaks.
    words = timed("satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas dua belas")
    plain = chunk_words(words)
    cues = chunk_words(words, prefer_breaks=[4])
    assert [w.text for w in cues[0].words][-1] == "lima"
    assert [c.text for c in plain] != [c.text for c in cues]
    check_reading_rules(cues, words)


def test_a_word_longer_than_a_line_still_shows() -> None:
    words = timed("Supercalifragilisticexpialidocious-nya-sangat-panjang-sekali kata.")
    cues = chunk_words(words)
    assert [w.text for c in cues for w in c.words] == [w.text for w in words]


def test_layout_lines_balances_and_refuses_orphans() -> None:
    tokens = "Ada lima hari pasaran, yaitu Legi, Pahing, Pon, Wage, dan Kliwon.".split()
    lines, _ = layout_lines(tokens)
    assert len(lines) == 2 and all(len(x) <= 42 for x in lines)
    assert abs(len(lines[0]) - len(lines[1])) <= 10
    assert layout_lines(["a" * 30, "b" * 30, "c" * 30]) is None  # 3 lines would be needed
    assert layout_lines(["x" * 38, "yy", "z"], max_chars=40) is None  # only with an orphan line
    assert layout_lines(["pendek"]) == (["pendek"], 0.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="abcdeklmnoprstuwy", min_size=1, max_size=14),
                          st.sampled_from(["", "", "", ",", "."]),
                          st.floats(min_value=0.05, max_value=0.9),
                          st.floats(min_value=0.0, max_value=0.8)),
                min_size=1, max_size=45))
def test_reading_rules_hold_for_any_words(spec) -> None:
    words, t = [], 0.0
    for stem, punct, dur, gap in spec:
        words.append(WordTiming(text=stem + punct, start=round(t, 3), end=round(t + dur, 3)))
        t += dur + gap
    cues = chunk_words(words)
    check_reading_rules(cues, words)
    for cue in cues:
        if len(cue.words) > 1:
            assert cue.words[-1].end - cue.words[0].start <= 7.0 + 1e-6


# ---------------------------------------------------------------- alignment


def test_alignment_of_identical_words_keeps_times() -> None:
    words = timed("Batik tulis dibuat dengan canting.")
    aligned = align_to_script("**Batik** tulis dibuat dengan canting.", words)
    assert aligned == words


def test_alignment_with_deletions_insertions_and_substitutions() -> None:
    script = "Setiap weton memiliki nilai neptu yang dipercaya memengaruhi watak."
    heard = [WordTiming(text=t, start=s, end=e) for t, s, e in [
        ("setiap", 0.0, 0.4), ("wetong", 0.4, 0.8),          # substitution
        ("memiliki", 0.8, 1.3), ("nilai", 1.3, 1.6),
        ("eh", 1.6, 1.7),                                     # insertion
        ("neptu", 1.7, 2.0),
        # "yang" missed (deletion) in the gap 2.0–2.3
        ("dipercaya", 2.3, 2.9), ("memengaruhi", 2.9, 3.6), ("watak", 3.6, 4.0)]]
    aligned = align_to_script(script, heard)
    assert [w.text for w in aligned] == script.split()  # text always from the script
    by = {w.text: w for w in aligned}
    assert (by["weton"].start, by["weton"].end) == (0.4, 0.8)
    assert (by["neptu"].start, by["neptu"].end) == (1.7, 2.0)
    assert 2.0 <= by["yang"].start < by["yang"].end <= 2.3
    assert (by["watak."].start, by["watak."].end) == (3.6, 4.0)
    starts = [w.start for w in aligned]
    assert starts == sorted(starts)


def test_alignment_splits_merged_words_and_fills_tight_gaps() -> None:
    script = "Perhitungan weton untuk menentukan hari pernikahan."
    heard = [WordTiming(text=t, start=s, end=e) for t, s, e in [
        ("perhidungan", 0.0, 0.7), ("wetong-dukmenentukan", 0.7, 2.0),
        ("hari", 2.0, 2.3), ("pernikahan", 2.3, 3.0)]]
    aligned = align_to_script(script, heard)
    assert [w.text for w in aligned] == script.split()
    middle = aligned[1:4]  # weton untuk menentukan share the merged word's time
    assert middle[0].start == pytest.approx(0.7) and middle[-1].end == pytest.approx(2.0)
    assert all(w.end > w.start for w in middle)
    assert middle[2].end - middle[2].start > middle[1].end - middle[1].start  # by length
    # A word missed with no gap at all borrows half of its neighbours.
    tight = align_to_script("satu dua tiga", [WordTiming(text="satu", start=0.0, end=1.0),
                                             WordTiming(text="tiga", start=1.0, end=2.0)])
    assert tight[1].start == pytest.approx(0.5) and tight[1].end == pytest.approx(1.5)
    assert tight[0].end <= tight[1].start and tight[1].end <= tight[2].start


def test_alignment_without_recognised_words() -> None:
    assert align_to_script("Satu dua tiga.", []) == []
    spread = align_to_script("Satu dua tiga.", [], duration=3.0)
    assert [w.text for w in spread] == ["Satu", "dua", "tiga."]
    assert spread[0].start == 0.0 and spread[-1].end == pytest.approx(3.0)


def test_word_error_rate() -> None:
    assert word_error_rate("Hari pasaran, Legi.", "hari pasaran legi") == 0.0
    assert word_error_rate("satu dua tiga empat", "satu tiga empat lima") == pytest.approx(0.5)
    assert word_error_rate("", "") == 0.0


# ---------------------------------------------------------------- files


CUES = [
    Cue(start=0.5, end=2.25, text="Weton adalah tradisi Jawa\nyang menghitung hari"),
    Cue(start=2.25, end=4.0, text="Café & <rendang> — enak!"),
    Cue(start=3661.001, end=3662.5, text="Satu jam kemudian."),
]


@pytest.mark.parametrize("suffix", [".srt", ".vtt"])
def test_subtitle_files_round_trip(tmp_path, suffix) -> None:
    path = tmp_path / f"subs{suffix}"
    write_subtitles(CUES, path)
    back = read_subtitles(path)
    assert [(c.start, c.end, c.text) for c in back] == [(c.start, c.end, c.text) for c in CUES]
    raw = path.read_text(encoding="utf-8")
    if suffix == ".vtt":
        assert raw.startswith("WEBVTT") and "01:01:01.001 --> 01:01:02.500" in raw
        assert "&amp;" in raw and "&lt;rendang&gt;" in raw
    else:
        assert "01:01:01,001 --> 01:01:02,500" in raw and raw.startswith("1\n")


def test_vtt_reader_understands_real_files() -> None:
    text = ("\ufeffWEBVTT - dibuat tangan\n\nNOTE ini catatan\n\nSTYLE\n::cue { color: lime }\n\n"
            "intro\n00:01.000 --> 00:02.500 align:start line:90%\n<v Narator><b>Halo</b> semua\n\n"
            "00:00:03.000 --> 00:00:04.000\nBaris satu\nBaris dua\n")
    cues = parse_vtt(text)
    assert [(c.start, c.end, c.text) for c in cues] == [
        (1.0, 2.5, "Halo semua"), (3.0, 4.0, "Baris satu\nBaris dua")]


def test_bad_subtitle_files_say_what_is_wrong(tmp_path) -> None:
    with pytest.raises(MediaError) as err:
        parse_srt("ini bukan subtitle\n", "x.srt")
    assert "x.srt" in str(err.value) and "line 1" in str(err.value)
    with pytest.raises(MediaError):
        parse_vtt("00:01.000 --> 00:02.000\nno header\n")
    with pytest.raises(MediaError):
        parse_vtt("WEBVTT\n\n00:05.000 --> 00:02.000\nbackwards\n")
    with pytest.raises(MediaError):
        read_srt(tmp_path / "absent.srt")
    cp1252 = tmp_path / "old.srt"
    cp1252.write_bytes(srt_text(CUES[1:2]).encode("cp1252", errors="replace"))
    assert read_subtitles(cp1252)[0].text.startswith("Café")
    assert vtt_text([]) .startswith("WEBVTT")


# ---------------------------------------------------------------- the step


SCENES = [
    "Setiap hari pasaran punya nama. Keluarga memilih hari pernikahan dengan perhitungan weton.",
    "**Batik** tulis dibuat dengan canting dan malam panas. 🎨",
    "Setiap weton memiliki nilai neptu yang dipercaya memengaruhi watak, rezeki, dan jodoh.",
]


@pytest.fixture(scope="module")
def voiced(tmp_path_factory) -> tuple[Project, Path]:
    """A 3-scene project with espeak voices (mixed transitions), built once."""
    root = tmp_path_factory.mktemp("subs") / "proj"
    p = Project(brief=Brief(title="Weton", region="Jawa", theme="weton", language="id"))
    p.scenes = [Scene(narration=t) for t in SCENES]
    p.scenes[1].transition = "cut"
    p.voice.rate_wpm = 120
    create_project(root, p)
    result = synthesize_voices(p, root, EspeakVoiceEngine(), JobContext("voice"))
    for scene in p.scenes:
        scene.voice = result[scene.id]
    return p, root


def _copy(voiced, tmp_path) -> tuple[Project, Path]:
    p, root = voiced
    dst = tmp_path / "proj"
    shutil.copytree(root, dst)
    return p.model_copy(deep=True), dst


def _assert_inside_voice_spans(p: Project, cues: list[Cue]) -> None:
    timeline = build_timeline(p)
    segs = list(timeline.segments)
    for cue in cues:
        i = next(k for k, s in enumerate(segs) if s.scene_id == cue.scene_id)
        seg = segs[i]
        assert seg.voice_start - 1e-6 <= cue.start
        assert cue.end <= seg.voice_end + LINGER + 1e-6
        if i + 1 < len(segs):
            assert cue.end <= segs[i + 1].start + 1e-6  # no cue crosses a scene cut


def test_make_subtitles_from_tts_events_without_ai(voiced, tmp_path) -> None:
    p, root = _copy(voiced, tmp_path)
    before = p.model_dump()
    out = make_subtitles(p, root, None, JobContext("subtitles"))
    assert p.model_dump() == before
    subs = out.subtitles
    assert subs.source == "script+tts" and subs.engine == "" and subs.model == ""
    assert subs.inputs_hash == subtitles_inputs_hash(p)
    assert {c.scene_id for c in subs.cues} == {s.id for s in p.scenes}
    for scene in p.scenes:
        text = " ".join(c.text.replace("\n", " ") for c in subs.cues if c.scene_id == scene.id)
        assert "**" not in text and "🎨" not in text
        assert text.split() == [w.text for w in scene.voice.words]  # the script's own words
    _assert_inside_voice_spans(p, subs.cues)
    check_reading_rules(subs.cues, [w for c in subs.cues for w in c.words])
    srt = read_srt(root / "subtitles" / "subtitles.srt")
    assert [(c.text, c.start, c.end) for c in srt] == [(c.text, c.start, c.end) for c in subs.cues]
    assert out.timing == {s.id: "tts" for s in p.scenes} and out.agreement == {}
    assert not [r for r in ailog.read(root) if r.step == "subtitles"]  # no AI, no AI record


def test_make_subtitles_with_whisper_checks_and_times(voiced, whisper, tmp_path) -> None:
    p, root = _copy(voiced, tmp_path)
    # Scene 3 is a "recording": no word events, so Whisper's words must time it.
    rec = p.scenes[2]
    rec.voice = rec.voice.model_copy(update={"origin": "recorded", "words": []})
    out = make_subtitles(p, root, whisper, JobContext("subtitles"))
    subs = out.subtitles
    assert subs.source == "script+whisper"
    assert subs.engine == "transcribe.faster_whisper" and subs.model == "whisper-base"
    assert out.timing == {p.scenes[0].id: "tts", p.scenes[1].id: "tts", rec.id: "whisper"}
    assert set(out.agreement) == {s.id for s in p.scenes}
    assert all(0.0 <= a <= 1.0 for a in out.agreement.values())
    # Whisper base hears the robotic espeak voice only partly, and not identically from run to run
    # (one scene measured 0.58 alone and 0.25 inside the full suite): the wiring is what is checked.
    assert max(out.agreement.values()) > 0.3
    assert "pasaran" in " ".join(out.heard.values()).lower()
    rec_text = " ".join(c.text.replace("\n", " ") for c in subs.cues if c.scene_id == rec.id)
    assert rec_text == SCENES[2]  # Whisper timed it; the text is still the script
    _assert_inside_voice_spans(p, subs.cues)
    records = [r for r in ailog.read(root) if r.step == "subtitles"]
    assert len(records) == 1
    record = records[0]
    assert record.action == "transcribe" and record.actor == "ai"
    assert record.params["agreement"] == out.agreement and record.params["language"] == "id"
    assert "Whisper" in record.note and "naskah" in record.note
    assert record.outputs[0].path == "subtitles/subtitles.srt"


def test_make_subtitles_needs_voices(tmp_path) -> None:
    p = Project(scenes=[Scene(narration="Belum ada suara.")])
    create_project(tmp_path / "p", p)
    with pytest.raises(UsageError) as err:
        make_subtitles(p, tmp_path / "p", None, JobContext("subtitles"))
    assert "suara" in err.value.text("id")


def test_transcribe_file_gives_readable_cues(voiced, whisper) -> None:
    p, root = voiced
    audio = root / p.scenes[0].voice.path
    cues = transcribe_file(audio, "id", whisper, JobContext("transcribe"))
    assert cues and all(c.scene_id is None for c in cues)
    words = [w for c in cues for w in c.words]
    check_reading_rules(cues, words, strict=False)
    assert cues[-1].end <= p.scenes[0].voice.duration + LINGER + 1e-6


def test_a_recording_without_script_is_subtitled_with_what_whisper_heard(voiced, whisper,
                                                                         tmp_path) -> None:
    p, root = _copy(voiced, tmp_path)
    scene = p.scenes[0]
    scene.narration = ""
    scene.voice = scene.voice.model_copy(update={"origin": "recorded", "words": []})
    p.scenes = [scene]
    out = make_subtitles(p, root, whisper, JobContext("subtitles"))
    assert out.subtitles.source == "whisper" and out.timing == {scene.id: "heard"}
    assert out.agreement == {}  # no script to compare with
    text = " ".join(c.text.replace("\n", " ") for c in out.subtitles.cues)
    assert text.split() == out.heard[scene.id].split()
    _assert_inside_voice_spans(p, out.subtitles.cues)
    note = [r for r in ailog.read(root) if r.step == "subtitles"][-1].note
    assert "hasil dengar Whisper" in note


def test_numbers_are_spoken_in_words_but_shown_as_written(tmp_path) -> None:
    """The voice says "lima ribu rupiah"; the subtitle shows "Rp 5.000", timed on the words."""
    from studio.pipeline.subtitles.step import check_cues

    root = tmp_path / "p"
    text = ("Pada 17/10 KPU membagikan Rp 5.000 kepada warga. Juara ke-3 lomba abad ke-19 "
            "mendapat hadiah 50% lebih besar.")
    p = Project(brief=Brief(title="Angka", region="Solo", theme="weton", language="id"),
                scenes=[Scene(narration=text), Scene(narration="Acara dimulai pukul 07.30 WIB.")])
    p.subtitles.style = "karaoke"
    create_project(root, p)
    result = synthesize_voices(p, root, EspeakVoiceEngine(), JobContext("voice"))
    for scene in p.scenes:
        scene.voice = result[scene.id]
    out = make_subtitles(p, root, None, JobContext("subtitles"))
    shown = " ".join(c.text.replace("\n", " ") for c in out.subtitles.cues)
    assert shown == text + " Acara dimulai pukul 07.30 WIB."
    assert word_error_rate(text + " Acara dimulai pukul 07.30 WIB.", shown) == 0.0
    # Karaoke's reading rules: shorter lines than the lower-third style.
    assert all(len(line) <= 26 for c in out.subtitles.cues for line in c.text.split("\n") if len(c.words) > 1)
    p.subtitles = out.subtitles
    assert [x for x in check_cues(p) if x.hard] == []
    # "Rp 5.000" lasts as long as "lima ribu rupiah" takes to say, not as long as "Rp".
    words = {w.text: w for w in p.scenes[0].voice.words}
    assert words["5.000"].end - words["Rp"].start > 2.5 * (words["Pada"].end - words["Pada"].start)
    edited = [c.model_copy(update={"end": c.end + 30.0, "scene_id": None}) for c in p.subtitles.cues[:1]]
    assert any(x.rule in ("scene_cut", "long") for x in check_cues(p, edited))


def test_recognised_numbers_align_as_written_or_as_spoken() -> None:
    from studio.pipeline.subtitles.align import agreement, align_recognised

    script = "Harga kopi Rp 5.000 sejak 2020."
    said = [WordTiming(text=t, start=i * 0.5, end=i * 0.5 + 0.4) for i, t in enumerate(
        "harga kopi lima ribu rupiah sejak dua ribu dua puluh".split())]
    out = align_recognised(script, said, duration=6.0)
    assert [w.text for w in out] == script.split()
    assert out[2].start == 1.0 and out[3].end == pytest.approx(2.4)  # "Rp 5.000" = "lima ribu rupiah"
    assert out[5].start == 3.0 and out[5].end == pytest.approx(4.9)  # "2020." = "dua ribu dua puluh"
    written = [WordTiming(text=t, start=i * 0.5, end=i * 0.5 + 0.4) for i, t in enumerate(
        "Harga kopi Rp5.000 sejak 2020.".split())]
    out = align_recognised(script, written, duration=3.0)
    assert [w.text for w in out] == script.split() and out[4].start == 1.5
    assert agreement(script, "harga kopi lima ribu rupiah sejak dua ribu dua puluh") == 1.0
    assert agreement(script, "Harga kopi Rp 5.000 sejak 2020.") == 1.0
