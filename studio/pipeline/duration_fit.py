"""Fitting the video into the preset's duration range: propose a fix, show its result, apply it.

Owns ``propose_fit``: when the video's length (real voice durations laid out by
``core.timeline``, estimates where a scene has no voice yet) falls outside the
preset's range, it proposes

- a **tempo** change of at most ±8 % that keeps the pitch: TTS voices are made again
  at a proportionally faster/slower rate, recordings are time-stretched with ffmpeg's
  ``atempo`` (a pitch-preserving overlap-add, from the bundled imageio-ffmpeg);
- **trimming or extending the script**: how many words, from which scenes (in
  proportion to their length, never below a few words a scene), at the voice's
  measured pace;

each with the duration the video would have afterwards (``FitOption.result_seconds``),
computed through the same timeline, so the creator sees the result before choosing.
``apply_tempo`` carries out a tempo change; script changes are the creator's to write.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from studio.core import storage
from studio.core.errors import StudioError, UsageError
from studio.core.hashing import file_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Project, VoiceAsset, WordTiming
from studio.core.timeline import DEFAULT_WPM, build_timeline, count_words, estimate_speech_seconds
from studio.pipeline.provenance import log_human

log = logging.getLogger(__name__)

MAX_TEMPO = 0.08
"""Largest speed change offered (±8 %): beyond it a voice starts to sound hurried or dragged."""
MARGIN = 1.0
"""Seconds inside the range a fix aims for, so a re-made voice that comes out a little
longer or shorter than predicted still fits."""
MIN_SCENE_WORDS = 5
"""A trimmed scene keeps at least this many words."""

FitKind = Literal["tempo", "trim", "extend"]


@dataclass(frozen=True)
class SceneChange:
    scene_id: str
    index: int
    """0-based scene position."""
    words: int
    """Words the scene has now."""
    delta: int
    """Words to add (positive) or remove (negative)."""


@dataclass(frozen=True)
class FitOption:
    kind: FitKind
    result_seconds: float
    """The video's length after this fix, through ``core.timeline``."""
    fits: bool
    """True when ``result_seconds`` is inside the preset's range."""
    factor: float = 1.0
    """Tempo: speed multiplier (1.05 = 5 % faster, shorter)."""
    rate_wpm: int | None = None
    """Tempo: the project's new requested rate when TTS voices are made again."""
    changes: tuple[SceneChange, ...] = ()
    """Trim/extend: words per scene."""
    summary_en: str = ""
    summary_id: str = ""

    def text(self, language: str = "en") -> str:
        return self.summary_id if language == "id" else self.summary_en


@dataclass(frozen=True)
class FitProposal:
    total: float
    min_seconds: float
    max_seconds: float
    estimated: bool
    """Some scene has no voice yet: its length is a word-count estimate."""
    status: Literal["ok", "short", "long"]
    options: tuple[FitOption, ...] = ()

    @property
    def needed(self) -> float:
        """Seconds to add (positive) or remove (negative) to land inside the range with margin."""
        return _aim(self.total, self.min_seconds, self.max_seconds) - self.total


def _aim(total: float, lo: float, hi: float) -> float:
    if total > hi:
        return max(lo, hi - MARGIN) if hi - lo > 2 * MARGIN else (lo + hi) / 2
    if total < lo:
        return min(hi, lo + MARGIN) if hi - lo > 2 * MARGIN else (lo + hi) / 2
    return total


def _fmt(seconds: float, language: str) -> str:
    text = f"{seconds:.1f}"
    return text.replace(".", ",") if language == "id" else text


def _scene_seconds(project: Project, wpm: float) -> dict[str, float]:
    out: dict[str, float] = {}
    for s in project.scenes:
        if s.voice is not None and s.voice.duration > 0:
            out[s.id] = float(s.voice.duration)
        else:
            out[s.id] = estimate_speech_seconds(s.narration, wpm)
    return out


def duration_with(project: Project, seconds: dict[str, float]) -> float:
    """The video's length if each scene's voice lasted ``seconds[scene_id]``."""
    copy = project.model_copy(deep=True)
    for s in copy.scenes:
        d = max(0.0, seconds.get(s.id, 0.0))
        if s.voice is not None:
            s.voice.duration = d
        elif d > 0:
            s.voice = VoiceAsset(path="(estimate)", origin="tts", duration=d)
    return build_timeline(copy).duration


