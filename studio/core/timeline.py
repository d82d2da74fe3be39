"""Where everything sits in time: title card, scenes, end card, voices, transitions.

Pure arithmetic over the project, shared by the live rule checks (duration
estimate while typing), the renderer and the audio mix, so all three agree.

A scene is on screen for ``lead + voice + tail``: the voice starts only once the
incoming transition has finished and ends before the outgoing one starts, so no
two voices ever overlap and the picture never drifts from the words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from studio.core.project import Project, Scene

DEFAULT_WPM = 140.0
MIN_SCENE_SECONDS = 1.5
# A number with thousands separators ("5.000") is one token, as a reader says it in one go.
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_](?:[\w’'-]*\w)?|\d+", re.UNICODE)


def count_words(text: str) -> int:
    """Spoken words in ``text`` (numbers count as one word each)."""
    return len(_WORD.findall(text))


def estimate_speech_seconds(text: str, wpm: float = DEFAULT_WPM) -> float:
    """Seconds to speak ``text`` at ``wpm`` words a minute.

    Voice engines report wpm measured on whole narrations, pauses included, so no
    separate pause allowance is added here (it would count the pauses twice).
    """
    words = count_words(text)
    if words == 0:
        return 0.0
    return words * 60.0 / max(wpm, 1.0)


@dataclass(frozen=True)
class Segment:
    """One thing on screen: the title card, a scene, or the end card."""

    kind: Literal["title", "scene", "end"]
    start: float
    """First instant it is visible (its incoming transition starts here)."""
    end: float
    """Last instant it is visible (its outgoing transition ends here)."""
    scene_index: int = -1
    scene_id: str | None = None
    voice_start: float | None = None
    voice_duration: float = 0.0
    estimated: bool = False
    """True when the length comes from a word count, not from real audio."""
    transition_in: str = "cut"
    transition_in_seconds: float = 0.0

    @property
    def duration(self) -> float:
        return self.end - self.start

    @property
    def voice_end(self) -> float | None:
        return None if self.voice_start is None else self.voice_start + self.voice_duration


@dataclass(frozen=True)
class Timeline:
    segments: tuple[Segment, ...]
    duration: float
    fps: int

    @property
    def estimated(self) -> bool:
        return any(s.estimated for s in self.segments)

    @property
    def frame_count(self) -> int:
        return int(round(self.duration * self.fps))

    def scenes(self) -> list[Segment]:
        return [s for s in self.segments if s.kind == "scene"]

    def visible(self, t: float) -> list[tuple[Segment, float]]:
        """Segments visible at ``t`` with their transition progress.

        Returns one ``(segment, 1.0)`` outside transitions, or during a transition
        ``[(outgoing, 1.0), (incoming, p)]`` where ``p`` goes 0→1 across it.
        """
        out: list[tuple[Segment, float]] = []
        for seg in self.segments:
            if seg.start <= t < seg.end or (seg is self.segments[-1] and t >= seg.end):
                d = seg.transition_in_seconds
                if d > 0 and t < seg.start + d:
                    out.append((seg, (t - seg.start) / d))
                else:
                    out.append((seg, 1.0))
        if not out and self.segments:
            out.append((self.segments[0] if t < 0 else self.segments[-1], 1.0))
        return out[-2:]


def scene_voice_seconds(scene: Scene, wpm: float) -> tuple[float, bool]:
    """(seconds, estimated) of a scene's narration: the real audio if there is one."""
    if scene.voice is not None and scene.voice.duration > 0:
        return scene.voice.duration, False
    return estimate_speech_seconds(scene.narration, wpm), True


def build_timeline(project: Project, *, wpm: float | None = None) -> Timeline:
    """Lay the project out in time (estimates stand in for missing voice audio)."""
    r = project.render
    wpm = float(wpm or project.voice.rate_wpm or DEFAULT_WPM)
    d_default = max(0.0, r.transition_seconds)
    segments: list[Segment] = []

    def overlap(transition: str) -> float:
        return 0.0 if (transition == "cut" or not segments) else d_default

    if r.title_card:
        segments.append(Segment("title", 0.0, r.title_seconds))
    scenes = project.scenes
    for i, scene in enumerate(scenes):
        d_in = overlap(scene.transition)
        nxt = scenes[i + 1].transition if i + 1 < len(scenes) else ("crossfade" if r.end_card else "cut")
        d_out = 0.0 if nxt == "cut" else d_default
        start = segments[-1].end - d_in if segments else 0.0
        voice, estimated = scene_voice_seconds(scene, wpm)
        lead = max(r.scene_padding, d_in)
        tail = max(r.scene_padding, d_out)
        length = max(lead + voice + tail, MIN_SCENE_SECONDS, d_in + d_out + 0.1)
        segments.append(Segment(
            "scene", start, start + length, scene_index=i, scene_id=scene.id,
            voice_start=start + lead if voice > 0 else None, voice_duration=voice,
            estimated=estimated, transition_in=scene.transition if d_in else "cut",
            transition_in_seconds=d_in))
    if r.end_card:
        d_in = overlap("crossfade")
        start = segments[-1].end - d_in if segments else 0.0
        segments.append(Segment("end", start, start + r.end_seconds,
                                transition_in="crossfade" if d_in else "cut",
                                transition_in_seconds=d_in))
    # Snap the total to whole frames so the exported length is exact.
    fps = r.fps
    raw_end = segments[-1].end if segments else 0.0
    duration = round(raw_end * fps) / fps
    if segments and duration != raw_end:
        last = segments[-1]
        segments[-1] = Segment(**{**last.__dict__, "end": duration})
    return Timeline(tuple(segments), duration, fps)
