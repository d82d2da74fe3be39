"""Cheap checks on a file the creator brings in, before any decoding starts.

The pipeline's importers decode with a cap and say what is wrong with a damaged
file; these checks answer the cases that need no decoding, in clearer words: the
file is gone, it is empty (0 bytes, e.g. a failed copy from a phone), or its header
declares more than the step can use (a 3-hour recording is refused from its header
instead of being half-read). They run on the job's worker thread, inside the import.
"""

from __future__ import annotations

from pathlib import Path

from studio.core.errors import MediaError


def check_media_file(src: Path, *, max_seconds: float | None = None) -> None:
    """Raise MediaError (English + Indonesian) when ``src`` cannot be a usable import."""
    src = Path(src)
    if not src.is_file():
        raise MediaError(f"{src.name} does not exist or is not a file.",
                         f"{src.name} tidak ada atau bukan berkas.")
    if src.stat().st_size == 0:
        raise MediaError(
            f"{src.name} is empty (0 bytes); the copy probably failed. Copy the file again "
            "from its source and import it.",
            f"{src.name} kosong (0 bita); kemungkinan penyalinannya gagal. Salin lagi berkas itu "
            "dari sumbernya lalu impor.")
    if max_seconds is not None:
        from studio.engines.media_length import refuse_longer_than

        refuse_longer_than(src, max_seconds)


def decoded_as_cp1252(src: Path) -> bool:
    """True when a text file is not UTF-8 (the subtitle reader then reads it as Windows-1252)."""
    try:
        Path(src).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    except OSError:
        return False
    return False
