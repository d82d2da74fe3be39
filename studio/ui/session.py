"""The open project as the window sees it: load, edit, autosave, save, run jobs.

This module owns the one live ``Project`` and every change to it on the GUI thread:
pages call ``touch()`` after an edit (debounced autosave to ``project.autosave.json``,
a burst of human edits logged once to the AI log), ``run_step()``/``run_task()`` to
start work on a snapshot off the GUI thread, and the result is applied here, in the
success slot, followed by an explicit save. No pipeline logic lives here: it calls
``pipeline.steps`` and the pipeline modules, imported lazily so the window opens
before any heavy library is loaded.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from studio.core import paths, storage
from studio.core.errors import StudioError
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import Brief, Project
from studio.core.settings import Settings, load_settings, save_settings
from studio.ui.jobs import JobRunner
from studio.ui.session_recovery import RecoveryMixin, is_read_only_error, is_writable

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 1500
HUMAN_EDIT_IDLE_MS = 5000
"""A burst of typing ends after this long without an edit; then one log record is written."""
MAX_RECENT = 8
DISCARDED_AUTOSAVE = "project.autosave.discarded.json"


class Session(RecoveryMixin, QObject):
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
        with contextlib.suppress(OSError):
            # A read-only folder (USB stick, shared drive) still opens; saving says why not.
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
        self.root = self.project = None
        self.recovery = None
        self.results.clear()
        self.draft_video, self.draft_hash = None, ""
        self.dirty = False
        self.asset_issues = []
        self.read_only = False

    def _set(self, root: Path, project: Project) -> None:
        self._status = None
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

    # ------------------------------------------------------------------ recovery

    def _check_autosave(self) -> None:
        assert self.root is not None and self.project is not None
        auto = self.root / storage.AUTOSAVE_FILE
        main = self.root / storage.PROJECT_FILE
        if not auto.exists():
            return
        try:
            newer = auto.stat().st_mtime >= main.stat().st_mtime
            candidate = storage.parse_project(auto.read_text(encoding="utf-8"),
                                              path=storage.AUTOSAVE_FILE).project
        except (OSError, StudioError, UnicodeDecodeError) as exc:
            log.warning("ignoring unreadable autosave: %s", exc)
            return
        if newer and _content(candidate) != _content(self.project):
            self.recovery = candidate
            self.recoveryOffered.emit()

    def restore_autosave(self) -> None:
        """Replace the opened project by the autosaved one and save it."""
        if self.recovery is None or self.root is None:
            return
        project, self.recovery = self.recovery, None
        self.project = project
        self._status = None
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

    # ------------------------------------------------------------------ jobs

    @property
    def busy(self) -> bool:
        return self.runner is not None and self.runner.running

    def run_step(self, step: str, *, scene_ids: list[str] | None = None,
                 force: bool = False) -> JobRunner | None:
        """Run a creator step (script, images, voice, subtitles, music) off the GUI thread."""
        settings = self.settings.model_copy(deep=True)
        holder: dict[str, Any] = {}

        def call(ctx: JobContext, snapshot: Project, root: Path) -> Any:
            from studio.pipeline import steps

            holder["job"] = steps.prepare(step, snapshot, root, settings, scene_ids=scene_ids,
                                          force=force)
            return holder["job"].run(ctx)

        def apply(project: Project, result: Any) -> None:
            holder["job"].apply(project, result)

        runner = self.run_task(step, call, apply)
        if runner is not None:
            # The worker fills the holder; the window reads the engine's streamed text from it.
            runner.prepared = holder
        return runner

    def running_engine(self, step: str | None = None) -> Any:
        """The first engine of the running step (``step`` if given), or None.

        The script page reads the model's ``partial_text`` from it while the answer
        streams in (the engine keeps it behind a lock: safe from the GUI thread).
        """
        runner = self.runner
        if runner is None or not runner.running or (step is not None and runner.step != step):
            return None
        job = getattr(runner, "prepared", {}).get("job")
        engines = getattr(job, "engines", None) or []
        return engines[0] if engines else None

    def run_export(self, *, force: bool = False, draft: bool = False, sign: Any = None) -> JobRunner | None:
        """Check, render, re-check the file and write the bundle.

        ``sign``: a ``c2pa_sign.SigningKey`` to add Content Credentials to the MP4 (its
        certificate is checked before anything is rendered), or None.
        """
        settings = self.settings.model_copy(deep=True)
        holder: dict[str, Any] = {}

        def call(ctx: JobContext, snapshot: Project, root: Path) -> Any:
            from studio.pipeline import steps

            holder["job"] = steps.prepare_export(snapshot, root, settings, force=force, draft=draft,
                                                 sign=sign)
            return holder["job"].run(ctx)

        def apply(project: Project, outcome: Any) -> None:
            holder["job"].apply(project, outcome)

        return self.run_task("export", call, apply)

    def run_draft_render(self) -> JobRunner | None:
        """Render a half-resolution preview MP4 (render/<slug>-draft.mp4) to play in the window."""
        def call(ctx: JobContext, snapshot: Project, root: Path) -> Any:
            from studio.core import ailog
            from studio.core.status import render_inputs_hash
            from studio.pipeline.export import bundle as export
            from studio.pipeline.render import renderer as render

            out = root / "render" / f"{paths.slugify(snapshot.brief.title)}-draft.mp4"
            records = ailog.current_records(ailog.read(root), [s.id for s in snapshot.scenes])
            result = render.render_video(snapshot, root, out, ctx, draft=True,
                                         metadata=export.metadata_for(snapshot, records))
            return result, render_inputs_hash(snapshot)

        def apply(project: Project, outcome: Any) -> None:
            result, inputs = outcome
            self.draft_video, self.draft_hash = Path(result.path), inputs

        return self.run_task("render", call, apply, save=False)

    def run_task(self, step: str, call: Callable[[JobContext, Project, Path], Any],
                 apply: Callable[[Project, Any], None] | None = None, *,
                 save: bool = True) -> JobRunner | None:
        """Run ``call(ctx, snapshot, root)`` off the GUI thread; ``apply`` its result here.

        Returns None (and says why) when no project is open or a job is running.
        """
        if not self.is_open:
            return None
        if self.busy:
            self.message.emit(self.tr("Tunggu pekerjaan yang sedang berjalan selesai, atau "
                                      "batalkan dulu (Esc)."))
            return None
        assert self.root is not None and self.project is not None
        # Edits typed before the run belong before the run's own record in the log.
        self.flush_human_edits()
        snapshot = self.project.model_copy(deep=True)
        root = self.root
        runner = JobRunner(lambda ctx: call(ctx, snapshot, root), step, self)
        project = self.project

        def applied(result: Any) -> bool:
            if self.project is not project:
                return False  # another project was opened meanwhile: nothing to apply to
            if apply is not None:
                apply(project, result)
            self._status = None
            self.results[step] = result
            if save:
                self.dirty = True
                self.save()
            self.changed.emit(step)
            return True

        def on_ok(result: Any) -> None:
            try:
                applied(result)
            except Exception as exc:  # noqa: BLE001 - a result that cannot be applied is a failure
                log.exception("applying %s failed", step)
                self._end(runner, step, "failed", exc)
                return
            self._end(runner, step, "ok")

        def on_cancelled(exc: Cancelled) -> None:
            partial = getattr(exc, "partial", None)
            if partial:
                try:
                    applied(partial)
                except Exception:  # noqa: BLE001 - the cancel itself must still end cleanly
                    log.exception("keeping the finished part of %s failed", step)
            self._end(runner, step, "cancelled")

        def on_failed(exc: BaseException) -> None:
            self._end(runner, step, "failed", exc)

        runner.succeeded.connect(on_ok)
        runner.cancelled.connect(on_cancelled)
        runner.failed.connect(on_failed)
        self.runner = runner
        runner.start()
        self.jobStarted.emit(runner)
        return runner

    def _end(self, runner: JobRunner, step: str, outcome: str, exc: BaseException | None = None) -> None:
        if self.runner is runner:
            self.runner = None
        if exc is not None:
            self.jobFailed.emit(step, exc)
        self.jobEnded.emit(step, outcome)
        runner.deleteLater()

    def cancel(self) -> bool:
        """Ask the running job to stop; False if nothing runs."""
        if self.busy:
            assert self.runner is not None
            self.runner.cancel()
            return True
        return False

    def shutdown(self, timeout: float = 10.0) -> None:
        """Cancel the running job, wait for it, and save (window closing)."""
        if self.runner is not None:
            self.runner.cancel()
            self.runner.wait(timeout)
        self.close_project()


def _content(project: Project) -> dict[str, Any]:
    return project.model_dump(mode="json", exclude={"modified", "app_version"})


def default_demo_folder() -> Path:
    """Where "Buka proyek contoh" keeps the sample project."""
    return paths.user_data_dir() / "proyek-contoh"
