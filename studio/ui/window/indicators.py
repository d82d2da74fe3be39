"""The window's always-visible indicators: step states, duration meter, rule chip, title.

The duration meter estimates unvoiced scenes with the voice's measured speaking rate
(``Session.words_per_minute``).
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

    def timeline(self) -> Any:
        """The project's timeline with the voice's measured speaking rate for estimates."""
        from studio.core.timeline import build_timeline

        return build_timeline(self.session.project, wpm=self.session.words_per_minute())

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
