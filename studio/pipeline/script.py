"""The script step (Naskah): brief → scenes sized to the preset's duration and the voice's pace.

``write_script`` builds a ``ScriptRequest`` from the project (brief, theme preset,
the competition's duration minus the title card, end card and per-scene padding as
``core.timeline`` lays them out), runs a script engine, saves the engine's answer
under ``script/`` and appends one AI-log record. ``regenerate_scene`` rewrites one
scene and keeps the others. Neither touches the live ``Project``: they return new
``Scene`` objects for the caller to apply. A local model is unloaded when they end.

The word budget comes from the voice's measured speaking rate, which is an
estimate until the voices exist. Once they do, ``pipeline.duration_fit`` re-checks
the whole video with the real voice durations and, when it is out of the preset's
range, proposes a tempo change or which scenes to trim or extend, in words, at each
scene's own measured pace (the Naskah and Suara pages show it).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from studio.core import ailog
from studio.core.errors import StudioError, UsageError
from studio.core.hashing import text_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.core.presets import find_theme, get_preset
from studio.core.project import Project, Scene, VoiceAsset, now_iso
from studio.core.scrub import scrub_text
from studio.core.storage import atomic_output
from studio.core.timeline import build_timeline, estimate_speech_seconds
from studio.engines.base import (
    DraftScene,
    Provenance,
    ScriptEngine,
    ScriptRequest,
    ScriptResult,
)
from studio.pipeline import script_eta
from studio.pipeline.provenance import log_result

log = logging.getLogger(__name__)

MIN_SCENES = 6
MAX_SCENES = 10
EDGE_MARGIN = 2.0
"""Seconds kept clear of each end of the allowed range: real voices differ from the estimate."""


@dataclass(frozen=True)
class SpeechWindow:
    """How many seconds of narration the scenes should hold, all scenes together."""

    min: float
    target: float
    max: float


@dataclass(frozen=True)
class ScriptOutcome:
    """What the script step made; the caller replaces ``project.scenes`` with ``scenes``."""

    scenes: list[Scene]
    estimated_seconds: float
    """The whole video (title card, scenes, end card) as ``core.timeline`` estimates it."""
    speech_seconds: float
    """Narration only, estimated at the requested words per minute."""
    window: SpeechWindow
    path: Path
    """The saved engine answer (``script/script-<timestamp>.json``)."""
    provenance: Provenance
    length_retry: bool = False
    """The first answer read outside the window and the engine was asked once more (``fit_length``)."""

    @property
    def fits(self) -> bool:
        """The narration, at the voice's measured pace, reads inside the window."""
        return self.window.min <= self.speech_seconds <= self.window.max


_VOWELS = set("aeiouéèêäëöü")
_FINAL_PAIRS = {"ng", "nk", "ks", "rt", "rs", "st", "ns", "nt", "rk", "lm", "lt", "ps", "rm", "rd", "nd",
                "ld", "rn", "ct", "ft", "mp", "sh", "ch", "th", "ck", "ll", "ss", "wn", "ws", "rg", "rl",
                "ls", "ht", "gt", "ts", "rp", "lk", "sk", "pt", "xt"}


def _implausible(word: str) -> bool:
    """A word no Indonesian, regional or English reader would say: no vowel at all, a run of
    five consonants, or an ending like "-gh" / "-zy"."""
    w = word.lower()
    if not w.isalpha():
        return False
    if not any(ch in _VOWELS for ch in w):
        return True
    run = 0
    for ch in w:
        run = 0 if ch in _VOWELS else run + 1
        if run >= 5:
            return True
    tail = w[-2:]
    return len(w) > 3 and tail[0] not in _VOWELS and tail[1] not in _VOWELS | {"y"} and tail not in _FINAL_PAIRS \
        or w.endswith("zy") or "zz" in w or "xy" in w


