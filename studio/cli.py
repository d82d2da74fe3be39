"""The headless command line: the same pipeline the window uses.

Exit codes: 0 ok; 1 a rule failed (``check``) or export was blocked by a rule;
2 a usage or input error, with a one-line reason; 130 cancelled with Ctrl-C (the
project is left as it was after the last finished unit of work).
Messages are English here; the window speaks Indonesian.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio import APP_NAME, __version__
from studio.core import paths, storage
from studio.core.console import job
from studio.core.crashlog import report_unexpected, setup_logging
from studio.core.errors import ExportBlocked, StudioError, UsageError
from studio.core.jobs import Cancelled
from studio.core.presets import DEFAULT_PRESET
from studio.core.project import Brief, Project
from studio.core.settings import Settings, load_settings

EXIT_OK, EXIT_RULES, EXIT_INPUT, EXIT_CANCELLED = 0, 1, 2, 130

STEP_NAMES = {"script": "Script", "images": "Images", "voice": "Voice", "subtitles": "Subtitles",
              "music": "Music", "render": "Render", "export": "Export", "transcribe": "Transcribe",
              "bundle": "Bundle", "demo": "Demo"}


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _open(folder: str, *, write: bool = True) -> tuple[Path, Project]:
    root = Path(folder)
    result = storage.read_project(root)
    for warning in result.warnings:
        logging.getLogger("studio").warning(warning)
    if write:
        storage.ensure_subdirs(root)
    return root, result.project


def _run_step(step: str, root: Path, project: Project, settings: Settings, *, force: bool = False,
              scene_ids: list[str] | None = None) -> Any:
    from studio.pipeline import steps

    prepared = steps.prepare(step, project, root, settings, force=force, scene_ids=scene_ids)
    with job(STEP_NAMES.get(step, step)) as ctx:
        try:
            result = prepared.run(ctx)
        except Cancelled as exc:
            if exc.partial:
                prepared.apply(project, exc.partial)
                storage.save_project(root, project)
            raise
    prepared.apply(project, result)
    storage.save_project(root, project)
    return result


def _print_findings(findings: list[Any]) -> None:
    for f in findings:
        if f.passed:
            continue
        mark = "BLOCK" if f.severity == "block" else "warn "
        _say(f"  [{mark}] {f.rule}: {f.message_en}")


# ---------------------------------------------------------------- commands


def cmd_new(args: argparse.Namespace) -> int:
    from studio.core.presets import get_preset

    preset = get_preset(args.preset)
    project = Project(preset=preset.id, brief=Brief(
        title=args.title, region=args.region, theme=args.theme, language=args.language,
        audience=args.audience or "", key_facts=list(args.fact or []), creator=args.creator or "",
        agency=args.agency or ""))
    project.render.width, project.render.height, project.render.fps = (
        preset.video.width, preset.video.height, preset.video.fps)
    storage.create_project(Path(args.dir), project)
    _say(f"Created project '{args.title}' in {args.dir} (preset {preset.id}).")
    return EXIT_OK


def cmd_run(args: argparse.Namespace) -> int:
    from studio.pipeline import steps

    root, project = _open(args.dir)
    settings = load_settings()
    todo = list(steps.STEP_ORDER) if args.step == "all" else [args.step]
    for step in todo:
        if args.step == "all" and not args.force and not steps.needs_run(step, project):
            _say(f"{STEP_NAMES[step]}: up to date.")
            continue
        result = _run_step(step, root, project, settings, force=args.force, scene_ids=args.scene)
        _say(f"{STEP_NAMES[step]}: done.")
        if step == "script":
            from studio import cli_script

            cli_script.say_script_length(project, result, _say)
    return EXIT_OK


def cmd_render(args: argparse.Namespace) -> int:
    from studio.core import ailog
    from studio.pipeline.export import bundle as export
    from studio.pipeline.render import renderer as render

    root, project = _open(args.dir)
    out = Path(args.out) if args.out else root / "render" / (
        paths.slugify(project.brief.title) + ("-draft" if args.draft else "") + ".mp4")
    records = ailog.current_records(ailog.read(root), [s.id for s in project.scenes])
    with job("Render") as ctx:
        result = render.render_video(project, root, out, ctx, draft=args.draft,
                                     metadata=export.metadata_for(project, records))
    _say(f"Rendered {result.path} ({result.duration:.2f} s, {result.width}x{result.height}, "
         f"{result.encoder}, {result.seconds:.0f} s).")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Exit 0 when no rule blocks, 1 when one does, 2 when the file cannot be read as a video
    (or the preset does not exist); ``--json`` prints a JSON document in every case."""
    from studio.core.errors import MediaError, PresetError
    from studio.core.rules.findings import blocking
    from studio.pipeline import checks

    paths = [Path(p) for p in args.paths]
    lang = getattr(args, "language", "en") or "en"
    if len(paths) > 1 or paths[0].is_dir() or paths[0].suffix.lower() == ".zip":
        from studio import cli_jury

        return cli_jury.check_paths(paths, args, _say)
    path = paths[0]
    try:
        if not path.is_file():
            raise MediaError(f"{path} does not exist.", f"{path} tidak ada.")
        findings = checks.check_file(path, args.preset)
    except (MediaError, PresetError) as exc:
        if not args.json:
            raise
        _say(json.dumps({"file": str(path), "preset": args.preset, "passed": False,
                         "error": {"en": exc.text("en"), "id": exc.text("id")}, "findings": []},
                        ensure_ascii=False, indent=2))
        return EXIT_INPUT
    failed = blocking(findings)
    if args.json:
        _say(json.dumps({"file": str(path), "preset": args.preset, "passed": not failed,
                         "findings": [checks.finding_dict(f) for f in findings]},
                        ensure_ascii=False, indent=2))
    else:
        for f in findings:
            mark = "ok   " if f.passed else ("BLOCK" if f.severity == "block" else "warn ")
            _say(f"[{mark}] {f.rule:<22} {f.measured!s:<18} limit {f.limit}"
                 + ("" if f.passed else f" — {f.text(lang)}"))
        if lang == "id":
            _say("LOLOS: berkas memenuhi preset." if not failed else
                 f"GAGAL: {len(failed)} aturan memblokir berkas ini.")
        else:
            _say("PASS: the file meets the preset." if not failed else
                 f"FAIL: {len(failed)} rule(s) block this file.")
    return EXIT_RULES if failed else EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from studio.pipeline import steps

    root, project = _open(args.dir)
    sign = None
    if getattr(args, "sign", None):
        from studio.pipeline.export.sign import SigningKey

        cert, key = args.sign
        sign = SigningKey(certificate=Path(cert), private_key=Path(key), tsa_url=args.tsa_url or "",
                          trust_anchors=Path(args.trust_anchors) if args.trust_anchors else None)
    prepared = steps.prepare_export(project, root, load_settings(), force=args.force, draft=args.draft,
                                    sign=sign)
    try:
        with job("Export") as ctx:
            outcome = prepared.run(ctx)
    except ExportBlocked as exc:
        _say("Export blocked by the rules:")
        _print_findings(exc.findings)
        return EXIT_RULES
    prepared.apply(project, outcome)
    storage.save_project(root, project)
    _print_findings(outcome.findings + outcome.file_findings)
    _say(f"Exported {outcome.video}")
    _say(f"Bundle: {outcome.folder}")
    credentials = getattr(outcome, "credentials", None)
    if credentials:
        _say(f"Content Credentials: signed by {credentials['signer']} ({credentials['issuer']}), "
             f"{len(credentials['ingredients'])} ingredients, read back {credentials['validation_state']}.")
    return EXIT_OK


