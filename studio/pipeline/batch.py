"""A trainer's batch: run what is missing in many project folders, in turn or N at a time.

``run_batch(folders)`` finds project folders (a folder holding ``project.json``, or
every such folder one level under it), runs each missing or stale step through the
same ``steps.prepare`` the window uses, saving after every step, then optionally
exports. Because each finished step is saved and ``steps.needs_run`` skips what is
done, a batch that was killed resumes where it stopped when run again. One
project failing never stops the others; its error is its row's sentence.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from studio.core import storage
from studio.core.errors import StudioError
from studio.core.jobs import Cancelled, JobContext, Progress
from studio.core.settings import Settings


@dataclass
class BatchRow:
    """One project's line of the table."""

    folder: Path
    title: str = ""
    status: str = "waiting"
    """``waiting``, ``running``, ``done``, ``up to date``, ``failed``, ``cancelled``."""
    seconds: float = 0.0
    steps_run: list[str] = field(default_factory=list)
    rules: str = ""
    """``pass``, ``N blocking`` or empty when not checked."""
    output: str = ""
    error: str = ""
    step: str = ""
    """The step running now (for the window's progress)."""


def find_projects(paths: Sequence[Path]) -> list[Path]:
    """Project folders named by ``paths``: each path itself, or its sub-folders holding a project."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if (path / storage.PROJECT_FILE).is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if (p / storage.PROJECT_FILE).is_file()))
    seen: set[Path] = set()
    return [p for p in found if not (p.resolve() in seen or seen.add(p.resolve()))]


def run_project(row: BatchRow, settings: Settings, *, export: bool, ctx: JobContext) -> BatchRow:
    """Run what is missing in one project folder, saving after every step."""
    from studio.core.rules.findings import blocking
    from studio.core.status import render_inputs_hash
    from studio.pipeline import checks, steps

    started = time.monotonic()
    row.status = "running"
    try:
        project = storage.read_project(row.folder).project
        storage.ensure_subdirs(row.folder)
        row.title = project.brief.title
        for step in steps.STEP_ORDER:
            if not steps.needs_run(step, project):
                continue
            row.step = step
            prepared = steps.prepare(step, project, row.folder, settings)
            try:
                result = prepared.run(ctx)
            except Cancelled as exc:
                if exc.partial:
                    prepared.apply(project, exc.partial)
                    storage.save_project(row.folder, project)
                raise
            prepared.apply(project, result)
            storage.save_project(row.folder, project)
            row.steps_run.append(step)
        row.step = ""
        findings = checks.check_project(project, row.folder)
        failed = blocking(findings)
        row.rules = "pass" if not failed else f"{len(failed)} blocking"
        last = project.last_export
        if export and not failed:
            if last and last.passed and last.inputs_hash == render_inputs_hash(project) \
                    and (row.folder / last.video).is_file():
                row.output = last.video
            else:
                row.step = "export"
                prepared = steps.prepare_export(project, row.folder, settings)
                outcome = prepared.run(ctx)
                prepared.apply(project, outcome)
                storage.save_project(row.folder, project)
                row.steps_run.append("export")
                row.output = storage.relative_to_root(row.folder, outcome.video)
        elif last:
            row.output = last.video
        row.status = "failed" if (export and failed) else ("done" if row.steps_run else "up to date")
        if export and failed:
            row.error = " ".join(f.message_en for f in failed)
    except Cancelled:
        row.status = "cancelled"
    except (StudioError, OSError) as exc:
        row.status, row.error = "failed", str(exc)
    row.step = ""
    row.seconds = time.monotonic() - started
    return row


def run_batch(folders: Sequence[Path], settings: Settings, *, export: bool = False, jobs: int = 1,
              ctx: JobContext | None = None, on_change: Callable[[BatchRow], None] | None = None) -> list[BatchRow]:
    """Run every project; ``jobs`` at a time. Rows come back in folder order."""
    ctx = ctx or JobContext("batch")
    rows = [BatchRow(Path(f)) for f in find_projects(folders)]
    lock = threading.Lock()

    def one(row: BatchRow) -> BatchRow:
        if ctx.cancelled:
            row.status = "cancelled"
            return row

        def report(p: Progress) -> None:
            if on_change is not None:
                with lock:
                    on_change(row)

        child = JobContext(f"batch:{row.folder.name}", report)
        child._cancel = ctx._cancel  # one cancel stops every project
        from studio.core.lock import project_lock

        try:
            with project_lock(row.folder, "studio batch"):
                run_project(row, settings, export=export, ctx=child)
        except StudioError as exc:  # another process has the project open
            row.status, row.error = "failed", str(exc)
        if on_change is not None:
            with lock:
                on_change(row)
        return row

    with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
        list(pool.map(one, rows))
    return rows


def table(rows: Sequence[BatchRow]) -> str:
    """The batch as a plain-text table (project, status, duration, rule result, output path)."""
    head = ("project", "status", "duration", "rules", "output")
    lines = [(r.folder.name, r.status, f"{r.seconds:.0f} s", r.rules or "-", r.output or (r.error[:70] or "-"))
             for r in rows]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(head)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head), fmt.format(*("-" * w for w in widths))]
    out += [fmt.format(*line) for line in lines]
    failed = sum(r.status == "failed" for r in rows)
    out.append(f"{len(rows)} project(s), {failed} failed.")
    return "\n".join(out)
