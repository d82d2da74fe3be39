"""Footage benchmark (issue 15 item 7; run on demand, not collected): phone clips in the export.

Builds a 12-scene project (90 s; ``--quick``: 30 s at 540x960 with clips a third the
size) whose odd scenes hold six phone-like clips made here with the bundled ffmpeg and
whose even scenes hold six stills, with speech-like voices, two captions per scene, the
gamelan bed and 0.5 s crossfades. The clips:

  4k-hevc-60   3840x2160 HEVC (libx265) 60 fps, with sound
  1080-vfr     1920x1080 H.264, variable frame rate (30 fps then 12 fps), with sound
  portrait-rot 1920x1080 H.264 stored with a 90° display rotation (upright 1080x1920)
  720-vp9      1280x720 VP9 in WebM, with Opus sound
  1080-detail  1920x1080 H.264 Mandelbrot zoom (every pixel moves), no sound
  360-3gp      640x360 H.264 + AAC in 3GP, 24 fps

Each clip goes in through ``import_clip`` (in point 0.5 s, crop, sound ducked). In ONE
run it then times, with the same encoder arguments (``render_bench.encoder_args``):

  (a) ``render_video``: our export of the MP4 (frames drawn in Python, clips decoded by
      PyAV through ``ClipReader``, soundtrack mixed beside it);
  (b) one hand-written ffmpeg command doing the same work: input trims of each clip
      (ffmpeg autorotates), fps normalised first, the window around the focus point
      cropped, then only that scaled (as ours does; until 2026-12-07 it scaled whole
      frames, every decoded one, to cover size before cropping: work ours never did,
      which flattered ours), tpad to hold the last
      frame, zoompan on stills, the cards our renderer drew (not timed), xfade
      crossfades, ASS captions, voices by adelay+amix, clip sound lowered under the
      voice by sidechaincompress, the looped bed ducked the same way, loudnorm to -14.

and prints ours/ffmpeg (target <= 1.0), peak RSS of each incl. ffmpeg children (target
<= 1.5 GB for ours), and per clip what its scene's frames cost through
``ClipFrames.planes`` at the render size (ms per frame asked, frames decoded).

    python tests/bench/footage_bench.py [--quick] [--keep DIR]

Measured 2026-12-07, shared 2-core machine (other sessions running), one run each:
  full:    ours 99.0 s, ffmpeg 66.1 s: ours/ffmpeg 1.50 (target <= 1.0 NOT met);
           peak RSS ours 1322 MB (met), ffmpeg 3340 MB. The 4K HEVC 60 fps clip costs
           63 ms per frame asked (460 frames decoded for 215 shown, and the frame is
           converted to RGB at cover size, 3413x1920, before the crop: ~90 ms CPU each).
  --quick: ours 13.3 s, ffmpeg 14.9 s: 0.89; RSS 541 MB vs 961 MB.
Measured 2026-12-07 11:00-11:14 UTC, fixed ffmpeg command (fps, crop, then scale), the
same session, one run each, 806f337 then the footage branch (load average 3-5):
  806f337: ours 56.6 s / 108.6 s CPU, ffmpeg 80.2 s / 87.3 s CPU: wall 0.71, CPU 1.24.
  footage: ours 42.3 s / 82.4 s CPU, ffmpeg 47.1 s / 86.6 s CPU: wall 0.90, CPU 0.95;
           peak RSS 1154 MB. 4K HEVC clip 54.1 -> 34.6 ms CPU per frame asked (the
           rest is decoding 460 frames); other clips 16-24 -> 1-9 ms. ffmpeg's wall
           swings with the load (80 vs 47 s for the same 87 s of CPU); CPU is the
           steadier ratio.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pipeline"))
sys.path.insert(0, str(HERE))

from render_bench import NARRATION, Run, encoder_args, run_ffmpeg, write_ass  # noqa: E402
from render_fixtures import make_picture, write_voice  # noqa: E402
from rss_sampler import PeakRss  # noqa: E402

from studio.core.jobs import JobContext  # noqa: E402
from studio.core.project import Cue, ImageAsset, Project, Scene, VoiceAsset  # noqa: E402
from studio.core.storage import create_project, save_project  # noqa: E402
from studio.core.timeline import build_timeline  # noqa: E402
from studio.pipeline.images.clips import import_clip  # noqa: E402
from studio.pipeline.media import ffmpeg  # noqa: E402
from studio.pipeline.music import make_music  # noqa: E402
from studio.pipeline.render.clip import ClipFrames  # noqa: E402
from studio.pipeline.render.renderer import Renderer, render_video  # noqa: E402
from studio.pipeline.render.text import font_path  # noqa: E402

RSS_TARGET_MIB = 1536
IN_POINT = 0.5


def clip_specs(seconds: float, third: bool) -> list[tuple[str, str, list[str]]]:
    """(name, file suffix, ffmpeg arguments before the output) of the six clips."""
    def size(w: int, h: int) -> str:
        return f"{w // 3 // 2 * 2}x{h // 3 // 2 * 2}" if third else f"{w}x{h}"

    d = f"{seconds:.2f}"
    tone = ["-f", "lavfi", "-i", f"sine=f=330:r=48000:d={d}"]
    h264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    return [
        ("4k-hevc-60", ".mp4", ["-f", "lavfi", "-i", f"testsrc2=s={size(3840, 2160)}:r=60:d={d}", *tone,
                                "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error",
                                "-pix_fmt", "yuv420p", "-tag:v", "hvc1", "-c:a", "aac", "-shortest"]),
        ("1080-vfr", ".mp4", ["-f", "lavfi", "-i", f"testsrc=s={size(1920, 1080)}:r=30:d={d}", *tone,
                              "-vf", "setpts='if(lt(N,60),N/30,2+(N-60)/12)/TB'", "-fps_mode", "vfr", *h264,
                              "-c:a", "aac", "-shortest"]),
        ("portrait-rot", ".mp4", ["-f", "lavfi", "-i", f"smptehdbars=s={size(1920, 1080)}:r=30:d={d}",
                                  "-vf", "hue=H=2*PI*t/5", *h264, "-an"]),
        ("720-vp9", ".webm", ["-f", "lavfi", "-i", f"testsrc2=s={size(1280, 720)}:r=30:d={d}", *tone,
                              "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "2M",
                              "-c:a", "libopus", "-shortest"]),
        ("1080-detail", ".mp4", ["-f", "lavfi", "-i", f"mandelbrot=s={size(1920, 1080)}:r=30", "-t", d,
                                 *h264, "-an"]),
        ("360-3gp", ".3gp", ["-f", "lavfi", "-i", f"testsrc=s={size(640, 360)}:r=24:d={d}", *tone,
                             *h264, "-c:a", "aac", "-ar", "48000", "-shortest"]),
    ]


def make_clips(folder: Path, seconds: float, third: bool) -> list[tuple[str, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, suffix, args in clip_specs(seconds, third):
        path = folder / f"{name}{suffix}"
        run_ffmpeg(["-y", *args, "-threads", "2", str(path)])
        if name == "portrait-rot":  # the rotation is container metadata, as phones write it
            rotated = folder / f"{name}-90{suffix}"
            run_ffmpeg(["-y", "-display_rotation", "90", "-i", str(path), "-c", "copy", str(rotated)])
            path = rotated
        out.append((name, path))
    return out


def build(root: Path, clips_dir: Path, seconds: float, quick: bool) -> tuple[Project, list[str]]:
    project = Project()
    b = project.brief
    b.title, b.region = "Tradisi Petik Laut di Muncar", "Kabupaten Banyuwangi"
    b.creator, b.agency = "Budi Santoso", "Dinas Komunikasi dan Informatika"
    r = project.render
    r.x264_preset = "veryfast"
    if quick:
        r.width, r.height = 540, 960
    create_project(root, project)
    scenes = 12
    fixed = r.title_seconds + r.end_seconds - r.transition_seconds
    per_scene = (seconds - fixed) / scenes + r.transition_seconds
    voice = per_scene - 2 * max(r.scene_padding, r.transition_seconds)
    t0 = time.perf_counter()
    clips = make_clips(clips_dir, per_scene + IN_POINT + 1.0, quick)
    print(f"made 6 clips of {per_scene + IN_POINT + 1.0:.1f} s in {time.perf_counter() - t0:.1f} s")
    for i in range(scenes):
        rel_voice = f"voice/scene-{i + 1}.wav"
        length = voice + (0.3 if i % 2 else -0.3)
        write_voice(root / rel_voice, length, seed=i + 21)
        scene = Scene(narration=NARRATION[i % len(NARRATION)], on_screen_text="",
                      voice=VoiceAsset(path=rel_voice, origin="tts", duration=length, sample_rate=22050))
        if i % 2:
            rel_img = f"images/scene-{i + 1}.png"
            make_picture(root / rel_img, (768, 1344), seed=i + 1)
            scene.image = ImageAsset(path=rel_img, origin="ai", engine="image.bench")
        project.scenes.append(scene)
    names = []
    for k, (name, path) in enumerate(clips):
        scene = project.scenes[2 * k]
        scene.clip = import_clip(project, root, scene.id, path, start=IN_POINT, audio="duck").clip
        names.append(name)
    tl = build_timeline(project)
    for seg in tl.scenes():
        words = project.scenes[seg.scene_index].narration.split()
        half = len(words) // 2
        mid = seg.voice_start + seg.voice_duration / 2
        project.subtitles.cues += [Cue(start=seg.voice_start, end=mid, text=" ".join(words[:half])),
                                   Cue(start=mid, end=seg.voice_end, text=" ".join(words[half:]))]
    project.music = make_music(project, root, JobContext("music"))
    save_project(root, project)
    return project, names


def ffmpeg_command(project: Project, root: Path, work: Path, out: Path) -> list[str]:
    """The hand-written single ffmpeg command for the same video."""
    r = project.render
    tl = build_timeline(project)
    fps, w, h = tl.fps, r.width, r.height
    renderer = Renderer(project, root)
    inputs: list[str] = []
    chains: list[str] = []
    clip_sounds: list[str] = []
    k_in = 0
    for k, seg in enumerate(tl.segments):
        n = max(1, round(seg.duration * fps))
        scene = project.scenes[seg.scene_index] if seg.kind == "scene" else None
        if scene is not None and scene.clip is not None:
            c = scene.clip
            # As a careful hand would write it: drop the frames not shown first, then cut the
            # window around the focus point, then scale only that (what ours does too).
            cover = (f"crop=w='min(iw,ih*{w}/{h})':h='min(ih,iw*{h}/{w})':"
                     f"x='(iw-ow)*{c.focus_x}':y='(ih-oh)*{c.focus_y}',scale={w}:{h}")
            inputs += ["-ss", f"{c.start:.3f}", "-t", f"{seg.duration:.3f}", "-i", str(root / c.path)]
            chains.append(f"[{k_in}:v]fps={fps},{cover},setpts=PTS-STARTPTS,tpad=stop=-1:stop_mode=clone,"
                          f"trim=end_frame={n},format=yuv420p,setsar=1[v{k}]")
            if c.has_audio and c.audio != "mute":
                ms = int(round(seg.start * 1000))
                chains.append(f"[{k_in}:a]aresample=48000,aformat=channel_layouts=stereo,volume=-6dB,"
                              f"adelay={ms}|{ms}[c{k}]")
                clip_sounds.append(f"[c{k}]")
        else:
            if scene is not None:
                still = root / scene.image.path
            else:  # the cards are drawn by our renderer once (not timed): ffmpeg only shows them
                still = work / f"{seg.kind}.png"
                renderer.segment_frame(seg, seg.start + seg.duration / 2).save(still)
            inputs += ["-i", str(still)]
            zw, zh = int(w * 1.08), int(h * 1.08)
            chains.append(f"[{k_in}:v]scale={zw}:{zh}:force_original_aspect_ratio=increase,crop={zw}:{zh},"
                          f"format=yuv420p,zoompan=z='1+0.08*on/{n}':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':"
                          f"d={n}:s={w}x{h}:fps={fps},setsar=1,format=yuv420p[v{k}]")
        k_in += 1
    prev = "v0"
    for k, seg in enumerate(tl.segments[1:], start=1):
        d = seg.transition_in_seconds or 1.0 / fps
        chains.append(f"[{prev}][v{k}]xfade=transition=fade:duration={d:.3f}:offset={seg.start:.3f}[x{k}]")
        prev = f"x{k}"
    ass = work / "subs.ass"
    write_ass(project, ass)
    chains.append(f"[{prev}]ass={ass}:fontsdir={font_path('semibold').parent},trim=end_frame={tl.frame_count}"
                  "[vout]")
    voices = []
    for seg in tl.scenes():
        scene = project.scenes[seg.scene_index]
        inputs += ["-i", str(root / scene.voice.path)]
        ms = int(round(seg.voice_start * 1000))
        chains.append(f"[{k_in}:a]aresample=48000,aformat=channel_layouts=stereo,adelay={ms}|{ms}[a{k_in}]")
        voices.append(f"[a{k_in}]")
        k_in += 1
    inputs += ["-stream_loop", "-1", "-i", str(root / project.music.path)]
    dur = tl.duration
    chains.append(f"{''.join(voices)}amix=inputs={len(voices)}:normalize=0,apad,atrim=0:{dur:.3f},"
                  "asplit=2[vo1][vo2]")
    chains.append(f"[{k_in}:a]atrim=0:{dur:.3f},volume={project.music.level_db}dB,"
                  f"afade=t=in:d=1,afade=t=out:st={dur - 2:.3f}:d=2[mu]")
    chains.append(f"{''.join(clip_sounds)}amix=inputs={len(clip_sounds)}:normalize=0,apad,atrim=0:{dur:.3f}[cl]")
    chains.append("[mu][cl]amix=inputs=2:normalize=0[bed]")
    chains.append("[bed][vo1]sidechaincompress=threshold=0.02:ratio=6:attack=150:release=600[duck]")
    chains.append("[vo2][duck]amix=inputs=2:normalize=0,loudnorm=I=-14:TP=-1.5:LRA=11,aresample=48000[aout]")
    return ["-y", *inputs, "-filter_complex", ";".join(chains), "-map", "[vout]", "-map", "[aout]",
            *encoder_args(project), "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", r.audio_bitrate,
            "-ar", "48000", "-frames:v", str(tl.frame_count), "-movflags", "+faststart", "-f", "mp4", str(out)]


def decode_costs(project: Project, root: Path, names: list[str]) -> list[str]:
    """Per clip: what the render's clip frames cost (``ClipFrames.planes``: decode, crop, scale,
    the render's YUV planes) for its scene at the render size. CPU includes the decoder's threads."""
    tl = build_timeline(project)
    size = (project.render.width, project.render.height)
    lines = []
    for seg in tl.scenes():
        c = project.scenes[seg.scene_index].clip
        if c is None:
            continue
        clips = ClipFrames(project, root, size)
        n = max(1, round(seg.duration * tl.fps))
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        for i in range(n):
            clips.planes(seg.scene_index, i / tl.fps, seg.duration)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        reader = clips._readers[seg.scene_index]
        clips.close()
        lines.append(f"  {names[seg.scene_index // 2]:<13} {c.codec:<5} {c.width}x{c.height} {c.fps:5.1f} fps: "
                     f"{n} frames asked, {reader.frames_decoded} decoded, {wall / n * 1000:6.1f} ms/frame wall, "
                     f"{cpu / n * 1000:6.1f} ms/frame CPU, {wall:5.2f} s for the scene")
    return lines


def probe_line(path: Path) -> str:
    cmd = ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height,avg_frame_rate",
           "-of", "csv=p=0", str(path)]
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout.strip().replace("\n", " | ")
    except OSError:
        return "(ffprobe not installed)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 s at 540x960 with clips a third the size")
    parser.add_argument("--keep", type=Path, help="build (and leave) the project here")
    args = parser.parse_args()
    seconds = 30.0 if args.quick else 90.0
    tmp = Path(tempfile.mkdtemp(prefix="footage-bench-"))
    work = args.keep or tmp
    root = work / "project"
    if root.exists():
        shutil.rmtree(root)
    try:
        project, names = build(root, work / "clips", seconds, args.quick)
        print(f"project: {seconds:.0f} s, 12 scenes (6 clips, 6 stills), {project.render.width}x"
              f"{project.render.height} {project.render.fps} fps, x264 {project.render.x264_preset} "
              f"crf {project.render.crf}; encoder: {' '.join(encoder_args(project))}")
        with PeakRss() as rss_a:
            a = Run(lambda: render_video(project, root, work / "ours.mp4", JobContext("render")))
        cmd = ffmpeg_command(project, root, work, work / "ffmpeg.mp4")
        with PeakRss() as rss_b:
            b = Run(lambda: run_ffmpeg(cmd))
        print(f"{'':<24} {'wall s':>7} {'CPU s':>7} {'peak RSS MB (self+ffmpeg)':>26}")
        for name, run, rss in (("(a) ours render_video", a, rss_a), ("(b) one ffmpeg command", b, rss_b)):
            print(f"{name:<24} {run.wall:>7.1f} {run.cpu:>7.1f} {rss.peak / 2**20:>12.0f} "
                  f"({rss.peak_self / 2**20:.0f} + {rss.peak_children / 2**20:.0f})")
        ratio = a.wall / b.wall
        print(f"ours/ffmpeg wall {ratio:.2f} (target <= 1.0: {'met' if ratio <= 1.0 else 'NOT met'}); "
              f"CPU {a.cpu / b.cpu:.2f}")
        peak = rss_a.peak / 2**20
        print(f"ours peak RSS {peak:.0f} MB incl. ffmpeg children (target <= {RSS_TARGET_MIB}: "
              f"{'met' if peak <= RSS_TARGET_MIB else 'NOT met'})")
        print(f"ours:   {probe_line(work / 'ours.mp4')}")
        print(f"ffmpeg: {probe_line(work / 'ffmpeg.mp4')}")
        print("clip frames per scene through ClipFrames.planes at the render size (one thread, after the export):")
        for line in decode_costs(project, root, names):
            print(line)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
