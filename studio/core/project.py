"""The project document: brief, scenes, assets, subtitles, music, render settings.

Everything persisted is a pydantic model. Paths inside a project are relative,
POSIX-style, to the project folder (see ``core.storage``). Unknown fields in a
hand-edited or newer-minor file are kept (``extra="allow"``) and reported as
warnings by the loader rather than silently dropped.

Timing conventions: seconds as floats; a scene's length on the timeline follows
its voice audio (``core.timeline``), so the picture never drifts from the words.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from studio.core.origin import Origin

FORMAT_ID = "studio.project"
SCHEMA_VERSION = 1

STEPS: tuple[str, ...] = ("brief", "script", "images", "voice", "subtitles", "music", "export")
"""The creator's steps in order (Ide, Naskah, Gambar, Suara, Subtitle, Musik, Ekspor)."""

Motion = Literal["auto", "zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down", "still"]
Transition = Literal["cut", "crossfade", "dip_black", "slide"]
ImageOrigin = Literal["ai", "generated", "own"]
VoiceOrigin = Literal["tts", "recorded", "imported"]


def now_iso() -> str:
    """UTC timestamp, second precision, ISO 8601 with a Z."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def new_id(prefix: str) -> str:
    """A short random id such as ``sc-3f9a1c2b``."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class Model(BaseModel):
    """Base for persisted models: keep unknown fields, validate on assignment."""

    model_config = ConfigDict(extra="allow", validate_assignment=True)


class Brief(Model):
    """Step 1, Ide: what the video is about and who made it."""

    title: str = ""
    region: str = ""
    theme: str = ""
    """A theme preset id (``weton``, ``batik``...) or the creator's own words."""
    language: str = "id"
    """Narration language (``id``, ``jv``, ``su``, ``ban``...; see core/languages.py)."""
    subtitle_language: str = ""
    """Subtitle language; empty means the narration's. When it differs, every scene carries
    its narration's rendering in this language (``Scene.subtitle``) and each cue both lines."""
    audience: str = ""
    key_facts: list[str] = Field(default_factory=list)
    """Facts the creator insists on; every script must contain them."""
    creator: str = ""
    agency: str = ""
    notes: str = ""

    @property
    def subtitles_in(self) -> str:
        """The language the subtitles are in (the narration's unless the creator chose another)."""
        return self.subtitle_language.strip() or self.language

    @property
    def bilingual(self) -> bool:
        """Narration in one language, subtitles in another: each scene and cue has two lines."""
        from studio.core.languages import is_bilingual
        return is_bilingual(self.language, self.subtitles_in)


class WordTiming(Model):
    """One spoken word and where it sits in its audio file."""

    text: str
    start: float
    end: float


class ImageAsset(Model):
    """A scene's picture. ``origin`` says who made it: an AI model, a no-AI
    generator (placeholder art) or the creator (own photo)."""

    path: str
    origin: ImageOrigin
    engine: str = ""
    model: str = ""
    seed: int | None = None
    prompt: str = ""
    width: int = 0
    height: int = 0
    sha256: str = ""
    inputs_hash: str = ""
    created: str = Field(default_factory=now_iso)
    declared: Origin | None = None
    """An imported picture: the creator's declaration (made with an AI tool elsewhere, or own work)."""


class VoiceAsset(Model):
    """A scene's narration audio (WAV in the project's voice/ folder)."""

    path: str
    origin: VoiceOrigin
    engine: str = ""
    voice: str = ""
    duration: float = 0.0
    sample_rate: int = 0
    words: list[WordTiming] = Field(default_factory=list)
    """Word timings relative to the start of this file, when the engine gives them."""
    sha256: str = ""
    inputs_hash: str = ""
    created: str = Field(default_factory=now_iso)
    declared: Origin | None = None
    """An imported recording: the creator's declaration (an AI voice made elsewhere, or own voice)."""


class Scene(Model):
    """One scene: a line of narration over one picture."""

    id: str = Field(default_factory=lambda: new_id("sc"), pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
    """Stable id; also part of file names, so only letters, digits, ``-`` and ``_``."""
    narration: str = ""
    subtitle: str = ""
    """The narration in the brief's subtitle language (bilingual projects only): what the
    Indonesian subtitle line says while this scene's regional narration is spoken."""
    image_prompt: str = ""
    on_screen_text: str = ""
    motion: Motion = "auto"
    transition: Transition = "crossfade"
    """How this scene enters (from the previous scene or the title card)."""
    image: ImageAsset | None = None
    voice: VoiceAsset | None = None
    image_seed: int | None = None
    """Seed for this scene's image; None derives one from the project seed and the id."""
    needs_review: list[str] = Field(default_factory=list)
    """Claims the AI added that the creator should verify before export."""
    source: Literal["template", "ai", "human"] = "human"
    """Who wrote the current text: the no-AI template, an AI model, or the creator."""
    edited: bool = False
    """True once the creator changed the text after it was generated."""


class Cue(Model):
    """One subtitle cue; ``start``/``end`` on the video timeline (seconds)."""

    start: float
    end: float
    text: str
    scene_id: str | None = None
    words: list[WordTiming] = Field(default_factory=list)
    """Words with timeline times (for word-by-word highlight styles)."""
    translation: str = ""
    """Bilingual projects: the subtitle-language line shown for the same span as ``text``
    (which is what the narrator says)."""

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: float, info) -> float:  # noqa: ANN001 - pydantic hook
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError("a cue must end after it starts")
        return end


