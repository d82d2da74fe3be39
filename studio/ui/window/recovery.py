"""The window's answers to bad input around a project: the recovery half of ``MainWindow``.

This module owns what the creator sees when a project cannot be used as it is: a
refused project with "Pulihkan dari cadangan" when project.json is damaged and its
backup loads, the banner of missing or damaged files (relink, use a file found in
the project, make again, keep an edited file), and the read-only banner with
"Simpan salinan ke…". The work itself is done by ``Session`` (``session.recovery``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.core import storage
from studio.core.errors import StudioError
from studio.ui import dialogs


class RecoveryActions:
    """Mixed into ``MainWindow`` (which provides session, the banners, go() and tr())."""

    def open_project(self, folder: Path) -> bool:
        """Open ``folder`` and go to where work continues; a refused project says why.

        A damaged project.json with a usable project.json.bak gets "Pulihkan dari cadangan".
        """
        folder = Path(folder)
        try:
            warnings = self.session.open_project(folder)
        except StudioError as exc:
            self._open_refused(folder, exc)
            return False
        if warnings:
            self.statusBar().showMessage("; ".join(warnings), 10000)
        self.go(self.resume_page())
        return True

    def _open_refused(self, folder: Path, exc: StudioError) -> None:
        from studio.core.errors import ProjectFormatError

        note, actions = "", []
        if isinstance(exc, ProjectFormatError) and _usable_backup(folder):
            bak = folder / (storage.PROJECT_FILE + storage.BACKUP_SUFFIX)
            when = _local_time(bak)
            note = self.tr("Ada cadangan dari penyimpanan sebelumnya ({when}). Memulihkannya "
                           "mengganti project.json yang rusak; berkas rusak itu disimpan sebagai "
                           "project.json.damaged.").format(when=when)
            actions = [(self.tr("Pulihkan dari cadangan"), lambda: self.restore_backup(folder))]
        self.last_error = dialogs.show_error(self, exc, title=self.tr("Proyek tidak bisa dibuka"),
                                             note=note, actions=actions)

    def restore_backup(self, folder: Path) -> bool:
        """Put project.json.bak back in place of a damaged project.json, then open it."""
        try:
            warnings = self.session.restore_backup(folder)
        except StudioError as exc:
            self.last_error = dialogs.show_error(self, exc, title=self.tr("Cadangan tidak bisa dipulihkan"))
            return False
        self.statusBar().showMessage(
            self.tr("Proyek dipulihkan dari cadangan. Berkas yang rusak disimpan sebagai "
                    "project.json.damaged.") + ("  " + "; ".join(warnings) if warnings else ""), 12000)
        self.go(self.resume_page())
        return True

    def _refresh_banners(self) -> None:
        self._show_asset_issues()
        self._show_read_only()

    def _show_read_only(self) -> None:
        s = self.session
        if not (s.is_open and s.read_only):
            self.save_banner.hide()
            return
        self.save_banner.show_message(
            self.tr("Folder proyek ini tidak bisa ditulisi (hanya-baca), jadi perubahan tidak bisa "
                    "disimpan di sini. Perubahan Anda tetap ada di aplikasi: simpan salinan proyek ke "
                    "folder lain."),
            "bad", [(self.tr("Simpan salinan ke…"), self.save_copy_dialog)])

    def _on_save_failed(self, _exc: BaseException) -> None:
        self._save_state.setText(self.tr("Belum tersimpan"))
        self._show_read_only()

    def save_copy_dialog(self) -> bool:
        """Ask for a folder and save a copy of the whole project there (then work on the copy)."""
        if not self.session.is_open:
            return False
        folder = dialogs.choose_folder(self, self.tr("Pilih folder untuk salinan proyek"))
        if folder is None:
            return False
        try:
            dest = self.session.save_copy(folder)
        except StudioError as exc:
            self.last_error = dialogs.show_error(self, exc, title=self.tr("Salinan tidak bisa disimpan"))
            return False
        self.statusBar().showMessage(self.tr("Salinan proyek disimpan di {folder}.").format(folder=dest), 10000)
        return True

    def _show_asset_issues(self) -> None:
        s = self.session
        self._indicators.start()  # the step list marks steps with missing files
        if not s.is_open:
            self.asset_banner.set_issues([], self._describe_issue, s.relink_suggestions)
            return
        self.asset_banner.set_issues(s.asset_issues, self._describe_issue, s.relink_suggestions)

    def _describe_issue(self, issue: Any) -> str:
        p = self.session.project
        index = next((i for i, sc in enumerate(p.scenes) if sc.id == issue.scene_id), -1) + 1
        what = {"image": self.tr("Gambar adegan {n}"), "voice": self.tr("Suara adegan {n}")}.get(
            issue.kind, self.tr("Musik latar")).format(n=index)
        return {
            "missing": self.tr("{what} tidak ditemukan: {path}"),
            "empty": self.tr("{what} kosong (0 bita): {path}"),
            "changed": self.tr("{what} berubah di luar aplikasi: {path}"),
            "outside": self.tr("{what} menunjuk ke luar folder proyek: {path}"),
        }[issue.problem].format(what=what, path=issue.path)

    def _on_relink(self, issue: Any) -> None:
        filters = dialogs.IMAGE_FILTER if issue.kind == "image" else dialogs.AUDIO_FILTER
        src = dialogs.choose_file(self, self.tr("Pilih berkas asli untuk {path}").format(path=issue.path),
                                  filters)
        if src is not None:
            self.relink(issue, src)

    def _on_relink_suggestion(self, issue: Any, rel: str) -> None:
        self.relink(issue, self.session.root / rel)

    def relink(self, issue: Any, src: Path) -> bool:
        """Copy ``src`` back under the name the project expects for ``issue``."""
        try:
            self.session.relink_asset(issue, Path(src))
        except StudioError as exc:
            self.last_error = dialogs.show_error(self, exc, title=self.tr("Berkas tidak bisa disambungkan"))
            return False
        self.statusBar().showMessage(self.tr("Berkas disambungkan ulang: {path}").format(path=issue.path), 8000)
        return True

    def _on_accept_changed(self, issue: Any) -> None:
        try:
            self.session.accept_changed(issue)
        except StudioError as exc:
            self.last_error = dialogs.show_error(self, exc)

    def _on_regenerate(self, issues: list[Any]) -> None:
        if not issues:
            return
        try:
            self.session.regenerate_assets(issues)
        except StudioError as exc:
            self.last_error = dialogs.show_error(self, exc)
            return
        page = {"image": "images", "voice": "voice", "music": "music"}.get(issues[0].kind, "start")
        self.go(page)


def _usable_backup(folder: Path) -> bool:
    """project.json.bak exists and would itself load (else offering it only fails again)."""
    bak = Path(folder) / (storage.PROJECT_FILE + storage.BACKUP_SUFFIX)
    try:
        project = storage.parse_project(bak.read_text(encoding="utf-8"), path=bak.name).project
        storage.check_paths(Path(folder), project)
    except (OSError, UnicodeDecodeError, StudioError):
        return False
    return True


def _local_time(path: Path) -> str:
    import datetime

    try:
        stamp = datetime.datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return "?"
    return stamp.strftime("%d-%m-%Y %H:%M")
