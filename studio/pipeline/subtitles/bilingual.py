"""Two lines per cue: the narration's own language, and its rendering in the subtitle language.

A Basa Jawa narration keeps its timing from the Javanese words (aligned to the voice as
always); the Indonesian line of each scene is laid over the same spans. Whisper cannot time a
translation, so the scene's Indonesian text is shared out over the scene's cues in proportion
to the narration words each cue holds: a cue with a third of the Javanese words shows about a
third of the Indonesian ones, in order, and never a word from another scene.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from studio.core.languages import language_code
from studio.core.project import Cue, Project

Which = Literal["narration", "subtitles"]


def _word_count(cue: Cue) -> int:
    return len(cue.words) or len(cue.text.split())


def attach_translations(project: Project, cues: Sequence[Cue]) -> list[Cue]:
    """``cues`` with each one's ``translation`` set from its scene's ``subtitle`` (bilingual
    projects); in a one-language project the cues come back with no translation."""
    if not project.brief.bilingual:
        return [c.model_copy(update={"translation": ""}) for c in cues]
    subtitle_of = {s.id: s.subtitle.split() for s in project.scenes}
    by_scene: dict[str | None, list[int]] = {}
    for i, cue in enumerate(cues):
        by_scene.setdefault(cue.scene_id, []).append(i)
    out = [c.model_copy() for c in cues]
    for scene_id, indexes in by_scene.items():
        words = subtitle_of.get(scene_id or "", [])
        counts = [max(1, _word_count(cues[i])) for i in indexes]
        total, done = sum(counts), 0
        start = 0
        for i, n in zip(indexes, counts):
            done += n
            end = round(done * len(words) / total)
            out[i].translation = " ".join(words[start:end])
            start = end
    return out


def cues_in(cues: Sequence[Cue], which: Which) -> list[Cue]:
    """Copies of ``cues`` whose text is the chosen line: what the narrator says, or the
    subtitle-language line (falling back to the narration where a cue has none)."""
    if which == "narration":
        return [c.model_copy() for c in cues]
    return [c.model_copy(update={"text": c.translation.strip() or c.text}) for c in cues]


def subtitle_files(project: Project, stem: Path) -> list[tuple[Which, Path]]:
    """Which SRT files an export writes next to ``stem`` (a path without suffix): one file in a
    one-language project; in a bilingual one the subtitle language as ``stem.srt`` (what a
    jury reads) and the narration's language as ``stem.<code>.srt``."""
    main = stem.with_name(stem.name + ".srt")
    if not project.brief.bilingual:
        return [("narration", main)]
    code = language_code(project.brief.language) or "narration"
    return [("subtitles", main), ("narration", stem.with_name(f"{stem.name}.{code}.srt"))]
