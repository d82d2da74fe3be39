"""Pictures in motion: fitting any image to the frame, Ken Burns moves, transitions.

Owns the geometry the renderer applies to each scene picture: the one-time
"working image" (scaled once, slightly larger than the frame, with a blurred fill
behind pictures of extreme aspect), the float crop box for a motion at progress
``p`` (sub-pixel, so slow moves do not stutter), the choice of a move for
``motion="auto"`` and how two frames (YUV planes) are combined in a transition.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from studio.pipeline.render import yuv
from studio.pipeline.render.yuv import Planes

MOTIONS = ("zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down")
AUTO_ORDER = ("zoom_in", "pan_left", "zoom_out", "pan_right", "pan_up", "pan_down")

ZOOM = 0.10
"""How much tighter the closest view is than the widest (10 %: gentle, visible)."""
PAN_ZOOM = 0.08
"""Pans look through a view this much tighter than the full picture and travel its slack."""
OVERSIZE = 1.0 + ZOOM
"""At most, the working image is this much larger than the frame, so the tightest view of
a large photo is ~1:1. A picture with fewer pixels (an AI image of 768x1344 for a
1080x1920 frame) gets a working image no larger than its own detail, down to the frame
size: the moves are the same fractions of the picture either way (``crop_box``), and a
view at scale >= 1 costs PIL a 2-tap instead of a 5-tap filter (measured: 8.1 -> 5.8 ms
for the luma plane at 1080x1920, with no loss against a direct Lanczos resample)."""
EXTREME_ASPECT = 0.62
"""Below this ratio of aspects a cover crop would lose too much: contain it over a blurred fill."""


def resolve_motions(scenes: Sequence[tuple[str, str]]) -> list[str]:
    """The concrete move of each scene from ``(scene_id, motion)`` pairs.

    ``auto`` picks from the scene id (stable when scenes are reordered or edited),
    never repeating either of the two previous scenes' moves (no A-B-A rhythm).
    """
    out: list[str] = []
    for scene_id, motion in scenes:
        if motion == "auto":
            digest = int(hashlib.sha256(scene_id.encode("utf-8")).hexdigest()[:8], 16)
            choices = [m for m in AUTO_ORDER if m not in out[-2:]]
            # Zooms and horizontal pans read best on a phone: prefer them 3:1.
            weighted = [m for m in choices if m not in ("pan_up", "pan_down")] * 3 + \
                [m for m in choices if m in ("pan_up", "pan_down")]
            motion = weighted[digest % len(weighted)]
        out.append(motion)
    return out


def ease(p: float) -> float:
    """Gentle ease-in-out that never fully stops (a stop reads as a stutter at cuts)."""
    p = min(1.0, max(0.0, p))
    return 0.55 * p + 0.45 * (0.5 - 0.5 * math.cos(math.pi * p))


def smoothstep(p: float) -> float:
    p = min(1.0, max(0.0, p))
    return p * p * (3.0 - 2.0 * p)


def crop_box(motion: str, p: float, size: tuple[int, int], frame: tuple[int, int]
             ) -> tuple[float, float, float, float]:
    """Float crop box (left, top, right, bottom) in the working image for progress ``p``.

    The working image has the frame's aspect; the widest view is the whole image.
    """
    w, h = size
    fw, fh = frame
    e = ease(p)
    if motion == "zoom_in":
        scale = 1.0 - ZOOM / OVERSIZE * e
    elif motion == "zoom_out":
        scale = 1.0 - ZOOM / OVERSIZE * (1.0 - e)
    elif motion == "still":
        scale = 1.0 - ZOOM / OVERSIZE * 0.5
    else:
        scale = 1.0 - PAN_ZOOM / OVERSIZE
    bw, bh = w * scale, h * scale
    # Keep the box at the frame's exact aspect (the working image may be off by a pixel).
    aspect = fw / fh
    if bw / bh > aspect:
        bw = bh * aspect
    else:
        bh = bw / aspect
    sx, sy = w - bw, h - bh
    cx, cy = 0.5, 0.5
    if motion == "pan_left":  # the view travels left: content moves right
        cx = 1.0 - e
    elif motion == "pan_right":
        cx = e
    elif motion == "pan_up":
        cy = 1.0 - e
    elif motion == "pan_down":
        cy = e
    left = sx * cx
    top = sy * cy
    return (left, top, left + bw, top + bh)


def working_size(frame: tuple[int, int], oversize: float = OVERSIZE) -> tuple[int, int]:
    """Frame size times ``oversize`` (1..OVERSIZE), rounded up to even numbers (4:2:0 planes)."""
    fw, fh = frame
    k = min(OVERSIZE, max(1.0, oversize))
    return (2 * int(math.ceil(fw * k / 2)), 2 * int(math.ceil(fh * k / 2)))


def detail_oversize(source: tuple[float, float], frame: tuple[int, int], *, cover: bool = True) -> float:
    """How much larger than the frame the working image should be for a ``source`` region.

    As large as the source's own pixels allow, between 1 (the frame) and ``OVERSIZE``:
    upscaling a small picture further only to shrink it again per frame costs time and
    adds nothing.
    """
    sw, sh = source
    fw, fh = frame
    fit = max(fw / sw, fh / sh) if cover else min(fw / sw, fh / sh)
    return min(OVERSIZE, max(1.0, 1.0 / fit))


def _cover(img: Image.Image, size: tuple[int, int], resample: int) -> Image.Image:
    return ImageOps.fit(img, size, method=resample, centering=(0.5, 0.5))


def blurred_fill(img: Image.Image, size: tuple[int, int], *, darken: float = 0.55,
                 radius_frac: float = 0.035) -> Image.Image:
    """The picture cover-scaled, heavily blurred and darkened (a backdrop)."""
    w, h = size
    # Blur a small copy: same look, a fraction of the cost.
    small_w = max(16, w // 6)
    small_h = max(16, h // 6)
    small = _cover(img.convert("RGB"), (small_w, small_h), Image.BILINEAR)
    small = small.filter(ImageFilter.GaussianBlur(max(1.0, radius_frac * small_h)))
    big = small.resize((w, h), Image.BICUBIC)
    return dim_rgb(big, darken)


def prepare_working(img: Image.Image, frame: tuple[int, int]) -> Image.Image:
    """Scale a scene picture once to the working size (cover, or contain over a fill)."""
    img = ImageOps.exif_transpose(img)
    if img.mode not in ("RGB",):
        if img.mode in ("RGBA", "LA", "P"):
            rgba = img.convert("RGBA")
            flat = Image.new("RGB", rgba.size, (18, 20, 26))
            flat.paste(rgba, mask=rgba.getchannel("A"))
            img = flat
        else:
            img = img.convert("RGB")
    iw, ih = img.size
    img_aspect = iw / ih
    frame_aspect = frame[0] / frame[1]
    ratio = min(img_aspect / frame_aspect, frame_aspect / img_aspect)
    if ratio >= EXTREME_ASPECT:
        size = working_size(frame, detail_oversize((iw, ih), frame))
        return _cover(img, size, Image.LANCZOS)
    # Extreme aspect (a panorama in a vertical video, a tall strip in a landscape one):
    # trim the long side as much as a cover crop may at the threshold (keeping
    # EXTREME_ASPECT of it, centred), so the picture is as large as it can be without
    # losing its subject, then contain it over a blurred, darkened copy of itself (no
    # black bars) with a soft shadow that lifts it off the fill.
    if img_aspect > frame_aspect:
        keep = iw * EXTREME_ASPECT
        crop = ((iw - keep) / 2, 0.0, (iw + keep) / 2, float(ih))
    else:
        keep = ih * EXTREME_ASPECT
        crop = (0.0, (ih - keep) / 2, float(iw), (ih + keep) / 2)
    cw, ch = crop[2] - crop[0], crop[3] - crop[1]
    size = working_size(frame, detail_oversize((cw, ch), frame, cover=False))
    w, h = size
    scale = min(w / cw, h / ch)
    fw, fh = max(1, min(w, round(cw * scale))), max(1, min(h, round(ch * scale)))
    fg = img.resize((fw, fh), Image.LANCZOS, box=crop)
    base = blurred_fill(img, size)
    x, y = (w - fw) // 2, (h - fh) // 2
    _drop_shadow(base, (x, y, x + fw, y + fh))
    base.paste(fg, (x, y))
    return base


def _drop_shadow(base: Image.Image, box: tuple[int, int, int, int], strength: float = 0.55) -> None:
    """Darken a soft halo around ``box`` on ``base`` in place (drawn small, then scaled up)."""
    w, h = base.size
    k = 4
    small = Image.new("L", (max(1, w // k), max(1, h // k)), 0)
    x0, y0, x1, y1 = (v / k for v in box)
    ImageDraw.Draw(small).rectangle((x0, y0, x1, y1), fill=int(255 * strength))
    radius = max(1.0, min(w, h) * 0.025 / k)
    mask = small.filter(ImageFilter.GaussianBlur(radius)).resize((w, h), Image.BILINEAR)
    base.paste(Image.new("RGB", (w, h), (0, 0, 0)), (0, 0), mask)


PANS_ACROSS = ("pan_left", "pan_right")
PANS_UPDOWN = ("pan_up", "pan_down")


def pan_prepass(work: Planes, motion: str, frame: tuple[int, int]) -> Planes | None:
    """For a pan, the half of the resample every frame shares, done once (None for other moves).

    A pan's view keeps its size and one axis: across, the rows are resampled to the
    frame's height once and each frame resamples only the columns (and the other way
    for a pan up or down), which halves the per-frame cost. ``draw_motion`` with it
    gives the frame ``draw_motion`` without it gives (up and down: the same numbers,
    PIL resamples columns first too; across: within one level).
    """
    if motion not in PANS_ACROSS + PANS_UPDOWN:
        return None
    left, top, right, bottom = crop_box(motion, 0.0, work.size, frame)
    ww, wh = work.size
    if motion in PANS_ACROSS:
        return work.resized((ww, frame[1]), (0.0, top, float(ww), bottom))
    return work.resized((frame[0], wh), (left, 0.0, right, float(wh)))


def draw_motion(work: Planes, motion: str, p: float, frame: tuple[int, int],
                prepass: Planes | None = None) -> Planes:
    """The frame-sized view of ``work`` for ``motion`` at progress ``p`` (bilinear, sub-pixel).

    ``prepass``: ``pan_prepass(work, motion, frame)``, kept by the caller across frames.
    """
    box = crop_box(motion, p, work.size, frame)
    if prepass is not None and motion in PANS_ACROSS:
        return prepass.resized(frame, (box[0], 0.0, box[2], float(frame[1])))
    if prepass is not None and motion in PANS_UPDOWN:
        return prepass.resized(frame, (0.0, box[1], float(frame[0]), box[3]))
    return work.resized(frame, box)


def combine(kind: str, out_frame: Planes, in_frame: Planes, p: float) -> Planes:
    """The frame during a transition from ``out_frame`` to ``in_frame`` at progress ``p``."""
    p = min(1.0, max(0.0, p))
    if kind == "dip_black":
        if p < 0.5:
            return yuv.dim(out_frame, 1.0 - 2.0 * p)
        return yuv.dim(in_frame, 2.0 * p - 1.0)
    if kind == "slide":
        # A push: the new picture slides in from the right and pushes the old one out.
        return yuv.push(out_frame, in_frame, smoothstep(p))
    if kind == "cut":
        return in_frame if p >= 0.5 else out_frame
    return yuv.blend(out_frame, in_frame, p)


def dim_rgb(img: Image.Image, level: float) -> Image.Image:
    """Multiply an RGB image by ``level`` (0 black .. 1 unchanged)."""
    if level >= 1.0:
        return img
    k = min(1.0, max(0.0, level))
    return img.point([int(v * k + 0.5) for v in range(256)] * len(img.getbands()))
