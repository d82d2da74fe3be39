"""The ffmpeg binary: where it is, how to run it, which H.264 encoder works here.

Owns everything that talks to the ffmpeg executable shipped by ``imageio-ffmpeg``
(no system install, no shell): locating it, probing which H.264 encoder actually
works on this machine (a hardware one when present, else libx264), the encoder
arguments for a preset/CRF, a process wrapper that takes raw frames on stdin while
its stderr is drained on a thread, ``-progress`` parsing, and turning a failed run
into a sentence a creator can act on.
"""

from __future__ import annotations

import collections
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.errors import DiskFullError, EngineFailed, EngineUnavailable, StudioError
from studio.core.jobs import JobContext

log = logging.getLogger(__name__)

SOFTWARE_ENCODER = "libx264"
ENCODER_ENV = "STUDIO_VIDEO_ENCODER"
"""Force an encoder by name (``libx264``, ``h264_nvenc``...) or ``software``."""

# Hardware encoders worth trying per platform, best first. Each one is probed with a
# real tiny encode before use: listing in ``-encoders`` only says it was compiled in.
_HW_CANDIDATES: dict[str, tuple[str, ...]] = {
    "linux": ("h264_nvenc", "h264_qsv", "h264_vaapi"),
    "win32": ("h264_nvenc", "h264_qsv", "h264_amf", "h264_mf"),
    "darwin": ("h264_videotoolbox",),
}

_probe_lock = threading.Lock()
_encoder_cache: dict[tuple[str, bool], "Encoder"] = {}
_broken: set[str] = set()


@dataclass(frozen=True)
class Encoder:
    """An H.264 encoder that was shown to work on this machine."""

    name: str
    hardware: bool

    def video_args(self, *, preset: str = "veryfast", crf: int = 21) -> list[str]:
        """Output arguments for this encoder: codec, quality, High profile, yuv420p."""
        return _video_args(self.name, preset=preset, crf=crf)

    def filters(self) -> list[str]:
        """Filters to append after ``format=yuv420p`` (upload for VAAPI)."""
        return ["format=nv12", "hwupload"] if self.name == "h264_vaapi" else []

    def input_args(self) -> list[str]:
        """Global arguments needed before the inputs (the VAAPI device)."""
        if self.name == "h264_vaapi":
            return ["-vaapi_device", os.environ.get("STUDIO_VAAPI_DEVICE", "/dev/dri/renderD128")]
        return []


def ffmpeg_exe() -> str:
    """Path of the bundled ffmpeg binary (imageio-ffmpeg's wheel)."""
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # noqa: BLE001 - any failure means the same to the user
        raise EngineUnavailable(
            "The video encoder (ffmpeg from the imageio-ffmpeg package) is missing. "
            "Reinstall Studio Lokal, or run: pip install imageio-ffmpeg.",
            "Penyandi video (ffmpeg dari paket imageio-ffmpeg) tidak ada. Pasang ulang "
            "Studio Lokal, atau jalankan: pip install imageio-ffmpeg.", details=str(exc)) from exc
    if not exe or not Path(exe).exists():
        raise EngineUnavailable(
            "The video encoder (ffmpeg) was not found. Reinstall Studio Lokal.",
            "Penyandi video (ffmpeg) tidak ditemukan. Pasang ulang Studio Lokal.")
    return exe


def _popen_flags() -> dict:
    # No console window flashing up on Windows for every call.
    if sys.platform == "win32":
        return {"creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    return {}


def run(args: Sequence[str], *, timeout: float | None = None, binary: bool = False,
        ctx: JobContext | None = None) -> subprocess.CompletedProcess:
    """Run ffmpeg with ``args`` (no shell), capturing output as text (as bytes with ``binary``).

    With ``ctx``, a cancel kills ffmpeg within a tenth of a second and raises
    ``Cancelled`` (the caller's output file is then partial: write it through
    ``storage.atomic_output`` so nothing half-made is kept).
    """
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", *args]
    if ctx is not None:
        return _run_cancellable(cmd, ctx, timeout=timeout, binary=binary)
    if binary:
        return subprocess.run(cmd, capture_output=True, timeout=timeout, check=False, **_popen_flags())
    return subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", errors="replace",
                          timeout=timeout, check=False, **_popen_flags())


def _run_cancellable(cmd: list[str], ctx: JobContext, *, timeout: float | None,
                     binary: bool) -> subprocess.CompletedProcess:
    import time

    text = {} if binary else {"text": True, "encoding": "utf-8", "errors": "replace"}
    ctx.check()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **text,
                          **_popen_flags()) as proc:
        out: dict[str, Any] = {}
        # Both pipes are drained by threads, so a chatty ffmpeg never blocks on a full pipe.
        readers = [threading.Thread(target=lambda k=k, f=f: out.__setitem__(k, f.read()), daemon=True)
                   for k, f in (("stdout", proc.stdout), ("stderr", proc.stderr))]
        for r in readers:
            r.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        while proc.poll() is None:
            if ctx.cancelled or (deadline is not None and time.monotonic() > deadline):
                proc.kill()
                proc.wait()
                for r in readers:
                    r.join(5)
                if ctx.cancelled:
                    ctx.check()  # raises Cancelled
                raise subprocess.TimeoutExpired(cmd, timeout or 0.0)
            time.sleep(0.1)
        for r in readers:
            r.join()
        return subprocess.CompletedProcess(cmd, proc.returncode, out.get("stdout"), out.get("stderr"))


