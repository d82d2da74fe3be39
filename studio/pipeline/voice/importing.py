"""The creator's own sound: narration per scene or in one take, and their own music.

This module owns turning any audio file the creator brings (a phone recording, an
MP3 from a colleague, a take recorded in the window) into the project's voice WAVs:

- ``import_voice``: one file for one scene → ``voice/<scene_id>-rec-<hash8>.wav``.
- ``import_whole_take``: one take for the whole video, split into scenes so a
  creator can read the whole script in one go. With a transcriber, the take is
  transcribed and the script aligned to what was heard: each cut goes in the pause
  between one scene's last word and the next scene's first word
  (``script_split_points``). Without one, cuts go at the pauses nearest to where each
  scene's share of the words predicts a boundary (``split_points``).

Every file is decoded with ``pipeline.media.audio.read_audio`` (PyAV, any format),
trimmed of leading/trailing silence so scene timing stays tight, written as 48 kHz
mono 16-bit WAV through ``storage.atomic_output``, and recorded in the AI log as a
human action (``record`` or ``import``). A voice that is not TTS carries no
``inputs_hash``: it never goes stale when the text changes (core.status), because
only the creator knows whether the recording still matches.

``import_music`` copies a music file the creator brings (with its licence, which is
required) into music/ — it lives here with the other "creator's own audio" imports.

No Qt here; the window records to a temporary file and calls in.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from studio.core import storage
from studio.core.errors import MediaError, StudioError
from studio.core.hashing import file_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.core.origin import Origin
from studio.core.project import Music, Project, VoiceAsset
from studio.core.timeline import count_words
from studio.engines.support.wav import write_wav
from studio.pipeline.media.audio import read_audio
from studio.pipeline.provenance import log_declared

RATE = 48000
"""Imported voices are stored at the mix rate so the renderer never resamples them."""
MAX_SCENE_SECONDS = 120.0
MAX_TAKE_SECONDS = 15 * 60.0
MIN_VOICE_SECONDS = 0.3
SILENT_PEAK_DB = -50.0
"""A file whose loudest sample stays below this is treated as silence (a muted microphone)."""
KEEP_MARGIN = 0.08
"""Silence kept before the first and after the last sound, in seconds."""
HOP = 0.01

ImportOrigin = Literal["imported", "recorded"]


@dataclass
class TakeSplit:
    """A whole-video take cut into scenes."""

    voices: dict[str, VoiceAsset] = field(default_factory=dict)
    cuts: list[float] = field(default_factory=list)
    """Cut positions in the trimmed take, seconds (one fewer than the scenes)."""
    take_seconds: float = 0.0
    method: str = "pauses"
    """``script`` (cut between the aligned words of the scenes) or ``pauses`` (word shares)."""
    heard: str = ""
    """What the transcriber heard in the take (empty without one)."""


# ---------------------------------------------------------------- analysis


def _envelope_db(samples: np.ndarray, rate: int, hop: float = HOP) -> np.ndarray:
    """RMS level per ``hop`` seconds, in dBFS (−120 for digital silence)."""
    n = max(1, int(rate * hop))
    frames = len(samples) // n
    if frames == 0:
        return np.full(1, -120.0)
    block = samples[: frames * n].reshape(frames, n).astype(np.float64)
    rms = np.sqrt(np.mean(block * block, axis=1))
    with np.errstate(divide="ignore"):
        return np.maximum(20 * np.log10(np.maximum(rms, 1e-12)), -120.0)


def _peak_db(samples: np.ndarray) -> float:
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    return 20 * float(np.log10(peak)) if peak > 0 else -120.0


def _voice_threshold(env: np.ndarray) -> float:
    """A level between the noise floor and speech: what counts as a pause."""
    loud = float(np.percentile(env, 95))
    floor = float(np.percentile(env, 10))
    # Halfway (in dB) between a quiet room and speech, but never closer than 12 dB to
    # the speech level, so soft syllables are not taken for pauses.
    return min((loud + floor) / 2, loud - 12.0)


def trim_silence(samples: np.ndarray, rate: int, margin: float = KEEP_MARGIN) -> np.ndarray:
    """``samples`` without the silence before the first and after the last sound."""
    env = _envelope_db(samples, rate)
    voiced = np.nonzero(env > _voice_threshold(env))[0]
    if len(voiced) == 0:
        return samples
    n = int(rate * HOP)
    start = max(0, voiced[0] * n - int(margin * rate))
    end = min(len(samples), (voiced[-1] + 1) * n + int(margin * rate))
    return samples[start:end]


def split_points(samples: np.ndarray, rate: int, weights: Sequence[float]) -> list[float]:
    """Where to cut one take into ``len(weights)`` parts, in seconds.

    Each part's expected length is proportional to its weight (its word count); the
    cut goes in the middle of the longest pause near that expectation, so a scene
    never starts mid-word. Without a usable pause, the quietest moment nearby wins.
    """
    total = len(samples) / float(rate)
    if len(weights) < 2:
        return []
    w = np.maximum(np.asarray(weights, dtype=np.float64), 1e-6)
    expected = np.cumsum(w)[:-1] / w.sum() * total
    env = _envelope_db(samples, rate)
    quiet = env < _voice_threshold(env)
    # Pauses: runs of quiet frames (start, end) in frame indexes.
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(quiet):
        if quiet[i]:
            j = i
            while j < len(quiet) and quiet[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    min_part = min(0.5, total / (len(weights) * 2))
    cuts: list[float] = []
    previous = 0.0
    for k, t in enumerate(expected):
        part = total * w[k] / w.sum()
        window = max(1.5, 0.4 * part)
        best: tuple[float, float] | None = None  # (score, time)
        for a, b in runs:
            length = (b - a) * HOP
            centre = (a + b) / 2 * HOP
            if length < 0.12 or abs(centre - t) > window or centre <= previous + min_part:
                continue
            # Prefer long pauses (sentence ends) but stay near the expectation.
            score = length - 0.35 * abs(centre - t) / window
            if best is None or score > best[0]:
                best = (score, centre)
        if best is None:
            lo = max(int((previous + min_part) / HOP), int((t - window) / HOP), 0)
            hi = min(int((t + window) / HOP), len(env) - 1)
            if hi <= lo:
                cut = max(t, previous + min_part)
            else:
                cut = (lo + int(np.argmin(env[lo:hi + 1]))) * HOP + HOP / 2
        else:
            cut = best[1]
        remaining = len(weights) - k - 1
        cut = min(cut, total - min_part * remaining)
        cuts.append(round(cut, 3))
        previous = cut
    return cuts


def _quietest(samples: np.ndarray, rate: int, lo: float, hi: float) -> float:
    """The middle of the quietest 10 ms between ``lo`` and ``hi`` seconds (``lo`` if empty)."""
    a, b = int(lo * rate), int(hi * rate)
    if b - a < int(HOP * rate) * 2:
        return (lo + hi) / 2
    env = _envelope_db(samples[a:b], rate)
    # The longest run of the quietest frames: the middle of the pause, not its edge.
    quiet = env <= env.min() + 3.0
    best, run, best_at, start = 0, 0, 0, 0
    for i, q in enumerate(quiet):
        run = run + 1 if q else 0
        if run == 1:
            start = i
        if run > best:
            best, best_at = run, start
    return lo + (best_at + best / 2) * HOP


def script_split_points(samples: np.ndarray, rate: int, texts: Sequence[str], transcriber: object,
                        language: str, ctx: JobContext, workdir: Path) -> tuple[list[float], object]:
    """Cut a take where the script says the scenes change, from what Whisper heard.

    The whole script is aligned to the recognised words (``align_to_script``): each
    scene's words get times, and each cut goes in the quietest moment between one
    scene's last word and the next one's first. Returns (cuts, the transcript).
    """
    from studio.engines.base import TranscribeRequest
    from studio.pipeline.subtitles.align import align_to_script, script_words

    counts = [len(script_words(t)) for t in texts]
    tmp = Path(workdir) / f".take-{hashlib.sha256(samples[:rate].tobytes()).hexdigest()[:8]}.wav"
    try:
        write_wav(tmp, samples, rate)
        request = TranscribeRequest(tmp, language or "id")
        transcript = transcriber.transcribe(request, ctx)  # type: ignore[attr-defined]
    finally:
        tmp.unlink(missing_ok=True)
    total = len(samples) / float(rate)
    words = align_to_script(" ".join(texts), list(transcript.words), duration=total)
    cuts: list[float] = []
    k = 0
    previous = 0.0
    for n in counts[:-1]:
        k += n
        if not 0 < k < len(words):
            cuts.append(previous)
            continue
        end, start = words[k - 1].end, words[k].start
        lo, hi = (end, start) if start > end else (start - 0.15, start + 0.15)
        cut = _quietest(samples, rate, max(lo, previous), max(hi, previous))
        cut = min(max(cut, previous + MIN_VOICE_SECONDS / 2), total)
        cuts.append(round(cut, 3))
        previous = cut
    return cuts, transcript


# ---------------------------------------------------------------- writing


def check_audio_file(src: Path, max_seconds: float) -> None:
    """Refuse, before decoding anything, a file that is missing, empty (0 bytes: a failed
    copy from a phone) or whose header declares more than ``max_seconds``: a 3-hour
    recording is refused from its header instead of being half-read and then called too long."""
    from studio.engines.support.media_length import refuse_longer_than

    src = Path(src)
    if not src.is_file():
        raise MediaError(f"{src.name} does not exist or is not a file.",
                         f"{src.name} tidak ada atau bukan berkas.")
    if src.stat().st_size == 0:
        raise MediaError(
            f"{src.name} is empty (0 bytes); the copy probably failed. Copy the file again "
            "from its source and import it.",
            f"{src.name} kosong (0 bita); kemungkinan penyalinannya gagal. Salin lagi berkas itu "
            "dari sumbernya lalu impor.")
    refuse_longer_than(src, max_seconds)


def _decode(src: Path, max_seconds: float) -> np.ndarray:
    src = Path(src)
    check_audio_file(src, max_seconds)
    samples = read_audio(src, rate=RATE, channels=1, max_seconds=max_seconds + 1.0)[:, 0]
    seconds = len(samples) / RATE
    if seconds > max_seconds:
        raise MediaError(
            f"{src.name} is longer than {max_seconds:.0f} s; cut it to the part you need first.",
            f"{src.name} lebih panjang dari {max_seconds:.0f} detik; potong dulu bagian yang "
            "diperlukan.")
    if _peak_db(samples) < SILENT_PEAK_DB:
        raise MediaError(
            f"{src.name} is silent. Check that the microphone is on and not muted, then try again.",
            f"{src.name} tidak bersuara. Periksa mikrofon menyala dan tidak dibisukan, lalu coba "
            "lagi.")
    return samples


def _write_scene_voice(project: Project, root: Path, scene_id: str, samples: np.ndarray,
                       origin: ImportOrigin, *, source_sha: str, note: str,
                       declared: Origin | None = None) -> VoiceAsset:
    samples = trim_silence(samples, RATE)
    seconds = len(samples) / RATE
    if seconds < MIN_VOICE_SECONDS:
        raise MediaError(
            f"The recording for this scene is too short ({seconds:.1f} s) to be narration.",
            f"Rekaman untuk adegan ini terlalu pendek ({seconds:.1f} detik) untuk narasi.")
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    hash8 = hashlib.sha256(pcm.tobytes()).hexdigest()[:8]
    storage.ensure_subdirs(root)
    final = Path(root) / "voice" / f"{scene_id}-rec-{hash8}.wav"
    with storage.atomic_output(final) as part:
        write_wav(part, samples, RATE)
    log_declared(root, "voice", "record" if origin == "recorded" else "import", declared, scene_id=scene_id,
                 outputs=[final], inputs={"source": source_sha}, note=note if declared is None else "")
    return VoiceAsset(path=storage.relative_to_root(root, final), origin=origin, engine="",
                      voice="", duration=round(seconds, 4), sample_rate=RATE,
                      sha256=file_sha256(final), declared=declared)


def _check_scene(project: Project, scene_id: str) -> None:
    try:
        project.scene(scene_id)
    except KeyError:
        raise StudioError(f"Scene {scene_id} is no longer in the project.",
                          f"Adegan {scene_id} sudah tidak ada di proyek.") from None


def import_voice(project: Project, root: Path, scene_id: str, src: Path, *,
                 origin: ImportOrigin = "imported", declared: Origin | None = None) -> VoiceAsset:
    """Make ``src`` (any audio file) the narration of one scene.

    ``declared``: the creator's word on where the recording came from (an AI voice made in
    another tool such as ElevenLabs, or their own voice), kept on the asset and in the AI log.

    Returns the new VoiceAsset (the caller puts it on the scene and saves).

    Raises:
        MediaError: the file is missing, not audio, silent, too short or too long.
    """
    _check_scene(project, scene_id)
    src = Path(src)
    samples = _decode(src, MAX_SCENE_SECONDS)
    what = "recorded in Studio Lokal" if origin == "recorded" else f"imported from {src.name}"
    return _write_scene_voice(project, root, scene_id, samples, origin,
                              source_sha=file_sha256(src), note=f"Creator's own voice, {what}.", declared=declared)


def import_whole_take(project: Project, root: Path, src: Path, *,
                      origin: ImportOrigin = "imported", ctx: JobContext | None = None,
                      transcriber: object | None = None, declared: Origin | None = None) -> TakeSplit:
    """Split one take of the whole narration into the project's scenes.

    With ``transcriber`` (a transcribe engine), the take is transcribed in the project's
    language and cut where the aligned script changes scene; without one, parts are
    sized by the scenes' word counts and cut at pauses. Scenes without narration get
    no voice. Cancel between scenes keeps the ones written (``Cancelled.partial`` is a
    TakeSplit).
    """
    ctx = ctx or JobContext("voice")
    targets = [s for s in project.scenes if s.narration.strip()]
    if not targets:
        raise StudioError("Write the narration first: the take is split by the scenes' text.",
                          "Tulis narasi dulu: rekaman dibagi menurut teks tiap adegan.")
    src = Path(src)
    ctx.progress(0, len(targets) + 1, "Membaca rekaman")
    samples = trim_silence(_decode(src, MAX_TAKE_SECONDS), RATE)
    take = len(samples) / RATE
    if take < MIN_VOICE_SECONDS * len(targets):
        raise MediaError(
            f"{src.name} is too short ({take:.1f} s) for {len(targets)} scenes.",
            f"{src.name} terlalu pendek ({take:.1f} detik) untuk {len(targets)} adegan.")
    method, heard, listener = "pauses", "", ""
    if transcriber is not None and len(targets) > 1:
        storage.ensure_subdirs(root)
        child = ctx.child("transcribe", 0, 1.0, len(targets) + 1)
        cuts, transcript = script_split_points(samples, RATE, [s.narration for s in targets], transcriber,
                                               project.brief.language, child, Path(root) / "voice")
        heard = getattr(transcript, "text", "")
        prov = getattr(transcript, "provenance", None)
        listener = f"{prov.tool} {prov.model}".strip() if prov is not None else "a speech recogniser"
        method = "script"
    else:
        cuts = split_points(samples, RATE, [max(1, count_words(s.narration)) for s in targets])
    bounds = [0.0, *cuts, take]
    source_sha = file_sha256(src)
    result = TakeSplit(cuts=cuts, take_seconds=round(take, 3), method=method, heard=heard)
    what = "recorded in Studio Lokal" if origin == "recorded" else f"imported from {src.name}"
    try:
        for i, scene in enumerate(targets):
            ctx.check()
            ctx.progress(i + 1, len(targets) + 1, f"Adegan {i + 1} dari {len(targets)}")
            part = samples[int(bounds[i] * RATE): int(bounds[i + 1] * RATE)]
            how = (f"where the script changes scene ({listener} listened to the take only to find the "
                   "cuts)") if method == "script" else "at a pause"
            note = (f"Creator's own voice, one take for the whole video ({what}); part {i + 1} of "
                    f"{len(targets)}, cut automatically {how} ({bounds[i]:.2f}–{bounds[i + 1]:.2f} s).")
            result.voices[scene.id] = _write_scene_voice(project, root, scene.id, part, origin,
                                                         source_sha=source_sha, note=note, declared=declared)
    except Cancelled as exc:
        exc.partial = result
        raise
    ctx.progress(len(targets) + 1, len(targets) + 1, "Selesai")
    return result


# ---------------------------------------------------------------- the creator's own music


MAX_MUSIC_SECONDS = 30 * 60.0


def import_music(project: Project, root: Path, src: Path, licence: str, *,
                 declared: Origin | None = None) -> Music:
    """Copy a music file the creator brings into music/ and return the updated ``Music``.

    The licence (or "own work") is required: the AI-usage report and the jury need
    to know the bed may be used. The file is kept as it is (the mix decodes any format
    and loops it); it is checked to be real, non-silent audio first.
    """
    licence = licence.strip()
    if not licence:
        raise StudioError(
            "Write the music's licence (for example \"CC BY 4.0, composer's name\" or \"my own "
            "work\") before using it.",
            "Tulis lisensi musiknya (misalnya \"CC BY 4.0, nama pencipta\" atau \"karya sendiri\") "
            "sebelum memakainya.")
    src = Path(src)
    check_audio_file(src, MAX_MUSIC_SECONDS)
    head = read_audio(src, rate=RATE, channels=2, max_seconds=20.0)
    if _peak_db(head) < SILENT_PEAK_DB:
        raise MediaError(f"{src.name} is silent at the start; choose another music file.",
                         f"{src.name} senyap di bagian awal; pilih berkas musik lain.")
    sha = file_sha256(src)
    suffix = src.suffix.lower() if src.suffix and len(src.suffix) <= 6 else ".audio"
    storage.ensure_subdirs(root)
    final = Path(root) / "music" / f"own-{sha[:8]}{suffix}"
    with storage.atomic_output(final) as part:
        shutil.copyfile(src, part)
    log_declared(root, "music", "import", declared, outputs=[final], inputs={"source": sha}, what=src.name,
                 note=(f"Creator's own music from {src.name}; licence: {licence}." if declared is None
                       else f"Licence: {licence}."))
    return project.music.model_copy(update={"source": "imported", "path": storage.relative_to_root(root, final),
                                            "licence": licence, "inputs_hash": "", "declared": declared})
