"""Video clips read with PyAV: the facts of a file (``probe_clip``) and its frames
streamed at any source time (``ClipReader``).

A clip is never held whole in memory: ``ClipReader`` keeps the container open,
decodes forward from the last position and seeks (by timestamp, to the keyframe
before, then decodes up to the wanted time) only when asked for a time behind it or
far ahead. Frames are picked by their presentation time, so a variable-frame-rate
clip lands on the right frames. Rotation metadata is honoured (frames come out
upright) and large frames (4K) are scaled down by the decoder's scaler before they
reach PIL. 10-bit clips (HDR phone video) are refused with a sentence: they would
come out with wrong colours without tone mapping.
"""

from __future__ import annotations

import collections
import threading
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from studio.core.errors import MediaError

SEEK_AHEAD = 2.0
"""Seconds ahead of the decoder past which a request seeks instead of decoding through."""
KEEP_FRAMES = 4
"""Recently decoded frames kept, so two render threads asking out of order do not seek."""
MAX_SIDE = 8192
BUSY = "busy"
"""Marks a kept frame another thread is converting."""


@dataclass(frozen=True)
class ClipFacts:
    """What a clip file holds, read by decoding its first frame and its header."""

    duration: float
    width: int
    """Upright width (rotation applied)."""
    height: int
    rotation: int
    """Degrees counter-clockwise the display matrix turns the stored picture."""
    fps: float
    has_audio: bool
    codec: str


def _refuse(src: Path, en: str, id_: str, exc: BaseException | None = None) -> MediaError:
    return MediaError(f"{src.name} cannot be used as a clip: {en}.",
                      f"{src.name} tidak bisa dipakai sebagai klip: {id_}.",
                      details=repr(exc) if exc else "")


def _ten_bit(fmt: str) -> bool:
    return any(tag in fmt for tag in ("10le", "10be", "12le", "12be", "p010", "p016"))


def probe_clip(src: Path) -> ClipFacts:
    """Read a clip's facts; MediaError with a sentence for anything it cannot be used as.

    Refused: no video stream (an audio-only file, a picture), a stream PyAV cannot
    decode, a 10-bit/HDR clip, no decodable frame. The last decoded timestamp is found
    by the container's duration (a corrupt tail is handled by ``ClipReader``, which uses
    what decodes).
    """
    import av

    src = Path(src)
    try:
        with av.open(str(src)) as container:
            if not container.streams.video:
                what = ("it holds only sound, no picture" if container.streams.audio
                        else "it holds no video stream")
                what_id = ("isinya hanya suara, tanpa gambar" if container.streams.audio
                           else "tidak berisi aliran video")
                raise _refuse(src, what, what_id)
            stream = container.streams.video[0]
            if stream.codec_context.format is not None and _ten_bit(stream.codec_context.format.name):
                raise _refuse(src, f"it is a 10-bit (HDR) clip ({stream.codec_context.format.name}) whose "
                              "colours Studio Lokal cannot show correctly; record in SDR (turn HDR off in "
                              "the phone camera) or export it as 8-bit H.264",
                              f"klip 10-bit (HDR) ({stream.codec_context.format.name}) yang warnanya tidak "
                              "bisa ditampilkan benar; rekam dalam SDR (matikan HDR di kamera ponsel) atau "
                              "ekspor sebagai H.264 8-bit")
            first = next(iter(container.decode(stream)), None)
            if first is None:
                raise _refuse(src, "no frame of it can be decoded", "tidak ada bingkai yang bisa dibaca")
            if _ten_bit(first.format.name):
                raise _refuse(src, f"it is a 10-bit (HDR) clip ({first.format.name}); record in SDR or "
                              "export it as 8-bit H.264",
                              f"klip 10-bit (HDR) ({first.format.name}); rekam dalam SDR atau ekspor "
                              "sebagai H.264 8-bit")
            rotation = int(round(getattr(first, "rotation", 0) or 0)) % 360
            w, h = first.width, first.height
            if rotation in (90, 270):
                w, h = h, w
            if container.duration:
                duration = container.duration / 1_000_000
            elif stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            else:
                duration = 0.0
            rate = stream.average_rate or stream.guessed_rate
            return ClipFacts(duration=max(0.0, duration), width=w, height=h, rotation=rotation,
                             fps=float(rate) if rate else 0.0, has_audio=bool(container.streams.audio),
                             codec=stream.codec_context.name)
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError, StopIteration) as exc:
        raise _refuse(src, "it is not a video file Studio Lokal can read, or it is damaged; export it "
                      "again as MP4 (H.264)", "bukan berkas video yang bisa dibaca Studio Lokal, atau "
                      "rusak; ekspor ulang sebagai MP4 (H.264)", exc) from exc


