"""The peer comparison (run on demand): our export against the moviepy recipe that
moviepy-based short-video generators use, on the same project, in one run.

The moviepy side follows the common recipe: one clip per picture with a per-frame
Ken Burns (PIL crop + resize with float boxes, so it is as smooth as ours), 0.5 s
CrossFadeIn, a TextClip per caption composited on top, voices placed with
CompositeAudioClip over the music at a fixed lower level (moviepy has no ducking),
written with the same libx264 preset and CRF. It prints wall and CPU seconds and the
ratio moviepy / ours.

    pip install 'moviepy>=2.1'        # not a dependency of the app
    python tests/bench/moviepy_peer_bench.py [--seconds 20] [--scenes 4] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "pipeline"))

from render_bench import build  # noqa: E402

from studio.core.jobs import JobContext  # noqa: E402
from studio.core.timeline import build_timeline  # noqa: E402
from studio.pipeline.media import ffmpeg  # noqa: E402
from studio.pipeline.render.renderer import render_video  # noqa: E402
from studio.pipeline.render.text import font_path  # noqa: E402


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def moviepy_render(project, root: Path, out: Path) -> None:
    import numpy as np
    from moviepy import (AudioFileClip, CompositeAudioClip, CompositeVideoClip, TextClip,
                         VideoClip, vfx)
    from PIL import Image

    w, h, fps = project.render.width, project.render.height, project.render.fps
    tl = build_timeline(project)
    clips = []
    for seg in tl.scenes():
        scene = project.scenes[seg.scene_index]
        img = Image.open(root / scene.image.path).convert("RGB")
        scale = max(w / img.width, h / img.height) * 1.1
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.Resampling.BILINEAR)
        dur = seg.duration

        def frame(t, img=img, dur=dur):
            z = 1.0 + 0.08 * (t / dur)
            cw, ch = img.width / z / 1.1, img.height / z / 1.1
            x0 = (img.width - cw) / 2
            y0 = (img.height - ch) / 2
            return np.asarray(img.resize((w, h), Image.Resampling.BILINEAR, box=(x0, y0, x0 + cw, y0 + ch)))

        clip = VideoClip(frame, duration=dur).with_start(seg.start)
        if seg.transition_in_seconds:
            clip = clip.with_effects([vfx.CrossFadeIn(seg.transition_in_seconds)])
        clips.append(clip)
    for cue in project.subtitles.cues:
        txt = TextClip(font=str(font_path("semibold")), text=cue.text, font_size=int(w * 0.05),
                       color="white", bg_color=(12, 14, 20), method="caption", size=(int(w * 0.8), None),
                       margin=(20, 20))
        clips.append(txt.with_start(cue.start).with_duration(cue.end - cue.start)
                     .with_position(("center", int(h * 0.72))))
    video = CompositeVideoClip(clips, size=(w, h)).with_duration(tl.duration)
    audio = [AudioFileClip(str(root / project.music.path)).with_volume_scaled(0.25).with_duration(tl.duration)]
    for seg in tl.scenes():
        scene = project.scenes[seg.scene_index]
        audio.append(AudioFileClip(str(root / scene.voice.path)).with_start(seg.voice_start))
    video = video.with_audio(CompositeAudioClip(audio).with_duration(tl.duration))
    video.write_videofile(str(out), fps=fps, codec="libx264", preset=project.render.x264_preset,
                          threads=2, audio_codec="aac", audio_fps=48000, audio_bitrate="192k",
                          pixel_format="yuv420p", ffmpeg_params=["-crf", str(project.render.crf),
                                                                 "-movflags", "+faststart"],
                          logger=None)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--scenes", type=int, default=4)
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    os.environ.setdefault("IMAGEIO_FFMPEG_EXE", ffmpeg.ffmpeg_exe())
    work = args.keep or Path(tempfile.mkdtemp(prefix="peer-bench-"))
    root = work / "project"
    if not (root / "project.json").exists():
        build(root, args.seconds, args.scenes)
    from studio.core.storage import load_project

    project = load_project(root)
    results = {}
    for name, run in (("ours", lambda: render_video(project, root, work / "ours.mp4", JobContext("render"))),
                      ("moviepy", lambda: moviepy_render(project, root, work / "moviepy.mp4"))):
        c0, t0 = _cpu(), time.monotonic()
        run()
        results[name] = (time.monotonic() - t0, _cpu() - c0)
        print(f"{name:8s} wall {results[name][0]:7.1f} s   CPU {results[name][1]:7.1f} s", flush=True)
    print(f"moviepy / ours: wall {results['moviepy'][0] / results['ours'][0]:.2f}x, "
          f"CPU {results['moviepy'][1] / results['ours'][1]:.2f}x  ({args.seconds:.0f} s video, "
          f"{project.render.width}x{project.render.height}, {project.render.x264_preset})")


if __name__ == "__main__":
    main()
