"""``studio kit build`` / ``studio kit check``: the offline kit for a workshop room without internet."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def cmd_kit_build(args: argparse.Namespace, job: Callable[[str], Any]) -> int:
    """Write the kit; print what went in and where the wheels came from."""
    import time

    from studio.core.settings import load_settings
    from studio.pipeline.kit.build import build_kit

    models = [m.strip() for m in args.models.split(",") if m.strip()] if args.models is not None else None
    extras = [e.strip() for e in (args.extras or "").split(",") if e.strip()]
    started = time.monotonic()
    with job("Kit") as ctx:
        result = build_kit(Path(args.dir), ctx, model_ids=models, wheels=not args.no_wheels, extras=extras,
                           settings=load_settings())
    local = [w for w in result.wheels if not w.origin.startswith(("http://", "https://"))]
    for w in local:
        sys.stdout.write(f"  {w.file}: from {w.origin}\n")
    sys.stdout.write(f"Kit written to {result.folder}: {len(result.wheels)} wheels "
                     f"({_mb(sum(w.size for w in result.wheels))}), models: {', '.join(result.models) or 'none'}; "
                     f"{_mb(result.size)} in {time.monotonic() - started:.0f} s.\n")
    return EXIT_OK


def cmd_kit_check(args: argparse.Namespace, job: Callable[[str], Any]) -> int:
    """Check this laptop against the kit; exit 1 when a row failed."""
    from studio.pipeline.kit.check import check_kit, table

    with job("Check") as ctx:
        rows = check_kit(Path(args.kit_dir), ctx, smoke=not args.no_smoke)
    sys.stdout.write(table(rows) + "\n")
    return EXIT_OK if all(r.ok for r in rows) else EXIT_FAILED


def add_parsers(sub: Any, job: Callable[[str], Any]) -> None:
    """Add ``kit build`` and ``kit check``; ``job`` is the CLI's progress-and-Ctrl-C context."""
    kit = sub.add_parser("kit", help="the offline kit for a workshop room without internet")
    kit_sub = kit.add_subparsers(dest="kit_command", required=True, metavar="{build,check}")
    p = kit_sub.add_parser("build", help="write wheels of exactly the installed versions, model folders and "
                                         "install scripts into DIR")
    p.add_argument("dir", metavar="DIR", help="a new (or empty) folder for the kit")
    p.add_argument("--models", metavar="ID,...",
                   help="model ids to copy (default: every whole model on this computer except Whisper base, "
                        "which the wheels carry); '' for none")
    p.add_argument("--extras", metavar="NAME,...", help="optional dependency groups to include (e.g. openai-whisper)")
    p.add_argument("--no-wheels", action="store_true", help="only models and kit.json (laptops installed otherwise)")
    p.set_defaults(func=lambda args: cmd_kit_build(args, job))
    p = kit_sub.add_parser("check", help="verify this laptop against a kit (versions, model checksums, smoke run)")
    p.add_argument("kit_dir", nargs="?", default=".", metavar="KIT_DIR", help="the kit folder (default: here)")
    p.add_argument("--no-smoke", action="store_true", help="skip the 5-second smoke run")
    p.set_defaults(func=lambda args: cmd_kit_check(args, job))


__all__ = ["add_parsers"]
