"""Turn an engine's Provenance, a creator's action or a creator's declaration into an AI-log
record, with file hashes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from studio.core import ailog
from studio.core.hashing import file_sha256
from studio.core.origin import DECLARED_EN, OWN_WORK_EN, OWN_WORK_ID, Origin
from studio.core.storage import relative_to_root
from studio.engines.base import Provenance


def log_result(root: Path, step: str, action: str, provenance: Provenance, *,
               scene_id: str | None = None, inputs: Mapping[str, str] | None = None,
               outputs: Iterable[Path] = (), note: str = "") -> ailog.AiRecord:
    """Append one record for an engine call that produced ``outputs`` (absolute paths)."""
    refs = [ailog.OutputRef(path=relative_to_root(root, p), sha256=file_sha256(p)) for p in outputs]
    record = ailog.AiRecord(
        step=step, action=action, actor="ai" if provenance.is_ai else "tool",
        scene_id=scene_id, engine=provenance.engine, tool=provenance.tool,
        model=provenance.model, model_revision=provenance.model_revision,
        licence=provenance.licence, prompt=provenance.prompt, params=dict(provenance.params),
        seed=provenance.seed, inputs=dict(inputs or {}), outputs=refs,
        seconds=round(provenance.seconds, 3), note=note or provenance.note)
    return ailog.append(root, record)


def log_human(root: Path, step: str, action: str, *, scene_id: str | None = None,
              note: str = "", outputs: Iterable[Path] = (), inputs: Mapping[str, str] | None = None
              ) -> ailog.AiRecord:
    """Append a record of something the creator did (edit, replace, record, import)."""
    refs = [ailog.OutputRef(path=relative_to_root(root, p), sha256=file_sha256(p)) for p in outputs]
    record = ailog.AiRecord(step=step, action=action, actor="human", scene_id=scene_id,
                            tool="Kreator", inputs=dict(inputs or {}), outputs=refs, note=note)
    return ailog.append(root, record)


def log_declared(root: Path, step: str, action: str, origin: Origin | None, *, scene_id: str | None = None,
                 what: str = "", outputs: Iterable[Path] = (), inputs: Mapping[str, str] | None = None,
                 note: str = "") -> ailog.AiRecord:
    """Append the record of an imported piece with the creator's declaration of where it came from.

    ``origin`` made with AI: actor ``declared`` (AI, but not a call this app made), with the
    tool, model and prompt the creator gave. Own work: actor ``human``, labelled so. None: the
    creator declared nothing, recorded as their import (``log_human``) as before. ``what``
    names the piece in the note (``script.docx``); with a declaration, ``note`` is added after
    the declaration's own sentence.
    """
    if origin is None:
        return log_human(root, step, action, scene_id=scene_id, note=note, outputs=outputs, inputs=inputs)
    refs = [ailog.OutputRef(path=relative_to_root(root, p), sha256=file_sha256(p)) for p in outputs]
    piece = f" ({what})" if what else ""
    extra = f" {note}" if note else ""
    if origin.is_ai:
        record = ailog.AiRecord(
            step=step, action=action, actor="declared", scene_id=scene_id, tool=origin.tool,
            model=origin.model, prompt=origin.prompt, params={"declared": "ai"}, inputs=dict(inputs or {}),
            outputs=refs, note=f"Made with {origin.tool} outside Studio Lokal{piece}; {DECLARED_EN}." + extra)
    else:
        record = ailog.AiRecord(
            step=step, action=action, actor="human", scene_id=scene_id, tool="Kreator",
            params={"declared": "own"}, inputs=dict(inputs or {}), outputs=refs,
            note=f"{OWN_WORK_EN}{piece}, {DECLARED_EN} ({OWN_WORK_ID})." + extra)
    return ailog.append(root, record)
