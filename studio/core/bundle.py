"""Shared projects as zip files: pack a project folder, and open one someone sent safely.

Workshops pass projects around on USB sticks and chat apps, usually zipped. A zip is
hostile input: its entry names can climb out of the target folder (``../``, absolute
or drive paths, "zip-slip"), it can hold symlinks or device nodes, and it can be a
"bomb" that inflates to more than the disk holds. ``import_project`` therefore:

- checks every entry *before* writing a byte (names, types, counts, declared sizes,
  compression ratio, free space), and refuses the whole archive on the first problem;
- extracts into a hidden sibling folder, counting the bytes actually inflated (a
  header can lie), and writes only regular files and folders;
- loads the result exactly as ``storage.read_project`` does (newer format, paths
  outside the folder, symlinks out are refused) and only then renames it into place,
  so a refused archive leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from studio.core import storage
from studio.core.errors import DiskFullError, ProjectError, UnsafePathError
from studio.core.lock import LOCK_FILE
from studio.core.project import Project

MAX_FILES = 20_000
"""More entries than any real project has (a 400-scene project with takes is ~2 000)."""
MAX_TOTAL_BYTES = 2 * 1024**3
"""Bytes actually written (and declared); a project with its renders and exports is well
under 1 GB, so 2 GiB leaves room for a long one and stops a bomb long before the disk fills."""
MAX_RATIO = 100.0
"""Inflated/compressed size of the whole archive. Real projects are mostly JPEG, MP4 and
WAV (ratio 1–3); a deflate bomb is ~1 000."""
RATIO_FLOOR_BYTES = 64 * 1024**2
"""The ratio is only judged above this inflated size (a small project.json-only zip may
compress 20:1 and harms nobody)."""
SKIP_SUFFIXES = (".part", ".tmp")
"""Never packed: leftovers of an interrupted write."""
_CHUNK = 1024 * 1024
_DEVICE_KINDS = {stat.S_IFCHR: "a device file", stat.S_IFBLK: "a device file",
                 stat.S_IFIFO: "a pipe", stat.S_IFSOCK: "a socket"}
_DEVICE_KINDS_ID = {stat.S_IFCHR: "berkas perangkat", stat.S_IFBLK: "berkas perangkat",
                    stat.S_IFIFO: "pipa", stat.S_IFSOCK: "soket"}


@dataclass
class ImportResult:
    """The project that was opened, where, and what the loader noticed."""

    root: Path
    project: Project
    files: int
    bytes: int
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- pack


def pack_project(root: Path, zip_path: Path) -> int:
    """Zip the project folder ``root`` into ``zip_path`` (entries relative to ``root``).

    Symlinks and leftover ``.part``/``.tmp`` files are left out; media that is already
    compressed is stored, not deflated again. Returns the number of files packed.
    """
    root = Path(root)
    storage.load_project(root)  # refuse to share something that does not open
    count = 0
    with storage.atomic_output(Path(zip_path)) as part, \
            zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(root.rglob("*")):
            if path.is_symlink() or not path.is_file() or path.name.endswith(SKIP_SUFFIXES) \
                    or path.name == LOCK_FILE:
                continue
            rel = path.relative_to(root).as_posix()
            packed = path.suffix.lower() in (".jpg", ".jpeg", ".png", ".mp4", ".m4a", ".mp3",
                                             ".ogg", ".opus", ".webp", ".zip")
            zf.write(path, rel, compress_type=zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED)
            count += 1
    return count


# ---------------------------------------------------------------- import


def _refuse(zip_name: str, name: str, why: str, why_id: str) -> UnsafePathError:
    return UnsafePathError(
        f"{zip_name} was not opened: the entry {name!r} {why}. A shared project must only hold "
        "files inside its own folder; ask the sender to zip the project folder again.",
        f"{zip_name} tidak dibuka: entri {name!r} {why_id}. Proyek yang dibagikan hanya boleh "
        "berisi berkas di dalam foldernya sendiri; minta pengirim men-zip ulang folder proyeknya.")


def _too_big(zip_name: str, what: str, what_id: str) -> ProjectError:
    return ProjectError(
        f"{zip_name} was not opened: {what}. It is not a normal project archive (it may be a "
        "\"zip bomb\"); ask the sender for the project folder itself.",
        f"{zip_name} tidak dibuka: {what_id}. Ini bukan arsip proyek yang wajar (mungkin "
        "\"bom zip\"); minta pengirim mengirim folder proyeknya langsung.")


def _entry_parts(zip_name: str, info: zipfile.ZipInfo) -> tuple[str, ...]:
    """The safe relative path parts of an entry, or an UnsafePathError."""
    name = info.filename
    if "\x00" in name:
        raise _refuse(zip_name, name, "has a NUL character in its name", "memuat karakter NUL di namanya")
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":"):  # also "//server/share"
        raise _refuse(zip_name, name, "is an absolute path", "adalah jalur absolut")
    parts = tuple(p for p in PurePosixPath(posix).parts if p not in ("", "."))
    if ".." in parts:
        raise _refuse(zip_name, name, "climbs out of the folder with '..'",
                      "keluar dari folder dengan '..'")
    if any(":" in p for p in parts):
        # "name:stream" is an alternate data stream on Windows: never a project file.
        raise _refuse(zip_name, name, "has a ':' in its name", "memuat ':' di namanya")
    mode = info.external_attr >> 16
    kind = stat.S_IFMT(mode)
    # The Unix mode lives in the high 16 bits (zero from Windows zippers, so no false alarms).
    if kind == stat.S_IFLNK:
        raise _refuse(zip_name, name, "is a symbolic link", "adalah tautan simbolik")
    if kind in _DEVICE_KINDS:
        raise _refuse(zip_name, name, f"is {_DEVICE_KINDS[kind]}", f"adalah {_DEVICE_KINDS_ID[kind]}")
    if info.flag_bits & 0x1:
        raise _refuse(zip_name, name, "is encrypted", "terenkripsi")
    return parts


def _refuse_overlaps(zip_name: str, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse entries whose stored bytes overlap another's: the trick of a bomb that needs no
    compression (many directory entries reading the same megabyte, each counted once)."""
    spans = sorted((info.header_offset, info) for info in infos if not info.is_dir())
    for (start, info), (next_start, other) in zip(spans, spans[1:]):
        # The local header is at least 30 bytes plus the name; its extra field only adds.
        end = start + 30 + len(info.orig_filename.encode("utf-8")) + info.compress_size
        if next_start < end:
            raise _too_big(zip_name, f"the entry {other.filename!r} overlaps the stored bytes of "
                           f"{info.filename!r}", f"entri {other.filename!r} menumpuk data tersimpan {info.filename!r}")