def cmd_transcribe(args: argparse.Namespace) -> int:
    from studio.engines import registry
    from studio.pipeline.subtitles import files as subtitle_io
    from studio.pipeline.subtitles import step as subtitles

    audio = Path(args.audio)
    if not audio.is_file():
        raise UsageError(f"{audio} does not exist.", f"{audio} tidak ada.")
    for out in (args.srt, args.vtt):
        _check_output(out)
    settings = load_settings()
    engine = registry.create(settings.engines.transcribe, settings)
    registry.require_ready(engine)
    with job("Transcribe") as ctx:
        cues = subtitles.transcribe_file(audio, args.language, engine, ctx)
    if args.srt:
        subtitle_io.write_srt(cues, Path(args.srt))
        _say(f"Wrote {len(cues)} cues to {args.srt}.")
    if args.vtt:
        subtitle_io.write_vtt(cues, Path(args.vtt))
        _say(f"Wrote {len(cues)} cues to {args.vtt}.")
    if not args.srt and not args.vtt:
        for cue in cues:
            _say(f"{cue.start:7.2f} → {cue.end:7.2f}  {cue.text.replace(chr(10), ' / ')}")
    return EXIT_OK


def _check_output(out: str | None) -> None:
    """Refuse an output path that cannot be written, before any long work."""
    if not out:
        return
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"{path} is a folder; give a file name such as {path / 'subtitles.srt'}.",
                         f"{path} adalah folder; beri nama berkas seperti {path / 'subtitles.srt'}.")
    if not path.parent.is_dir():
        raise UsageError(f"The folder {path.parent} does not exist; create it first or choose another place.",
                         f"Folder {path.parent} tidak ada; buat dulu atau pilih tempat lain.")


