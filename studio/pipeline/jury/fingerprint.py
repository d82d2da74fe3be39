"""The same video submitted twice: a perceptual fingerprint of sampled frames.

Eight frames spread over the video, each shrunk to 9×8 grey pixels and reduced to a 64-bit
difference hash (is each pixel brighter than its right neighbour). Re-encoding, resizing or a
new bitrate change few of those bits; another video changes about half. Two entries are the
same video when their lengths agree within 2 % and their frames differ by at most
``MAX_BITS`` bits on average. Frames come from the bundled ffmpeg, streamed, never whole.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

FRAMES = 8
MAX_BITS = 10
"""Mean differing bits per frame (of 64) still counted as the same picture."""
MIN_CONTRAST = 12
"""A frame whose grey levels span less than this (a flat card, a black frame) says nothing about
which video it is; it is left out, so two plain-colour videos are not called one."""


def frame_hashes(video: Path, duration: float, frames: int = FRAMES) -> list[int]:
    """The difference hash of ``frames`` frames spread over ``video`` ([] if it cannot be read)."""
    from studio.pipeline.media import ffmpeg

    if duration <= 0:
        return []
    rate = frames / duration
    try:
        proc = ffmpeg.run(["-v", "error", "-i", str(video), "-an",
                           "-vf", f"fps={rate:.6f},scale=9:8:flags=area,format=gray",
                           "-frames:v", str(frames), "-f", "rawvideo", "-"], timeout=120, binary=True)
    except (OSError, subprocess.TimeoutExpired):
        return []
    data = proc.stdout or b""
    out = []
    for i in range(len(data) // 72):
        px = data[i * 72:(i + 1) * 72]
        if max(px) - min(px) < MIN_CONTRAST:
            out.append(-1)  # uninformative: kept as a place holder so frames stay aligned
            continue
        bits = 0
        for y in range(8):
            row = px[y * 9:(y + 1) * 9]
            for x in range(8):
                bits = (bits << 1) | (row[x] > row[x + 1])
        out.append(bits)
    return out


def same_video(a: Sequence[int], da: float, b: Sequence[int], db: float) -> bool:
    """Whether two fingerprints (and lengths) are one video."""
    pairs = [(x, y) for x, y in zip(a, b) if x >= 0 and y >= 0]
    if len(pairs) < max(2, FRAMES // 2) or abs(da - db) > 0.02 * max(da, db):
        return False
    return sum(bin(x ^ y).count("1") for x, y in pairs) / len(pairs) <= MAX_BITS
