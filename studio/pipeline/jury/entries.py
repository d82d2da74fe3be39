"""Find and check the entries of a contest folder: bare MP4s and export bundles.

An export bundle is a folder holding ``SHA256SUMS.txt`` (``pipeline.export.bundle``):
its MP4 is the entry, its ``laporan-ai.json`` the declared AI use, and every listed
file is hashed again. Anything that goes wrong with one entry becomes that entry's
``error`` (a sentence), so one broken file never stops the jury's table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError
from studio.core.hashing import file_sha256
from studio.core.rules.findings import blocking
from studio.pipeline import checks
from studio.pipeline.export.bundle import CHECKSUMS, REPORT_JSON


@dataclass
class EntryResult:
    """One row of the jury's table."""

    entry: str
    """Path relative to the folder that was checked (POSIX separators)."""
    passed: bool = False
    failed_rules: list[str] = field(default_factory=list)
    duration_s: float | None = None
    ai_tools: list[str] = field(default_factory=list)
    disclosure_agrees: bool | None = None
    """The MP4's comment tag matches the report's disclosure; None when there is no report."""
    c2pa: str = "none"
    """Content Credentials: ``none``, ``valid`` or ``invalid``."""
    bundle_integrity: str = "none"
    """``ok``, ``tampered``, ``incomplete`` or ``none`` (a bare MP4)."""
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    error: str = ""
    duplicate_of: str = ""
    """Another entry that is the same video (re-encoded or resized), or empty."""
    fingerprint: list[int] = field(default_factory=list)
    audio_envelope: list[float] = field(default_factory=list)
    """The sound's loudness envelope (``fingerprint``), empty when uninformative."""
    findings: list[dict[str, Any]] = field(default_factory=list)
    report: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def discover(folder: Path) -> list[tuple[Path, Path | None]]:
    """``(video, bundle_folder_or_None)`` for every entry under ``folder``, sorted by path.

    A folder with ``SHA256SUMS.txt`` is one bundle entry (its first MP4, or none); other
    ``*.mp4`` files are bare entries, and ``*.zip`` files zipped bundles (``zips``).
    """
    folder = Path(folder)
    bundles = sorted(p.parent for p in folder.rglob(CHECKSUMS) if p.is_file())
    out: list[tuple[Path, Path | None]] = []
    for b in bundles:
        videos = sorted(p for p in b.iterdir() if p.suffix.lower() == ".mp4" and p.is_file())
        out.append((videos[0] if videos else b / "(no video).mp4", b))
    inside = set(bundles)
    for p in sorted(folder.rglob("*")):
        if p.suffix.lower() in (".mp4", ".zip") and p.is_file() and p.parent not in inside:
            out.append((p, None))
    return sorted(out, key=lambda e: str(e[0]))


def verify_sums(bundle: Path) -> tuple[str, list[str], list[str], list[str]]:
    """Integrity of a bundle: ``(state, missing, changed, extra)`` against SHA256SUMS.txt.

    ``tampered`` when a listed file's hash differs (or the listing itself is unreadable),
    ``incomplete`` when a listed file is missing, else ``ok``; extra files are listed.
    """
    listed: dict[str, str] = {}
    try:
        for line in (bundle / CHECKSUMS).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            digest, _, name = line.partition("  ")
            if len(digest) != 64 or not name:
                return "tampered", [], [CHECKSUMS], []
            listed[name] = digest.lower()
    except (OSError, UnicodeDecodeError):
        return "tampered", [], [CHECKSUMS], []
    missing = sorted(n for n in listed if not (bundle / n).is_file())
    changed = sorted(n for n in listed if (bundle / n).is_file() and file_sha256(bundle / n) != listed[n])
    present = {p.name for p in bundle.iterdir() if p.is_file()} - {CHECKSUMS}
    extra = sorted(present - set(listed))
    state = "tampered" if changed else ("incomplete" if missing else "ok")
    return state, missing, changed, extra


def _read_report(bundle: Path) -> dict[str, Any] | None:
    path = bundle / REPORT_JSON
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def check_entry(video: Path, bundle: Path | None, preset: str, folder: Path) -> EntryResult:
    """Check one entry; every failure is recorded on the row, never raised."""
    base = bundle if bundle is not None else video
    row = EntryResult(entry=base.relative_to(folder).as_posix() if base != folder else base.name)
    if bundle is not None:
        row.bundle_integrity, row.missing, row.changed, row.extra = verify_sums(bundle)
        row.report = _read_report(bundle)
        if row.report is not None:
            row.ai_tools = sorted({str(t.get("tool", "")) for t in row.report.get("tools", [])
                                   if isinstance(t, dict) and t.get("is_ai")} - {""})
    try:
        from studio.core.presets import get_preset
        from studio.core.rules.media import check_media_facts
        from studio.pipeline.media.probe import probe_media

        facts = probe_media(video)
        findings = check_media_facts(facts, get_preset(preset))
    except StudioError as exc:
        row.error = str(exc)
        row.failed_rules = ["file.readable"]
        return row
    row.duration_s = round(facts.duration, 3)
    from studio.pipeline.jury.fingerprint import audio_envelope, frame_hashes

    row.fingerprint = frame_hashes(video, facts.duration)
    row.audio_envelope = audio_envelope(video, facts.duration) if facts.audio_codec else []
    row.c2pa = c2pa_state(video)
    row.findings = [checks.finding_dict(f) for f in findings]
    row.failed_rules = [f.rule for f in blocking(findings)]
    if row.report is not None:
        said = row.report.get("disclosure") or {}
        comment = facts.metadata.get("comment", "")
        row.disclosure_agrees = comment in (said.get("id"), said.get("en"))
        if not row.disclosure_agrees:
            row.failed_rules.append("disclosure.matches_report")
    if row.bundle_integrity in ("tampered", "incomplete"):
        row.failed_rules.append(f"bundle.{row.bundle_integrity}")
    row.passed = not row.failed_rules
    return row


def c2pa_state(video: Path) -> str:
    """``none``, ``valid`` or ``invalid`` for the Content Credentials of ``video``."""
    from studio.pipeline.export.sign import read_credentials

    try:
        cred = read_credentials(video)
    except Exception:  # noqa: BLE001 - a manifest the reader rejects is an invalid one
        return "invalid"
    if cred is None:
        return "none"
    return "valid" if cred.get("validation_state") in ("Valid", "Trusted") and not cred.get("failures") \
        else "invalid"
