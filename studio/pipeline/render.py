"""The picture and the export: ``Renderer.frame_at(t)`` and ``render_video``.

Owns what the video looks like and the one encode that writes it. The same
``Renderer`` draws a frame for the preview and for the export, so what the
creator sees is what the file contains. ``render_video`` mixes the soundtrack
(``pipeline.mix``), draws every frame on a small thread pool (PIL releases the GIL
while resampling, so frames overlap with the encoder on the other core) as YUV
4:2:0 planes (``render_yuv``) and pipes them into ONE ffmpeg process that encodes
H.264 High yuv420p (tv range, BT.709) + AAC 48 kHz with faststart, written through
``storage.atomic_output``.
"""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from studio.core import ailog
from studio.core.errors import EngineFailed, StudioError
from studio.core.jobs import JobContext
from studio.core.project import Project
from studio.core.storage import atomic_output, resolve_in
from studio.core.timeline import Segment, Timeline, build_timeline
from studio.pipeline import ffmpeg
from studio.pipeline.mix import write_mix
from studio.pipeline.render_motion import (
    blurred_fill,
    combine,
    draw_motion,
    prepare_working,
    resolve_motions,
    smoothstep,
    working_size,
)
from studio.pipeline.render_cards import (
    darken_for_text,
    end_layer,
    gradient_backdrop,
    headline_layer,
    placeholder_layer,
    title_layer,
)
from studio.pipeline.render_text import CaptionPainter, Layer, active_cue
from studio.pipeline.render_yuv import Planes

log = logging.getLogger(__name__)

HEADLINE_FADE = 0.35
CACHE_ITEMS = 6
"""Working pictures kept (YUV 4:2:0, ~3.8 MB each at 1080x1920): current, next, cards."""
_LANG_ISO639_2 = {"id": "ind", "jv": "jav", "su": "sun", "ban": "ban", "mad": "mad", "en": "eng",
                  "ms": "msa", "min": "min", "bug": "bug"}


def _even(x: float) -> int:
    return max(2, int(round(x / 2.0)) * 2)


