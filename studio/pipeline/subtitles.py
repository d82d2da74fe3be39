"""Step 5, Subtitle: timed words → readable cues on the video timeline.

Owns the reading rules (``chunk_words``: at most two balanced lines of ~42 characters,
1–7 s a cue, breaks at sentence and phrase boundaries, no one-word orphans, no
overlaps), putting the script's own words on recognised timings (``align_to_script``),
and the step itself (``make_subtitles``): cue text is always the creator's script,
timed by the TTS engine's word events when it has them, else by Whisper's words;
Whisper, when given, also checks each scene's narration against the script.

Nothing here mutates the project passed in; the caller applies the outcome.
"""

from __future__ import annotations

import bisect
import difflib
import itertools
import logging
import math
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studio.core.errors import MediaError, UsageError
from studio.core.jobs import JobContext
from studio.core.project import Cue, Project, Scene, Subtitles, WordTiming
from studio.core.status import subtitles_inputs_hash
from studio.core.storage import resolve_in
from studio.core.timeline import build_timeline
from studio.engines.base import TranscribeRequest, Transcript
from studio.engines.voice_espeak import speakable_text, split_words
from studio.pipeline.provenance import log_result
from studio.pipeline.subtitle_io import write_srt

log = logging.getLogger(__name__)

SRT_PATH = "subtitles/subtitles.srt"
LINGER = 0.3
_SHORT_CHARS = 24
"""Seconds a cue may stay after its last word (reading time), never into the next cue."""

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*$")
_CLAUSE_END = re.compile(r"[,;:—–-]+[\"'”’»)\]]*$")
# Words a phrase often starts with: a break just before them reads naturally.
_PHRASE_START = frozenset("""
dan atau tetapi tapi namun yang karena sebab untuk dengan agar supaya sehingga ketika saat
jika kalau bila bahwa serta lalu kemudian hingga sampai di ke dari pada yaitu yakni seperti
bagi oleh dalam sejak meski meskipun walau walaupun sedangkan sambil setelah sebelum tanpa
antara juga maupun berdasarkan tentang sebagai menurut terhadap melalui kepada daripada
and or but that which who because so to with for of in on at when while after before
""".split())


def _norm(token: str) -> str:
    """Comparable form of a word: no case, no accents, letters and digits only."""
    text = unicodedata.normalize("NFKD", token.casefold())
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch))


def _ends_sentence(token: str) -> bool:
    return bool(_SENTENCE_END.search(token))


def _ends_clause(token: str) -> bool:
    return bool(_CLAUSE_END.search(token))


def _break_cost(words: Sequence[WordTiming], k: int, stops: Sequence[bool]) -> float:
    """Cost of ending a cue or line after ``words[k]`` (lower is a better place);
    ``stops[k]`` says whether a sentence ends there."""
    if k >= len(words) - 1:
        return 0.0
    cur, nxt = words[k].text, words[k + 1].text
    if stops[k]:
        cost = 0.0
    elif _ends_clause(cur):
        cost = 1.0
    elif _norm(nxt) in _PHRASE_START:
        cost = 2.5
    else:
        cost = 5.0
    if _norm(cur) in _PHRASE_START:
        cost += 2.0  # a line or cue should not end on "dan", "yang", "di"...
    gap = words[k + 1].start - words[k].end
    if gap > 0.25:
        cost = max(0.0, cost - 1.5)  # the speaker paused here
    return cost


# ---------------------------------------------------------------- line layout


