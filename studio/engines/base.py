"""What every engine looks like: a Protocol per kind, frozen requests and results.

Every engine has ``info`` (what it is, whether it is AI), ``from_settings(settings)``
(how the registry builds it), ``preflight()`` (cheap, never downloads, returns what is
missing in words a creator can act on; an empty list means ready), ``load(ctx)`` and
``unload()`` (taking and giving back a model's memory; nothing for engines that hold
none), and one method that does the work with a ``JobContext``. ``EngineBase`` gives
the defaults, so callers never probe for a method. Results carry a ``Provenance`` with
what the AI log needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from studio.core.errors import Problem
from studio.core.jobs import JobContext
from studio.core.project import WordTiming

Kind = Literal["script", "image", "voice", "transcribe", "music"]


@dataclass(frozen=True)
class EngineInfo:
    """What an engine is, for the settings page and the AI log."""

    key: str
    """Registry key, ``kind.name``."""
    kind: Kind
    name: str
    """Human-readable tool name (``espeak-ng``, ``Stable Diffusion (diffusers)``)."""
    is_ai: bool
    """True for machine-learning models; False for rule-based or procedural tools."""
    licence: str = ""
    description_id: str = ""
    description_en: str = ""
    online: bool = False
    """True if it talks to a server over the network."""


@dataclass(frozen=True)
class Provenance:
    """How a result was made; becomes one AI-log record."""

    engine: str
    tool: str
    is_ai: bool
    model: str = ""
    model_revision: str = ""
    licence: str = ""
    prompt: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    seed: int | None = None
    seconds: float = 0.0
    note: str = ""


class Engine(Protocol):
    """What every engine has (``EngineBase`` gives the defaults)."""

    info: EngineInfo

    @classmethod
    def from_settings(cls, settings: Any) -> Any:
        """The engine as this machine's settings configure it."""
        ...

    def preflight(self) -> list[Problem]:
        """What is missing for this engine to run, in words; ``[]`` when ready."""
        ...

    def load(self, ctx: JobContext | None = None) -> Any:
        """Take the model into memory (once); cancellable through ``ctx``."""
        ...

    def unload(self) -> None:
        """Give the model's memory back (the next call loads it again)."""
        ...


class EngineBase:
    """The defaults of an engine that needs no settings and holds no model in memory."""

    info: EngineInfo

    @classmethod
    def from_settings(cls, settings: Any = None) -> Any:
        return cls()

    def preflight(self) -> list[Problem]:
        return []

    def load(self, ctx: JobContext | None = None) -> Any:
        return None

    def unload(self) -> None:
        return None

    def _raise_unless_ready(self) -> None:
        """The opening of every ``load()``: EngineUnavailable with the first problem, in both languages."""
        from studio.core.errors import EngineUnavailable

        problems = self.preflight()
        if problems:
            first = problems[0]
            raise EngineUnavailable(str(first), first.text("id") if isinstance(first, Problem) else str(first),
                                    problems=problems)


# ------------------------------------------------------------------ script


@dataclass(frozen=True)
class ScriptRequest:
    """Everything a script engine needs, already resolved from the project."""

    title: str
    region: str
    theme: str
    """Theme id or free text."""
    language: str = "id"
    subtitle_language: str = ""
    """Set when the subtitles are in another language than the narration: each scene then
    carries its narration rendered in this language too (``DraftScene.subtitle``)."""
    audience: str = ""
    key_facts: tuple[str, ...] = ()
    creator: str = ""
    agency: str = ""
    notes: str = ""
    target_seconds: float = 75.0
    min_seconds: float = 60.0
    max_seconds: float = 90.0
    words_per_minute: float = 140.0
    """Measured speaking rate of the chosen voice; sets the word budget."""
    min_scenes: int = 6
    max_scenes: int = 10
    theme_preset: Any = None
    """A ``core.presets.Theme`` when the theme matched one, else None."""
    image_style: str = "photo"

    @property
    def word_budget(self) -> int:
        return int(round(self.target_seconds * self.words_per_minute / 60.0))