class Renderer:
    """Draws the video frame at any time ``t``: for the preview and for the export.

    Args:
        project: The project (a snapshot is taken; later edits need a new Renderer).
        root: The project folder.
        scale: Fraction of the project's resolution (0.5 for a half-size preview).
        size: (width, height) instead of ``scale`` (rounded to even); geometry scales with it.
        draft: Half resolution when neither ``scale`` nor ``size`` asks otherwise.

    Safe to call ``frame_at`` from several threads at once.
    """

    def __init__(self, project: Project, root: Path, *, scale: float = 1.0,
                 size: tuple[int, int] | None = None, draft: bool = False) -> None:
        self.project = project.model_copy(deep=True)
        self.root = Path(root)
        r = self.project.render
        if size is not None:
            # 4:2:0 frames need even sides; an odd request is rounded to the nearest even.
            self.size = (_even(size[0]), _even(size[1]))
        else:
            s = scale * (0.5 if draft and scale == 1.0 else 1.0)
            self.size = (_even(r.width * s), _even(r.height * s))
        self.width, self.height = self.size
        self.draft = draft
        self.timeline: Timeline = build_timeline(self.project)
        self.motions = resolve_motions([(s.id, s.motion) for s in self.project.scenes])
        subs = self.project.subtitles
        self._cues = sorted(subs.cues, key=lambda c: (c.start, c.end)) if subs.burn_in else []
        self._captions = CaptionPainter(self.size, subs.style)
        self._lock = threading.Lock()
        self._cache: collections.OrderedDict[tuple, Future] = collections.OrderedDict()
        self._layers: dict[tuple, Layer | None] = {}
        self.problems: list[str] = []
        """Scene pictures that could not be read (drawn as placeholders instead)."""

    # ------------------------------------------------------------ caching

    def _cached(self, key: tuple, make: Callable[[], Planes]) -> Planes:
        """One shared result per key; concurrent callers wait for the first maker."""
        with self._lock:
            fut = self._cache.get(key)
            owner = fut is None
            if owner:
                fut = Future()
                self._cache[key] = fut
                while len(self._cache) > CACHE_ITEMS:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
        if owner:
            try:
                fut.set_result(make())
            except BaseException as exc:
                fut.set_exception(exc)
                with self._lock:
                    self._cache.pop(key, None)
                raise
        return fut.result()

    def _layer(self, key: tuple, make: Callable[[], Layer | None]) -> Layer | None:
        with self._lock:
            if key in self._layers:
                return self._layers[key]
        layer = make()
        with self._lock:
            self._layers.setdefault(key, layer)
            return self._layers[key]

    def _open_image(self, index: int) -> Image.Image | None:
        scene = self.project.scenes[index]
        if scene.image is None or not scene.image.path:
            return None
        try:
            path = resolve_in(self.root, scene.image.path)
            with Image.open(path) as img:
                img.load()
                return img.copy()
        except (OSError, UnidentifiedImageError, StudioError, ValueError) as exc:
            # Never crash a render on one bad picture: draw the placeholder, say so.
            msg = f"scene {index + 1}: picture {scene.image.path} cannot be read ({exc})"
            with self._lock:
                if msg not in self.problems:
                    self.problems.append(msg)
            log.warning(msg)
            return None

    def _work(self, index: int) -> Planes:
        def make() -> Planes:
            img = self._open_image(index)
            if img is None:
                return Planes.from_rgb(gradient_backdrop(working_size(self.size), index))
            return Planes.from_rgb(prepare_working(img, self.size))
        return self._cached(("scene", index), make)

    def _has_picture(self, index: int) -> bool:
        scene = self.project.scenes[index]
        return scene.image is not None and bool(scene.image.path) and \
            not any(p.startswith(f"scene {index + 1}:") for p in self.problems)

    def _card_backdrop(self, kind: str) -> Planes:
        def make() -> Planes:
            scenes = self.project.scenes
            order = range(len(scenes)) if kind == "title" else range(len(scenes) - 1, -1, -1)
            for i in order:
                img = self._open_image(i)
                if img is not None:
                    fill = blurred_fill(img, working_size(self.size), darken=0.72)
                    return Planes.from_rgb(darken_for_text(fill, 0.5))
            return Planes.from_rgb(gradient_backdrop(working_size(self.size), 0 if kind == "title" else 3))
        return self._cached((kind, "backdrop"), make)

    # ------------------------------------------------------------ drawing

    def _scene_frame(self, seg: Segment, t: float) -> Planes:
        i = seg.scene_index
        scene = self.project.scenes[i]
        p = (t - seg.start) / seg.duration if seg.duration > 0 else 0.0
        work = self._work(i)
        if not self._has_picture(i):
            frame = work.resized(self.size, (0.0, 0.0, float(work.size[0]), float(work.size[1])))
            layer = self._layer(("placeholder", i), lambda: placeholder_layer(
                self.size, scene.on_screen_text or scene.narration[:120], i))
            if layer is not None:
                layer.paste_on(frame)
            return frame
        frame = draw_motion(work, self.motions[i], p, self.size)
        # Placeholder art already shows its text; AI pictures and photos get a headline chip.
        if scene.on_screen_text.strip() and scene.image is not None and scene.image.origin != "generated":
            layer = self._layer(("headline", i), lambda: headline_layer(self.size, scene.on_screen_text))
            if layer is not None:
                appear = seg.start + seg.transition_in_seconds * 0.5
                layer.paste_on(frame, smoothstep((t - appear) / HEADLINE_FADE))
        return frame

    def _card_frame(self, seg: Segment, t: float) -> Planes:
        p = (t - seg.start) / seg.duration if seg.duration > 0 else 0.0
        frame = draw_motion(self._card_backdrop(seg.kind), "zoom_in" if seg.kind == "title" else "zoom_out",
                            p, self.size)
        b = self.project.brief
        if seg.kind == "title":
            layer = self._layer(("title",), lambda: title_layer(self.size, b.title, b.region,
                                                                  b.creator, b.agency))
        else:
            layer = self._layer(("end",), lambda: end_layer(self.size, b.title, self.disclosure(),
                                                              b.creator, b.agency, b.language))
        if layer is not None:
            layer.paste_on(frame)
        return frame

    def disclosure(self) -> str:
        """The AI-disclosure sentence for the end card (from the project's AI log)."""
        lang = "en" if self.project.brief.language.startswith("en") else "id"
        records = ailog.current_records(ailog.read(self.root), [s.id for s in self.project.scenes])
        return ailog.disclosure_text(records, lang)

    def segment_planes(self, seg: Segment, t: float) -> Planes:
        """One segment alone at time ``t`` (no transition, no captions)."""
        if seg.kind == "scene":
            return self._scene_frame(seg, t)
        return self._card_frame(seg, t)

    def segment_frame(self, seg: Segment, t: float) -> Image.Image:
        """``segment_planes`` as an RGB picture."""
        return self.segment_planes(seg, t).to_rgb()

    def frame_at(self, t: float) -> Image.Image:
        """The finished frame at timeline time ``t`` (seconds) as RGB, for the preview.

        Exactly the frame the export encodes (``frame_planes``), converted as a player does.
        """
        return self.frame_planes(t).to_rgb()

    def frame_planes(self, t: float) -> Planes:
        """The finished frame at ``t`` as YUV 4:2:0 planes (what the encoder receives)."""
        visible = self.timeline.visible(t)
        if not visible:
            return Planes.solid(self.size)
        if len(visible) == 1:
            frame = self.segment_planes(visible[0][0], t)
        else:
            (out_seg, _), (in_seg, p) = visible
            frame = combine(in_seg.transition_in, self.segment_planes(out_seg, t),
                            self.segment_planes(in_seg, t), p)
        if self._cues:
            i = active_cue(self._cues, t)
            if i >= 0:
                layer = self._captions.layer(i, self._cues[i], t)
                if layer is not None:
                    layer.paste_on(frame)
        return frame

    def prefetch(self, t: float) -> None:
        """Prepare the pictures needed around ``t`` (call ahead of time from a worker)."""
        for seg, _ in self.timeline.visible(t):
            if seg.kind == "scene":
                self._work(seg.scene_index)
            else:
                self._card_backdrop(seg.kind)

    def close(self) -> None:
        """Drop cached pictures and layers."""
        with self._lock:
            self._cache.clear()
            self._layers.clear()

    def __enter__(self) -> "Renderer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------ export


