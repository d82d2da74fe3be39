"""``studio media DIR --scene N FILE``: a photo or a video clip on scene N (issue 15).

A picture goes through ``pipeline.images.step.import_own_image``; a clip through
``pipeline.images.clips.import_clip`` with its in/out points, audio, fit and speed.
Exit codes are the CLI's (``studio.cli``): 0 ok, 2 a usage or input error with a
one-line reason (raised as a StudioError; the project is then unchanged), 130
cancelled. ``--ai-tool NAME | --own`` is the creator's declaration of where the
piece came from (``core.origin``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.cli_script import add_origin_arguments, open_for_import

EXIT_OK = 0
"""The CLI's code for success (``studio.cli``); errors are raised and become 2 there."""
PICTURE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".bmp", ".tif", ".tiff")


def _seconds(text: str) -> float:
    """``12.5``, ``1:05`` or ``0:01:05.5`` as seconds (argparse turns a ValueError into exit 2)."""
    parts = text.strip().split(":")
    if len(parts) > 3 or not all(parts):
        raise argparse.ArgumentTypeError(f"'{text}' is not a time in seconds (e.g. 12.5 or 1:05)")
    try:
        value = 0.0
        for part in parts:
            value = value * 60 + float(part)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time in seconds (e.g. 12.5 or 1:05)") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"'{text}' is not a time at or after 0 s")
    return value


def cmd_media(args: argparse.Namespace) -> int:
    """Put FILE on scene N (1-based) and save the project."""
    from studio.core import storage
    from studio.core.errors import UsageError
    from studio.pipeline.images.clips import CLIP_EXTENSIONS, import_clip

    declared, root, project = open_for_import(args)
    if not project.scenes:
        raise UsageError("The project has no scenes yet: write or import the script first.",
                         "Proyek ini belum punya adegan: tulis atau impor naskahnya dulu.")
    if not 1 <= args.scene <= len(project.scenes):
        raise UsageError(f"There is no scene {args.scene}: the project has {len(project.scenes)} scenes (1 to "
                         f"{len(project.scenes)}).", f"Tidak ada adegan {args.scene}: proyek ini punya "
                         f"{len(project.scenes)} adegan (1 sampai {len(project.scenes)}).")
    storage.require_writable(root)
    storage.check_layout(root)
    scene = project.scenes[args.scene - 1]
    src = Path(args.file)
    say = sys.stdout.write
    who = declared.label("en") if declared else "not declared (use --ai-tool NAME or --own)"
    if src.suffix.lower() in PICTURE_EXTENSIONS:
        if any(v is not None for v in (args.start, args.end, args.audio, args.fit, args.speed)):
            raise UsageError("--from, --to, --audio, --fit and --speed are for video clips, not pictures.",
                             "--from, --to, --audio, --fit dan --speed untuk klip video, bukan gambar.")
        from studio.pipeline.images.step import import_own_image

        asset = import_own_image(project, root, scene.id, src, declared=declared)
        scene.image, scene.clip = asset, None
        storage.save_project(root, project)
        say(f"Scene {args.scene}: picture {src.name} ({asset.width}×{asset.height}). Origin: {who}.\n")
        return EXIT_OK
    if src.suffix.lower() not in CLIP_EXTENSIONS:
        raise UsageError(f"{src.name}: use a photo (JPG, PNG) or a video clip ({', '.join(CLIP_EXTENSIONS)}).",
                         f"{src.name}: pakai foto (JPG, PNG) atau klip video ({', '.join(CLIP_EXTENSIONS)}).")
    result = import_clip(project, root, scene.id, src, start=args.start or 0.0, end=args.end,
                         fit=args.fit or "crop", audio=args.audio or "duck",
                         speed=1.0 if args.speed is None else args.speed,
                         focus=tuple(args.focus) if args.focus else (0.5, 0.5), short=args.short,
                         declared=declared)
    scene.clip = result.clip
    storage.save_project(root, project)
    c = result.clip
    shown = f"{c.start:.2f}-{c.end:.2f} s" if c.end is not None else f"from {c.start:.2f} s"
    say(f"Scene {args.scene}: clip {src.name} ({c.width}×{c.height}, {c.codec}, {c.duration:.1f} s), "
        f"{shown} at {c.speed:g}×, fit {c.fit}, sound {c.audio}, "
        f"shorter than the scene: {c.short} (default hold). Origin: {who}.\n")
    for warning in result.warnings:
        say(f"  note: {warning}\n")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """Add ``media`` to the CLI's sub-commands."""
    p = sub.add_parser("media", help="put a photo or a video clip on a scene")
    p.add_argument("dir", help="the project folder")
    p.add_argument("--scene", type=int, required=True, metavar="N", help="the scene, counted from 1")
    p.add_argument("file", help="a photo (JPG, PNG) or a clip (MP4, MOV, MKV, WebM, 3GP)")
    p.add_argument("--from", dest="start", type=_seconds, metavar="S", help="in point, seconds into the clip")
    p.add_argument("--to", dest="end", type=_seconds, metavar="S", help="out point, seconds into the clip")
    p.add_argument("--audio", choices=["mute", "duck", "keep"],
                   help="the clip's own sound: mute, duck under the narration (default), or keep")
    p.add_argument("--fit", choices=["crop", "blur"], help="crop to fill the frame (default) or show it whole "
                   "over a blurred fill")
    p.add_argument("--focus", type=float, nargs=2, metavar=("X", "Y"),
                   help="with --fit crop: the point kept in view, fractions 0..1 (default 0.5 0.5)")
    p.add_argument("--speed", type=float, metavar="X", help="0.5 to 2 (default 1)")
    p.add_argument("--short", choices=["hold", "slow"], default="hold",
                   help="a clip shorter than its scene holds its last frame (default) or slows down")
    add_origin_arguments(p, "the photo or clip")
    p.set_defaults(func=cmd_media, lock="dir")


__all__ = ["add_parsers", "cmd_media"]
