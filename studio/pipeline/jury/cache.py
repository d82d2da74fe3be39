"""The jury's cache: running ``studio check DIR`` again checks only new or changed entries.

One JSON file per checked folder under the user cache dir (never in the jury's folder, which
may be read-only or a shared drive). An entry's row is reused when its signature is the same:
its path, and the size and ``mtime_ns`` of its file (for a bundle: of every file in the
bundle's folder), for the same preset and app version. Rows are stored before duplicates are
marked, since those depend on the other entries. A damaged cache is simply ignored.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from studio import __version__
from studio.pipeline.jury.entries import EntryResult

FORMAT = 1


def cache_file(folder: Path) -> Path:
    """Where the cache of ``folder`` lives (one file per folder, named by its absolute path)."""
    from studio.core.paths import user_cache_dir

    key = hashlib.sha256(str(Path(folder).resolve()).encode("utf-8")).hexdigest()[:20]
    return user_cache_dir() / "jury" / f"{key}.json"


def signature(path: Path, bundle: Path | None) -> list[Any]:
    """Size and mtime_ns of the entry's file, or of every file in its bundle's folder."""
    files = sorted(p for p in bundle.iterdir() if p.is_file()) if bundle is not None else [path]
    out: list[Any] = []
    for p in files:
        try:
            st = p.stat()
        except OSError:
            out.append([p.name, None])
            continue
        out.append([p.name, st.st_size, st.st_mtime_ns])
    return out


class Cache:
    """The stored rows of one folder for one preset."""

    def __init__(self, folder: Path, preset: str, path: Path | None = None) -> None:
        self.path = path or cache_file(folder)
        self.preset = preset
        self.rows: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("format") == FORMAT and data.get("preset") == preset and data.get("app") == __version__:
                self.rows = dict(data.get("rows") or {})
        except (OSError, ValueError, AttributeError):
            self.rows = {}

    def get(self, key: str, sig: list[Any]) -> EntryResult | None:
        stored = self.rows.get(key)
        if not stored or stored.get("sig") != sig:
            return None
        try:
            return EntryResult(**stored["row"])
        except TypeError:  # a row written by another shape of EntryResult
            return None

    def put(self, key: str, sig: list[Any], row: EntryResult) -> None:
        self.rows[key] = {"sig": sig, "row": json.loads(json.dumps(row.to_dict(), default=str))}

    def save(self, keep: set[str] | None) -> None:
        """Write the rows of the entries in ``keep`` (every row when None), atomically; a
        failure costs only speed."""
        from studio.core.storage import atomic_write_text

        data = {"format": FORMAT, "preset": self.preset, "app": __version__,
                "rows": {k: v for k, v in self.rows.items() if keep is None or k in keep}}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, json.dumps(data, ensure_ascii=False))
        except OSError:
            pass
