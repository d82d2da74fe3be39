"""Engine registry: ``"kind.name"`` → ``"module:Class"``, imported only when used.

Engines are built with ``create(key, settings)``; each engine class offers
``from_settings(settings)`` so per-machine choices (model folders, server URL)
reach it without the engine reading files itself. Nothing here falls back to
another engine: a missing engine is reported, never silently replaced.
"""

from __future__ import annotations

import importlib
from typing import Any

from studio.core.errors import EngineUnavailable, Problem
from studio.core.settings import Settings

ENGINES: dict[str, str] = {
    "script.template": "studio.engines.llm.template:TemplateScriptEngine",
    "script.openai": "studio.engines.llm.openai_compat:OpenAIScriptEngine",
    "script.local": "studio.engines.llm.local:LocalChatScriptEngine",
    "script.fast_local": "studio.engines.llm.fast_local:FastLocalScriptEngine",
    "image.placeholder": "studio.engines.image.placeholder:PlaceholderImageEngine",
    "image.diffusers": "studio.engines.image.diffusion:DiffusersImageEngine",
    "image.fast_local": "studio.engines.image.fast_local:FastImageEngine",
    "voice.espeak": "studio.engines.voice.espeak:EspeakVoiceEngine",
    "voice.vits": "studio.engines.voice.vits:VitsVoiceEngine",
    "voice.piper": "studio.engines.voice.piper_voice:PiperVoiceEngine",
    "transcribe.faster_whisper": "studio.engines.transcribe.whisper_ct2:FasterWhisperEngine",
    "transcribe.openai_whisper": "studio.engines.transcribe.whisper_torch:OpenAIWhisperEngine",
    "image.server": "studio.engines.image.server_images:ServerImageEngine",
    "voice.server": "studio.engines.voice.server_speech:ServerSpeechEngine",
    "transcribe.server": "studio.engines.transcribe.server_transcribe:ServerTranscribeEngine",
    "music.gamelan": "studio.engines.music.gamelan:GamelanMusicEngine",
}

KIND_OF_SETTING = {"script": "script", "image": "image", "voice": "voice", "transcribe": "transcribe"}


def keys(kind: str | None = None) -> list[str]:
    """Registered engine keys, optionally of one kind."""
    return [k for k in ENGINES if kind is None or k.split(".", 1)[0] == kind]


def engine_class(key: str) -> type:
    """Import and return the class registered under ``key``."""
    target = ENGINES.get(key)
    if target is None:
        raise EngineUnavailable(
            f"There is no engine called '{key}'. Known engines: {', '.join(ENGINES)}.",
            f"Tidak ada mesin bernama '{key}'. Mesin yang dikenal: {', '.join(ENGINES)}.")
    module_name, _, cls_name = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, cls_name)


def create(key: str, settings: Settings | None = None) -> Any:
    """Build the engine registered under ``key`` from the machine's settings."""
    cls = engine_class(key)
    settings = settings or Settings()
    return cls.from_settings(settings)


def create_for(kind: str, settings: Settings, override: str = "") -> Any:
    """The engine the settings (or ``override``) choose for ``kind``.

    ``image.diffusers`` with the catalogue's SD-Turbo becomes ``image.fast_local`` (the same
    model compiled by OpenVINO, faster on every CPU measured: tests/bench/image_bench.py
    --runtimes) when its converted folder is ready; the AI log names the runtime either way.
    A diffusers model the creator chose stays on torch unless its OpenVINO folder is chosen too.
    """
    key = override or getattr(settings.engines, KIND_OF_SETTING[kind])
    if key == "image.diffusers" and not override:
        fast = faster_image_engine(settings)
        if fast is not None:
            return fast
    return create(key, settings)


FAST_IMAGE_MIN_AVAILABLE = 5 * 1024**3
"""Free memory the OpenVINO SD-Turbo needs before it is chosen over torch.

Measured (tests/bench/image_bench.py --runtimes --only openvino, SD-Turbo shapes, int8 matrix
weights, one 512² and one 512×896 image, whole process with torch imported): peak RSS
6.52 GB in f32 under the AVX2 cap (3.70 GB private, the rest mapped files: the 1.7 GB model
and the libraries) and 5.16 GB with bf16 (2.34 GB private); torch's path peaks at 5.48 /
3.16 GB. Free memory must hold the private peak and the model file's pages: 3.70 + 1.7 ≈
5.4 GB ≈ 5 GiB in the worst case (f32: ordinary laptops). It was 8 GiB while the engine kept
a compiled UNet per image size next to fp16 weights (7.1 / 11.4 GB)."""


def faster_image_engine(settings: Settings) -> Any:
    """``image.fast_local`` when it can run the same model as ``image.diffusers`` would and the
    memory it needs is free, else None."""
    from studio.engines.support.memory import available_bytes

    if str(settings.models.diffusers or "").strip() and not str(settings.models.diffusers_fast or "").strip():
        return None
    free = available_bytes()
    if free is None or free < FAST_IMAGE_MIN_AVAILABLE:
        return None
    try:
        engine = create("image.fast_local", settings)
    except (ImportError, EngineUnavailable):
        return None
    return None if engine.preflight() else engine


SERVER_ENGINES: dict[str, str] = {"script": "script.openai", "image": "image.server",
                                  "voice": "voice.server", "transcribe": "transcribe.server"}
"""The "Server kelas" engine of every kind: Settings can switch all steps to the room's server at once."""


def require_ready(engine: Any) -> None:
    """Run the engine's preflight; raise EngineUnavailable listing the problems."""
    problems = engine.preflight()
    if problems:
        name = engine.info.name
        raise EngineUnavailable(
            f"{name} cannot run: " + "; ".join(str(p) for p in problems),
            f"{name} belum bisa dipakai: " + "; ".join(
                p.text("id") if isinstance(p, Problem) else str(p) for p in problems),
            problems=list(problems))
