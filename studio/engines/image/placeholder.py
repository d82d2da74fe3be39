"""Procedural placeholder art: a designed, honest "no AI" picture for every scene.

Until a diffusion model is installed (or while drafting), each scene still gets a
good-looking picture: a layered landscape of soft hills under a gradient sky in a
palette inspired by Indonesian textiles, a subtle kawung motif (the four-petal
batik pattern), the scene's on-screen title set large in Source Sans Pro Bold, and
a small corner tag "Ilustrasi sementara — bukan AI". Everything is derived from
the request's seed and scene index, so the same request gives the same pixels.

Soft shapes are computed at a quarter of the size with numpy and scaled up (cheap
and naturally smooth); text and the motif are drawn at full size.
"""

from __future__ import annotations

import importlib
import logging
import math
import random
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from studio.core.errors import EngineFailed, Problem
from studio.core.jobs import JobContext
from studio.engines.base import (
    EngineBase,
    EngineInfo,
    ImageRequest,
    ImageResult,
    Provenance,
)

log = logging.getLogger(__name__)

TOOL_NAME = "Ilustrasi prosedural Studio Lokal"
VERSION = "2"
"""2: no "ADEGAN n" kicker baked into the picture."""
TAG_TEXT = "Ilustrasi sementara — bukan AI"
_DEJAVU = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
           "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
           "C:/Windows/Fonts/DejaVuSans-Bold.ttf")

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    name: str
    sky_top: RGB
    sky_bottom: RGB
    glow: RGB
    hills: tuple[RGB, RGB, RGB]
    """Far to near."""
    motif: RGB


PALETTES: tuple[Palette, ...] = (
    Palette("sogan", (58, 36, 28), (196, 122, 64), (255, 214, 150),
            ((139, 84, 52), (101, 58, 36), (62, 36, 24)), (245, 214, 170)),
    Palette("nila", (18, 32, 74), (84, 122, 178), (220, 232, 255),
            ((52, 82, 138), (34, 58, 108), (20, 36, 72)), (214, 226, 250)),
    Palette("sawah", (36, 88, 96), (206, 222, 160), (255, 246, 196),
            ((118, 164, 92), (72, 128, 70), (38, 86, 52)), (240, 246, 210)),
    Palette("senja", (64, 28, 74), (236, 132, 96), (255, 220, 160),
            ((150, 68, 92), (104, 42, 76), (60, 24, 54)), (255, 222, 196)),
    Palette("laut", (10, 62, 84), (118, 196, 204), (232, 252, 248),
            ((34, 128, 146), (20, 94, 116), (10, 60, 80)), (214, 244, 240)),
    Palette("terakota", (92, 40, 26), (224, 160, 104), (255, 230, 184),
            ((178, 92, 56), (134, 62, 38), (84, 36, 24)), (250, 226, 196)),
    Palette("hutan", (18, 48, 40), (150, 176, 126), (236, 240, 200),
            ((70, 112, 78), (44, 82, 58), (24, 52, 38)), (226, 236, 206)),
    Palette("emas", (70, 46, 16), (222, 176, 92), (255, 238, 190),
            ((166, 120, 50), (122, 84, 34), (78, 52, 22)), (255, 236, 196)),
)


# ------------------------------------------------------------------ fonts


@lru_cache(maxsize=4)
def font_path(bold: bool = True) -> str | None:
    """Source Sans Pro from the PyPI package, else DejaVu Sans, else None (PIL's default)."""
    try:
        module = importlib.import_module("font_source_sans_pro")
        folder = Path(getattr(module, "font_directory"))
        candidate = folder / ("SourceSansPro-Bold.ttf" if bold else "SourceSansPro-Regular.ttf")
        if candidate.is_file():
            return str(candidate)
    except (ImportError, AttributeError, TypeError):
        pass
    for path in _DEJAVU:
        if Path(path).is_file():
            return path
    return None


