"""The StudioError family: every message is a sentence a creator can act on.

Each error carries an English text (``str(err)``, used by the CLI and logs) and an
Indonesian text (``err.text("id")``, used by the UI). ``Cancelled`` lives in
``core.jobs`` and is deliberately not a StudioError: cancelling is not a failure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class StudioError(Exception):
    """An error a user can read.

    Args:
        message: English sentence saying what went wrong and what to do.
        message_id: The same in Bahasa Indonesia; defaults to the English text.
        details: Technical details for a "copy details" box (never shown alone).
    """

    def __init__(self, message: str, message_id: str | None = None, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.message_id = message_id or message
        self.details = details

    def text(self, language: str = "en") -> str:
        """The message in ``language`` ("id" or "en")."""
        return self.message_id if language == "id" else self.message


class ProjectError(StudioError):
    """A project folder or project.json cannot be used as it is."""


class ProjectFormatError(ProjectError):
    """project.json is truncated, not JSON, or has a field that does not fit.

    ``line`` and ``field`` point at the fault when they are known.
    """

    def __init__(self, message: str, message_id: str | None = None, *, path: str = "",
                 line: int | None = None, field: str | None = None, details: str = "") -> None:
        super().__init__(message, message_id, details=details)
        self.path = path
        self.line = line
        self.field = field


class ProjectTooNewError(ProjectError):
    """The project was written by a newer Studio Lokal than this one."""


class UnsafePathError(ProjectError):
    """A path in a project points outside its folder (``../``, absolute, or a symlink out)."""


class PresetError(StudioError):
    """A preset file is missing or does not describe a valid preset."""


class EngineUnavailable(StudioError):
    """An engine cannot run here; ``problems`` lists what is missing, in words."""

    def __init__(self, message: str, message_id: str | None = None, *,
                 problems: list[str] | None = None, details: str = "") -> None:
        super().__init__(message, message_id, details=details)
        self.problems = list(problems or [])


class EngineFailed(StudioError):
    """An engine started but could not produce a usable result."""


class MediaError(StudioError):
    """An input media file (image, audio, video) is corrupt, empty or unsupported."""


class DiskFullError(StudioError):
    """The disk filled up while writing; nothing under a final name was left partial."""


class UsageError(StudioError):
    """The command line or a request was not well formed."""


class TimeEntryError(UsageError):
    """A time typed by the creator (a subtitle's start or end) cannot be read or is out of order."""


class Problem(str):
    """A preflight finding: ``str`` is English, ``.text("id")`` is Indonesian.

    Engines return ``list[Problem]`` from ``preflight()``; it is still a list of
    strings for anyone who only needs one language.
    """

    message_id: str

    def __new__(cls, message: str, message_id: str | None = None) -> "Problem":
        obj = super().__new__(cls, message)
        obj.message_id = message_id or message
        return obj

    def text(self, language: str = "en") -> str:
        return self.message_id if language == "id" else str(self)


class ExportBlocked(StudioError):
    """Export refused because a rule that blocks export failed."""

    def __init__(self, message: str, message_id: str, findings: Sequence[Any]) -> None:
        super().__init__(message, message_id)
        self.findings = list(findings)
