"""Cue editing (split, merge, shift, retime, find-and-replace, re-flow), reading-rule checks,
per-style rules, and SRT/WebVTT round trips through the maintained parsers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.core.errors import StudioError, UsageError
from studio.core.project import Cue, WordTiming
from studio.pipeline.subtitles.edit import find_replace, merge_cues, reflow, retime_cue, shift_cues, split_cue
from studio.pipeline.subtitles.files import parse_srt, parse_vtt, srt_text, vtt_text
from studio.pipeline.subtitles.rules import (
    LINGER,
    ReadingRules,
    chunk_words,
    reading_problems,
    rules_for_style,
)

TEXT = ("Weton adalah tradisi Jawa yang menghitung hari kelahiran seseorang berdasarkan gabungan hari "
        "dalam seminggu dan hari pasaran. Ada lima hari pasaran, yaitu Legi, Pahing, Pon, Wage, dan Kliwon.")


def timed(text: str, start: float = 0.0) -> list[WordTiming]:
    out, t = [], start
    for tok in text.split():
        d = 0.08 + 0.065 * len(tok)
        out.append(WordTiming(text=tok, start=round(t, 3), end=round(t + d, 3)))
        t += d + (0.45 if tok[-1] in ".!?" else 0.15 if tok[-1] in ",;:" else 0.0)
    return out


@pytest.fixture
def cues() -> list[Cue]:
    return chunk_words(timed(TEXT, 3.0), scene_id="sc-a", end_limit=40.0)


def _valid(cues: list[Cue]) -> None:
    for a, b in zip(cues, cues[1:]):
        assert a.end <= b.start + 1e-9
    for c in cues:
        assert c.end > c.start
        if c.words:
            assert [w.text for w in c.words] == c.text.split()
            assert c.start <= c.words[0].start + 1e-6


def test_split_uses_word_timings_and_keeps_order(cues) -> None:
    before = [w.text for c in cues for w in c.words]
    cue = cues[0]
    out = split_cue(cues, 0, 2)
    assert len(out) == len(cues) + 1
    a, b = out[0], out[1]
    assert a.text.split() == cue.text.split()[:2] and b.text.split() == cue.text.split()[2:]
    assert b.start == pytest.approx(cue.words[2].start, abs=1e-3)
    assert a.end <= cue.words[1].end + LINGER + 1e-6 and a.end <= b.start
    assert b.end == cue.end and a.start == cue.start
    assert [w.text for c in out for w in c.words] == before
    _valid(out)
    assert cues[0] is cue and len(cues) == len(out) - 1  # the input list is untouched
    # Default split point: a break near the middle, after punctuation when there is one.
    mid = split_cue([Cue(start=0, end=4, text="Ada lima hari, yaitu Legi dan Pahing")], 0)
    assert mid[0].text == "Ada lima hari," and mid[1].text == "yaitu Legi dan Pahing"
    assert mid[0].end == pytest.approx(4 * len("Ada lima hari,") / len("Ada lima hari, yaitu Legi dan Pahing"),
                                       abs=1e-3)
    with pytest.raises(StudioError):
        split_cue([Cue(start=0, end=1, text="Satu")], 0)
    with pytest.raises(UsageError):
        split_cue(cues, 99)


def test_merge_joins_within_a_scene_only(cues) -> None:
    out = merge_cues(cues, 0)
    assert len(out) == len(cues) - 1
    assert out[0].text.split() == cues[0].text.split() + cues[1].text.split()
    assert out[0].start == cues[0].start and out[0].end == cues[1].end
    assert [w.text for w in out[0].words] == out[0].text.split()
    _valid(out)
    # Laid out again as balanced lines when the words fit; flagged by the checker when not.
    short = [Cue(start=0, end=2, text="Ada lima hari pasaran dalam seminggu,", scene_id="a"),
             Cue(start=2, end=4, text="yaitu Legi, Pahing, Pon,\nWage, dan Kliwon.", scene_id="a")]
    lines = merge_cues(short, 0)[0].text.split("\n")
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines)
    assert lines[0] == "Ada lima hari pasaran dalam seminggu,"
    if any(len(line) > 42 for line in out[0].text.split("\n")):
        assert any(p.rule in ("chars", "lines") for p in reading_problems(out[:1]))
    other = [cues[0], cues[1].model_copy(update={"scene_id": "sc-b"})]
    with pytest.raises(StudioError) as err:
        merge_cues(other, 0)
    assert "adegan" in err.value.text("id")


def test_shift_all_or_some_and_refuse_overlaps(cues) -> None:
    out = shift_cues(cues, 0.5)
    assert [c.start for c in out] == [pytest.approx(c.start + 0.5) for c in cues]
    assert out[0].words[0].start == pytest.approx(cues[0].words[0].start + 0.5)
    with pytest.raises(StudioError):
        shift_cues(cues, -10.0)  # before the video starts
    with pytest.raises(StudioError):
        shift_cues(cues, 5.0, indices=[0])  # onto the next cue
    gap = cues[1].start - cues[0].end
    out = shift_cues(cues, gap, indices=[0])
    assert out[0].end == pytest.approx(cues[1].start)


def test_retime_stretches_words(cues) -> None:
    c = cues[0]
    out = retime_cue(cues, 0, start=c.start - 0.5)
    assert out[0].start == pytest.approx(c.start - 0.5) and out[0].end == c.end
    assert out[0].words[0].start == pytest.approx(c.start - 0.5, abs=1e-3)
    assert all(out[0].start <= w.start <= w.end <= out[0].end + 1e-6 for w in out[0].words)
    with pytest.raises(StudioError):
        retime_cue(cues, 0, end=cues[1].end)  # over the next cue
    with pytest.raises(StudioError):
        retime_cue(cues, 0, end=c.start)  # ends before it starts


def test_find_and_replace(cues) -> None:
    out, n = find_replace(cues, "weton", "Weton")
    assert n == 1 and out[0].text.startswith("Weton")
    out, n = find_replace(cues, "hari", "hari-hari")
    assert n == 4 and sum(c.text.split().count("hari-hari") for c in out) == 4
    kept = [c for c in out if "hari-hari" in c.text]
    assert all(len(c.words) == len(c.text.split()) for c in kept)  # one word for one: timings kept
    out, n = find_replace(cues, "Pon", "Pon (hari ketiga)")
    changed = next(c for c in out if "ketiga" in c.text)
    assert changed.words == []  # word count changed: no wrong highlight
    out, n = find_replace(cues, "ari", "X")
    assert n == 0  # whole words only by default
    out, n = find_replace(cues, "ari", "X", whole_word=False)
    assert n > 0
    with pytest.raises(UsageError):
        find_replace(cues, "", "x")


def test_reflow_for_a_narrower_style(cues) -> None:
    narrow = rules_for_style("karaoke")
    out = reflow(cues, narrow)
    assert [w.text for c in out for w in c.words] == [w.text for c in cues for w in c.words]
    hard = [p for p in reading_problems(out, narrow) if p.hard]
    assert hard == []
    assert any(len(line) > narrow.max_chars for c in cues for line in c.text.split("\n"))
    assert all(len(line) <= narrow.max_chars for c in out for line in c.text.split("\n"))


def test_reading_problems_name_each_rule() -> None:
    bad = [
        Cue(start=0.0, end=0.4, text="Sangat singkat sekali dan terlalu cepat dibaca orang"),
        Cue(start=0.3, end=9.0, text="satu\ndua tiga\nempat lima"),
        Cue(start=9.0, end=10.5, text="Baris pertama yang sangat panjang sekali melebihi batas\nkata", scene_id="a"),
        Cue(start=11.0, end=13.0, text="melewati potongan adegan"),
    ]
    problems = reading_problems(bad, ReadingRules(), cuts=[12.0], scene_limits={"a": (9.0, 10.0)})
    found = {(p.cue, p.rule) for p in problems}
    assert {(0, "short"), (0, "cps"), (0, "overlap"), (1, "lines"), (1, "long"), (1, "orphan"),
            (2, "chars"), (2, "scene_cut"), (2, "orphan"), (3, "scene_cut")} <= found
    assert all(p.text("id").startswith("Subtitle ") for p in problems)
    assert {p.rule for p in problems if p.hard} >= {"lines", "long", "chars", "scene_cut", "overlap"}


def test_style_rules_are_configured_and_used() -> None:
    assert rules_for_style("lower_third").max_chars == 42
    assert rules_for_style("karaoke").max_chars < 30
    assert rules_for_style("unknown") == ReadingRules()
    words = timed(TEXT)
    for style in ("lower_third", "karaoke"):
        rules = rules_for_style(style)
        out = chunk_words(words, rules=rules)
        assert all(len(line) <= rules.max_chars for c in out for line in c.text.split("\n") if len(c.words) > 1)
        assert not [p for p in reading_problems(out, rules) if p.hard]


def test_style_lines_fit_the_rendered_caption(monkeypatch) -> None:
    # Each style's rules keep a cue within two lines of that style's letters on a
    # 1080×1920 frame, at no less than the smallest size the renderer shrinks to.
    from studio.pipeline.render import text as render_text

    drawn: list[int] = []
    real = render_text.fit_text

    def two_lines(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        font, lines = real(*args, **{**kwargs, "max_lines": 2})
        drawn.append(len(lines))
        return font, lines

    monkeypatch.setattr(render_text, "fit_text", two_lines)
    words = timed(TEXT + " " + TEXT)

    def widest(style: str, rules: ReadingRules) -> int:
        painter = render_text.CaptionPainter((1080, 1920), style)
        drawn.clear()
        for i, cue in enumerate(chunk_words(words, rules=rules)):
            assert painter.layer(i, cue, cue.start) is not None
        return max(drawn)

    assert widest("lower_third", rules_for_style("lower_third")) <= 2
    assert widest("karaoke", rules_for_style("karaoke")) <= 2
    assert widest("karaoke", rules_for_style("lower_third")) > 2  # why karaoke needs its own rules


# ---------------------------------------------------------------- files

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\x85\u2028\u2029"),
                min_size=1, max_size=30).map(lambda s: " ".join(s.split())).filter(lambda s: s and "-->" not in s)


@st.composite
def cue_lists(draw) -> list[Cue]:
    n = draw(st.integers(1, 6))
    t = 0.0
    out = []
    for _ in range(n):
        t += draw(st.integers(0, 3000)) / 1000
        d = draw(st.integers(1, 7000)) / 1000
        lines = draw(st.lists(_text, min_size=1, max_size=2))
        out.append(Cue(start=round(t, 3), end=round(t + d, 3), text="\n".join(lines)))
        t += d
    return out


@settings(max_examples=60, deadline=None)
@given(cue_lists())
def test_srt_and_vtt_round_trip_any_cues(cues) -> None:
    for text, parse in ((srt_text(cues), parse_srt), (vtt_text(cues), parse_vtt)):
        back = parse(text)
        assert [(c.start, c.end, c.text) for c in back] == [(c.start, c.end, c.text) for c in cues]


def test_vtt_written_here_is_read_by_webvtt_py() -> None:
    import webvtt

    cues = [Cue(start=0.5, end=2.25, text="Café & <rendang>\nbaris dua"), Cue(start=3661.001, end=3662.5, text="x")]
    parsed = list(webvtt.from_string(vtt_text(cues)))
    assert [(c.start, c.end) for c in parsed] == [("00:00:00.500", "00:00:02.250"), ("01:01:01.001", "01:01:02.500")]
