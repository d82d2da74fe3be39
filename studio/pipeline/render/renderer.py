"""The picture and the export: ``Renderer.frame_at(t)`` and ``render_video``.

Owns what the video looks like and the one video encode that writes it. The same
``Renderer`` draws a frame for the preview and for the export, so what the
creator sees is what the file contains. ``render_video`` starts the H.264 encode at
once and pipes it frames drawn on a small thread pool as YUV 4:2:0 planes
(``render_yuv``; BT.709, tv range), while the soundtrack is mixed and AAC-encoded
on a background thread; a stream-copy mux joins them with faststart through
``storage.atomic_output`` (the processes live in ``render_encode``).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import math
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, fields
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from studio.core import ailog
from studio.core.errors import EngineFailed, MediaError, PresetError, StudioError
from studio.core.jobs import JobContext
from studio.core.presets import CardStyle, get_preset
from studio.core.project import Project
from studio.core.storage import atomic_output, resolve_in
from studio.core.timeline import Segment, Timeline, build_timeline
from studio.pipeline.media import ffmpeg
from studio.pipeline.render.cards import (
    darken_for_text,
    end_layer,
    gradient_backdrop,
    headline_layer,
    placeholder_layer,
    scene_number_layer,
    title_layer,
)
from studio.pipeline.render.clip import ClipFrames
from studio.pipeline.render.encode import Soundtrack, encode_video, mux
from studio.pipeline.render.motion import (
    PANS_ACROSS,
    PANS_UPDOWN,
    blurred_fill,
    combine,
    draw_motion,
    pan_prepass,
    prepare_working,
    resolve_motions,
    smoothstep,
    working_size,
)
from studio.pipeline.render.text import CaptionPainter, Layer, active_cue
from studio.pipeline.render.yuv import Planes

log = logging.getLogger(__name__)

HEADLINE_FADE = 0.35
CACHE_ITEMS = 8
"""Working pictures kept (YUV 4:2:0, ~3.8 MB each at 1080x1920): current, next, cards, and
the pans' shared half-resamples (about the frame's size)."""


def _even(x: float) -> int:
    return max(2, int(round(x / 2.0)) * 2)


def _card_style(preset_id: str) -> CardStyle:
    """The preset's card style; the house style when the preset is not on this machine."""
    try:
        return get_preset(preset_id).style
    except PresetError:
        log.warning("preset %s not found; cards use the house style", preset_id)
        return CardStyle()


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
        self._captions = CaptionPainter(self.size, subs.style, subs.lines)
        self._lock = threading.Lock()
        self._cache: collections.OrderedDict[tuple, Future] = collections.OrderedDict()
        self._layers: dict[tuple, Layer | None] = {}
        self._problems: list[str] = []
        self.clips = ClipFrames(self.project, self.root, self.size)
        self.style = _card_style(self.project.preset)
        self._accent = self.style.accent_rgb

    @property
    def problems(self) -> list[str]:
        """Scene pictures and clips that could not be read (drawn as placeholders instead)."""
        return self._problems + self.clips.problems

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
        except Image.DecompressionBombError as exc:
            # Swapped in after import (which downscales big photos): say so, do not crash.
            raise MediaError(
                f"The picture of scene {index + 1} ({scene.image.path}) is far too large to draw "
                "(over 178 million pixels). Import it again on the Images page, which downscales big "
                "photos, or use a smaller file.",
                f"Gambar adegan {index + 1} ({scene.image.path}) terlalu besar untuk digambar (lebih dari "
                "178 juta piksel). Impor ulang di halaman Gambar (foto besar diperkecil otomatis), atau "
                "pakai berkas yang lebih kecil.", details=str(exc)) from None
        except (OSError, UnidentifiedImageError, StudioError, ValueError) as exc:
            # Never crash a render on one bad picture: draw the placeholder, say so.
            msg = f"scene {index + 1}: picture {scene.image.path} cannot be read ({exc})"
            with self._lock:
                if msg not in self._problems:
                    self._problems.append(msg)
            log.warning(msg)
            return None

    def _work(self, index: int) -> Planes:
        def make() -> Planes:
            img = self._open_image(index)
            if img is None:
                return Planes.from_rgb(gradient_backdrop(working_size(self.size, 1.0), index))
            return Planes.from_rgb(prepare_working(img, self.size))
        return self._cached(("scene", index), make)

    def _prepass(self, index: int, work: Planes) -> Planes | None:
        """A pan's shared half of the resample (``motion.pan_prepass``), made once per scene."""
        motion = self.motions[index]
        if motion not in PANS_ACROSS + PANS_UPDOWN:
            return None
        return self._cached(("pan", index, motion), lambda: pan_prepass(work, motion, self.size))

    def _has_picture(self, index: int) -> bool:
        scene = self.project.scenes[index]
        return scene.image is not None and bool(scene.image.path) and \
            not any(p.startswith(f"scene {index + 1}:") for p in self._problems)

    def _card_backdrop(self, kind: str) -> Planes:
        def make() -> Planes:
            scenes = self.project.scenes
            order = range(len(scenes)) if kind == "title" else range(len(scenes) - 1, -1, -1)
            if self.style.card_background == "gradient":
                order = range(0)
            for i in order:
                img = self._open_image(i) if self.project.scenes[i].clip is None else self.clips.still(i)
                if img is not None:
                    # Blurred: no detail to keep, so no larger than the frame (cheaper per frame).
                    fill = blurred_fill(img, working_size(self.size, 1.0), darken=0.72)
                    return Planes.from_rgb(darken_for_text(fill, 0.5))
            return Planes.from_rgb(gradient_backdrop(working_size(self.size, 1.0), 0 if kind == "title" else 3))
        return self._cached((kind, "backdrop"), make)

    # ------------------------------------------------------------ drawing

    def _scene_frame(self, seg: Segment, t: float) -> Planes:
        i = seg.scene_index
        scene = self.project.scenes[i]
        p = (t - seg.start) / seg.duration if seg.duration > 0 else 0.0
        # A clip plays as it is (no Ken Burns move); a still moves; neither: the placeholder.
        frame = self.clips.planes(i, t - seg.start, seg.duration) if self.clips.has_clip(i) else None
        shown = scene.clip if frame is not None else scene.image
        if frame is None:
            work = self._work(i)
            if not self._has_picture(i):
                frame = work.resized(self.size, (0.0, 0.0, float(work.size[0]), float(work.size[1])))
                layer = self._layer(("placeholder", i), lambda: placeholder_layer(
                    self.size, scene.on_screen_text or scene.narration[:120], i, self._accent,
                    numbered=self.project.render.scene_numbers))
                if layer is not None:
                    layer.paste_on(frame)
                return frame
            frame = draw_motion(work, self.motions[i], p, self.size, self._prepass(i, work))
        # Placeholder art already shows its text; AI pictures, photos and clips get a headline chip.
        if scene.on_screen_text.strip() and shown is not None and getattr(shown, "origin", "") != "generated":
            layer = self._layer(("headline", i), lambda: headline_layer(self.size, scene.on_screen_text,
                                                                               self._accent))
            if layer is not None:
                appear = seg.start + seg.transition_in_seconds * 0.5
                layer.paste_on(frame, smoothstep((t - appear) / HEADLINE_FADE))
        if self.project.render.scene_numbers:
            kicker = self._layer(("number", i), lambda: scene_number_layer(self.size, i, self._accent))
            if kicker is not None:
                kicker.paste_on(frame)
        return frame

    def _card_frame(self, seg: Segment, t: float) -> Planes:
        p = (t - seg.start) / seg.duration if seg.duration > 0 else 0.0
        frame = draw_motion(self._card_backdrop(seg.kind), "zoom_in" if seg.kind == "title" else "zoom_out",
                            p, self.size)
        b = self.project.brief
        if seg.kind == "title":
            layer = self._layer(("title",), lambda: title_layer(self.size, b.title, b.region,
                                                                  b.creator, b.agency, self._accent))
        else:
            layer = self._layer(("end",), lambda: end_layer(self.size, b.title, self.disclosure(),
                                                              b.creator, b.agency, b.language,
                                                              self._accent))
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
            if seg.kind == "scene" and not self.clips.has_clip(seg.scene_index):
                work = self._work(seg.scene_index)
                if self._has_picture(seg.scene_index):
                    self._prepass(seg.scene_index, work)
            else:
                self._card_backdrop(seg.kind)

    def close(self) -> None:
        """Drop cached pictures and layers; close the clips."""
        self.clips.close()
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
    loudness_lufs: float | None
    """Integrated loudness of the encoded soundtrack (LUFS); None when the video is silent."""
    true_peak_db: float | None
    """True peak of the encoded soundtrack (dBTP); None when the video is silent."""
    timings: Mapping[str, float] = field(default_factory=dict)
    """Wall seconds of the parts: ``first_frame`` (start to the first frame sent to the
    encoder), ``video`` (drawing + encoding), ``audio`` (mix + AAC, in parallel with the
    video), ``mux`` (the final stream copy)."""

    def as_dict(self) -> dict[str, object]:
        """The result as JSON-safe values (no NaN or infinity, paths as strings)."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Path):
                value = str(value)
            elif isinstance(value, float) and not math.isfinite(value):
                value = None
            elif isinstance(value, Mapping):
                value = {k: (v if math.isfinite(v) else None) for k, v in value.items()}
            out[f.name] = value
        return out


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def render_video(project: Project, root: Path, out_path: Path, ctx: JobContext, *, draft: bool = False,
                 metadata: Mapping[str, str] | None = None) -> RenderResult:
    """Render the project to an MP4 at ``out_path``.

    The video encode starts at once; the soundtrack is mixed and AAC-encoded beside it and
    the two are joined by a stream copy (see ``render_encode``). ``draft`` renders at half
    resolution with the fastest preset, for a quick look. Progress counts frames; a cancel
    stops every process and leaves no file behind.
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
    ctx.progress(0, total, "Merender video")
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # Intermediate streams next to the output (same disk), removed whatever happens.
    video_tmp = out_path.with_name(out_path.name + ".video.part")
    audio_tmp = out_path.with_name(out_path.name + ".audio.part")
    preset = "ultrafast" if draft else (r.x264_preset or "veryfast")
    crf = int(r.crf) + (2 if draft else 0)
    encoder = ffmpeg.pick_encoder()
    timings: dict[str, float] = {}
    sound = Soundtrack(renderer.project, root, tl, audio_tmp, bitrate=r.audio_bitrate or "192k")
    try:
        while True:
            try:
                encode_video(renderer, video_tmp, encoder, ctx, preset=preset, crf=crf,
                             poll=sound.poll, timings=timings)
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
        timings["video"] = time.monotonic() - started
        ctx.progress(total, total, "Menggabungkan gambar dan suara")
        mix = sound.result()
        timings["audio"] = sound.seconds
        ctx.check()
        t_mux = time.monotonic()
        with atomic_output(out_path) as part:
            mux(video_tmp, audio_tmp, part, tl, metadata=metadata,
                language=renderer.project.brief.language)
        timings["mux"] = time.monotonic() - t_mux
    except BaseException:
        sound.stop()
        raise
    finally:
        renderer.close()
        for tmp in (video_tmp, audio_tmp):
            with contextlib.suppress(OSError):
                tmp.unlink()
    for problem in renderer.problems:
        log.warning("rendered with a placeholder: %s", problem)
    ctx.progress(total, total, "Video selesai")
    return RenderResult(
        path=out_path, duration=total / tl.fps, frames=total, width=renderer.width,
        height=renderer.height, fps=tl.fps, encoder=encoder.name,
        seconds=time.monotonic() - started, loudness_lufs=_finite(mix.loudness_lufs),
        true_peak_db=_finite(mix.true_peak_db), timings=timings)


__all__ = ["Renderer", "RenderResult", "render_video"]
