"""The same video submitted twice: a perceptual fingerprint of sampled frames and the sound.

Pictures: eight frames spread over the video (reached by seeking, so only a few GOPs are
decoded, not the whole film), each shrunk to 9×8 grey pixels and reduced to a 64-bit
difference hash (is each pixel brighter than its right neighbour). Re-encoding, resizing or a
new bitrate change few of those bits; another video changes about half.

Sound: the loudness envelope of the decoded audio (mono, 8 kHz, energy in 0.5 s windows, in
dB). A re-encode keeps its shape; another soundtrack does not. A flat envelope (a steady
tone, silence) says nothing and is left out, as are flat frames.

Two entries are the same video when their lengths agree within 2 %, their frames differ by
at most ``MAX_BITS`` bits on average, and — when both have an informative envelope — their
envelopes correlate at least ``MIN_AUDIO_CORR``. Either signal alone may decide when the other
is uninformative on one side, so a still-picture slideshow with the same narration is found.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FRAMES = 8
MAX_BITS = 10
"""Mean differing bits per frame (of 64) still counted as the same picture."""
MIN_CONTRAST = 12
"""A frame whose grey levels span less than this (a flat card, a black frame) says nothing about
which video it is; it is left out, so two plain-colour videos are not called one."""
WINDOW_S = 0.5
AUDIO_RATE = 8000
MIN_AUDIO_SPREAD_DB = 3.0
"""An envelope whose standard deviation is below this is a steady tone or silence: uninformative."""
MIN_AUDIO_CORR = 0.8
MAX_FINGERPRINT_SECONDS = 20 * 60.0
"""A file longer than this (a lying ten-hour header, a film) is not fingerprinted: an entry
lasts 60–90 s, and decoding hours would stall the whole table."""


def frame_hashes(video: Path, duration: float, frames: int = FRAMES) -> list[int]:
    """The difference hash of ``frames`` frames spread over ``video`` ([] if it cannot be read);
    -1 stands for an uninformative (flat) frame, so positions stay aligned."""
    import av

    if duration <= 0 or duration > MAX_FINGERPRINT_SECONDS:
        return []
    out: list[int] = []
    try:
        with av.open(str(video)) as container:
            if not container.streams.video:
                return []
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            base = stream.time_base
            for i in range(frames):
                t = (i + 0.5) * duration / frames
                container.seek(int(t / float(base)), stream=stream, backward=True)
                picked = None
                for frame in container.decode(stream):
                    picked = frame
                    if frame.pts is not None and float(frame.pts * base) >= t:
                        break
                if picked is None:
                    out.append(-1)
                    continue
                grey = picked.reformat(width=9, height=8, format="gray", interpolation="AREA")
                out.append(_dhash(_plane_bytes(grey)))
    except (av.error.FFmpegError, OSError, ValueError):
        return []
    return out


def _plane_bytes(frame: object) -> bytes:
    """The 9×8 grey pixels row by row (planes are padded to a line size)."""
    plane = frame.planes[0]  # type: ignore[attr-defined]
    raw = bytes(plane)
    return b"".join(raw[y * plane.line_size:y * plane.line_size + 9] for y in range(8))


def _dhash(px: bytes) -> int:
    if len(px) < 72 or max(px) - min(px) < MIN_CONTRAST:
        return -1
    bits = 0
    for y in range(8):
        row = px[y * 9:(y + 1) * 9]
        for x in range(8):
            bits = (bits << 1) | (row[x] > row[x + 1])
    return bits


def audio_envelope(video: Path, duration: float) -> list[float]:
    """Energy in dB per ``WINDOW_S`` of the decoded sound ([] without sound, or uninformative)."""
    import numpy as np

    from studio.core.errors import MediaError
    from studio.pipeline.media.audio import read_audio

    if duration <= 0 or duration > MAX_FINGERPRINT_SECONDS:
        return []
    try:
        samples = read_audio(video, rate=AUDIO_RATE, channels=1, max_seconds=duration + 1)
    except MediaError:
        return []
    win = int(WINDOW_S * AUDIO_RATE)
    n = len(samples) // win
    if n < 8:
        return []
    blocks = samples[: n * win, 0].astype(np.float64).reshape(n, win)
    db = 10 * np.log10(np.mean(blocks * blocks, axis=1) + 1e-10)
    if float(np.std(db)) < MIN_AUDIO_SPREAD_DB:
        return []
    return [round(float(v), 2) for v in db]


def _envelopes_agree(a: Sequence[float], b: Sequence[float]) -> bool:
    import numpy as np

    n = min(len(a), len(b))
    x, y = np.asarray(a[:n], dtype=float), np.asarray(b[:n], dtype=float)
    # A small offset (different encoder priming) shifts windows: the best of ±2 windows counts.
    best = -1.0
    for lag in range(-2, 3):
        xs, ys = (x[lag:], y[:n - lag]) if lag >= 0 else (x[:n + lag], y[-lag:])
        if len(xs) < 8 or xs.std() == 0 or ys.std() == 0:
            continue
        best = max(best, float(np.corrcoef(xs, ys)[0, 1]))
    return best >= MIN_AUDIO_CORR


def same_video(a: Sequence[int], da: float, b: Sequence[int], db: float,
               audio_a: Sequence[float] = (), audio_b: Sequence[float] = ()) -> bool:
    """Whether two fingerprints (frames, lengths, sound envelopes) are one video."""
    if da <= 0 or db <= 0 or abs(da - db) > 0.02 * max(da, db):
        return False
    pairs = [(x, y) for x, y in zip(a, b) if x >= 0 and y >= 0]
    pictures = None
    if len(pairs) >= max(2, FRAMES // 2):
        pictures = sum(bin(x ^ y).count("1") for x, y in pairs) / len(pairs) <= MAX_BITS
    sound = _envelopes_agree(audio_a, audio_b) if audio_a and audio_b else None
    if pictures is None and sound is None:
        return False
    return pictures is not False and sound is not False
