"""One long recording cut into scenes (issue 15 item 2): part k of the clip on scene k.

``cut_into_scenes(project, root, src, at, ctx)`` checks everything before it writes
anything: the file is a clip (``probe_clip``), the cut points are inside it, in order
and leave no part shorter than ``MIN_PART`` seconds, and the project has a scene for
every part. More parts than scenes is refused with a sentence rather than adding
scenes: a scene is a piece of the script (narration, voice, captions), and empty
scenes made up by a cut would silently turn a 60-90 s video into a longer one. Fewer
parts than scenes fills scenes 1..N and leaves the rest as they were.

The file is copied into ``images/`` once and every scene's ClipAsset points into that
one copy with its own in and out points (``import_clip`` for the first part, then
``edit_clip`` for the others, so the same checks hold). A file too large to copy whole
(``clips.COPY_WHOLE_BYTES``) is instead stream-cut part by part by ``import_clip``:
each part is read once and no byte is copied twice. The project object is only changed
once every part is ready; the caller saves it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from studio.core.errors import MediaError, UsageError
from studio.core.jobs import JobContext
from studio.core.origin import Origin
from studio.core.project import ClipAsset, Project
from studio.core.storage import resolve_in
from studio.pipeline.images.clips import (CLIP_EXTENSIONS, COPY_WHOLE_BYTES, SCAN_SECONDS, decodable_until,
                                          edit_clip, import_clip)
from studio.pipeline.images.step import own_source
from studio.pipeline.media.shots import segments
from studio.pipeline.media.video import probe_clip
from studio.pipeline.provenance import log_declared

MIN_PART = 0.5
"""Seconds a part lasts at least: shorter than this is a slip of the hand, not a scene."""


@dataclass
class CutResult:
    clips: list[ClipAsset]
    """The clip now on scene k+1, for k in order."""
    parts: list[tuple[float, float]]
    """Each part's seconds in the source file."""
    warnings: list[str] = field(default_factory=list)


def check_cuts(at: list[float], duration: float, scenes: int, name: str) -> list[tuple[float, float]]:
    """The parts cuts at ``at`` make of a ``duration`` s clip; UsageError for cuts that cannot be used."""
    if scenes < 1:
        raise UsageError("The project has no scenes yet: write or import the script first.",
                         "Proyek ini belum punya adegan: tulis atau impor naskahnya dulu.")
    for t in at:
        if not math.isfinite(t) or t <= 0 or t >= duration:
            raise UsageError(f"The cut at {t:g} s is outside {name}, which is {duration:.1f} s long "
                             f"(cuts go between 0 and {duration:.1f} s).",
                             f"Potongan di {t:g} dtk di luar {name}, yang panjangnya {duration:.1f} dtk "
                             f"(potongan di antara 0 dan {duration:.1f} dtk).")
    if any(b <= a for a, b in zip(at, at[1:])):
        raise UsageError("The cut points must be given in order, each later than the one before.",
                         "Titik potong harus berurutan, masing-masing lebih lambat dari sebelumnya.")
    parts = segments(list(at), duration)
    for k, (a, b) in enumerate(parts, start=1):
        if b - a < MIN_PART:
            raise UsageError(f"Part {k} ({a:.2f}-{b:.2f} s) is shorter than {MIN_PART:g} s; move or remove a cut.",
                             f"Bagian {k} ({a:.2f}-{b:.2f} dtk) lebih pendek dari {MIN_PART:g} dtk; geser atau "
                             "hapus satu potongan.")
    if len(parts) > scenes:
        extra = len(parts) - scenes
        raise UsageError(f"The cuts make {len(parts)} parts but the project has {scenes} scenes; remove {extra} "
                         "cut point(s) or add scenes to the script first.",
                         f"Potongan ini menghasilkan {len(parts)} bagian, padahal proyek punya {scenes} adegan; "
                         f"hapus {extra} titik potong atau tambah adegan di naskah dulu.")
    return parts