def cmd_status(args: argparse.Namespace) -> int:
    from studio.core.status import project_status
    from studio.core.timeline import build_timeline

    root, project = _open(args.dir, write=False)
    tl = build_timeline(project)
    _say(f"{project.brief.title or '(untitled)'} — preset {project.preset}, {len(project.scenes)} scenes, "
         f"{'~' if tl.estimated else ''}{tl.duration:.1f} s")
    for step, st in project_status(project).items():
        extra = f" ({st.done}/{st.total})" if st.total else ""
        if st.stale:
            extra += f", stale: {', '.join(st.stale)}"
        _say(f"  {step:<10} {st.state}{extra}")
    return EXIT_OK


def cmd_check_project(args: argparse.Namespace) -> int:
    """Load a project folder and report its state without changing anything.

    Exit 0 when it loads (listing stale steps, missing or changed assets, partial files
    and folders a crash left, damaged AI-log lines); 2 with a one-line reason when it
    cannot be loaded.
    """
    from studio.core.integrity import inspect_folder
    from studio.core.timeline import build_timeline

    root = Path(args.dir)
    try:
        report = inspect_folder(root)
    except OSError as exc:  # unreadable file or folder: a reason, not a traceback
        raise UsageError(f"{root} cannot be read: {exc.strerror or exc}.",
                         f"{root} tidak bisa dibaca: {exc.strerror or exc}.") from exc
    project = report.project
    tl = build_timeline(project)
    _say(f"{project.brief.title or '(untitled)'} — preset {project.preset}, {len(project.scenes)} scenes, "
         f"{'~' if tl.estimated else ''}{tl.duration:.1f} s")
    for warning in report.warnings:
        _say(f"  note: {warning}")
    for step, st in report.status.items():
        extra = f" ({st.done}/{st.total})" if st.total else ""
        if st.stale:
            extra += f", stale: {', '.join(st.stale)}"
        _say(f"  {step:<10} {st.state}{extra}")
    if report.stale_steps:
        _say(f"  stale steps (run them again): {', '.join(report.stale_steps)}")
    for issue in report.assets:
        _say(f"  asset: {issue.sentence()}")
    for rel in report.leftovers:
        kind = "folder" if rel.endswith("/") else "file"
        _say(f"  leftover partial {kind} (safe to delete): {rel}")
    if report.damaged_log_lines:
        _say(f"  ai_log.jsonl: {report.damaged_log_lines} damaged line(s) skipped (a record cut short by a crash).")
    counts = [(len(report.assets), "asset problem(s)"), (len(report.stale_steps), "stale step(s)"),
              (len(report.leftovers), "leftover partial item(s)")]
    _say("Project loads." + "".join(f" {n} {what}." for n, what in counts if n))
    return EXIT_OK


def cmd_import_project(args: argparse.Namespace) -> int:
    """Unpack a shared project zip safely into a new folder (see ``core.bundle``)."""
    from studio.core import bundle

    result = bundle.import_project(Path(args.zip), Path(args.dir))
    for warning in result.warnings:
        logging.getLogger("studio").warning(warning)
    _say(f"Imported project '{result.project.brief.title or '(untitled)'}' into {result.root} "
         f"({result.files} files, {result.bytes / 1e6:.1f} MB).")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from studio.pipeline import demo, steps

    out = Path(args.out)
    settings = load_settings()
    started = time.monotonic()
    root, project = demo.open_or_create(out, preset_id=args.preset)
    for step in steps.STEP_ORDER:
        if not steps.needs_run(step, project):
            _say(f"{STEP_NAMES[step]}: up to date.")
            continue
        _run_step(step, root, project, settings)
        _say(f"{STEP_NAMES[step]}: done.")
    code = cmd_export(argparse.Namespace(dir=str(root), force=False, draft=args.draft, sign=None))
    _say(f"Demo finished in {time.monotonic() - started:.0f} s.")
    return code