def _checked_entries(zf: zipfile.ZipFile, zip_name: str, max_files: int, max_total: int,
                     max_ratio: float) -> tuple[list[tuple[zipfile.ZipInfo, tuple[str, ...]]], int]:
    """Every entry with its safe path parts and the declared total size, after the checks
    that need no extraction (names, types, counts, overlaps, declared sizes, ratio)."""
    infos = zf.infolist()
    if len(infos) > max_files:
        raise _too_big(zip_name, f"it holds {len(infos)} entries (at most {max_files} are accepted)",
                       f"berisi {len(infos)} entri (paling banyak {max_files} diterima)")
    entries = [(info, _entry_parts(zip_name, info)) for info in infos]
    _refuse_overlaps(zip_name, infos)
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > max_total:
        raise _too_big(zip_name, f"it would take {total / 1024**2:.0f} MB once unpacked "
                       f"(at most {max_total / 1024**2:.0f} MB are accepted)",
                       f"akan memakan {total / 1024**2:.0f} MB setelah dibuka "
                       f"(paling banyak {max_total / 1024**2:.0f} MB diterima)")
    if total > RATIO_FLOOR_BYTES and total > max_ratio * max(packed, 1):
        raise _too_big(zip_name, f"it inflates {total / max(packed, 1):.0f} times",
                       f"mengembang {total / max(packed, 1):.0f} kali lipat")
    return entries, total


