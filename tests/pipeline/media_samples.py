"""Real MP4 samples for the rule tests, made with imageio-ffmpeg's ffmpeg and cached.

Each sample is a short lavfi source (flat colour + a sine) encoded with x264
ultrafast, so one takes about a second. Files are cached in the temp folder under a
name that hashes the ffmpeg arguments, written to ``.part`` and renamed, so every
test session (and every test module) reuses the same files and a killed run never
leaves a half-written sample behind.
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
# (measured with pipeline.audio.measure_loudness), true peak about -11.6 dBTP.
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
SAMPLES: dict[str, list[str]] = {
    # Competition-sized (shorter side 720 >= min_height) for the duration rules.
    "ok": _video("720x1280", 24, 60.5) + _sine(60.5) + _X264 + _AAC + _FAST + _META,
    "short": _video("720x1280", 24, 59.0) + _sine(59.0) + _X264 + _AAC + _FAST + _META,
    "long": _video("720x1280", 24, 91.0) + _sine(91.0) + _X264 + _AAC + _FAST + _META,
    # Small and short, checked against a permissive test preset so one rule fails.
    "small_ok": _video(SMALL, 24, 4) + _sine(4) + _X264 + _AAC + _FAST,
    "no_audio": _video(SMALL, 24, 4) + _X264 + ["-an"] + _FAST,
    "hevc": _video(SMALL, 24, 4) + _sine(4) + ["-c:v", "libx265", "-preset", "ultrafast",
                                                "-pix_fmt", "yuv420p", "-x265-params", "log-level=error"]
    + _AAC + _FAST,
    "landscape": _video("1280x720", 24, 4) + _sine(4) + _X264 + _AAC + _FAST,
    "fps60": _video(SMALL, 60, 4) + _sine(4) + _X264 + _AAC + _FAST,
    "no_faststart": _video(SMALL, 24, 4) + _sine(4) + _X264 + _AAC,
    "too_loud": _video(SMALL, 24, 4) + _sine(4, 20.0) + _X264 + _AAC + _FAST,
    "silent": _video(SMALL, 24, 4) + ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo:d=4"]
    + _X264 + _AAC + ["-shortest"] + _FAST,
    "full_range": _video(SMALL, 24, 4) + _sine(4) + ["-c:v", "libx264", "-preset", "ultrafast",
                                                      "-pix_fmt", "yuvj420p"] + _AAC + _FAST,
}


def ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def has_encoder(name: str) -> bool:
    out = subprocess.run([ffmpeg(), "-hide_banner", "-encoders"], capture_output=True, text=True)
    return any(line.split()[1:2] == [name] for line in out.stdout.splitlines() if line.strip())


def sample(name: str) -> Path:
    """The cached sample ``name`` (made on first use)."""
    args = SAMPLES[name]
    digest = hashlib.sha256("\0".join(args).encode()).hexdigest()[:12]
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
