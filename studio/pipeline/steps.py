"""Run a creator step the same way from the GUI and the CLI.

``prepare(step, ...)`` builds the engines, runs their preflight (so nothing
expensive starts when an engine is missing) and returns a ``StepJob``:
``job.run(ctx)`` does the work on any thread against a snapshot of the project,
``job.apply(project, result)`` puts the result into the live project on the
caller's thread (the GUI's success slot, or the CLI directly). Then save.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core import ailog, storage
from studio.core.errors import ExportBlocked, StudioError, UsageError
from studio.core.paths import slugify
from studio.core.jobs import JobContext
from studio.core.project import ExportRecord, Project, StepRecord, now_iso
from studio.core.settings import Settings
from studio.core.status import render_inputs_hash, subtitles_inputs_hash
from studio.core.validate import require_scene_ids
from studio.engines import registry

STEP_ORDER: tuple[str, ...] = ("script", "images", "voice", "subtitles", "music")
STEP_LABELS_ID = {"script": "Naskah", "images": "Gambar", "voice": "Suara", "subtitles": "Subtitle",
                  "music": "Musik", "export": "Ekspor", "render": "Render"}


@dataclass
class StepJob:
    step: str
    run: Callable[[JobContext], Any]
    apply: Callable[[Project, Any], None]
    engines: list[Any] = field(default_factory=list)


def _mark(project: Project, step: str, inputs: str = "", outputs: Sequence[str] = ()) -> None:
    project.steps[step] = StepRecord(inputs_hash=inputs, finished=now_iso(), outputs=list(outputs))


def engine_key(kind: str, project: Project, settings: Settings) -> str:
    """The engine key for ``kind``: the project's pinned choice, else the machine's."""
    if kind == "voice" and project.voice.engine:
        return project.voice.engine
    if kind == "image" and project.images.engine:
        return project.images.engine
    return getattr(settings.engines, kind)


def _ready(kind: str, project: Project, settings: Settings) -> Any:
    key = engine_key(kind, project, settings)
    # The same SD-Turbo through OpenVINO when its converted folder is ready (faster on every CPU measured).
    engine = (registry.faster_image_engine(settings) if key == "image.diffusers" else None) or \
        registry.create(key, settings)
    registry.require_ready(engine)
    return engine



_STEP_ID = {"images": "Gambar", "voice": "Suara", "subtitles": "Subtitle", "music": "Musik"}


def _apply_per_scene(attr: str, step: str) -> Callable[[Project, Any], None]:
    """Put a step's ``{scene_id: asset}`` result on the live project's scenes and mark the step."""

    def apply(p: Project, result: Any) -> None:
        for scene in p.scenes:
            if scene.id in result:
                setattr(scene, attr, result[scene.id])
        _mark(p, step, outputs=[a.path for a in result.values()])

    return apply


def prepare(step: str, project: Project, root: Path, settings: Settings, *,
            scene_ids: Sequence[str] | None = None, force: bool = False) -> StepJob:
    """Build the job for ``step`` (raises EngineUnavailable before any work)."""
    root = Path(root)
    if step in ("images", "voice", "subtitles", "music") and not project.scenes:
        # Running them would "succeed" with nothing made; say what comes first instead.
        raise UsageError(
            f"The script has no scenes yet, so there is nothing for the {step} step to do. "
            "Write the script first (Script step), then come back.",
            f"Naskah belum berisi adegan, jadi langkah {_STEP_ID.get(step, step)} belum bisa "
            "dijalankan. Buat naskah dulu (langkah Naskah), lalu kembali ke sini.")
    storage.require_writable(root)
    storage.check_layout(root)
    snapshot = project.model_copy(deep=True)
    ids = list(scene_ids) if scene_ids else None
    require_scene_ids(project, ids)

    if step == "script":
        from studio.pipeline import script
        from studio.pipeline.voice import step as voice

        engine = _ready("script", project, settings)
        voice_engine = registry.create(engine_key("voice", project, settings), settings)
        wpm = voice.narration_wpm(snapshot, voice_engine)

        def run(ctx: JobContext) -> Any:
            return script.write_script(snapshot, root, engine, ctx, words_per_minute=wpm)

        def apply(p: Project, outcome: Any) -> None:
            p.scenes = list(outcome.scenes)
            p.subtitles.cues = []
            p.script_declared = None  # the app wrote this script: nothing imported to declare
            _mark(p, "script")

        return StepJob(step, run, apply, [engine])

    if step == "images":
        from studio.pipeline.images import step as images

        engine = _ready("image", project, settings)

        def run(ctx: JobContext) -> Any:
            return images.generate_images(snapshot, root, engine, ctx, scene_ids=ids, force=force,
                                          upscale=snapshot.images.upscale)

        return StepJob(step, run, _apply_per_scene("image", "images"), [engine])

    if step == "voice":
        from studio.pipeline.voice import step as voice

        engine = registry.create(engine_key("voice", project, settings), settings)
        # A voice with one model per language (MMS-TTS) loads the narration's before its
        # preflight, so a missing Basa Jawa voice is named as such, not as the Indonesian one.
        use_language = getattr(engine, "use_language", None)
        if use_language is not None:
            use_language(project.brief.language)
        registry.require_ready(engine)

        def run(ctx: JobContext) -> Any:
            return voice.synthesize_voices(snapshot, root, engine, ctx, scene_ids=ids, force=force)

        return StepJob(step, run, _apply_per_scene("voice", "voice"), [engine])

    if step == "subtitles":
        from studio.pipeline.subtitles import step as subtitles

        engine = _ready("transcribe", project, settings)

        def run(ctx: JobContext) -> Any:
            return subtitles.make_subtitles(snapshot, root, engine, ctx)

        def apply(p: Project, outcome: Any) -> None:
            new = outcome.subtitles
            # The creator's display choices survive a re-run of the step.
            new = new.model_copy(update={"style": p.subtitles.style, "burn_in": p.subtitles.burn_in})
            p.subtitles = new
            _mark(p, "subtitles", subtitles_inputs_hash(p))

        return StepJob(step, run, apply, [engine])

    if step == "music":
        from studio.pipeline import music

        def run(ctx: JobContext) -> Any:
            return music.make_music(snapshot, root, ctx)

        def apply(p: Project, result: Any) -> None:
            p.music = result.model_copy(update={"level_db": p.music.level_db, "duck_db": p.music.duck_db})
            _mark(p, "music", outputs=[result.path] if result.path else [])

        return StepJob(step, run, apply)

    raise StudioError(f"Unknown step '{step}'; steps are: {', '.join(STEP_ORDER)}.",
                      f"Langkah '{step}' tidak dikenal; langkahnya: {', '.join(STEP_ORDER)}.")


def needs_run(step: str, project: Project) -> bool:
    """True when ``step`` has missing or stale output (so ``run all`` can skip the rest)."""
    from studio.core.status import project_status

    if step == "script":
        return not project.scenes
    st = project_status(project)
    if step == "music":
        return project.music.source == "generated" and not project.music.path
    return st[step].state != "done"


# ---------------------------------------------------------------- export


@dataclass
class ExportOutcome:
    folder: Path
    video: Path
    findings: list[Any]
    file_findings: list[Any]
    render: Any
    credentials: Any = None
    """Content Credentials read back from the signed MP4 (None when not signed)."""


def prepare_export(project: Project, root: Path, settings: Settings, *, force: bool = False,
                   draft: bool = False, sign: Any = None) -> StepJob:
    """Check → render → probe and check the file → bundle. Blocks on a hard failure.

    ``sign`` (a ``pipeline.export.sign.SigningKey``) adds Content Credentials to the
    bundle's MP4; its certificate is checked here, before anything is rendered.
    """
    from studio.core.rules.findings import blocking
    from studio.pipeline import checks
    from studio.pipeline.export import bundle as export
    from studio.pipeline.render import renderer as render

    root = Path(root)
    storage.require_writable(root)
    storage.check_layout(root)
    snapshot = project.model_copy(deep=True)
    if sign is not None:
        from studio.core.errors import EngineUnavailable
        from studio.pipeline.export import sign as c2pa_sign

        problems = c2pa_sign.preflight(sign)
        if problems:
            raise EngineUnavailable("Content Credentials cannot be signed: " + " ".join(problems),
                                    "Content Credentials tidak bisa ditandatangani: "
                                    + " ".join(p.text("id") for p in problems), problems=list(problems))

    def run(ctx: JobContext) -> ExportOutcome:
        findings = checks.check_project(snapshot, root)
        if blocking(findings) and not force:
            raise _blocked(blocking(findings))
        records = ailog.current_records(ailog.read(root), [s.id for s in snapshot.scenes])
        metadata = export.metadata_for(snapshot, records)
        video = root / "render" / f"{slugify(snapshot.brief.title)}.mp4"
        result = render.render_video(snapshot, root, video, ctx.child("render", 0, 0.9, 1.0),
                                     draft=draft, metadata=metadata)
        ctx.progress(0.9, 1.0, "Memeriksa berkas video")
        file_findings = checks.check_file(video, snapshot.preset, ctx)
        if blocking(file_findings) and not force:
            raise _blocked(blocking(file_findings))
        ctx.check()
        bundle = export.export_bundle(snapshot, root, ctx.child("bundle", 0.95, 0.05, 1.0),
                                      video=video, findings=findings + file_findings, signing=sign)
        ctx.progress(1.0, 1.0, "Selesai")
        return ExportOutcome(Path(bundle.folder), Path(bundle.video), findings, file_findings, result,
                             credentials=bundle.credentials)

    def apply(p: Project, outcome: ExportOutcome) -> None:
        p.last_export = ExportRecord(
            folder=storage.relative_to_root(root, outcome.folder),
            video=storage.relative_to_root(root, outcome.video),
            inputs_hash=render_inputs_hash(p),
            passed=not blocking(outcome.findings + outcome.file_findings))

    return StepJob("export", run, apply)


def _blocked(findings: Sequence[Any]) -> ExportBlocked:
    en = "Export is blocked: " + " ".join(f.message_en for f in findings)
    idn = "Ekspor diblokir: " + " ".join(f.message_id for f in findings)
    return ExportBlocked(en, idn, findings)
