"""The offline script composer: brief + theme preset → 6–10 scenes, with no AI at all.

It fills the template sentences of a theme preset (``presets/themes/*.toml``) or, for
a theme typed in the creator's own words, a built-in set of general local-wisdom
sentences, and weaves in every key fact of the brief verbatim (a theme line that already
says one is left out, so no fact is said twice). It then adds or
drops sentences until the spoken estimate (``core.timeline.estimate_speech_seconds``
at the voice's measured rate) sits as close to the target as it can, inside the
request's range. The result is deterministic for the same brief, and honestly
labelled "no AI" (``is_ai=False``) in the AI log. The plan and the fit live in
``llm.composer``; this module is the engine.

Sentence order inside a structure part follows the file, so a theme author can put
the definition first and the details after it; a variant (regenerate) rotates
which sentences are picked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from studio.core.errors import Problem, UsageError
from studio.core.jobs import JobContext
from studio.core.presets import Theme
from studio.core.timeline import estimate_speech_seconds
from studio.engines.base import (
    DraftScene,
    EngineBase,
    EngineInfo,
    Provenance,
    ScriptRequest,
    ScriptResult,
)
from studio.engines.llm.composer import _Composer, _PlannedScene, parts_for, theme_revision
from studio.engines.llm.scene_json import fact_present, fact_sentence

log = logging.getLogger(__name__)

TOOL_NAME = "Penyusun templat Studio Lokal"


# ------------------------------------------------------------------ the engine


class TemplateScriptEngine(EngineBase):
    """Writes a script from theme templates and the brief, offline and without AI."""

    info = EngineInfo(
        key="script.template", kind="script", name=TOOL_NAME, is_ai=False, licence="MIT",
        description_id="Menyusun naskah dari templat tema dan brief Anda, tanpa AI dan tanpa internet.",
        description_en="Composes a script from theme templates and your brief, with no AI and no internet.",
    )

    @classmethod
    def from_settings(cls, settings: object = None) -> "TemplateScriptEngine":
        return cls()

    def preflight(self) -> list[Problem]:
        return []

    def write(self, request: ScriptRequest, ctx: JobContext, *, variant: int = 0) -> ScriptResult:
        """Compose 6–10 scenes sized to ``request.word_budget``."""
        started = time.perf_counter()
        ctx.check()
        ctx.progress(0, 1, "Menyusun naskah dari templat")
        theme = request.theme_preset if isinstance(request.theme_preset, Theme) else None
        composer = _Composer(request, theme, variant)
        scenes, total, _n = composer.compose()
        ctx.progress(1, 1, "Naskah tersusun")
        return ScriptResult(tuple(scenes), self._provenance(request, composer, started, total), raw="")

    def rewrite_scene(self, request: ScriptRequest, scenes: Sequence[DraftScene], index: int,
                      ctx: JobContext, *, variant: int = 1) -> ScriptResult:
        """A new version of scene ``index`` that keeps its key facts and avoids its neighbours' lines.

        ``request.target_seconds`` is the length to aim for (the old scene's).
        """
        if not 0 <= index < len(scenes):
            raise UsageError(f"There is no scene number {index + 1} to rewrite.",
                             f"Tidak ada adegan nomor {index + 1} untuk ditulis ulang.")
        started = time.perf_counter()
        ctx.check()
        theme = request.theme_preset if isinstance(request.theme_preset, Theme) else None
        composer = _Composer(request, theme, variant)
        part = parts_for(len(scenes), composer.structure)[index]
        old = scenes[index].narration
        keep_facts = [fact_sentence(f) for f in request.key_facts if f.strip() and fact_present(f, old)]
        others = " ".join(s.narration for i, s in enumerate(scenes) if i != index)
        pool = composer.pool(part)
        fresh = [i for i in pool.priority if pool.sentences[i] not in others and pool.sentences[i] not in old]
        reuse = [i for i in pool.priority if pool.sentences[i] not in others and i not in fresh]
        occurrence = parts_for(len(scenes), composer.structure)[:index].count(part)

        def estimate(ids: list[int]) -> float:
            body = _PlannedScene(part, occurrence, keep_facts, [pool.sentences[j] for j in sorted(ids)])
            return estimate_speech_seconds(body.text(), composer.wpm)

        picked: list[int] = []
        current = estimate(picked)
        for i in fresh + reuse:
            trial = estimate(picked + [i])
            if (picked or keep_facts) and (trial > request.max_seconds or abs(trial - request.target_seconds)
                                           >= abs(current - request.target_seconds)):
                break
            picked.append(i)
            current = trial
            if len(picked) >= composer.cap(part):
                break
        planned = _PlannedScene(part, occurrence, keep_facts)
        planned.sentences = [pool.sentences[j] for j in sorted(picked)]
        draft = composer.draft(planned)
        total = estimate_speech_seconds(draft.narration, composer.wpm)
        return ScriptResult((draft,), self._provenance(request, composer, started, total), raw="")

    def _provenance(self, request: ScriptRequest, composer: _Composer, started: float,
                    total: float) -> Provenance:
        theme = composer.theme
        note = "Disusun dari templat tema tanpa AI."
        if request.language and request.language != "id":
            from studio.core.languages import language_name

            note += (f" Templat hanya tersedia dalam Bahasa Indonesia: tulis ulang narasi setiap adegan "
                     f"dalam {language_name(request.language)}"
                     + (" (subtitle Indonesianya sudah terisi)." if request.subtitle_language else "."))
        return Provenance(
            engine=self.info.key, tool=TOOL_NAME, is_ai=False,
            model=f"templat {theme.id} v{theme.version}", model_revision=theme_revision(theme),
            licence="MIT", prompt="",
            params={"theme": theme.id, "words_per_minute": round(composer.wpm, 1),
                    "word_budget": request.word_budget, "target_seconds": round(request.target_seconds, 1),
                    "estimated_speech_seconds": round(total, 1), "variant": composer.variant},
            seed=None, seconds=time.perf_counter() - started, note=note)