UNTAGGED = (2, 3)
"""AVColorSpace values that name no matrix (unspecified, reserved)."""


def clip_matrix(frame: object) -> int:
    """The Y'CbCr matrix (AVColorSpace) a clip's frame is in: its tag, or a player's guess.

    Phones tag their clips (BT.709). An untagged clip is taken as players take it:
    BT.709 when it is HD (at least 1280 wide or more than 576 high), BT.601 below.
    """
    tag = int(frame.colorspace)
    if tag not in UNTAGGED:
        return tag
    return 1 if frame.width >= 1280 or frame.height > 576 else 5


class ClipReader:
    """Upright frames of one clip at any source time, decoded as a stream.

    Args:
        path: The clip file.
        fit_within: Frames are scaled (keeping the aspect) to fit inside this size
            before they become PIL images; 4K becomes about the render size at once.
        cover: Scale to cover ``fit_within`` instead (for a crop), never up.
        crop: A focus point (0..1 each way): frames come out exactly ``fit_within``,
            cropped around it as ``ImageOps.fit`` would. The crop is cut from the
            decoded YUV planes first and only that part is scaled, straight at the
            output size (a 4K frame is never converted whole).

    ``frame(at)`` gives RGB pictures; ``planes(at)`` (crop only) gives the render's own
    pixel format, BT.709 tv-range 4:2:0 planes, scaled and converted from the decoded
    planes by libswscale in one step with no RGB in between. Only frames asked for are
    converted (a 60 fps clip in a 30 fps render converts every other frame).

    Thread-safe (one lock); ``problems`` collects what went wrong (a corrupt tail: the
    last frame that decoded is shown from there on).
    """

    def __init__(self, path: Path, fit_within: tuple[int, int], *, cover: bool = False,
                 crop: tuple[float, float] | None = None) -> None:
        self.path = Path(path)
        self.fit_within = fit_within
        self.cover = cover
        self.crop = crop
        self._lock = threading.Lock()
        self._local = threading.local()
        self._container = None
        self._stream = None
        self._frames = None
        # [time, decoded frame, what it became once converted]: frames skipped over are
        # never converted, and a converted frame drops its decoded planes.
        self._recent: collections.deque[list] = collections.deque(maxlen=KEEP_FRAMES)
        self._pending: list | None = None
        self._ended = False
        self.problems: list[str] = []
        self.frames_decoded = 0

    def _open(self, at: float) -> None:
        import av

        first = self._container is None
        if first:
            self._container = av.open(str(self.path))
            self._stream = self._container.streams.video[0]
            self._stream.thread_type = "AUTO"
        if at > 0.05 or not first:  # a reopen near the start seeks too (the demuxer is past it)
            tb = self._stream.time_base
            self._container.seek(int(at / tb), stream=self._stream, backward=True, any_frame=False)
        self._frames = self._container.decode(self._stream)
        self._recent.clear()
        self._pending = None
        self._ended = False

    def _convert(self, frame: object) -> Image.Image:
        if self.crop is not None and frame.format.name in ("yuv420p", "yuvj420p"):
            return self._cropped(frame, "rgb24").to_image()
        img = self._whole(frame)
        if self.crop is not None:
            img = ImageOps.fit(img.convert("RGB"), self.fit_within, method=Image.BILINEAR, centering=self.crop)
        return img

    def _cropped(self, frame: object, fmt: str) -> object:
        """The ``crop`` window of a 4:2:0 frame, upright, at exactly ``fit_within`` (an av frame).

        ``fmt`` "rgb24" or "yuv420p" (then BT.709 tv range whatever the clip's colours are).
        """
        import av
        import numpy as np

        rotation = int(round(getattr(frame, "rotation", 0) or 0)) % 360
        k = rotation // 90 % 4
        colours = clip_matrix(frame), frame.color_range
        if frame.format.name not in ("yuv420p", "yuvj420p"):  # a stray frame of another layout
            frame = frame.reformat(format="yuv420p")
        planes = []
        for i, plane in enumerate(frame.planes):
            sub = 1 if i == 0 else 2
            arr = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
            planes.append(np.rot90(arr[:frame.height // sub, :frame.width // sub], k))
        uh, uw = planes[1].shape[0] * 2, planes[1].shape[1] * 2  # even upright size
        tw, th = self.fit_within
        scale = max(tw / uw, th / uh)
        cw = min(uw, max(2, int(round(tw / scale / 2)) * 2))
        ch = min(uh, max(2, int(round(th / scale / 2)) * 2))
        fx, fy = (min(1.0, max(0.0, c)) for c in self.crop)
        x0, y0 = int(round((uw - cw) * fx / 2)) * 2, int(round((uh - ch) * fy / 2)) * 2
        y = planes[0][y0:y0 + ch, x0:x0 + cw]
        u = planes[1][y0 // 2:(y0 + ch) // 2, x0 // 2:(x0 + cw) // 2]
        v = planes[2][y0 // 2:(y0 + ch) // 2, x0 // 2:(x0 + cw) // 2]
        buf = np.concatenate([y.ravel(), u.ravel(), v.ravel()]).reshape(-1, cw)
        part = av.VideoFrame.from_ndarray(buf, format="yuv420p")
        part.colorspace, part.color_range = colours
        if frame.format.name == "yuvj420p":
            part.color_range = 2
        scaler = self._scaler()
        if fmt == "rgb24":
            return scaler.reformat(part, width=tw, height=th, format="rgb24", interpolation="AREA",
                                   src_color_range=part.color_range or None, threads=1)
        # The clip's matrix to BT.709 (none to do for a phone's clip), full range to tv
        # range, in the same pass as the scaling.
        return scaler.reformat(part, width=tw, height=th, format="yuv420p", interpolation="AREA",
                               dst_colorspace="ITU709", src_color_range=part.color_range or None,
                               dst_color_range="MPEG", threads=1)

    def _scaler(self) -> object:
        """This thread's libswscale context, kept across frames (set up once, not per frame).

        One thread each: the render already converts on both cores, so libswscale's own
        thread pool (made anew for every fresh context) only costs time.
        """
        scaler = getattr(self._local, "scaler", None)
        if scaler is None:
            from av.video.reformatter import VideoReformatter

            scaler = self._local.scaler = VideoReformatter()
        return scaler

    def _whole(self, frame: object) -> Image.Image:
        rotation = int(round(getattr(frame, "rotation", 0) or 0)) % 360
        w, h = frame.width, frame.height
        tw, th = self.fit_within
        if rotation in (90, 270):
            tw, th = th, tw
        scale = min(1.0, max(tw / w, th / h) if self.cover else min(tw / w, th / h))
        scale_w, scale_h = (w, h) if scale >= 1.0 else (max(2, int(w * scale)), max(2, int(h * scale)))
        img = frame.reformat(width=scale_w, height=scale_h, format="rgb24", interpolation="AREA",
                             src_colorspace=clip_matrix(frame) if frame.format.name != "rgb24" else None,
                             src_color_range=(frame.color_range or None)).to_image()
        if rotation:
            img = img.rotate(rotation, expand=True)
        return img

    def _next(self) -> list | None:
        import av

        if self._ended:
            return None
        try:
            frame = next(self._frames)
        except StopIteration:
            self._ended = True
            return None
        except (av.error.FFmpegError, ValueError) as exc:
            self._ended = True
            msg = f"{self.path.name}: decoding stopped at a damaged part ({exc.__class__.__name__}); " \
                  "the last good frame is held from there"
            if msg not in self.problems:
                self.problems.append(msg)
            return None
        self.frames_decoded += 1
        t = float(frame.pts * frame.time_base) if frame.pts is not None else 0.0
        return [t, frame, None]

    def _showing(self, at: float) -> list:
        """The entry of the frame showing at ``at`` (call with the lock held)."""
        stale = self._frames is None or bool(self._recent) and (
            at < self._recent[0][0] or at > self._recent[-1][0] + SEEK_AHEAD)
        if stale:
            self._open(at)
        # Decode forward until the next frame starts after ``at``: the last frame kept
        # at or before ``at`` is then the one showing.
        while True:
            if self._pending is None:
                self._pending = self._next()
                if self._pending is None:
                    break
            if self._pending[0] > at and self._recent:
                break
            self._recent.append(self._pending)
            self._pending = None
        if not self._recent:
            raise MediaError(f"{self.path.name}: no frame decodes at {at:.2f} s.",
                             f"{self.path.name}: tidak ada bingkai yang terbaca pada {at:.2f} dtk.")
        for entry in reversed(self._recent):
            if entry[0] <= at:
                return entry
        return self._recent[0]

    def _converted(self, at: float, kind: str) -> object:
        """What the frame showing at ``at`` becomes as ``kind`` ("rgb" or "planes"), made once.

        Decoding holds the lock; converting does not (the entry is marked busy meanwhile),
        so one render thread converts a frame while the other decodes the next.
        """
        at = max(0.0, at)
        while True:
            with self._lock:
                entry = self._showing(at)
                done = entry[2]
                if done is not None and done[0] not in (kind, BUSY):
                    # Converted the other way and its planes dropped: decode it again (rare: a
                    # reader is asked one way in practice).
                    self._frames = None
                    entry = self._showing(at)
                    done = entry[2]
                if done is not None and done[0] == kind:
                    return done[1]
                if done is None:
                    frame, event = entry[1], threading.Event()
                    entry[2] = (BUSY, event)
                else:
                    frame, event = None, done[1]
            if frame is None:  # another thread is converting it: wait, then look again
                event.wait()
                if entry[2] is not None and entry[2][0] == kind:
                    return entry[2][1]
                continue
            try:
                value = self._convert(frame) if kind == "rgb" else self._cropped(frame, "yuv420p")
            except BaseException:
                with self._lock:
                    entry[2] = None
                event.set()
                raise
            with self._lock:
                entry[1], entry[2] = None, (kind, value)  # the decoded planes are no longer needed
            event.set()
            return value

    def frame(self, at: float) -> Image.Image:
        """The frame showing at source time ``at`` seconds (the last one at or before it), RGB."""
        return self._converted(at, "rgb")

    def can_give_planes(self) -> bool:
        """Whether ``planes`` works for this clip: a crop of 4:2:0 video (phones record that)."""
        if self.crop is None:
            return False
        with self._lock:
            if self._container is None:
                self._open(0.0)
            fmt = self._stream.codec_context.format
        return fmt is not None and fmt.name in ("yuv420p", "yuvj420p")

    def planes(self, at: float) -> tuple[Image.Image, Image.Image, Image.Image]:
        """The frame showing at ``at`` as BT.709 tv-range Y, Cb, Cr "L" pictures (4:2:0).

        Exactly ``fit_within``, cropped around the focus point; only when
        ``can_give_planes``. Each call gives new read-only pictures over the one
        conversion: drawing on one (a caption pasted) copies it first, so the frame kept
        here stays as decoded.
        """
        out = self._converted(at, "planes")
        w, h = out.width, out.height
        return tuple(Image.frombuffer("L", (pw, ph), plane, "raw", "L", plane.line_size, 1)
                     for plane, (pw, ph) in zip(out.planes, ((w, h), (w // 2, h // 2), (w // 2, h // 2))))

    def close(self) -> None:
        with self._lock:
            if self._container is not None:
                self._container.close()
            self._container = None
            self._frames = None
            self._recent.clear()
            self._pending = None


__all__ = ["ClipFacts", "ClipReader", "clip_matrix", "probe_clip"]