def layout_lines(tokens: Sequence[str], *, max_chars: int = 42, max_lines: int = 2,
                 break_costs: Sequence[float] | None = None) -> tuple[list[str], float] | None:
    """Split ``tokens`` into the fewest lines of at most ``max_chars`` (up to ``max_lines``).

    Among the splits with that many lines, prefer balanced lengths, breaks at phrase
    boundaries (``break_costs[k]`` = cost of a break after token k) and a bottom line
    no shorter than the top. A one-word line is only allowed when every line has one
    word. Returns (lines, cost) or None when the tokens cannot fit.
    """
    n = len(tokens)
    if n == 0:
        return [], 0.0
    one = " ".join(tokens)
    if len(one) <= max_chars:
        return [one], 0.0
    if n == 1:
        return None
    costs = list(break_costs) if break_costs is not None else [0.0] * n
    for count in range(2, max_lines + 1):
        if count > n:
            break
        best: tuple[list[str], float] | None = None
        for cuts in itertools.combinations(range(1, n), count - 1):
            bounds = (0, *cuts, n)
            groups = [tokens[a:b] for a, b in zip(bounds, bounds[1:])]
            if n > count and any(len(g) == 1 for g in groups):
                continue
            lines = [" ".join(g) for g in groups]
            lengths = [len(s) for s in lines]
            if max(lengths) > max_chars:
                continue
            spread = (max(lengths) - min(lengths)) / max_chars
            cost = 4.0 * spread + sum(costs[c - 1] for c in cuts) * 0.6
            if lengths[0] > lengths[-1]:
                cost += 0.3  # a pyramid (short top line) reads more easily
            if best is None or cost < best[1]:
                best = (lines, cost)
        if best is not None:
            return best
    return None


# ---------------------------------------------------------------- chunking


def _clean_words(words: Sequence[WordTiming]) -> list[WordTiming]:
    """Monotonic, non-empty words (recognisers occasionally return a step backwards)."""
    out: list[WordTiming] = []
    prev = 0.0
    for w in words:
        text = " ".join(w.text.split())
        if not text:
            continue
        start = max(float(w.start), prev if out else float(w.start))
        end = max(float(w.end), start)
        out.append(WordTiming(text=text, start=start, end=end))
        prev = start
    return out


def chunk_words(words: list[WordTiming], *, max_chars: int = 42, max_lines: int = 2,
                min_dur: float = 1.0, max_dur: float = 7.0, max_cps: float = 20.0,
                scene_id: str | None = None, end_limit: float | None = None,
                prefer_breaks: Collection[int] = ()) -> list[Cue]:
    """Group timed words (already on the video timeline) into subtitle cues.

    A dynamic programme picks the cue boundaries that minimise a reading cost: cues
    break preferably at sentence ends, then at commas and phrase starts; each cue fits
    ``max_lines`` lines of ``max_chars`` (balanced, no one-word orphan line) and spans
    at most ``max_dur`` seconds; one-word cues, cues shorter than ``min_dur`` and cues
    faster than ``max_cps`` characters a second are penalised. A cue starts at its first
    word and ends at most ``LINGER`` s after its last word, never after the next cue's
    start or ``end_limit`` (a scene cut). ``prefer_breaks`` are indices of words after
    which a break is as good as after a full stop (Whisper's segment ends, which often
    lack punctuation).
    """
    cleaned = _clean_words(words)
    if len(cleaned) != len(words):
        prefer_breaks = ()  # indices no longer line up once empty words are dropped
    words = cleaned
    n = len(words)
    if n == 0:
        return []
    preferred = set(prefer_breaks)
    stops = [_ends_sentence(w.text) or k in preferred for k, w in enumerate(words)]
    breaks = [_break_cost(words, k, stops) for k in range(n)]
    limit_chars = max_chars * max_lines
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    layouts: dict[tuple[int, int], list[str]] = {}
    for j in range(1, n + 1):
        chars = -1
        for i in range(j - 1, -1, -1):
            # Walking the cue's first word backwards only makes it longer: stop early.
            chars += len(words[i].text) + 1
            if i < j - 1 and (chars > limit_chars or words[j - 1].end - words[i].start > max_dur):
                break
            if best[i] == float("inf"):
                continue
            cost = _cue_cost(words, i, j, breaks, stops, layouts, max_chars, max_lines,
                             min_dur, max_dur, max_cps)
            if cost is None:
                continue
            total = best[i] + cost + (breaks[j - 1] if j < n else 0.0)
            if total < best[j]:
                best[j], back[j] = total, i
    if best[n] == float("inf"):
        # Should not happen (a single word is always a valid cue); keep every word visible.
        bounds = list(range(n + 1))
    else:
        bounds = [n]
        while bounds[-1] > 0:
            bounds.append(back[bounds[-1]])
        bounds.reverse()
    cues: list[Cue] = []
    spans = list(zip(bounds, bounds[1:]))
    for idx, (i, j) in enumerate(spans):
        start = words[i].start
        last_end = words[j - 1].end
        end = last_end + LINGER
        if idx + 1 < len(spans):
            end = min(end, words[spans[idx + 1][0]].start)
        if end_limit is not None:
            end = min(end, end_limit)
        end = max(end, min(last_end, end_limit) if end_limit is not None else last_end, start)
        lines = layouts.get((i, j)) or [" ".join(w.text for w in words[i:j])]
        # Millisecond times (as SRT stores them) that stay inside the words' span.
        start = math.ceil(start * 1000 - 1e-6) / 1000
        end = max(math.floor(end * 1000 + 1e-6) / 1000, start)
        cues.append(Cue(start=start, end=end, text="\n".join(lines),
                        scene_id=scene_id, words=[w.model_copy() for w in words[i:j]]))
    return cues


