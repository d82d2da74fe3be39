"""``studio batch`` (a trainer's folder of projects): the workshop-room commands of the CLI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_RULES, EXIT_INPUT = 0, 1, 2
"""The CLI's exit codes (``studio.cli``): 0 ok, 1 something failed, 2 a usage or input error."""


def cmd_batch(args: argparse.Namespace, job: Callable[[str], Any]) -> int:
    """Run what is missing in every project; print the table; exit 1 if any project failed."""
    from studio.core.settings import load_settings
    from studio.pipeline import batch

    folders = [Path(d) for d in args.dirs]
    if not batch.find_projects(folders):
        sys.stderr.write("No project folders found in " + ", ".join(map(str, folders)) + ".\n")
        return EXIT_INPUT

    def on_change(row: batch.BatchRow) -> None:
        if row.status in ("done", "up to date", "failed", "cancelled"):
            sys.stderr.write(f"{row.folder.name}: {row.status}" + (f" — {row.error}" if row.error else "") + "\n")

    with job("Batch") as ctx:
        rows = batch.run_batch(folders, load_settings(), export=args.export, jobs=args.jobs, ctx=ctx,
                               on_change=on_change)
    sys.stdout.write(batch.table(rows) + "\n")
    if any(r.status == "cancelled" for r in rows):
        from studio.core.jobs import Cancelled

        raise Cancelled("batch")
    return EXIT_RULES if any(r.status == "failed" for r in rows) else EXIT_OK


def add_parsers(sub: Any, job: Callable[[str], Any]) -> None:
    """Add ``batch``; ``job`` is the CLI's progress-and-Ctrl-C context (``studio.cli.job``)."""
    p = sub.add_parser("batch", help="run what is missing in many project folders (a trainer's batch)")
    p.add_argument("dirs", nargs="+", metavar="DIR", help="a project folder, or a folder of project folders")
    p.add_argument("--export", action="store_true", help="also export each project that passes the rules")
    p.add_argument("--jobs", type=int, default=1, help="projects run at the same time (default 1)")
    p.set_defaults(func=lambda args: cmd_batch(args, job))


__all__ = ["add_parsers", "cmd_batch"]