def list_encoders() -> set[str]:
    """Names of the encoders compiled into the binary."""
    proc = run(["-encoders"], timeout=30)
    names: set[str] = set()
    for line in proc.stdout.splitlines():
        parts = line.split()
        if len(parts) >= 2 and len(parts[0]) == 6 and parts[0][0] in "VAS":
            names.add(parts[1])
    return names


X264_TUNING: dict[str, str] = {
    # Sub-pixel motion refinement cut from 2 to 1 iteration. Measured on 240 frames of
    # our own Ken Burns output (tests/bench/render_bench.py --x264-study), CRF 21:
    # photo-like pictures 17.3 -> 11.8 ms of CPU a frame at SSIM 0.9653 -> 0.9648;
    # flat placeholder art 12.8 -> 9.7 ms at SSIM 0.9949 -> 0.9948; files ~35 % larger
    # (12-27 MB for 90 s, far under any upload limit). The best quality per second of
    # the presets tried (ultrafast/superfast/veryfast/faster, CRF 18-24).
    "veryfast": "subme=1",
    # ultrafast turns the 8x8 transform off, and x264 then writes Constrained Baseline
    # whatever -profile says; rules ask for High, which this restores.
    "ultrafast": "8x8dct=1",
}
"""Extra x264 parameters we add to a preset (the draft uses ultrafast, export veryfast)."""


def _video_args(name: str, *, preset: str, crf: int) -> list[str]:
    q = str(int(crf))
    if name == "libx264":
        args = ["-c:v", "libx264", "-preset", preset, "-crf", q, "-profile:v", "high"]
        if preset in X264_TUNING:
            args += ["-x264-params", X264_TUNING[preset]]
        return args
    if name == "h264_nvenc":
        return ["-c:v", name, "-preset", "p4", "-rc", "vbr", "-cq", q, "-b:v", "0",
                "-profile:v", "high"]
    if name == "h264_qsv":
        return ["-c:v", name, "-global_quality", q, "-profile:v", "high"]
    if name == "h264_vaapi":
        return ["-c:v", name, "-rc_mode", "CQP", "-qp", q, "-profile:v", "high"]
    if name == "h264_amf":
        return ["-c:v", name, "-rc", "cqp", "-qp_i", q, "-qp_p", q, "-profile:v", "high"]
    if name == "h264_mf":
        return ["-c:v", name, "-rate_control", "quality", "-quality", str(max(0, 100 - 2 * int(crf))),
                "-profile:v", "high"]
    if name == "h264_videotoolbox":
        return ["-c:v", name, "-q:v", str(max(1, 100 - 2 * int(crf))), "-profile:v", "high"]
    return ["-c:v", name]


