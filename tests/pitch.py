"""Median pitch of a voice, for tests that check pitch changes (or its absence)."""

from __future__ import annotations

import numpy as np


def median_f0(samples: np.ndarray, rate: int, *, floor: float = 0.05) -> float:
    """Median pitch in Hz of the loud 40 ms frames, by autocorrelation (60–400 Hz).

    ``samples``: mono int16 or float in [-1, 1]; frames quieter than ``floor`` (RMS, full
    scale 1.0) are skipped so pauses do not count.
    """
    x = samples.astype(np.float64)
    if np.issubdtype(samples.dtype, np.integer):
        x /= 32768.0
    hop = int(0.04 * rate)
    lo, hi = rate // 400, rate // 60
    f0 = []
    for i in range(0, len(x) - hop, hop):
        frame = x[i:i + hop] - x[i:i + hop].mean()
        if np.sqrt(np.mean(frame ** 2)) < floor:
            continue
        ac = np.correlate(frame, frame, "full")[hop - 1:]
        f0.append(rate / (lo + int(np.argmax(ac[lo:hi]))))
    return float(np.median(f0))
