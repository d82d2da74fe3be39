"""What a loaded project may hold: finite numbers in the ranges the app can honour,
text of sane size, and scene ids that are unique.

A hand-edited project.json can say ``"title_seconds": Infinity``, ``"fps": -30``, a
10 MB title or two scenes with one id. Pydantic accepts all of these (they have the
right types); the render, the status line or the voice step then fail far from the
cause, or silently give one scene the other's narration. ``check_project`` refuses
them on load, with a sentence that names the field, so the window and the command
line (both load through ``core.storage``) say the same thing.

The limits are far above anything a 60–90 s video needs; they stop absurd values, not
creative ones. ``TEXT_LIMITS`` is also what the editors enforce.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from studio.core.errors import ProjectError, ProjectFormatError, UsageError
from studio.core.origin import Origin
from studio.core.project import CLIP_SPEEDS, Project

MAX_SCENES = 1000
MAX_CUES = 10_000
MAX_KEY_FACTS = 100
MAX_TEXT = 100_000
"""Any text field without its own limit below (paths, prompts kept for the record...)."""

TEXT_LIMITS: dict[str, int] = {
    "Brief.title": 300, "Brief.region": 300, "Brief.theme": 2000, "Brief.language": 35,
    "Brief.audience": 2000, "Brief.creator": 300, "Brief.agency": 300, "Brief.notes": 20_000,
    "Brief.key_facts": 1000,
    "Scene.narration": 5000, "Scene.image_prompt": 4000, "Scene.on_screen_text": 1000,
    "Cue.text": 1000, "WordTiming.text": 200,
    "Origin.tool": 200, "Origin.model": 300, "Origin.prompt": 20_000,
}
"""Characters per field (``Brief.key_facts``: per fact). A 90 s video holds about 1 500
characters of narration in all, so 5 000 in one scene is already far too long to speak."""

X264_PRESETS = ("ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower",
                "veryslow")

HOUR = 3600.0
NUMBER_LIMITS: dict[str, tuple[float, float]] = {
    "RenderSettings.width": (16, 7680), "RenderSettings.height": (16, 7680),
    "RenderSettings.fps": (1, 120), "RenderSettings.transition_seconds": (0, 10),
    "RenderSettings.scene_padding": (0, 10), "RenderSettings.title_seconds": (0, 60),
    "RenderSettings.end_seconds": (0, 60), "RenderSettings.crf": (0, 51),
    "RenderSettings.loudness_lufs": (-70, 0), "RenderSettings.true_peak_db": (-20, 0),
    "Music.level_db": (-90, 12), "Music.duck_db": (-90, 0), "Music.tempo_bpm": (20, 300),
    "Music.seed": (0, 2**32 - 1),
    "VoiceChoice.rate_wpm": (30, 600), "VoiceChoice.pitch": (0, 100),
    "ImageChoice.steps": (1, 500), "ImageChoice.guidance": (0, 100), "ImageChoice.seed": (0, 2**63 - 1),
    "Scene.image_seed": (0, 2**63 - 1), "ImageAsset.seed": (0, 2**63 - 1),
    "ImageAsset.width": (0, 100_000), "ImageAsset.height": (0, 100_000),
    "VoiceAsset.duration": (0, HOUR), "VoiceAsset.sample_rate": (0, 768_000),
    "Cue.start": (0, 10 * HOUR), "Cue.end": (0, 10 * HOUR),
    "WordTiming.start": (0, 10 * HOUR), "WordTiming.end": (0, 10 * HOUR),
    "Project.schema_version": (1, 10_000),
    "ClipAsset.start": (0, 10 * HOUR), "ClipAsset.end": (0, 10 * HOUR),
    "ClipAsset.duration": (0, 10 * HOUR), "ClipAsset.focus_x": (0, 1), "ClipAsset.focus_y": (0, 1),
    "ClipAsset.speed": CLIP_SPEEDS, "ClipAsset.width": (0, 100_000), "ClipAsset.height": (0, 100_000),
    "ClipAsset.rotation": (-360, 360), "ClipAsset.fps": (0, 1000),
}
"""Inclusive ranges of the numbers the app can honour; any other number must be finite
and below ``MAX_NUMBER`` in size."""
MAX_NUMBER = 1e9


def _refuse(field: str, en: str, id_: str) -> ProjectFormatError:
    return ProjectFormatError(
        f"project.json: the field '{field}' {en}. Fix it or restore project.json.bak.",
        f"project.json: isian '{field}' {id_}. Perbaiki atau pulihkan project.json.bak.", field=field)


def _fmt(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _check_number(name: str, key: str, value: float) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise _refuse(name, f"is {value!r}, not a finite number", f"bernilai {value!r}, bukan angka terhingga")
    low, high = NUMBER_LIMITS.get(key, (-MAX_NUMBER, MAX_NUMBER))
    if not low <= value <= high:
        raise _refuse(name, f"is {_fmt(value)}, outside the range {_fmt(low)} to {_fmt(high)} this app can use",
                      f"bernilai {_fmt(value)}, di luar rentang {_fmt(low)} sampai {_fmt(high)} yang bisa dipakai")


def _check_text(name: str, key: str, value: str) -> None:
    limit = TEXT_LIMITS.get(key, MAX_TEXT)
    if len(value) > limit:
        raise _refuse(name, f"holds {len(value):,} characters; the limit is {limit:,}",
                      f"berisi {len(value):,} karakter; batasnya {limit:,}")


def _walk(model: BaseModel, prefix: str) -> None:
    cls = type(model).__name__
    for fname in type(model).model_fields:
        value = getattr(model, fname, None)
        name, key = f"{prefix}{fname}", f"{cls}.{fname}"
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (int, float)):
            _check_number(name, key, value)
        elif isinstance(value, str):
            _check_text(name, key, value)
        elif isinstance(value, BaseModel):
            _walk(value, f"{name}.")
        elif isinstance(value, list):
            _check_list(name, key, value)
        elif isinstance(value, dict):
            for k, item in value.items():
                if isinstance(item, BaseModel):
                    _walk(item, f"{name}.{k}.")


def _check_list(name: str, key: str, items: list[Any]) -> None:
    limit = {"Project.scenes": MAX_SCENES, "Subtitles.cues": MAX_CUES, "Brief.key_facts": MAX_KEY_FACTS}.get(key)
    if limit is not None and len(items) > limit:
        raise _refuse(name, f"holds {len(items):,} items; the limit is {limit:,}",
                      f"berisi {len(items):,} butir; batasnya {limit:,}")
    for i, item in enumerate(items):
        if isinstance(item, BaseModel):
            _walk(item, f"{name}.{i}.")
        elif isinstance(item, str):
            _check_text(f"{name}.{i}", key, item)


def _check_scene_ids(project: Project) -> None:
    first: dict[str, int] = {}
    for i, scene in enumerate(project.scenes):
        if scene.id in first:
            j = first[scene.id]
            raise ProjectFormatError(
                f"project.json: scenes {j + 1} and {i + 1} (scenes.{j} and scenes.{i}) both have the id "
                f"'{scene.id}'; every scene needs its own id. Give one of them a new id or restore "
                "project.json.bak.",
                f"project.json: adegan {j + 1} dan {i + 1} (scenes.{j} dan scenes.{i}) memakai id yang sama "
                f"'{scene.id}'; setiap adegan perlu id sendiri. Beri salah satunya id baru atau pulihkan "
                "project.json.bak.", field=f"scenes.{i}.id")
        first[scene.id] = i


def _check_choices(project: Project) -> None:
    preset = project.render.x264_preset
    if preset not in X264_PRESETS:
        raise _refuse("render.x264_preset", f"is {preset!r}; use one of {', '.join(X264_PRESETS)}",
                      f"bernilai {preset!r}; pakai salah satu dari {', '.join(X264_PRESETS)}")
    rate = project.render.audio_bitrate
    digits = rate[:-1] if rate.endswith("k") else ""
    if not digits.isdigit() or not 32 <= int(digits) <= 512:
        raise _refuse("render.audio_bitrate", f"is {rate!r}; use a rate such as 192k (32k to 512k)",
                      f"bernilai {rate!r}; pakai laju seperti 192k (32k sampai 512k)")


def _declarations(project: Project) -> list[tuple[str, Origin | None]]:
    out: list[tuple[str, Origin | None]] = [("script_declared", project.script_declared),
                                            ("music.declared", project.music.declared)]
    for i, scene in enumerate(project.scenes):
        for what in ("image", "clip", "voice"):
            asset = getattr(scene, what)
            out.append((f"scenes.{i}.{what}.declared", getattr(asset, "declared", None)))
    return out


def _check_declarations(project: Project) -> None:
    """An origin declaration must say a tool when it says AI, and none when it says own work."""
    for field, origin in _declarations(project):
        problem = origin.problem() if isinstance(origin, Origin) else None
        if problem is not None:
            raise _refuse(field, problem[0], problem[1])


def _check_clips(project: Project) -> None:
    """A clip's out point comes after its in point, and its in point lies inside the file."""
    for i, scene in enumerate(project.scenes):
        clip = scene.clip
        if clip is None:
            continue
        if clip.end is not None and clip.end <= clip.start:
            raise _refuse(f"scenes.{i}.clip.end", f"is {_fmt(clip.end)}, not after the clip's start "
                          f"{_fmt(clip.start)}", f"bernilai {_fmt(clip.end)}, tidak sesudah awal klip "
                          f"{_fmt(clip.start)}")
        if clip.duration and clip.start >= clip.duration:
            raise _refuse(f"scenes.{i}.clip.start", f"is {_fmt(clip.start)}, past the clip's end "
                          f"({_fmt(clip.duration)} s)", f"bernilai {_fmt(clip.start)}, melewati akhir klip "
                          f"({_fmt(clip.duration)} dtk)")


