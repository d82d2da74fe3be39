"""The jury's table as files: CSV (one row per entry) and JSON (everything)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from studio.pipeline.jury.entries import EntryResult

CSV_COLUMNS = ("entry", "passed", "failed_rules", "duration_s", "ai_tools", "bundle_integrity",
               "c2pa", "duplicate_of", "reason")


def to_csv(rows: Sequence[EntryResult]) -> str:
    """CSV text with the columns of issue 19 (duplicate_of is not measured yet: empty)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for r in rows:
        w.writerow([r.entry, "yes" if r.passed else "no", ";".join(r.failed_rules),
                    "" if r.duration_s is None else f"{r.duration_s:.2f}", ";".join(r.ai_tools),
                    r.bundle_integrity, r.c2pa, "", r.error.splitlines()[0] if r.error else ""])
    return buf.getvalue()


def to_json(rows: Sequence[EntryResult]) -> str:
    return json.dumps([r.to_dict() for r in rows], ensure_ascii=False, indent=2, default=str)
