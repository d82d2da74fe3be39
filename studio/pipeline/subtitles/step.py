"""Step 5, Subtitle: timed words → readable cues on the video timeline.

Owns the step itself (``make_subtitles``): cue text is always the creator's script,
timed by the TTS engine's word events when it has them, else by Whisper's words
(aligned to the script, so a recognition error never reaches the screen where the
script has the right word); a recording without a script gets what Whisper heard.
Whisper, when given, also checks each scene's narration against the script. Cues are
made with the reading rules of the project's caption style.

The reading rules live in ``rules`` and the alignment in ``align`` (import them from
there). Nothing here mutates the project passed in; the caller applies the outcome.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from studio.core.errors import MediaError, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Cue, Project, Scene, Subtitles, WordTiming
from studio.core.status import subtitles_inputs_hash
from studio.core.storage import resolve_in
from studio.core.timeline import build_timeline
from studio.engines.base import TranscribeRequest, Transcript
from studio.pipeline.provenance import log_result
from studio.pipeline.subtitles.align import agreement, align_recognised, align_to_script
from studio.pipeline.subtitles.bilingual import (
    attach_translations,
    cues_in,
    subtitle_files,
)
from studio.pipeline.subtitles.files import write_srt
from studio.pipeline.subtitles.rules import (
    LINGER,
    ReadingRules,
    chunk_words,
    reading_problems,
    rules_for_style,
)

__all__ = ["SRT_PATH", "SubtitleOutcome", "check_cues", "make_subtitles", "scene_limits", "transcribe_file"]

log = logging.getLogger(__name__)

SRT_PATH = "subtitles/subtitles.srt"


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


def scene_limits(project: Project) -> dict[str, tuple[float, float]]:
    """Per scene id: the span its cues must stay inside (no cue runs across a scene cut)."""
    segments = list(build_timeline(project).segments)
    out: dict[str, tuple[float, float]] = {}
    for i, seg in enumerate(segments):
        if seg.kind == "scene" and seg.scene_id:
            nxt = segments[i + 1].start if i + 1 < len(segments) else seg.end
            out[seg.scene_id] = (seg.start, min(nxt, seg.end))
    return out


def check_cues(project: Project, cues: Sequence[Cue] | None = None) -> list[Any]:
    """Reading-rule problems of the project's cues (or ``cues``) under its caption style.

    Works on cues the creator edited or imported too: those without a scene are checked
    against every scene cut.
    """
    limits = scene_limits(project)
    cuts = sorted(hi for _, hi in limits.values())[:-1]
    return reading_problems(list(project.subtitles.cues if cues is None else cues),
                            rules_for_style(project.subtitles.style), cuts=cuts, scene_limits=limits)


def _scene_label(project: Project, scene: Scene) -> str:
    return f"Adegan {project.scene_index(scene.id) + 1}"


def make_subtitles(project: Project, root: Path, transcriber: Any, ctx: JobContext, *,
                   keep_loaded: bool = False) -> SubtitleOutcome:
    """Cue every scene's narration on the video timeline and write subtitles/subtitles.srt.

    Args:
        project: A snapshot (not modified).
        root: The project folder.
        transcriber: A transcribe engine, or None to time from the TTS word events only
            (no AI). With one, every scene's voice file is transcribed in the project's
            language: this checks the narration (``agreement``) and times recorded voices.
        ctx: Progress per scene; cancel is checked between scenes and inside Whisper.
        keep_loaded: Keep the Whisper model in memory afterwards (default: unload it when
            the step ends, so a long session does not hold ~350 MB it no longer uses).

    Raises:
        UsageError: no scene has a voice yet.
        MediaError: a voice file the project refers to is missing.
    """
    try:
        return _make_subtitles(project, root, transcriber, ctx)
    except Cancelled as exc:
        # The engine attaches the transcript heard so far; that is not a subtitle track
        # (cues need every scene), so nothing is kept and the old subtitles stay as they were.
        exc.partial = None
        raise
    finally:
        if transcriber is not None and not keep_loaded:
            transcriber.unload()


def _make_subtitles(project: Project, root: Path, transcriber: Any, ctx: JobContext) -> SubtitleOutcome:
    root = Path(root)
    timeline = build_timeline(project)
    segments = list(timeline.segments)
    voiced = [s for s in project.scenes if s.voice is not None and s.voice.duration > 0]
    if not voiced:
        raise UsageError("Make the voices first: subtitles are timed from the narration audio.",
                         "Buat suara dulu: subtitle diatur waktunya dari audio narasi.")
    outcome = SubtitleOutcome(subtitles=project.subtitles.model_copy(deep=True))
    rules = rules_for_style(project.subtitles.style)
    language = project.brief.language or "id"
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
                outcome.agreement[scene.id] = round(agreement(scene.narration, transcript.text, language), 3)
        words, timing, warning = _timed_words(scene, heard_words, language, label)
        if warning:
            outcome.warnings.append(warning)
        if not timing:
            continue
        outcome.timing[scene.id] = timing
        if seg.voice_start is None:
            continue
        on_timeline = [WordTiming(text=w.text, start=w.start + seg.voice_start,
                                  end=w.end + seg.voice_start) for w in words]
        cues.extend(chunk_words(on_timeline, scene_id=scene.id, end_limit=min(limit, seg.end),
                                prefer_breaks=prefer if outcome.timing[scene.id] == "heard" else (),
                                rules=rules))
    for scene in project.scenes:
        if scene.narration.strip() and (scene.voice is None or scene.voice.duration <= 0):
            outcome.warnings.append(f"{_scene_label(project, scene)}: belum ada suara, jadi "
                                    "belum ada subtitle.")
    ctx.check()
    _write_track(project, root, attach_translations(project, cues), outcome, transcriber, transcripts)
    ctx.progress(total, total, "Subtitle selesai")
    return outcome


def _timed_words(scene: Scene, heard_words: list[WordTiming], language: str,
                 label: str) -> tuple[list[WordTiming], str, str]:
    """The per-scene timing choice: (words relative to the voice, how they were timed, warning).

    The TTS engine's own word events win for a synthesised voice; Whisper's words time a
    recording (mapped onto the script's words when there is a script); without either, the
    words are spread by their length and the creator is told to check. ``timing`` is ""
    when the scene has nothing to subtitle.
    """
    voice = scene.voice
    assert voice is not None
    narration = scene.narration.strip()
    if narration and voice.origin == "tts" and voice.words:
        return align_to_script(narration, list(voice.words)), "tts", ""
    if narration and heard_words:
        return align_recognised(narration, heard_words, language=language, duration=voice.duration), "whisper", ""
    if heard_words:
        return heard_words, "heard", ""  # a recording without a script: what Whisper heard
    if narration:
        return (align_to_script(narration, [], duration=voice.duration), "estimated",
                f"{label}: waktu subtitle diperkirakan dari panjang kata (tanpa peristiwa kata "
                "atau Whisper); periksa dan sesuaikan.")
    return [], "", f"{label}: tidak ada narasi, jadi tidak ada subtitle."


def _write_track(project: Project, root: Path, cues: list[Cue], outcome: SubtitleOutcome, transcriber: Any,
                 transcripts: list[Transcript]) -> None:
    """Fill ``outcome.subtitles`` from the cues and write the SRT file(s) (and the AI record)."""
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
    for which, path in subtitle_files(project, srt.with_suffix("")):
        write_srt(cues_in(cues, which), path)  # atomic
    outcome.srt_path = srt
    if transcripts:
        _log_transcription(root, project, transcripts, outcome, srt)


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


def transcribe_file(audio: Path, language: str, engine: Any, ctx: JobContext, *,
                    script: str = "", rules: ReadingRules | None = None) -> list[Cue]:
    """Transcribe any audio file into readable cues (for ``studio transcribe``).

    Cue times are relative to the file's start. The text is what Whisper heard, or,
    when ``script`` is given, the script's words on Whisper's timings.
    """
    transcript = engine.transcribe(TranscribeRequest(Path(audio), language), ctx)
    words = list(transcript.words)
    if script.strip():
        aligned = align_recognised(script, words, language=language, duration=transcript.duration)
        return chunk_words(aligned, end_limit=transcript.duration + LINGER, rules=rules)
    return chunk_words(words, end_limit=transcript.duration + LINGER,
                       prefer_breaks=_segment_ends(words, transcript), rules=rules)


def _segment_ends(words: Sequence[WordTiming], transcript: Transcript) -> list[int]:
    """Index of the last word of each Whisper segment: a natural place for a new cue."""
    starts = [w.start for w in words]
    return [bisect.bisect_left(starts, seg.end) - 1 for seg in transcript.segments]