def _plan(zf: zipfile.ZipFile, zip_name: str, max_files: int, max_total: int,
          max_ratio: float) -> tuple[list[tuple[zipfile.ZipInfo, tuple[str, ...]]], int]:
    """Every entry with its safe path (project.json's folder as the root) and the total size."""
    entries, total = _checked_entries(zf, zip_name, max_files, max_total, max_ratio)
    # The project may be zipped as its folder ("Tari Saman/project.json") or its content.
    roots = [parts[:-1] for info, parts in entries
             if parts and parts[-1] == storage.PROJECT_FILE and not info.is_dir()]
    if not roots:
        raise ProjectError(
            f"{zip_name} does not contain a Studio Lokal project (no {storage.PROJECT_FILE} inside).",
            f"{zip_name} tidak berisi proyek Studio Lokal (tidak ada {storage.PROJECT_FILE} di dalamnya).")
    prefix = min(roots, key=len)
    if len(prefix) > 1:
        raise ProjectError(
            f"{zip_name} holds {storage.PROJECT_FILE} too deep inside folders; zip the project "
            "folder itself.",
            f"{storage.PROJECT_FILE} di dalam {zip_name} terlalu dalam di subfolder; zip folder "
            "proyeknya langsung.")
    plan: list[tuple[zipfile.ZipInfo, tuple[str, ...]]] = []
    seen: set[str] = set()
    for info, parts in entries:
        if parts[:len(prefix)] != prefix or len(parts) == len(prefix):
            continue  # outside the project's folder (e.g. __MACOSX/): not extracted
        rel = parts[len(prefix):]
        key = "/".join(rel).casefold()
        if key in seen:
            raise _refuse(zip_name, info.filename, "appears twice", "muncul dua kali")
        seen.add(key)
        plan.append((info, rel))
    return plan, total


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _extract(zf: zipfile.ZipFile, zip_name: str, plan: list[tuple[zipfile.ZipInfo, tuple[str, ...]]],
             into: Path, max_total: int) -> int:
    """Write the planned entries under ``into``; returns the bytes written."""
    written = 0
    for info, rel in plan:
        target = into.joinpath(*rel)
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        left = info.file_size
        # O_EXCL + O_NOFOLLOW: never write through something already there.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        with zf.open(info) as src, os.fdopen(os.open(target, flags, 0o644), "wb") as dst:
            while True:
                chunk = src.read(_CHUNK)
                if not chunk:
                    break
                left -= len(chunk)
                written += len(chunk)
                if left < 0 or written > max_total:  # the header lied about the size
                    raise _too_big(zip_name, f"{info.filename!r} inflates beyond its declared size",
                                   f"{info.filename!r} mengembang melebihi ukuran yang dinyatakan")
                dst.write(chunk)
    return written