def _cue_cost(words: Sequence[WordTiming], i: int, j: int, breaks: Sequence[float],
              stops: Sequence[bool], layouts: dict[tuple[int, int], list[str]], max_chars: int, max_lines: int,
              min_dur: float, max_dur: float, max_cps: float) -> float | None:
    """Reading cost of one cue holding ``words[i:j]``, or None if it breaks a hard rule."""
    tokens = [w.text for w in words[i:j]]
    count = j - i
    span = words[j - 1].end - words[i].start
    if count > 1 and span > max_dur:
        return None
    laid = layout_lines(tokens, max_chars=max_chars, max_lines=max_lines,
                        break_costs=breaks[i:j])
    if laid is None:
        if count > 1:
            return None
        laid = ([tokens[0]], 10.0)  # one over-long word: show it anyway
    lines, cost = laid
    layouts[(i, j)] = lines
    cost += 1.0  # each cue costs a little, so tiny cues are not free
    # A sentence boundary inside a cue is allowed but a new sentence should start a cue.
    cost += 3.0 * sum(1 for k in range(i, j - 1) if stops[k])
    if count == 1 and len(words) > 1:
        cost += 8.0  # an orphan word alone on screen
    shown = span + LINGER
    if shown < min_dur:
        cost += 10.0 * (min_dur - shown)
    chars = sum(len(t) for t in tokens) + count - 1
    whole_sentence = (i == 0 or stops[i - 1]) and stops[j - 1]
    if chars < _SHORT_CHARS and not whole_sentence and len(words) > count:
        cost += 0.25 * (_SHORT_CHARS - chars)  # a stub of a sentence flashes by
    cps = chars / max(shown, 0.05)
    if cps > max_cps:
        cost += 0.5 * (cps - max_cps)
    if len(lines) > 1:
        cost += 0.5  # one line is easier to read when it fits
    return cost


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


# ---------------------------------------------------------------- the step


@dataclass
class SubtitleOutcome:
    """What ``make_subtitles`` made; the caller applies ``subtitles`` to the project."""

    subtitles: Subtitles
    agreement: dict[str, float] = field(default_factory=dict)
    """Per scene: 1 − WER of what Whisper heard against the script (only with a transcriber)."""
    heard: dict[str, str] = field(default_factory=dict)
    """Per scene: the text Whisper heard, to show beside the script."""
    timing: dict[str, str] = field(default_factory=dict)
    """Per scene: where the timing came from: ``tts``, ``whisper`` or ``estimated``."""
    warnings: list[str] = field(default_factory=list)
    """Sentences (Indonesian) about scenes that got no or only estimated subtitles."""
    srt_path: Path | None = None


