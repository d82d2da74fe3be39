"""A long working day in one process (issue 8, point 5): does memory stay bounded?

Run on demand (not collected):

    python tests/bench/longday_bench.py [--cycles 50] [--renders 20] [--size 360x640]
                                        [--whisper-every 10] [--keep DIR]

In ONE process, on a 3-scene project, through ``steps.prepare`` (the path the window
takes when the creator clicks "Buat ulang"):

1. ``--cycles`` regenerate/undo cycles: regenerate one scene's image (the real diffusers
   code path, with the tiny random pipeline of tests/tiny_diffusers.py: it is loaded and
   released every cycle, as in the app) and its voice (espeak-ng), save; then undo:
   restore the previous image and voice assets, save. Every ``--whisper-every`` cycles
   the subtitles step runs with Whisper base (loaded and released).
2. ``--renders`` renders of the whole video at ``--size`` (default 360x640, the free
   preset's minimum, libx264 veryfast as in an export).

RSS of this process is sampled every 0.1 s (ffmpeg children are not included: they exit
after each render). After each cycle/render (after ``gc.collect()``) the settled RSS is
recorded. Printed: the settled RSS after warm-up (first cycle/render), at the end, the
growth per cycle/render (least-squares slope) and the peak; plus how many diffusers
pipelines, Whisper models and torch modules are still alive at the end (must be 0, 0 and
few: models are released after their step).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from rss_sampler import PeakRss, rss_mb  # tests/bench is sys.path[0] when run as a script
from tiny_diffusers import tiny_sd_folder

from studio.core import ailog, storage
from studio.core.jobs import JobContext
from studio.core.project import Project, Scene
from studio.core.settings import Settings
from studio.pipeline import steps
from studio.pipeline.export import bundle as export
from studio.pipeline.render import renderer as render


def settled() -> float:
    gc.collect()
    return rss_mb()


def slope(values: list[float]) -> float:
    """Least-squares MB per step."""
    n = len(values)
    if n < 2:
        return 0.0
    mx, my = (n - 1) / 2, sum(values) / n
    num = sum((i - mx) * (v - my) for i, v in enumerate(values))
    den = sum((i - mx) ** 2 for i in range(n))
    return num / den


def live(type_names: tuple[str, ...]) -> dict[str, int]:
    counts = dict.fromkeys(type_names, 0)
    for obj in gc.get_objects():
        name = type(obj).__name__
        if name in counts:
            counts[name] += 1
    return counts


def build(root: Path, size: tuple[int, int], settings: Settings) -> Project:
    project = Project(preset="free")
    project.brief.title, project.brief.region, project.brief.theme = "Tari Saman", "Aceh", "tari"
    project.brief.creator, project.brief.agency = "Uji", "Dinas Uji"
    project.render.width, project.render.height = size
    project.render.title_seconds = project.render.end_seconds = 1.5
    project.images.steps = 2
    project.scenes = [
        Scene(id="s1", narration="Tari Saman berasal dari Gayo di Aceh.", image_prompt="tari saman",
              on_screen_text="Tari Saman"),
        Scene(id="s2", narration="Para penari duduk berbaris dan bertepuk tangan.", image_prompt="penari"),
        Scene(id="s3", narration="Tarian ini diakui dunia sejak tahun 2011.", image_prompt="panggung",
              on_screen_text="Warisan budaya"),
    ]
    storage.create_project(root, project)
    for step in ("images", "voice", "subtitles", "music"):
        run_step(step, root, project, settings)
    return project


def run_step(step: str, root: Path, project: Project, settings: Settings, **kw: object) -> None:
    prepared = steps.prepare(step, project, root, settings, **kw)  # type: ignore[arg-type]
    result = prepared.run(JobContext(step))
    prepared.apply(project, result)
    storage.save_project(root, project)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=50)
    ap.add_argument("--renders", type=int, default=20)
    ap.add_argument("--size", default="360x640")
    ap.add_argument("--whisper-every", type=int, default=10)
    ap.add_argument("--keep", help="work in this folder (kept) instead of a temporary one")
    args = ap.parse_args()
    size = tuple(int(v) for v in args.size.lower().split("x"))
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="studio-longday-"))
    work.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    settings.engines.image = "image.diffusers"
    settings.models.diffusers = str(tiny_sd_folder(work / "models"))
    root = work / "proj"
    started = time.monotonic()
    print(f"RSS at start (torch loaded by the tiny model build): {settled():.0f} MB")
    with PeakRss() as sampler:
        project = build(root, size, settings)  # type: ignore[arg-type]
        print(f"project built in {time.monotonic() - started:.0f} s; RSS {settled():.0f} MB")
        after_cycle: list[float] = []
        t0 = time.monotonic()
        for i in range(args.cycles):
            scene = project.scenes[i % len(project.scenes)]
            before_image, before_voice = scene.image, scene.voice
            project.images.seed += 1  # a new picture, as "Buat ulang" gives
            run_step("images", root, project, settings, scene_ids=[scene.id], force=True)
            run_step("voice", root, project, settings, scene_ids=[scene.id], force=True)
            # Undo: the previous assets come back (their files were never overwritten).
            project.images.seed -= 1
            scene.image, scene.voice = before_image, before_voice
            storage.save_project(root, project)
            if args.whisper_every and (i + 1) % args.whisper_every == 0:
                run_step("subtitles", root, project, settings)
            after_cycle.append(settled())
        cycle_s = time.monotonic() - t0
        peak_cycles = sampler.peak_self / 2 ** 20
        after_render: list[float] = []
        t0 = time.monotonic()
        records = ailog.current_records(ailog.read(root), [s.id for s in project.scenes])
        meta = export.metadata_for(project, records)
        for i in range(args.renders):
            out = root / "render" / f"longday-{i % 2}.mp4"
            result = render.render_video(project, root, out, JobContext("render"), metadata=meta)
            after_render.append(settled())
        render_s = time.monotonic() - t0
    alive = live(("StableDiffusionPipeline", "WhisperModel", "UNet2DConditionModel", "CLIPTextModel"))
    print(f"\n{args.cycles} regenerate/undo cycles (image: tiny diffusers, loaded and released each time; "
          f"voice: espeak-ng; Whisper base every {args.whisper_every}) in {cycle_s:.0f} s "
          f"({cycle_s / max(1, args.cycles):.2f} s/cycle)")
    if after_cycle:
        print(f"  settled RSS: after cycle 1 {after_cycle[0]:.0f} MB, after cycle {len(after_cycle)} "
              f"{after_cycle[-1]:.0f} MB, min {min(after_cycle):.0f}, max {max(after_cycle):.0f}; "
              f"growth {after_cycle[-1] - after_cycle[0]:+.1f} MB "
              f"({slope(after_cycle[len(after_cycle) // 5:]) * 1000:+.0f} kB/cycle after the first fifth)")
    print(f"  settled RSS every 5 cycles: {' '.join(f'{v:.0f}' for v in after_cycle[4::5])} MB")
    print(f"  peak RSS during the cycles: {peak_cycles:.0f} MB")
    print(f"\n{args.renders} renders at {size[0]}x{size[1]} ({result.duration:.1f} s of video, "
          f"{result.encoder}) in {render_s:.0f} s ({render_s / max(1, args.renders):.1f} s/render)")
    if after_render:
        print(f"  settled RSS: after render 1 {after_render[0]:.0f} MB, after render {len(after_render)} "
              f"{after_render[-1]:.0f} MB, max {max(after_render):.0f}; growth "
              f"{after_render[-1] - after_render[0]:+.1f} MB ({slope(after_render[1:]) * 1000:+.0f} kB/render)")
    print(f"  settled RSS after each render: {' '.join(f'{v:.0f}' for v in after_render)} MB")
    print(f"  peak RSS over the whole day: {sampler.peak_self / 2 ** 20:.0f} MB")
    print(f"\nstill alive at the end: {alive} (models released after their step: "
          f"{'yes' if alive['StableDiffusionPipeline'] == alive['WhisperModel'] == 0 else 'NO'})")
    print(f"total {time.monotonic() - started:.0f} s; work folder {work}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
