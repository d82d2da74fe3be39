"""The session's jobs: each step, the export and the draft render run on a snapshot off
the GUI thread; the result is applied here, on the GUI thread, and saved.

``run_task`` is the one way work starts: it refuses a second job while one runs,
flushes pending human-edit records first (so the AI log keeps its order), keeps the
finished part of a cancelled job, and turns a result that cannot be applied into a
failure. The pipeline is imported inside the workers, never at module level.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.core.jobs import Cancelled, JobContext
from studio.core.paths import slugify
from studio.core.project import Project
from studio.ui.jobs import JobRunner

log = logging.getLogger(__name__)


class TasksMixin:
    """Mixed into ``Session`` (which provides root, project, settings, the signals and ``save``)."""

    runner: JobRunner | None
    root: Path | None
    project: Any

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

    def run_tempo(self, factor: float) -> JobRunner | None:
        """Make every voice faster or slower by ``factor`` (synthetic voices are made again)."""
        settings = self.settings.model_copy(deep=True)
        key = self.engine_key("voice")

        def call(ctx: JobContext, snapshot: Project, root: Path) -> Any:
            from studio.engines import registry
            from studio.pipeline.duration_fit import apply_tempo

            engine = None
            if any(s.voice is not None and s.voice.origin == "tts" for s in snapshot.scenes):
                engine = registry.create(key, settings)
                registry.require_ready(engine)
            return apply_tempo(snapshot, root, factor, ctx, engine=engine)

        def apply(project: Project, outcome: Any) -> None:
            outcome.apply_to(project)

        return self.run_task("voice", call, apply)

    def run_draft_render(self) -> JobRunner | None:
        """Render a half-resolution preview MP4 (render/<slug>-draft.mp4) to play in the window."""
        def call(ctx: JobContext, snapshot: Project, root: Path) -> Any:
            from studio.core import ailog
            from studio.core.status import render_inputs_hash
            from studio.pipeline.export import bundle as export
            from studio.pipeline.render import renderer as render

            out = root / "render" / f"{slugify(snapshot.brief.title)}-draft.mp4"
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
