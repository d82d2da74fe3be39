"""Competition/platform presets and local-culture theme presets, as TOML data.

Built-ins live in ``presets/competitions/*.toml`` and ``presets/themes/*.toml``;
files of the same id in the user's preset folder override them. A preset describes
the *video* (rules, format); it never holds file paths or secrets.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from studio.core import paths
from studio.core.errors import PresetError

PRESET_FORMAT = "studio.preset"

DEFAULT_PRESET = "ai-local-content-2025"
"""The contest the app is made for: new projects, the demo and ``studio check`` use it unless told
otherwise."""


class _Strict(BaseModel):
    # Presets are written by trainers by hand: a typo must be an error, not ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class VideoRules(_Strict):
    width: int = 1080
    height: int = 1920
    fps: int = 30
    """The fps the app renders at."""
    fps_min: float = 24.0
    fps_max: float = 60.0
    aspects: list[str] = Field(default_factory=lambda: ["9:16"])
    """Accepted aspect ratios; the first is the recommended one."""
    min_height: int = 720
    """The shorter side must be at least this many pixels."""
    container: str = "mp4"
    """The file format as probed (``mp4``; QuickTime ``mov`` is a different brand)."""
    codec: str = "h264"
    profiles: list[str] = Field(default_factory=lambda: ["Constrained Baseline", "Baseline", "Main", "High"])
    """Accepted profiles of ``codec`` (checked when the file has that codec; ``[]`` accepts
    any). The default lists the H.264 profiles phone and laptop decoders play (High 10,
    4:2:2 and 4:4:4 are not among them)."""
    pix_fmt: str = "yuv420p"
    audio_codec: str = "aac"
    audio_required: bool = True
    sample_rate: int = 48000
    max_size_mb: float = 500.0
    faststart: bool = True

    @model_validator(mode="after")
    def _ranges(self) -> "VideoRules":
        if self.fps_min > self.fps_max:
            raise ValueError(f"fps_min ({self.fps_min:g}) is above fps_max ({self.fps_max:g})")
        for aspect in self.aspects:
            w, _, h = aspect.partition(":")
            if not (w.strip().replace(".", "", 1).isdigit() and h.strip().replace(".", "", 1).isdigit()
                    and float(h) > 0 and float(w) > 0):
                raise ValueError(f"aspect '{aspect}' is not written as width:height, e.g. 9:16")
        return self


class DurationRules(_Strict):
    min: float = 0.0
    max: float = 600.0
    target: float | None = None
    """What the script aims for; defaults to the middle of the range."""

    @model_validator(mode="after")
    def _ranges(self) -> "DurationRules":
        if self.min > self.max:
            raise ValueError(f"min ({self.min:g}) is above max ({self.max:g})")
        return self

    @property
    def aim(self) -> float:
        if self.target is not None:
            return self.target
        return (self.min + self.max) / 2 if self.max < 600 else max(self.min, 60.0)


class LoudnessRules(_Strict):
    integrated: float = -14.0
    tolerance: float = 1.0
    true_peak_max: float = -1.0


class RequiredElements(_Strict):
    title_card: bool = False
    """A title card with title, region, creator and agency."""
    ai_disclosure: bool = False
    """An end card that says which AI tools were used."""
    burned_subtitles: bool = False
    theme_metadata: bool = False
    """Title, theme and region filled in the brief and written to the file's metadata."""


AiStep = Literal["script", "images", "voice", "subtitles", "music"]


class AiRules(_Strict):
    required: bool = False
    mode: Literal["any", "all"] = "any"
    """``any``: at least one listed step must use AI; ``all``: every listed step."""
    steps: list[AiStep] = Field(default_factory=lambda: ["script", "images", "voice", "subtitles"])
    """Step names are checked, so a typo (``image`` for ``images``) is an error, not a rule
    that can never pass."""
    subtitles_alone: bool = True
    """Whether subtitles made by AI speech recognition (Whisper) are, on their own, enough AI
    use for ``mode = "any"``. ``false``: the script, images or voice must use AI too."""


class CardStyle(_Strict):
    """How the title and end cards look, so an organiser's entries share a visual identity."""

    accent: str = Field(default="#F5C452", pattern=r"^#[0-9A-Fa-f]{6}$")
    """Colour of the region line, the bar under it, the AI panel's outline and the scene chips
    (``#RRGGBB``)."""
    card_background: Literal["image", "gradient"] = "image"
    """``image``: the first (title) or last (end) scene picture, blurred and darkened;
    ``gradient``: a calm dark gradient (for contests that want plain cards)."""

    @property
    def accent_rgb(self) -> tuple[int, int, int]:
        value = self.accent.lstrip("#")
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


