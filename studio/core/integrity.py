"""Does every file a project refers to exist, inside the folder, unchanged?

Used by ``studio check-project``, by the window when it opens a project (offer to
relink a moved file) and before export. Never raises for a missing file: it
reports, so the creator decides. ``inspect_folder`` is the whole check-project report:
load, step status (stale steps), assets, partial files/folders a crash left, and
damaged lines of the AI log; it never writes.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from studio.core.ailog import LOG_FILE, AiRecord
from studio.core.errors import UnsafePathError
from studio.core.hashing import file_sha256
from studio.core.project import Project
from studio.core.status import StepStatus, project_status
from studio.core.storage import read_project, relative_to_root, resolve_in

Problem = Literal["missing", "outside", "changed", "empty"]


@dataclass(frozen=True)
class AssetIssue:
    kind: str
    """image, voice, music."""
    scene_id: str | None
    path: str
    problem: Problem

    def sentence(self, language: str = "en") -> str:
        where = f" (scene {self.scene_id})" if self.scene_id else ""
        where_id = f" (adegan {self.scene_id})" if self.scene_id else ""
        if language == "id":
            return {
                "missing": f"Berkas {self.kind} {self.path}{where_id} tidak ditemukan; sambungkan ulang atau buat lagi.",
                "outside": f"Jalur {self.kind} {self.path!r}{where_id} menunjuk ke luar folder proyek dan ditolak.",
                "changed": f"Berkas {self.kind} {self.path}{where_id} berubah di luar aplikasi.",
                "empty": f"Berkas {self.kind} {self.path}{where_id} kosong; buat lagi.",
            }[self.problem]
        return {
            "missing": f"The {self.kind} file {self.path}{where} is missing; relink it or make it again.",
            "outside": f"The {self.kind} path {self.path!r}{where} points outside the project folder and was refused.",
            "changed": f"The {self.kind} file {self.path}{where} was changed outside the app.",
            "empty": f"The {self.kind} file {self.path}{where} is empty; make it again.",
        }[self.problem]


def _refs(project: Project) -> list[tuple[str, str | None, str, str]]:
    refs: list[tuple[str, str | None, str, str]] = []
    for scene in project.scenes:
        if scene.image is not None:
            refs.append(("image", scene.id, scene.image.path, scene.image.sha256))
        if scene.voice is not None:
            refs.append(("voice", scene.id, scene.voice.path, scene.voice.sha256))
    if project.music.path:
        refs.append(("music", None, project.music.path, ""))
    return refs


def verify_assets(root: Path, project: Project, *, check_hashes: bool = True) -> list[AssetIssue]:
    """Every referenced file that is missing, outside the folder, empty or changed."""
    issues: list[AssetIssue] = []
    for kind, scene_id, rel, sha in _refs(project):
        try:
            path = resolve_in(root, rel)
        except UnsafePathError:
            issues.append(AssetIssue(kind, scene_id, rel, "outside"))
            continue
        if not path.is_file():
            issues.append(AssetIssue(kind, scene_id, rel, "missing"))
        elif path.stat().st_size == 0:
            issues.append(AssetIssue(kind, scene_id, rel, "empty"))
        elif check_hashes and sha and file_sha256(path) != sha:
            issues.append(AssetIssue(kind, scene_id, rel, "changed"))
    return issues


def relink_candidates(root: Path, issue: AssetIssue, sha256: str = "", limit: int = 5) -> list[str]:
    """Files inside the project with the same name (or the same content) as a missing one."""
    root = Path(root)
    name = Path(issue.path).name
    found: list[str] = []
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            full = Path(dirpath) / f
            if full.is_symlink():
                continue
            if f == name or (sha256 and full.stat().st_size > 0 and file_sha256(full) == sha256):
                found.append(relative_to_root(root, full))
                if len(found) >= limit:
                    return found
    return found


# ---------------------------------------------------------------- the whole folder


PARTIAL_SUFFIXES = (".part", ".tmp")
"""Names a write in progress uses (``atomic_output``, ``atomic_write_bytes``, export bundles)."""


@dataclass
class FolderReport:
    """What ``studio check-project`` says about a project folder that loads."""

    project: Project
    warnings: list[str]
    """What the loader noticed (unknown fields kept, migrated from an older format)."""
    status: dict[str, StepStatus]
    assets: list[AssetIssue]
    leftovers: list[str]
    """Project-relative partial files and folders (``name.part``, ``name.tmp``, ``folder.part/``)
    left by a crash or a kill: never under a final name, safe to delete."""
    damaged_log_lines: int = 0
    """Lines of ai_log.jsonl that could not be read (a record cut short by a crash)."""

    @property
    def stale_steps(self) -> list[str]:
        return [step for step, st in self.status.items() if st.state == "stale"]


def find_leftovers(root: Path) -> list[str]:
    """Partial files and folders under ``root`` (not following symlinks), sorted."""
    root = Path(root)
    found: list[str] = []
    for dirpath, dirs, files in os.walk(root):
        here = Path(dirpath)
        for d in list(dirs):
            if d.endswith(PARTIAL_SUFFIXES):
                found.append(relative_to_root(root, here / d) + "/")
                dirs.remove(d)  # its content is part of the leftover
        found += [relative_to_root(root, here / f) for f in files if f.endswith(PARTIAL_SUFFIXES)]
    return sorted(found)


def damaged_log_lines(root: Path) -> int:
    """Lines of ai_log.jsonl that ``ailog.read`` skips."""
    path = Path(root) / LOG_FILE
    if not path.is_file():
        return 0
    bad = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            if not raw.strip():
                continue
            try:
                AiRecord.model_validate(json.loads(raw))
            except ValueError:  # bad JSON, or a pydantic ValidationError (a ValueError)
                bad += 1
    return bad


def inspect_folder(root: Path) -> FolderReport:
    """Load the project in ``root`` and report its state, without changing anything.

    Raises:
        ProjectError: the project cannot be loaded (the reason is the message).
    """
    root = Path(root)
    result = read_project(root)
    project = result.project
    return FolderReport(project=project, warnings=list(result.warnings), status=project_status(project),
                        assets=verify_assets(root, project), leftovers=find_leftovers(root),
                        damaged_log_lines=damaged_log_lines(root))
