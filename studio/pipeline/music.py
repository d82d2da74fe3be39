"""Step 6, Musik: make the generated background bed and record it in the AI log.

Owns ``make_music``: it sizes the bed to the timeline, writes
``music/bed-<hash8>.wav`` atomically with the music engine from the registry (today
the procedural gamelan, no AI),
logs a ``tool`` record and returns an updated ``Music`` for the caller to apply.
"""

from __future__ import annotations

import math
from pathlib import Path

from studio.core.hashing import inputs_hash
from studio.core.jobs import JobContext
from studio.core.project import Music, Project
from studio.core.storage import atomic_output, relative_to_root
from studio.core.timeline import build_timeline
from studio.engines import registry
from studio.engines.base import MusicEngine, MusicRequest
from studio.pipeline.provenance import log_result

MUSIC_ENGINE = "music.gamelan"
"""The generated bed's engine (the only one so far; Settings has no choice for it yet)."""

EXTRA_SECONDS = 2.0
"""A little longer than the video, so the fade-out never meets the loop point."""


def music_inputs_hash(project: Project, seconds: float | None = None, engine: MusicEngine | None = None) -> str:
    """Hash of what a generated bed depends on (its length in whole loops)."""
    engine = engine or registry.create(MUSIC_ENGINE)
    m = project.music
    if seconds is None:
        seconds = build_timeline(project).duration + EXTRA_SECONDS
    cycle = engine.loop_seconds(m.tempo_bpm)
    cycles = max(1, math.ceil(max(1.0, seconds) / cycle - 1e-9))
    return inputs_hash({"engine": engine.info.key, "version": engine.version, "seed": m.seed,
                        "scale": m.scale, "tempo": float(m.tempo_bpm), "cycles": cycles})


def make_music(project: Project, root: Path, ctx: JobContext, *, seconds: float | None = None,
               engine: MusicEngine | None = None) -> Music:
    """Generate the bed for ``project`` and return the updated ``Music`` (not applied).

    The file is a whole number of 16-beat cycles at least the video's length (+2 s);
    the mix loops it seamlessly if the video grows later.
    """
    root = Path(root)
    engine = engine or registry.create(MUSIC_ENGINE)
    registry.require_ready(engine)
    m = project.music
    if seconds is None:
        seconds = build_timeline(project).duration + EXTRA_SECONDS
    seconds = max(5.0, float(seconds))
    digest = music_inputs_hash(project, seconds, engine)
    out = root / "music" / f"bed-{digest[:8]}.wav"
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(out) as part:
        result = engine.generate(MusicRequest(seconds, m.seed, m.scale, m.tempo_bpm), part, ctx)
    log_result(root, "music", "generate", result.provenance, outputs=[out],
               inputs={"params": digest},
               note=f"{m.scale}, {m.tempo_bpm:g} BPM, {result.seconds:.1f} s, loops every "
                    f"{result.loop_seconds:.2f} s")
    return m.model_copy(update={
        "source": "generated", "path": relative_to_root(root, out),
        "licence": engine.info.licence, "inputs_hash": digest,
    })
