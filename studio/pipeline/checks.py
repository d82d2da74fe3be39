"""Rule checks glue: gather the facts (AI log, timeline, probed file) and ask core.rules.

``check_project`` runs live while the creator edits; ``check_file`` is the final gate
on an exported (or any) MP4; ``check_export`` combines them so the file's verdict on
a rule (its real duration, size, frame rate) replaces the project's estimate.
"""

from __future__ import annotations

from pathlib import Path

from studio.core import ailog
from studio.core.jobs import JobContext
from studio.core.presets import Preset, get_preset
from studio.core.project import Project
from studio.core.rules.findings import Finding, merge_findings
from studio.core.rules.media import MediaFacts, check_media_facts
from studio.core.rules.project import check_project_facts
from studio.core.timeline import build_timeline
from studio.pipeline.media.probe import probe_media


def _preset(preset: str | Preset) -> Preset:
    return preset if isinstance(preset, Preset) else get_preset(preset)


def current_ai_records(project: Project, root: Path) -> list[ailog.AiRecord]:
    """The AI-log records that still describe the project's content."""
    return ailog.current_records(ailog.read(root), [s.id for s in project.scenes])


def check_project(project: Project, root: Path, *, preset: str | Preset | None = None) -> list[Finding]:
    """Live checks of ``project`` (in folder ``root``) against its preset (or ``preset``)."""
    chosen = _preset(preset if preset is not None else project.preset)
    current = current_ai_records(project, root)
    return check_project_facts(project, chosen, timeline=build_timeline(project),
                               ai_steps=ailog.steps_with_ai(current), declared=ailog.declared_tools(current))


def check_file(path: Path, preset_id: str | Preset, ctx: JobContext | None = None) -> list[Finding]:
    """Probe the video at ``path`` and check it against the preset (MediaError if unreadable)."""
    return check_media_facts(probe_media(Path(path), ctx=ctx), _preset(preset_id))


def finding_dict(finding: Finding) -> dict[str, object]:
    """A finding as plain JSON-ready data (with its Indonesian and English labels)."""
    return finding.to_dict()


def check_export(project: Project, root: Path, video: Path,
                 ctx: JobContext | None = None) -> tuple[list[Finding], MediaFacts]:
    """The final findings for an export: project checks, overridden by the file as probed.

    Returns the findings and the probed facts (the AI-usage report records both).
    """
    preset = _preset(project.preset)
    facts = probe_media(Path(video), ctx=ctx)
    findings = merge_findings(check_project(project, root, preset=preset),
                              check_media_facts(facts, preset))
    return findings, facts