@dataclass(frozen=True)
class RenderResult:
    path: Path
    duration: float
    frames: int
    width: int
    height: int
    fps: int
    encoder: str
    seconds: float
    """Wall time of the whole render."""
    loudness_lufs: float
    """Integrated loudness of the mixed soundtrack."""
    true_peak_db: float


def _metadata_args(metadata: Mapping[str, str] | None) -> list[str]:
    args: list[str] = []
    for key, value in (metadata or {}).items():
        key = "".join(ch for ch in str(key) if ch.isalnum() or ch in "_-")
        if not key:
            continue
        value = " ".join(str(value).replace("\x00", "").split("\n")).strip()
        args += ["-metadata", f"{key}={value}"]
    return args


def _ffmpeg_args(renderer: Renderer, audio: Path, encoder: ffmpeg.Encoder, *, preset: str, crf: int,
                 bitrate: str, metadata: Mapping[str, str] | None, language: str) -> list[str]:
    w, h = renderer.size
    tl = renderer.timeline
    # The frames arrive as BT.709 tv-range yuv420p already: no conversion filter at all.
    vf = ",".join(encoder.filters())
    args = [
        *encoder.input_args(), "-y",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{w}x{h}", "-framerate", str(tl.fps),
        "-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709",
        "-color_trc", "bt709",
        "-i", "pipe:0",
        "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0",
        *(["-vf", vf] if vf else []),
        *encoder.video_args(preset=preset, crf=crf),
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-color_range", "tv",
        "-c:a", "aac", "-b:a", bitrate, "-ar", "48000", "-ac", "2",
        "-frames:v", str(tl.frame_count), "-t", f"{tl.frame_count / tl.fps:.6f}",
        "-movflags", "+faststart",
        *_metadata_args(metadata),
    ]
    lang = _LANG_ISO639_2.get(language.split("-")[0].lower())
    if lang:
        args += ["-metadata:s:a:0", f"language={lang}"]
    return args


