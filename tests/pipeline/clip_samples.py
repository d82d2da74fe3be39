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
    # Colour bars for the pixel-format paths: HD untagged (players take it as BT.709),
    # HD tagged BT.601, and SD untagged (taken as BT.601).
    "colour_hd": ["-f", "lavfi", "-i", f"testsrc2=s=1280x720:r={FPS}:d=1", "-c:v", "libx264",
                  "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-an"],
    "colour_hd_601": ["-f", "lavfi", "-i", f"testsrc2=s=1280x720:r={FPS}:d=1", "-c:v", "libx264",
                      "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-colorspace", "bt470bg", "-an"],
    "colour_sd": ["-f", "lavfi", "-i", f"testsrc2=s=640x360:r={FPS}:d=1", "-c:v", "libx264",
                  "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-an"],
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


# ``long_take``: five shots with known cuts (CUTS), a crossfade and a pan inside shots, and a tone.
S = "320x180"
SHOTS = [  # (lavfi graph, seconds)
    (f"testsrc2=s={S}:r=30", 2.0),
    # A warm flat colour crossfading into a cool one inside one shot (3.0-4.0 s): no cut.
    (f"color=c=0xb06030:s={S}:r=30:d=3[a];color=c=0x3060b0:s={S}:r=30:d=3[b];"
     "[a][b]xfade=transition=fade:duration=1:offset=1,noise=alls=12:allf=t", 3.0),
    (f"mandelbrot=s={S}:r=30", 2.0),
    # A camera pan across a picture three times as wide (7-10 s): no cut.
    (f"smptehdbars=s=960x180:r=30,crop=320:180:x='t*200':y=0", 3.0),
    (f"testsrc=s={S}:r=30", 2.0),
]
CUTS = [2.0, 5.0, 7.0, 10.0]


def long_take() -> Path:
    parts = [f"{graph},trim=duration={sec},setpts=PTS-STARTPTS,format=yuv420p,scale=320:180,setsar=1,fps=30[v{k}]"
             for k, (graph, sec) in enumerate(SHOTS)]
    graph = ";".join(parts) + ";" + "".join(f"[v{k}]" for k in range(len(SHOTS))) + \
        f"concat=n={len(SHOTS)}:v=1:a=0[out]"
    seconds = sum(sec for _, sec in SHOTS)
    args = ["-filter_complex", graph, "-f", "lavfi", "-i", f"sine=f=440:r=48000:d={seconds}", "-map", "[out]",
            "-map", "0:a", "-c:v", "libx264", "-preset", "ultrafast", "-g", "60", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "64k", "-shortest", "-movflags", "+faststart"]
    return _make("long-take", args, "\0".join(args))
