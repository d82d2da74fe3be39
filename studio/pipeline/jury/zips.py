"""A zipped export bundle as one entry of the jury's table.

Contest entries often arrive zipped. A zip is hostile input (``..`` paths, links, bombs), so it
is opened with ``core.bundle.extract_zip`` — the checks ``import-project`` uses, every entry
judged before a byte is written — and only into a temporary folder that is removed once the
entry is checked. Whatever is refused becomes the row's reason.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from studio.core.errors import StudioError
from studio.pipeline.export.bundle import CHECKSUMS
from studio.pipeline.jury.entries import EntryResult, check_entry

MAX_UNPACKED_BYTES = 2 * 1024**3
"""An export bundle is its MP4 (a few hundred MB at most) plus small reports; 2 GiB is the same
ceiling ``import-project`` uses, far below what a zip bomb asks for."""


def check_zip(path: Path, preset: str, folder: Path) -> EntryResult:
    """Check the bundle inside the zip ``path``; a refused or bundle-less zip is a failed row."""
    from studio.core.bundle import extract_zip

    name = path.relative_to(folder).as_posix()
    with tempfile.TemporaryDirectory(prefix="studio-juri-") as tmp:
        into = Path(tmp)
        try:
            extract_zip(path, into, max_total_bytes=MAX_UNPACKED_BYTES)
        except StudioError as exc:
            return EntryResult(entry=name, error=exc.text("en"), failed_rules=["zip.refused"])
        # The bundle may be zipped as its folder or as its content; the shallowest listing wins.
        sums = sorted(into.rglob(CHECKSUMS), key=lambda p: (len(p.parts), str(p)))
        if not sums:
            return EntryResult(entry=name, failed_rules=["zip.not_bundle"],
                               error=f"{path.name} is not an export bundle: it holds no {CHECKSUMS}.")
        bundle = sums[0].parent
        videos = sorted(p for p in bundle.iterdir() if p.suffix.lower() == ".mp4" and p.is_file())
        row = check_entry(videos[0] if videos else bundle / "(no video).mp4", bundle, preset, into)
        row.entry = name
        return row
