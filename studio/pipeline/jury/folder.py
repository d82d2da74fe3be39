"""Check a whole contest folder: every entry (``entries``, ``zips``), then duplicates.

The per-entry work runs in worker processes (``jobs``); comparing entries with each other
needs every row, so it runs last, in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from studio.pipeline.jury.entries import EntryResult, check_entry, discover


def check_any(path: Path, bundle: Path | None, preset: str, folder: Path) -> EntryResult:
    """Check one discovered entry: a zip is opened as a bundle (``zips``), anything else directly."""
    if bundle is None and path.suffix.lower() == ".zip":
        from studio.pipeline.jury.zips import check_zip

        return check_zip(path, preset, folder)
    return check_entry(path, bundle, preset, folder)


def mark_duplicates(rows: list[EntryResult]) -> None:
    """Name, on each later copy, the first entry that is the same video (and fail it)."""
    from studio.pipeline.jury.fingerprint import same_video

    for i, row in enumerate(rows):
        for first in rows[:i]:
            if not first.duplicate_of and same_video(
                    first.fingerprint, first.duration_s or 0.0, row.fingerprint, row.duration_s or 0.0,
                    first.audio_envelope, row.audio_envelope):
                row.duplicate_of = first.entry
                row.failed_rules.append("entry.duplicate")
                row.passed = False
                break


def check_folder(folder: Path, preset: str, jobs: int = 1,
                 progress: Callable[[int, int, str], None] | None = None) -> list[EntryResult]:
    """Every entry under ``folder``, checked in path order (``jobs`` processes at once),
    then compared with each other for duplicates."""
    folder = Path(folder)
    found = discover(folder)
    rows: list[EntryResult | None] = [None] * len(found)
    if jobs <= 1 or len(found) < 2:
        for i, (v, b) in enumerate(found):
            if progress:
                progress(i, len(found), v.name)
            rows[i] = check_any(v, b, preset, folder)
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(check_any, v, b, preset, folder): i for i, (v, b) in enumerate(found)}
            for done, fut in enumerate(as_completed(futures)):
                rows[futures[fut]] = fut.result()
                if progress:
                    progress(done + 1, len(found), found[futures[fut]][0].name)
    out = [r for r in rows if r is not None]
    mark_duplicates(out)
    return out
