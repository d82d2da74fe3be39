"""Converting a downloaded Hugging Face chat model on this computer, for the fast local script engine.

The catalogue's fast script models (``layout`` ``onnx-genai-chat`` or ``openvino-chat``)
name the Hugging Face model they are made from (``ModelSpec.base``). ``convert`` finds
that model with the manager (the app's model folder, the folder chosen in Settings, the
Hugging Face caches) or takes the folder given, runs the runtime's own converter
(``engines.llm.convert_ort`` for ONNX Runtime GenAI, ``engines.llm.convert`` for
OpenVINO) with progress and cancel, writes the manifest (every file's size and SHA-256,
last) and adopts the folder into the settings. A cancel or a failure leaves no folder
behind: the converters write into ``<folder>.partial`` and remove it, and a cancel while
the checksums are recorded removes the finished folder too.

Used by ``studio models convert ID`` (``cli_models``) and the model window's
"Konversi di komputer ini" button. Nothing here imports torch or the runtimes at import time.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from studio.core.errors import EngineUnavailable, UsageError
from studio.core.hashing import file_sha256
from studio.core.jobs import JobContext
from studio.engines.llm.convert_ort import convert_to_onnx, fitting_block
from studio.engines.models.catalog import MANIFEST, ModelSpec, catalog
from studio.engines.models.folders import folder_problems, snapshot_of
from studio.engines.models.manager import app_folder, locate, write_manifest

CONVERTIBLE = {"onnx-genai-chat": "ONNX Runtime GenAI", "openvino-chat": "OpenVINO"}
"""Layouts made on this computer, and the runtime whose converter makes each."""

def can_convert(spec: ModelSpec) -> bool:
    """True for a catalogue model this computer can make from a downloaded Hugging Face model."""
    return spec.layout in CONVERTIBLE and bool(spec.base) and spec.base in catalog()


def base_spec(spec: ModelSpec) -> ModelSpec:
    """The Hugging Face model ``spec`` is converted from.

    Raises:
        UsageError: ``spec`` is not made by conversion.
    """
    if not can_convert(spec):
        convertible = ", ".join(s.id for s in catalog().values() if can_convert(s))
        raise UsageError(
            f"{spec.id} cannot be converted on this computer; these can: {convertible}.",
            f"{spec.id} tidak bisa dikonversi di komputer ini; yang bisa: {convertible}.")
    return catalog()[spec.base]


def find_base(spec: ModelSpec, settings: Any = None) -> Path:
    """The folder of the whole Hugging Face model ``spec`` is converted from, found by the manager.

    Raises:
        EngineUnavailable: It is not on this computer (the sentence says how to get it).
    """
    base = base_spec(spec)
    for location in locate(base, settings):
        if location.ok:
            return location.path
    raise EngineUnavailable(
        f"{spec.name} is made from {base.name} ({base.repo}), which is not on this computer. Download it first "
        f"with 'studio models download {base.id}', or give its folder with 'studio models convert {spec.id} "
        "--from FOLDER'.",
        f"{spec.name} dibuat dari {base.name} ({base.repo}), yang belum ada di komputer ini. Unduh dulu model itu "
        f"(baris {base.id} di jendela Model AI, atau 'studio models download {base.id}'), atau pilih foldernya.")


def convert(spec: ModelSpec, ctx: JobContext, *, source: str | Path | None = None, settings: Any = None) -> Path:
    """Convert the base model of ``spec`` into its app folder; progress and cancel through ``ctx``.

    ``source`` is the Hugging Face model folder (a ``models--org--name`` cache folder is
    resolved to its snapshot); without it the manager finds the base model. With
    ``settings``, its field for ``spec`` names the new folder afterwards (the caller saves).

    Raises:
        UsageError: ``spec`` is not made by conversion.
        EngineUnavailable: The base model is missing or not a whole chat model, or the converter is not installed.
        EngineFailed: The converter failed (its last words in the details).
        Cancelled: Cancelled; no folder is left behind.
    """
    base = base_spec(spec)
    if source is not None:
        hf = snapshot_of(Path(source).expanduser())
        problems = folder_problems("chat", hf)
        if problems:
            raise EngineUnavailable(
                f"{hf} cannot be converted into {spec.name}: {problems[0]}",
                f"{hf} tidak bisa dikonversi menjadi {spec.name}: {problems[0].text('id')}", problems=list(problems))
    else:
        hf = find_base(spec, settings)
    out = app_folder(spec)
    ctx.check()
    runtime = CONVERTIBLE[spec.layout]
    if spec.layout == "onnx-genai-chat":
        block = fitting_block(hf)
        convert_to_onnx(hf, out, ctx, block_size=block)
        how = f"ONNX Runtime GenAI model builder, int4 blocks of {block}"
    else:
        from studio.engines.llm.convert import convert_to_openvino

        group = fitting_block(hf, 128)
        convert_to_openvino(hf, out, ctx, group_size=None if group == 128 else group)
        how = f"optimum-cli export openvino, int4 groups of {group}"
    try:
        record = _checksums(out, ctx)
        write_manifest(out, spec, record, repo=base.repo,
                       source=f"converted on this computer from {base.id} ({hf}) with the {how}")
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)  # a folder without its manifest would count as broken
        raise
    if settings is not None and spec.setting:
        setattr(settings.models, spec.setting, str(out))
    ctx.progress(1, 1, f"{spec.name} siap ({runtime})")
    return out


def _checksums(folder: Path, ctx: JobContext) -> dict[str, dict[str, Any]]:
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST]
    total = sum(p.stat().st_size for p in files) or 1
    done = 0
    record: dict[str, dict[str, Any]] = {}
    for path in files:
        ctx.check()
        ctx.progress(done, total, "Mencatat checksum model hasil konversi")
        digest = file_sha256(path, check=ctx.check)
        record[path.relative_to(folder).as_posix()] = {"size": path.stat().st_size, "sha256": digest}
        done += path.stat().st_size
    return record
