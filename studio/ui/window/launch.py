"""What the window does when the app starts, and the one button that runs every step.

At launch the last project opens again (where its work continues), and an autosave left by
a crash is offered at once: for that project through the session's usual banner, and for
any other recent project by a banner on the start page ("Buka dan pulihkan"), instead of
only when the creator happens to open it. "Jalankan semua langkah" drives
``session.run_all.RunAll`` with the job bar as one bar.
"""

from __future__ import annotations

import logging
from pathlib import Path

from studio.core import storage
from studio.core.errors import StudioError

log = logging.getLogger(__name__)


def pending_autosave(root: Path) -> bool:
    """True when ``root`` holds an autosave newer than project.json with different content
    (the app closed before saving), read without opening the project."""
    from studio.ui.session.autosave import autosave_candidate

    try:
        current = storage.read_project(root).project
    except (StudioError, OSError):
        return False
    return autosave_candidate(root, current) is not None


class LaunchMixin:
    """Mixed into ``MainWindow`` (which provides session, the banners, open_project, go, tr)."""

    def at_launch(self) -> None:
        """Reopen the last project, then offer any other recovery there is."""
        self.reopen_last()
        self.offer_recovery_at_launch()

    def reopen_last(self) -> bool:
        """Open the most recent project if its folder is still there (else stay on Mulai)."""
        recent = self.session.settings.recent_projects
        if self.session.is_open or not recent:
            return False
        folder = Path(recent[0])
        if not (folder / storage.PROJECT_FILE).is_file():
            return False
        opened = self.open_project(folder)
        if opened:
            self.statusBar().showMessage(self.tr("Proyek terakhir dibuka lagi: {name}").format(
                name=folder.name), 8000)
        return opened

    def offer_recovery_at_launch(self) -> Path | None:
        """A banner for the first other recent project with unsaved work in its autosave."""
        if self.session.recovery is not None:
            return None  # the open project's own offer is already on screen
        current = self.session.root.resolve() if self.session.root is not None else None
        for path in self.session.settings.recent_projects:
            folder = Path(path)
            if folder.resolve() == current or not (folder / storage.AUTOSAVE_FILE).is_file():
                continue
            if pending_autosave(folder):
                self.recovery_banner.show_message(
                    self.tr("Proyek “{name}” punya perubahan yang belum tersimpan (aplikasi tertutup "
                            "mendadak). Buka dan pulihkan sekarang?").format(name=folder.name),
                    "warn", [(self.tr("Buka dan pulihkan"), lambda f=folder: self._open_and_restore(f)),
                             (self.tr("Nanti saja"), self.recovery_banner.hide)])
                return folder
        return None

    def _open_and_restore(self, folder: Path) -> None:
        self.recovery_banner.hide()
        if self.open_project(folder) and self.session.recovery is not None:
            self.recovery_banner.hide()
            self.session.restore_autosave()

    # ------------------------------------------------------------------ run every step

    def run_all_steps(self) -> bool:
        """“Jalankan semua langkah”: every missing or stale step, one bar, one Cancel."""
        chain = self.run_all
        if not self.session.is_open:
            return False
        if chain.start():
            return True
        if not chain.running and not self.session.busy:
            self.statusBar().showMessage(self.tr("Semua langkah sudah selesai; tinggal ekspor."), 8000)
        return False

    def _on_chain_step(self, index: int, total: int, _step: str) -> None:
        self.job_bar.set_chain(index, total)

    def _on_chain_finished(self, outcome: str) -> None:
        self.job_bar.end_chain()
        self._update_run_all_button()
        if outcome == "ok" and self.run_all.ran:
            self.statusBar().showMessage(self.tr("Semua langkah selesai. Periksa lalu ekspor video."), 10000)
            self.go("export")

    def _update_run_all_button(self) -> None:
        button = getattr(self, "run_all_button", None)
        if button is not None:
            button.setEnabled(self.session.is_open and not self.session.busy and not self.run_all.running)
