"""Project folders on disk: create, load (migrate, validate), save atomically.

Rules this module keeps:
- A save writes ``project.json.tmp``, fsyncs it, copies the previous good
  ``project.json`` to ``project.json.bak`` and then ``os.replace``s, so a crash at any
  moment leaves a loadable file.
- Media is written as ``name.part`` and renamed when complete (``atomic_output``);
  no file under its final name is ever partial.
- Paths stored in a project are relative and must stay inside the folder
  (``resolve_in`` refuses ``../``, absolute paths and symlinks that lead out).
- Loading refuses a newer format, migrates older ones one version at a time, and
  reports a broken file with the line and field at fault.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from studio import __version__
from studio.core.errors import (
    DiskFullError,
    ProjectError,
    ProjectFormatError,
    ProjectTooNewError,
    StudioError,
    UnsafePathError,
)
from studio.core.project import FORMAT_ID, SCHEMA_VERSION, Project, now_iso
from studio.core.scrub import scrub_text
from studio.core.validate import check_folder_layout, check_project

PROJECT_FILE = "project.json"
BACKUP_SUFFIX = ".bak"
AUTOSAVE_FILE = "project.autosave.json"
MAX_PROJECT_BYTES = 64 * 1024**2
"""Larger project.json files are refused unread (a 400-scene project is about 0.5 MB)."""
SUBDIRS: tuple[str, ...] = ("script", "images", "voice", "subtitles", "music", "render", "export")

Migration = Callable[[dict[str, Any]], dict[str, Any]]
MIGRATIONS: dict[int, Migration] = {}
"""``{n: fn}`` turns a schema-``n`` dict into a schema-``n+1`` dict. One per bump."""


# ---------------------------------------------------------------- atomic writes


def _raise_disk(exc: OSError, target: Path) -> None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise DiskFullError(
            f"The disk is full while writing {target.name}; free some space and try again "
            "(nothing already saved was changed).",
            f"Disk penuh saat menulis {target.name}; kosongkan ruang lalu coba lagi "
            "(tidak ada yang sudah tersimpan yang berubah).",
            details=str(exc),
        ) from exc
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        raise ProjectError(
            f"Cannot write {target}: the folder is read-only. Copy the project to a "
            "writable folder (for example your Documents) and open it there.",
            f"Tidak bisa menulis {target}: folder hanya-baca. Salin proyek ke folder yang "
            "bisa ditulisi (misalnya Dokumen) lalu buka dari sana.",
            details=str(exc),
        ) from exc


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows has no directory fds.
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        _raise_disk(exc, path)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    """UTF-8 text version of ``atomic_write_bytes``; secrets are scrubbed (``core.scrub``)."""
    atomic_write_bytes(path, scrub_text(text).encode("utf-8"))


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield ``path.part`` to write into; rename to ``path`` only if the block succeeds.

    On any exception (including Cancelled) the part file is removed and the
    exception propagates, so a failed or cancelled job leaves nothing under the
    final name.
    """
    path = Path(path)
    part = path.with_name(path.name + ".part")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    try:
        yield part
        if not part.exists():
            raise StudioError(f"Internal error: {part.name} was not written.",
                              f"Kesalahan internal: {part.name} tidak tertulis.")
        with open(part, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(part, path)
        _fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink()
        _raise_disk(exc, path)
        raise
    except BaseException:
        with contextlib.suppress(OSError):
            part.unlink()
        raise


# ---------------------------------------------------------------- safe paths


def resolve_in(root: Path, rel: str) -> Path:
    """The absolute path of ``rel`` inside project ``root``; refuses anything that leaves it."""
    root = Path(root)
    if not rel or rel.strip() != rel:
        raise UnsafePathError(f"The project refers to an empty or malformed file path {rel!r}.",
                              f"Proyek merujuk ke jalur berkas yang kosong atau rusak {rel!r}.")
    pure = PurePosixPath(rel.replace("\\", "/"))
    if pure.is_absolute() or rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":") \
            or ".." in pure.parts:
        raise UnsafePathError(
            f"The project refers to {rel!r}, which is outside its folder; Studio Lokal only "
            "opens files inside the project folder.",
            f"Proyek merujuk ke {rel!r} yang berada di luar foldernya; Studio Lokal hanya "
            "membuka berkas di dalam folder proyek.")
    candidate = root.joinpath(*pure.parts)
    real_root = root.resolve()
    real = candidate.resolve()
    if real != real_root and real_root not in real.parents:
        raise UnsafePathError(
            f"{rel!r} is a link that points outside the project folder; it was refused.",
            f"{rel!r} adalah tautan yang menunjuk ke luar folder proyek; ditolak.")
    return candidate


