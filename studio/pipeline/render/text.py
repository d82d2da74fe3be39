"""Text on the picture: fonts, measured wrapping, layers, safe area and captions.

Owns every glyph the renderer draws. Sizes and margins are fractions of the frame,
so a small preview and the 1080x1920 export lay out identically. Text is wrapped
by measured width (``font.getlength``), shrunk before it would overflow, and never
clipped. Everything static is drawn once into an RGBA layer cropped to its ink,
so a frame only pastes a small region.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from studio.core.project import Cue
from studio.pipeline.render.yuv import Planes, YuvLayer

log = logging.getLogger(__name__)

WHITE = (255, 255, 255)
ACCENT = (245, 196, 82)
"""Warm gold: the one accent colour (kicker, highlight, bars)."""
INK = (22, 24, 30)
BOX = (12, 14, 20, 168)
"""Caption box: near-black at ~66 % so any picture stays readable under it."""

CAPTION_STYLES = ("lower_third", "highlight", "karaoke")

_WEIGHT_FILES = {
    "regular": ("SourceSansPro-Regular.ttf", "DejaVuSans.ttf"),
    "semibold": ("SourceSansPro-Semibold.ttf", "DejaVuSans-Bold.ttf"),
    "bold": ("SourceSansPro-Bold.ttf", "DejaVuSans-Bold.ttf"),
    "black": ("SourceSansPro-Black.ttf", "DejaVuSans-Bold.ttf"),
}
_SYSTEM_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
                     "/usr/local/share/fonts", "C:/Windows/Fonts", "/Library/Fonts")


# ------------------------------------------------------------------ fonts


def _package_font_dir() -> Path | None:
    try:
        import importlib.util

        spec = importlib.util.find_spec("font_source_sans_pro")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "files"
    return folder if folder.is_dir() else None


@functools.lru_cache(maxsize=None)
def font_path(weight: str = "bold") -> Path | None:
    """The font file for ``weight``: Source Sans Pro (OFL, from PyPI), else DejaVu Sans."""
    ours, fallback = _WEIGHT_FILES.get(weight, _WEIGHT_FILES["regular"])
    folder = _package_font_dir()
    if folder is not None and (folder / ours).is_file():
        return folder / ours
    for base in _SYSTEM_FONT_DIRS:
        candidate = Path(base) / fallback
        if candidate.is_file():
            log.warning("Source Sans Pro not found; using %s", candidate)
            return candidate
    return None


@functools.lru_cache(maxsize=256)
def load_font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """A font of ``weight`` at ``size`` pixels (cached; fonts are immutable)."""
    size = max(6, int(size))
    path = font_path(weight)
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)  # Pillow's built-in scalable font, last resort


# ------------------------------------------------------------------ wrapping


def normalise(text: str) -> str:
    """Collapse whitespace and use composed characters (é, not e + ́)."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def _break_long_word(word: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    pieces: list[str] = []
    current = ""
    for ch in word:
        if current and font.getlength(current + ch) > max_width:
            pieces.append(current)
            current = ch
        else:
            current += ch
    if current:
        pieces.append(current)
    return pieces


_GLUE = re.compile(r"[\u2014\u2013\-]+|[!?:;\u00bb)]")
"""Tokens that never start a line: a spaced dash ("Gambar — Stable"), spaced closing marks."""