@lru_cache(maxsize=32)
def load_font(size: int, bold: bool = True) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path(bold)
    if path:
        return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def wrap(text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: float) -> list[str]:
    """Greedy word wrap to ``width`` pixels (a single long word stays on its own line)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if not line or font.getlength(trial) <= width:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


# ------------------------------------------------------------------ drawing


def _lerp(a: RGB, b: RGB, t: np.ndarray) -> np.ndarray:
    a_ = np.array(a, np.float32)
    b_ = np.array(b, np.float32)
    return a_ + (b_ - a_) * t[..., None]


def _landscape(w: int, h: int, pal: Palette, rng: random.Random) -> np.ndarray:
    """Sky gradient, a soft sun glow and three ridges of hills, as float RGB (h, w, 3)."""
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    img = _lerp(pal.sky_top, pal.sky_bottom, np.broadcast_to(y ** 0.9, (h, w)))
    # Sun glow: a wide soft halo and a small bright disc.
    # Low in the sky, so the sun sets behind the hills and never sits behind the title.
    sx, sy = rng.uniform(0.22, 0.78), rng.uniform(0.52, 0.60) if h >= w else rng.uniform(0.57, 0.62)
    aspect = w / h
    d = np.sqrt(((x - sx) * aspect) ** 2 + (y - sy) ** 2)
    halo = np.exp(-(d / 0.22) ** 2) * 0.55
    disc = np.clip((0.055 - d) / 0.006, 0.0, 1.0) * 0.85
    glow = np.array(pal.glow, np.float32)
    img = img + (glow - img) * np.clip(halo + disc, 0.0, 1.0)[..., None]
    # Ridges: far hills high and pale, near hills low and dark; soft edges after upscaling.
    bases = (0.60, 0.70, 0.81)
    for k, (base, colour) in enumerate(zip(bases, pal.hills)):
        phase = rng.uniform(0, math.tau)
        f1 = rng.uniform(1.2, 2.4) * (1 + k * 0.35)
        f2 = rng.uniform(3.0, 5.5)
        amp = 0.045 - k * 0.008
        ridge = base + amp * np.sin(f1 * math.tau * x + phase) + amp * 0.35 * np.sin(f2 * math.tau * x + phase * 1.7)
        mask = np.clip((y - ridge) * h / 1.5, 0.0, 1.0)
        # Haze: each ridge fades slightly towards the sky colour at its top.
        shade = _lerp(colour, pal.sky_bottom, np.clip((ridge + 0.08 - y) / 0.08, 0.0, 1.0) * (0.35 - k * 0.1))
        img = img + (shade - img) * mask[..., None]
    # Terraces on the nearest hill: faint parallel curves, like rice fields.
    near = 0.81 + 0.03 * np.sin(2.1 * math.tau * x + rng.uniform(0, math.tau))
    rows = np.sin((y - near) * h * 0.55) * 0.5 + 0.5
    # A smooth band, not a threshold: it stays soft (no stair steps) after upscaling.
    lines = np.clip((rows - 0.75) / 0.25, 0.0, 1.0) ** 2 * np.clip((y - near - 0.01) * h / 2.0, 0.0, 1.0) * 0.12
    img = img + (np.array(pal.motif, np.float32) - img) * lines[..., None]
    return img


@lru_cache(maxsize=16)
def _kawung_tile(size: int) -> np.ndarray:
    """One kawung tile as an alpha mask 0..1 (four oval petals round a dot, diagonal)."""
    ss = 3  # supersample for smooth edges
    s = size * ss
    img = Image.new("L", (s, s), 0)
    draw = ImageDraw.Draw(img)
    c = s / 2
    long_r, short_r = s * 0.26, s * 0.15
    for angle in (45, 135, 225, 315):
        a = math.radians(angle)
        cx, cy = c + math.cos(a) * s * 0.27, c + math.sin(a) * s * 0.27
        petal = Image.new("L", (int(long_r * 2), int(short_r * 2)), 0)
        ImageDraw.Draw(petal).ellipse((0, 0, petal.width - 1, petal.height - 1), outline=255,
                                      width=max(2, int(s * 0.025)))
        petal = petal.rotate(-angle, expand=True, resample=Image.Resampling.BICUBIC)
        img.paste(255, (int(cx - petal.width / 2), int(cy - petal.height / 2)), petal)
    r = s * 0.04
    draw.ellipse((c - r, c - r, c + r, c + r), fill=255)
    img = img.resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(img, np.float32) / 255.0


def _motif_layer(w: int, h: int, tile: int, fade_to: float) -> np.ndarray:
    """The kawung pattern over the whole frame, fading out towards ``fade_to`` (0..1 of height)."""
    mask = _kawung_tile(tile)
    reps_y, reps_x = h // tile + 2, w // tile + 2
    pattern = np.tile(mask, (reps_y, reps_x))
    off = tile // 2
    pattern = pattern[off:off + h, (w % tile) // 2:(w % tile) // 2 + w]
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    fade = np.clip(1.0 - y / max(fade_to, 1e-3), 0.0, 1.0) ** 1.5
    return pattern * fade


def _rounded_panel(size: tuple[int, int], box: tuple[float, float, float, float], radius: float,
                   fill: tuple[int, int, int, int], blur: float = 0.0) -> Image.Image:
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(layer).rounded_rectangle(box, radius=radius, fill=fill)
    if blur:
        layer = layer.filter(ImageFilter.GaussianBlur(blur))
    return layer


def render(request: ImageRequest) -> Image.Image:
    """Draw the placeholder for ``request`` (RGB, exactly ``request.width`` × ``request.height``)."""
    w, h = int(request.width), int(request.height)
    if w < 16 or h < 16:
        raise EngineFailed(f"The image size {w}×{h} is too small to draw.",
                           f"Ukuran gambar {w}×{h} terlalu kecil untuk digambar.")
    rng = random.Random(int(request.seed))
    pal = PALETTES[int(request.index) % len(PALETTES)]
    lw, lh = max(8, w // 4), max(8, h // 4)
    soft = _landscape(lw, lh, pal, rng)
    base = Image.fromarray(np.clip(soft, 0, 255).astype(np.uint8)).resize((w, h), Image.Resampling.BICUBIC)
    arr = np.asarray(base, np.float32)
    unit = min(w, h)
    tile = max(24, int(unit / 7.5))
    motif = _motif_layer(w, h, tile, fade_to=0.55) * 0.13
    arr = arr + (np.array(pal.motif, np.float32) - arr) * motif[..., None]
    # Gentle vignette keeps the eye on the middle, as a designed card would.
    yy = np.linspace(-1.0, 1.0, h, dtype=np.float32)[:, None]
    xx = np.linspace(-1.0, 1.0, w, dtype=np.float32)[None, :]
    arr *= (1.0 - 0.22 * np.clip(xx ** 2 + yy ** 2 - 0.35, 0.0, 1.0))[..., None]
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).convert("RGBA")
    _draw_title(img, request, pal, unit)
    _draw_tag(img, unit)
    return img.convert("RGB")


def _draw_title(img: Image.Image, request: ImageRequest, pal: Palette, unit: int) -> None:
    """The scene's title in a soft panel. No "ADEGAN n" kicker: the number is the editor's
    business, not the jury's (the renderer draws it on drafts when asked)."""
    w, h = img.size
    title = " ".join((request.title or "").split())
    if not title:
        return
    max_w = w * 0.78
    size = max(12, int(unit * 0.085))
    font = load_font(size)
    lines = wrap(title, font, max_w)
    while len(lines) > 3 and size > 12:
        size = int(size * 0.88)
        font = load_font(size)
        lines = wrap(title, font, max_w)
    line_h = int(size * 1.12)
    block_h = line_h * len(lines)
    # Upper middle: clear of the burned-in subtitles in the lower third.
    centre = h * (0.36 if h >= w else 0.42)
    top = centre - block_h / 2
    widest = max(font.getlength(line) for line in lines)
    pad = unit * 0.05
    box = (w / 2 - widest / 2 - pad, top - pad * 0.8, w / 2 + widest / 2 + pad, top + block_h + pad * 0.9)
    img.alpha_composite(_rounded_panel(img.size, box, radius=unit * 0.035, fill=(10, 10, 16, 120), blur=unit * 0.01))
    draw = ImageDraw.Draw(img)
    y = top + line_h / 2
    shadow = max(1, int(size * 0.04))
    for line in lines:
        draw.text((w / 2 + shadow, y + shadow), line, font=font, fill=(0, 0, 0, 150), anchor="mm")
        draw.text((w / 2, y), line, font=font, fill=(255, 255, 255, 255), anchor="mm")
        y += line_h


