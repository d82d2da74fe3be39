"""What the window says about a file the creator brings in, beyond the pipeline's own checks.

(Missing, empty and too-long audio is refused by ``pipeline.voice.importing.check_audio_file``,
so the CLI and the window behave the same.)
"""

from __future__ import annotations

from pathlib import Path


def decoded_as_cp1252(src: Path) -> bool:
    """True when a text file is not UTF-8 (the subtitle reader then reads it as Windows-1252)."""
    try:
        Path(src).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return True
    except OSError:
        return False
    return False
