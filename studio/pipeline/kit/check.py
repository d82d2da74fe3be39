"""``studio kit check [KIT_DIR]``: is this laptop what the kit says it should be?

Three kinds of rows: every package of the kit installed at exactly its version, every
model file of the kit in the app's model folder with its SHA-256, and a smoke run
(the template script, placeholder images and the espeak voice on a temporary project,
then one second of it encoded with the bundled ffmpeg and probed) that proves the
installed pieces work together. Reading the kit is the only thing that can fail with an
error; everything else is a row.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from studio.core.errors import StudioError, UsageError
from studio.core.hashing import file_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.pipeline.kit.build import FORMAT, KIT_FILE
from studio.pipeline.kit.closure import installed


@dataclass(frozen=True)
class CheckRow:
    kind: str
    """``python``, ``package``, ``model`` or ``smoke``."""
    name: str
    want: str
    have: str
    ok: bool
    note: str = ""


def read_kit(kit_dir: Path) -> dict[str, Any]:
    """The kit's ``kit.json``.

    Raises:
        UsageError: There is no readable kit there.
    """
    path = Path(kit_dir) / KIT_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"{kit_dir} is not a Studio Lokal kit ({KIT_FILE} is missing or unreadable).",
                         f"{kit_dir} bukan kit Studio Lokal ({KIT_FILE} tidak ada atau tidak terbaca).") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise UsageError(f"{path} is not a Studio Lokal kit manifest.",
                         f"{path} bukan manifest kit Studio Lokal.")
    return data


def check_packages(kit: dict[str, Any], metadata_path: Sequence[str] | None = None) -> list[CheckRow]:
    from packaging.version import InvalidVersion, Version

    here = installed(metadata_path)
    rows = []
    for pkg in kit.get("packages", []):
        name, want = str(pkg["name"]), str(pkg["version"])
        dist = here.get(name)
        have = dist.version if dist is not None else ""  # type: ignore[attr-defined]
        try:
            ok = bool(have) and Version(have) == Version(want)
        except InvalidVersion:
            ok = have == want
        rows.append(CheckRow("package", name, want, have or "missing", ok,
                             "" if ok else ("not installed" if not have else f"installed {have}, kit has {want}")))
    return rows


def check_models(kit: dict[str, Any], models_dir: Path, ctx: JobContext) -> list[CheckRow]:
    """Every model file of the kit, hashed where the app looks for it; a bad file is named."""
    rows = []
    models = kit.get("models", {})
    total = sum(int(info.get("size", 0)) for m in models.values() for info in m.get("files", {}).values()) or 1
    done = 0

    def read(n: int) -> None:
        nonlocal done
        done += n
        ctx.substep(done, total)

    for model_id, entry in models.items():
        folder = models_dir / str(entry.get("folder", model_id))
        bad: list[str] = []
        for rel, info in sorted(entry.get("files", {}).items()):
            path = folder / rel
            if not path.is_file():
                bad.append(f"{rel} missing")
            elif path.stat().st_size != int(info["size"]):
                bad.append(f"{rel} has {path.stat().st_size} bytes, kit has {info['size']}")
            elif file_sha256(path, on_bytes=read, check=ctx.check) != info["sha256"]:
                bad.append(f"{rel} checksum differs")
        n = len(entry.get("files", {}))
        rows.append(CheckRow("model", model_id, f"{n} files", str(folder), not bad, "; ".join(bad)))
    return rows


def smoke_run(ctx: JobContext) -> CheckRow:
    """Script, images, voice on a temporary project, then one second encoded and probed (about 5 s)."""
    from studio.core import storage
    from studio.core.settings import Settings
    from studio.pipeline import demo, steps
    from studio.pipeline.media import ffmpeg
    from studio.pipeline.media.probe import probe_media

    started = time.monotonic()
    settings = Settings()  # the no-AI engines every install has, whatever this laptop chose
    settings.engines.script, settings.engines.image, settings.engines.voice = \
        "script.template", "image.placeholder", "voice.espeak"
    folder = Path(tempfile.mkdtemp(prefix="studio-kit-check-"))
    try:
        project = storage.create_project(folder / "proyek", demo.demo_project())
        root = folder / "proyek"
        storage.ensure_subdirs(root)
        for step in ("script", "images", "voice"):
            prepared = steps.prepare(step, project, root, settings)
            prepared.apply(project, prepared.run(ctx))
        scene = project.scenes[0]
        if scene.image is None or scene.voice is None:
            raise StudioError("The smoke project's first scene has no image or no voice.")
        out = folder / "smoke.mp4"
        result = ffmpeg.run(["-loop", "1", "-i", str(root / scene.image.path), "-i", str(root / scene.voice.path),
                             "-t", "1", "-vf", "scale=320:-2", "-pix_fmt", "yuv420p", "-c:v", "libx264",
                             "-c:a", "aac", "-y", str(out)], ctx=ctx, timeout=60)
        if result.returncode != 0:
            raise StudioError(f"ffmpeg could not encode the smoke video (exit {result.returncode}).")
        facts = probe_media(out, loudness=False, ctx=ctx)
        if not facts.duration or facts.width != 320:
            raise StudioError(f"The smoke video is wrong ({facts.duration:.2f} s, {facts.width} px wide).")
        seconds = time.monotonic() - started
        return CheckRow("smoke", "script+images+voice+mp4", "works", f"{seconds:.1f} s", True,
                        f"{len(project.scenes)} scenes, 1 s mp4")
    except Cancelled:
        raise
    except (StudioError, OSError) as exc:
        return CheckRow("smoke", "script+images+voice+mp4", "works", "failed", False, str(exc))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_kit(kit_dir: Path, ctx: JobContext, *, metadata_path: Sequence[str] | None = None,
              models_dir: Path | None = None, smoke: bool = True) -> list[CheckRow]:
    """Every row of ``studio kit check``; the laptop passes when every row is ok."""
    from studio.core import paths

    kit = read_kit(kit_dir)
    want_py = ".".join(str(kit.get("python", "")).split(".")[:2])
    have_py = f"{sys.version_info[0]}.{sys.version_info[1]}"
    rows = [CheckRow("python", "python", want_py, have_py, want_py == have_py)]
    ctx.progress(0, 3, "Memeriksa versi paket")
    rows += check_packages(kit, metadata_path)
    ctx.progress(1, 3, "Memeriksa checksum model")
    rows += check_models(kit, models_dir or paths.models_dir(), ctx)
    if smoke:
        ctx.progress(2, 3, "Uji coba singkat")
        rows.append(smoke_run(ctx.child("smoke", 2, 1, 3)))
    ctx.progress(3, 3, "Selesai")
    return rows


def table(rows: Sequence[CheckRow]) -> str:
    """The check as a plain-text table (failed rows first, so a long package list hides nothing)."""
    ordered = sorted(rows, key=lambda r: r.ok)
    head = ("", "kind", "name", "kit", "this laptop", "note")
    lines = [("ok" if r.ok else "FAIL", r.kind, r.name, r.want, r.have, r.note) for r in ordered]
    widths = [max(len(h), *(len(line[i]) for line in lines)) if lines else len(h) for i, h in enumerate(head)]
    widths[-1] = 0
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*head).rstrip()] + [fmt.format(*line).rstrip() for line in lines]
    failed = sum(not r.ok for r in rows)
    out.append(f"{len(rows)} check(s), {failed} failed.")
    return "\n".join(out)
