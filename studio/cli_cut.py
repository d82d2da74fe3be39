"""``studio cut DIR FILE [--at S,S,…]``: one long recording cut into scenes (issue 15).

Without ``--at`` it only looks: the shot changes ``pipeline.media.shots.suggest_cuts``
finds, the parts they make and the scene each would go on, and the ``--at`` that
would apply them; nothing is written. With ``--at`` it cuts
(``pipeline.images.cut.cut_into_scenes``) and saves. Exit codes are the CLI's
(``studio.cli``): 0 ok, 2 a usage or input error with a one-line reason (the project
is then unchanged), 130 cancelled (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from studio.cli_media import _seconds
from studio.cli_script import add_origin_arguments, open_for_import

EXIT_OK = 0


def _cut_list(text: str) -> list[float]:
    """``4.5,10,1:02`` as seconds (argparse turns the error into exit 2 with its reason)."""
    items = [item for item in text.replace(" ", "").split(",")]
    if not items or not all(items):
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of seconds separated by commas (e.g. 4.5,10,21)")
    return [_seconds(item) for item in items]


def _plan(parts: list[tuple[float, float]], scenes: int) -> str:
    lines = []
    for k, (a, b) in enumerate(parts, start=1):
        where = f"scene {k}" if k <= scenes else "no scene (the project has too few)"
        lines.append(f"  part {k}: {a:7.2f} - {b:7.2f} s  ({b - a:5.2f} s) -> {where}\n")
    return "".join(lines)


def cmd_cut(args: argparse.Namespace) -> int:
    """Print the suggested cuts of FILE, or (with --at) put its parts on scenes 1..N and save."""
    from studio.core import storage
    from studio.core.console import job
    from studio.core.errors import MediaError
    from studio.pipeline.media.shots import segments, suggest_cuts
    from studio.pipeline.media.video import probe_clip

    declared, root, project = open_for_import(args)
    src = Path(args.file)
    if not src.is_file():
        raise MediaError(f"{src} does not exist or is not a file.", f"{src} tidak ada atau bukan berkas.")
    say = sys.stdout.write
    scenes = len(project.scenes)
    if args.at is None:
        facts = probe_clip(src)
        with job("Shots") as ctx:
            cuts = suggest_cuts(src, ctx)
        parts = segments(cuts, facts.duration)
        say(f"{src.name}: {facts.duration:.2f} s, {len(cuts)} suggested cut(s) from shot changes; "
            f"the project has {scenes} scenes. Nothing was changed.\n")
        say(_plan(parts, scenes))
        if len(parts) > scenes:
            say(f"  {len(parts) - scenes} part(s) more than scenes: drop cut points or add scenes first.\n")
        if cuts:
            shown = ",".join(f"{t:g}" for t in cuts[:max(0, scenes - 1)] or cuts)
            say(f"To cut here: studio cut {args.dir} {args.file} --at {shown}\n")
        return EXIT_OK
    from studio.pipeline.images.cut import cut_into_scenes

    storage.require_writable(root)
    storage.check_layout(root)
    with job("Cut") as ctx:
        result = cut_into_scenes(project, root, src, args.at, ctx, declared=declared)
    storage.save_project(root, project)
    who = declared.label("en") if declared else "not declared (use --ai-tool NAME or --own)"
    say(f"{src.name} cut into {len(result.parts)} scene(s). Origin: {who}.\n")
    say(_plan(result.parts, scenes))
    for warning in result.warnings:
        say(f"  note: {warning}\n")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """Add ``cut`` to the CLI's sub-commands."""
    p = sub.add_parser("cut", help="cut one long clip into scenes (without --at: suggest the cuts)")
    p.add_argument("dir", help="the project folder")
    p.add_argument("file", help="the long clip (MP4, MOV, MKV, WebM, 3GP)")
    p.add_argument("--at", type=_cut_list, metavar="S,S,...",
                   help="cut points in seconds (12.5 or 1:05), comma separated: part k goes on scene k")
    add_origin_arguments(p, "the clip")
    p.set_defaults(func=cmd_cut, lock="dir")


__all__ = ["add_parsers", "cmd_cut"]
