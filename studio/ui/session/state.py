"""The open project as the window sees it: open, edit, save, read its status.

This module owns the one live ``Project`` and every change to it on the GUI thread:
pages call ``touch()`` after an edit (debounced autosave, ``session.autosave``; a
burst of human edits logged once to the AI log), ``run_step()``/``run_task()``
(``session.tasks``) to start work on a snapshot off the GUI thread, whose result is
applied in the success slot, followed by an explicit save. Bad input around the
project folder is answered by ``session.recovery``. No pipeline logic lives here: it calls
``pipeline.steps`` and the pipeline modules, imported lazily so the window opens
before any heavy library is loaded.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core import lock as project_lock
from studio.core import paths, storage
from studio.core.errors import StudioError
from studio.core.project import Brief, Project
from studio.core.settings import Settings, load_settings, save_settings
from studio.ui.jobs import JobRunner
from studio.ui.session.autosave import AutosaveMixin
from studio.ui.session.estimates import EstimatesMixin
from studio.ui.session.recovery import RecoveryMixin, is_read_only_error, is_writable
from studio.ui.session.tasks import TasksMixin

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1500
HUMAN_EDIT_IDLE_MS = 5000
"""A burst of typing ends after this long without an edit; then one log record is written."""
MAX_RECENT = 8


class Session(AutosaveMixin, TasksMixin, RecoveryMixin, EstimatesMixin, QObject):
    """The open project, its folder and the machine settings, plus the running job."""

    opened = Signal()
    """A project was created, opened, restored or closed: pages reload from scratch."""
    changed = Signal(str)
    """The project changed; the argument names the area (brief, scenes, images...)."""
    jobStarted = Signal(object)
    """A ``JobRunner`` that is now running."""
    jobEnded = Signal(str, str)
    """(step, outcome) with outcome ok, failed or cancelled."""
    jobFailed = Signal(str, object)
    """(step, exception): the window shows it."""
    saved = Signal()
    autosaved = Signal()
    recoveryOffered = Signal()
    settingsChanged = Signal()
    message = Signal(str)
    assetsChecked = Signal()
    """``asset_issues`` was recomputed (after opening, a relink or a regenerate)."""
    saveFailed = Signal(object)
    """project.json could not be written (the exception); the edits stay in memory."""

    def __init__(self, settings: Settings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or load_settings()
        self.root: Path | None = None
        self.project: Project | None = None
        self.dirty = False
        self.runner: JobRunner | None = None
        self.recovery: Project | None = None
        self.results: dict[str, Any] = {}
        """The last result of each job (e.g. subtitle agreement, the export outcome)."""
        self.draft_video: Path | None = None
        self.draft_hash = ""
        self.asset_issues: list[Any] = []
        """``core.integrity.AssetIssue`` for every referenced file that is missing or damaged."""
        self.read_only = False
        """The project folder cannot be written: saving needs "Simpan salinan ke…"."""
        self._human: dict[tuple[str, str | None], str] = {}
        self._status: dict[str, Any] | None = None
        self.forget_estimates()
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._autosave.timeout.connect(self.autosave_now)
        self._human_timer = QTimer(self, singleShot=True, interval=HUMAN_EDIT_IDLE_MS)
        self._human_timer.timeout.connect(self.flush_human_edits)

    # ------------------------------------------------------------------ opening

    @property
    def is_open(self) -> bool:
        return self.project is not None and self.root is not None

    def new_project(self, folder: Path, preset_id: str, *, title: str = "") -> None:
        """Create a project folder (may exist, must not hold a project) and open it."""
        from studio.core.presets import get_preset

        self.close_project()
        preset = get_preset(preset_id)
        project = Project(preset=preset.id, brief=Brief(title=title.strip()))
        project.render.width, project.render.height = preset.video.width, preset.video.height
        project.render.fps = preset.video.fps
        storage.create_project(Path(folder), project)
        self._set(Path(folder), project)

    def open_project(self, folder: Path) -> list[str]:
        """Open the project in ``folder``; returns the loader's warnings.

        If an autosave newer than project.json holds different content, ``recovery`` is
        set and ``recoveryOffered`` emitted: the window asks whether to restore it.
        """
        folder = Path(folder)
        result = storage.read_project(folder)
        self.close_project()
        with contextlib.suppress(OSError, StudioError):
            # A read-only folder (USB stick, shared drive) still opens; saving says why not.
            # So does one with a file where a step folder belongs: the step names it.
            storage.ensure_subdirs(folder)
        self._set(folder, result.project)
        self._check_autosave()
        return list(result.warnings)

    def open_demo(self, folder: Path | None = None) -> None:
        """Open (creating it if needed) the sample weton project."""
        from studio.pipeline import demo

        folder = Path(folder) if folder else default_demo_folder()
        self.close_project()
        root, project = demo.open_or_create(folder)
        self._set(root, project)
        self._check_autosave()

    def close_project(self) -> None:
        """Save what is open (if anything changed) and forget it."""
        if not self.is_open:
            return
        if self.dirty:
            self.save()
        self.flush_human_edits()
        if getattr(self, "_locked", False) and self.root is not None:
            project_lock.release(self.root)
        self._locked = False
        self.root = self.project = None
        self.recovery = None
        self.results.clear()
        self.draft_video, self.draft_hash = None, ""
        self.dirty = False
        self.asset_issues = []
        self.read_only = False

    def _set(self, root: Path, project: Project) -> None:
        # One writer per project: a CLI run (or another window) on this folder must not
        # overwrite the window's saves, nor the window theirs (core.lock says who holds it).
        self._locked = project_lock.acquire(root, "studio (window)")
        self._status = None
        self.forget_estimates()
        self.root, self.project = root, project
        self.dirty = False
        self.read_only = not is_writable(root)
        self.asset_issues = self._verify_assets()
        self._remember(root)
        self.opened.emit()

    def _remember(self, root: Path) -> None:
        path = str(Path(root).resolve())
        recent = [p for p in self.settings.recent_projects if p != path]
        self.settings.recent_projects = [path, *recent][:MAX_RECENT]
        with contextlib.suppress(StudioError, OSError):
            save_settings(self.settings)

    # ------------------------------------------------------------------ editing

    def touch(self, area: str, *, human: tuple[str, str | None] | None = None,
              note: str = "") -> None:
        """Record that the project changed in ``area``.

        Args:
            human: (step, scene_id) when the creator edited generated content; one
                AI-log "edit" record is written per burst of edits, not per keystroke.
        """
        if not self.is_open:
            return
        self._status = None
        self.dirty = True
        self._autosave.start()
        if human is not None:
            self._human.setdefault(human, note)
            self._human_timer.start()
        self.changed.emit(area)

    def flush_human_edits(self) -> None:
        """Write the pending human-edit records (one per step and scene)."""
        self._human_timer.stop()
        if self.read_only and self._human and self.root is not None:
            return  # kept until "Simpan salinan ke…" gives them a writable AI log
        if not self._human or self.root is None:
            self._human.clear()
            return
        from studio.pipeline.provenance import log_human

        pending, self._human = self._human, {}
        for (step, scene_id), note in pending.items():
            try:
                log_human(self.root, step, "edit", scene_id=scene_id,
                          note=note or "Creator edited the text.")
            except OSError as exc:
                log.warning("could not log a human edit: %s", exc)

    def save(self) -> bool:
        """Save project.json (keeping .bak) and drop the autosave; False if it failed."""
        if not self.is_open:
            return False
        assert self.root is not None and self.project is not None
        self.flush_human_edits()
        self._autosave.stop()
        try:
            storage.save_project(self.root, self.project)
        except StudioError as exc:
            # The edits stay in memory (dirty): the window offers "Simpan salinan ke…".
            if is_read_only_error(exc):
                self.read_only = True
            self.saveFailed.emit(exc)
            self.jobFailed.emit("save", exc)
            return False
        self.read_only = False
        with contextlib.suppress(OSError):
            (self.root / storage.AUTOSAVE_FILE).unlink()
        self.dirty = False
        self.saved.emit()
        return True

    def set_settings(self, settings: Settings) -> None:
        self.settings = settings
        self._status = None
        self.forget_estimates()
        save_settings(settings)
        self.settingsChanged.emit()
        self.changed.emit("settings")

    # ------------------------------------------------------------------ reading

    def status(self) -> dict[str, Any]:
        """core.status.project_status with the engines this machine would use.

        Cached until the next change (``touch``, an applied job, opening): every card
        of a page asks for it while the page is drawn.
        """
        from studio.core.status import project_status

        assert self.project is not None
        if self._status is None:
            self._status = project_status(self.project, image_engine=self.engine_key("image"),
                                          voice_engine=self.engine_key("voice"))
        return self._status

    def engine_key(self, kind: str) -> str:
        from studio.pipeline.steps import engine_key

        assert self.project is not None
        return engine_key(kind, self.project, self.settings)

    def timeline(self) -> Any:
        from studio.core.timeline import build_timeline

        assert self.project is not None
        return build_timeline(self.project)

    def preset(self) -> Any:
        from studio.core.presets import get_preset

        assert self.project is not None
        return get_preset(self.project.preset)

    def findings(self) -> list[Any]:
        """The live rule checks (empty if the checks module is not available)."""
        if not self.is_open:
            return []
        try:
            from studio.pipeline import checks
        except ImportError:
            return []
        try:
            return list(checks.check_project(self.project, self.root))
        except StudioError as exc:
            log.warning("live checks failed: %s", exc)
            return []


def default_demo_folder() -> Path:
    """Where "Buka proyek contoh" keeps the sample project."""
    return paths.user_data_dir() / "proyek-contoh"
