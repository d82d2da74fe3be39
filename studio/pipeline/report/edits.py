"""What the creator changed in the generated script, for the AI-usage report.

The AI log says *that* the creator edited a scene (a human ``edit`` record) and the
project marks the scene ``edited``; this module finds *what* changed: it reads the
script drafts the log points at (``script/*.json``, written by ``pipeline.script``
for every generate/regenerate call) and pairs each edited scene with the draft text
it came from. Scene ids are not in a whole-script draft (scenes get ids when the
result is applied), so an edited scene is matched to the most similar draft scene;
a draft that is not clearly the same scene (less than ``MIN_SIMILARITY``) is not
claimed. A word-level diff renders the change for the HTML and PDF report.
"""

from __future__ import annotations

import difflib
import html
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from studio.core import ailog, storage
from studio.core.project import Project

log = logging.getLogger(__name__)

MIN_SIMILARITY = 0.35
"""Below this word-level similarity a draft scene is not taken to be the source of an edit."""
_FIELDS = ("narration", "image_prompt")


@dataclass(frozen=True)
class Draft:
    """One draft scene as the script engine wrote it."""

    order: int
    """Position of the generating record in the AI log (later wins a tie)."""
    scene_id: str | None
    """Set for a single-scene rewrite, None for a whole-script draft."""
    narration: str
    image_prompt: str


def _read_drafts(root: Path, rec: ailog.AiRecord, order: int) -> list[Draft]:
    drafts: list[Draft] = []
    for out in rec.outputs:
        if not out.path.endswith(".json"):
            continue
        try:
            doc = json.loads(storage.resolve_in(root, out.path).read_text(encoding="utf-8"))
        except (OSError, ValueError, storage.UnsafePathError) as exc:
            log.info("script draft %s unusable for the report: %s", out.path, exc)
            continue
        if not isinstance(doc, dict):
            continue
        scene_id = doc.get("scene_id") or rec.scene_id
        for item in doc.get("scenes", []):
            if isinstance(item, dict):
                drafts.append(Draft(order, scene_id, str(item.get("narration", "")),
                                    str(item.get("image_prompt", ""))))
    return drafts


def similarity(a: str, b: str) -> float:
    """Word-level similarity 0..1 (case-insensitive)."""
    return difflib.SequenceMatcher(None, a.lower().split(), b.lower().split(), autojunk=False).ratio()


def scene_drafts(project: Project, root: Path, records: Sequence[ailog.AiRecord]) -> dict[str, dict[str, str]]:
    """For each scene the creator edited: ``{"narration": draft, "image_prompt": draft}``
    holding only the fields whose draft differs from the current text.

    A scene rewritten on its own has its own draft. The others are paired with the
    scenes of the current whole-script draft one to one, best match first, over *all*
    scenes: unedited scenes claim their identical drafts, so an edited scene cannot
    take a neighbour's draft even when scenes read alike. Position breaks ties.
    """
    if not any(s.edited and s.source != "human" for s in project.scenes):
        return {}
    root = Path(root)
    records = list(records)
    current = ailog.current_records(records, [s.id for s in project.scenes])
    whole: list[Draft] = []
    own: dict[str, Draft] = {}
    for order, rec in enumerate(current):
        if rec.step != "script" or rec.actor == "human" or rec.action not in ("generate", "regenerate"):
            continue
        found = _read_drafts(root, rec, order)
        if rec.scene_id is None:
            whole = found  # the latest whole script wins
        elif found:
            own[rec.scene_id] = found[0]
    pairs: list[tuple[float, int, int]] = []
    for i, scene in enumerate(project.scenes):
        if scene.id in own or scene.source == "human":
            continue
        for j, d in enumerate(whole):
            score = (similarity(d.narration, scene.narration)
                     + 0.5 * similarity(d.image_prompt, scene.image_prompt) + (0.05 if i == j else 0.0))
            pairs.append((score, i, j))
    matched: dict[int, Draft] = {}
    taken: set[int] = set()
    for _score, i, j in sorted(pairs, key=lambda t: (-t[0], t[1], t[2])):
        if i in matched or j in taken:
            continue
        scene, d = project.scenes[i], whole[j]
        if max(similarity(d.narration, scene.narration),
               similarity(d.image_prompt, scene.image_prompt)) < MIN_SIMILARITY:
            continue
        matched[i] = d
        taken.add(j)
    out: dict[str, dict[str, str]] = {}
    for i, scene in enumerate(project.scenes):
        if not scene.edited or scene.source == "human":
            continue
        draft = own.get(scene.id) or matched.get(i)
        if draft is None:
            continue
        changed = {f: getattr(draft, f) for f in _FIELDS
                   if getattr(draft, f).strip() and getattr(draft, f).strip() != getattr(scene, f).strip()}
        if changed:
            out[scene.id] = changed
    return out


def word_diff(before: str, after: str) -> list[tuple[str, str]]:
    """``[(op, text)]`` with op ``=`` (kept), ``-`` (removed) or ``+`` (added), word by word."""
    a, b = before.split(), after.split()
    parts: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("=", " ".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(("-", " ".join(a[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(("+", " ".join(b[j1:j2])))
    return parts


def word_diff_html(before: str, after: str) -> str:
    """The change as HTML: removed words struck through, added words underlined."""
    out: list[str] = []
    for op, text in word_diff(before, after):
        t = html.escape(text, quote=True)
        out.append(t if op == "=" else (f"<del>{t}</del>" if op == "-" else f"<ins>{t}</ins>"))
    return " ".join(out)
