"""Check a whole contest folder: every entry (``entries``, ``zips``), then duplicates.

The per-entry work runs in worker processes (``jobs``); comparing entries with each other
needs every row, so it runs last, in this process.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from studio.pipeline.export.bundle import CHECKSUMS
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
                 progress: Callable[[int, int, str], None] | None = None,
                 use_cache: bool = True) -> list[EntryResult]:
    """Every entry under ``folder``, checked in path order (``jobs`` processes at once),
    then compared with each other for duplicates. With ``use_cache`` only entries that are
    new or changed since the last run are checked (``cache``). ``progress(done, total, name)``."""
    folder = Path(folder)
    return check_entries(discover(folder), folder, preset, jobs, progress, use_cache, prune=True)


def gather(paths: list[Path]) -> tuple[Path, list[tuple[Path, Path | None]]]:
    """The folder entries are named from, and the entries of several paths on one command line.

    A folder contributes every entry under it (``discover``); a file is an entry as it is, so
    a ``.mov`` or a text file the jury named explicitly becomes a row that says what is wrong
    with it rather than being skipped. Entries are named relative to the deepest folder that
    holds them all; one bundle folder is named by its own name; the same file given twice
    (or inside a folder also given) is one entry.
    """
    import os

    resolved = [Path(os.path.abspath(p)) for p in paths]
    anchors = [p if p.is_dir() and not (p / CHECKSUMS).is_file() else p.parent for p in resolved]
    base = Path(os.path.commonpath([str(a) for a in anchors]))
    found: list[tuple[Path, Path | None]] = []
    seen: set[Path] = set()
    for p in resolved:
        for video, bundle in (discover(p) if p.is_dir() else [(p, None)]):
            key = bundle if bundle is not None else video
            if key not in seen:
                seen.add(key)
                found.append((video, bundle))
    return base, sorted(found, key=lambda e: str(e[0]))


def check_paths(paths: list[Path], preset: str, jobs: int = 1,
                progress: Callable[[int, int, str], None] | None = None,
                use_cache: bool = True) -> tuple[Path, list[EntryResult]]:
    """``check_folder`` for several folders, MP4s and zips at once (``gather``); returns the
    folder the entries are named from, and the rows. The cache keeps rows of entries not named
    this time, since a jury checking files one by one should not lose the others' results."""
    base, found = gather(paths)
    return base, check_entries(found, base, preset, jobs, progress, use_cache, prune=False)


def check_entries(found: list[tuple[Path, Path | None]], folder: Path, preset: str, jobs: int = 1,
                  progress: Callable[[int, int, str], None] | None = None,
                  use_cache: bool = True, prune: bool = True) -> list[EntryResult]:
    """Check discovered entries named relative to ``folder`` (see ``check_folder``); ``prune``
    drops from the cache the rows of entries that are no longer there."""
    import copy

    from studio.pipeline.jury.cache import Cache, signature

    total = len(found)
    keys = [(b if b is not None else v).relative_to(folder).as_posix() for v, b in found]
    sigs = [signature(v, b) for v, b in found]
    cache = Cache(folder, preset) if use_cache else None
    rows: list[EntryResult | None] = [cache.get(k, s) if cache else None for k, s in zip(keys, sigs)]
    todo = [i for i, r in enumerate(rows) if r is None]
    done = total - len(todo)
    if progress:
        progress(done, total, "")
    try:
        if jobs <= 1 or len(todo) < 2:
            for i in todo:
                rows[i] = check_any(found[i][0], found[i][1], preset, folder)
                done += 1
                if progress:
                    progress(done, total, keys[i])
        else:
            from concurrent.futures import ProcessPoolExecutor, as_completed

            with ProcessPoolExecutor(max_workers=jobs) as pool:
                futures = {pool.submit(check_any, found[i][0], found[i][1], preset, folder): i for i in todo}
                try:
                    for fut in as_completed(futures):
                        i = futures[fut]
                        rows[i] = fut.result()
                        done += 1
                        if progress:
                            progress(done, total, keys[i])
                except BaseException:
                    for fut in futures:  # a cancel (Ctrl+C, the window's Batal) waits only for running entries
                        fut.cancel()
                    raise
    finally:
        # Also on a cancel: the entries already checked are stored, so the next run resumes.
        if cache is not None:
            for i in todo:
                if rows[i] is not None:
                    cache.put(keys[i], sigs[i], copy.deepcopy(rows[i]))  # type: ignore[arg-type]
            cache.save(set(keys) if prune else None)
    out = [r for r in rows if r is not None]
    mark_duplicates(out)
    return out
