"""The clips' own sound on the timeline, for the soundtrack mix.

Each scene's clip with ``audio`` "keep" or "duck" plays its sound from its in point,
at its speed (tape-style: a faster clip sounds higher), for as long as its picture
moves, with short fades at the edges. ``clip_sound`` returns the two tracks apart;
``soundtrack.mix_audio`` brings them to a level under the narration, ducks the
"duck" track while the voice speaks, and normalises the whole mix to the same
loudness target as without clips. Only the part played is decoded.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from studio.core.errors import MediaError
from studio.core.jobs import JobContext
from studio.core.project import Project
from studio.core.storage import resolve_in
from studio.core.timeline import Timeline
from studio.pipeline.media.audio import read_audio
from studio.pipeline.render.clip import play_speed

log = logging.getLogger(__name__)

EDGE = 0.03
"""Seconds of fade at each end of a clip's sound (no click at a cut)."""


def clip_sound(project: Project, root: Path, timeline: Timeline, rate: int,
               ctx: JobContext | None = None) -> tuple[np.ndarray | None, np.ndarray | None]:
    """``(keep, duck)`` (n, 2) tracks of the clips' sound on the timeline; None when none."""
    n = int(round(timeline.duration * rate))
    tracks: dict[str, np.ndarray] = {}
    for seg in timeline.scenes():
        if ctx is not None:
            ctx.check()
        clip = project.scenes[seg.scene_index].clip
        if clip is None or clip.audio == "mute" or not clip.has_audio:
            continue
        speed = play_speed(clip, seg.duration)
        played = clip.played
        seconds = min(seg.duration, played / speed if played > 0 else seg.duration)
        if seconds <= 0:
            continue
        try:
            path = resolve_in(root, clip.path)
            # Decoded at rate / speed and laid down at rate: the sound runs at the clip's speed.
            audio = read_audio(path, max(8000, int(round(rate / speed))), 2, max_seconds=seconds * speed,
                               start=clip.start)
        except (MediaError, OSError) as exc:
            log.warning("scene %d: the clip's sound cannot be read (%s); it plays silent",
                        seg.scene_index + 1, exc)
            continue
        start = int(round(seg.start * rate))
        length = max(0, min(len(audio), int(round(seconds * rate)), n - start))
        if length <= 0:
            continue
        part = audio[:length].copy()
        e = min(int(EDGE * rate), length // 2)
        if e > 0:
            ramp = np.linspace(0.0, 1.0, e, dtype=np.float32)[:, None]
            part[:e] *= ramp
            part[-e:] *= ramp[::-1]
        track = tracks.setdefault(clip.audio, np.zeros((n, 2), dtype=np.float32))
        track[start:start + length] += part
    return tracks.get("keep"), tracks.get("duck")


__all__ = ["clip_sound"]