@dataclass(frozen=True)
class DraftScene:
    narration: str
    image_prompt: str
    on_screen_text: str = ""
    needs_review: tuple[str, ...] = ()
    subtitle: str = ""
    """Bilingual scripts: the narration in the subtitle language (see ``ScriptRequest.subtitle_language``)."""


@dataclass(frozen=True)
class ScriptResult:
    scenes: tuple[DraftScene, ...]
    provenance: Provenance
    raw: str = ""
    """The model's raw answer, kept for the log/report (may be empty)."""


@runtime_checkable
class ScriptEngine(Engine, Protocol):
    def write(self, request: ScriptRequest, ctx: JobContext) -> ScriptResult: ...


# ------------------------------------------------------------------ image


@dataclass(frozen=True)
class ImageRequest:
    prompt: str
    width: int
    height: int
    seed: int
    negative_prompt: str = ""
    steps: int = 1
    guidance: float = 0.0
    style: str = "photo"
    title: str = ""
    """Short caption of the scene, for engines that draw text (placeholder art)."""
    index: int = 0
    """Scene number (0-based), for variety in procedural art."""


@dataclass(frozen=True)
class ImageResult:
    path: Path
    width: int
    height: int
    provenance: Provenance
    safety_flagged: bool | None = None
    """The model's safety checker verdict, or None when it has none."""


@runtime_checkable
class ImageEngine(Engine, Protocol):
    def generate(self, request: ImageRequest, out_path: Path, ctx: JobContext) -> ImageResult:
        """Write a PNG to ``out_path`` (the caller makes it atomic)."""
        ...


# ------------------------------------------------------------------ voice


@dataclass(frozen=True)
class VoiceRequest:
    text: str
    language: str = "id"
    voice: str = "id"
    rate_wpm: int = 150
    pitch: int = 50


@dataclass(frozen=True)
class VoiceResult:
    path: Path
    duration: float
    sample_rate: int
    words: tuple[WordTiming, ...]
    """Word timings relative to the file start (empty if the engine has none)."""
    provenance: Provenance


@runtime_checkable
class VoiceEngine(Engine, Protocol):
    def synthesize(self, request: VoiceRequest, out_path: Path, ctx: JobContext) -> VoiceResult:
        """Write a WAV to ``out_path`` (the caller makes it atomic)."""
        ...


# ------------------------------------------------------------------ transcribe


@dataclass(frozen=True)
class TranscribeRequest:
    audio_path: Path
    language: str
    """Always set: auto-detection fails on synthetic and regional speech."""
    word_timestamps: bool = True
    initial_prompt: str = ""


@dataclass(frozen=True)
class TranscriptSegment:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Transcript:
    language: str
    duration: float
    segments: tuple[TranscriptSegment, ...]
    words: tuple[WordTiming, ...]
    provenance: Provenance

    @property
    def text(self) -> str:
        return " ".join(s.text.strip() for s in self.segments).strip()


@runtime_checkable
class TranscribeEngine(Engine, Protocol):
    def transcribe(self, request: TranscribeRequest, ctx: JobContext) -> Transcript: ...


# ------------------------------------------------------------------ music


@dataclass(frozen=True)
class MusicRequest:
    seconds: float
    """At least this long; the engine may round up to whole loops."""
    seed: int = 1
    scale: str = "slendro"
    tempo_bpm: float = 72.0


@dataclass(frozen=True)
class MusicResult:
    path: Path
    seconds: float
    sample_rate: int
    loop_seconds: float
    """Length of one loop (a gongan); the file is a whole number of them and loops seamlessly."""
    provenance: Provenance


@runtime_checkable
class MusicEngine(Engine, Protocol):
    version: str
    """Changes when the same request would sound different (part of the bed's inputs hash)."""

    def loop_seconds(self, tempo_bpm: float) -> float:
        """Length of one loop at ``tempo_bpm``."""
        ...

    def generate(self, request: MusicRequest, out_path: Path, ctx: JobContext) -> MusicResult:
        """Write a WAV to ``out_path`` (the caller makes it atomic)."""
        ...
