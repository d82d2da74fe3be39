"""The AI-usage log: one JSON line per AI (or tool, or human) action, appended, never rewritten.

This is the source of the disclosure: the end card, the MP4 metadata and the
AI-usage report are all built from these records. ``actor`` is honest about what
did the work: ``ai`` for a machine-learning model, ``tool`` for non-AI automation
(template composer, rule-based speech, procedural art or music), ``human`` for the
creator's own edits, photos and recordings, ``declared`` for AI the creator used in
another tool (ChatGPT, Bing Image Creator...) and declared on import (``core.origin``):
AI in the video, but not a call this app made, so it is listed apart from those.

Secrets never land here: parameter names that look like credentials are dropped.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from studio.core.origin import DECLARED_EN, DECLARED_ID
from studio.core.project import now_iso
from studio.core.scrub import scrub_text

LOG_FILE = "ai_log.jsonl"
Actor = Literal["ai", "tool", "human", "declared"]
AI_ACTORS = ("ai", "declared")
"""Actors whose content was made by AI: the app's own models, and tools the creator declared."""

STEP_LABELS_ID = {
    "script": "Naskah",
    "images": "Gambar",
    "voice": "Suara",
    "subtitles": "Subtitle",
    "music": "Musik",
}
STEP_LABELS_EN = {
    "script": "Script",
    "images": "Images",
    "voice": "Voice",
    "subtitles": "Subtitles",
    "music": "Music",
}

_SECRET_WORDS = ("key", "token", "secret", "password", "authorization", "auth", "credential")
_lock = threading.Lock()


class OutputRef(BaseModel):
    model_config = ConfigDict(extra="allow")
    path: str
    sha256: str = ""


class AiRecord(BaseModel):
    """One action on the project's content."""

    model_config = ConfigDict(extra="allow")

    ts: str = Field(default_factory=now_iso)
    step: str
    action: str
    """generate, regenerate, transcribe, edit, replace, import, record, delete..."""
    actor: Actor
    scene_id: str | None = None
    engine: str = ""
    """Registry key such as ``image.diffusers``."""
    tool: str = ""
    """Human-readable tool name such as ``Stable Diffusion (diffusers)``."""
    model: str = ""
    model_revision: str = ""
    licence: str = ""
    prompt: str = ""
    params: dict[str, Any] = Field(default_factory=dict)
    seed: int | None = None
    inputs: dict[str, str] = Field(default_factory=dict)
    """Role → sha256 of what went in (text or file)."""
    outputs: list[OutputRef] = Field(default_factory=list)
    seconds: float = 0.0
    note: str = ""


def scrub(params: dict[str, Any]) -> dict[str, Any]:
    """Drop anything that looks like a credential, recursively."""
    clean: dict[str, Any] = {}
    for name, value in params.items():
        lowered = str(name).lower()
        if any(word in lowered for word in _SECRET_WORDS):
            continue
        if isinstance(value, dict):
            value = scrub(value)
        clean[name] = value
    return clean