def unclear_brief_words(project: Project) -> list[str]:
    """The brief's words that look like nonsense, when most of its title and theme do
    ("xyzzy plugh"): the script can then only be generic, and the creator should hear so."""
    import re

    b = project.brief
    words = list(dict.fromkeys(w for w in re.findall(r"[^\W\d_]+", f"{b.title} {b.theme}") if len(w) >= 3))
    if find_theme(b.theme) is not None or not words:
        return []
    odd = [w for w in words if _implausible(w)]
    return odd if len(odd) * 2 > len(words) else []


def _overhead(project: Project, n: int) -> float:
    """Seconds the timeline adds around ``n`` scenes' voices (cards, padding, transitions)."""
    probe_seconds = 10.0
    scenes = [Scene(id=f"sc-probe{i}", narration="x",
                    voice=VoiceAsset(path="voice/probe.wav", origin="tts", duration=probe_seconds))
              for i in range(n)]
    probe = project.model_copy(update={"scenes": scenes})
    return build_timeline(probe).duration - probe_seconds * n


def speech_window(project: Project, *, min_scenes: int = MIN_SCENES,
                  max_scenes: int = MAX_SCENES) -> SpeechWindow:
    """The narration length that keeps the whole video inside the preset's duration range.

    The title card, end card and per-scene padding come off; the range is narrowed so
    it holds for any scene count the engine may choose, and kept ``EDGE_MARGIN`` clear
    of both ends.
    """
    d = get_preset(project.preset).duration
    few, mid, many = _overhead(project, min_scenes), _overhead(project, (min_scenes + max_scenes) // 2), \
        _overhead(project, max_scenes)
    lo = max(10.0, d.min - few + EDGE_MARGIN) if d.min > 0 else 10.0
    hi = max(lo + 5.0, d.max - many - EDGE_MARGIN)
    target = min(hi, max(lo, d.aim - mid))
    return SpeechWindow(round(lo, 2), round(target, 2), round(hi, 2))


def typical_word_budget(project: Any = None, words_per_minute: float | None = None) -> tuple[int, float]:
    """(narration words asked, the video's seconds) for the project's preset, or the default one."""
    from studio.core.timeline import DEFAULT_WPM

    project = project if project is not None else Project()
    window = speech_window(project)
    wpm = float(words_per_minute or DEFAULT_WPM)
    return round(window.target * wpm / 60.0), float(get_preset(project.preset).duration.aim)


def build_request(project: Project, *, words_per_minute: float) -> ScriptRequest:
    """The engine request for the whole script, from the brief and the preset."""
    b = project.brief
    if not (b.theme.strip() or b.title.strip()):
        raise UsageError("Fill in at least the title and the theme of the brief before writing the script.",
                         "Isi setidaknya judul dan tema pada brief sebelum menyusun naskah.")
    window = speech_window(project)
    return ScriptRequest(
        title=b.title.strip(), region=b.region.strip(), theme=b.theme.strip(), language=b.language or "id",
        subtitle_language=b.subtitles_in if b.bilingual else "",
        audience=b.audience.strip(), key_facts=tuple(f.strip() for f in b.key_facts if f.strip()),
        creator=b.creator.strip(), agency=b.agency.strip(), notes=b.notes.strip(),
        target_seconds=window.target, min_seconds=window.min, max_seconds=window.max,
        words_per_minute=float(words_per_minute), min_scenes=MIN_SCENES, max_scenes=MAX_SCENES,
        theme_preset=find_theme(b.theme), image_style=project.images.style)


def _request_dict(request: ScriptRequest) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(request):
        value = getattr(request, f.name)
        if f.name == "theme_preset":
            value = getattr(value, "id", None)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    out["word_budget"] = request.word_budget
    return out


def _scene_dict(d: DraftScene) -> dict[str, Any]:
    return {"narration": d.narration, "image_prompt": d.image_prompt, "on_screen_text": d.on_screen_text,
            "needs_review": list(d.needs_review), "subtitle": d.subtitle}


def _stamp() -> str:
    return now_iso().replace("-", "").replace(":", "")


def _unique(folder: Path, stem: str) -> Path:
    path = folder / f"{stem}.json"
    i = 2
    while path.exists():
        path = folder / f"{stem}-{i}.json"
        i += 1
    return path


def _save(root: Path, stem: str, request: ScriptRequest, result: ScriptResult,
          extra: dict[str, Any]) -> Path:
    folder = Path(root) / "script"
    folder.mkdir(parents=True, exist_ok=True)
    path = _unique(folder, stem)
    doc = {"format": "studio.script", "version": 1, "created": now_iso(),
           "engine": result.provenance.engine, "request": _request_dict(request),
           "provenance": {**asdict(result.provenance), "params": dict(result.provenance.params)},
           "scenes": [_scene_dict(s) for s in result.scenes], "raw": result.raw, **extra}
    with atomic_output(path) as part:
        part.write_text(scrub_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n", encoding="utf-8")
    return path


def _scrubbed(result: ScriptResult) -> ScriptResult:
    """The answer with any echoed secret (an API key a server sent back) removed."""
    scenes = tuple(replace(d, narration=scrub_text(d.narration), image_prompt=scrub_text(d.image_prompt),
                           on_screen_text=scrub_text(d.on_screen_text), subtitle=scrub_text(d.subtitle))
                   for d in result.scenes)
    return replace(result, scenes=scenes, raw=scrub_text(result.raw) if isinstance(result.raw, str) else result.raw)


def _brief_hash(project: Project) -> str:
    return text_sha256(json.dumps(project.brief.model_dump(mode="json"), sort_keys=True, ensure_ascii=False))


def _release(engine: Any, keep_loaded: bool) -> None:
    """Free a local model's memory when the step ends (a laptop needs it for the next step)."""
    if not keep_loaded:
        engine.unload()


def write_script(project: Project, root: Path, engine: ScriptEngine, ctx: JobContext, *,
                 words_per_minute: float, keep_loaded: bool = False) -> ScriptOutcome:
    """Write a new script for the project's brief.

    Args:
        project: Read only; the caller applies ``outcome.scenes``.
        root: The project folder; the answer is saved under ``script/``.
        engine: A script engine (template or LLM).
        ctx: Progress and cancel; a cancel before the answer is saved leaves no file.
        words_per_minute: The chosen voice's measured speaking rate.
        keep_loaded: Keep a local model in memory afterwards (several calls in a row).

    Raises:
        UsageError: The brief has neither a title nor a theme.
        Cancelled: The user cancelled.
        StudioError: The engine failed (its message says what to do).
    """
    request = build_request(project, words_per_minute=words_per_minute)
    ctx.check()
    retried = False
    clock = script_eta.WriteClock(engine) if script_eta.setup_of(engine) else None
    unwatch = ctx.watch(clock.saw) if clock is not None else None
    try:
        try:
            result = engine.write(request, ctx)
        finally:
            if unwatch is not None:
                unwatch()
        if clock is not None:
            clock.finish(result, request.word_budget)
        fit_length = getattr(engine, "fit_length", None)
        first = _speech(result, words_per_minute)
        if fit_length is not None and _miss(first, request) > 0:
            retried = True
            second = _second_answer(fit_length, request, result, ctx)
            if second is not None and _miss(_speech(second, words_per_minute), request) < _miss(first, request):
                result = second
    finally:
        _release(engine, keep_loaded)
    ctx.check()
    source = "ai" if result.provenance.is_ai else "template"
    result = _scrubbed(result)
    scenes = [Scene(narration=d.narration, image_prompt=d.image_prompt, on_screen_text=d.on_screen_text,
                    needs_review=list(d.needs_review), source=source, subtitle=d.subtitle)
              for d in result.scenes]
    speech = sum(estimate_speech_seconds(s.narration, words_per_minute) for s in scenes)
    estimated = build_timeline(project.model_copy(update={"scenes": scenes}), wpm=words_per_minute).duration
    window = SpeechWindow(request.min_seconds, request.target_seconds, request.max_seconds)
    path = _save(root, f"script-{_stamp()}", request, result,
                 {"estimated_seconds": round(estimated, 2), "speech_seconds": round(speech, 2),
                  **({"length_retry": {"first_speech_seconds": round(first, 2)}} if retried else {})})
    log_result(root, "script", "generate", result.provenance, inputs={"brief": _brief_hash(project)},
               outputs=[path])
    return ScriptOutcome(scenes, round(estimated, 2), round(speech, 2), window, path, result.provenance,
                         length_retry=retried)


def _speech(result: ScriptResult, wpm: float) -> float:
    return sum(estimate_speech_seconds(d.narration, wpm) for d in result.scenes)


def _miss(seconds: float, request: ScriptRequest) -> float:
    """Seconds outside the request's narration window (0 inside)."""
    return max(0.0, request.min_seconds - seconds, seconds - request.max_seconds)


def _second_answer(fit_length: Any, request: ScriptRequest, result: ScriptResult,
                   ctx: JobContext) -> ScriptResult | None:
    """The engine's answer to "extend/trim to N seconds"; None when that answer failed (the first stays)."""
    try:
        return fit_length(request, result, ctx)
    except Cancelled:
        raise
    except StudioError as exc:
        log.info("asking the model to fit the length failed; the first script stays: %s", exc)
        return None


def _regenerations(root: Path, scene_id: str) -> int:
    return sum(1 for r in ailog.read(root)
               if r.step == "script" and r.scene_id == scene_id and r.action == "regenerate")


def regenerate_scene(project: Project, root: Path, engine: ScriptEngine, scene_id: str, ctx: JobContext, *,
                     words_per_minute: float, keep_loaded: bool = False) -> Scene:
    """A new text for one scene (same id, so its image and voice show as stale); the rest stay.

    The template engine picks its next variant; an LLM is asked for one scene that fits
    between the neighbours. The new scene keeps the key facts the old one carried and
    aims for the old scene's length, within what the video's range still allows.
    """
    index = project.scene_index(scene_id)
    rewrite = getattr(engine, "rewrite_scene", None)
    if rewrite is None:
        raise UsageError("This script engine cannot rewrite a single scene; write the whole script again instead.",
                         "Mesin naskah ini tidak bisa menulis ulang satu adegan; susun ulang seluruh naskah.")
    base = build_request(project, words_per_minute=words_per_minute)
    old = project.scenes[index]
    wpm = float(words_per_minute)
    total = sum(estimate_speech_seconds(s.narration, wpm) for s in project.scenes)
    mine = estimate_speech_seconds(old.narration, wpm) or base.target_seconds / max(1, len(project.scenes))
    room = max(mine, base.max_seconds - (total - mine))
    request = replace(base, target_seconds=mine, min_seconds=mine * 0.6, max_seconds=min(room, mine * 1.6))
    drafts = [DraftScene(s.narration, s.image_prompt, s.on_screen_text, tuple(s.needs_review))
              for s in project.scenes]
    ctx.check()
    try:
        result: ScriptResult = rewrite(request, drafts, index, ctx, variant=1 + _regenerations(root, scene_id))
    finally:
        _release(engine, keep_loaded)
    ctx.check()
    result = _scrubbed(result)
    draft = result.scenes[0]
    new = Scene.model_validate({
        **old.model_dump(), "narration": draft.narration, "image_prompt": draft.image_prompt or old.image_prompt,
        "on_screen_text": draft.on_screen_text or old.on_screen_text, "needs_review": list(draft.needs_review),
        "source": "ai" if result.provenance.is_ai else "template", "edited": False})
    path = _save(root, f"scene-{scene_id}-{_stamp()}", request, result, {"scene_id": scene_id, "index": index})
    log_result(root, "script", "regenerate", result.provenance, scene_id=scene_id,
               inputs={"narration": text_sha256(old.narration)}, outputs=[path])
    return new
