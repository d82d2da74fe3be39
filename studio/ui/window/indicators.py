"""The window's always-visible indicators: step states, duration meter, rule chip, title.

The speaking-rate estimate behind the duration meter is measured once per voice
engine and rate and cached.
"""

from __future__ import annotations

import logging
from typing import Any

from studio import APP_NAME
from studio.core.errors import StudioError
from studio.ui import texts

log = logging.getLogger(__name__)


class IndicatorsMixin:
    """Mixed into ``MainWindow`` (which provides session, the top-bar widgets and tr())."""

    def words_per_minute(self) -> float:
        """The measured speaking rate of the project's voice (cached per engine and rate)."""
        from studio.core.timeline import DEFAULT_WPM

        p = self.session.project
        if p is None:
            return DEFAULT_WPM
        key = (self.session.engine_key("voice"), int(p.voice.rate_wpm))
        if key not in self._wpm_cache:
            try:
                from studio.engines import registry
                from studio.pipeline.voice.step import narration_wpm

                engine = registry.create(key[0], self.session.settings)
                self._wpm_cache[key] = float(narration_wpm(p, engine))
            except Exception as exc:  # noqa: BLE001 - an estimate must never break typing
                log.info("no measured speaking rate for %s: %s", key[0], exc)
                self._wpm_cache[key] = float(p.voice.rate_wpm or DEFAULT_WPM)
        return self._wpm_cache[key]

    def timeline(self) -> Any:
        """The project's timeline with the voice's measured speaking rate for estimates."""
        from studio.core.timeline import build_timeline

        return build_timeline(self.session.project, wpm=self.words_per_minute())

    def engine_name(self, kind: str, key: str | None = None) -> str:
        from studio.ui.settings_dialog import engine_name

        key = key or (self.session.engine_key(kind) if self.session.is_open
                      else getattr(self.session.settings.engines, kind))
        if key not in self._engine_names:
            self._engine_names[key] = engine_name(key)
        return self._engine_names[key]

    def update_indicators(self) -> None:
        """Step states, duration meter and rule chip from the project as it is now."""
        s = self.session
        if not s.is_open:
            self.step_list.set_states({})
            self.meter.setVisible(False)
            self.rule_chip.setVisible(False)
            self.project_label.setText(self.tr("Belum ada proyek terbuka"))
            return
        self.meter.setVisible(True)
        self.rule_chip.setVisible(True)
        status = s.status()
        states = {key: st.state for key, st in status.items() if key in texts.PAGES}
        states["start"] = "done"
        for issue in s.asset_issues:
            # A step whose files are missing or damaged is not done, whatever project.json says.
            key = {"image": "images", "voice": "voice", "music": "music"}.get(issue.kind, "")
            if states.get(key) == "done":
                states[key] = "stale"
        self.step_list.set_states(states)
        try:
            preset = s.preset()
            tl = self.timeline()
            self.meter.set_value(tl.duration, tl.estimated, preset.duration.min, preset.duration.max)
        except StudioError as exc:
            log.warning("duration meter: %s", exc)
        findings = s.findings()
        blocking = sum(1 for f in findings if not f.passed and f.severity == "block")
        warnings = sum(1 for f in findings if not f.passed and f.severity != "block")
        self.rule_chip.set_counts(blocking, warnings, known=bool(findings))
        untitled = self.tr("Tanpa judul")
        self.project_label.setText(f"{s.project.brief.title or untitled}  ·  {s.root.name}")
        self.project_label.setToolTip(str(s.root))
        self._update_title()

    def _update_title(self) -> None:
        s = self.session
        if s.is_open:
            mark = "• " if s.dirty else ""
            untitled = self.tr("Tanpa judul")
            self.setWindowTitle(f"{APP_NAME} — {mark}{s.project.brief.title or untitled}")
        else:
            self.setWindowTitle(APP_NAME)
