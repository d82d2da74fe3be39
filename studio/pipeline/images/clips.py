"""The creator's own video clip on a scene (issue 15): checked, copied in, described.

``import_clip`` refuses what cannot play with a sentence (no picture, only sound, a
codec PyAV cannot decode, a 10-bit HDR clip, an in point past the end) before
anything is written, so the project is unchanged. The chosen part is checked by
decoding it: a corrupt tail shortens the out point to what decodes, and
the result says so. A small file is copied into ``images/`` byte for byte; a large
one (a 2-hour recording) is cut to the chosen part with a stream copy that starts
at the keyframe before the in point, so only that part is ever read.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.errors import MediaError, UsageError
from studio.core.hashing import file_sha256
from studio.core.origin import Origin
from studio.core.project import CLIP_SPEEDS, ClipAsset, Project
from studio.core.storage import atomic_output, relative_to_root
from studio.pipeline.images.step import own_source
from studio.pipeline.media import ffmpeg
from studio.pipeline.media.video import probe_clip
from studio.pipeline.provenance import log_declared

CLIP_EXTENSIONS = (".mp4", ".mov", ".mkv", ".webm", ".3gp", ".m4v")
COPY_WHOLE_BYTES = 300 * 1024 * 1024
"""Files up to this size are copied whole (the in/out points stay editable over all of it)."""
SCAN_SECONDS = 180.0
"""Without an out point, at most this much after the in point is checked and kept (no
scene of a 60-90 s video plays longer)."""


@dataclass
class ClipImport:
    clip: ClipAsset
    warnings: list[str] = field(default_factory=list)


def _usage(en: str, id_: str) -> UsageError:
    return UsageError(en, id_)


def check_options(start: float, end: float | None, speed: float, focus: tuple[float, float]) -> None:
    """UsageError for in/out points, speed or focus outside what a clip can take."""
    if start < 0 or (end is not None and end <= start):
        raise _usage(f"The clip's out point ({end}) must come after its in point ({start}), both at 0 s or later.",
                     f"Titik akhir klip ({end}) harus sesudah titik awalnya ({start}), keduanya mulai 0 dtk.")
    low, high = CLIP_SPEEDS
    if not low <= speed <= high:
        raise _usage(f"The clip's speed {speed:g}× is outside {low:g}× to {high:g}×.",
                     f"Kecepatan klip {speed:g}× di luar {low:g}× sampai {high:g}×.")
    if not all(0.0 <= f <= 1.0 for f in focus):
        raise _usage("The focus point is given as two fractions of the picture, each from 0 to 1.",
                     "Titik fokus diberikan sebagai dua pecahan gambar, masing-masing 0 sampai 1.")


def decodable_until(src: Path, start: float, end: float) -> tuple[float, bool]:
    """The last frame time at or before ``end`` that decodes, and whether decoding broke.

    Seeks to ``start`` (the keyframe before it) and decodes up to ``end``, so only that
    part is read; frames are not converted, which keeps it cheap.
    """
    import av

    last = start
    with av.open(str(src)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if start > 0.05:
            container.seek(int(start / stream.time_base), stream=stream, backward=True)
        try:
            for frame in container.decode(stream):
                if frame.pts is None:
                    continue
                t = float(frame.pts * frame.time_base)
                if t > end:
                    return last, False
                last = max(last, t)
        except (av.error.FFmpegError, ValueError):
            return last, True
    return last, False


def _keyframe_before(src: Path, at: float) -> float:
    import av

    with av.open(str(src)) as container:
        stream = container.streams.video[0]
        if at > 0.05:
            container.seek(int(at / stream.time_base), stream=stream, backward=True)
        for packet in container.demux(stream):
            if packet.pts is not None and packet.is_keyframe:
                return min(at, float(packet.pts * packet.time_base))
    return 0.0


def _copy_part(src: Path, part: Path, start: float, seconds: float) -> None:
    """Stream-copy ``seconds`` from ``start`` (a keyframe) of ``src`` into ``part`` (MP4/MKV as the source)."""
    done = ffmpeg.run(["-loglevel", "error", "-y", "-ss", f"{start:.6f}", "-i", str(src),
                       "-t", f"{seconds:.6f}", "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy",
                       "-avoid_negative_ts", "make_zero", "-f", "matroska", str(part)], timeout=600)
    if done.returncode != 0:
        raise MediaError(f"{src.name}: the chosen part could not be copied into the project.",
                         f"{src.name}: bagian yang dipilih tidak bisa disalin ke proyek.",
                         details=str(done.stderr)[-800:])


def import_clip(project: Project, root: Path, scene_id: str, src: Path, *, start: float = 0.0,
                end: float | None = None, fit: str = "crop", audio: str = "duck", speed: float = 1.0,
                focus: tuple[float, float] = (0.5, 0.5), short: str = "hold",
                declared: Origin | None = None, copy_whole_bytes: int = COPY_WHOLE_BYTES) -> ClipImport:
    """Check ``src`` and copy it (or its chosen part) into ``images/`` for scene ``scene_id``.

    Returns the ClipAsset to put on the scene; the project itself is not changed here
    (the caller sets ``scene.clip`` and saves). Raises UsageError or MediaError, having
    written nothing, for anything that cannot be used.
    """
    src = own_source(project, scene_id, src)
    check_options(start, end, speed, focus)
    facts = probe_clip(src)
    if facts.duration and start >= facts.duration:
        raise _usage(f"{src.name} is {facts.duration:.1f} s long; the in point {start:g} s is past its end.",
                     f"{src.name} panjangnya {facts.duration:.1f} dtk; titik awal {start:g} dtk melewati akhirnya.")
    warnings: list[str] = []
    wanted_end = end if end is not None else min(facts.duration or start + SCAN_SECONDS, start + SCAN_SECONDS)
    good, broke = decodable_until(src, start, wanted_end)
    if broke:
        if good <= start:
            raise MediaError(f"{src.name} is damaged from {start:g} s on: nothing there decodes.",
                             f"{src.name} rusak mulai {start:g} dtk: tidak ada yang bisa dibaca di sana.")
        warnings.append(f"{src.name} is damaged after {good:.1f} s; the clip ends there "
                        f"({src.name} rusak setelah {good:.1f} dtk; klip berakhir di situ).")
        end = good
    folder = Path(root) / "images"
    folder.mkdir(parents=True, exist_ok=True)
    whole = src.stat().st_size <= copy_whole_bytes
    stamp = hashlib.sha256(f"{src.resolve()}\0{src.stat().st_size}\0{src.stat().st_mtime_ns}\0{start}\0{end}"
                           .encode()).hexdigest()[:8]
    offset = 0.0
    if whole:
        ext = src.suffix.lower() if src.suffix.lower() in CLIP_EXTENSIONS else ".mp4"
        path = folder / f"{scene_id}-clip-{stamp}{ext}"
        with atomic_output(path) as part:
            shutil.copyfile(src, part)
        duration = facts.duration
    else:
        offset = _keyframe_before(src, start)
        stop = end if end is not None else wanted_end
        path = folder / f"{scene_id}-clip-{stamp}.mkv"
        with atomic_output(path) as part:
            _copy_part(src, part, offset, stop - offset + 0.5)
        duration = probe_clip(path).duration
        warnings.append(f"{src.name} is large; only {offset:.1f}-{stop:.1f} s was copied into the project "
                        f"({src.name} besar; hanya {offset:.1f}-{stop:.1f} dtk yang disalin ke proyek).")
    clip = ClipAsset(path=relative_to_root(root, path), start=round(start - offset, 6),
                     end=None if end is None else round(end - offset, 6), fit=fit, focus_x=focus[0],
                     focus_y=focus[1], speed=speed, audio=audio if facts.has_audio else "mute", short=short,
                     duration=duration, width=facts.width, height=facts.height, rotation=facts.rotation,
                     fps=round(facts.fps, 3), has_audio=facts.has_audio, codec=facts.codec,
                     sha256=file_sha256(path), declared=declared)
    log_declared(root, "images", "replace", declared, scene_id=scene_id, what=src.name,
                 note="" if declared else f"Klip milik kreator: {src.name}", outputs=[path],
                 inputs={"source": src.name})
    return ClipImport(clip, warnings)


_KEEP: object = object()
"""``edit_clip``'s "leave this setting as it is" (``end=None`` means "to the clip's end")."""


