"""Per-machine settings: which engine runs each step, model folders, the LLM server.

Stored in ``user_config_dir/settings.json`` (only values that differ from the
defaults). ``STUDIO_*`` environment variables override the file. Secrets are not
settings: an API key is read from the environment (``STUDIO_LLM_API_KEY`` or
``OPENAI_API_KEY``) or the OS keyring at the moment it is needed, never saved.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from studio.core import paths

SETTINGS_FILE = "settings.json"
SETTINGS_VERSION = 1


class _Section(BaseModel):
    model_config = ConfigDict(extra="ignore", validate_assignment=True)


class EngineChoice(_Section):
    """Registry keys of the engine used for each kind of work."""

    script: str = "script.template"
    image: str = "image.placeholder"
    voice: str = "voice.espeak"
    transcribe: str = "transcribe.faster_whisper"


class LlmSettings(_Section):
    """An OpenAI-compatible chat-completions server (OpenAI, Ollama, LM Studio...)."""

    base_url: str = "http://127.0.0.1:11434/v1"
    model: str = ""
    timeout: float = 120.0
    temperature: float = 0.7
    api_key_env: str = "STUDIO_LLM_API_KEY"
    """Name of the environment variable holding the key (the key itself is never stored)."""
    stream: bool = True
    """Ask for a streamed answer (shown as it grows); off only for a server that mishandles it."""


class ServerSettings(_Section):
    """The "Server kelas": one OpenAI-compatible server every step can use (chat at ``llm.base_url``).

    The address and the key are the LLM server's (one setting for the room); a
    capability served by another process (Speaches on its own port) may name its own
    address. Model names are the server's ids (``GET /v1/models``).
    """

    image_model: str = ""
    speech_model: str = ""
    speech_voice: str = "alloy"
    transcribe_model: str = ""
    image_url: str = ""
    """Empty: the room's server (``llm.base_url``)."""
    speech_url: str = ""
    transcribe_url: str = ""
    timeout: float = 300.0
    max_wait: float = 180.0
    """Total seconds a step waits on a busy server before it gives up with a sentence."""

    def url_for(self, capability: str, base_url: str) -> str:
        own = {"image": self.image_url, "speech": self.speech_url, "transcribe": self.transcribe_url}
        return (own.get(capability) or base_url).strip()


class ModelSettings(_Section):
    """Where models are; empty means the app's model folder defaults."""

    diffusers: str = ""
    """A local diffusers pipeline folder (or a Hugging Face id, only downloaded on request)."""
    diffusers_vae: str = ""
    """A separate VAE folder swapped into the pipeline (e.g. the tiny TAESD decoder); empty: the model's own."""
    diffusers_fast: str = ""
    """An OpenVINO diffusion folder for ``image.fast_local`` (converted from the diffusers one); empty: found."""
    whisper: str = ""
    """A CTranslate2 Whisper folder; empty: the bundled multilingual base."""
    whisper_compute_type: str = "int8"
    llm_local: str = ""
    """A local transformers chat model folder."""
    llm_fast: str = ""
    """An int4 OpenVINO chat model folder for the fast local script engine (``script.fast_local``)."""
    mms_tts: str = ""
    """A transformers VITS voice folder (MMS-TTS ``ind``); empty: the app's model folder."""
    piper_voice: str = ""
    """A Piper voice: the ``.onnx`` file (its ``.onnx.json`` beside it) or a folder holding one."""
    openai_whisper: str = ""
    """An openai-whisper checkpoint file (``.pt``) for the openai-whisper backend."""
    hub_url: str = ""
    """Where "download" fetches models from (a Hugging Face mirror or a trainer's server); empty: huggingface.co."""


class SigningSettings(_Section):
    """Content Credentials (C2PA) signing of the exported MP4: FILE PATHS only, never key material."""

    enabled: bool = False
    certificate: str = ""
    """PEM certificate chain file (signer first)."""
    private_key: str = ""
    """PEM private key file; the file stays where the creator keeps it, it is never copied."""
    trust_anchors: str = ""
    """Optional PEM file of the CA(s) to trust when the signed file is read back."""
    tsa_url: str = ""
    """Optional time-stamp authority (needs internet); empty keeps signing offline."""


