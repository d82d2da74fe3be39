"""Putting the script's own words on recognised timings, and measuring recognition.

Owns ``align_to_script`` (the script's words, timed by what a recogniser or a TTS engine
reported: matched words take its times, misheard runs share the time of what was heard,
missed words fill the gaps), ``script_words`` (the script's words exactly as subtitles
show them) and ``word_error_rate``.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from studio.core.project import WordTiming
from studio.engines.support.text_id import speakable_text, split_words
from studio.pipeline.subtitles.rules import _clean_words, _norm

# ---------------------------------------------------------------- alignment


def script_words(script_text: str) -> list[str]:
    """The script's words as spoken and shown (Markdown and emoji removed)."""
    return [tok for _, _, tok in split_words(speakable_text(script_text))]


def _spread(tokens: Sequence[str], t0: float, t1: float) -> list[WordTiming]:
    """Place ``tokens`` over [t0, t1] in proportion to their length."""
    weights = [max(1, len(_norm(t)) or len(t)) for t in tokens]
    total = float(sum(weights))
    out: list[WordTiming] = []
    t = t0
    for tok, w in zip(tokens, weights):
        end = t + (t1 - t0) * w / total
        out.append(WordTiming(text=tok, start=round(t, 3), end=round(end, 3)))
        t = end
    return out


def _align_letters(script: Sequence[str], heard: Sequence[WordTiming]) -> list[tuple[float, float]]:
    """Times for normalised ``script`` words from ``heard`` words by letter alignment.

    Each heard letter gets a time (its word's span shared evenly by its letters); matched
    letters map script positions to times, and positions between matches are interpolated.
    """
    import numpy as np

    h_norm = [_norm(w.text) for w in heard]
    h_times: list[float] = []
    for w, text in zip(heard, h_norm):
        n = max(1, len(text))
        h_times += [w.start + (w.end - w.start) * c / n for c in range(len(text))]
    s_text = "".join(script)
    offsets = [0]
    for word in script:
        offsets.append(offsets[-1] + len(word))
    xs, ys = [0.0], [heard[0].start]
    matcher = difflib.SequenceMatcher(None, s_text, "".join(h_norm), autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for t in range(size):
            xs.append(float(a + t))
            ys.append(h_times[b + t])
    xs.append(float(len(s_text)))
    ys.append(heard[-1].end)
    ys = list(np.maximum.accumulate(ys))  # never run backwards in time
    at = [float(np.interp(x, xs, ys)) for x in offsets]
    return [(at[k], max(at[k + 1], at[k])) for k in range(len(script))]


def align_to_script(script_text: str, recognized: list[WordTiming], *,
                    duration: float | None = None) -> list[WordTiming]:
    """The script's words, timed by the recognised words.

    Words are matched on a normalised form (case, accents and punctuation ignored) with
    a sequence alignment. Matched words take the recognised times; a run of script words
    the recogniser heard differently shares the time of what it heard instead; script
    words it missed are placed in the gap around them (borrowing half of each
    neighbour when the gap is too short). Text always comes from the script.

    ``duration`` (the audio length) lets a script be spread over the audio when nothing
    was recognised; without it an empty list is returned then.
    """
    tokens = script_words(script_text)
    heard = [w for w in _clean_words(recognized) if _norm(w.text)]
    if not tokens:
        return []
    if not heard:
        if duration is None or duration <= 0:
            return []
        return _spread(tokens, 0.0, float(duration))
    a = [_norm(t) for t in tokens]
    b = [_norm(w.text) for w in heard]
    times: list[tuple[float, float] | None] = [None] * len(tokens)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                times[i1 + k] = (heard[j1 + k].start, heard[j1 + k].end)
        elif op == "replace":
            # Split or merged words ("wetong-dukmenentukan" for "weton untuk menentukan"):
            # align letters, not words, and read each script word's time off that.
            for k, span in enumerate(_align_letters(a[i1:i2], heard[j1:j2])):
                times[i1 + k] = span
        # "delete": script words not heard, placed below; "insert": extra heard words dropped.
    k = 0
    end_of_audio = max(heard[-1].end, duration or 0.0)
    while k < len(tokens):
        if times[k] is not None:
            k += 1
            continue
        m = k
        while m < len(tokens) and times[m] is None:
            m += 1
        left = times[k - 1] if k > 0 else None
        right = times[m] if m < len(tokens) else None
        t0 = left[1] if left else (0.0 if right is None else max(0.0, min(right[0], heard[0].start)))
        t1 = right[0] if right else end_of_audio
        need = 0.12 * (m - k)
        if t1 - t0 < need:
            # The recogniser folded these words into a neighbour: share its time.
            if left is not None:
                t0 = left[0] + (left[1] - left[0]) / 2
                times[k - 1] = (left[0], t0)
            if right is not None:
                t1 = right[0] + (right[1] - right[0]) / 2
                times[m] = (t1, right[1])
            t1 = max(t1, t0)
        for off, w in enumerate(_spread(tokens[k:m], t0, t1)):
            times[k + off] = (w.start, w.end)
        k = m
    out: list[WordTiming] = []
    prev = 0.0
    for tok, span in zip(tokens, times):
        assert span is not None
        start = max(span[0], prev)
        end = max(span[1], start)
        out.append(WordTiming(text=tok, start=round(start, 3), end=round(end, 3)))
        prev = start
    return out


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level edit distance over the reference length, on normalised words."""
    ref = [w for w in (_norm(t) for t in reference.split()) if w]
    hyp = [w for w in (_norm(t) for t in hypothesis.split()) if w]
    if not ref:
        return 0.0 if not hyp else 1.0
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i] + [0] * len(hyp)
        for j, h in enumerate(hyp, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h))
        prev = cur
    return prev[-1] / len(ref)




def _matches(reference: Sequence[str], heard: Sequence[WordTiming]) -> int:
    a = [_norm(t) for t in reference]
    b = [_norm(w.text) for w in heard]
    return sum(size for _, _, size in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks())


def align_recognised(script_text: str, recognized: list[WordTiming], *, language: str = "id",
                     duration: float | None = None) -> list[WordTiming]:
    """The script's written words timed by a recogniser that may have written numbers,
    money or acronyms either as the script does ("Rp 5.000") or as they are said
    ("lima ribu rupiah").

    The recognised words are aligned to both the written and the spoken form
    (``engines.support.text_id.normalize``); the form they match better wins, and spoken-form
    timings are mapped back onto the written words.
    """
    from studio.engines.support.text_id import normalize

    written = align_to_script(script_text, recognized, duration=duration)
    speech = normalize(script_text, language)
    if not speech.changed or not written:
        return written
    heard = [w for w in _clean_words(recognized) if _norm(w.text)]
    spoken_tokens = split_words(speech.spoken)
    if _matches([t for _, _, t in spoken_tokens], heard) <= _matches(list(speech.written), heard):
        return written
    timed = align_to_script(speech.spoken, recognized, duration=duration)
    if len(timed) != len(spoken_tokens):
        return written
    return speech.written_timings([(pos, w) for (pos, _, _), w in zip(spoken_tokens, timed)])


def agreement(script_text: str, heard_text: str, language: str = "id") -> float:
    """1 − WER of what was heard against the script, read either as written or as spoken."""
    from studio.engines.support.text_id import normalize

    written = " ".join(script_words(script_text))
    wer = word_error_rate(written, heard_text)
    spoken = normalize(script_text, language).spoken
    if spoken != written:
        wer = min(wer, word_error_rate(spoken, heard_text))
    return max(0.0, 1.0 - wer)
