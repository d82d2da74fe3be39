"""How long a media file is, read from its container (no decoding), and the limits on decoding.

A whole decode holds every sample in memory: a 3-hour recording at 48 kHz stereo
float32 is 4 GB, more than an 8 GB laptop can spare. Every place that decodes a
file the creator brings in *without* a length cap asks here first and refuses a
file that is too long, with a sentence saying what to do, before a byte of audio
is decoded. Callers that decode with a cap (``read_audio(..., max_seconds=...)``)
never hold more than the cap and need no check. PyAV is imported inside the functions
(start-up time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core.errors import MediaError

MAX_DECODE_SECONDS = 20 * 60.0
"""Longest file decoded whole at 48 kHz stereo (20 min of float32 = 460 MB)."""
MAX_TRANSCRIBE_SECONDS = 60 * 60.0
"""Longest file Whisper is given (1 h at 16 kHz mono = 230 MB of samples, plus features)."""


def seconds_of(container: Any) -> float | None:
    """The duration an open PyAV container declares (container header, else its first
    audio or video stream), or None when it declares none."""
    import av

    if container.duration:
        return float(container.duration) / av.time_base
    for stream in list(container.streams.audio) + list(container.streams.video):
        if stream.duration and stream.time_base:
            return float(stream.duration * stream.time_base)
    return None


def container_seconds(path: Path) -> float | None:
    """The declared duration of ``path`` in seconds; None when unknown or unreadable
    (the decoder that runs next reports a damaged file in its own words)."""
    import av  # here, not at the top: importing PyAV costs start-up time

    try:
        with av.open(str(path)) as container:
            return seconds_of(container)
    except (av.error.FFmpegError, OSError, ValueError):
        return None


def _clock(seconds: float) -> str:
    minutes = int(round(seconds / 60.0))
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


def too_long(path: Path, seconds: float, limit: float) -> MediaError:
    """The error for a file longer than ``limit`` seconds."""
    name = Path(path).name
    clock, limit_min = _clock(seconds), int(limit // 60)
    clock_id = clock.replace(" h ", " jam ").replace("min", "menit")
    return MediaError(
        f"{name} is {clock} long; Studio Lokal reads audio up to {limit_min} minutes at a time. "
        "Cut the part you need (for example with Audacity) and use that file.",
        f"{name} berdurasi {clock_id}; Studio Lokal membaca audio paling panjang {limit_min} menit "
        "sekaligus. Potong bagian yang diperlukan (misalnya dengan Audacity) lalu pakai berkas itu.")


def refuse_longer_than(path: Path, limit: float) -> float | None:
    """Raise MediaError when ``path`` declares more than ``limit`` seconds; returns the
    declared duration (None when the container does not say)."""
    seconds = container_seconds(path)
    if seconds is not None and seconds > limit:
        raise too_long(path, seconds, limit)
    return seconds
