"""Real MP4 samples for the rule tests, made with imageio-ffmpeg's ffmpeg and cached.

Each sample is a lavfi source (flat colour + a sine) encoded with x264 ultrafast, so
one takes about a second (the 60–90 s competition samples a few). Files are cached
in the temp folder under a name that hashes the ffmpeg arguments, written to
``.part`` and renamed, so every test session (and every test module) reuses the same
files and a killed run never leaves a half-written sample behind.

Two families:
- competition-sized (720×1280, 60–90 s) for the duration rules of ``ai-local-content-2025``;
- Reels-sized (1080×1920, 4 s) that meet every ``reels`` rule except the one a sample
  breaks, so each fails exactly its rule against a built-in preset.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

import imageio_ffmpeg

CACHE = Path(tempfile.gettempdir()) / "studio-test-media"

# Stereo 440 Hz sine: ffmpeg's sine is 1/8 full scale; +7.8 dB lands at -14.0 LUFS
# (measured with pipeline.media.audio.measure_loudness), true peak about -11.6 dBTP.
TARGET_GAIN_DB = 7.8
TITLE = "Weton: Hitungan Hari Lahir"
COMMENT = "Dibuat dengan bantuan AI: Whisper base — Subtitle."


def _video(size: str, fps: int, seconds: float) -> list[str]:
    return ["-f", "lavfi", "-i", f"color=c=0x336699:s={size}:r={fps}:d={seconds}"]


def _sine(seconds: float, gain_db: float = TARGET_GAIN_DB) -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=f=440:r=48000:d={seconds}", "-af", f"volume={gain_db}dB",
            "-ac", "2"]


_X264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
_AAC = ["-c:a", "aac", "-b:a", "64k", "-ar", "48000"]
_FAST = ["-movflags", "+faststart"]
_META = ["-metadata", f"title={TITLE}", "-metadata", f"comment={COMMENT}"]

SMALL = "360x640"
REELS = "1080x1920"
R_SECONDS = 4


def _reels(size: str = REELS, fps: int = 30) -> list[str]:
    return _video(size, fps, R_SECONDS)


SAMPLES: dict[str, list[str]] = {
    # Competition-sized (shorter side 720 >= min_height) for the duration rules. 30 fps
    # so 59.9 s and 90.1 s are whole frames (1797 and 2703): the file really is that long.
    "ok": _video("720x1280", 24, 60.5) + _sine(60.5) + _X264 + _AAC + _FAST + _META,
    "short": _video("720x1280", 30, 59.9) + _sine(59.9) + _X264 + _AAC + _FAST + _META,
    "long": _video("720x1280", 30, 90.1) + _sine(90.1) + _X264 + _AAC + _FAST + _META,
    # Reels-sized: compliant with the ``reels`` preset except for the one thing named.
    "reels_ok": _reels() + _sine(R_SECONDS) + _X264 + _AAC + _FAST,
    "p720": _reels("720x1280") + _sine(R_SECONDS) + _X264 + _AAC + _FAST,
    "landscape": _reels("1920x1080") + _sine(R_SECONDS) + _X264 + _AAC + _FAST,
    "no_audio": _reels() + _X264 + ["-an"] + _FAST,
    "fps60": _reels(fps=60) + _sine(R_SECONDS) + _X264 + _AAC + _FAST,
    "fps15": _reels(fps=15) + _sine(R_SECONDS) + _X264 + _AAC + _FAST,
    "hevc": _reels() + _sine(R_SECONDS) + ["-c:v", "libx265", "-preset", "ultrafast",
                                           "-pix_fmt", "yuv420p", "-x265-params", "log-level=error"]
    + _AAC + _FAST,
    "no_faststart": _reels() + _sine(R_SECONDS) + _X264 + _AAC,
    "too_loud": _reels() + _sine(R_SECONDS, 20.0) + _X264 + _AAC + _FAST,
    "mono_silent": _reels() + ["-f", "lavfi", "-i", f"anullsrc=r=48000:cl=mono:d={R_SECONDS}"]
    + _X264 + _AAC + ["-shortest"] + _FAST,
    "full_range": _reels() + _sine(R_SECONDS) + ["-c:v", "libx264", "-preset", "ultrafast",
                                                  "-pix_fmt", "yuvj420p"] + _AAC + _FAST,
    # Small and short for the export bundle and the C2PA tests (fast to copy and hash).
    "small_ok": _video(SMALL, 24, 4) + _sine(4) + _X264 + _AAC + _FAST,
}

DERIVED: dict[str, tuple[str, list[str], list[str]]] = {
    # A phone-style portrait video: stored 1920×1080 with a 90° display rotation.
    "rotated": ("landscape", ["-display_rotation", "90"], ["-c", "copy"] + _FAST),
}
"""name -> (source sample, input options, output options): made from another sample."""


def ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def has_encoder(name: str) -> bool:
    out = subprocess.run([ffmpeg(), "-hide_banner", "-encoders"], capture_output=True, text=True)
    return any(line.split()[1:2] == [name] for line in out.stdout.splitlines() if line.strip())


def _make(name: str, args: list[str], key: str) -> Path:
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    target = CACHE / f"{name}-{digest}.mp4"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f"{target.stem}.{os.getpid()}.part.mp4")
    cmd = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *args, "-threads", "2", str(part)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        part.unlink(missing_ok=True)
        raise RuntimeError(f"ffmpeg could not make sample {name}: {done.stderr[-800:]}")
    os.replace(part, target)
    return target


def sample(name: str) -> Path:
    """The cached sample ``name`` (made on first use)."""
    if name in DERIVED:
        source, before, after = DERIVED[name]
        src = sample(source)
        return _make(name, [*before, "-i", str(src), *after], "\0".join([src.name, *before, *after]))
    args = SAMPLES[name]
    return _make(name, args, "\0".join(args))