def edit_clip(clip: ClipAsset, *, start: float | None = None, end: float | None | object = _KEEP,
              fit: str | None = None, audio: str | None = None, speed: float | None = None,
              focus: tuple[float, float] | None = None, short: str | None = None) -> ClipAsset:
    """A copy of ``clip`` with the given settings changed, checked as ``import_clip`` checks them.

    The window's clip card calls this for every change, so an in/out point, speed or sound
    the CLI would refuse is refused here with the same sentence, and ``clip`` is untouched.
    """
    new_start = clip.start if start is None else float(start)
    new_end = clip.end if end is _KEEP else (None if end is None else float(end))
    new_speed = clip.speed if speed is None else float(speed)
    new_focus = (clip.focus_x, clip.focus_y) if focus is None else (float(focus[0]), float(focus[1]))
    check_options(new_start, new_end, new_speed, new_focus)
    name = Path(clip.path).name
    if clip.duration and new_start >= clip.duration:
        raise _usage(f"{name} is {clip.duration:.1f} s long; the in point {new_start:g} s is past its end.",
                     f"{name} panjangnya {clip.duration:.1f} dtk; titik awal {new_start:g} dtk melewati akhirnya.")
    new_audio = clip.audio if audio is None else audio
    if new_audio != "mute" and not clip.has_audio:
        raise _usage(f"{name} has no sound of its own to keep or duck.",
                     f"{name} tidak punya suara sendiri untuk dipertahankan atau direndahkan.")
    changes = {"start": new_start, "end": new_end, "speed": new_speed, "focus_x": new_focus[0],
               "focus_y": new_focus[1], "audio": new_audio, "fit": clip.fit if fit is None else fit,
               "short": clip.short if short is None else short}
    try:
        return ClipAsset.model_validate({**clip.model_dump(), **changes})
    except ValueError as exc:  # pydantic: a fit, sound or short choice that does not exist
        raise _usage(f"{name}: {changes['fit']!r}, {changes['audio']!r} or {changes['short']!r} is not a clip "
                     "setting (fit crop|blur, sound mute|keep|duck, shorter hold|slow).",
                     f"{name}: {changes['fit']!r}, {changes['audio']!r} atau {changes['short']!r} bukan "
                     "pengaturan klip (fit crop|blur, suara mute|keep|duck, lebih pendek hold|slow).") from exc


__all__ = ["CLIP_EXTENSIONS", "ClipImport", "check_options", "decodable_until", "edit_clip", "import_clip"]
