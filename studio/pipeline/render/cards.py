"""The title card, the end card, scene headlines and placeholders, and their backdrops.

Owns the layout of the static text layers the renderer draws once per project:
the title card (region kicker, gold bar, title, who made it), the end card (the
AI disclosure on a panel, "Dibuat oleh ..."), a scene's on-screen text as a chip,
and big centred text for a scene with no picture yet. All inside the platform
safe area, sized as fractions of the frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from studio.pipeline.render.text import (
    ACCENT,
    INK,
    WHITE,
    Layer,
    SafeArea,
    crop_layer,
    draw_tracked,
    fit_text,
    line_height,
    load_font,
    normalise,
    shadowed,
    tracked_length,
    wrap_text,
)


def gradient_backdrop(size: tuple[int, int], hue_seed: int = 0) -> Image.Image:
    """A calm dark gradient with a soft glow: the backdrop when there is no picture."""
    w, h = size
    palettes = [((16, 24, 38), (38, 64, 82)), ((30, 20, 28), (86, 50, 48)),
                ((14, 30, 28), (40, 80, 68)), ((24, 22, 40), (66, 56, 96)),
                ((34, 26, 16), (96, 70, 36))]
    top, bottom = palettes[hue_seed % len(palettes)]
    ys = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    xs = np.linspace(-1.0, 1.0, w, dtype=np.float32)[None, :]
    grad = ys[..., None] * np.array(bottom, np.float32) + (1 - ys[..., None]) * np.array(top, np.float32)
    # A soft light from the upper third: depth without distraction.
    dy = (ys - 0.35) * (h / max(w, 1))
    glow = np.exp(-(xs ** 2 + dy ** 2) * 1.6)[..., None] * 26.0
    arr = np.clip(grad + glow, 0, 255).astype(np.uint8)
    return Image.fromarray(arr)


def darken_for_text(img: Image.Image, strength: float = 0.55) -> Image.Image:
    """Darken the picture more at the top and bottom, where the card text sits."""
    w, h = img.size
    ys = np.linspace(0.0, 1.0, h, dtype=np.float32)
    curve = 1.0 - strength * (0.55 + 0.45 * np.abs(ys - 0.5) * 2)
    arr = np.asarray(img, dtype=np.float32) * curve[:, None, None]
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def _text_block(draw: ImageDraw.ImageDraw, lines: Sequence[str], font: ImageFont.FreeTypeFont,
                centre_x: float, top: float, fill: tuple, spacing: float = 1.12) -> float:
    """Draw centred lines from ``top``; returns the y below the block."""
    lh = line_height(font, spacing)
    ascent, descent = font.getmetrics()
    for i, line in enumerate(lines):
        draw.text((centre_x, top + i * lh), line, font=font, fill=fill, anchor="ma")
    return top + lh * (len(lines) - 1) + ascent + descent if lines else top


def _block_height(lines: Sequence[str], font: ImageFont.FreeTypeFont, spacing: float = 1.12) -> float:
    if not lines:
        return 0.0
    ascent, descent = font.getmetrics()
    return line_height(font, spacing) * (len(lines) - 1) + ascent + descent


def title_layer(size: tuple[int, int], title: str, region: str, creator: str, agency: str,
                accent: tuple[int, int, int] = ACCENT) -> Layer | None:
    """The title card's text: region kicker, a gold bar, the title, then who made it.

    Who made it sits low on the card; the title group is centred a little above the
    middle and shrinks (never below a readable size) rather than run into it.
    """
    w, h = size
    unit = min(w, h)
    safe = SafeArea.for_frame(w, h)
    width = (safe.right - safe.left) * 0.94
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    cx = w / 2
    # Who made it: low on the card, above the platform's bottom overlay.
    who_lines: list[tuple[str, ImageFont.FreeTypeFont, tuple]] = []
    if normalise(creator):
        c_font, c_lines = fit_text("Oleh " + normalise(creator), "semibold", width,
                                   round(unit * 0.044), min_size=round(unit * 0.03), max_lines=2)
        who_lines += [(line, c_font, WHITE + (255,)) for line in c_lines]
    if normalise(agency):
        a_font, a_lines = fit_text(normalise(agency), "regular", width, round(unit * 0.038),
                                   min_size=round(unit * 0.028), max_lines=3)
        who_lines += [(line, a_font, (225, 228, 235, 255)) for line in a_lines]
    heights = [line_height(f, 1.2) for _, f, _ in who_lines]
    who_top = safe.bottom - sum(heights) - unit * 0.02 if who_lines else float(safe.bottom)
    room = who_top - (unit * 0.05 if who_lines else 0.0)
    title = normalise(title) or "Tanpa judul"
    kicker = normalise(region).upper()
    k_font = load_font("semibold", round(unit * 0.036))
    tracking = k_font.size * 0.12
    while kicker and tracked_length(kicker, k_font, tracking) > width and k_font.size > 10:
        k_font = load_font("semibold", int(k_font.size * 0.9))
        tracking = k_font.size * 0.12
    gap = unit * 0.035
    bar_h = max(2, round(unit * 0.007))
    k_h = (k_font.getmetrics()[0] + k_font.getmetrics()[1]) if kicker else 0
    head = k_h + gap + bar_h + gap if kicker else bar_h + gap
    for k in (1.0, 0.9, 0.8, 0.7, 0.62):
        t_font, t_lines = fit_text(title, "bold", width, round(unit * 0.105 * k),
                                   min_size=round(unit * 0.062 * k), max_lines=4)
        total = head + _block_height(t_lines, t_font, 1.04)
        top = max(float(safe.top), safe.top + (safe.bottom - safe.top) * 0.40 - total / 2)
        if top + total <= room:
            break
    y = top
    if kicker:
        kw = tracked_length(kicker, k_font, tracking)
        draw_tracked(draw, (cx - kw / 2, y), kicker, k_font, accent + (255,), tracking)
        y += k_h + gap
    bar_w = unit * 0.12
    draw.rectangle((cx - bar_w / 2, y, cx + bar_w / 2, y + bar_h), fill=accent + (255,))
    y += bar_h + gap
    _text_block(draw, t_lines, t_font, cx, y, WHITE + (255,), 1.04)
    y = who_top
    for (line, font, fill), lh in zip(who_lines, heights):
        draw.text((cx, y), line, font=font, fill=fill, anchor="ma")
        y += lh
    return crop_layer(shadowed(canvas, unit * 0.012))


def end_layer(size: tuple[int, int], title: str, disclosure: str, creator: str, agency: str,
              language: str = "id", accent: tuple[int, int, int] = ACCENT) -> Layer | None:
    """The end card's text: the title, the AI disclosure on a panel, and who made it.

    The three blocks are laid out as one group centred in the safe area; when the group
    is taller than the safe area (a square frame, a long disclosure) every size shrinks
    together until it fits, so nothing overlaps and nothing leaves the safe area.
    """
    w, h = size
    unit = min(w, h)
    safe = SafeArea.for_frame(w, h)
    width = (safe.right - safe.left) * 0.94
    cx = w / 2
    en = language.startswith("en")
    label = "AI DISCLOSURE" if en else "TRANSPARANSI AI"
    names = [p for p in (normalise(creator), normalise(agency)) if p]
    prefix = "Made by " if en else "Dibuat oleh "
    avail = safe.bottom - safe.top
    for k in (1.0, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6):
        pad = unit * 0.05 * k
        d_font, d_lines = fit_text(disclosure, "semibold", width - 2 * pad, round(unit * 0.048 * k),
                                   min_size=round(unit * 0.032 * k), max_lines=7)
        l_font = load_font("semibold", round(unit * 0.032 * k))
        l_h = sum(l_font.getmetrics())
        l_gap = unit * 0.03 * k
        d_h = _block_height(d_lines, d_font, 1.2)
        panel_h = pad + l_h + l_gap + d_h + pad
        t_font, t_lines = fit_text(normalise(title), "bold", width, round(unit * 0.07 * k),
                                   min_size=round(unit * 0.045 * k), max_lines=3)
        t_h = _block_height(t_lines, t_font, 1.05)
        gap_t, gap_c = unit * 0.06 * k, unit * 0.07 * k
        c_lines: list[str] = []
        c_font = load_font("semibold", round(unit * 0.042 * k))
        if names:
            c_font, c_lines = fit_text(prefix + ", ".join(names), "semibold", width, c_font.size,
                                       min_size=c_font.size, max_lines=1)
            if len(c_lines) > 1 and len(names) == 2:
                # Break after the comma, not inside the agency's name.
                c_lines = wrap_text(prefix + names[0] + ",", c_font, width) + wrap_text(names[1], c_font, width)
        c_h = _block_height(c_lines, c_font, 1.15)
        total = (t_h + gap_t if t_lines else 0) + panel_h + (gap_c + c_h if c_lines else 0)
        if total <= avail:
            break
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    top = safe.top + max(0.0, (avail - total) / 2)
    if t_lines:
        _text_block(draw, t_lines, t_font, cx, top, WHITE + (255,), 1.05)
        top += t_h + gap_t
    panel = (cx - width / 2, top, cx + width / 2, top + panel_h)
    draw.rounded_rectangle(panel, radius=round(unit * 0.03), fill=(10, 12, 18, 150),
                           outline=accent + (200,), width=max(1, round(unit * 0.003)))
    tracking = l_font.size * 0.14
    lw = tracked_length(label, l_font, tracking)
    draw_tracked(draw, (cx - lw / 2, top + pad), label, l_font, accent + (255,), tracking)
    _text_block(draw, d_lines, d_font, cx, top + pad + l_h + l_gap, WHITE + (255,), 1.2)
    if c_lines:
        _text_block(draw, c_lines, c_font, cx, top + panel_h + gap_c, WHITE + (255,), 1.15)
    return crop_layer(shadowed(canvas, unit * 0.01, 0.5))


def headline_layer(size: tuple[int, int], text: str, accent: tuple[int, int, int] = ACCENT) -> Layer | None:
    """A scene's on-screen text as a gold chip near the top safe line."""
    text = normalise(text)
    if not text:
        return None
    w, h = size
    unit = min(w, h)
    safe = SafeArea.for_frame(w, h)
    pad_x, pad_y = unit * 0.03, unit * 0.016
    width = (safe.right - safe.left) * 0.9 - 2 * pad_x
    font, lines = fit_text(text, "bold", width, round(unit * 0.046), min_size=round(unit * 0.034),
                           max_lines=2)
    lh = line_height(font, 1.1)
    ascent, descent = font.getmetrics()
    block = lh * (len(lines) - 1) + ascent + descent
    box_w = int(max(font.getlength(line) for line in lines) + 2 * pad_x)
    box_h = int(block + 2 * pad_y)
    canvas = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((0, 0, box_w - 1, box_h - 1), radius=round(unit * 0.018), fill=accent + (245,))
    for i, line in enumerate(lines):
        draw.text((box_w / 2, pad_y + i * lh), line, font=font, fill=INK, anchor="ma")
    return Layer(canvas, (w - box_w) // 2, int(safe.top + unit * 0.02))


def _kicker(draw: ImageDraw.ImageDraw, index: int, w: int, top: float, unit: int,
            accent: tuple[int, int, int]) -> float:
    """Draw the tracked "ADEGAN n" kicker centred at ``top``; returns its height."""
    label = f"ADEGAN {index + 1}"
    l_font = load_font("semibold", round(unit * 0.034))
    tracking = l_font.size * 0.14
    lw = tracked_length(label, l_font, tracking)
    draw_tracked(draw, (w / 2 - lw / 2, top), label, l_font, accent + (255,), tracking)
    return float(sum(l_font.getmetrics()))


def scene_number_layer(size: tuple[int, int], index: int,
                       accent: tuple[int, int, int] = ACCENT) -> Layer | None:
    """The "ADEGAN n" kicker alone, just above the top safe line, clear of the headline chip
    (drafts with ``render.scene_numbers``)."""
    w, h = size
    unit = min(w, h)
    safe = SafeArea.for_frame(w, h)
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    _kicker(ImageDraw.Draw(canvas), index, w, max(unit * 0.02, safe.top - unit * 0.06), unit, accent)
    return crop_layer(shadowed(canvas, unit * 0.01, 0.5))


def placeholder_layer(size: tuple[int, int], text: str, index: int,
                      accent: tuple[int, int, int] = ACCENT, *, numbered: bool = False) -> Layer | None:
    """Big centred text for a scene that has no picture yet (under an "ADEGAN n" kicker when
    ``numbered``)."""
    w, h = size
    unit = min(w, h)
    safe = SafeArea.for_frame(w, h)
    width = (safe.right - safe.left) * 0.9
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(canvas)
    text = normalise(text)
    font, lines = fit_text(text, "bold", width, round(unit * 0.08), min_size=round(unit * 0.05),
                           max_lines=5) if text else (load_font("bold", 10), [])
    block = _block_height(lines, font, 1.08)
    l_h = sum(load_font("semibold", round(unit * 0.034)).getmetrics()) + unit * 0.04 if numbered else 0.0
    top = safe.top + (safe.bottom - safe.top) * 0.45 - (l_h + block) / 2
    if numbered:
        _kicker(draw, index, w, top, unit, accent)
    _text_block(draw, lines, font, w / 2, top + l_h, WHITE + (255,), 1.08)
    return crop_layer(shadowed(canvas, unit * 0.01, 0.5))
