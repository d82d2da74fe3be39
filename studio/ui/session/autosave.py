"""The session's autosave: project.autosave.json between saves, and the offer to restore it.

The autosave is written a moment after the last edit (never project.json). When a
project opens with an autosave that is newer and holds different content (the app
closed unexpectedly), ``recoveryOffered`` asks the creator; a discarded autosave is
kept aside under another name, never deleted.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from studio.core import storage
from studio.core.errors import StudioError
from studio.core.project import Project

log = logging.getLogger(__name__)

DISCARDED_AUTOSAVE = "project.autosave.discarded.json"


class AutosaveMixin:
    """Mixed into ``Session`` (which provides root, project, dirty, the timers, the signals and ``save``)."""

    root: Path | None
    project: Any

    def autosave_now(self) -> None:
        """Write project.autosave.json (never project.json) if there are unsaved changes."""
        self._autosave.stop()
        if not self.is_open or not self.dirty or self.read_only:
            # A read-only folder: the banner already offers "Simpan salinan ke…".
            return
        assert self.root is not None and self.project is not None
        try:
            storage.atomic_write_text(self.root / storage.AUTOSAVE_FILE,
                                      storage.dump_project(self.project))
        except (StudioError, OSError) as exc:
            from studio.ui.dialogs import error_message

            self.message.emit(self.tr("Simpan otomatis gagal: {err}").format(err=error_message(exc)))
            return
        self.autosaved.emit()

    def _check_autosave(self) -> None:
        assert self.root is not None and self.project is not None
        candidate = autosave_candidate(self.root, self.project)
        if candidate is not None:
            self.recovery = candidate
            self.recoveryOffered.emit()

    def restore_autosave(self) -> None:
        """Replace the opened project by the autosaved one and save it."""
        if self.recovery is None or self.root is None:
            return
        project, self.recovery = self.recovery, None
        self.project = project
        self._status = None
        self.forget_estimates()
        self.dirty = True
        self.save()
        self.opened.emit()
        self.message.emit(self.tr("Perubahan yang belum tersimpan sudah dipulihkan."))

    def discard_autosave(self) -> None:
        """Keep project.json; the autosave is kept aside (not deleted) just in case."""
        self.recovery = None
        if self.root is not None:
            auto = self.root / storage.AUTOSAVE_FILE
            with contextlib.suppress(OSError):
                os.replace(auto, self.root / DISCARDED_AUTOSAVE)


def autosave_candidate(root: Path, project: Project) -> Project | None:
    """The autosaved project in ``root`` when it is newer than project.json and differs from
    ``project`` (unsaved work the app closed on), else None."""
    auto = root / storage.AUTOSAVE_FILE
    main = root / storage.PROJECT_FILE
    if not auto.exists():
        return None
    try:
        newer = auto.stat().st_mtime >= main.stat().st_mtime
        candidate = storage.parse_project(auto.read_text(encoding="utf-8"),
                                          path=storage.AUTOSAVE_FILE).project
    except (OSError, StudioError, UnicodeDecodeError) as exc:
        log.warning("ignoring unreadable autosave: %s", exc)
        return None
    return candidate if newer and _content(candidate) != _content(project) else None


def _content(project: Project) -> dict[str, Any]:
    return project.model_dump(mode="json", exclude={"modified", "app_version"})