def _encode(renderer: Renderer, part: Path, audio: Path, encoder: ffmpeg.Encoder, ctx: JobContext, *,
            preset: str, crf: int, bitrate: str, metadata: Mapping[str, str] | None) -> None:
    tl = renderer.timeline
    total = tl.frame_count
    args = _ffmpeg_args(renderer, audio, encoder, preset=preset, crf=crf, bitrate=bitrate,
                        metadata=metadata, language=renderer.project.brief.language)
    proc = ffmpeg.FfmpegProcess([*args, "-f", "mp4", str(part)])
    workers = max(1, min(2, os.cpu_count() or 1))
    window = 2 * workers + 2
    fps = tl.fps

    def draw(i: int) -> bytes:
        return renderer.frame_planes(i / fps).tobytes()

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="frame")
    pending: collections.deque[Future] = collections.deque()
    next_i = 0
    prefetched: set[int] = set()
    try:
        for i in range(total):
            while next_i < total and len(pending) < window:
                pending.append(pool.submit(draw, next_i))
                next_i += 1
                # Scale the next picture about a second before its first frame is due, on
                # the pool, so the frame that needs it does not stall the encoder.
                t_ahead = next_i / fps + 1.0
                for seg, _ in tl.visible(t_ahead):
                    k = tl.segments.index(seg)
                    if k not in prefetched:
                        prefetched.add(k)
                        pool.submit(renderer.prefetch, t_ahead)
            ctx.check()
            data = pending.popleft().result()
            try:
                proc.write(data)
            except (BrokenPipeError, OSError) as exc:
                code = proc.finish(timeout=30)
                raise ffmpeg.failure(proc.stderr_text or str(exc), part, returncode=code) from exc
            if i % 5 == 4 or i + 1 == total:
                ctx.progress(i + 1, total, f"Merender video: bingkai {i + 1} dari {total}")
        code = proc.finish()
        if code != 0:
            raise ffmpeg.failure(proc.stderr_text, part, returncode=code)
    except BaseException:
        proc.kill()
        for fut in pending:
            fut.cancel()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def render_video(project: Project, root: Path, out_path: Path, ctx: JobContext, *, draft: bool = False,
                 metadata: Mapping[str, str] | None = None) -> RenderResult:
    """Render the project to an MP4 at ``out_path`` in one encode.

    ``draft`` renders at half resolution with the fastest preset, for a quick look.
    Progress counts frames; a cancel stops ffmpeg and leaves no file behind.
    """
    started = time.monotonic()
    root = Path(root)
    out_path = Path(out_path)
    renderer = Renderer(project, root, draft=draft)
    tl = renderer.timeline
    total = tl.frame_count
    if total <= 0:
        raise EngineFailed(
            "There is nothing to render yet: write at least one scene (or turn on the title card).",
            "Belum ada yang bisa dirender: tulis minimal satu adegan (atau nyalakan kartu judul).")
    r = renderer.project.render
    ctx.progress(0, total, "Mencampur audio")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    mix_path = root / "render" / ("mix-draft.wav" if draft else "mix.wav")
    mix = write_mix(renderer.project, root, mix_path, timeline=tl, ctx=ctx)
    ctx.check()
    preset = "ultrafast" if draft else (r.x264_preset or "veryfast")
    crf = int(r.crf) + (2 if draft else 0)
    encoder = ffmpeg.pick_encoder()
    try:
        while True:
            try:
                with atomic_output(out_path) as part:
                    _encode(renderer, part, mix_path, encoder, ctx, preset=preset, crf=crf,
                            bitrate=r.audio_bitrate or "192k", metadata=metadata)
                break
            except EngineFailed:
                if not encoder.hardware:
                    raise
                # A hardware encoder that passed the probe can still fail on a real job
                # (driver limits on 1080x1920); libx264 always works. The result names
                # the encoder used, and the log says why.
                log.warning("hardware encoder %s failed; rendering again with libx264", encoder.name)
                ffmpeg.mark_broken(encoder.name)
                encoder = ffmpeg.Encoder(ffmpeg.SOFTWARE_ENCODER, False)
    finally:
        renderer.close()
    for problem in renderer.problems:
        log.warning("rendered with a placeholder: %s", problem)
    ctx.progress(total, total, "Video selesai")
    return RenderResult(
        path=out_path, duration=total / tl.fps, frames=total, width=renderer.width,
        height=renderer.height, fps=tl.fps, encoder=encoder.name,
        seconds=time.monotonic() - started, loudness_lufs=mix.loudness_lufs,
        true_peak_db=mix.true_peak_db)


__all__ = ["Renderer", "RenderResult", "render_video"]
