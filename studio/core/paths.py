"""Where things live: built-in assets and presets, and the per-user folders.

Every lookup goes through here so moving a folder is a one-line change. The user
folders honour ``STUDIO_HOME`` (tests and portable workshop installs point it at a
folder of their own) before falling back to the platform's standard places.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_SOURCE_ROOT = _PACKAGE_DIR.parent
APP_SLUG = "studio-lokal"


def presets_dir() -> Path:
    """Built-in presets (read-only at run time): the checkout's, else the ones a wheel installed."""
    source = _SOURCE_ROOT / "presets"
    if source.is_dir():
        return source
    # pyproject's data-files put them here when the app is installed from a wheel (the offline kit).
    return Path(sys.prefix) / "share" / "studio-lokal" / "presets"


def _home() -> Path | None:
    value = os.environ.get("STUDIO_HOME")
    return Path(value).expanduser() if value else None


def user_config_dir() -> Path:
    """Per-machine settings (settings.json, recent projects)."""
    home = _home()
    if home is not None:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_SLUG, appauthor=False))


def user_data_dir() -> Path:
    """Per-user data: user presets, autosave recovery, models."""
    home = _home()
    if home is not None:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_SLUG, appauthor=False))


def user_cache_dir() -> Path:
    """Disposable files (previews, probe caches)."""
    home = _home()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_SLUG, appauthor=False))


def models_dir() -> Path:
    """The shared model folder; ``STUDIO_MODELS_DIR`` points it at a USB copy."""
    value = os.environ.get("STUDIO_MODELS_DIR")
    if value:
        return Path(value).expanduser()
    return user_data_dir() / "models"


def speed_stats_path() -> Path:
    """Measured speeds of local AI engines on this machine (``core.speed_stats``; no secrets)."""
    return user_data_dir() / "speed.json"


def user_presets_dir() -> Path:
    """User presets that override or add to the built-ins."""
    return user_data_dir() / "presets"


def slugify(text: str, fallback: str = "video") -> str:
    """A safe ASCII file name from a title (no separators, no dots at the ends)."""
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", norm).strip("-").lower()[:60].strip("-")
    if slug in _WINDOWS_RESERVED:
        # "con.mp4" or "nul.srt" cannot be created on Windows (they name devices there).
        slug = f"{slug}-{fallback}"
    return slug or fallback


_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", "conin", "conout"}
                              | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)})
