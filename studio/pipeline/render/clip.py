"""Clips on scenes: which source moment shows at a scene time, fitted to the frame.

The renderer asks ``ClipFrames.planes(index, seconds_into_scene, scene_seconds)``;
the answer is the clip's frame at that moment (``source_time``: in point, speed, and
what a clip shorter than its scene does) fitted to the frame by crop around the focus
point or whole over a blurred copy of itself, as YUV planes (a crop straight from the
decoded planes, with no RGB in between). No Ken Burns move is
applied to a clip. Decoding is streamed by ``media.video.ClipReader`` (one per scene,
opened on first use), so the preview and the export draw the same frames.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from studio.core.errors import MediaError, StudioError
from studio.core.project import CLIP_SPEEDS, ClipAsset, Project
from studio.core.storage import resolve_in
from studio.pipeline.render.motion import blurred_fill
from studio.pipeline.render.yuv import Planes

log = logging.getLogger(__name__)

END_GUARD = 0.001
"""Seconds before the out point the last source moment is taken (the out frame itself is excluded)."""


def play_speed(clip: ClipAsset, scene_seconds: float) -> float:
    """The speed a clip plays at in a scene of ``scene_seconds``.

    The chosen speed, except that a clip set to ``short="slow"`` that would end before
    its scene slows down to fill it, never below the slowest speed (0.5×); past that it
    holds its last frame like ``"hold"``.
    """
    speed = clip.speed
    played = clip.played
    if clip.short == "slow" and scene_seconds > 0 and played > 0 and played / speed < scene_seconds:
        speed = max(CLIP_SPEEDS[0], played / scene_seconds)
    return speed


def source_time(clip: ClipAsset, elapsed: float, scene_seconds: float) -> float:
    """Seconds into the clip file shown ``elapsed`` seconds into its scene."""
    offset = max(0.0, elapsed) * play_speed(clip, scene_seconds)
    played = clip.played
    if played > 0:
        offset = min(offset, max(0.0, played - END_GUARD))
    return clip.start + offset


def fit_frame(img: Image.Image, size: tuple[int, int], fit: str, focus: tuple[float, float]) -> Image.Image:
    """``img`` filling ``size``: cropped around ``focus`` (0..1 each way) or whole over a blurred fill."""
    if img.mode != "RGB":
        img = img.convert("RGB")
    if fit == "crop":
        return ImageOps.fit(img, size, method=Image.BILINEAR, centering=focus)
    w, h = size
    scale = min(w / img.width, h / img.height)
    fw, fh = max(1, min(w, round(img.width * scale))), max(1, min(h, round(img.height * scale)))
    base = blurred_fill(img, size)
    base.paste(img.resize((fw, fh), Image.BILINEAR), ((w - fw) // 2, (h - fh) // 2))
    return base


class ClipFrames:
    """The clip frames of a project's scenes at one render size (thread-safe)."""

    def __init__(self, project: Project, root: Path, size: tuple[int, int]) -> None:
        self.project = project
        self.root = Path(root)
        self.size = size
        self._lock = threading.Lock()
        self._readers: dict[int, object] = {}
        self._direct_ok: dict[int, bool] = {}
        self.problems: list[str] = []

    def has_clip(self, index: int) -> bool:
        scene = self.project.scenes[index]
        return scene.clip is not None and bool(scene.clip.path) and \
            not any(p.startswith(f"scene {index + 1}: clip") for p in self.problems)

    def _reader(self, index: int) -> object | None:
        from studio.pipeline.media.video import ClipReader

        with self._lock:
            if index in self._readers:
                return self._readers[index]
            clip = self.project.scenes[index].clip
            reader = None
            try:
                path = resolve_in(self.root, clip.path)
                if not path.is_file():
                    raise MediaError(f"{clip.path} is missing", f"{clip.path} tidak ada")
                w, h = self.size
                # Crop: the reader cuts the window around the focus point at the render size;
                # blur shows the clip whole inside it.
                crop = (clip.focus_x, clip.focus_y) if clip.fit == "crop" else None
                reader = ClipReader(path, (w, h), cover=crop is not None, crop=crop)
            except (OSError, StudioError, ValueError) as exc:
                self._problem(index, f"scene {index + 1}: clip {clip.path} cannot be read ({exc})")
            self._readers[index] = reader
            return reader

    def _problem(self, index: int, msg: str) -> None:
        if msg not in self.problems:
            self.problems.append(msg)
        log.warning(msg)

    def image(self, index: int, elapsed: float, scene_seconds: float) -> Image.Image | None:
        """The clip's frame for this scene moment, fitted to the size (None if it cannot be read)."""
        clip = self.project.scenes[index].clip
        reader = self._reader(index)
        if clip is None or reader is None:
            return None
        img = self._read(index, reader, reader.frame, source_time(clip, elapsed, scene_seconds))
        if img is None:
            return None
        if clip.fit == "crop" and img.size == self.size and img.mode == "RGB":
            return img  # already cropped around the focus point by the reader
        return fit_frame(img, self.size, clip.fit, (clip.focus_x, clip.focus_y))

    def _direct(self, index: int) -> object | None:
        """The reader when it gives the render's planes itself (a cropped 4:2:0 clip)."""
        reader = self._reader(index)
        if reader is None or self.project.scenes[index].clip.fit != "crop":
            return None
        with self._lock:
            direct = self._direct_ok.get(index)
        if direct is None:
            try:
                direct = reader.can_give_planes()
            except (OSError, StudioError, ValueError):
                direct = False  # ``image`` meets the same trouble and says so
            with self._lock:
                self._direct_ok[index] = direct
        return reader if direct else None

    def planes(self, index: int, elapsed: float, scene_seconds: float) -> Planes | None:
        """The clip's frame for this scene moment as the render's YUV 4:2:0 planes (None if unreadable).

        A cropped 4:2:0 clip (what phones record) goes from the decoded planes to the
        frame's planes in one libswscale pass (crop, scale, BT.709, tv range); anything
        else (blur fit, other pixel formats) is fitted as RGB and converted.
        """
        clip = self.project.scenes[index].clip
        reader = self._direct(index) if clip is not None else None
        if reader is None:
            img = self.image(index, elapsed, scene_seconds)
            return None if img is None else Planes.from_rgb(img)
        got = self._read(index, reader, reader.planes, source_time(clip, elapsed, scene_seconds))
        return None if got is None else Planes(*got)

    def _read(self, index: int, reader: Any, read: Any, at: float) -> Any:
        """``read(at)`` from the scene's reader; an unreadable clip is said once and dropped (None)."""
        try:
            got = read(at)
        except (OSError, StudioError, ValueError) as exc:
            self._problem(index, f"scene {index + 1}: clip {self.project.scenes[index].clip.path} "
                                 f"cannot be read ({exc})")
            with self._lock:
                self._readers[index] = None
            reader.close()
            return None
        for msg in reader.problems:
            self._problem(index, f"scene {index + 1}: {msg}")
        return got

    def still(self, index: int) -> Image.Image | None:
        """The clip's first shown frame (a card backdrop when the scene has no picture)."""
        if not self.has_clip(index):
            return None
        frame = self.planes(index, 0.0, 0.0)
        return None if frame is None else frame.to_rgb()

    def close(self) -> None:
        with self._lock:
            readers = [r for r in self._readers.values() if r is not None]
            self._readers.clear()
        for reader in readers:
            reader.close()


__all__ = ["ClipFrames", "fit_frame", "play_speed", "source_time"]