def relative_to_root(root: Path, path: Path) -> str:
    """``path`` as a POSIX path relative to ``root`` (it must be inside it)."""
    rel = Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root)))
    return rel.as_posix()


# ---------------------------------------------------------------- load


@dataclass
class LoadResult:
    """A loaded project and what the loader noticed on the way."""

    project: Project
    warnings: list[str] = field(default_factory=list)
    migrated_from: int | None = None


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of the JSON value at ``loc`` (keys and list indexes)."""
    pos = 0
    for part in loc:
        if isinstance(part, str):
            found = text.find(json.dumps(part, ensure_ascii=False) + ":", pos)
            if found < 0:
                found = text.find(json.dumps(part) , pos)
            if found < 0:
                break
            pos = found + 1
    if pos == 0:
        return None
    return text.count("\n", 0, pos) + 1


def _field_name(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in loc)


def migrate(data: dict[str, Any], *, current: int | None = None,
            migrations: dict[int, Migration] | None = None) -> tuple[dict[str, Any], int | None]:
    """Bring a raw project dict up to ``current``; returns (data, version migrated from)."""
    current = SCHEMA_VERSION if current is None else current
    migrations = MIGRATIONS if migrations is None else migrations
    raw_version = data.get("schema_version", 1)
    if not isinstance(raw_version, int) or isinstance(raw_version, bool) or raw_version < 1:
        raise ProjectFormatError(
            f"project.json has schema_version {raw_version!r}, which is not a version number.",
            f"project.json memiliki schema_version {raw_version!r}, yang bukan nomor versi.",
            field="schema_version")
    version = raw_version
    if version > current:
        raise ProjectTooNewError(
            f"This project was saved by a newer Studio Lokal (format {version}; this app reads "
            f"up to {current}). Update Studio Lokal to open it; the files were not changed.",
            f"Proyek ini disimpan oleh Studio Lokal yang lebih baru (format {version}; aplikasi "
            f"ini membaca sampai {current}). Perbarui Studio Lokal untuk membukanya; berkas "
            "tidak diubah.")
    start = version
    while version < current:
        step = migrations.get(version)
        if step is None:
            raise ProjectError(f"No migration from project format {version} is available.",
                               f"Tidak ada migrasi dari format proyek {version}.")
        data = step(dict(data))
        version += 1
        data["schema_version"] = version
    return data, (start if start != current else None)


def _unknown_fields(model: Any, prefix: str = "") -> list[str]:
    """Field paths that the loader kept but this version does not know."""
    found: list[str] = []
    extra = getattr(model, "__pydantic_extra__", None) or {}
    for key in extra:
        found.append(f"{prefix}{key}")
    for name in type(model).model_fields:
        value = getattr(model, name, None)
        if hasattr(value, "__pydantic_extra__"):
            found += _unknown_fields(value, f"{prefix}{name}.")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if hasattr(item, "__pydantic_extra__"):
                    found += _unknown_fields(item, f"{prefix}{name}.{i}.")
        elif isinstance(value, dict):
            for key, item in value.items():
                if hasattr(item, "__pydantic_extra__"):
                    found += _unknown_fields(item, f"{prefix}{name}.{key}.")
    return found


def parse_project(text: str, *, path: str = PROJECT_FILE) -> LoadResult:
    """Parse, migrate and validate the text of a project.json."""
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte-order mark some editors (Notepad) add: just read past it
    if not text.strip():
        raise ProjectFormatError(
            f"{path} is empty (the save was probably interrupted). Open the backup "
            f"{PROJECT_FILE}{BACKUP_SUFFIX} instead.",
            f"{path} kosong (penyimpanan mungkin terputus). Buka cadangan "
            f"{PROJECT_FILE}{BACKUP_SUFFIX} sebagai gantinya.", path=path)
    try:
        data = json.loads(text)
    except RecursionError as exc:
        # A hand-made or hostile file nested thousands of levels deep: refuse, do not crash.
        raise ProjectFormatError(
            f"{path} is nested too deeply to be a Studio Lokal project. Restore it from "
            f"{PROJECT_FILE}{BACKUP_SUFFIX}.",
            f"{path} bersarang terlalu dalam untuk sebuah proyek Studio Lokal. Pulihkan dari "
            f"{PROJECT_FILE}{BACKUP_SUFFIX}.", path=path) from exc
    except json.JSONDecodeError as exc:
        raise ProjectFormatError(
            f"{path} is damaged at line {exc.lineno}, column {exc.colno}: {exc.msg}. "
            f"Restore it from {PROJECT_FILE}{BACKUP_SUFFIX} or fix that line.",
            f"{path} rusak di baris {exc.lineno}, kolom {exc.colno}: {exc.msg}. "
            f"Pulihkan dari {PROJECT_FILE}{BACKUP_SUFFIX} atau perbaiki baris itu.",
            path=path, line=exc.lineno, details=str(exc)) from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT_ID:
        raise ProjectFormatError(
            f"{path} is not a Studio Lokal project (its \"format\" is not \"{FORMAT_ID}\").",
            f"{path} bukan proyek Studio Lokal (\"format\"-nya bukan \"{FORMAT_ID}\").",
            path=path, field="format")
    data, migrated_from = migrate(data)
    try:
        project = Project.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first.get("loc", ()))
        name = _field_name(loc)
        line = _line_of(text, loc)
        where = f" (line {line})" if line else ""
        where_id = f" (baris {line})" if line else ""
        raise ProjectFormatError(
            f"{path}: the field '{name}'{where} is not valid: {first.get('msg')}. "
            f"Fix it or restore {PROJECT_FILE}{BACKUP_SUFFIX}.",
            f"{path}: isian '{name}'{where_id} tidak sah: {first.get('msg')}. "
            f"Perbaiki atau pulihkan {PROJECT_FILE}{BACKUP_SUFFIX}.",
            path=path, line=line, field=name, details=str(exc)) from exc
    try:
        check_project(project)
    except ProjectFormatError as exc:
        line = _line_of(text, tuple(int(p) if p.isdigit() else p for p in (exc.field or "").split(".")))
        exc.path, exc.line = path, line
        raise
    warnings = [f"Unknown field kept as is: {name}" for name in _unknown_fields(project)]
    return LoadResult(project, warnings, migrated_from)


def read_project(root: Path) -> LoadResult:
    """Load ``root/project.json`` with warnings; see ``load_project``."""
    root = Path(root)
    path = root / PROJECT_FILE
    if not root.is_dir():
        raise ProjectError(f"The project folder {root} does not exist.",
                           f"Folder proyek {root} tidak ada.")
    if not path.is_file():
        raise ProjectError(
            f"{root} is not a Studio Lokal project folder (no {PROJECT_FILE} inside).",
            f"{root} bukan folder proyek Studio Lokal (tidak ada {PROJECT_FILE} di dalamnya).")
    size = path.stat().st_size
    if size > MAX_PROJECT_BYTES:
        # A real project.json is well under 1 MB (400 scenes: ~0.5 MB); do not read GBs.
        raise ProjectFormatError(
            f"{PROJECT_FILE} is {size / 1024**2:.0f} MB, far larger than any project; it is not a "
            f"Studio Lokal project file. Restore {PROJECT_FILE}{BACKUP_SUFFIX}.",
            f"{PROJECT_FILE} berukuran {size / 1024**2:.0f} MB, jauh lebih besar dari proyek mana pun; "
            f"itu bukan berkas proyek Studio Lokal. Pulihkan {PROJECT_FILE}{BACKUP_SUFFIX}.",
            path=str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProjectFormatError(
            f"{PROJECT_FILE} is not UTF-8 text (byte {exc.start} is invalid); restore "
            f"{PROJECT_FILE}{BACKUP_SUFFIX}.",
            f"{PROJECT_FILE} bukan teks UTF-8 (bita ke-{exc.start} tidak sah); pulihkan "
            f"{PROJECT_FILE}{BACKUP_SUFFIX}.", path=str(path)) from exc
    result = parse_project(text, path=PROJECT_FILE)
    check_paths(root, result.project)
    return result


def referenced_paths(project: Project) -> list[str]:
    """Every project-relative path stored in the document."""
    found: list[str] = []
    for scene in project.scenes:
        if scene.image is not None:
            found.append(scene.image.path)
        if scene.clip is not None:
            found.append(scene.clip.path)
        if scene.voice is not None:
            found.append(scene.voice.path)
    if project.music.path:
        found.append(project.music.path)
    if project.last_export is not None:
        found += [project.last_export.folder, project.last_export.video]
    return found


def check_paths(root: Path, project: Project) -> None:
    """Refuse a project whose paths lead outside its folder (``../``, absolute, symlinks out).

    Projects travel on USB sticks between workshop laptops; a hand-made or hostile
    project.json must not make the app read or overwrite files elsewhere.
    """
    for rel in referenced_paths(project):
        resolve_in(root, rel)


def load_project(root: Path) -> Project:
    """Load, migrate and validate the project in folder ``root``."""
    return read_project(root).project


def restore_backup(root: Path) -> Project:
    """Replace a damaged project.json by project.json.bak (the damaged one is kept aside)."""
    root = Path(root)
    bak = root / (PROJECT_FILE + BACKUP_SUFFIX)
    result = parse_project(bak.read_text(encoding="utf-8"), path=bak.name)
    current = root / PROJECT_FILE
    if current.exists():
        shutil.copy2(current, root / (PROJECT_FILE + ".damaged"))
    atomic_write_bytes(current, bak.read_bytes())
    return result.project


# ---------------------------------------------------------------- save / create


def dump_project(project: Project) -> str:
    """The JSON text of a project (stable key order, UTF-8, indented)."""
    data = project.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def save_project(root: Path, project: Project) -> None:
    """Save atomically, keeping the previous good save as project.json.bak."""
    root = Path(root)
    path = root / PROJECT_FILE
    project.modified = now_iso()
    project.app_version = __version__
    text = dump_project(project)
    if path.exists():
        try:
            previous = path.read_bytes()
            data = json.loads(previous)
            good = isinstance(data, dict) and data.get("format") == FORMAT_ID
        except (OSError, ValueError):
            good = False
        if good and (root / (PROJECT_FILE + BACKUP_SUFFIX)).is_dir():
            good = False  # something else stands where the backup goes: save without one
        if good:
            version = data.get("schema_version")
            if isinstance(version, int) and version < SCHEMA_VERSION:
                # First save after a migration: keep the old-format file for good.
                keep = root / f"{PROJECT_FILE}.v{version}{BACKUP_SUFFIX}"
                if not keep.exists():
                    atomic_write_bytes(keep, previous)
            atomic_write_text(root / (PROJECT_FILE + BACKUP_SUFFIX), previous.decode("utf-8", "replace"))
    atomic_write_text(path, text)


def create_project(root: Path, project: Project | None = None) -> Project:
    """Make ``root`` a new project folder (it may exist but must not hold a project)."""
    root = Path(root)
    if (root / PROJECT_FILE).exists():
        raise ProjectError(f"{root} already holds a project; open it instead.",
                           f"{root} sudah berisi proyek; buka saja proyek itu.")
    try:
        root.mkdir(parents=True, exist_ok=True)
        for name in SUBDIRS:
            (root / name).mkdir(exist_ok=True)
    except OSError as exc:
        _raise_disk(exc, root)
        raise ProjectError(f"Cannot create the project folder {root}: {exc.strerror}.",
                           f"Tidak bisa membuat folder proyek {root}: {exc.strerror}.") from exc
    project = project or Project()
    save_project(root, project)
    return project


def check_layout(root: Path) -> None:
    """Raise ProjectError if a file stands where a step folder belongs, or a folder where
    project.json.bak or ai_log.jsonl go (``core.validate.check_folder_layout``)."""
    check_folder_layout(Path(root), SUBDIRS, (PROJECT_FILE + BACKUP_SUFFIX, "ai_log.jsonl", AUTOSAVE_FILE))


def require_writable(folder: Path) -> None:
    """Raise ProjectError (read-only) or DiskFullError now if ``folder`` cannot take a file.

    Steps call this before any work, so a creator who opened a project from a CD or a
    locked USB stick hears "copy it to a writable folder" instead of losing the work of
    a long step at its first write.
    """
    folder = Path(folder)
    probe = folder / f".studio-write-test-{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as f:
            f.write(b"ok")
    except OSError as exc:
        _raise_disk(exc, folder)
        raise ProjectError(f"Cannot write into {folder}: {exc.strerror or exc}.",
                           f"Tidak bisa menulis ke {folder}: {exc.strerror or exc}.",
                           details=str(exc)) from exc
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def ensure_subdirs(root: Path) -> None:
    """Recreate the step folders if a user deleted one.

    A read-only folder (a CD, a write-protected USB stick, a shared drive) still opens:
    reading needs none of these folders, and the first write says it is read-only.
    A full disk raises DiskFullError; a file where a step folder belongs, ProjectError.
    """
    check_layout(root)
    for name in SUBDIRS:
        try:
            (Path(root) / name).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
                return
            _raise_disk(exc, Path(root) / name)
            raise