class Subtitles(Model):
    """Step 5: cues on the video timeline, and how they are drawn."""

    cues: list[Cue] = Field(default_factory=list)
    style: str = "lower_third"
    source: Literal["none", "script+tts", "script+whisper", "whisper", "imported", "edited"] = "none"
    engine: str = ""
    model: str = ""
    burn_in: bool = True
    lines: Literal["both", "translation"] = "both"
    """Bilingual projects: captions show both lines (the narration's language small above, the
    subtitle language below) or the subtitle language only."""
    inputs_hash: str = ""


class Music(Model):
    """Step 6: the background bed under the voice."""

    source: Literal["generated", "imported", "none"] = "generated"
    path: str | None = None
    licence: str = ""
    level_db: float = -20.0
    """Bed level relative to full scale before ducking; the mix is normalised after."""
    duck_db: float = -10.0
    """Extra attenuation while the voice speaks."""
    seed: int = 7
    scale: Literal["slendro", "pelog"] = "slendro"
    tempo_bpm: float = 72.0
    inputs_hash: str = ""
    declared: Origin | None = None
    """Imported music: the creator's declaration (made with an AI tool elsewhere, or own work)."""


class VoiceChoice(Model):
    """The narration voice for the whole project (a creative choice, so it is stored here)."""

    engine: str = ""
    """Registry key; empty means the machine's settings decide."""
    voice: str = "id"
    rate_wpm: int = 150
    """Requested speaking rate in words per minute."""
    pitch: int = 50
    """0..100, espeak's scale; other engines map it."""


class ImageChoice(Model):
    """How scene images are made for the whole project."""

    engine: str = ""
    """Registry key; empty means the machine's settings decide."""
    style: str = "photo"
    negative_prompt: str = ""
    steps: int = 1
    guidance: float = 0.0
    seed: int = 1234
    """Base seed; each scene derives its own from it and its index."""
    upscale: bool = False
    """Enlarge each generated picture to the frame size (Lanczos + unsharp mask, no AI) when it is made."""


class RenderSettings(Model):
    """How the video is assembled."""

    width: int = 1080
    height: int = 1920
    fps: int = 30
    transition_seconds: float = 0.5
    scene_padding: float = 0.35
    """Silence before and after each scene's voice, inside the scene."""
    title_seconds: float = 3.0
    end_seconds: float = 4.0
    title_card: bool = True
    end_card: bool = True
    scene_numbers: bool = False
    """Draw an "ADEGAN n" kicker on every scene: a help while drafting, off in exports by default."""
    x264_preset: str = "veryfast"
    crf: int = 21
    audio_bitrate: str = "192k"
    loudness_lufs: float = -14.0
    true_peak_db: float = -1.0


class StepRecord(Model):
    """When a step last finished and from which inputs."""

    inputs_hash: str = ""
    finished: str = ""
    outputs: list[str] = Field(default_factory=list)


class ExportRecord(Model):
    """The last export bundle."""

    folder: str
    video: str
    finished: str = Field(default_factory=now_iso)
    inputs_hash: str = ""
    passed: bool = False


class Project(Model):
    """The whole document stored as project.json."""

    format: Literal["studio.project"] = FORMAT_ID
    schema_version: int = SCHEMA_VERSION
    app_version: str = ""
    id: str = Field(default_factory=lambda: new_id("prj"))
    created: str = Field(default_factory=now_iso)
    modified: str = Field(default_factory=now_iso)
    preset: str = "ai-local-content-2025"
    brief: Brief = Field(default_factory=Brief)
    scenes: list[Scene] = Field(default_factory=list)
    voice: VoiceChoice = Field(default_factory=VoiceChoice)
    images: ImageChoice = Field(default_factory=ImageChoice)
    subtitles: Subtitles = Field(default_factory=Subtitles)
    music: Music = Field(default_factory=Music)
    render: RenderSettings = Field(default_factory=RenderSettings)
    steps: dict[str, StepRecord] = Field(default_factory=dict)
    last_export: ExportRecord | None = None
    script_declared: Origin | None = None
    """An imported script (``pipeline.imports``): where the creator says it came from.
    None for a script the app wrote or the creator typed here."""

    def scene(self, scene_id: str) -> Scene:
        """The scene with this id (KeyError if there is none)."""
        for scene in self.scenes:
            if scene.id == scene_id:
                return scene
        raise KeyError(scene_id)

    def scene_index(self, scene_id: str) -> int:
        for i, scene in enumerate(self.scenes):
            if scene.id == scene_id:
                return i
        raise KeyError(scene_id)