def _tempo_option(project: Project, base: dict[str, float], lo: float, hi: float, need: float,
                  wpm: float) -> FitOption | None:
    if not any(s.voice is not None and s.voice.duration > 0 for s in project.scenes):
        return None  # nothing spoken yet: the rate is set before making voices, not here
    voice_total = sum(base.values())
    if voice_total <= 0:
        return None
    wanted = voice_total / max(voice_total + need, 1e-6)
    factor = min(max(wanted, 1 - MAX_TEMPO), 1 + MAX_TEMPO)
    rate = project.voice.rate_wpm or int(DEFAULT_WPM)
    tts = [s for s in project.scenes if s.voice is None or s.voice.origin == "tts"]
    new_rate = int(round(rate * factor)) if tts else None
    tts_factor = (new_rate / rate) if new_rate else factor
    seconds = {}
    for s in project.scenes:
        f = tts_factor if (s.voice is None or s.voice.origin == "tts") else factor
        seconds[s.id] = base[s.id] / f
    result = duration_with(project, seconds)
    pct = round(abs(factor - 1) * 100, 1)
    faster = factor > 1
    total = build_timeline(project, wpm=wpm).duration
    fits = lo <= result <= hi
    en = (f"Speak {pct:g} % {'faster' if faster else 'slower'} (pitch unchanged): "
          f"{total:.1f} s → {result:.1f} s.")
    idn = (f"Bicara {str(pct).replace('.', ',').removesuffix(',0')} % lebih {'cepat' if faster else 'lambat'} "
           f"(nada tetap): {_fmt(total, 'id')} → {_fmt(result, 'id')} detik.")
    if not fits:
        en += " Not enough on its own: change the script too."
        idn += " Belum cukup sendiri: ubah juga naskahnya."
    return FitOption("tempo", round(result, 2), fits, factor=round(factor, 4), rate_wpm=new_rate,
                     summary_en=en, summary_id=idn)


