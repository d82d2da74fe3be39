"""The JSON Schema of the AI-usage report (``studio.ai-report/1``).

This module owns the machine-readable contract of ``laporan-ai.json``; the prose
explanation of every field is ``assets/docs/ai-report.md`` and a copy of the schema for
people without Python is ``assets/docs/ai-report-1.schema.json`` (a test keeps the three
in step). Additions that old readers can ignore (a new optional field) keep the
version; removing or renaming a field, or changing its meaning, makes it ``/2``.
"""

from __future__ import annotations

from typing import Any

SCHEMA_ID = "studio.ai-report/1"
REPORT_STEPS: tuple[str, ...] = ("script", "images", "voice", "subtitles", "music")

_STR = {"type": "string"}
_STR_OR_NULL = {"type": ["string", "null"]}
_NUM_OR_NULL = {"type": ["number", "null"]}
_SHA256 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
_SHA256_OR_EMPTY = {"type": "string", "pattern": "^([0-9a-f]{64})?$"}

_RECORD = {
    "type": "object",
    "required": ["ts", "step", "action", "actor", "scene_id", "engine", "tool", "model",
                 "model_revision", "licence", "prompt", "params", "seed", "inputs", "outputs",
                 "seconds", "note", "current"],
    "properties": {
        "ts": _STR, "step": _STR, "action": _STR,
        "actor": {"enum": ["ai", "tool", "human", "declared"]},
        "scene_id": _STR_OR_NULL, "scene_index": {"type": ["integer", "null"]},
        "engine": _STR, "tool": _STR, "model": _STR, "model_revision": _STR,
        "licence": _STR, "prompt": _STR, "params": {"type": "object"},
        "seed": {"type": ["integer", "null"]},
        "inputs": {"type": "object", "additionalProperties": _STR},
        "outputs": {"type": "array", "items": {
            "type": "object", "required": ["path", "sha256"],
            "properties": {"path": _STR, "sha256": _SHA256_OR_EMPTY}}},
        "seconds": {"type": "number", "minimum": 0},
        "note": _STR,
        "current": {"type": "boolean"},
    },
}

_FINDING = {
    "type": "object",
    "required": ["rule", "severity", "passed", "measured", "limit", "step", "message_id",
                 "message_en"],
    "properties": {"rule": _STR, "severity": {"enum": ["block", "warn"]},
                   "passed": {"type": "boolean"}, "measured": {"type": ["string", "number"]},
                   "limit": _STR, "step": _STR, "message_id": _STR, "message_en": _STR,
                   "label_id": _STR, "label_en": _STR},
}

_CREDENTIALS = {
    "type": ["object", "null"],
    "required": ["standard", "manifest", "digital_source_type", "signer", "issuer",
                 "validation_state", "ingredients"],
    "properties": {
        "standard": {"const": "C2PA"},
        "manifest": _STR,
        "digital_source_type": _STR,
        "signer": _STR, "issuer": _STR, "algorithm": _STR,
        "validation_state": {"enum": ["Valid", "Trusted"]},
        "ingredients": {"type": "array", "items": {
            "type": "object", "required": ["title", "step", "digital_source_type"],
            "properties": {"title": _STR, "step": _STR, "scene_index": {"type": ["integer", "null"]},
                           "digital_source_type": _STR_OR_NULL, "sha256": _STR}}},
    },
}

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://studio-lokal.invalid/schemas/ai-report-1.json",
    "title": "Studio Lokal AI-usage report",
    "type": "object",
    "required": ["schema", "generated", "app", "project", "brief", "preset", "summary", "tools",
                 "scenes", "records", "checks", "disclosure", "statement", "files"],
    "properties": {
        "schema": {"const": SCHEMA_ID},
        "generated": _STR,
        "app": {"type": "object", "required": ["name", "version"],
                "properties": {"name": _STR, "version": _STR}},
        "project": {"type": "object", "required": ["id", "title", "created", "scene_count", "duration"],
                    "properties": {"id": _STR, "title": _STR, "created": _STR,
                                   "scene_count": {"type": "integer", "minimum": 0},
                                   "duration": _NUM_OR_NULL}},
        "brief": {"type": "object",
                  "required": ["title", "region", "theme", "language", "creator", "agency", "key_facts"],
                  "properties": {"key_facts": {"type": "array", "items": _STR}},
                  "additionalProperties": _STR},
        "preset": {"type": "object", "required": ["id", "name"],
                   "properties": {"id": _STR, "name": _STR, "name_en": _STR}},
        "summary": {"type": "array", "items": {
            "type": "object", "required": ["step", "label", "who", "tools"],
            "properties": {"step": {"enum": list(REPORT_STEPS)}, "label": _STR,
                           "who": {"enum": ["ai", "human", "both", "tool", "tool+human", "none"]},
                           "tools": {"type": "array", "items": _STR}}}},
        "tools": {"type": "array", "items": {
            "type": "object", "required": ["tool", "engine", "model", "version", "licence", "is_ai",
                                           "steps", "uses"],
            "properties": {"tool": _STR, "engine": _STR, "model": _STR, "version": _STR,
                           "licence": _STR, "is_ai": {"type": "boolean"},
                           "declared": {"type": "boolean"},
                           "steps": {"type": "array", "items": _STR},
                           "uses": {"type": "integer", "minimum": 1}}}},
        "scenes": {"type": "array", "items": {
            "type": "object", "required": ["index", "id", "narration", "image_prompt", "image", "voice",
                                           "prompts", "needs_review"],
            "properties": {"index": {"type": "integer", "minimum": 1}, "id": _STR,
                           "narration": _STR, "image_prompt": _STR, "on_screen_text": _STR,
                           "source": {"enum": ["template", "ai", "human"]},
                           "edited": {"type": "boolean"},
                           "draft": {"type": ["object", "null"],
                                     "properties": {"narration": _STR, "image_prompt": _STR},
                                     "additionalProperties": False},
                           "image": {"type": ["object", "null"]}, "voice": {"type": ["object", "null"]},
                           "prompts": {"type": "array", "items": {
                               "type": "object", "required": ["step", "prompt"],
                               "properties": {"step": _STR, "prompt": _STR}}},
                           "needs_review": {"type": "array", "items": _STR}}}},
        "records": {"type": "array", "items": _RECORD},
        "checks": {"type": "object", "required": ["passed", "findings", "media"],
                   "properties": {
                       "passed": {"type": "boolean"},
                       "findings": {"type": "array", "items": _FINDING},
                       "media": {"type": ["object", "null"]}}},
        "disclosure": {"type": "object", "required": ["id", "en"],
                       "properties": {"id": _STR, "en": _STR}},
        "statement": {"type": "object", "required": ["text_id", "fields"],
                      "properties": {"text_id": _STR,
                                     "fields": {"type": "array", "items": _STR, "minItems": 1}}},
        "content_credentials": _CREDENTIALS,
        "files": {"type": "array", "items": {
            "type": "object", "required": ["name", "bytes", "sha256"],
            "properties": {"name": _STR, "bytes": {"type": "integer", "minimum": 0},
                           "sha256": _SHA256}}},
    },
}
