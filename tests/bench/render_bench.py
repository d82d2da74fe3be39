"""Render benchmark (run on demand, not collected): our export against plain ffmpeg.

Builds a 90 s, 12-scene project at 1080x1920 (pictures, speech-like voices, two
captions per scene, the generated gamelan bed) and, in ONE run, times:

  (a) ``render_video`` — Python frames (sub-pixel Ken Burns) piped into one ffmpeg;
  (b) a hand-written single ffmpeg command for the equivalent video: zoompan Ken
      Burns per picture, xfade crossfades, ASS captions, adelay+amix voices,
      sidechain-ducked looped music, loudnorm;
  (c) the bare encode of the same number of frames from one still image with the
      same encoder settings (x264 on static content: a very low floor);
  (d) a re-encode of (a)'s own picture with the same settings (x264 on this moving
      content, plus an H.264 decode: the realistic floor).

Prints wall and CPU seconds, a/b, a/c, the peak RSS of (a) (self + ffmpeg child,
sampled with psutil), and a single-thread profile of frame drawing.

    python tests/bench/render_bench.py [--seconds 90] [--scenes 12] [--rounds 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pipeline"))

from render_fixtures import make_picture, write_voice  # noqa: E402

from studio.core.jobs import JobContext  # noqa: E402
from studio.core.project import Cue, ImageAsset, Project, Scene, VoiceAsset  # noqa: E402
from studio.core.storage import create_project, save_project  # noqa: E402
from studio.core.timeline import build_timeline  # noqa: E402
from studio.pipeline import ffmpeg  # noqa: E402
from studio.pipeline.audio import measure_loudness, read_audio  # noqa: E402
from studio.pipeline.music import make_music  # noqa: E402
from studio.pipeline.render import Renderer, render_video  # noqa: E402
from studio.pipeline.render_motion import ZOOM  # noqa: E402
from studio.pipeline.render_text import font_path  # noqa: E402

NARRATION = [
    "Setiap bulan Muharam, para nelayan Muncar menghias perahu dengan bunga dan janur kuning.",
    "Sesaji berupa kepala kambing dan hasil bumi dilarung ke tengah laut sebagai tanda syukur.",
    "Tradisi Petik Laut sudah dijalankan turun-temurun sejak ratusan tahun yang lalu.",
    "Warga berdoa bersama di tepi pantai, memohon keselamatan dan rezeki yang berlimpah.",
    "Anak-anak muda ikut menari gandrung, tarian khas Banyuwangi yang penuh semangat.",
    "Perahu-perahu berlayar beriringan, diiringi tabuhan gamelan dan sorak-sorai penonton.",
]


def build(root: Path, seconds: float, scenes: int) -> Project:
    project = Project()
    b = project.brief
    b.title, b.region = "Tradisi Petik Laut di Muncar", "Kabupaten Banyuwangi"
    b.creator, b.agency = "Budi Santoso", "Dinas Komunikasi dan Informatika"
    project.render.x264_preset = "veryfast"
    create_project(root, project)
    r = project.render
    fixed = r.title_seconds + r.end_seconds - r.transition_seconds
    per_scene = (seconds - fixed) / scenes + r.transition_seconds  # overlap of each transition
    voice = per_scene - 2 * max(r.scene_padding, r.transition_seconds)
    for i in range(scenes):
        rel_img, rel_voice = f"images/scene-{i + 1}.png", f"voice/scene-{i + 1}.wav"
        make_picture(root / rel_img, (768, 1344), seed=i + 1)
        length = voice + (0.3 if i % 2 else -0.3)
        write_voice(root / rel_voice, length, seed=i + 21)
        project.scenes.append(Scene(
            narration=NARRATION[i % len(NARRATION)], on_screen_text="",
            image=ImageAsset(path=rel_img, origin="ai", engine="image.bench"),
            voice=VoiceAsset(path=rel_voice, origin="tts", duration=length, sample_rate=22050)))
    tl = build_timeline(project)
    for seg in tl.scenes():
        words = project.scenes[seg.scene_index].narration.split()
        half = len(words) // 2
        mid = seg.voice_start + seg.voice_duration / 2
        project.subtitles.cues += [
            Cue(start=seg.voice_start, end=mid, text=" ".join(words[:half])),
            Cue(start=mid, end=seg.voice_end, text=" ".join(words[half:]))]
    project.music = make_music(project, root, JobContext("music"))
    save_project(root, project)
    return project


class PeakRss:
    """Samples the RSS of this process plus its children (ffmpeg) every 0.1 s."""

    def __init__(self) -> None:
        import psutil

        self.proc = psutil.Process()
        self.peak = 0
        self.peak_self = 0
        self.peak_children = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                mine = self.proc.memory_info().rss
                kids = 0
                for child in self.proc.children(recursive=True):
                    try:
                        kids += child.memory_info().rss
                    except Exception:  # noqa: BLE001 - a child may exit between calls
                        pass
                self.peak = max(self.peak, mine + kids)
                self.peak_self = max(self.peak_self, mine)
                self.peak_children = max(self.peak_children, kids)
            except Exception:  # noqa: BLE001
                pass
            self._stop.wait(0.1)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_now() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn) -> tuple[float, float, object]:
    c0, t0 = cpu_now(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, cpu_now() - c0, out


def _ass_time(t: float) -> str:
    cs = int(round(t * 100))
    return f"{cs // 360000}:{cs // 6000 % 60:02d}:{cs // 100 % 60:02d}.{cs % 100:02d}"


def write_ass(project: Project, path: Path) -> None:
    w, h = project.render.width, project.render.height
    size = round(min(w, h) * 0.05)
    margin_v = int(h * 0.22)
    lines = [
        "[Script Info]", "ScriptType: v4.00+", f"PlayResX: {w}", f"PlayResY: {h}", "",
        "[V4+ Styles]",
        "Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, "
        "Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, "
        "Shadow, Alignment, MarginL, MarginR, MarginV, Encoding",
        f"Style: Box,Source Sans Pro Semibold,{size},&H00FFFFFF,&H00FFFFFF,&H58140E0C,&H58140E0C,"
        f"0,0,0,0,100,100,0,0,3,{round(size * 0.35)},0,2,{int(w * 0.1)},{int(w * 0.1)},{margin_v},1",
        "", "[Events]",
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text"]
    for cue in project.subtitles.cues:
        lines.append(f"Dialogue: 0,{_ass_time(cue.start)},{_ass_time(cue.end)},Box,,0,0,0,,{cue.text}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def ffmpeg_command(project: Project, root: Path, work: Path, out: Path) -> list[str]:
    """The hand-written single ffmpeg command for the same video."""
    r = project.render
    tl = build_timeline(project)
    fps, w, h = tl.fps, r.width, r.height
    ww, wh = int(w * (1 + ZOOM)), int(h * (1 + ZOOM))
    renderer = Renderer(project, root)
    inputs: list[str] = []
    chains: list[str] = []
    stills: list[Path] = []
    for k, seg in enumerate(tl.segments):
        if seg.kind == "scene":
            stills.append(root / project.scenes[seg.scene_index].image.path)
        else:
            # The cards are drawn by our renderer once (not timed): ffmpeg only moves them.
            card = work / f"{seg.kind}.png"
            renderer.segment_frame(seg, seg.start + seg.duration / 2).save(card)
            stills.append(card)
    for k, (seg, still) in enumerate(zip(tl.segments, stills)):
        n = max(1, round(seg.duration * fps))
        inputs += ["-i", str(still)]
        zin = k % 2 == 0
        z = f"1+{ZOOM}*on/{n}" if zin else f"{1 + ZOOM}-{ZOOM}*on/{n}"
        chains.append(
            f"[{k}:v]scale={ww}:{wh}:force_original_aspect_ratio=increase,crop={ww}:{wh},"
            f"scale=out_range=tv,format=yuv420p,"
            f"zoompan=z='{z}':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':d={n}:s={w}x{h}:fps={fps},"
            f"setsar=1,format=yuv420p[v{k}]")
    prev = "v0"
    for k, seg in enumerate(tl.segments[1:], start=1):
        d = seg.transition_in_seconds or 1.0 / fps
        chains.append(f"[{prev}][v{k}]xfade=transition=fade:duration={d:.3f}:offset={seg.start:.3f}[x{k}]")
        prev = f"x{k}"
    ass = work / "subs.ass"
    write_ass(project, ass)
    fontsdir = font_path("semibold").parent
    chains.append(f"[{prev}]ass={ass}:fontsdir={fontsdir},trim=end_frame={tl.frame_count}[vout]")
    base = len(tl.segments)
    voices = []
    for seg in tl.scenes():
        scene = project.scenes[seg.scene_index]
        idx = base + len(voices)
        inputs += ["-i", str(root / scene.voice.path)]
        ms = int(round(seg.voice_start * 1000))
        chains.append(f"[{idx}:a]aresample=48000,aformat=channel_layouts=stereo,adelay={ms}|{ms}[a{idx}]")
        voices.append(f"[a{idx}]")
    music_idx = base + len(voices)
    inputs += ["-stream_loop", "-1", "-i", str(root / project.music.path)]
    dur = tl.duration
    chains.append(f"{''.join(voices)}amix=inputs={len(voices)}:normalize=0,apad,atrim=0:{dur:.3f},"
                  f"asplit[vo1][vo2]")
    chains.append(f"[{music_idx}:a]atrim=0:{dur:.3f},volume={project.music.level_db}dB,"
                  f"afade=t=in:d=1,afade=t=out:st={dur - 2:.3f}:d=2[mu]")
    chains.append("[mu][vo1]sidechaincompress=threshold=0.02:ratio=6:attack=150:release=600[duck]")
    chains.append("[vo2][duck]amix=inputs=2:normalize=0,loudnorm=I=-14:TP=-1.5:LRA=11,"
                  "aresample=48000[aout]")
    return ["-y", *inputs, "-filter_complex", ";".join(chains), "-map", "[vout]", "-map", "[aout]",
            "-c:v", "libx264", "-preset", r.x264_preset, "-crf", str(r.crf), "-profile:v", "high",
            "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", r.audio_bitrate, "-ar", "48000",
            "-frames:v", str(tl.frame_count), "-movflags", "+faststart", "-f", "mp4", str(out)]


def bare_command(project: Project, still: Path, out: Path, frames: int) -> list[str]:
    r = project.render
    # Decode the still ONCE and repeat it in memory (``-loop 1`` would decode the PNG
    # for every frame, which costs more than encoding it).
    return ["-y", "-framerate", str(r.fps), "-i", str(still),
            "-vf", f"scale={r.width}:{r.height},scale=out_range=tv,format=yuv420p,"
                   f"loop=loop={frames - 1}:size=1:start=0,setpts=N/{r.fps}/TB",
            "-c:v", "libx264", "-preset", r.x264_preset, "-crf", str(r.crf), "-profile:v", "high",
            "-frames:v", str(frames), "-an", "-movflags", "+faststart", "-f", "mp4", str(out)]


def reencode_command(project: Project, video: Path, out: Path) -> list[str]:
    r = project.render
    return ["-y", "-i", str(video), "-map", "0:v:0", "-c:v", "libx264", "-preset", r.x264_preset,
            "-crf", str(r.crf), "-profile:v", "high", "-pix_fmt", "yuv420p", "-an",
            "-movflags", "+faststart", "-f", "mp4", str(out)]


def run_ffmpeg(args: list[str]) -> None:
    proc = subprocess.run([ffmpeg.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", *args],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"ffmpeg failed:\n{proc.stderr[-3000:]}")


def profile_frames(project: Project, root: Path, count: int = 150) -> dict[str, float]:
    """Single-thread cost of drawing frames (ms/frame), split by what is on screen."""
    renderer = Renderer(project, root)
    tl = renderer.timeline
    fps = tl.fps
    renderer.frame_planes(tl.scenes()[0].start + 1.0)  # warm the first picture
    out: dict[str, float] = {}
    seg = tl.scenes()[1]
    renderer.prefetch(seg.start + 1)

    def per_frame(times: list[float], fn) -> float:
        t0 = time.perf_counter()
        for t in times:
            fn(t)
        return (time.perf_counter() - t0) / len(times) * 1000

    inside = [seg.voice_start + k / fps / 10 for k in range(count)]
    fades = [seg.start + (k % 14) / fps for k in range(count)]
    out["scene: Ken Burns + caption"] = per_frame(inside, renderer.frame_planes)
    out["scene: + tobytes (what export does)"] = per_frame(
        inside, lambda t: renderer.frame_planes(t).tobytes())
    out["crossfade: two scenes + blend"] = per_frame(fades, renderer.frame_planes)
    out["preview only: frame_at (+ to RGB)"] = per_frame(inside[:40], renderer.frame_at)
    t0 = time.perf_counter()
    Renderer(project, root).prefetch(seg.start + 1)
    out["one-time: scale a picture to working size"] = (time.perf_counter() - t0) * 1000
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=90.0)
    ap.add_argument("--scenes", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--keep", type=Path, default=None, help="keep the project and outputs here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="render-bench-")) if args.keep is None else args.keep
    work.mkdir(parents=True, exist_ok=True)
    root = work / "project"
    if root.exists():
        shutil.rmtree(root)
    print(f"building a {args.seconds:.0f} s, {args.scenes}-scene 1080x1920 project in {work} ...")
    project = build(root, args.seconds, args.scenes)
    tl = build_timeline(project)
    print(f"timeline {tl.duration:.2f} s, {tl.frame_count} frames at {tl.fps} fps; "
          f"load average {os.getloadavg()[0]:.2f}; encoder {ffmpeg.pick_encoder().name}")
    still = work / "still.png"
    Renderer(project, root).frame_at(tl.scenes()[0].voice_start + 0.5).save(still)
    for rnd in range(1, args.rounds + 1):
        with PeakRss() as rss:
            wa, ca, res = timed(lambda: render_video(project, root, work / "a.mp4", JobContext("render")))
        wb, cb, _ = timed(lambda: run_ffmpeg(ffmpeg_command(project, root, work, work / "b.mp4")))
        wc, cc, _ = timed(lambda: run_ffmpeg(bare_command(project, still, work / "c.mp4", tl.frame_count)))
        wd, cd, _ = timed(lambda: run_ffmpeg(reencode_command(project, work / "a.mp4", work / "d.mp4")))
        print(f"\nround {rnd} (load average {os.getloadavg()[0]:.2f})")
        print(f"  (a) render_video        wall {wa:7.1f} s  cpu {ca:7.1f} s  "
              f"{tl.frame_count / wa:5.1f} fps  LUFS {res.loudness_lufs:.2f}  TP {res.true_peak_db:.2f}")
        print(f"  (b) ffmpeg zoompan etc. wall {wb:7.1f} s  cpu {cb:7.1f} s  {tl.frame_count / wb:5.1f} fps")
        print(f"  (c) bare encode (still) wall {wc:7.1f} s  cpu {cc:7.1f} s  {tl.frame_count / wc:5.1f} fps")
        print(f"  (d) re-encode of (a)    wall {wd:7.1f} s  cpu {cd:7.1f} s  {tl.frame_count / wd:5.1f} fps")
        print(f"  a/b wall {wa / wb:.2f} (cpu {ca / cb:.2f})   a/c wall {wa / wc:.2f} (cpu {ca / cc:.2f})"
              f"   a/d wall {wa / wd:.2f} (cpu {ca / cd:.2f})")
        decoded = measure_loudness(read_audio(work / "a.mp4"), 48000)
        print(f"  (a) decoded from the MP4: {decoded.integrated_lufs:.2f} LUFS, "
              f"{decoded.true_peak_db:.2f} dBTP")
        print(f"  peak RSS during (a), self + ffmpeg: {rss.peak / 2 ** 20:.0f} MiB "
              f"(python alone {rss.peak_self / 2 ** 20:.0f}, ffmpeg alone "
              f"{rss.peak_children / 2 ** 20:.0f})")
    print("\nframe drawing, one thread (ms per frame):")
    for name, ms in profile_frames(project, root).items():
        print(f"  {name:42s} {ms:6.1f}")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