def import_project(zip_path: Path, dest: Path, *, max_files: int = MAX_FILES,
                   max_total_bytes: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO) -> ImportResult:
    """Unpack the shared project ``zip_path`` into the new folder ``dest`` and load it.

    ``dest`` must not exist or be an empty folder. Nothing is left behind when the
    archive is refused (then ``dest`` is as it was).

    Raises:
        UnsafePathError: an entry leaves the folder, is a link/device, is encrypted or doubled.
        ProjectError: not a zip, no project inside, too many/too large entries, the folder
            is taken, or the project itself does not load (``ProjectTooNewError``, ...).
        DiskFullError: the disk cannot hold the unpacked project.
    """
    zip_path, dest = Path(zip_path), Path(dest)
    name = zip_path.name
    if not zip_path.is_file():
        raise ProjectError(f"{zip_path} does not exist or is not a file.",
                           f"{zip_path} tidak ada atau bukan berkas.")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise ProjectError(
            f"{dest} already exists and is not empty; choose a new folder for the imported project.",
            f"{dest} sudah ada dan tidak kosong; pilih folder baru untuk proyek yang diimpor.")
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ProjectError(f"{name} is not a zip file, or it is damaged; ask the sender to zip the "
                           "project folder again.",
                           f"{name} bukan berkas zip, atau berkasnya rusak; minta pengirim men-zip "
                           "ulang folder proyeknya.", details=str(exc)) from exc
    parent = dest.parent if str(dest.parent) else Path(".")
    made_parent = not parent.exists()
    staging = parent / f".{dest.name}.importing-{uuid.uuid4().hex[:8]}"
    imported = False
    try:
        with zf:
            plan, total = _plan(zf, name, max_files, max_total_bytes, max_ratio)
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                storage._raise_disk(exc, parent)
                raise ProjectError(f"Cannot create {parent}: {exc.strerror or exc}.",
                                   f"Tidak bisa membuat {parent}: {exc.strerror or exc}.",
                                   details=str(exc)) from exc
            free = _free_bytes(parent)
            if free is not None and total > free:
                raise DiskFullError(
                    f"{name} needs {total / 1024**2:.0f} MB once unpacked but only "
                    f"{free / 1024**2:.0f} MB are free; free some space and try again.",
                    f"{name} butuh {total / 1024**2:.0f} MB setelah dibuka tetapi hanya "
                    f"{free / 1024**2:.0f} MB yang kosong; kosongkan ruang lalu coba lagi.")
            try:
                staging.mkdir()
                written = _extract(zf, name, plan, staging, max_total_bytes)
            except OSError as exc:
                storage._raise_disk(exc, dest)
                raise ProjectError(f"{name} could not be unpacked: {exc.strerror or exc}.",
                                   f"{name} tidak bisa dibuka: {exc.strerror or exc}.",
                                   details=str(exc)) from exc
            except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
                raise ProjectError(f"{name} is damaged and could not be unpacked; ask the sender "
                                   "to zip the project folder again.",
                                   f"{name} rusak dan tidak bisa dibuka; minta pengirim men-zip "
                                   "ulang folder proyeknya.", details=str(exc)) from exc
        loaded = storage.read_project(staging)
        if dest.exists():
            dest.rmdir()  # empty (checked above); replaced by the unpacked folder
        os.replace(staging, dest)
        imported = True
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        if made_parent and not imported:
            with contextlib.suppress(OSError):
                parent.rmdir()  # only if still empty: the folder we made for nothing
    with contextlib.suppress(OSError):
        storage.ensure_subdirs(dest)
    return ImportResult(root=dest, project=loaded.project, files=sum(1 for i, _ in plan if not i.is_dir()),
                        bytes=written, warnings=list(loaded.warnings))


def extract_zip(zip_path: Path, into: Path, *, max_files: int = MAX_FILES,
                max_total_bytes: int = MAX_TOTAL_BYTES, max_ratio: float = MAX_RATIO) -> int:
    """Unpack any zip (not only a project) under the existing folder ``into``, with the same
    checks as ``import_project``: every entry is judged before a byte is written, and the
    bytes actually inflated are counted. The jury opens zipped export bundles this way, into
    a temporary folder. Returns the bytes written.

    Raises:
        UnsafePathError: an entry leaves the folder, is a link/device, is encrypted or doubled.
        ProjectError: not a zip, damaged, too many/too large entries (a zip bomb).
    """
    zip_path, into = Path(zip_path), Path(into)
    name = zip_path.name
    try:
        zf = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ProjectError(f"{name} is not a zip file, or it is damaged.",
                           f"{name} bukan berkas zip, atau berkasnya rusak.", details=str(exc)) from exc
    with zf:
        entries, total = _checked_entries(zf, name, max_files, max_total_bytes, max_ratio)
        seen: set[str] = set()
        for info, parts in entries:
            key = "/".join(parts).casefold()
            if parts and key in seen:
                raise _refuse(name, info.filename, "appears twice", "muncul dua kali")
            seen.add(key)
        free = _free_bytes(into)
        if free is not None and total > free:
            raise DiskFullError(f"{name} needs {total / 1024**2:.0f} MB once unpacked but only "
                                f"{free / 1024**2:.0f} MB are free.",
                                f"{name} butuh {total / 1024**2:.0f} MB setelah dibuka tetapi hanya "
                                f"{free / 1024**2:.0f} MB yang kosong.")
        try:
            return _extract(zf, name, [(i, p) for i, p in entries if p], into, max_total_bytes)
        except OSError as exc:
            raise ProjectError(f"{name} could not be unpacked: {exc.strerror or exc}.",
                               f"{name} tidak bisa dibuka: {exc.strerror or exc}.", details=str(exc)) from exc
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
            raise ProjectError(f"{name} is damaged and could not be unpacked.",
                               f"{name} rusak dan tidak bisa dibuka.", details=str(exc)) from exc
