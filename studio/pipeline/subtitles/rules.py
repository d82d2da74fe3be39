"""Reading rules for subtitles: how timed words become cues a viewer can read.

Owns the rules (``ReadingRules``: at most two lines of ``max_chars``, 1–7 s a cue, at
most 20 characters a second, a cue ends no later than ``LINGER`` s after its last word),
their per-style values (``rules_for_style``: the big karaoke letters fit fewer characters
a line), the chunker that meets them (``chunk_words``: a dynamic programme over break
costs, balanced lines, no one-word orphans) and the checker that reports where a cue
list breaks them (``reading_problems``, also used on cues the creator edited).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from studio.core.project import Cue, WordTiming

LINGER = 0.3
"""Seconds a cue may stay after its last word (reading time), never into the next cue."""
_SHORT_CHARS = 24

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



@dataclass(frozen=True)
class ReadingRules:
    """What makes a cue readable; the chunker meets these and ``reading_problems`` checks them."""

    max_chars: int = 42
    """Characters a line (letters, spaces and punctuation)."""
    max_lines: int = 2
    min_dur: float = 1.0
    max_dur: float = 7.0
    max_cps: float = 20.0
    """Characters a second a viewer can read (spaces and punctuation counted)."""


STYLE_RULES: dict[str, ReadingRules] = {
    "lower_third": ReadingRules(max_chars=42),
    "highlight": ReadingRules(max_chars=42),
    # Karaoke letters are 1.6× bigger and bolder: measured on a 1080×1920 frame, about 20
    # average Indonesian characters fit a line at full size and 28 at the smallest size
    # the renderer shrinks to, so 26 keeps every line whole.
    "karaoke": ReadingRules(max_chars=26),
}


def rules_for_style(style: str) -> ReadingRules:
    """The reading rules of a caption style (the default rules for an unknown style)."""
    return STYLE_RULES.get(style, ReadingRules())


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
    """Monotonic, non-empty, non-overlapping words (recognisers occasionally return a step backwards)."""
    out: list[WordTiming] = []
    prev = 0.0
    for w in words:
        text = " ".join(w.text.split())
        if not text:
            continue
        start = max(float(w.start), prev if out else float(w.start))
        end = max(float(w.end), start)
        if out and out[-1].end > start:
            # Overlapping words (Whisper does this): the earlier one ends where the next
            # begins, or its cue would still be on screen when the next cue starts.
            out[-1] = out[-1].model_copy(update={"end": start})
        out.append(WordTiming(text=text, start=start, end=end))
        prev = start
    return out


def chunk_words(words: list[WordTiming], *, max_chars: int = 42, max_lines: int = 2,
                min_dur: float = 1.0, max_dur: float = 7.0, max_cps: float = 20.0,
                scene_id: str | None = None, end_limit: float | None = None,
                prefer_breaks: Collection[int] = (), rules: ReadingRules | None = None) -> list[Cue]:
    """Group timed words (already on the video timeline) into subtitle cues.

    A dynamic programme picks the cue boundaries that minimise a reading cost: cues
    break preferably at sentence ends, then at commas and phrase starts; each cue fits
    ``max_lines`` lines of ``max_chars`` (balanced, no one-word orphan line) and spans
    at most ``max_dur`` seconds; one-word cues, cues shorter than ``min_dur`` and cues
    faster than ``max_cps`` characters a second are penalised. A cue starts at its first
    word and ends at most ``LINGER`` s after its last word, never after the next cue's
    start or ``end_limit`` (a scene cut). ``prefer_breaks`` are indices of words after
    which a break is as good as after a full stop (Whisper's segment ends, which often
    lack punctuation). ``rules`` (a style's ``ReadingRules``) overrides the five limits.
    """
    if rules is not None:
        max_chars, max_lines = rules.max_chars, rules.max_lines
        min_dur, max_dur, max_cps = rules.min_dur, rules.max_dur, rules.max_cps
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




# ---------------------------------------------------------------- checking


HARD_RULES = frozenset({"lines", "chars", "long", "overlap", "orphan", "scene_cut", "empty", "order"})
"""Rules the chunker always meets; the others (``short``, ``cps``) yield to very fast or
very short speech and are reported as advice."""


@dataclass(frozen=True)
class ReadingProblem:
    """One place where a cue breaks a reading rule (``str`` is English, ``text("id")`` Indonesian)."""

    cue: int
    rule: str
    message_en: str
    message_id: str

    def __str__(self) -> str:
        return self.message_en

    def text(self, language: str = "en") -> str:
        return self.message_id if language == "id" else self.message_en

    @property
    def hard(self) -> bool:
        return self.rule in HARD_RULES


def reading_problems(cues: Sequence[Cue], rules: ReadingRules | None = None, *,
                     cuts: Sequence[float] = (),
                     scene_limits: dict[str, tuple[float, float]] | None = None) -> list[ReadingProblem]:
    """Where ``cues`` break the reading rules.

    ``scene_limits`` maps a scene id to the (start, end) a cue of that scene must stay
    inside; ``cuts`` are scene-change times no cue may straddle (for cues without a
    scene, such as imported ones).
    """
    r = rules or ReadingRules()
    out: list[ReadingProblem] = []

    def add(i: int, rule: str, en: str, idn: str) -> None:
        out.append(ReadingProblem(i, rule, f"Cue {i + 1}: {en}", f"Subtitle {i + 1}: {idn}"))

    for i, cue in enumerate(cues):
        lines = [ln for ln in cue.text.split("\n")]
        words = cue.text.split()
        dur = cue.end - cue.start
        if not words:
            add(i, "empty", "it has no text.", "tidak ada teksnya.")
            continue
        if len(lines) > r.max_lines:
            add(i, "lines", f"{len(lines)} lines (at most {r.max_lines}).",
                f"{len(lines)} baris (paling banyak {r.max_lines}).")
        long_lines = [ln for ln in lines if len(ln.strip()) > r.max_chars]
        if long_lines and len(words) > 1:
            add(i, "chars", f"a line has {max(len(ln.strip()) for ln in long_lines)} characters "
                f"(at most {r.max_chars}).",
                f"satu baris berisi {max(len(ln.strip()) for ln in long_lines)} karakter "
                f"(paling banyak {r.max_chars}).")
        if len(lines) > 1 and len(words) > 2 and any(len(ln.split()) == 1 for ln in lines):
            add(i, "orphan", "a line holds a single word.", "satu baris hanya berisi satu kata.")
        if dur > r.max_dur + 1e-6:
            add(i, "long", f"on screen {dur:.1f} s (at most {r.max_dur:g} s).",
                f"tampil {dur:.1f} detik (paling lama {r.max_dur:g} detik).")
        elif dur < r.min_dur - 1e-6:
            add(i, "short", f"on screen only {dur:.1f} s (at least {r.min_dur:g} s).",
                f"hanya tampil {dur:.1f} detik (paling singkat {r.min_dur:g} detik).")
        chars = len(" ".join(ln.strip() for ln in lines))
        if dur > 0 and chars / dur > r.max_cps + 1e-6:
            add(i, "cps", f"{chars / dur:.0f} characters a second (at most {r.max_cps:g}).",
                f"{chars / dur:.0f} karakter per detik (paling banyak {r.max_cps:g}).")
        if i + 1 < len(cues):
            nxt = cues[i + 1]
            if nxt.start < cue.start:
                add(i, "order", "the next cue starts earlier; sort the cues by time.",
                    "subtitle berikutnya mulai lebih awal; urutkan menurut waktu.")
            elif nxt.start < cue.end - 1e-6:
                add(i, "overlap", "it overlaps the next cue.", "bertumpuk dengan subtitle berikutnya.")
        if cue.scene_id and scene_limits and cue.scene_id in scene_limits:
            lo, hi = scene_limits[cue.scene_id]
            if cue.start < lo - 1e-3 or cue.end > hi + 1e-3:
                add(i, "scene_cut", "it runs across a scene cut.", "melewati pergantian adegan.")
        elif any(cue.start + 1e-3 < t < cue.end - 1e-3 for t in cuts):
            add(i, "scene_cut", "it runs across a scene cut.", "melewati pergantian adegan.")
    return out
