"""Editing subtitle cues: split, merge, shift, retime, find-and-replace, re-flow.

Pure functions over a list of ``Cue``: each returns a new list (the input is never
changed) that keeps the cues in time order without overlaps, or raises a
``StudioError`` saying why the edit cannot be made. The subtitle page calls them and
puts the result into the project; the word timings inside a cue follow the edit, so
word-highlight styles keep working.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from studio.core.errors import StudioError, UsageError
from studio.core.project import Cue, WordTiming
from studio.pipeline.subtitles.rules import LINGER, ReadingRules, chunk_words, layout_lines

MIN_CUE = 0.2
"""Shortest cue an edit may leave (seconds); shorter ones could not be read at all."""


def _ms(t: float) -> float:
    return round(max(0.0, float(t)), 3)


def _check_index(cues: Sequence[Cue], index: int, need_next: bool = False) -> None:
    last = len(cues) - (2 if need_next else 1)
    if not 0 <= index <= last:
        raise UsageError(f"There is no cue {index + 1}{' with a cue after it' if need_next else ''}.",
                         f"Tidak ada subtitle ke-{index + 1}{' yang diikuti subtitle lain' if need_next else ''}.")


def _layout(tokens: Sequence[str], rules: ReadingRules) -> str:
    laid = layout_lines(list(tokens), max_chars=rules.max_chars, max_lines=rules.max_lines)
    return "\n".join(laid[0]) if laid else " ".join(tokens)


def _copy(cue: Cue, **update: object) -> Cue:
    data = cue.model_dump()
    data.update(update)
    return Cue.model_validate(data)


# ---------------------------------------------------------------- split and merge


def split_cue(cues: Sequence[Cue], index: int, at: int | None = None, *,
              rules: ReadingRules | None = None) -> list[Cue]:
    """Split cue ``index`` into two before its word ``at`` (default: the best break nearest the middle).

    With word timings, each half takes its words' times (the first ends at most ``LINGER``
    after its last word and never after the second starts); without them, the time is
    shared in proportion to the characters.
    """
    _check_index(cues, index)
    rules = rules or ReadingRules()
    cue = cues[index]
    tokens = cue.text.split()
    if len(tokens) < 2:
        raise StudioError("A cue with one word cannot be split.", "Subtitle berisi satu kata tidak bisa dipisah.")
    if at is None:
        at = _best_split(tokens)
    if not 0 < at < len(tokens):
        raise UsageError(f"Choose a word between 2 and {len(tokens)} to split before.",
                         f"Pilih kata ke-2 sampai ke-{len(tokens)} sebagai awal bagian kedua.")
    words = list(cue.words) if len(cue.words) == len(tokens) else []
    if words:
        mid = words[at].start
        first_end = min(words[at - 1].end + LINGER, mid)
        second_start = max(mid, cue.start)
    else:
        share = len(" ".join(tokens[:at])) / max(1, len(" ".join(tokens)))
        mid = cue.start + (cue.end - cue.start) * share
        first_end, second_start = mid, mid
    first_end = max(first_end, cue.start + min(MIN_CUE, (cue.end - cue.start) / 2))
    second_start = max(second_start, first_end)
    if cue.end - second_start < min(MIN_CUE, (cue.end - cue.start) / 2) - 1e-6:
        raise StudioError("The second part would be too short to read; split at an earlier word.",
                          "Bagian kedua akan terlalu singkat untuk dibaca; pisahkan di kata yang lebih awal.")
    a = _copy(cue, end=_ms(first_end), text=_layout(tokens[:at], rules), words=words[:at])
    b = _copy(cue, start=_ms(second_start), text=_layout(tokens[at:], rules), words=words[at:])
    return [*cues[:index], a, b, *cues[index + 1:]]


def _best_split(tokens: Sequence[str]) -> int:
    """The word to split before: after punctuation nearest the middle, else the middle."""
    middle = len(" ".join(tokens)) / 2
    best, best_cost = len(tokens) // 2, float("inf")
    pos = 0
    for k in range(1, len(tokens)):
        pos += len(tokens[k - 1]) + 1
        cost = abs(pos - middle) / max(1.0, middle)
        if re.search(r"[.!?…,;:]$", tokens[k - 1]):
            cost -= 0.5
        if cost < best_cost:
            best, best_cost = k, cost
    return best


def merge_cues(cues: Sequence[Cue], index: int, *, rules: ReadingRules | None = None) -> list[Cue]:
    """Merge cue ``index`` with the next one (not across a scene cut)."""
    _check_index(cues, index, need_next=True)
    a, b = cues[index], cues[index + 1]
    if a.scene_id and b.scene_id and a.scene_id != b.scene_id:
        raise StudioError("These cues belong to two scenes; a cue never runs across a scene cut.",
                          "Kedua subtitle ini milik dua adegan; satu subtitle tidak boleh melewati pergantian "
                          "adegan.")
    tokens = a.text.split() + b.text.split()
    words = list(a.words) + list(b.words) if len(a.words) == len(a.text.split()) and \
        len(b.words) == len(b.text.split()) else []
    merged = _copy(a, end=_ms(max(a.end, b.end)), text=_layout(tokens, rules or ReadingRules()), words=words,
                   scene_id=a.scene_id or b.scene_id)
    return [*cues[:index], merged, *cues[index + 2:]]


# ---------------------------------------------------------------- timing


def _shift_words(words: Sequence[WordTiming], delta: float) -> list[WordTiming]:
    return [WordTiming(text=w.text, start=_ms(w.start + delta), end=_ms(w.end + delta)) for w in words]


def shift_cues(cues: Sequence[Cue], delta: float, indices: Sequence[int] | None = None) -> list[Cue]:
    """Move cues by ``delta`` seconds (all of them, or ``indices``).

    Moving every cue fixes a subtitle file that is early or late as a whole; moving some
    must not push them over their neighbours.
    """
    chosen = set(range(len(cues))) if indices is None else set(indices)
    for i in chosen:
        _check_index(cues, i)
    out = list(cues)
    for i in sorted(chosen):
        cue = cues[i]
        if cue.start + delta < -1e-9:
            raise StudioError("Cues cannot start before the video does; shift by less.",
                              "Subtitle tidak bisa mulai sebelum video; geser lebih sedikit.")
        out[i] = _copy(cue, start=_ms(cue.start + delta), end=_ms(cue.end + delta),
                       words=_shift_words(cue.words, delta))
    _check_order(out)
    return out


def retime_cue(cues: Sequence[Cue], index: int, start: float | None = None, end: float | None = None) -> list[Cue]:
    """Give cue ``index`` a new start and/or end; its words are stretched into the new span."""
    _check_index(cues, index)
    cue = cues[index]
    new_start = cue.start if start is None else _ms(start)
    new_end = cue.end if end is None else _ms(end)
    if new_end - new_start < MIN_CUE - 1e-9:
        raise StudioError("A cue must end after it starts (and last at least 0.2 s).",
                          "Subtitle harus selesai sesudah mulai (dan tampil paling singkat 0,2 detik).")
    old = max(cue.end - cue.start, 1e-6)
    scale = (new_end - new_start) / old
    words = [WordTiming(text=w.text, start=_ms(new_start + (w.start - cue.start) * scale),
                        end=_ms(min(new_end, new_start + (w.end - cue.start) * scale))) for w in cue.words]
    out = [*cues[:index], _copy(cue, start=new_start, end=new_end, words=words), *cues[index + 1:]]
    _check_order(out)
    return out


def _check_order(cues: Sequence[Cue]) -> None:
    for i in range(len(cues) - 1):
        if cues[i + 1].start < cues[i].end - 1e-6:
            raise StudioError(
                f"Cue {i + 1} would overlap cue {i + 2}; move it less or shorten it first.",
                f"Subtitle {i + 1} akan bertumpuk dengan subtitle {i + 2}; geser lebih sedikit atau "
                "pendekkan dulu.")


# ---------------------------------------------------------------- text


def find_replace(cues: Sequence[Cue], find: str, replace: str, *, whole_word: bool = True,
                 case_sensitive: bool = False) -> tuple[list[Cue], int]:
    """Replace ``find`` with ``replace`` in every cue; returns (new cues, replacements made).

    Line breaks stay where they were. A cue whose word count changes loses its word
    timings (a highlight style then highlights nothing in it rather than the wrong word).
    """
    if not find:
        raise UsageError("Write the text to find.", "Tulis teks yang dicari.")
    pattern = re.escape(find)
    if whole_word:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    regex = re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)
    total = 0
    out: list[Cue] = []
    for cue in cues:
        text, n = regex.subn(lambda _m: replace, cue.text)
        if not n:
            out.append(cue)
            continue
        total += n
        text = "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())
        tokens = text.split()
        words: list[WordTiming] = []
        if len(cue.words) == len(tokens):
            words = [WordTiming(text=t, start=w.start, end=w.end) for t, w in zip(tokens, cue.words)]
        if not tokens:
            raise StudioError("A replacement would leave a cue empty; delete the cue instead.",
                              "Penggantian akan mengosongkan subtitle; hapus subtitlenya saja.")
        out.append(_copy(cue, text=text, words=words))
    return out, total


def reflow(cues: Sequence[Cue], rules: ReadingRules) -> list[Cue]:
    """Cue the same words again under other reading rules (after a caption style change).

    Works scene by scene on cues that carry word timings; cues without them are kept.
    """
    out: list[Cue] = []
    i = 0
    while i < len(cues):
        cue = cues[i]
        if len(cue.words) != len(cue.text.split()) or not cue.words:
            out.append(cue)
            i += 1
            continue
        j = i
        words: list[WordTiming] = []
        while j < len(cues) and cues[j].scene_id == cue.scene_id and cues[j].words and \
                len(cues[j].words) == len(cues[j].text.split()):
            words += list(cues[j].words)
            j += 1
        limit = cues[j - 1].end if j >= len(cues) else min(cues[j].start, max(c.end for c in cues[i:j]) + LINGER)
        out += chunk_words(words, scene_id=cue.scene_id, end_limit=limit, rules=rules)
        i = j
    return out
