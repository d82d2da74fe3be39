"""The main window: step list on the left, the current step's page, the top bar and job bar.

The window routes between pages, keeps the always-visible indicators current (step
states, the duration meter against the preset's range, the rule status), shows the
running job with Cancel, shows failures through ``dialogs``, offers autosave recovery,
and owns the menus and keyboard shortcuts. Pages hold no state of their own beyond
their widgets: a language or presentation-mode switch simply rebuilds them from the
session.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio import APP_NAME
from studio.core.errors import StudioError
from studio.ui import dialogs, i18n, style, texts
from studio.ui.pages.base import Page
from studio.ui.session import Session
from studio.ui.widgets.banner import AssetBanner
from studio.ui.widgets.common import Banner, label
from studio.ui.widgets.jobbar import JobBar
from studio.ui.widgets.meters import DurationMeter, RuleChip, StepList
from studio.ui.window_recovery import RecoveryActions

log = logging.getLogger(__name__)

INDICATOR_DELAY_MS = 250
"""Top-bar refresh after an edit: quick enough to feel live, rare enough to stay cheap."""


class MainWindow(RecoveryActions, QMainWindow):
    """Studio Lokal's window over one ``Session``."""

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session or Session()
        self.session.setParent(self)
        self.presentation = False
        self._wpm_cache: dict[tuple[str, int], float] = {}
        self._engine_names: dict[str, str] = {}
        self._stale_pages: set[str] = set()
        self.pages: dict[str, Page] = {}
        self.last_error: dialogs.ErrorDialog | None = None
        self._indicators = QTimer(self, singleShot=True, interval=INDICATOR_DELAY_MS)
        self._indicators.timeout.connect(self.update_indicators)
        s = self.session
        s.opened.connect(self._on_opened)
        s.changed.connect(self._on_changed)
        s.jobStarted.connect(self._on_job_started)
        s.jobEnded.connect(self._on_job_ended)
        s.jobFailed.connect(self._on_job_failed)
        s.recoveryOffered.connect(self._on_recovery_offered)
        s.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        s.saved.connect(self._on_saved)
        s.saveFailed.connect(self._on_save_failed)
        s.assetsChecked.connect(self._show_asset_issues)
        s.autosaved.connect(lambda: self._save_state.setText(self.tr("Tersimpan otomatis")))
        self._build()
        self._fit_to_screen()

    # ------------------------------------------------------------------ construction

    def _build(self) -> None:
        """(Re)build every widget from the session (after a language or size switch too)."""
        current = self.current_key() if self.pages else "start"
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        top = QFrame()
        top.setProperty("role", "topbar")
        trow = QHBoxLayout(top)
        trow.setContentsMargins(16, 8, 16, 8)
        trow.setSpacing(16)
        brand = label(APP_NAME, "h2")
        brand.setStyleSheet(f"color: {style.PRIMARY_DARK};")
        self.project_label = label(role="muted")
        trow.addWidget(brand)
        trow.addWidget(self.project_label, 1)
        self.meter = DurationMeter()
        trow.addWidget(self.meter, 2)
        self.rule_chip = RuleChip()
        self.rule_chip.clicked.connect(lambda: self.go("export"))
        trow.addWidget(self.rule_chip)
        self._save_state = label(role="small")
        trow.addWidget(self._save_state)
        outer.addWidget(top)

        self.recovery_banner = Banner()
        wrap = QHBoxLayout()
        wrap.setContentsMargins(16, 8, 16, 0)
        wrap.addWidget(self.recovery_banner)
        outer.addLayout(wrap)
        # Bad input around the project folder: its files (relink / make again) and a
        # folder that cannot be saved to ("Simpan salinan ke…").
        self.save_banner = Banner()
        self.asset_banner = AssetBanner()
        self.asset_banner.relinkClicked.connect(self._on_relink)
        self.asset_banner.suggestionClicked.connect(self._on_relink_suggestion)
        self.asset_banner.regenerateClicked.connect(self._on_regenerate)
        self.asset_banner.acceptClicked.connect(self._on_accept_changed)
        for banner in (self.save_banner, self.asset_banner):
            wrap = QHBoxLayout()
            wrap.setContentsMargins(16, 8, 16, 0)
            wrap.addWidget(banner)
            outer.addLayout(wrap)

        middle = QHBoxLayout()
        middle.setSpacing(0)
        self.step_list = StepList()
        self.step_list.stepChosen.connect(self.go)
        middle.addWidget(self.step_list)
        self.stack = QStackedWidget()
        middle.addWidget(self.stack, 1)
        outer.addLayout(middle, 1)
        self.job_bar = JobBar()
        outer.addWidget(self.job_bar)
        self.setCentralWidget(central)

        from studio.ui.pages.brief import BriefPage
        from studio.ui.pages.export import ExportPage
        from studio.ui.pages.images import ImagesPage
        from studio.ui.pages.music import MusicPage
        from studio.ui.pages.script import ScriptPage
        from studio.ui.pages.start import StartPage
        from studio.ui.pages.subtitles import SubtitlesPage
        from studio.ui.pages.voice import VoicePage

        self.pages = {}
        for cls in (StartPage, BriefPage, ScriptPage, ImagesPage, VoicePage, SubtitlesPage,
                    MusicPage, ExportPage):
            page = cls(self.session, self)
            page.navigate.connect(self.go)
            self.pages[cls.key] = page
            self.stack.addWidget(page)
        self._build_menus()
        self._stale_pages = set(self.pages)
        if self.session.runner is not None and self.session.runner.running:
            self._on_job_started(self.session.runner)
        self.go(current if self.session.is_open or current == "start" else "start")
        self.update_indicators()
        self._update_title()
        self._refresh_banners()
        # The widget that had focus is gone with the old pages; without a focus widget
        # the keyboard shortcuts would stay dead until the next click.
        self.step_list.setFocus()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        # A rebuild (language, presentation mode) must not leave the old actions alive:
        # two actions with one shortcut make Qt treat it as ambiguous and run neither.
        for old in [*getattr(self, "_shortcuts", []), *getattr(self, "actions_by_name", {}).values()]:
            old.setEnabled(False)
            old.deleteLater()
        for menu in bar.findChildren(QMenu):
            menu.deleteLater()
        bar.clear()
        self._shortcuts: list[QShortcut] = []
        self.actions_by_name: dict[str, QAction] = {}

        def act(menu, name: str, text: str, slot,  # noqa: ANN001 - QMenu, a callable
                keys: str | QKeySequence.StandardKey | None = None) -> QAction:
            action = QAction(text, self)
            if keys is not None:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(lambda _checked=False: slot())
            menu.addAction(action)
            self.actions_by_name[name] = action
            return action

        m = bar.addMenu(self.tr("&Berkas"))
        act(m, "new", self.tr("Proyek baru…"), self._on_new, QKeySequence.StandardKey.New)
        act(m, "open", self.tr("Buka proyek…"), self._on_open, QKeySequence.StandardKey.Open)
        act(m, "demo", self.tr("Buka proyek contoh"), self._on_demo)
        act(m, "save", self.tr("Simpan"), self._on_save, QKeySequence.StandardKey.Save)
        act(m, "save-copy", self.tr("Simpan salinan ke…"), self.save_copy_dialog, "Ctrl+Shift+S")
        m.addSeparator()
        act(m, "settings", self.tr("Pengaturan…"), self.open_settings, "Ctrl+,")
        m.addSeparator()
        act(m, "quit", self.tr("Keluar"), self.close, QKeySequence.StandardKey.Quit)

        m = bar.addMenu(self.tr("&Langkah"))
        for i, key in enumerate(texts.PAGES):
            act(m, f"go-{key}", texts.step_label(key), lambda k=key: self.go(k), f"Alt+{i}")
        m.addSeparator()
        act(m, "run", self.tr("Jalankan langkah ini"), self.run_main_action, "Ctrl+Return")
        act(m, "export", self.tr("Ekspor video"), self._on_export_shortcut, "Ctrl+E")
        act(m, "cancel", self.tr("Batalkan pekerjaan"), self.session.cancel, "Esc")
        act(m, "next", self.tr("Lanjut ke langkah berikutnya"), self._on_next, "Ctrl+PgDown")

        m = bar.addMenu(self.tr("&Tampilan"))
        pres = act(m, "presentation", self.tr("Mode presentasi (huruf besar)"), self.toggle_presentation,
                   "F11")
        pres.setCheckable(True)
        pres.setChecked(self.presentation)

        m = bar.addMenu(self.tr("Ba&ntuan"))
        act(m, "shortcuts", self.tr("Pintasan papan ketik"), self._show_shortcuts, "F1")
        # Ctrl+Enter on the number pad too; F2..F8 also jump to the steps (Alt+1..7).
        for keys, slot in (("Ctrl+Enter", self.run_main_action),):
            sc = QShortcut(QKeySequence(keys), self, activated=slot)
            self._shortcuts.append(sc)
        for i, key in enumerate(texts.PAGES[1:], start=2):
            sc = QShortcut(QKeySequence(f"F{i}"), self, activated=lambda k=key: self.go(k))
            self._shortcuts.append(sc)

    def _fit_to_screen(self) -> None:
        screen = QApplication.primaryScreen()
        if screen is None:
            self.resize(1366, 768)
            return
        geo = screen.availableGeometry()
        self.resize(min(1440, geo.width()), min(900, geo.height()))

    # ------------------------------------------------------------------ routing

    def current_key(self) -> str:
        page = self.stack.currentWidget()
        return getattr(page, "key", "start")

    def go(self, key: str) -> None:
        """Show the page ``key`` (refreshing it if the project changed while it was hidden)."""
        if key not in self.pages:
            return
        page = self.pages[key]
        if key in self._stale_pages:
            self._stale_pages.discard(key)
            try:
                page.refresh("all")
            except StudioError as exc:
                log.warning("refresh of %s failed: %s", key, exc)
        self.stack.setCurrentWidget(page)
        self.step_list.select(key)
        page.busy_changed(self.session.busy)

    def resume_page(self) -> str:
        """Where to continue an opened project: the first step that is not done."""
        if not self.session.is_open:
            return "start"
        status = self.session.status()
        for key in texts.PAGES[1:-1]:
            if status[key].state != "done":
                return key
        return "export"

    def run_main_action(self) -> None:
        page = self.pages[self.current_key()]
        page.main_action()

    def _on_export_shortcut(self) -> None:
        self.go("export")
        self.pages["export"].main_action()

    def _on_next(self) -> None:
        self.pages[self.current_key()].go_next()

    # ------------------------------------------------------------------ indicators

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

    # ------------------------------------------------------------------ session events

    def _on_opened(self) -> None:
        self._wpm_cache.clear()
        self._stale_pages = set(self.pages)
        self.recovery_banner.hide()
        self._save_state.setText("")
        self._refresh_banners()
        self.update_indicators()
        key = self.current_key()
        self._stale_pages.discard(key)
        self.pages[key].refresh("all")

    def _on_changed(self, area: str) -> None:
        current = self.current_key()
        self._stale_pages.update(k for k in self.pages if k != current)
        if area not in ("scene", "brief", "cue", "music-level"):
            # Structural changes redraw the visible page; typing only updates indicators.
            self.pages[current].refresh(area)
        if self.session.dirty:
            self._save_state.setText(self.tr("Belum disimpan"))
        self._update_title()
        self._indicators.start()

    def _on_saved(self) -> None:
        self._save_state.setText(self.tr("Tersimpan"))
        self._update_title()

    def _on_job_started(self, runner) -> None:  # noqa: ANN001
        self.job_bar.attach(runner)
        for page in self.pages.values():
            page.busy_changed(True)

    def _on_job_ended(self, step: str, outcome: str) -> None:
        for page in self.pages.values():
            page.busy_changed(False)
        label_ = texts.step_label(step)
        if outcome == "ok":
            self.statusBar().showMessage(self.tr("{step}: selesai.").format(step=label_), 8000)
        elif outcome == "cancelled":
            self.statusBar().showMessage(self.tr("{step}: dibatalkan. Yang sudah selesai tetap "
                                                 "tersimpan.").format(step=label_), 10000)
        self._stale_pages = set(self.pages)
        current = self.current_key()
        self._stale_pages.discard(current)
        self.pages[current].refresh("all")
        self.update_indicators()

    def _on_job_failed(self, step: str, exc: BaseException) -> None:
        from studio.core.errors import EngineUnavailable

        findings = getattr(exc, "findings", None)
        if findings is not None:
            self.pages["export"].export_blocked(list(findings))
        if step == "save":
            title = self.tr("Proyek belum tersimpan")
        else:
            title = (self.tr("{step} belum bisa dijalankan") if isinstance(exc, EngineUnavailable)
                     else self.tr("{step} tidak berhasil")).format(step=texts.step_label(step))
        self.last_error = dialogs.show_error(self, exc, title=title)
        self.statusBar().showMessage(title, 10000)

    def _on_recovery_offered(self) -> None:
        self.recovery_banner.show_message(
            self.tr("Pulihkan perubahan yang belum tersimpan? Ada simpanan otomatis yang lebih baru "
                    "dari proyek ini (mungkin aplikasi tertutup mendadak)."),
            "warn", [(self.tr("Pulihkan"), self._on_restore), (self.tr("Abaikan"), self._on_discard)])

    def _on_restore(self) -> None:
        self.recovery_banner.hide()
        self.session.restore_autosave()

    def _on_discard(self) -> None:
        self.recovery_banner.hide()
        self.session.discard_autosave()

    # ------------------------------------------------------------------ actions

    def _on_new(self) -> None:
        self.go("start")
        self.pages["start"].title_edit.setFocus()

    def _on_open(self) -> None:
        folder = dialogs.choose_folder(self, self.tr("Pilih folder proyek"))
        if folder is not None:
            self.open_project(folder)

    def _on_demo(self) -> None:
        self.pages["start"]._on_demo_clicked()

    def _on_save(self) -> None:
        if self.session.save():
            self.statusBar().showMessage(self.tr("Proyek disimpan."), 4000)

    def open_settings(self) -> "Any":
        """Open the settings dialog (window-modal, not blocking); returns it."""
        from studio.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self, self.session.settings)
        dialog.accepted.connect(lambda: self._apply_settings(dialog))
        dialog.open()
        self.settings_dialog = dialog
        return dialog

    def _apply_settings(self, dialog) -> None:  # noqa: ANN001
        new = dialog.result_settings
        if new is None:
            return
        language_changed = new.ui_language != self.session.settings.ui_language
        self._engine_names.clear()
        self._wpm_cache.clear()
        self.session.set_settings(new)
        if language_changed:
            self.apply_language(new.ui_language)
        else:
            self.update_indicators()

    def apply_language(self, language: str) -> None:
        """Switch the UI language now (the pages are rebuilt from the session)."""
        i18n.install(language)
        self._build()

    def toggle_presentation(self) -> None:
        """Big fonts for a projector; the pages are rebuilt at the new size."""
        self.presentation = not self.presentation
        style.apply_style(QApplication.instance(), presentation=self.presentation)
        self._build()

    def _show_shortcuts(self) -> None:
        text = self.tr(
            "Ctrl+N  proyek baru\nCtrl+O  buka proyek\nCtrl+S  simpan\n"
            "Ctrl+Enter  jalankan langkah ini\nCtrl+E  ekspor\nEsc  batalkan pekerjaan\n"
            "Alt+0 … Alt+7 (atau F2 … F8)  pindah langkah\nCtrl+PgDown  lanjut\n"
            "F11  mode presentasi\nCtrl+,  pengaturan")
        self.last_error = dialogs.ErrorDialog(self, self.tr("Pintasan papan ketik"), text, "")
        self.last_error.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop the running job (keeping what it finished) and save.

        If the project cannot be saved where it is, the creator chooses: save a copy
        elsewhere, quit without saving, or stay.
        """
        s = self.session
        # A folder known to be read-only is not tried again (no second error behind the question).
        if s.is_open and s.dirty and not s.busy and (s.read_only or not s.save()):
            choice = dialogs.choose_action(
                self, self.tr("Perubahan belum tersimpan"),
                self.tr("Proyek ini tidak bisa disimpan di foldernya. Simpan salinannya ke folder "
                        "lain sebelum keluar?"),
                [self.tr("Simpan salinan ke…"), self.tr("Keluar tanpa menyimpan"), self.tr("Batal")])
            if choice == 0 and self.save_copy_dialog():
                pass
            elif choice == 1:
                s.dirty = False
            else:
                event.ignore()
                return
        try:
            self.session.shutdown()
        except StudioError as exc:
            log.warning("saving on close failed: %s", exc)
        super().closeEvent(event)