def _draw_tag(img: Image.Image, unit: int) -> None:
    w, _h = img.size
    font = load_font(max(10, int(unit * 0.026)))
    # Inset enough to survive the renderer's Ken Burns zoom (up to ~12 %) uncut.
    margin = unit * 0.075
    pad_x, pad_y = unit * 0.02, unit * 0.012
    tw = font.getlength(TAG_TEXT)
    asc, desc = font.getmetrics() if hasattr(font, "getmetrics") else (int(unit * 0.026), 0)
    box = (margin, margin, margin + tw + 2 * pad_x, margin + asc + desc + 2 * pad_y)
    img.alpha_composite(_rounded_panel(img.size, box, radius=(box[3] - box[1]) / 2, fill=(0, 0, 0, 140)))
    ImageDraw.Draw(img).text((margin + pad_x, margin + pad_y), TAG_TEXT, font=font, fill=(255, 255, 255, 235))


# ------------------------------------------------------------------ the engine


class PlaceholderImageEngine(EngineBase):
    """Draws a designed placeholder per scene; no AI, instant, always available."""

    info = EngineInfo(
        key="image.placeholder", kind="image", name=TOOL_NAME, is_ai=False, licence="MIT",
        description_id="Gambar sementara buatan program (bukan AI): latar berpola dengan judul adegan.",
        description_en="Procedural placeholder pictures (not AI): a patterned backdrop with the scene title.",
    )

    @classmethod
    def from_settings(cls, settings: object = None) -> "PlaceholderImageEngine":
        return cls()

    def preflight(self) -> list[Problem]:
        return []

    def generate(self, request: ImageRequest, out_path: Path, ctx: JobContext) -> ImageResult:
        """Draw and write a PNG to ``out_path`` (the caller makes the write atomic)."""
        started = time.perf_counter()
        ctx.check()
        img = render(request)
        ctx.check()
        img.save(out_path, format="PNG", compress_level=1)
        pal = PALETTES[int(request.index) % len(PALETTES)]
        prov = Provenance(engine=self.info.key, tool=TOOL_NAME, is_ai=False, model=f"placeholder v{VERSION}",
                          model_revision=str(VERSION), licence="MIT", prompt=request.prompt,
                          params={"palette": pal.name, "style": request.style, "title": request.title},
                          seed=int(request.seed), seconds=time.perf_counter() - started,
                          note="Ilustrasi sementara buatan program, bukan AI.")
        return ImageResult(Path(out_path), img.width, img.height, prov, safety_flagged=None)
