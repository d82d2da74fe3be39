"""Frames as YUV 4:2:0 planes (BT.709, limited "tv" range): what the encoder eats.

Owns the pixel format the renderer works in. Every picture is converted once to
three 8-bit planes (Y full size, Cb and Cr half size); per frame the renderer only
resamples, blends and pastes planes, which moves 1.5 bytes a pixel instead of the 4
PIL uses for RGB, and ffmpeg receives ``yuv420p`` it can encode without converting.
``to_rgb`` turns a frame back into RGB for the preview (the same numbers a player
decodes), so preview and export are the same frame.

All affine operations (alpha compositing, crossfades, dips to black) give the same
result in Y'CbCr as in R'G'B' because the conversion is itself affine.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from PIL import Image

KR, KB = 0.2126, 0.0722
KG = 1.0 - KR - KB
BLACK = (16, 128, 128)


def _even_pad(arr: np.ndarray) -> np.ndarray:
    """Replicate the last row/column so both sides are even (4:2:0 needs pairs)."""
    h, w = arr.shape[:2]
    if h % 2:
        arr = np.concatenate([arr, arr[-1:]], axis=0)
    if w % 2:
        arr = np.concatenate([arr, arr[:, -1:]], axis=1)
    return arr


def _to_ycc(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Full-resolution float Y', Cb, Cr (limited range) from uint8 RGB."""
    f = rgb.astype(np.float32)
    luma = KR * f[..., 0] + KG * f[..., 1] + KB * f[..., 2]
    y = 16.0 + luma * (219.0 / 255.0)
    cb = 128.0 + (f[..., 2] - luma) * (224.0 / 255.0 / (2.0 * (1.0 - KB)))
    cr = 128.0 + (f[..., 0] - luma) * (224.0 / 255.0 / (2.0 * (1.0 - KR)))
    return y, cb, cr


def _half(plane: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """2x2 average (alpha-weighted when ``weight`` is given): centre-sited chroma."""
    if weight is None:
        return (plane[0::2, 0::2] + plane[1::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 1::2]) * 0.25
    pw = plane * weight
    num = pw[0::2, 0::2] + pw[1::2, 0::2] + pw[0::2, 1::2] + pw[1::2, 1::2]
    den = weight[0::2, 0::2] + weight[1::2, 0::2] + weight[0::2, 1::2] + weight[1::2, 1::2]
    return np.where(den > 1e-6, num / np.maximum(den, 1e-6), 128.0)


def _half_u8(plane: np.ndarray) -> np.ndarray:
    """``_half`` of an 8-bit plane, rounded, in integers."""
    a = plane.astype(np.uint16)
    return ((a[0::2, 0::2] + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2] + 2) >> 2).astype(np.uint8)


def _u8(a: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8))