def _scene_label(project: Project, scene: Scene) -> str:
    return f"Adegan {project.scene_index(scene.id) + 1}"


def make_subtitles(project: Project, root: Path, transcriber: Any, ctx: JobContext) -> SubtitleOutcome:
    """Cue every scene's narration on the video timeline and write subtitles/subtitles.srt.

    Args:
        project: A snapshot (not modified).
        root: The project folder.
        transcriber: A transcribe engine, or None to time from the TTS word events only
            (no AI). With one, every scene's voice file is transcribed in the project's
            language: this checks the narration (``agreement``) and times recorded voices.
        ctx: Progress per scene; cancel is checked between scenes and inside Whisper.

    Raises:
        UsageError: no scene has a voice yet.
        MediaError: a voice file the project refers to is missing.
    """
    root = Path(root)
    timeline = build_timeline(project)
    segments = list(timeline.segments)
    voiced = [s for s in project.scenes if s.voice is not None and s.voice.duration > 0]
    if not voiced:
        raise UsageError("Make the voices first: subtitles are timed from the narration audio.",
                         "Buat suara dulu: subtitle diatur waktunya dari audio narasi.")
    outcome = SubtitleOutcome(subtitles=project.subtitles.model_copy(deep=True))
    cues: list[Cue] = []
    transcripts: list[Transcript] = []
    total = len(voiced)
    for n, scene in enumerate(voiced):
        ctx.check()
        label = _scene_label(project, scene)
        ctx.progress(n, total, f"Subtitle {label.lower()}")
        voice = scene.voice
        assert voice is not None
        seg_i = next(i for i, s in enumerate(segments) if s.scene_id == scene.id)
        seg = segments[seg_i]
        limit = segments[seg_i + 1].start if seg_i + 1 < len(segments) else seg.end
        heard_words: list[WordTiming] = []
        prefer: list[int] = []
        if transcriber is not None:
            path = resolve_in(root, voice.path)
            if not path.is_file():
                raise MediaError(
                    f"The voice file of scene {project.scene_index(scene.id) + 1} ({voice.path}) "
                    "is missing; make the voice again.",
                    f"Berkas suara {label.lower()} ({voice.path}) hilang; buat suaranya lagi.")
            child = ctx.child("transcribe", n, 1.0, total)
            transcript = transcriber.transcribe(
                TranscribeRequest(path, project.brief.language or "id"), child)
            transcripts.append(transcript)
            heard_words = list(transcript.words)
            prefer = _segment_ends(heard_words, transcript)
            outcome.heard[scene.id] = transcript.text
            if scene.narration.strip():
                wer = word_error_rate(" ".join(script_words(scene.narration)), transcript.text)
                outcome.agreement[scene.id] = round(max(0.0, 1.0 - wer), 3)
        narration = scene.narration.strip()
        if narration and voice.origin == "tts" and voice.words:
            words = align_to_script(narration, list(voice.words))
            outcome.timing[scene.id] = "tts"
        elif narration and heard_words:
            words = align_to_script(narration, heard_words, duration=voice.duration)
            outcome.timing[scene.id] = "whisper"
        elif heard_words:
            words = heard_words  # a recording without a script: what Whisper heard
            outcome.timing[scene.id] = "heard"
        elif narration:
            words = align_to_script(narration, [], duration=voice.duration)
            outcome.timing[scene.id] = "estimated"
            outcome.warnings.append(
                f"{label}: waktu subtitle diperkirakan dari panjang kata (tanpa peristiwa kata "
                "atau Whisper); periksa dan sesuaikan.")
        else:
            outcome.warnings.append(f"{label}: tidak ada narasi, jadi tidak ada subtitle.")
            continue
        if seg.voice_start is None:
            continue
        on_timeline = [WordTiming(text=w.text, start=w.start + seg.voice_start,
                                  end=w.end + seg.voice_start) for w in words]
        cues.extend(chunk_words(on_timeline, scene_id=scene.id, end_limit=min(limit, seg.end),
                                prefer_breaks=prefer if outcome.timing[scene.id] == "heard" else ()))
    for scene in project.scenes:
        if scene.narration.strip() and (scene.voice is None or scene.voice.duration <= 0):
            outcome.warnings.append(f"{_scene_label(project, scene)}: belum ada suara, jadi "
                                    "belum ada subtitle.")
    ctx.check()
    timings = set(outcome.timing.values())
    if timings == {"heard"}:
        source = "whisper"
    elif "whisper" in timings or "heard" in timings:
        source = "script+whisper"
    else:
        source = "script+tts"
    subs = outcome.subtitles
    subs.cues = cues
    subs.source = source
    subs.engine = transcriber.info.key if transcriber is not None else ""
    subs.model = transcripts[0].provenance.model if transcripts else ""
    subs.inputs_hash = subtitles_inputs_hash(project)
    srt = root / SRT_PATH
    srt.parent.mkdir(parents=True, exist_ok=True)
    write_srt(cues, srt)  # atomic
    outcome.srt_path = srt
    if transcripts:
        _log_transcription(root, project, transcripts, outcome, srt)
    ctx.progress(total, total, "Subtitle selesai")
    return outcome


