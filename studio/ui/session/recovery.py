"""What the window does when a project's files are not as expected: the recovery half
of ``Session``.

This module owns the session's answers to bad input around a project folder: checking
the referenced files when a project opens (``asset_issues``), relinking a moved file,
accepting one edited outside the app, regenerating lost ones, restoring project.json
from its backup, and "Simpan salinan ke…" (a copy of the whole folder, for a project
that cannot be saved where it is). Every failure is a ``StudioError`` with an
Indonesian sentence; nothing here deletes a creator's file.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from studio.core import storage
from studio.core.errors import DiskFullError, MediaError, ProjectError, StudioError

log = logging.getLogger(__name__)


class RecoveryMixin:
    """Mixed into ``Session`` (which provides root, project, the signals and ``save``)."""

    root: Path | None
    project: Any

    def save_copy(self, dest: Path) -> Path:
        """Copy the project folder (every asset) to ``dest``, save the edits there, open it.

        For a project whose folder cannot be written (read-only USB stick, a shared
        folder): the edits in memory are saved into the copy, nothing is lost. A folder
        that is not empty gets a subfolder named after the project. Returns the new root.
        """
        if not self.is_open:
            raise ProjectError("No project is open.", "Belum ada proyek yang terbuka.")
        assert self.root is not None and self.project is not None
        src = self.root
        dest = Path(dest)
        if dest.exists() and not dest.is_dir():
            raise ProjectError(f"{dest} is a file, not a folder; choose a folder.",
                               f"{dest} adalah berkas, bukan folder; pilih sebuah folder.")
        if dest.is_dir() and any(dest.iterdir()):
            dest = dest / src.name
        if dest.exists() and (any(dest.iterdir()) if dest.is_dir() else True):
            raise ProjectError(
                f"{dest} already exists and is not empty; choose an empty folder.",
                f"{dest} sudah ada dan tidak kosong; pilih folder yang kosong.")
        if dest.resolve() == src.resolve() or src.resolve() in dest.resolve().parents:
            raise ProjectError("Choose a folder outside the project folder.",
                               "Pilih folder di luar folder proyek ini.")
        # project.json is written last: a copy cut short by a full disk or a pulled USB
        # stick never looks like a project, and what was copied is removed again.
        created = not dest.exists()
        try:
            shutil.copytree(src, dest, ignore=_copy_ignore, dirs_exist_ok=True)
            with contextlib.suppress(FileNotFoundError):
                shutil.copyfile(src / storage.PROJECT_FILE,
                                dest / (storage.PROJECT_FILE + storage.BACKUP_SUFFIX))
            storage.save_project(dest, self.project)
        except (OSError, shutil.Error, StudioError) as exc:
            _remove_copy(dest, created)
            if isinstance(exc, StudioError):
                raise
            raise _copy_error(exc, dest) from exc
        self._autosave.stop()
        self.root = dest
        self.dirty = False
        self.read_only = not is_writable(dest)
        # Pending "creator edited" records go into the copy's AI log (the original
        # folder may be read-only, which is why we are here).
        self.flush_human_edits()
        self.asset_issues = self._verify_assets()
        self._status = None
        self._remember(dest)
        self.opened.emit()
        self.saved.emit()
        self.message.emit(self.tr("Salinan proyek disimpan di {folder}. Proyek yang terbuka "
                                  "sekarang adalah salinan ini.").format(folder=dest))
        return dest

    def restore_backup(self, folder: Path) -> list[str]:
        """Replace a damaged project.json by project.json.bak (kept aside as .damaged) and open."""
        folder = Path(folder)
        try:
            storage.restore_backup(folder)
        except OSError as exc:
            raise _copy_error(exc, folder) from exc
        return self.open_project(folder)

    # ------------------------------------------------------------------ assets

    def _verify_assets(self) -> list[Any]:
        from studio.core.integrity import verify_assets

        if self.root is None or self.project is None:
            return []
        try:
            return verify_assets(self.root, self.project)
        except OSError as exc:  # an unreadable folder: the steps say so when they run
            log.warning("could not check the project's files: %s", exc)
            return []

    def check_assets(self) -> list[Any]:
        """Recompute ``asset_issues`` (and tell the window)."""
        self.asset_issues = self._verify_assets()
        self.assetsChecked.emit()
        return self.asset_issues

    def _expected_sha(self, issue: Any) -> str:
        assert self.project is not None
        if issue.scene_id is None:
            return ""
        try:
            scene = self.project.scene(issue.scene_id)
        except KeyError:
            return ""
        asset = scene.image if issue.kind == "image" else scene.voice
        return asset.sha256 if asset is not None else ""

    def relink_suggestions(self, issue: Any) -> list[str]:
        """Files inside the project that look like the missing one (same name or content)."""
        from studio.core.integrity import relink_candidates

        assert self.root is not None
        try:
            found = relink_candidates(self.root, issue, self._expected_sha(issue))
        except OSError:
            return []
        ignored = (".part", ".tmp", ".bak")
        return [rel for rel in found if rel != issue.path and not rel.endswith(ignored)
                and (self.root / rel).stat().st_size > 0]

    def relink_asset(self, issue: Any, src: Path) -> None:
        """Put ``src`` back where the project expects the file of ``issue``, then save.

        The file is copied (never moved) under the expected name; when the project knows
        the file's hash, a different file is refused (relinking restores, it does not
        replace: a new picture or recording goes through the step's own import).
        """
        from studio.core.hashing import file_sha256

        assert self.root is not None and self.project is not None
        src = Path(src)
        dest = storage.resolve_in(self.root, issue.path)
        if not src.is_file():
            raise MediaError(f"{src.name} does not exist or is not a file.",
                             f"{src.name} tidak ada atau bukan berkas.")
        if src.stat().st_size == 0:
            raise MediaError(f"{src.name} is empty (0 bytes); choose the original file.",
                             f"{src.name} kosong (0 bita); pilih berkas aslinya.")
        expected = self._expected_sha(issue)
        if expected and file_sha256(src) != expected:
            raise MediaError(
                f"{src.name} is not the file this project used (its content differs). Choose the "
                "original file, or use \"Make again\" or the step's own import instead.",
                f"{src.name} bukan berkas yang dipakai proyek ini (isinya berbeda). Pilih berkas "
                "aslinya, atau pakai \"Buat ulang\" atau tombol impor di langkahnya.")
        if issue.kind == "music":
            from studio.pipeline.media.audio import read_audio

            read_audio(src, max_seconds=1.0)  # MediaError with a sentence if it is not audio
        if not dest.exists() or not os.path.samefile(src, dest):
            try:
                dest.parent.mkdir(parents=True, exist_ok=True)
                with storage.atomic_output(dest) as part:
                    shutil.copyfile(src, part)
            except OSError as exc:
                raise _copy_error(exc, dest) from exc
        self._status = None
        self.dirty = True
        self.save()
        self.check_assets()
        self.changed.emit(_AREA.get(issue.kind, "all"))

    def accept_changed(self, issue: Any) -> None:
        """Keep a file that was edited outside the app: record its new hash (and length)."""
        from studio.core.hashing import file_sha256

        assert self.root is not None and self.project is not None
        path = storage.resolve_in(self.root, issue.path)
        if issue.scene_id is not None:
            scene = self.project.scene(issue.scene_id)
            asset = scene.image if issue.kind == "image" else scene.voice
            if asset is not None:
                asset.sha256 = file_sha256(path)
                if issue.kind == "voice":
                    from studio.engines.support.media_length import container_seconds

                    seconds = container_seconds(path)
                    if seconds:
                        scene.voice.duration = round(seconds, 4)
        self.touch(_AREA.get(issue.kind, "all"))
        self.save()
        self.check_assets()

    def regenerate_assets(self, issues: list[Any]) -> None:
        """Forget the files of ``issues`` and start their steps again (images, voices, music)."""
        assert self.project is not None
        scenes: dict[str, list[str]] = {"image": [], "voice": []}
        music = False
        for issue in issues:
            if issue.kind == "music":
                m = self.project.music
                m.path, m.inputs_hash = "", ""
                if m.source == "imported":
                    # The creator's file is gone: the generated bed replaces it.
                    m.source, m.licence = "generated", ""
                music = True
                continue
            try:
                scene = self.project.scene(issue.scene_id)
            except KeyError:
                continue
            if issue.kind == "image":
                scene.image = None
            elif issue.kind == "voice":
                scene.voice = None
            scenes[issue.kind].append(scene.id)
        self.touch("all")
        self.save()
        self.check_assets()
        for kind, step in (("image", "images"), ("voice", "voice")):
            if scenes[kind] and not self.busy:
                self.run_step(step, scene_ids=scenes[kind], force=True)
                return  # one job at a time: the other steps show "belum ada"
        if music and not self.busy:
            self.run_step("music")


_AREA = {"image": "images", "voice": "voice", "music": "music"}


def is_writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (checked when a project opens)."""
    # os.access says False on a read-only mount even for root (EROFS); chmod does not
    # stop root, and then the first save reports it.
    return os.access(folder, os.W_OK)