def _allocate(weights: list[float], total: int, caps: list[int]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (D'Hondt), each at most its cap."""
    out = [0] * len(weights)
    for _ in range(total):
        open_ = [i for i in range(len(weights)) if out[i] < caps[i]]
        if not open_:
            break
        best = max(open_, key=lambda i: (weights[i] or 1.0) / (out[i] + 1))
        out[best] += 1
    return out


def _script_option(project: Project, base: dict[str, float], lo: float, hi: float, need: float,
                   wpm: float, tempo: FitOption | None = None) -> FitOption | None:
    scenes = [s for s in project.scenes if s.narration.strip()]
    if not scenes:
        return None
    counts = [count_words(s.narration) for s in scenes]
    pace = [base[s.id] / c if c else 60.0 / wpm for s, c in zip(scenes, counts)]
    avg = sum(base[s.id] for s in scenes) / max(1, sum(counts))
    words = max(1, int(math.ceil(abs(need) / max(avg, 1e-3))))
    trim = need < 0
    caps = [max(0, c - MIN_SCENE_WORDS) for c in counts] if trim else [max(40, c) for c in counts]
    for _ in range(200):  # grow until the predicted length fits (rounding, minimum scene length)
        alloc = _allocate([base[s.id] for s in scenes], words, caps)
        seconds = dict(base)
        for s, a, p in zip(scenes, alloc, pace):
            seconds[s.id] = max(0.0, base[s.id] + (-a if trim else a) * p)
        result = duration_with(project, seconds)
        if lo <= result <= hi or sum(alloc) < words:
            break
        words += 1
    changes = tuple(SceneChange(s.id, project.scene_index(s.id), c, -a if trim else a)
                    for s, c, a in zip(scenes, counts, alloc) if a)
    total = build_timeline(project, wpm=wpm).duration
    n = sum(abs(c.delta) for c in changes)
    per_en = ", ".join(f"scene {c.index + 1}: {c.delta:+d}".replace("-", "−") for c in changes)
    per_id = ", ".join(f"adegan {c.index + 1}: {c.delta:+d}".replace("-", "−") for c in changes)
    fits = lo <= result <= hi
    if trim:
        en = f"Shorten the script by {n} words ({per_en}): {total:.1f} s → about {result:.1f} s."
        idn = (f"Pendekkan naskah {n} kata ({per_id}): {_fmt(total, 'id')} → sekitar "
               f"{_fmt(result, 'id')} detik.")
    else:
        en = f"Add {n} words to the script ({per_en}): {total:.1f} s → about {result:.1f} s."
        idn = (f"Tambah {n} kata ke naskah ({per_id}): {_fmt(total, 'id')} → sekitar "
               f"{_fmt(result, 'id')} detik.")
    if tempo is not None:
        en = tempo.summary_en.split(":")[0] + ", and " + en[0].lower() + en[1:]
        idn = tempo.summary_id.split(":")[0] + ", dan " + idn[0].lower() + idn[1:]
    if not fits and trim:
        en += " The scenes are already short: remove a scene instead."
        idn += " Adegannya sudah pendek: hapus satu adegan saja."
    elif not fits:
        en += " The scenes cannot hold that many more words: add a scene."
        idn += " Adegan yang ada tidak cukup menampung kata tambahan: tambahkan adegan."
    return FitOption("trim" if trim else "extend", round(result, 2), fits, changes=changes,
                     factor=tempo.factor if tempo else 1.0, rate_wpm=tempo.rate_wpm if tempo else None,
                     summary_en=en, summary_id=idn)


def propose_fit(project: Project, min_seconds: float, max_seconds: float, *,
                wpm: float | None = None) -> FitProposal:
    """What to do when the video's length is outside ``[min_seconds, max_seconds]``.

    ``wpm`` is the voice's measured words per minute (for scenes without a voice yet;
    default: the project's requested rate). Options come tempo first (no rewriting),
    then the script change; each says the length it leads to.
    """
    wpm = float(wpm or project.voice.rate_wpm or DEFAULT_WPM)
    timeline = build_timeline(project, wpm=wpm)
    total = timeline.duration
    status: Literal["ok", "short", "long"] = "ok"
    if total > max_seconds + 1e-6:
        status = "long"
    elif total < min_seconds - 1e-6:
        status = "short"
    proposal = FitProposal(round(total, 2), min_seconds, max_seconds, timeline.estimated, status)
    if status == "ok":
        return proposal
    base = _scene_seconds(project, wpm)
    need = proposal.needed
    tempo = _tempo_option(project, base, min_seconds, max_seconds, need, wpm)
    options = [o for o in (tempo, _script_option(project, base, min_seconds, max_seconds, need, wpm)) if o]
    if tempo is not None and not tempo.fits:
        # The most a tempo change can do, and the words still missing after it.
        rate = project.voice.rate_wpm or int(DEFAULT_WPM)
        scaled = {}
        for s in project.scenes:
            tts = s.voice is None or s.voice.origin == "tts"
            f = (tempo.rate_wpm / rate) if (tts and tempo.rate_wpm) else tempo.factor
            scaled[s.id] = base[s.id] / f
        rest = _aim(tempo.result_seconds, min_seconds, max_seconds) - tempo.result_seconds
        both = _script_option(project, scaled, min_seconds, max_seconds, rest, wpm, tempo=tempo)
        if both is not None:
            options.append(both)
    return FitProposal(proposal.total, min_seconds, max_seconds, timeline.estimated, status, tuple(options))


def propose_for_preset(project: Project, preset: Any, *, wpm: float | None = None) -> FitProposal:
    """``propose_fit`` with the range of a ``core.presets.Preset``."""
    return propose_fit(project, float(preset.duration.min), float(preset.duration.max), wpm=wpm)


# ---------------------------------------------------------------- applying a tempo change


@dataclass
class TempoOutcome:
    """New voices after a tempo change; ``apply_to`` puts them into the live project."""

    factor: float
    voices: dict[str, VoiceAsset] = field(default_factory=dict)
    rate_wpm: int | None = None

    def apply_to(self, project: Project) -> None:
        if self.rate_wpm is not None:
            project.voice.rate_wpm = self.rate_wpm
        for scene in project.scenes:
            if scene.id in self.voices:
                scene.voice = self.voices[scene.id]


def stretch_file(src: Path, dst: Path, factor: float, ctx: JobContext | None = None) -> None:
    """Write ``src`` played ``factor`` times faster (pitch kept) as a 48 kHz mono WAV at ``dst``.

    A cancel through ``ctx`` stops ffmpeg at once and raises ``Cancelled``.
    """
    from studio.pipeline.media import ffmpeg

    proc = ffmpeg.run(["-y", "-i", str(src), "-filter:a", f"atempo={factor:.6f}", "-ac", "1", "-ar", "48000",
                       "-c:a", "pcm_s16le", "-f", "wav", str(dst)], timeout=120, ctx=ctx)
    if proc.returncode != 0 or not Path(dst).is_file():
        raise StudioError("The recording could not be made faster or slower; it is left as it was.",
                          "Kecepatan rekaman tidak bisa diubah; rekaman dibiarkan seperti semula.",
                          details=proc.stderr[-2000:])


def apply_tempo(project: Project, root: Path, factor: float, ctx: JobContext, *,
                engine: Any = None) -> TempoOutcome:
    """Make every voice ``factor`` times faster (or slower), pitch unchanged.

    TTS voices are synthesised again at ``rate_wpm × factor`` with ``engine``;
    the creator's recordings are stretched with ffmpeg ``atempo`` into new files (the
    originals stay). Cancel between scenes keeps those done (``Cancelled.partial``).
    """
    if not (1 - MAX_TEMPO - 1e-9 <= factor <= 1 + MAX_TEMPO + 1e-9):
        raise UsageError(f"A tempo change is limited to ±{MAX_TEMPO:.0%}; change the script for more.",
                         f"Perubahan tempo dibatasi ±{MAX_TEMPO:.0%}; ubah naskah untuk lebih dari itu.")
    root = Path(root)
    outcome = TempoOutcome(factor=float(factor))
    tts = [s for s in project.scenes if s.voice is not None and s.voice.origin == "tts"]
    recorded = [s for s in project.scenes if s.voice is not None and s.voice.origin != "tts"]
    total = len(tts) + len(recorded)
    try:
        if tts:
            if engine is None:
                raise UsageError("Choose a voice engine to make the voices again.",
                                 "Pilih mesin suara untuk membuat ulang suaranya.")
            from studio.pipeline.voice.step import synthesize_voices

            rate = project.voice.rate_wpm or int(DEFAULT_WPM)
            outcome.rate_wpm = int(round(rate * factor))
            snapshot = project.model_copy(deep=True)
            snapshot.voice.rate_wpm = outcome.rate_wpm
            child = ctx.child("voice", 0, len(tts), total)
            try:
                outcome.voices.update(synthesize_voices(snapshot, root, engine, child,
                                                        scene_ids=[s.id for s in tts], force=True))
            except Cancelled as exc:
                outcome.voices.update(exc.partial or {})
                raise
        for i, scene in enumerate(recorded):
            ctx.check()
            ctx.progress(len(tts) + i, total, f"Tempo adegan {project.scene_index(scene.id) + 1}")
            outcome.voices[scene.id] = _stretch_scene(project, root, scene.id, factor, ctx)
    except Cancelled as exc:
        exc.partial = outcome
        raise
    ctx.progress(total, total, "Tempo selesai")
    return outcome


def _stretch_scene(project: Project, root: Path, scene_id: str, factor: float,
                   ctx: JobContext | None = None) -> VoiceAsset:
    from studio.pipeline.media.audio import wav_duration

    voice = project.scene(scene_id).voice
    assert voice is not None
    src = storage.resolve_in(root, voice.path)
    tag = hashlib.sha256(f"{voice.sha256}:{factor:.6f}".encode()).hexdigest()[:8]
    final = root / "voice" / f"{scene_id}-rec-{tag}.wav"
    with storage.atomic_output(final) as part:
        stretch_file(src, part, factor, ctx)
    duration = wav_duration(final)
    words = [WordTiming(text=w.text, start=round(w.start / factor, 3), end=round(w.end / factor, 3))
             for w in voice.words]
    log_human(root, "voice", "edit", scene_id=scene_id, outputs=[final], inputs={"source": voice.sha256},
              note=f"Tempo of the creator's recording changed ×{factor:.3f} (pitch kept, ffmpeg atempo) "
                   "to fit the video's duration.")
    return voice.model_copy(update={"path": storage.relative_to_root(root, final), "duration": round(duration, 4),
                                    "sample_rate": 48000, "sha256": file_sha256(final), "words": words})
