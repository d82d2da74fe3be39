"""The export's processes: frames into the video encoder, the soundtrack beside it, one mux.

Owns how ``render_video`` keeps both cores busy from the first second:

* the video encoder (one ffmpeg, H.264 only) starts at once and is fed YUV 4:2:0
  frames drawn on a small thread pool (PIL releases the GIL while resampling, so
  drawing overlaps with x264 on the other core);
* the soundtrack is mixed and AAC-encoded on a background thread meanwhile
  (``mix.encode_soundtrack``), so the ~3 s of mixing no longer delays the first frame;
* when both are done, a stream-copy mux (no re-encode, ~0.2 s for 90 s) writes the MP4
  with faststart and the metadata.

Why not one ffmpeg with the audio on a second pipe: ffmpeg's scheduler keeps its
inputs within ~0.1 s of each other, so the video stalls until audio arrives (tried:
it blocked after 20 frames).
"""

from __future__ import annotations

import collections
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from studio.core.jobs import JobContext
from studio.core.project import Project
from studio.core.timeline import Timeline
from studio.pipeline.media import ffmpeg
from studio.pipeline.render.soundtrack import MixResult, encode_soundtrack

if TYPE_CHECKING:
    from studio.pipeline.render.yuv import Planes  # numpy and PIL: only for the annotation

log = logging.getLogger(__name__)

LANG_ISO639_2 = {"id": "ind", "jv": "jav", "su": "sun", "ban": "ban", "mad": "mad", "en": "eng",
                 "ms": "msa", "min": "min", "bug": "bug"}


def metadata_args(metadata: Mapping[str, str] | None) -> list[str]:
    """``-metadata key=value`` pairs with keys and values made safe for the command line."""
    args: list[str] = []
    for key, value in (metadata or {}).items():
        key = "".join(ch for ch in str(key) if ch.isalnum() or ch in "_-")
        if not key:
            continue
        value = " ".join(str(value).replace("\x00", "").split("\n")).strip()
        args += ["-metadata", f"{key}={value}"]
    return args


def video_args(size: tuple[int, int], fps: int, frames: int, encoder: ffmpeg.Encoder, *,
               preset: str, crf: int) -> list[str]:
    """ffmpeg arguments: raw BT.709 tv-range yuv420p on stdin -> H.264 only."""
    w, h = size
    # The frames arrive as BT.709 tv-range yuv420p already: no conversion filter at all.
    vf = ",".join(encoder.filters())
    return [
        *encoder.input_args(), "-y",
        "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", f"{w}x{h}", "-framerate", str(fps),
        "-color_range", "tv", "-colorspace", "bt709", "-color_primaries", "bt709",
        "-color_trc", "bt709",
        "-i", "pipe:0",
        "-map", "0:v:0", "-an",
        *(["-vf", vf] if vf else []),
        *encoder.video_args(preset=preset, crf=crf),
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-color_range", "tv",
        "-frames:v", str(frames),
    ]


class FrameSource(Protocol):
    """What the encoder needs from whatever draws the frames (the renderer)."""

    timeline: Timeline
    size: tuple[int, int]

    def frame_planes(self, t: float) -> Planes:
        """The finished frame at ``t`` seconds as YUV 4:2:0 planes."""
        ...

    def prefetch(self, t: float) -> None:
        """Prepare what the frames around ``t`` need; called ahead of time from a worker."""
        ...


def encode_video(renderer: FrameSource, target: Path, encoder: ffmpeg.Encoder, ctx: JobContext, *,
                 preset: str, crf: int, poll: Callable[[], None] | None = None,
                 timings: dict[str, float] | None = None) -> None:
    """Draw every frame and pipe it into one H.264 encode written to ``target`` (MP4, no audio).

    ``poll`` is called between frames (the soundtrack thread raises its error through it).
    """
    tl = renderer.timeline
    total = tl.frame_count
    fps = tl.fps
    args = video_args(renderer.size, fps, total, encoder, preset=preset, crf=crf)
    proc = ffmpeg.FfmpegProcess([*args, "-f", "mp4", str(target)])
    workers = max(1, min(2, os.cpu_count() or 1))
    window = 2 * workers + 2
    started = time.monotonic()

    def draw(i: int) -> tuple[bytes, ...]:
        return renderer.frame_planes(i / fps).chunks()

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
            if poll is not None:
                poll()
            data = pending.popleft().result()
            try:
                for chunk in data:
                    proc.write(chunk)
            except (BrokenPipeError, OSError) as exc:
                code = proc.finish(timeout=30)
                raise ffmpeg.failure(proc.stderr_text or str(exc), target, returncode=code) from exc
            if i == 0 and timings is not None:
                timings["first_frame"] = time.monotonic() - started
            if i % 5 == 4 or i + 1 == total:
                ctx.progress(i + 1, total, f"Merender video: bingkai {i + 1} dari {total}")
        code = proc.finish()
        if code != 0:
            raise ffmpeg.failure(proc.stderr_text, target, returncode=code)
    except BaseException:
        proc.kill()
        for fut in pending:
            fut.cancel()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class Soundtrack:
    """Mixes and encodes the soundtrack on a background thread, started at once.

    Its own cancel flag stops it when the render fails or is cancelled; ``poll`` raises
    its error early (a missing voice file stops the render within a second or two).
    """

    def __init__(self, project: Project, root: Path, timeline: Timeline, target: Path, *,
                 bitrate: str) -> None:
        self.ctx = JobContext("render-audio")
        self.target = target
        self.seconds = 0.0
        self._future: Future[MixResult] = Future()
        self._thread = threading.Thread(target=self._run, name="soundtrack", daemon=True,
                                        args=(project, root, timeline, bitrate))
        self._thread.start()

    def _run(self, project: Project, root: Path, timeline: Timeline, bitrate: str) -> None:
        started = time.monotonic()
        try:
            result = encode_soundtrack(project, root, self.target, self.ctx, timeline=timeline,
                                       bitrate=bitrate)
        except BaseException as exc:  # noqa: BLE001 - handed to the render thread
            self._future.set_exception(exc)
        else:
            self._future.set_result(result)
        finally:
            self.seconds = time.monotonic() - started

    def poll(self) -> None:
        """Raise the soundtrack's error now if it already failed."""
        if self._future.done() and self._future.exception() is not None:
            raise self._future.exception()  # type: ignore[misc]

    def result(self) -> MixResult:
        """Wait for the encoded soundtrack (raises its error)."""
        return self._future.result()

    def stop(self) -> None:
        """Cancel and wait (the render failed or was cancelled)."""
        self.ctx.cancel()
        self._thread.join()


def mux(video: Path, audio: Path, target: Path, timeline: Timeline, *,
        metadata: Mapping[str, str] | None, language: str) -> None:
    """Put the H.264 and AAC streams into one MP4 (stream copy) with faststart."""
    args = [
        "-y", "-i", str(video), "-i", str(audio),
        "-map", "0:v:0", "-map", "1:a:0", "-c", "copy",
        "-t", f"{timeline.frame_count / timeline.fps:.6f}",
        "-movflags", "+faststart",
        *metadata_args(metadata),
    ]
    lang = LANG_ISO639_2.get(language.split("-")[0].lower())
    if lang:
        args += ["-metadata:s:a:0", f"language={lang}"]
    proc = ffmpeg.FfmpegProcess([*args, "-f", "mp4", str(target)])
    try:
        code = proc.finish()
    except BaseException:
        proc.kill()
        raise
    if code != 0:
        raise ffmpeg.failure(proc.stderr_text, target, returncode=code)


__all__ = ["Soundtrack", "encode_video", "metadata_args", "mux", "video_args"]
