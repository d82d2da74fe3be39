"""Details of an unexpected error go to a log file; the creator reads one sentence.

``write_crash_log`` writes the traceback (secrets scrubbed) to the user's log folder,
falling back to the system's temporary folder when that one cannot be written (a
read-only home), and returns the path so the message can name it.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from studio import __version__
from studio.core import paths
from studio.core.scrub import scrub_text


def _candidates() -> list[Path]:
    found: list[Path] = []
    try:
        found.append(paths.user_cache_dir() / "logs")
    except Exception:  # noqa: BLE001 - a broken platform lookup must not hide the error
        pass
    found.append(Path(tempfile.gettempdir()))
    return found


def write_crash_log(exc: BaseException, argv: list[str] | None = None) -> Path | None:
    """Write ``exc``'s traceback to a new log file; its path, or None if no folder takes it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    body = (f"Studio Lokal {__version__}, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d %H:%M:%S')}\n"
            f"command: studio {' '.join(argv if argv is not None else sys.argv[1:])}\n\n"
            + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    for folder in _candidates():
        path = folder / f"studio-error-{stamp}-{os.getpid()}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(scrub_text(body), encoding="utf-8")
        except OSError:
            continue
        return path
    return None


class _QuietFormatter(logging.Formatter):
    """Log lines on stderr never carry a traceback (they go to the log file with ``-v``)."""

    def __init__(self, fmt: str, verbose: bool) -> None:
        super().__init__(fmt)
        self.verbose = verbose

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging API
        return super().formatException(ei) if self.verbose else f"  ({ei[0].__name__}: {ei[1]})"

    def formatStack(self, stack_info: str) -> str:  # noqa: N802 - logging API
        return stack_info if self.verbose else ""


def setup_logging(verbose: bool) -> None:
    """Command-line logging: warnings on stderr (info with ``-v``), no tracebacks unless ``-v``."""
    handler = logging.StreamHandler()
    handler.setFormatter(_QuietFormatter("%(levelname)s %(name)s: %(message)s", verbose))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])


def report_unexpected(exc: BaseException, argv: list[str] | None) -> int:
    """Write the crash log, print one sentence naming it on stderr; returns exit code 2."""
    path = write_crash_log(exc, argv)
    where = f" Details: {path}" if path else ""
    sys.stderr.write(
        f"error: Terjadi kesalahan tak terduga ({type(exc).__name__}); pekerjaan yang sudah selesai tetap "
        f"tersimpan. / An unexpected error ({type(exc).__name__}) stopped the command; finished work was "
        f"kept.{where}\n")
    return 2