def check_project(project: Project) -> None:
    """Raise ProjectFormatError naming the first field a loaded project cannot hold."""
    _check_scene_ids(project)
    _walk(project, "")
    _check_declarations(project)
    _check_clips(project)
    for i, cue in enumerate(project.subtitles.cues):
        if cue.end < cue.start:
            raise _refuse(f"subtitles.cues.{i}.end", "is before the cue's start", "sebelum awal isian itu")
    _check_choices(project)


def require_scene_ids(project: Project, scene_ids: Iterable[str] | None) -> None:
    """Raise UsageError naming the ids in ``scene_ids`` that no scene of ``project`` has."""
    if scene_ids is None:
        return
    unknown = set(scene_ids) - {s.id for s in project.scenes}
    if unknown:
        known = ", ".join(s.id for s in project.scenes[:20])
        raise UsageError(f"There is no scene {', '.join(sorted(unknown))} in this project (its scenes: {known}).",
                         f"Tidak ada adegan {', '.join(sorted(unknown))} di proyek ini (adegannya: {known}).")


def check_folder_layout(root: Path, folders: tuple[str, ...], files: tuple[str, ...]) -> None:
    """Raise ProjectError if something stands where the project keeps its own files:
    a file named like a step folder (``render``), or a folder named like one of its files
    (``project.json.bak``, ``ai_log.jsonl``). Steps check this before any work, so the
    work is never done and then lost at the save."""
    for name in folders:
        path = root / name
        if path.exists() and not path.is_dir():
            raise ProjectError(
                f"{path} is a file, but Studio Lokal keeps its {name} folder there. Rename or move "
                "that file, then try again.",
                f"{path} adalah berkas, padahal Studio Lokal menyimpan folder {name} di sana. Ganti nama "
                "atau pindahkan berkas itu, lalu coba lagi.")
    for name in files:
        path = root / name
        if path.is_dir():
            raise ProjectError(
                f"{path} is a folder, but Studio Lokal writes a file of that name. Rename or move "
                "that folder, then try again.",
                f"{path} adalah folder, padahal Studio Lokal menulis berkas dengan nama itu. Ganti nama "
                "atau pindahkan folder itu, lalu coba lagi.")
