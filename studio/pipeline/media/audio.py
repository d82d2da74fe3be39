"""Audio helpers shared by the steps: decode any file, write WAV, measure loudness.

Decoding goes through PyAV (its own FFmpeg libraries), so no system ffmpeg is
needed. Loudness follows ITU-R BS.1770 (pyloudnorm) and true peak is measured on a
4x oversampled signal, as the broadcast meters do.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from studio.core.errors import MediaError
from studio.engines.support.media_length import MAX_DECODE_SECONDS, seconds_of, too_long


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    """Integrated loudness; -inf for silence."""
    true_peak_db: float
    """Maximum true peak in dBTP; -inf for silence."""
    duration: float


def read_audio(path: Path, rate: int = 48000, channels: int = 2,
               max_seconds: float | None = None) -> np.ndarray:
    """Decode ``path`` to float32 samples of shape (n, channels) at ``rate``.

    Raises MediaError with a sentence when the file is not audio, is corrupt or empty,
    or (without ``max_seconds``) declares more than ``MAX_DECODE_SECONDS``.
    """
    import av

    layout = "mono" if channels == 1 else "stereo"
    chunks: list[np.ndarray] = []
    total = 0
    limit = None if max_seconds is None else int(max_seconds * rate)
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise MediaError(f"{Path(path).name} has no audio track.",
                                 f"{Path(path).name} tidak berisi trek audio.")
            if max_seconds is None:
                # A whole decode holds every sample: refuse a 3-hour file from its header,
                # before decoding anything (callers with a cap never hold more than it).
                declared = seconds_of(container)
                if declared is not None and declared > MAX_DECODE_SECONDS:
                    raise too_long(Path(path), declared, MAX_DECODE_SECONDS)
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="flt", layout=layout, rate=rate)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    arr = out.to_ndarray().reshape(-1, channels)
                    chunks.append(arr)
                    total += len(arr)
                if limit is not None and total >= limit:
                    break
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1, channels))
    except MediaError:
        raise
    except (av.error.FFmpegError, OSError, ValueError) as exc:
        raise MediaError(
            f"{Path(path).name} cannot be read as audio ({exc.__class__.__name__}); it may be "
            "damaged or in an unsupported format. Try exporting it again as WAV or MP3.",
            f"{Path(path).name} tidak bisa dibaca sebagai audio; mungkin rusak atau formatnya "
            "tidak didukung. Coba ekspor ulang sebagai WAV atau MP3.", details=str(exc)) from exc
    if not chunks:
        raise MediaError(f"{Path(path).name} contains no sound (zero length).",
                         f"{Path(path).name} tidak berisi suara (panjang nol).")
    data = np.concatenate(chunks).astype(np.float32, copy=False)
    if limit is not None:
        data = data[:limit]
    if len(data) == 0:
        raise MediaError(f"{Path(path).name} contains no sound (zero length).",
                         f"{Path(path).name} tidak berisi suara (panjang nol).")
    return data


def wav_duration(path: Path) -> float:
    """Length of a PCM WAV in seconds (cheap: reads the header only)."""
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def true_peak_db(samples: np.ndarray, rate: int) -> float:
    """Maximum true peak (dBTP) using 4x polyphase oversampling (BS.1770-4 annex 2)."""
    from scipy.signal import resample_poly

    data = np.asarray(samples, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    if data.size == 0:
        return float("-inf")
    peak = 0.0
    for ch in range(data.shape[1]):
        up = resample_poly(data[:, ch], 4, 1)
        peak = max(peak, float(np.max(np.abs(up))), float(np.max(np.abs(data[:, ch]))))
    return float(20 * np.log10(peak)) if peak > 0 else float("-inf")


def measure_loudness(samples: np.ndarray, rate: int) -> Loudness:
    """Integrated loudness (LUFS) and true peak (dBTP) of float samples."""
    import pyloudnorm

    data = np.asarray(samples, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    duration = len(data) / float(rate)
    if len(data) < int(0.4 * rate) or not np.any(data):
        return Loudness(float("-inf"), true_peak_db(data, rate), duration)
    meter = pyloudnorm.Meter(rate)
    with np.errstate(divide="ignore"):
        lufs = float(meter.integrated_loudness(data))
    return Loudness(lufs, true_peak_db(data, rate), duration)
