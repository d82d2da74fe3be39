"""``studio import-script DIR FILE``: a script written elsewhere becomes the project's scenes
(issue 15), and the ``--ai-tool NAME | --own`` declaration shared with ``studio media``.

The work is ``pipeline.imports.script``; exit codes are the CLI's (``studio.cli``): 0 ok,
2 a usage or input error with a one-line reason (the project is then unchanged), 130
cancelled. ``add_origin_arguments`` and ``origin_from_args`` are the one way a command takes
the creator's origin declaration.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studio.core.origin import KNOWN_TOOLS, Origin, origin_from_choice
from studio.core.project import Project

EXIT_OK = 0
"""The CLI's code for success (``studio.cli``); errors are raised and become 2 there."""


def add_origin_arguments(parser: argparse.ArgumentParser, what: str = "the file") -> None:
    """``--ai-tool NAME`` (with ``--ai-model``, ``--ai-prompt``) or ``--own``: where ``what`` came from."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--ai-tool", metavar="NAME",
                       help=f"{what} was made with this AI tool outside Studio Lokal (e.g. "
                            f"{', '.join(KNOWN_TOOLS[:4])}; any name may be typed); it is declared in "
                            "the AI log, the report and the end card")
    group.add_argument("--own", action="store_true", help=f"{what} is your own work (declared as such)")
    parser.add_argument("--ai-model", default="", metavar="MODEL", help="with --ai-tool: the model, if known")
    parser.add_argument("--ai-prompt", default="", metavar="TEXT", help="with --ai-tool: the prompt you used")


def origin_from_args(args: argparse.Namespace) -> Origin | None:
    """The declaration ``add_origin_arguments`` read (None when neither was given)."""
    return origin_from_choice(getattr(args, "ai_tool", None), bool(getattr(args, "own", False)),
                              model=getattr(args, "ai_model", "") or "", prompt=getattr(args, "ai_prompt", "") or "")


def open_for_import(args: argparse.Namespace) -> tuple[Origin | None, Path, Project]:
    """What every import command starts with: the declaration, the folder and its project
    (load warnings logged, never fatal)."""
    from studio.core import storage

    declared = origin_from_args(args)
    root = Path(args.dir)
    loaded = storage.read_project(root)
    for warning in loaded.warnings:
        logging.getLogger("studio").warning(warning)
    return declared, root, loaded.project


def cmd_import_script(args: argparse.Namespace) -> int:
    """Replace the project's script with FILE, split by paragraph or sentence."""
    from studio.core import storage
    from studio.pipeline.imports.script import import_script

    declared, root, project = open_for_import(args)
    storage.require_writable(root)
    storage.check_layout(root)
    result = import_script(project, root, Path(args.file), split=args.split, declared=declared)
    result.apply_to(project)
    storage.save_project(root, project)
    who = declared.label("en") if declared else "not declared (use --ai-tool NAME or --own)"
    say = sys.stdout.write
    say(f"Imported {Path(args.file).name}: {len(result.scenes)} scenes by {result.split}, {result.words} words "
        f"(the preset's budget is about {result.words_budget}); estimated video length "
        f"{result.estimated_seconds:.1f} s. Origin: {who}.\n")
    for warning in result.warnings:
        say(f"  note: {warning}\n")
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """Add ``import-script`` to the CLI's sub-commands."""
    p = sub.add_parser("import-script", help="replace the script with a .txt, .md or .docx written elsewhere")
    p.add_argument("dir", help="the project folder")
    p.add_argument("file", help="the script: .txt or .md (UTF-8) or .docx")
    p.add_argument("--split", choices=["paragraph", "sentence"], default="paragraph",
                   help="one scene per paragraph (default), or sentences packed to the preset's word budget")
    add_origin_arguments(p, "the script")
    p.set_defaults(func=cmd_import_script, lock="dir")


def say_script_length(project: Project, outcome: Any, say: Callable[[str], None]) -> None:
    """The written script's estimated length against the preset's range (and a warning when outside)."""
    from studio.core.presets import get_preset

    d = get_preset(project.preset).duration
    total = float(getattr(outcome, "estimated_seconds", 0.0))
    say(f"Script: estimated video {total:.1f} s at the voice's pace; the preset allows {d.min:.0f}–{d.max:.0f} s.")
    if d.min <= total <= d.max:
        return
    asked = " even after the model was asked once more to fix the length" if outcome.length_retry else ""
    side = "short" if total < d.min else "long"
    say(f"  [warn ] The script is too {side}{asked}: edit it on the Script page (the Durasi video card says how "
         "many words), or write it again.")


__all__ = ["add_origin_arguments", "add_parsers", "cmd_import_script", "open_for_import", "origin_from_args", "say_script_length"]