def cut_into_scenes(project: Project, root: Path, src: Path, at: list[float], ctx: JobContext, *,
                    declared: Origin | None = None, copy_whole_bytes: int = COPY_WHOLE_BYTES) -> CutResult:
    """Put part k of ``src`` (cut at ``at`` seconds) on scene k, for every part.

    Raises UsageError or MediaError with a sentence, having written nothing, for a file
    that is not a usable clip or cut points that cannot be used. Cancelling through
    ``ctx`` leaves the project object unchanged (a copied file may stay in ``images/``).
    """
    if not project.scenes:
        raise UsageError("The project has no scenes yet: write or import the script first.",
                         "Proyek ini belum punya adegan: tulis atau impor naskahnya dulu.")
    src = own_source(project, project.scenes[0].id, src)
    if src.suffix.lower() not in CLIP_EXTENSIONS:
        raise UsageError(f"{src.name} is not a video clip ({', '.join(CLIP_EXTENSIONS)}).",
                         f"{src.name} bukan klip video ({', '.join(CLIP_EXTENSIONS)}).")
    facts = probe_clip(src)
    at = [float(t) for t in at]
    parts = check_cuts(at, facts.duration, len(project.scenes), src.name)
    warnings: list[str] = []
    # Only the last part can run into a damaged tail; check it before anything is written.
    last_start = parts[-1][0]
    good, broke = decodable_until(src, last_start, min(facts.duration, last_start + SCAN_SECONDS))
    last_end: float | None = None
    if broke:
        if good - last_start < MIN_PART:
            raise MediaError(f"{src.name} is damaged from {good:.1f} s on, so the last part ({last_start:.1f} s "
                             "on) has almost nothing that plays; remove the last cut.",
                             f"{src.name} rusak mulai {good:.1f} dtk, jadi bagian terakhir ({last_start:.1f} dtk "
                             "dst.) hampir tidak bisa diputar; hapus potongan terakhir.")
        last_end = good
        warnings.append(f"{src.name} is damaged after {good:.1f} s; the last part ends there "
                        f"({src.name} rusak setelah {good:.1f} dtk; bagian terakhir berakhir di situ).")
    ends: list[float | None] = [b for _, b in parts[:-1]] + [last_end]
    scenes = project.scenes[:len(parts)]
    total = len(parts)
    clips: list[ClipAsset] = []
    ctx.progress(0, total, f"Memotong {src.name}")
    if src.stat().st_size <= copy_whole_bytes:
        # One copy shared by every part: import the first part, then move its in/out points.
        first = import_clip(project, root, scenes[0].id, src, start=parts[0][0], end=ends[0],
                            declared=declared, copy_whole_bytes=copy_whole_bytes)
        warnings += [w for w in first.warnings if w not in warnings]
        clips.append(first.clip)
        shared = resolve_in(root, first.clip.path)
        ctx.progress(1, total)
        for k in range(1, total):
            ctx.check()
            clip = edit_clip(first.clip, start=parts[k][0], end=ends[k])
            log_declared(root, "images", "replace", declared, scene_id=scenes[k].id, what=src.name,
                         note="" if declared else f"Klip milik kreator: {src.name}", outputs=[shared],
                         inputs={"source": src.name, "part": f"{parts[k][0]:.3f}-{parts[k][1]:.3f}"})
            clips.append(clip)
            ctx.progress(k + 1, total)
    else:
        for k in range(total):
            ctx.check()
            done = import_clip(project, root, scenes[k].id, src, start=parts[k][0], end=ends[k],
                               declared=declared, copy_whole_bytes=copy_whole_bytes)
            warnings += [w for w in done.warnings if w not in warnings]
            clips.append(done.clip)
            ctx.progress(k + 1, total)
    ctx.check()
    for scene, clip in zip(scenes, clips):
        scene.clip = clip
    shown = list(parts)
    if last_end is not None:
        shown[-1] = (shown[-1][0], last_end)
    return CutResult(clips=clips, parts=shown, warnings=warnings)


__all__ = ["MIN_PART", "CutResult", "check_cuts", "cut_into_scenes"]
