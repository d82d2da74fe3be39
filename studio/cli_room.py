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


def cmd_server_check(args: argparse.Namespace) -> int:
    """Probe the room's server per capability (GET /v1/models plus a tiny request); exit 1 if one cannot."""
    from studio.core.settings import load_settings
    from studio.engines import registry

    settings = load_settings()
    rows: list[tuple[str, str, str, str]] = []
    for kind, key in registry.SERVER_ENGINES.items():
        engine = registry.create(key, settings)
        if kind == "script":
            problems = engine.preflight() or engine.ping()
            rows.append((kind, "ok" if not problems else "no", engine.model, problems[0] if problems else ""))
            continue
        result = engine.probe()
        rows.append((kind, "ok" if result.ok else "no", result.model or engine.model,
                     f"{result.seconds:.1f} s" if result.ok else str(result.problem)))
    sys.stdout.write(f"Server kelas {settings.llm.base_url}\n")
    for kind, ok, model, note in rows:
        sys.stdout.write(f"  {kind:<11} {ok:<3} {model:<28} {note}\n")
    return EXIT_OK if all(r[1] == "ok" for r in rows) else EXIT_RULES


def add_parsers(sub: Any, job: Callable[[str], Any]) -> None:
    """Add ``batch``; ``job`` is the CLI's progress-and-Ctrl-C context (``studio.cli.job``)."""
    p = sub.add_parser("batch", help="run what is missing in many project folders (a trainer's batch)")
    p.add_argument("dirs", nargs="+", metavar="DIR", help="a project folder, or a folder of project folders")
    p.add_argument("--export", action="store_true", help="also export each project that passes the rules")
    p.add_argument("--jobs", type=int, default=1, help="projects run at the same time (default 1)")
    p.set_defaults(func=lambda args: cmd_batch(args, job))
    p = sub.add_parser("server-check", help="which steps the room's server (Server kelas) can do")
    p.set_defaults(func=cmd_server_check)


__all__ = ["add_parsers", "cmd_batch"]
