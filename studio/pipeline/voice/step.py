"""Step 4, Suara: synthesize one voice file per scene with the chosen voice engine.

Owns which scenes need a (new) voice, the file naming in ``voice/``, filling each
``VoiceAsset`` and its AI-log record. It returns the new assets; the caller puts
them into the live project (this module never mutates the project it is given).
Recorded or imported voices are the creator's and are never replaced here unless
``force`` names the scene explicitly.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from studio.core.hashing import file_sha256, text_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Project, Scene, VoiceAsset
from studio.core.status import voice_inputs_hash
from studio.core.storage import atomic_output, relative_to_root
from studio.core.timeline import DEFAULT_WPM
from studio.engines.base import VoiceRequest
from studio.pipeline.provenance import log_result

log = logging.getLogger(__name__)

VOICE_DIR = "voice"


def narration_wpm(project: Project, engine: Any) -> float:
    """The measured words per minute of the project's voice (sizes the script's word budget).

    Engines that measured their real rate offer ``words_per_minute(rate_wpm)``; for the
    others the requested rate is the best estimate there is.
    """
    requested = float(project.voice.rate_wpm or DEFAULT_WPM)
    measure = getattr(engine, "words_per_minute", None)
    if callable(measure):
        return float(measure(requested))
    return requested


def engine_key_of(engine: Any) -> str:
    info = getattr(engine, "info", None)
    return getattr(info, "key", "") or type(engine).__name__


def needs_voice(project: Project, scene: Scene, engine_key: str) -> bool:
    """True when a scene has narration but no voice, or a TTS voice made from other inputs."""
    if not scene.narration.strip():
        return False
    if scene.voice is None:
        return True
    if scene.voice.origin != "tts":
        return False  # the creator's recording: only replaced on explicit request
    return scene.voice.inputs_hash != voice_inputs_hash(project, scene, engine_key)


def voice_path(root: Path, scene: Scene, inputs: str) -> Path:
    """``voice/<scene_id>-<hash8>.wav``: a new name per input, so an old file is never
    overwritten while the project still points at it."""
    return Path(root) / VOICE_DIR / f"{scene.id}-{inputs[:8]}.wav"


def synthesize_voices(project: Project, root: Path, engine: Any, ctx: JobContext, *,
                      scene_ids: list[str] | None = None, force: bool = False,
                      keep_loaded: bool = False) -> dict[str, VoiceAsset]:
    """Synthesize the voices that are missing or stale.

    Args:
        project: A snapshot; it is not modified.
        root: The project folder.
        engine: A voice engine (``synthesize(VoiceRequest, out_path, ctx)``).
        ctx: Progress per scene; cancel is checked between scenes and inside the engine.
        scene_ids: Only these scenes (others are left alone).
        force: Re-synthesize even when up to date (for the given ids, or every scene
            with narration and no creator recording when no ids are given).
        keep_loaded: Keep a neural voice model in memory afterwards (default: unload it
            when the step ends; espeak has nothing to unload).

    Returns:
        ``{scene_id: VoiceAsset}`` for the scenes that got a new voice. Scenes with
        empty narration get none (logged, and left out).

    Raises:
        Cancelled: with ``partial`` = the dict of scenes finished before the cancel.
    """
    try:
        return _synthesize_voices(project, root, engine, ctx, scene_ids, force)
    finally:
        if not keep_loaded:
            engine.unload()


def _synthesize_voices(project: Project, root: Path, engine: Any, ctx: JobContext,
                       scene_ids: list[str] | None, force: bool) -> dict[str, VoiceAsset]:
    root = Path(root)
    key = engine_key_of(engine)
    wanted = set(scene_ids) if scene_ids else None
    todo: list[Scene] = []
    silent: list[int] = []
    for n, scene in enumerate(project.scenes, 1):
        if wanted is not None and scene.id not in wanted:
            continue
        if not scene.narration.strip():
            log.info("Scene %s has no narration; no voice is made for it.", scene.id)
            silent.append(n)
            continue
        if force:
            if wanted is None and scene.voice is not None and scene.voice.origin != "tts":
                continue
            todo.append(scene)
        elif needs_voice(project, scene, key):
            todo.append(scene)
    (root / VOICE_DIR).mkdir(parents=True, exist_ok=True)
    v = project.voice
    done: dict[str, VoiceAsset] = {}
    total = len(todo)
    if silent:
        ctx.progress(0, total, "Tanpa narasi, tidak dibuat suara: adegan "
                     + ", ".join(str(n) for n in silent))
    for i, scene in enumerate(todo):
        try:
            ctx.check()
            ctx.progress(i, total, f"Suara adegan {project.scene_index(scene.id) + 1}")
            inputs = voice_inputs_hash(project, scene, key)
            path = voice_path(root, scene, inputs)
            request = VoiceRequest(text=scene.narration.strip(), language=project.brief.language,
                                   voice=v.voice, rate_wpm=v.rate_wpm, pitch=v.pitch)
            with atomic_output(path) as part:
                result = engine.synthesize(request, part, ctx)
        except Cancelled as exc:
            exc.partial = dict(done)
            raise
        asset = VoiceAsset(
            path=relative_to_root(root, path), origin="tts", engine=key, voice=v.voice,
            duration=round(float(result.duration), 4), sample_rate=int(result.sample_rate),
            words=list(result.words), sha256=file_sha256(path), inputs_hash=inputs)
        previous = scene.voice
        action = "regenerate" if previous is not None else "generate"
        log_result(root, "voice", action, result.provenance, scene_id=scene.id,
                   inputs={"text": text_sha256(scene.narration.strip())}, outputs=[path])
        done[scene.id] = asset
    ctx.progress(total, total, "Suara selesai")
    return done
