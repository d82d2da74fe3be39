"""What the pages and the window read about the open project beyond its status: the
voice's measured speaking rate, engines' display names, and where to continue.

Both lookups are cached (measuring a speaking rate builds an engine); the caches are
dropped when a project opens or the settings change.
"""

from __future__ import annotations

import logging
from typing import Any

from studio.ui import i18n, texts

log = logging.getLogger(__name__)


class EstimatesMixin:
    """Mixed into ``Session`` (which provides project, settings, status() and engine_key())."""

    project: Any
    settings: Any
    _wpm_cache: dict[tuple[str, int], float]
    _engine_names: dict[tuple[str, str], str]

    def forget_estimates(self) -> None:
        """Drop the cached speaking rates and engine names (new project, new settings)."""
        self._wpm_cache = {}
        self._engine_names = {}

    def words_per_minute(self) -> float:
        """The measured speaking rate of the project's voice (cached per engine and rate)."""
        from studio.core.timeline import DEFAULT_WPM

        p = self.project
        if p is None:
            return DEFAULT_WPM
        cache = self._wpm_cache
        key = (self.engine_key("voice"), int(p.voice.rate_wpm))
        if key not in cache:
            try:
                from studio.engines import registry
                from studio.pipeline.voice.step import narration_wpm

                engine = registry.create(key[0], self.settings)
                cache[key] = float(narration_wpm(p, engine))
            except Exception as exc:  # noqa: BLE001 - an estimate must never break typing
                log.info("no measured speaking rate for %s: %s", key[0], exc)
                cache[key] = float(p.voice.rate_wpm or DEFAULT_WPM)
        return cache[key]

    def engine_name(self, kind: str, key: str | None = None) -> str:
        """The display name of engine ``key`` (default: the one this project uses for ``kind``)."""
        from studio.ui.settings_dialog import engine_name

        key = key or (self.engine_key(kind) if self.is_open else getattr(self.settings.engines, kind))
        names = self._engine_names
        cached = (i18n.language(), key)  # the names follow the UI language
        if cached not in names:
            names[cached] = engine_name(key)
        return names[cached]

    def resume_page(self) -> str:
        """Where to continue an opened project: the first step that is not done."""
        if not self.is_open:
            return "start"
        status = self.status()
        for key in texts.PAGES[1:-1]:
            if status[key].state != "done":
                return key
        return "export"
