"""The one 16-bit PCM WAV writer, shared by the voice and music engines and the pipeline.

It lives in engines/support because engines sit below the pipeline and write WAVs
themselves; the pipeline's mix and voice import use the same function.
"""

from __future__ import annotations

import io
import wave
from pathlib import Path
from typing import IO, Any


def write_wav(target: str | Path | IO[bytes], samples: Any, rate: int) -> None:
    """Write samples (n,) or (n, ch) as 16-bit PCM WAV to a path or a binary file object.

    Float samples are in −1..1 (clipped, rounded); int16 samples are written as they are.
    """
    import numpy as np  # lazily: the server engines import this module and stay light

    data = np.asarray(samples)
    if data.ndim == 1:
        data = data[:, None]
    if data.dtype == np.int16:
        pcm = data.astype("<i2")
    else:
        pcm = (np.clip(data.astype(np.float32), -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(str(target) if isinstance(target, (str, Path)) else target, "wb") as w:
        w.setnchannels(pcm.shape[1])
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(pcm.tobytes())


def wav_bytes(samples: Any, rate: int) -> bytes:
    """The bytes of a 16-bit PCM WAV of ``samples`` (for uploads)."""
    buf = io.BytesIO()
    write_wav(buf, samples, rate)
    return buf.getvalue()
