"""Every long call takes a JobContext and honours a cancel (issue 14 #3)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from studio.core.jobs import Cancelled, JobContext


def test_a_cancel_kills_a_running_ffmpeg_and_raises_cancelled() -> None:
    from studio.pipeline.media import ffmpeg

    ctx = JobContext("test")
    threading.Timer(0.5, ctx.cancel).start()
    # An endless tone: only the cancel can stop it (the 60 s timeout would raise TimeoutExpired).
    with pytest.raises(Cancelled):
        ffmpeg.run(["-f", "lavfi", "-i", "sine=frequency=440", "-f", "null", "-"], timeout=60, ctx=ctx)


def test_stretch_file_and_probe_refuse_to_start_after_a_cancel(tmp_path: Path) -> None:
    import numpy as np

    from studio.engines.support.wav import write_wav
    from studio.pipeline.duration_fit import stretch_file

    src = tmp_path / "a.wav"
    write_wav(src, np.zeros(48000, dtype=np.float32), 48000)
    ctx = JobContext("test")
    ctx.cancel()
    with pytest.raises(Cancelled):
        stretch_file(src, tmp_path / "b.wav", 1.05, ctx)
    assert not (tmp_path / "b.wav").exists()
    stretch_file(src, tmp_path / "c.wav", 1.05, JobContext("test"))
    assert (tmp_path / "c.wav").stat().st_size > 1000