class Preset(_Strict):
    """A competition or platform preset."""

    format: Literal["studio.preset"] = PRESET_FORMAT
    version: int = 1
    id: str
    name: str
    name_en: str = ""
    description: str = ""
    language: str = ""
    """Language the narration and subtitles must be in (``id``, ``jv``, ``en``...); empty
    means any language."""
    regional_narration: bool | None = None
    """Narration in a regional language of Indonesia with subtitles in ``language``: True
    accepts it, False blocks it, None (the rules do not say) warns the creator to ask."""
    video: VideoRules = Field(default_factory=VideoRules)
    duration: DurationRules = Field(default_factory=DurationRules)
    loudness: LoudnessRules = Field(default_factory=LoudnessRules)
    required: RequiredElements = Field(default_factory=RequiredElements)
    ai: AiRules = Field(default_factory=AiRules)
    style: CardStyle = Field(default_factory=CardStyle)
    source_path: str = Field(default="", exclude=True)


class Theme(_Strict):
    """A local-culture theme: what to tell, in what order, and what to ask the creator."""

    format: Literal["studio.theme"] = "studio.theme"
    version: int = 1
    id: str
    name: str
    name_en: str = ""
    region_hint: str = ""
    summary: str = ""
    structure: list[str] = Field(default_factory=lambda: ["hook", "context", "meaning", "today", "closing"])
    guidance: str = ""
    part_guidance: dict[str, str] = Field(default_factory=dict)
    """Per structure part, what that part of the script does for this theme (for the language model)."""
    respect: str = ""
    ask_creator: list[str] = Field(default_factory=list)
    visual_style: str = ""
    sentences: dict[str, list[str]] = Field(default_factory=dict)
    """Template sentences per structure part for the offline composer; placeholders
    ``{title} {region} {theme} {fact}`` are filled from the brief."""
    image_prompts: dict[str, list[str]] = Field(default_factory=dict)
    source_path: str = Field(default="", exclude=True)


def _load_dir(folder: Path, model: type[BaseModel]) -> dict[str, BaseModel]:
    found: dict[str, BaseModel] = {}
    if not folder.is_dir():
        return found
    for file in sorted(folder.glob("*.toml")):
        item = load_file(file, model)
        found[item.id] = item  # type: ignore[attr-defined]
    return found


def load_file(file: Path, model: type[BaseModel]) -> BaseModel:
    """Parse one TOML preset file; errors name the file and the field."""
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise PresetError(f"The preset file {file.name} is not valid TOML: {exc}.",
                          f"Berkas preset {file.name} bukan TOML yang sah: {exc}.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise PresetError(f"The preset file {file.name} cannot be read: {exc}.",
                          f"Berkas preset {file.name} tidak bisa dibaca: {exc}.") from exc
    try:
        return model.model_validate({**data, "source_path": str(file)})
    except ValidationError as exc:
        err = exc.errors()[0]
        name = ".".join(str(p) for p in err.get("loc", ()))
        raise PresetError(f"The preset file {file.name}: field '{name}' is not valid: {err.get('msg')}.",
                          f"Berkas preset {file.name}: isian '{name}' tidak sah: {err.get('msg')}.",
                          details=str(exc)) from exc


def competition_presets() -> dict[str, Preset]:
    """All competition/platform presets by id (user files override built-ins)."""
    found = _load_dir(paths.presets_dir() / "competitions", Preset)
    found.update(_load_dir(paths.user_presets_dir() / "competitions", Preset))
    return found  # type: ignore[return-value]


def get_preset(preset_id: str) -> Preset:
    """The preset with this id, or a PresetError listing the ids there are."""
    presets = competition_presets()
    if preset_id not in presets:
        known = ", ".join(sorted(presets))
        raise PresetError(f"There is no preset called '{preset_id}'; choose one of: {known}.",
                          f"Tidak ada preset bernama '{preset_id}'; pilih salah satu: {known}.")
    return presets[preset_id]


def themes() -> dict[str, Theme]:
    """All theme presets by id (user files override built-ins)."""
    found = _load_dir(paths.presets_dir() / "themes", Theme)
    found.update(_load_dir(paths.user_presets_dir() / "themes", Theme))
    return found  # type: ignore[return-value]


def find_theme(theme: str) -> Theme | None:
    """The theme preset matching an id or name (case-insensitive), or None for free text."""
    key = theme.strip().lower()
    if not key:
        return None
    all_themes = themes()
    if key in all_themes:
        return all_themes[key]
    for item in all_themes.values():
        if key in (item.name.lower(), item.name_en.lower()):
            return item
    return None