def _log_transcription(root: Path, project: Project, transcripts: list[Transcript],
                       outcome: SubtitleOutcome, srt: Path) -> None:
    """One AI-log record for the whole run, saying honestly what Whisper did."""
    first = transcripts[0].provenance
    agreement = outcome.agreement
    mean = sum(agreement.values()) / len(agreement) if agreement else None
    params = {**dict(first.params), "scenes": len(transcripts),
              "agreement": dict(agreement),
              "timing": dict(outcome.timing)}
    if mean is not None:
        params["mean_agreement"] = round(mean, 3)
    prov = replace(first, params=params, seconds=sum(t.provenance.seconds for t in transcripts))
    timings = set(outcome.timing.values())
    check = (f"kecocokan rata-rata dengan naskah {mean:.0%}" if mean is not None
             else "tanpa naskah untuk dibandingkan")
    if timings <= {"tts"}:
        what = ("Teks dan waktu subtitle berasal dari naskah dan peristiwa kata mesin suara; "
                "Whisper hanya memeriksa.")
    elif "heard" in timings:
        what = "Teks subtitle adegan tanpa naskah adalah hasil dengar Whisper; waktu dari Whisper."
    else:
        what = "Teks subtitle dari naskah; waktunya dari kata-kata yang didengar Whisper."
    note = (f"{first.tool}, model {first.model}, mentranskripsi suara {len(transcripts)} adegan "
            f"untuk memeriksa narasi ({check}). {what}")
    inputs = {f"voice:{s.id}": s.voice.sha256 for s in project.scenes
              if s.voice is not None and s.id in outcome.heard}
    log_result(root, "subtitles", "transcribe", prov, inputs=inputs, outputs=[srt], note=note)


def transcribe_file(audio: Path, language: str, engine: Any, ctx: JobContext) -> list[Cue]:
    """Transcribe any audio file into readable cues (for ``studio transcribe``).

    Cue times are relative to the file's start; the text is what Whisper heard.
    """
    transcript = engine.transcribe(TranscribeRequest(Path(audio), language), ctx)
    words = list(transcript.words)
    return chunk_words(words, end_limit=transcript.duration + LINGER,
                       prefer_breaks=_segment_ends(words, transcript))


def _segment_ends(words: Sequence[WordTiming], transcript: Transcript) -> list[int]:
    """Index of the last word of each Whisper segment: a natural place for a new cue."""
    starts = [w.start for w in words]
    return [bisect.bisect_left(starts, seg.end) - 1 for seg in transcript.segments]