def append(root: Path, record: AiRecord) -> AiRecord:
    """Append ``record`` to ``root/ai_log.jsonl`` durably; returns the record written."""
    record = record.model_copy(update={"params": scrub(record.params)})
    line = scrub_text(json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")))
    path = Path(root) / LOG_FILE
    with _lock:
        with open(path, "a+b") as f:
            # A crash or a full disk can leave the last line cut short; start on a fresh
            # line so this record is not glued onto the torn one (and lost with it).
            torn = False
            end = f.seek(0, os.SEEK_END)
            if end:
                f.seek(end - 1)
                torn = f.read(1) != b"\n"
            f.write((("\n" if torn else "") + line + "\n").encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
    return record


def read(root: Path) -> list[AiRecord]:
    """All records, oldest first. A line cut short by a crash is skipped, not fatal."""
    path = Path(root) / LOG_FILE
    if not path.exists():
        return []
    records: list[AiRecord] = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            raw = raw.strip()
            if not raw:
                continue
            try:
                records.append(AiRecord.model_validate(json.loads(raw)))
            except (ValueError, ValidationError):
                continue
    return records


def current_records(records: Iterable[AiRecord], project_scene_ids: Iterable[str] | None = None) -> list[AiRecord]:
    """The records that still describe the content: for each (step, scene) only the
    latest generating action and the human actions after it survive.

    A regenerated image replaces the earlier one, so the report and the end card
    describe what is in the video, while ``read`` keeps the whole history.
    """
    records = list(records)
    keep_scenes = set(project_scene_ids) if project_scene_ids is not None else None
    latest_generation: dict[tuple[str, str | None], int] = {}
    for i, rec in enumerate(records):
        if rec.action in ("generate", "regenerate", "transcribe", "import", "record", "replace"):
            latest_generation[(rec.step, rec.scene_id)] = i
    out: list[AiRecord] = []
    for i, rec in enumerate(records):
        if keep_scenes is not None and rec.scene_id is not None and rec.scene_id not in keep_scenes:
            continue
        start = latest_generation.get((rec.step, rec.scene_id))
        if start is not None and i < start:
            continue
        out.append(rec)
    return out


def steps_with_ai(records: Iterable[AiRecord]) -> set[str]:
    """Steps in which an AI model produced something (here, or in a tool the creator declared)."""
    return {rec.step for rec in records if rec.actor in AI_ACTORS}


def summary(records: Iterable[AiRecord]) -> dict[str, str]:
    """Per step: ``ai``, ``human``, ``both``, ``tool`` (no AI, automated) or ``ai+tool``."""
    by_step: dict[str, set[str]] = {}
    for rec in records:
        by_step.setdefault(rec.step, set()).add(rec.actor)
    out: dict[str, str] = {}
    for step, actors in by_step.items():
        if "declared" in actors:
            actors = (actors - {"declared"}) | {"ai"}
        if "ai" in actors and "human" in actors:
            out[step] = "both"
        elif "ai" in actors:
            out[step] = "ai"
        elif "human" in actors:
            out[step] = "human"
        else:
            out[step] = "tool"
    return out


def ai_tools(records: Iterable[AiRecord], actor: Actor = "ai") -> list[tuple[str, str, list[str]]]:
    """(tool name, model, steps) for every AI tool the app used, in first-use order;
    ``actor="declared"``: the tools the creator declared instead (``declared_tools``)."""
    seen: dict[tuple[str, str], list[str]] = {}
    for rec in records:
        if rec.actor != actor:
            continue
        key = (rec.tool or rec.engine, rec.model)
        steps = seen.setdefault(key, [])
        if rec.step not in steps:
            steps.append(rec.step)
    return [(tool, model, steps) for (tool, model), steps in seen.items()]


def declared_tools(records: Iterable[AiRecord]) -> list[tuple[str, str, list[str]]]:
    """(tool name, model, steps) for every AI tool the creator declared, in first-use order."""
    return ai_tools(records, "declared")


def declared_own_steps(records: Iterable[AiRecord]) -> list[str]:
    """Steps with a piece the creator declared as their own work (``log_declared``)."""
    steps: list[str] = []
    for rec in records:
        if rec.actor == "human" and rec.params.get("declared") == "own" and rec.step not in steps:
            steps.append(rec.step)
    return steps


def tool_label(tool: str, model: str) -> str:
    """``Whisper (faster-whisper), model whisper-base``: the tool, then the model if it adds anything."""
    tool = tool.strip()
    model = model.strip()
    if not model or model.lower() in tool.lower():
        return tool or model
    if not tool:
        return model
    return f"{tool}, model {model}"


def disclosure_text(records: Iterable[AiRecord], language: str = "id") -> str:
    """The AI-disclosure sentence for the end card and the MP4 comment.

    Example: "Dibuat dengan bantuan AI: Subtitle — Whisper (faster-whisper), model
    whisper-base." Steps come first because that is what a viewer asks: what did AI do?
    """
    records = list(records)
    labels = STEP_LABELS_ID if language == "id" else STEP_LABELS_EN
    by_step: dict[str, list[str]] = {}
    declared = DECLARED_ID if language == "id" else DECLARED_EN
    for found, suffix in ((ai_tools(records), ""), (declared_tools(records), f" ({declared})")):
        for tool, model, steps in found:
            for step in steps:
                names = by_step.setdefault(step, [])
                label = tool_label(tool, model) + suffix
                if label not in names:
                    names.append(label)
    if not by_step:
        return "Tanpa bantuan AI." if language == "id" else "Made without AI assistance."
    order = list(STEP_LABELS_EN)
    steps = sorted(by_step, key=lambda s: order.index(s) if s in order else len(order))
    parts = [f"{labels.get(step, step)} — {' + '.join(by_step[step])}" for step in steps]
    head = "Dibuat dengan bantuan AI: " if language == "id" else "Made with AI assistance: "
    return head + "; ".join(parts) + "."