def _tokens(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    words: list[str] = []
    for word in normalise(text).split(" "):
        if not word:
            continue
        if font.getlength(word) > max_width:
            words += _break_long_word(word, font, max_width)
        elif words and _GLUE.fullmatch(word) and font.getlength(words[-1] + " " + word) <= max_width:
            words[-1] += " " + word  # keep it at the end of the previous word's line
        else:
            words.append(word)
    return words


def wrap_text(text: str, font: ImageFont.FreeTypeFont, max_width: float) -> list[str]:
    """Lines of ``text`` no wider than ``max_width`` pixels, balanced in length.

    Greedy wrapping decides how many lines are needed; the words are then spread so
    the longest line is as short as possible (no lone word on the last line).
    """
    words = _tokens(text, font, max_width)
    if not words:
        return []
    greedy: list[list[str]] = [[]]
    for word in words:
        trial = " ".join(greedy[-1] + [word])
        if greedy[-1] and font.getlength(trial) > max_width:
            greedy.append([word])
        else:
            greedy[-1].append(word)
    n = len(greedy)
    if n == 1 or len(words) > 60:
        return [" ".join(line) for line in greedy]
    return [" ".join(line) for line in _balance(words, n, font, max_width)] or \
        [" ".join(line) for line in greedy]


def _balance(words: list[str], n: int, font: ImageFont.FreeTypeFont, max_width: float
             ) -> list[list[str]]:
    m = len(words)
    width = {}

    def w(i: int, j: int) -> float:
        key = (i, j)
        if key not in width:
            width[key] = font.getlength(" ".join(words[i:j]))
        return width[key]

    # best[k][j]: minimal max-width splitting words[:j] into k lines.
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    cut = [[0] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for k in range(1, n + 1):
        for j in range(1, m + 1):
            for i in range(k - 1, j):
                if best[k - 1][i] == inf:
                    continue
                lw = w(i, j)
                if lw > max_width:
                    continue
                cost = max(best[k - 1][i], lw)
                if cost < best[k][j] - 1e-6:
                    best[k][j] = cost
                    cut[k][j] = i
    if best[n][m] == inf:
        return []
    lines: list[list[str]] = []
    j = m
    for k in range(n, 0, -1):
        i = cut[k][j]
        lines.append(words[i:j])
        j = i
    return lines[::-1]


def fit_text(text: str, weight: str, max_width: float, size: int, *, min_size: int,
             max_lines: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font from ``size`` down to ``min_size`` whose wrap fits ``max_lines``.

    If even ``min_size`` needs more lines, it keeps them all: text is never cut.
    """
    size = int(size)
    min_size = max(6, min(int(min_size), size))
    font = load_font(weight, size)
    lines = wrap_text(text, font, max_width)
    while len(lines) > max_lines and size > min_size:
        size = max(min_size, int(size * 0.92))
        font = load_font(weight, size)
        lines = wrap_text(text, font, max_width)
    return font, lines


def line_height(font: ImageFont.FreeTypeFont, spacing: float = 1.18) -> int:
    return int(math.ceil(font.size * spacing))


def draw_tracked(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str,
                 font: ImageFont.FreeTypeFont, fill: tuple, tracking: float) -> None:
    """Draw ``text`` with extra letter spacing (``tracking`` in pixels), top-left at ``xy``."""
    x, y = xy
    for ch in text:
        draw.text((x, y), ch, font=font, fill=fill, anchor="la")
        x += font.getlength(ch) + tracking


def tracked_length(text: str, font: ImageFont.FreeTypeFont, tracking: float) -> float:
    return sum(font.getlength(ch) for ch in text) + tracking * max(0, len(text) - 1)


# ------------------------------------------------------------------ layers


@dataclass(frozen=True)
class Layer:
    """An RGBA image and where its top-left corner goes on the frame."""

    image: Image.Image
    x: int
    y: int

    @functools.cached_property
    def yuv(self) -> YuvLayer:
        """The layer as YUV planes and masks (converted once, on first use)."""
        return YuvLayer(self.image, self.x, self.y)

    @functools.cached_property
    def _rgb_and_mask(self) -> tuple[Image.Image, Image.Image]:
        return self.image.convert("RGB"), self.image.getchannel("A")

    def paste_on(self, frame: Planes | Image.Image, opacity: float = 1.0) -> None:
        """Composite onto ``frame`` in place (only this layer's region is touched).

        ``frame`` is the renderer's YUV planes, or an RGB picture (thumbnails, stills).
        """
        if isinstance(frame, Planes):
            self.yuv.paste_on(frame, opacity)
            return
        if opacity <= 0.0:
            return
        rgb, mask = self._rgb_and_mask
        if opacity < 1.0:
            level = int(round(min(1.0, opacity) * 255))
            mask = mask.point([(v * level + 127) // 255 for v in range(256)])
        frame.paste(rgb, (self.x, self.y), mask)


def crop_layer(img: Image.Image, x: int = 0, y: int = 0) -> Layer | None:
    """Trim a full RGBA canvas to its visible pixels."""
    bbox = img.getchannel("A").getbbox()
    if bbox is None:
        return None
    return Layer(img.crop(bbox), x + bbox[0], y + bbox[1])


def shadowed(canvas: Image.Image, radius: float, strength: float = 0.65) -> Image.Image:
    """``canvas`` (RGBA) with a soft dark shadow under its ink, for text on pictures."""
    alpha = canvas.getchannel("A")
    shadow_alpha = alpha.filter(ImageFilter.GaussianBlur(max(1.0, radius)))
    shadow_alpha = shadow_alpha.point(lambda v: int(min(255, v * strength * 1.6)))
    out = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    out.putalpha(shadow_alpha)
    return Image.alpha_composite(out, canvas)


# ------------------------------------------------------------------ captions


@dataclass(frozen=True)
class SafeArea:
    """Where platform buttons and captions of the app itself do not cover the video."""

    top: int
    bottom: int
    left: int
    right: int

    @classmethod
    def for_frame(cls, width: int, height: int) -> "SafeArea":
        if height > width:  # vertical: ~12 % top and ~20 % bottom are covered by the app UI
            return cls(int(height * 0.12), int(height * 0.80), int(width * 0.07), int(width * 0.93))
        return cls(int(height * 0.07), int(height * 0.90), int(width * 0.06), int(width * 0.94))


def _norm_word(text: str) -> str:
    return re.sub(r"[^\w]", "", text.lower())


def word_token_map(tokens: Sequence[str], cue: Cue) -> list[int]:
    """For each timed word of ``cue``, the index of its token in the displayed text."""
    out: list[int] = []
    j = 0
    n = len(tokens)
    for k, word in enumerate(cue.words):
        target = _norm_word(word.text)
        found = -1
        for look in range(j, min(n, j + 3)):
            if _norm_word(tokens[look]) == target or (target and target in _norm_word(tokens[look])):
                found = look
                break
        if found < 0:
            found = min(n - 1, int(round(k * n / max(1, len(cue.words)))))
            found = max(found, j if j < n else n - 1)
        out.append(found)
        j = min(n, found + 1)
    return out


class CaptionPainter:
    """Draws subtitle cues in one style; overlays are made once per cue (and word)."""

    def __init__(self, size: tuple[int, int], style: str = "lower_third", lines: str = "both") -> None:
        self.width, self.height = size
        self.style = style if style in CAPTION_STYLES else "lower_third"
        self.lines = lines
        """Cues with a ``translation`` (bilingual projects): ``both`` draws the narration's own
        language small above the subtitle-language line; ``translation`` draws the latter only."""
        self.safe = SafeArea.for_frame(*size)
        self._cache: dict[tuple, Layer | None] = {}

    # Geometry is proportional to the short side so preview and export agree.
    @property
    def _unit(self) -> float:
        return min(self.width, self.height)

    def layer(self, cue_index: int, cue: Cue, t: float) -> Layer | None:
        """The overlay for ``cue`` at timeline time ``t`` (None if nothing to draw)."""
        if not normalise(cue.text):
            return None
        active = -1
        if self.style in ("highlight", "karaoke") and cue.words:
            for k, word in enumerate(cue.words):
                if word.start <= t + 1e-6:
                    active = k
        key = (cue_index, cue.text, cue.translation, active)
        if key not in self._cache:
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = (self._draw_two(cue) if cue.translation.strip()
                                else self._draw(cue, active))
        return self._cache[key]

    def _draw_two(self, cue: Cue) -> Layer | None:
        """A bilingual cue: the subtitle-language line in the style's own look, and (unless the
        creator chose it alone) the narration's words small above it. Word highlights follow
        the narration's timing, which does not map onto a translation, so neither line lights up."""
        main = self._draw(cue.model_copy(update={"text": cue.translation, "words": []}), -1)
        if main is None or self.lines == "translation":
            return main
        unit = self._unit
        size = round(unit * 0.034)
        pad_x, pad_y = round(size * 0.6), round(size * 0.3)
        max_text = (self.safe.right - self.safe.left) - 2 * pad_x
        font, lines = fit_text(cue.text, "regular", max_text, size, min_size=round(size * 0.8), max_lines=2)
        if not lines:
            return main
        lh = line_height(font, 1.12)
        ascent, descent = font.getmetrics()
        widths = [font.getlength(line) for line in lines]
        box_w = int(math.ceil(max(widths))) + 2 * pad_x
        box_h = lh * (len(lines) - 1) + ascent + descent + 2 * pad_y
        gap = round(unit * 0.008)
        width = max(box_w, main.image.width)
        canvas = Image.new("RGBA", (width, box_h + gap + main.image.height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(canvas)
        bx = (width - box_w) // 2
        draw.rounded_rectangle((bx, 0, bx + box_w - 1, box_h - 1), radius=round(size * 0.35), fill=BOX)
        for i, line in enumerate(lines):
            draw.text((bx + (box_w - widths[i]) / 2, pad_y + i * lh), line, font=font,
                      fill=(225, 225, 225), anchor="la")
        canvas.alpha_composite(main.image, ((width - main.image.width) // 2, box_h + gap))
        x = (self.width - width) // 2
        y = max(self.safe.top, main.y - box_h - gap)
        return Layer(canvas, x, y)

    def _draw(self, cue: Cue, active: int) -> Layer | None:
        if self.style == "karaoke":
            return self._draw_karaoke(cue, active)
        return self._draw_box(cue, active if self.style == "highlight" else -1)

    def _draw_box(self, cue: Cue, active: int) -> Layer | None:
        unit = self._unit
        size = round(unit * 0.050)
        pad_x, pad_y = round(size * 0.62), round(size * 0.36)
        max_text = (self.safe.right - self.safe.left) - 2 * pad_x
        font, lines = fit_text(cue.text, "semibold", max_text, size, min_size=round(size * 0.78),
                               max_lines=3)
        if not lines:
            return None
        lh = line_height(font, 1.16)
        ascent, descent = font.getmetrics()
        text_h = lh * (len(lines) - 1) + ascent + descent
        widths = [font.getlength(line) for line in lines]
        box_w = int(math.ceil(max(widths))) + 2 * pad_x
        box_h = text_h + 2 * pad_y
        canvas = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 0))
        draw = ImageDraw.Draw(canvas)
        draw.rounded_rectangle((0, 0, box_w - 1, box_h - 1), radius=round(size * 0.38), fill=BOX)
        spoken = _active_token(lines, cue, active)
        # The spoken word turns gold: high contrast on the dark box.
        _draw_word_lines(draw, lines, widths, font, pad_y, lh, box_w,
                         lambda k: ACCENT if k == spoken else WHITE)
        x = (self.width - box_w) // 2
        y = self.safe.bottom - box_h - round(unit * 0.02)
        return Layer(canvas, x, y)

    def _draw_karaoke(self, cue: Cue, active: int) -> Layer | None:
        unit = self._unit
        size = round(unit * 0.082)
        max_text = (self.safe.right - self.safe.left) * 0.96
        font, lines = fit_text(cue.text, "black", max_text, size, min_size=round(size * 0.7),
                               max_lines=3)
        if not lines:
            return None
        stroke = max(2, round(size * 0.09))
        lh = line_height(font, 1.08)
        ascent, descent = font.getmetrics()
        text_h = lh * (len(lines) - 1) + ascent + descent
        widths = [font.getlength(line) for line in lines]
        margin = stroke * 3
        cw = int(math.ceil(max(widths))) + 2 * margin
        ch = text_h + 2 * margin
        canvas = Image.new("RGBA", (cw, ch), (0, 0, 0, 0))
        draw = ImageDraw.Draw(canvas)
        sung = _active_token(lines, cue, active)
        _draw_word_lines(draw, lines, widths, font, margin, lh, cw,
                         lambda k: ACCENT if k <= sung else WHITE, stroke_width=stroke, stroke_fill=(0, 0, 0))
        canvas = shadowed(canvas, stroke * 1.5, 0.5)
        x = (self.width - cw) // 2
        # Large and centred, a little below the middle so faces stay clear.
        centre = self.safe.top + (self.safe.bottom - self.safe.top) * 0.62
        y = int(centre - ch / 2)
        y = max(self.safe.top, min(y, self.safe.bottom - ch))
        return Layer(canvas, x, y)


def active_cue(cues: Sequence[Cue], t: float) -> int:
    """Index of the cue shown at ``t`` (the later one if two overlap), or -1."""
    found = -1
    for i, cue in enumerate(cues):
        if cue.start <= t < cue.end:
            found = i
    return found


def _active_token(lines: list[str], cue: Cue, active: int) -> int:
    """Index among the laid-out words of the cue's word ``active`` (−1 for none)."""
    if active < 0:
        return -1
    mapping = word_token_map([w for line in lines for w in line.split(" ")], cue)
    return mapping[active] if active < len(mapping) else -1


def _draw_word_lines(draw: ImageDraw.ImageDraw, lines: list[str], widths: list[float],
                     font: ImageFont.FreeTypeFont, top: float, line_h: float, width: int,
                     colour: Callable[[int], tuple[int, ...]], **text_kw: Any) -> None:
    """Draw centred lines word by word, each word coloured by its index.

    Highlight and karaoke share this: only the colour of a word changes as it is spoken,
    so a line never reflows between frames.
    """
    k = 0
    for i, line in enumerate(lines):
        y = top + i * line_h
        x0 = (width - widths[i]) / 2
        words = line.split(" ")
        for j, word in enumerate(words):
            prefix = " ".join(words[:j]) + (" " if j else "")
            draw.text((x0 + font.getlength(prefix), y), word, font=font, fill=colour(k), anchor="la", **text_kw)
            k += 1