def _probe(encoder: Encoder) -> bool:
    """Encode half a second of a test pattern with exactly the arguments we will use."""
    vf = ",".join(["format=yuv420p", *encoder.filters()])
    args = [*encoder.input_args(), "-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=0.5",
            "-vf", vf, *encoder.video_args(), "-frames:v", "15", "-f", "null", "-"]
    try:
        proc = run(["-loglevel", "error", *args], timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def pick_encoder(*, allow_hardware: bool = True) -> Encoder:
    """The H.264 encoder to use: a working hardware one if any, else libx264.

    The choice is probed once per process and cached. ``STUDIO_VIDEO_ENCODER`` forces
    one (``software`` means libx264).
    """
    forced = os.environ.get(ENCODER_ENV, "").strip()
    if forced.lower() in ("software", "sw", "cpu"):
        forced = SOFTWARE_ENCODER
    key = (forced, allow_hardware)
    with _probe_lock:
        cached = _encoder_cache.get(key)
        if cached is not None and cached.name not in _broken:
            return cached
        compiled = list_encoders()
        if SOFTWARE_ENCODER not in compiled:
            raise EngineUnavailable(
                "This ffmpeg build has no H.264 encoder (libx264). Reinstall imageio-ffmpeg.",
                "ffmpeg ini tidak punya penyandi H.264 (libx264). Pasang ulang imageio-ffmpeg.")
        choice = Encoder(SOFTWARE_ENCODER, False)
        if forced and forced != SOFTWARE_ENCODER:
            enc = Encoder(forced, True)
            if forced in compiled and _probe(enc):
                choice = enc
            else:
                log.warning("forced encoder %s does not work here; using libx264", forced)
        elif not forced and allow_hardware:
            for name in _HW_CANDIDATES.get(sys.platform, ()):
                if name in compiled and name not in _broken and _probe(Encoder(name, True)):
                    choice = Encoder(name, True)
                    break
        log.info("H.264 encoder: %s", choice.name)
        _encoder_cache[key] = choice
        return choice


def mark_broken(name: str) -> None:
    """Never pick this encoder again in this process (it failed on a real job)."""
    with _probe_lock:
        if name != SOFTWARE_ENCODER:
            _broken.add(name)
        for key in [k for k, v in _encoder_cache.items() if v.name == name]:
            del _encoder_cache[key]


# ------------------------------------------------------------------ progress + errors


def parse_progress(lines: Sequence[str]) -> dict[str, str]:
    """Key/value pairs of one ``-progress`` block (``frame=12``, ``out_time_us=...``)."""
    out: dict[str, str] = {}
    for line in lines:
        key, sep, value = line.strip().partition("=")
        if sep:
            out[key] = value
    return out


def failure(stderr: str, target: Path, *, returncode: int | None = None) -> StudioError:
    """A sentence for a failed ffmpeg run, from its stderr."""
    tail = "\n".join(stderr.strip().splitlines()[-15:])
    low = stderr.lower()
    # Name the file the creator asked for, not its temporary part ("video.mp4.video.part").
    name = target.name
    for suffix in (".video.part", ".audio.part", ".part"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    target = target.with_name(name)
    if "no space left" in low or "enospc" in low or "disk quota" in low:
        return DiskFullError(
            f"The disk is full while writing {target.name}; free some space (a 90-second "
            "video needs about 100 MB) and export again.",
            f"Disk penuh saat menulis {target.name}; kosongkan ruang (video 90 detik butuh "
            "sekitar 100 MB) lalu ekspor lagi.", details=tail)
    if "permission denied" in low or "read-only file system" in low:
        return EngineFailed(
            f"Cannot write {target.name}: the folder is read-only. Choose another folder.",
            f"Tidak bisa menulis {target.name}: folder hanya-baca. Pilih folder lain.",
            details=tail)
    return EngineFailed(
        f"The video encoder stopped with an error (code {returncode}) while writing "
        f"{target.name}. Try again; if it keeps failing, copy the details for support.",
        f"Penyandi video berhenti karena galat (kode {returncode}) saat menulis {target.name}. "
        "Coba lagi; bila terus gagal, salin rinciannya untuk bantuan.", details=tail)


def _widen_pipe(stream: object) -> None:
    """Grow a Linux pipe from 64 KiB to 1 MiB: a 3 MB frame then needs a few wake-ups
    instead of ~50 (measured: raw frame throughput 380 -> 670-1100 fps, less CPU)."""
    if not sys.platform.startswith("linux") or stream is None:
        return
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), 1031, 1 << 20)  # F_SETPIPE_SZ
    except (OSError, ValueError, AttributeError, ImportError):
        pass  # a smaller pipe only costs a little speed


class FfmpegProcess:
    """One ffmpeg process fed through stdin; stderr is drained on a thread.

    Draining matters: ffmpeg blocks when its stderr pipe fills, and a blocked encoder
    with a blocked writer is a deadlock.
    """

    def __init__(self, args: Sequence[str], *, on_progress: Callable[[dict[str, str]], None] | None = None,
                 keep_lines: int = 200) -> None:
        self.cmd = [ffmpeg_exe(), "-hide_banner", "-nostats", "-loglevel", "error",
                    "-progress", "pipe:2", *args]
        self._lines: collections.deque[str] = collections.deque(maxlen=keep_lines)
        self._on_progress = on_progress
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, bufsize=0, **_popen_flags())
        _widen_pipe(self.proc.stdin)
        self._reader = threading.Thread(target=self._drain, name="ffmpeg-stderr", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        block: list[str] = []
        for raw in iter(self.proc.stderr.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip()
            if "=" in line and " " not in line.split("=", 1)[0]:
                block.append(line)
                if line.startswith("progress="):
                    if self._on_progress is not None:
                        try:
                            self._on_progress(parse_progress(block))
                        except Exception:  # noqa: BLE001 - progress must never kill the drain
                            log.exception("progress callback failed")
                    block = []
                continue
            if line:
                self._lines.append(line)

    @property
    def stderr_text(self) -> str:
        return "\n".join(self._lines)

    def write(self, data: bytes | memoryview) -> None:
        """Send bytes to ffmpeg's stdin (raises BrokenPipeError if it died)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)

    def finish(self, timeout: float | None = None) -> int:
        """Close stdin and wait for ffmpeg to finish; returns its exit code."""
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        code = self.proc.wait(timeout=timeout)
        self._reader.join(timeout=5)
        return code

    def kill(self) -> None:
        """Stop ffmpeg now (cancel or error); safe to call twice."""
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a zombie we cannot help
            pass
        self._reader.join(timeout=5)
