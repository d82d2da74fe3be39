"""Which scenes' synthetic voice Whisper could hardly understand ("suara sulit dipahami").

The Subtitle step transcribes every voice with Whisper and logs, per scene, how much of the
script it recognised (``agreement`` = 1 − word error rate, in the AI-log record's params).
A jury hears what Whisper hears: with the espeak-ng voice Whisper recognised only 10–33 %
of the words in 5 of the 8 demo scenes. ``unclear_voices`` reads the latest such record and
names the scenes whose *current* voice file (same sha256 as the one Whisper heard) fell
below ``CLEAR_ENOUGH``; a voice made again, recorded or imported since is not judged.
"""

from __future__ import annotations

from pathlib import Path

from studio.core import ailog
from studio.core.project import Project

CLEAR_ENOUGH = 0.6
"""Below this share of the script's words recognised, the voice is flagged."""


def unclear_voices(project: Project, root: Path) -> dict[str, float]:
    """``{scene_id: agreement}`` of the synthetic voices Whisper recognised too little of."""
    try:
        records = ailog.read(Path(root))
    except (OSError, ValueError):
        return {}
    latest = next((r for r in reversed(records)
                   if r.step == "subtitles" and isinstance(r.params.get("agreement"), dict)), None)
    if latest is None:
        return {}
    scores = latest.params["agreement"]
    out: dict[str, float] = {}
    for scene in project.scenes:
        voice = scene.voice
        score = scores.get(scene.id)
        if voice is None or voice.origin != "tts" or not isinstance(score, (int, float)):
            continue
        if not voice.sha256 or latest.inputs.get(f"voice:{scene.id}") != voice.sha256:
            continue  # made again (or replaced) since Whisper heard it
        if score < CLEAR_ENOUGH:
            out[scene.id] = float(score)
    return out
