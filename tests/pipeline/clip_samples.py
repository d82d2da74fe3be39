"""Phone-like clips for the clip tests, made with the bundled ffmpeg (imageio-ffmpeg) and cached.

``counter``: each frame's brightness says its frame number (luma 16 + 3·N), so a test
reads which source frame a rendered frame shows. ``vfr``: the same count with a
variable frame rate (30 fps for the first second, then 10 fps), so a frame index and a
time disagree. ``rotated``: a landscape picture, bright on its left half, stored with a
90° display rotation (upright it is portrait, bright at the bottom). Bad inputs:
``audio_only``, ``corrupt_tail`` (faststart, so the index survives; the last third of the data overwritten with junk), ``ten_bit``
(HEVC/H.264 at yuv420p10le when the encoder exists).
"""

from __future__ import annotations

from pathlib import Path

from media_samples import _make, has_encoder, sample  # noqa: F401 - shared cache and ffmpeg

FPS = 30
SIZE = "320x180"


def _counter(seconds: float, setpts: str | None = None) -> list[str]:
    vf = "geq=lum='16+3*N':cb=128:cr=128"
    if setpts:
        vf += f",setpts='{setpts}'"
    return ["-f", "lavfi", "-i", f"nullsrc=s={SIZE}:r={FPS}:d={seconds}",
            "-f", "lavfi", "-i", f"sine=f=2500:r=48000:d={seconds}", "-af", "volume=6dB", "-ac", "2",
            "-vf", vf, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart"]


CLIPS: dict[str, list[str]] = {
    "counter": _counter(2.5),
    # Frames 0-29 at 1/30 s, then 10 fps: frame N>=30 sits at 1 + (N-30)/10 s.
    "vfr": _counter(2.5, "(if(lt(N,30),N/30,1+(N-30)/10))/TB") + ["-fps_mode", "vfr"],
    # 20 s with a keyframe every second: a stand-in for a long recording cut to a part.
    "long": _counter(20.0)[:-2] + ["-g", "30", "-movflags", "+faststart"],
    "half_bright": ["-f", "lavfi", "-i", f"color=c=black:s={SIZE}:r={FPS}:d=2",
                    "-vf", "drawbox=x=0:y=0:w=iw/2:h=ih:color=white:t=fill",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-an"],
    "audio_only": ["-f", "lavfi", "-i", "sine=f=440:r=48000:d=2", "-c:a", "aac", "-b:a", "64k", "-vn"],
    "ten_bit": ["-f", "lavfi", "-i", f"testsrc2=s={SIZE}:r={FPS}:d=1", "-c:v", "libx264",
                "-preset", "ultrafast", "-pix_fmt", "yuv420p10le", "-an"],
}


def clip(name: str) -> Path:
    """The cached clip ``name`` (made on first use)."""
    if name == "rotated":
        src = clip("half_bright")
        return _make(name, ["-display_rotation", "90", "-i", str(src), "-c", "copy"],
                     "\0".join([src.name, "rot90"]))
    if name == "corrupt_tail":
        src = clip("counter")
        target = src.with_name(src.stem + "-corrupt.mp4")
        if not target.exists():
            data = bytearray(src.read_bytes())
            cut = len(data) * 2 // 3
            data[cut:] = bytes((i * 97) % 251 for i in range(len(data) - cut))
            part = target.with_suffix(".part")
            part.write_bytes(bytes(data))
            part.replace(target)
        return target
    return _make(name, CLIPS[name], "\0".join(CLIPS[name]))
