"""Done, stale or missing: what each step's output is, given the current inputs.

Each generated asset stores ``inputs_hash``, the hash of what it was made from.
When the creator changes an earlier step (a narration line, a prompt, the voice),
the hash of the current inputs no longer matches and the asset shows as stale.
The pipeline stamps assets with these same functions, so the two always agree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Literal

from studio.core.hashing import inputs_hash
from studio.core.project import Project, Scene

State = Literal["done", "stale", "missing", "partial"]


def scene_seed(project: Project, scene: Scene) -> int:
    """The image seed of a scene: its own if set, else derived from the id (stable under reordering)."""
    if scene.image_seed is not None:
        return int(scene.image_seed)
    digest = int(hashlib.sha256(scene.id.encode()).hexdigest()[:8], 16)
    return (project.images.seed + digest) % (2**31 - 1)


def image_inputs_hash(project: Project, scene: Scene, engine: str) -> str:
    """Hash of what a generated image depends on."""
    c = project.images
    return inputs_hash({
        "prompt": scene.image_prompt.strip(), "style": c.style, "negative": c.negative_prompt,
        "engine": engine, "seed": scene_seed(project, scene), "steps": c.steps,
        "guidance": c.guidance, "size": [project.render.width, project.render.height],
        "title": scene.on_screen_text.strip(),
    })


def voice_inputs_hash(project: Project, scene: Scene, engine: str) -> str:
    """Hash of what a synthesized voice depends on."""
    v = project.voice
    return inputs_hash({"text": scene.narration.strip(), "engine": engine, "voice": v.voice,
                        "rate": v.rate_wpm, "pitch": v.pitch, "language": project.brief.language})


def subtitles_inputs_hash(project: Project) -> str:
    """Hash of what the subtitle cues depend on: every scene's text and voice audio."""
    data = [
        [s.id, s.narration.strip(), s.voice.sha256 if s.voice else None, s.transition]
        for s in project.scenes
    ] + [project.render.title_card, project.render.title_seconds, project.render.transition_seconds,
         project.render.scene_padding, project.brief.language]
    if project.brief.bilingual:  # only then, so one-language projects keep their hashes
        data.append([project.brief.subtitles_in] + [s.subtitle.strip() for s in project.scenes])
    return inputs_hash(data)


def render_inputs_hash(project: Project) -> str:
    """Hash of everything the final video depends on."""
    data = project.model_dump(mode="json", exclude={"modified", "steps", "last_export", "app_version"})
    return inputs_hash(data)


@dataclass
class StepStatus:
    state: State
    done: int = 0
    total: int = 0
    stale: list[str] = field(default_factory=list)
    """Scene ids whose output is out of date."""
    missing: list[str] = field(default_factory=list)
    """Scene ids with no output yet."""


def _per_scene(project: Project, attr: str, engine: str) -> StepStatus:
    total = len(project.scenes)
    st = StepStatus("missing", total=total)
    for scene in project.scenes:
        asset = getattr(scene, attr)
        if attr == "image" and scene.clip is not None:
            st.done += 1  # the creator's own clip: nothing to generate
            continue
        if asset is None:
            st.missing.append(scene.id)
            continue
        if attr == "image":
            if asset.origin == "own":
                st.done += 1
                continue
            expected = image_inputs_hash(project, scene, asset.engine or engine)
        else:
            if asset.origin != "tts":
                st.done += 1
                continue
            expected = voice_inputs_hash(project, scene, asset.engine or engine)
        if asset.inputs_hash and asset.inputs_hash != expected:
            st.stale.append(scene.id)
        else:
            st.done += 1
    if total == 0:
        st.state = "missing"
    elif st.stale:
        st.state = "stale"
    elif st.missing:
        st.state = "partial" if st.done else "missing"
    else:
        st.state = "done"
    return st


def project_status(project: Project, *, image_engine: str = "", voice_engine: str = "") -> dict[str, StepStatus]:
    """Status of every step, in workflow order."""
    b = project.brief
    out: dict[str, StepStatus] = {}
    brief_ok = bool(b.title.strip() and b.region.strip() and b.theme.strip())
    out["brief"] = StepStatus("done" if brief_ok else "missing")
    has_text = [s for s in project.scenes if s.narration.strip()]
    out["script"] = StepStatus(
        "done" if project.scenes and len(has_text) == len(project.scenes)
        else ("partial" if has_text else "missing"),
        done=len(has_text), total=len(project.scenes))
    out["images"] = _per_scene(project, "image", image_engine)
    out["voice"] = _per_scene(project, "voice", voice_engine or project.voice.engine)
    subs = project.subtitles
    if not subs.cues:
        out["subtitles"] = StepStatus("missing")
    elif subs.source not in ("imported", "edited") and subs.inputs_hash != subtitles_inputs_hash(project):
        out["subtitles"] = StepStatus("stale")
    else:
        out["subtitles"] = StepStatus("done")
    m = project.music
    out["music"] = StepStatus("done" if m.source == "none" or m.path else "missing")
    exp = project.last_export
    if exp is None:
        out["export"] = StepStatus("missing")
    elif exp.inputs_hash != render_inputs_hash(project):
        out["export"] = StepStatus("stale")
    else:
        out["export"] = StepStatus("done")
    return out
