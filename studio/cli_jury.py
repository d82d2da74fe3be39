"""``studio check DIR…``: the jury's table on the command line (issue 19).

``cli.cmd_check`` dispatches here when it is given a folder, a zip or several paths; the work is
``pipeline.jury``. Exit codes follow the CLI's: 0 every entry passed, 1 one failed,
2 a usage error (an unknown preset).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from studio.core import storage
from studio.core.console import ProgressPrinter
from studio.core.errors import UsageError
from studio.core.jobs import Progress
from studio.core.presets import get_preset
from studio.pipeline.jury import folder as jury_folder
from studio.pipeline.jury import table

EXIT_OK, EXIT_RULES = 0, 1
"""The CLI's codes (``studio.cli``) for every entry passed / at least one failed."""


def check_paths(paths: list[Path], args: argparse.Namespace, say: Callable[[str], None]) -> int:
    """The jury's table over every entry in ``paths``: folders, zips and MP4s (``pipeline.jury``)."""
    get_preset(args.preset)  # an unknown preset is a usage error (exit 2), not 125 failed rows
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"{', '.join(missing)}: no such file or folder.",
                         f"{', '.join(missing)}: berkas atau folder tidak ada.")
    bar = ProgressPrinter("Check")
    folder, rows = jury_folder.check_paths(
        paths, args.preset, jobs=max(1, int(getattr(args, "jobs", 1) or 1)),
        use_cache=not getattr(args, "no_cache", False),
        progress=lambda done, total, name: bar(Progress("check", done, total, f"{done}/{total} {name}")))
    bar.done()
    if not rows:
        where = " ".join(str(p) for p in paths)
        raise UsageError(f"{where} holds no contest entry (no MP4, export bundle or zip).",
                         f"{where} tidak berisi karya lomba (tidak ada MP4, paket ekspor, atau zip).")
    if args.csv:
        storage.atomic_write_text(Path(args.csv), table.to_csv(rows))
    if getattr(args, "html", None):
        storage.atomic_write_text(Path(args.html), table.to_html(rows, f"Tabel juri — {folder.name}"))
    if args.json:
        say(table.to_json(rows))
    else:
        for r in rows:
            say(f"[{'ok  ' if r.passed else 'FAIL'}] {r.entry}  {';'.join(r.failed_rules)}"
                 + (f" — {r.error.splitlines()[0]}" if r.error else ""))
        failed = sum(not r.passed for r in rows)
        say(f"{len(rows)} entries, {failed} failed (preset {args.preset}; entries named from {folder}).")
    return EXIT_RULES if any(not r.passed for r in rows) else EXIT_OK