def is_read_only_error(exc: BaseException) -> bool:
    """Whether a storage error was caused by a folder that refuses writes."""
    cause = exc.__cause__
    return isinstance(cause, OSError) and cause.errno in (errno.EACCES, errno.EPERM, errno.EROFS)


def _remove_copy(dest: Path, created: bool) -> None:
    """Undo a failed copy: the folder was empty (or did not exist) before."""
    if created:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for child in list(dest.iterdir()) if dest.is_dir() else []:
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                child.unlink()


def _copy_ignore(folder: str, names: list[str]) -> list[str]:
    """Leave out project.json (written last), half-written files, the autosave and every
    symlink when copying a project."""
    top = os.path.isfile(os.path.join(folder, storage.PROJECT_FILE))
    skip = []
    for name in names:
        if (top and name in (storage.PROJECT_FILE, storage.PROJECT_FILE + storage.BACKUP_SUFFIX)) \
                or name.endswith((".part", ".tmp")) \
                or name == storage.AUTOSAVE_FILE or os.path.islink(os.path.join(folder, name)):
            skip.append(name)
    return skip


def _copy_error(exc: BaseException, dest: Path) -> StudioError:
    errors = exc.args[0] if isinstance(exc, shutil.Error) and exc.args else []
    code = getattr(exc, "errno", None)
    if isinstance(errors, list) and errors:
        why = str(errors[0][-1])
        code = errno.ENOSPC if "No space" in why else code
    else:
        why = getattr(exc, "strerror", None) or str(exc)
    if code in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(
            f"The disk is full while writing to {dest}; free some space or choose another "
            "drive, then try again.",
            f"Disk penuh saat menulis ke {dest}; kosongkan ruang atau pilih drive lain, lalu "
            "coba lagi.", details=str(exc))
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ProjectError(
            f"Cannot write to {dest}: the folder is read-only. Choose a folder you can write "
            "to (for example your Documents).",
            f"Tidak bisa menulis ke {dest}: folder hanya-baca. Pilih folder yang bisa ditulisi "
            "(misalnya Dokumen).", details=str(exc))
    return ProjectError(f"Cannot write to {dest} ({why}).",
                        f"Tidak bisa menulis ke {dest} ({why}).", details=str(exc))