def cmd_models(args: argparse.Namespace) -> int:
    """``studio models list|verify|download|use|convert``: see ``studio.cli_models``."""
    from studio import cli_models

    return cli_models.run(args, job)


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studio", description=f"{APP_NAME} {__version__}: local-culture videos with an honest AI record. "
        "Run without arguments to open the window.")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    parser.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                        help="wait up to SECONDS for a project another Studio Lokal is using "
                             "(default: refuse at once, naming who uses it)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("demo", help="build the sample weton project offline and export it")
    p.add_argument("--out", required=True, help="folder for the demo project")
    p.add_argument("--preset", default=DEFAULT_PRESET)
    p.add_argument("--draft", action="store_true", help="render at half resolution (faster)")
    p.set_defaults(func=cmd_demo, lock='out')

    p = sub.add_parser("new", help="create a project folder from a brief")
    p.add_argument("dir")
    p.add_argument("--title", required=True)
    p.add_argument("--region", required=True)
    p.add_argument("--theme", required=True, help="a theme id (weton, batik, ...) or your own words")
    p.add_argument("--preset", default=DEFAULT_PRESET)
    p.add_argument("--language", default="id")
    p.add_argument("--audience")
    p.add_argument("--creator")
    p.add_argument("--agency")
    p.add_argument("--fact", action="append", help="a key fact the script must contain (repeatable)")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("run", help="run one step (or all) on a project")
    p.add_argument("step", choices=["script", "images", "voice", "subtitles", "music", "all"])
    p.add_argument("dir")
    p.add_argument("--force", action="store_true", help="redo even what is up to date")
    p.add_argument("--scene", action="append", help="only this scene id (repeatable)")
    p.set_defaults(func=cmd_run, lock='dir')

    p = sub.add_parser("render", help="render the video without exporting the bundle")
    p.add_argument("dir")
    p.add_argument("--out")
    p.add_argument("--draft", action="store_true")
    p.set_defaults(func=cmd_render, lock='dir')

    p = sub.add_parser("check", help="check any MP4 against a preset's rules")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="an MP4; or the jury's table over folders of contest entries (MP4s, export "
                        "bundles, zips), zips and MP4s, as many as given")
    p.add_argument("--preset", default=DEFAULT_PRESET,
                   help=f"the competition's rules (default: {DEFAULT_PRESET})")
    p.add_argument("--csv", metavar="OUT.csv", help="for a folder: write the jury's table as CSV")
    p.add_argument("--html", metavar="OUT.html", help="for a folder: write the table as one sortable HTML page")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="for a folder: check N entries at once")
    p.add_argument("--no-cache", action="store_true",
                   help="for a folder: check every entry again, ignoring the results of the last run")
    p.add_argument("--json", action="store_true",
                   help="print every finding (rule, severity, measured, limit, step, sentences) as JSON")
    p.add_argument("--language", choices=["en", "id"], default="en",
                   help="language of the sentences in the text output (id: Bahasa Indonesia)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("export", help="check, render, verify and write the export bundle")
    p.add_argument("dir")
    p.add_argument("--force", action="store_true", help="export even if a rule blocks it")
    p.add_argument("--draft", action="store_true")
    p.add_argument("--sign", nargs=2, metavar=("CERT", "KEY"),
                   help="sign the MP4 with Content Credentials (C2PA): a PEM certificate chain "
                        "(signer first) and its PEM private key; works offline")
    p.add_argument("--tsa-url", help="time-stamp authority for the signature (needs internet; "
                                     "off by default)")
    p.add_argument("--trust-anchors", metavar="CA_PEM",
                   help="CA certificate(s) to trust when the signed file is read back")
    p.set_defaults(func=cmd_export, lock='dir')

    p = sub.add_parser("transcribe", help="transcribe an audio file to subtitles with Whisper")
    p.add_argument("audio")
    p.add_argument("--language", required=True, help="spoken language, e.g. id (never auto-detected)")
    p.add_argument("--srt")
    p.add_argument("--vtt")
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("status", help="show what is done, stale or missing in a project")
    p.add_argument("dir")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("check-project", help="load a project folder and report missing or stale assets")
    p.add_argument("dir")
    p.set_defaults(func=cmd_check_project)

    p = sub.add_parser("import-project", help="open a project someone shared as a zip, into a new folder")
    p.add_argument("zip", help="the zip file (a zipped project folder)")
    p.add_argument("dir", help="a new (or empty) folder to unpack it into")
    p.set_defaults(func=cmd_import_project)

    from studio import cli_models

    cli_models.add_parser(sub).set_defaults(func=cmd_models)
    from studio import cli_room

    cli_room.add_parsers(sub, job)
    from studio import cli_kit

    cli_kit.add_parsers(sub, job)
    from studio import cli_cut, cli_media, cli_script

    cli_media.add_parsers(sub)
    cli_cut.add_parsers(sub)
    cli_script.add_parsers(sub)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    func: Callable[[argparse.Namespace], int] = args.func
    lock_key = getattr(args, "lock", None)
    folder = Path(getattr(args, lock_key)) if lock_key else None
    if folder is None or not folder.is_dir():
        return func(args)
    from studio.core.lock import project_lock

    with project_lock(folder, wait=args.wait):
        return func(args)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse already printed a one-line reason
        return EXIT_INPUT if exc.code not in (0, None) else EXIT_OK
    setup_logging(args.verbose)
    try:
        return _dispatch(args)
    except Cancelled:
        sys.stderr.write("Cancelled. Finished work was kept; run the command again to continue.\n")
        return EXIT_CANCELLED
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted. The project file was saved after the last finished step.\n")
        return EXIT_CANCELLED
    except StudioError as exc:
        sys.stderr.write(f"error: {exc}\n")
        if args.verbose and exc.details:
            sys.stderr.write(exc.details + "\n")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - the one top-level handler: a sentence, never a traceback
        return report_unexpected(exc, argv)