class Settings(_Section):
    schema_version: int = SETTINGS_VERSION
    engines: EngineChoice = Field(default_factory=EngineChoice)
    llm: LlmSettings = Field(default_factory=LlmSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)
    models: ModelSettings = Field(default_factory=ModelSettings)
    signing: SigningSettings = Field(default_factory=SigningSettings)
    ui_language: str = "id"
    torch_threads: int = 1
    """PyTorch threads; 1 is faster on busy 2-core laptops (measured)."""
    recent_projects: list[str] = Field(default_factory=list)


_ENV = {
    "STUDIO_SCRIPT_ENGINE": ("engines", "script"),
    "STUDIO_IMAGE_ENGINE": ("engines", "image"),
    "STUDIO_VOICE_ENGINE": ("engines", "voice"),
    "STUDIO_TRANSCRIBE_ENGINE": ("engines", "transcribe"),
    "STUDIO_LLM_BASE_URL": ("llm", "base_url"),
    "STUDIO_LLM_MODEL": ("llm", "model"),
    "STUDIO_DIFFUSERS_MODEL": ("models", "diffusers"),
    "STUDIO_WHISPER_MODEL": ("models", "whisper"),
    "STUDIO_SERVER_IMAGE_MODEL": ("server", "image_model"),
    "STUDIO_SERVER_SPEECH_MODEL": ("server", "speech_model"),
    "STUDIO_SERVER_TRANSCRIBE_MODEL": ("server", "transcribe_model"),
}


SETTING_LIMITS: dict[tuple[str, str], tuple[float, float]] = {
    ("llm", "timeout"): (1.0, 3600.0), ("llm", "temperature"): (0.0, 2.0), ("", "torch_threads"): (1, 64),
}
"""Ranges a number in settings.json must be in; outside them the default is used, with a note."""


def sanitize(settings: Settings) -> list[str]:
    """Put every out-of-range or non-finite number back to its default; returns the notes."""
    import math

    notes: list[str] = []
    for (section, name), (low, high) in SETTING_LIMITS.items():
        owner = getattr(settings, section) if section else settings
        value = getattr(owner, name)
        if isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high:
            continue
        default = type(owner).model_fields[name].default
        setattr(owner, name, default)
        where = f"{section}.{name}" if section else name
        notes.append(f"settings.json: {where} = {value!r} is outside {low:g} to {high:g}; "
                     f"using the default {default!r}.")
    return notes


def settings_path() -> Path:
    return paths.user_config_dir() / SETTINGS_FILE


def load_settings(*, apply_env: bool = True) -> Settings:
    """Settings from disk (defaults if the file is missing or unreadable), then env overrides."""
    path = settings_path()
    settings = Settings()
    if path.exists():
        try:
            settings = Settings.model_validate(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, ValidationError):
            # A broken settings file must not stop the app; defaults are safe.
            settings = Settings()
        import logging

        for note in sanitize(settings):
            logging.getLogger("studio").warning(note)
    if apply_env:
        for var, (section, name) in _ENV.items():
            value = os.environ.get(var)
            if value:
                setattr(getattr(settings, section), name, value)
    return settings


def save_settings(settings: Settings) -> None:
    """Write only values that differ from the defaults."""
    from studio.core.storage import atomic_write_text

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = settings.model_dump(mode="json", exclude_defaults=True)
    data["schema_version"] = SETTINGS_VERSION
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def llm_api_key(settings: Settings) -> str | None:
    """The LLM API key from the environment or the OS keyring; never from a file of ours."""
    for var in (settings.llm.api_key_env, "STUDIO_LLM_API_KEY", "OPENAI_API_KEY"):
        if var and os.environ.get(var):
            return os.environ[var]
    try:
        import keyring  # optional

        return keyring.get_password("studio-lokal", "llm")
    except Exception:  # noqa: BLE001 - no keyring backend is a normal situation
        return None