@dataclass
class Planes:
    """One frame (or a working picture) as Y, Cb, Cr planes in 8-bit PIL "L" images."""

    y: Image.Image
    u: Image.Image
    v: Image.Image

    @property
    def size(self) -> tuple[int, int]:
        return self.y.size

    @classmethod
    def from_rgb(cls, img: Image.Image) -> "Planes":
        """Convert an RGB picture (odd sizes are padded by one pixel).

        libswscale does the BT.709 matrix to full-size 4:4:4 planes (in C, 5x faster than
        numpy floats at 1080x1920); chroma is then the same centre-sited 2x2 average
        ``_half`` takes, in integers. Within one level of ``_to_ycc`` + ``_half``.
        """
        import av

        arr = _even_pad(np.asarray(img if img.mode == "RGB" else img.convert("RGB")))
        h, w = arr.shape[:2]
        ycc = av.VideoFrame.from_ndarray(np.ascontiguousarray(arr), format="rgb24").reformat(
            format="yuv444p", dst_colorspace="ITU709", dst_color_range="MPEG")
        y, cb, cr = (np.frombuffer(pl, np.uint8).reshape(-1, pl.line_size)[:h, :w] for pl in ycc.planes)
        return cls(Image.fromarray(y), Image.fromarray(_half_u8(cb)), Image.fromarray(_half_u8(cr)))

    @classmethod
    def solid(cls, size: tuple[int, int], ycc: tuple[int, int, int] = BLACK) -> "Planes":
        w, h = size
        return cls(Image.new("L", (w, h), ycc[0]), Image.new("L", (w // 2, h // 2), ycc[1]),
                   Image.new("L", (w // 2, h // 2), ycc[2]))

    def copy(self) -> "Planes":
        return Planes(self.y.copy(), self.u.copy(), self.v.copy())

    def tobytes(self) -> bytes:
        """Raw ``yuv420p`` (planar Y, then Cb, then Cr) for ffmpeg's stdin."""
        return b"".join(self.chunks())

    def chunks(self) -> tuple[bytes, bytes, bytes]:
        """``tobytes`` as its three planes, to write one after another (no 3 MB join per frame)."""
        return self.y.tobytes(), self.u.tobytes(), self.v.tobytes()

    def to_rgb(self) -> Image.Image:
        """RGB as a player shows it (BT.709 limited range, bilinear chroma)."""
        w, h = self.size
        y = (np.asarray(self.y, dtype=np.float32) - 16.0) * (255.0 / 219.0)
        scale = 255.0 / 224.0
        cb = (np.asarray(self.u.resize((w, h), Image.BILINEAR), dtype=np.float32) - 128.0) * scale
        cr = (np.asarray(self.v.resize((w, h), Image.BILINEAR), dtype=np.float32) - 128.0) * scale
        r = y + 2.0 * (1.0 - KR) * cr
        b = y + 2.0 * (1.0 - KB) * cb
        g = (y - KR * r - KB * b) / KG
        rgb = np.stack([r, g, b], axis=-1)
        return Image.fromarray(np.clip(rgb + 0.5, 0, 255).astype(np.uint8))

    def resized(self, size: tuple[int, int], box: tuple[float, float, float, float]) -> "Planes":
        """The float ``box`` (in Y pixels) resampled to ``size`` (bilinear, sub-pixel)."""
        w, h = size
        half = (box[0] / 2, box[1] / 2, box[2] / 2, box[3] / 2)
        return Planes(self.y.resize((w, h), Image.BILINEAR, box=box),
                      self.u.resize((w // 2, h // 2), Image.BILINEAR, box=half),
                      self.v.resize((w // 2, h // 2), Image.BILINEAR, box=half))


def blend(a: Planes, b: Planes, p: float) -> Planes:
    """``a`` faded into ``b`` by ``p`` (0..1)."""
    return Planes(Image.blend(a.y, b.y, p), Image.blend(a.u, b.u, p), Image.blend(a.v, b.v, p))


@functools.lru_cache(maxsize=512)
def _toward(level_key: int, target: int) -> tuple[int, ...]:
    k = level_key / 255.0
    return tuple(int(round(target + (v - target) * k)) for v in range(256))


def dim(a: Planes, level: float) -> Planes:
    """Fade toward black (``level`` 1 = unchanged, 0 = black)."""
    if level >= 1.0:
        return a
    key = int(round(min(1.0, max(0.0, level)) * 255))
    return Planes(a.y.point(_toward(key, BLACK[0])), a.u.point(_toward(key, BLACK[1])),
                  a.v.point(_toward(key, BLACK[2])))


def push(a: Planes, b: Planes, e: float) -> Planes:
    """``b`` slides in from the right, pushing ``a`` out; ``e`` is the eased progress."""
    w, h = a.size
    dx = min(w, max(0, int(round(w * e / 2)) * 2))  # even, so chroma moves by whole pixels
    out = []
    for pa, pb, (pw, ph), d in ((a.y, b.y, (w, h), dx), (a.u, b.u, (w // 2, h // 2), dx // 2),
                                (a.v, b.v, (w // 2, h // 2), dx // 2)):
        canvas = Image.new("L", (pw, ph))
        if d < pw:
            canvas.paste(pa.crop((d, 0, pw, ph)), (0, 0))
        if d > 0:
            canvas.paste(pb.crop((0, 0, d, ph)), (pw - d, 0))
        out.append(canvas)
    return Planes(*out)


class YuvLayer:
    """An RGBA overlay converted once to planes + masks, placed on even coordinates."""

    def __init__(self, image: Image.Image, x: int, y: int) -> None:
        rgba = np.asarray(image.convert("RGBA"))
        # Align to even coordinates so the half-size chroma lands on whole pixels.
        # The padding is transparent (zeros), so it changes nothing on screen.
        pad_l, pad_t = x % 2, y % 2
        h, w = rgba.shape[:2]
        rgba = np.pad(rgba, ((pad_t, (h + pad_t) % 2), (pad_l, (w + pad_l) % 2), (0, 0)))
        self.x, self.y = x - pad_l, y - pad_t
        alpha = rgba[..., 3].astype(np.float32) / 255.0
        yy, cb, cr = _to_ycc(rgba[..., :3])
        self.ly = _u8(yy)
        self.lu = _u8(_half(cb, alpha))
        self.lv = _u8(_half(cr, alpha))
        self.mask = Image.fromarray(rgba[..., 3].copy())
        self.mask_half = _u8(_half(alpha * 255.0))

    def paste_on(self, frame: Planes, opacity: float = 1.0) -> None:
        """Composite onto ``frame`` in place; only the layer's region is touched."""
        if opacity <= 0.0:
            return
        m, mh = self.mask, self.mask_half
        if opacity < 1.0:
            key = int(round(min(1.0, opacity) * 255))
            table = _toward(key, 0)
            m, mh = m.point(table), mh.point(table)
        frame.y.paste(self.ly, (self.x, self.y), m)
        frame.u.paste(self.lu, (self.x // 2, self.y // 2), mh)
        frame.v.paste(self.lv, (self.x // 2, self.y // 2), mh)
