"""The model manager: which models the app knows, where they are, whether they are whole.

Shared by every engine that needs model files (script, image, voice, transcribe).
It lists the known models (``catalog()``: size, licence, what each is for, in
Indonesian and English), finds the ones already on this computer, checks them, and
fetches others **only when the creator asks** (``download``). Three places are looked
at, in this order:

1. the app's model folder (``core.paths.models_dir()``, which ``STUDIO_MODELS_DIR``
   can point at a shared or USB folder), one sub-folder per model with a
   ``studio-model.json`` manifest written last (so a half-copied folder never counts);
2. the folder the creator chose in Settings for that kind of model;
3. the standard Hugging Face cache (``HF_HUB_CACHE``, ``HF_HOME/hub``,
   ``~/.cache/huggingface/hub``, and a ``hub/`` copied into the app's model folder),
   whose ``models--org--name/snapshots/<commit>/`` layout other tools already filled.

A folder the creator points at (a copy from a USB stick) is **referenced, not copied**
by default: models are gigabytes and laptops have small disks. ``use_folder(copy=True)``
copies it into the app folder instead (for a stick that will be unplugged).

Verification checks every file's size and SHA-256 against what is known: the
manifest written at download time (from the hub's published checksums), the pinned
checksums in the catalogue, or, inside a Hugging Face cache, the blob names (an LFS
blob is named by its SHA-256, a small file by its git id).

Nothing here imports torch or talks to the network except ``download``.
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core import paths
from studio.core.errors import EngineUnavailable, Problem, UsageError
from studio.core.hashing import copy_file_sha256, file_sha256
from studio.core.jobs import JobContext
from studio.core.project import now_iso
from studio.core.storage import atomic_write_text
from studio.engines.models.catalog import MANIFEST, MB, ModelSpec, adhoc_spec, catalog
from studio.engines.models.folders import (
    find_in_hf_cache,
    folder_model_id,
    folder_problems,
    looks_like_hub_id,
    read_manifest,
    snapshot_of,
)

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ where models are


@dataclass(frozen=True)
class Location:
    path: Path
    where: str
    """``app`` (the app's model folder), ``settings`` (chosen in Settings) or ``hf-cache``."""
    ok: bool
    detail: Problem


@dataclass(frozen=True)
class ModelStatus:
    spec: ModelSpec
    locations: tuple[Location, ...] = field(default_factory=tuple)

    @property
    def present(self) -> bool:
        return any(loc.ok for loc in self.locations)

    @property
    def best(self) -> Location | None:
        return next((loc for loc in self.locations if loc.ok), None)


def app_folder(spec: ModelSpec) -> Path:
    return paths.models_dir() / spec.folder


def _app_location(spec: ModelSpec) -> Location | None:
    if spec.id == "whisper-base":
        from studio.engines.models import whisper_base as models

        folder = models.whisper_base_dir()
        ready, message = models.whisper_base_status()
        prepared = (folder / MANIFEST).is_file()
        if not ready:
            return None
        where = "app" if prepared else "bundled"
        return Location(folder, where, True, message)
    folder = app_folder(spec)
    if not folder.is_dir():
        return None
    manifest = read_manifest(folder)
    if manifest is None:
        part = any(folder.rglob("*.part"))
        why = "a download was interrupted; run it again to continue" if part else "it was not prepared by the app"
        why_id = "unduhan terhenti; jalankan lagi untuk melanjutkan" if part else "belum disiapkan oleh aplikasi"
        return Location(folder, "app", False, Problem(f"{folder} is incomplete: {why}.",
                                                      f"{folder} belum lengkap: {why_id}."))
    problems = _manifest_size_problems(folder, manifest) + folder_problems(spec.layout, folder)
    if problems:
        return Location(folder, "app", False, problems[0])
    return Location(folder, "app", True, Problem(f"Ready in {folder}.", f"Siap di {folder}."))


def _manifest_size_problems(folder: Path, manifest: dict[str, Any]) -> list[Problem]:
    out = []
    for name, info in (manifest.get("files") or {}).items():
        want = info.get("size") if isinstance(info, dict) else info
        try:
            size = (folder / name).stat().st_size
        except OSError:
            out.append(Problem(f"{folder / name} is missing.", f"{folder / name} tidak ada."))
            continue
        if want is not None and size != int(want):
            out.append(Problem(f"{folder / name} has {size} bytes instead of {want}.",
                               f"{folder / name} berukuran {size} bita, seharusnya {want}."))
    return out


def locate(spec: ModelSpec, settings: Any = None) -> list[Location]:
    """Every place this model is found, whole or not (no hashing, no network)."""
    found: list[Location] = []
    app = _app_location(spec)
    if app is not None:
        found.append(app)
    chosen = str(getattr(getattr(settings, "models", None), spec.setting, "") or "") if spec.setting else ""
    if chosen.strip():
        folder = snapshot_of(Path(chosen).expanduser())
        if folder_model_id(folder).lower() in (spec.repo.lower(), spec.id.lower(), spec.folder.lower()) or \
                (read_manifest(folder) or {}).get("id") == spec.id:
            problems = folder_problems(spec.layout, folder)
            found.append(Location(folder, "settings", not problems,
                                  problems[0] if problems else Problem(f"Chosen in Settings: {folder}.",
                                                                       f"Dipilih di Pengaturan: {folder}.")))
    if spec.repo:
        for snap in find_in_hf_cache(spec.repo):
            if any(loc.path == snap for loc in found):
                continue
            problems = folder_problems(spec.layout, snap)
            found.append(Location(snap, "hf-cache", not problems,
                                  problems[0] if problems else Problem(f"Found in the Hugging Face cache: {snap}.",
                                                                       f"Ditemukan di cache Hugging Face: {snap}.")))
    return found


def statuses(settings: Any = None) -> list[ModelStatus]:
    return [ModelStatus(spec, tuple(locate(spec, settings))) for spec in catalog().values()]


def default_folder(setting: str, settings: Any = None) -> Path | None:
    """The model folder an engine should use for the ``Settings.models`` field ``setting``.

    The folder chosen in Settings when there is one (a cache root resolved to its
    snapshot); otherwise the first whole copy of a catalogue model for that field,
    recommended models first. None when nothing is there (the engine's preflight says
    how to get one). Never downloads.
    """
    chosen = str(getattr(getattr(settings, "models", None), setting, "") or "")
    if chosen.strip():
        return resolve_choice(chosen)
    specs = sorted((s for s in catalog().values() if s.setting == setting), key=lambda s: not s.recommended)
    for spec in specs:
        for loc in locate(spec, None):
            if loc.ok:
                return loc.path
    return None


def resolve_choice(chosen: str) -> Path:
    """A Settings value as a folder: a path (a cache root resolved to its snapshot), or a hub id found locally.

    A Hugging Face id (``stabilityai/sd-turbo``) is looked up in the app's model folder
    and the Hugging Face caches, never fetched; when it is nowhere, the id comes back
    as a path that does not exist, and the engine's preflight says how to download it.
    """
    chosen = chosen.strip()
    if not looks_like_hub_id(chosen):
        return snapshot_of(Path(chosen).expanduser())
    specs = [s for s in catalog().values() if s.repo.lower() == chosen.lower()]
    spec = specs[0] if specs else adhoc_spec(chosen)
    app = _app_location(spec)
    if app is not None and app.ok:
        return app.path
    for snap in find_in_hf_cache(spec.repo):
        return snap
    return Path(chosen)


# ------------------------------------------------------------------ verify


@dataclass(frozen=True)
class VerifyReport:
    folder: Path
    ok: bool
    checked: int
    """Files whose checksum was compared."""
    problems: tuple[Problem, ...] = ()
    unverifiable: int = 0
    """Files present but with no known checksum (their presence was checked)."""


_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_HEX40 = re.compile(r"^[0-9a-f]{40}$")


def expected_checksums(spec: ModelSpec, folder: Path) -> dict[str, dict[str, Any]]:
    """``{relative name: {"size", "sha256" | "git_sha1"}}`` from what is known about this folder."""
    out: dict[str, dict[str, Any]] = {}
    for f in spec.files:
        out[f.name] = {"size": f.size, "sha256": f.sha256}
    manifest = read_manifest(folder) or {}
    for name, info in (manifest.get("files") or {}).items():
        if isinstance(info, dict):
            out[name] = {**out.get(name, {}), **{k: v for k, v in info.items() if v}}
        else:
            out.setdefault(name, {})["size"] = int(info)
    # Inside a Hugging Face cache every file links to a blob named by its checksum.
    for path in sorted(folder.rglob("*")):
        if not path.is_symlink():
            continue
        rel = path.relative_to(folder).as_posix()
        blob = Path(os.readlink(path)).name
        if _HEX64.match(blob):
            out.setdefault(rel, {})["sha256"] = blob
        elif _HEX40.match(blob):
            out.setdefault(rel, {})["git_sha1"] = blob
    return out


def verify_folder(spec: ModelSpec, folder: Path, ctx: JobContext | None = None) -> VerifyReport:
    """Check every file of the model in ``folder``: present, right size, right checksum where known."""
    from studio.core.hashing import file_sha256
    from studio.engines.models.download import git_blob_sha1

    folder = Path(folder)
    if spec.id == "whisper-base" and read_manifest(folder) and isinstance(
            next(iter((read_manifest(folder) or {}).get("files", {}).values()), None), int):
        from studio.engines.models import whisper_base as models

        try:
            models.verify_whisper_base(folder)
        except EngineUnavailable as exc:
            return VerifyReport(folder, False, 1, (Problem(exc.message, exc.message_id),))
        return VerifyReport(folder, True, 1)
    problems: list[Problem] = list(folder_problems(spec.layout, folder))
    expected = expected_checksums(spec, folder)
    total = sum(int(v.get("size") or 0) for v in expected.values()) or 1
    done = 0
    checked = 0

    def bytes_read(n: int) -> None:
        nonlocal done
        done += n
        if ctx is not None:
            ctx.progress(min(done, total), total, f"Memeriksa {spec.name}")

    for name, want in sorted(expected.items()):
        path = folder / name
        if not path.is_file():
            problems.append(Problem(f"{name} is missing from {folder}.", f"{name} tidak ada di {folder}."))
            continue
        size = path.stat().st_size
        if want.get("size") and size != int(want["size"]):
            problems.append(Problem(f"{name} has {size} bytes instead of {want['size']}.",
                                    f"{name} berukuran {size} bita, seharusnya {want['size']}."))
            continue
        if want.get("sha256"):
            checked += 1
            if file_sha256(path, on_bytes=bytes_read, check=ctx.check if ctx is not None else None) != str(want["sha256"]).lower():
                problems.append(Problem(f"{name} is damaged (its SHA-256 checksum does not match).",
                                        f"{name} rusak (checksum SHA-256 tidak cocok)."))
        elif want.get("git_sha1"):
            checked += 1
            if git_blob_sha1(path) != str(want["git_sha1"]).lower():
                problems.append(Problem(f"{name} is damaged (its checksum does not match).",
                                        f"{name} rusak (checksum tidak cocok)."))
    files = [p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST and not p.name.endswith(".part")]
    unverifiable = max(0, len(files) - checked) if not expected else \
        sum(1 for p in files if p.relative_to(folder).as_posix() not in expected)
    return VerifyReport(folder, not problems, checked, tuple(problems), unverifiable)


# ------------------------------------------------------------------ a folder instead of a download


def use_folder(spec: ModelSpec, folder: Path, settings: Any, *, copy: bool = False,
               ctx: JobContext | None = None) -> Path:
    """Point the app at a model folder the creator already has (from a USB stick, another tool).

    The folder is checked first (``folder_problems``). By default it is referenced: the
    Settings field for this model names it (the caller saves the settings). With
    ``copy`` it is copied into the app's model folder (with a manifest holding every
    file's size and SHA-256, written last) and that copy is referenced.

    Raises:
        EngineUnavailable: The folder is not a usable model of this kind (the message says why).
    """
    folder = snapshot_of(Path(folder).expanduser())
    problems = folder_problems(spec.layout, folder)
    if problems:
        raise EngineUnavailable(f"{folder} cannot be used for {spec.name}: {problems[0]}",
                                f"{folder} tidak bisa dipakai untuk {spec.name}: {problems[0].text('id')}",
                                problems=list(problems))
    target = folder
    if copy:
        target = _copy_in(spec, folder, ctx)
    if spec.setting and settings is not None:
        setattr(settings.models, spec.setting, str(target))
    return target


def _copy_in(spec: ModelSpec, src: Path, ctx: JobContext | None) -> Path:
    from studio.engines.models.download import check_space

    dest = app_folder(spec)
    files = [p for p in sorted(src.rglob("*")) if p.is_file() and p.name != MANIFEST]
    total = sum(p.stat().st_size for p in files)
    check_space(dest.parent, total)
    dest.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        (dest / MANIFEST).unlink()
    done = 0
    record: dict[str, dict[str, Any]] = {}
    for path in files:
        rel = path.relative_to(src).as_posix()
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        part = out.with_name(out.name + ".part")

        def copied(n: int) -> None:
            nonlocal done
            done += n
            if ctx is not None:
                ctx.progress(done, total, f"Menyalin {spec.name}")

        digest = copy_file_sha256(path, part, on_bytes=copied, check=ctx.check if ctx is not None else None)
        os.replace(part, out)
        record[rel] = {"size": path.stat().st_size, "sha256": digest}
    write_manifest(dest, spec, record, source=f"copied from {src}")
    return dest


def write_manifest(folder: Path, spec: ModelSpec, files: dict[str, dict[str, Any]], *, source: str,
                   commit: str = "", repo: str | None = None) -> None:
    """The manifest, written last; ``repo`` overrides the spec's (a converted model names its base's)."""
    doc = {"format": "studio.model", "id": spec.id, "name": spec.name, "repo": spec.repo if repo is None else repo,
           "revision": spec.revision, "commit": commit, "licence": spec.licence, "source": source,
           "prepared": now_iso(), "files": files}
    atomic_write_text(folder / MANIFEST, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


# ------------------------------------------------------------------ download (on request only)


def _wanted(name: str, allow: tuple[str, ...]) -> bool:
    return not allow or any(fnmatch.fnmatch(name, pattern) for pattern in allow)


def download(spec: ModelSpec, ctx: JobContext, *, base: str = "", use_hub_library: bool = False,
             timeout: float = 30.0) -> Path:
    """Download ``spec`` into the app's model folder, resumable and verified. Only on the creator's request.

    ``base`` is the hub address (default huggingface.co; a mirror such as
    https://hf-mirror.com, or a trainer's local server with the same layout).
    ``use_hub_library`` fetches with ``huggingface_hub.snapshot_download`` into the
    standard Hugging Face cache instead (where other tools find it too).

    Progress is reported in bytes over all files; a cancel keeps what arrived
    (``.part`` files) and the next call continues from there.
    """
    from studio.engines.models import download as dl

    if spec.id == "whisper-base":
        from studio.engines.models import whisper_base as models

        return models.ensure_whisper_base(ctx)
    if not spec.repo:
        raise UsageError(f"{spec.name} cannot be downloaded; {spec.source}.",
                         f"{spec.name} tidak bisa diunduh; {spec.source}.")
    base = (base or dl.DEFAULT_HUB).rstrip("/")
    if use_hub_library:
        return _download_with_hub(spec, base, ctx)
    ctx.progress(0, 1, f"Membaca daftar berkas {spec.name}")
    listing = dl.list_repo(base, spec.repo, spec.revision, timeout=timeout)
    files = [f for f in listing.files if _wanted(f.name, spec.allow)]
    if not files:
        raise EngineUnavailable(f"{spec.repo} has none of the files {spec.name} needs.",
                                f"{spec.repo} tidak punya berkas yang dibutuhkan {spec.name}.")
    dest = app_folder(spec)
    total = sum(f.size for f in files)
    already = sum((dest / (f.name + ".part")).stat().st_size if (dest / (f.name + ".part")).exists() else
                  (f.size if (dest / f.name).is_file() and (dest / f.name).stat().st_size == f.size else 0)
                  for f in files)
    dl.check_space(dest.parent, total - already)
    dest.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        (dest / MANIFEST).unlink()  # a manifest must never vouch for files being replaced
    done = 0
    last = [0.0]

    def on_bytes(n: int) -> None:
        nonlocal done
        done += n
        now = time.monotonic()
        if now - last[0] > 0.2 or done >= total:
            last[0] = now
            ctx.progress(min(done, total), total,
                         f"Mengunduh {spec.name}: {done / MB:,.0f} dari {total / MB:,.0f} MB".replace(",", "."))

    record: dict[str, dict[str, Any]] = {}
    for f in files:
        target = dest / f.name
        if target.is_file() and target.stat().st_size == f.size and f.sha256:
            # Finished in an earlier run; checked again below by its checksum.
            digest = file_sha256(target, check=ctx.check)
            if digest == f.sha256:
                on_bytes(f.size)
                record[f.name] = {"size": f.size, "sha256": digest}
                continue
        digest = dl.download_file(dl.file_url(base, spec.repo, listing.commit, f.name), target, f, ctx=ctx,
                                  on_bytes=on_bytes, timeout=timeout)
        record[f.name] = {"size": target.stat().st_size, "sha256": digest}
    problems = folder_problems(spec.layout, dest)
    if problems:
        raise EngineUnavailable(f"The download of {spec.name} is not a usable model: {problems[0]}",
                                f"Unduhan {spec.name} bukan model yang bisa dipakai: {problems[0].text('id')}",
                                problems=list(problems))
    write_manifest(dest, spec, record, source=base, commit=listing.commit)
    ctx.progress(total, total, f"{spec.name} siap")
    return dest


def _download_with_hub(spec: ModelSpec, base: str, ctx: JobContext) -> Path:
    """Fetch with huggingface_hub into the standard cache (its own resume and checksums)."""
    try:
        import huggingface_hub
    except ImportError as exc:
        raise EngineUnavailable("The Python package huggingface_hub is not installed.",
                                "Paket Python huggingface_hub belum terpasang.") from exc
    ctx.progress(0, 1, f"Mengunduh {spec.name} lewat huggingface_hub")
    ctx.check()
    try:
        folder = huggingface_hub.snapshot_download(
            repo_id=spec.repo, revision=spec.revision, allow_patterns=list(spec.allow) or None,
            endpoint=base)
    except Exception as exc:
        raise EngineUnavailable(
            f"huggingface_hub could not download {spec.repo} ({exc.__class__.__name__}). Check the internet "
            "connection, or download without --hub (resumable) or copy the folder from a USB stick.",
            f"huggingface_hub gagal mengunduh {spec.repo}. Periksa sambungan internet, atau unduh tanpa --hub "
            "(bisa dilanjutkan) atau salin foldernya dari flashdisk.", details=repr(exc)) from exc
    ctx.check()
    folder = Path(folder)
    problems = folder_problems(spec.layout, folder)
    if problems:
        raise EngineUnavailable(f"The download of {spec.name} is not a usable model: {problems[0]}",
                                f"Unduhan {spec.name} bukan model yang bisa dipakai: {problems[0].text('id')}",
                                problems=list(problems))
    ctx.progress(1, 1, f"{spec.name} siap")
    return folder
