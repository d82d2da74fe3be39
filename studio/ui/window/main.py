"""The main window: step list on the left, the current step's page, the top bar and job bar.

The window routes between pages, shows the running job with Cancel, shows failures
through ``dialogs``, offers autosave recovery and answers the session's events. The
indicators live in ``window.indicators``, the menus and shortcuts in ``window.menus``,
the answers to bad input around a project folder in ``window.recovery``. Pages hold no state of their own beyond
their widgets: a language or presentation-mode switch simply rebuilds them from the
session.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio import APP_NAME
from studio.core.errors import StudioError
from studio.ui import dialogs, i18n, style, texts
from studio.ui.pages.base import Page
from studio.ui.session.state import Session
from studio.ui.widgets.banner import AssetBanner
from studio.ui.widgets.common import Banner, button, label
from studio.ui.widgets.jobbar import JobBar
from studio.ui.widgets.meters import DurationMeter, RuleChip, StepList
from studio.ui.session.run_all import RunAll
from studio.ui.window.indicators import IndicatorsMixin
from studio.ui.window.launch import LaunchMixin
from studio.ui.window.menus import MenusMixin
from studio.ui.window.recovery import RecoveryActions

log = logging.getLogger(__name__)

INDICATOR_DELAY_MS = 250
"""Top-bar refresh after an edit: quick enough to feel live, rare enough to stay cheap."""


class MainWindow(IndicatorsMixin, MenusMixin, RecoveryActions, LaunchMixin, QMainWindow):
    """Studio Lokal's window over one ``Session``."""

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session or Session()
        self.session.setParent(self)
        self.presentation = False
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
        self.run_all = RunAll(self.session, self)
        self.run_all.stepStarted.connect(self._on_chain_step)
        self.run_all.finished.connect(self._on_chain_finished)
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
        self.run_all_button = button("▶▶ " + self.tr("Jalankan semua langkah"), slot=self.run_all_steps,
                                     tip=self.tr("Naskah, Gambar, Suara, Subtitle dan Musik yang belum ada atau "
                                                 "perlu diperbarui, berurutan (Ctrl+Shift+Enter)"))
        trow.addWidget(self.run_all_button)
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
        from studio.ui.pages.voice.page import VoicePage

        self.pages = {}
        for cls in (StartPage, BriefPage, ScriptPage, ImagesPage, VoicePage, SubtitlesPage,
                    MusicPage, ExportPage):
            page = cls(self.session)
            page.navigate.connect(self.go)
            page.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
            page.openProject.connect(self.open_project)
            page.failed.connect(self._on_page_failed)
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
        self._update_run_all_button()
        # The widget that had focus is gone with the old pages; without a focus widget
        # the keyboard shortcuts would stay dead until the next click.
        self.step_list.setFocus()

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
        """Where to continue an opened project (``Session.resume_page``)."""
        return self.session.resume_page()

    def run_main_action(self) -> None:
        page = self.pages[self.current_key()]
        page.main_action()

    def _on_export_shortcut(self) -> None:
        self.go("export")
        self.pages["export"].main_action()

    def _on_next(self) -> None:
        self.pages[self.current_key()].go_next()

    # ------------------------------------------------------------------ session events

    def _on_opened(self) -> None:
        self._stale_pages = set(self.pages)
        self.recovery_banner.hide()
        self._save_state.setText("")
        self._refresh_banners()
        self.update_indicators()
        key = self.current_key()
        self._stale_pages.discard(key)
        self.pages[key].refresh("all")
        self._update_run_all_button()

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
        self._update_run_all_button()

    def _on_job_ended(self, step: str, outcome: str) -> None:
        if getattr(self, "_close_after_job", False):
            QTimer.singleShot(0, self.close)  # the job has wound down: close as asked
            return
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
        self._update_run_all_button()

    def _on_job_failed(self, step: str, exc: BaseException) -> None:
        from studio.core.errors import EngineUnavailable

        findings = getattr(exc, "findings", None)
        if findings is not None:
            # The checklist says why, rule by rule: no paragraph of every reason in a dialog.
            self.pages["export"].export_blocked(list(findings))
            self.go("export")
            self.statusBar().showMessage(self.tr("Ekspor dihentikan: {n} aturan belum terpenuhi. Lihat daftar "
                                                 "periksa.").format(n=len(findings)), 15000)
            return
        if step == "save":
            title = self.tr("Proyek belum tersimpan")
        else:
            title = (self.tr("{step} belum bisa dijalankan") if isinstance(exc, EngineUnavailable)
                     else self.tr("{step} tidak berhasil")).format(step=texts.step_label(step))
        self.last_error = dialogs.show_error(self, exc, title=title)
        self.statusBar().showMessage(title, 10000)

    def _on_page_failed(self, exc: BaseException, title: str) -> None:
        self.last_error = dialogs.show_error(self, exc, title=title)

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

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Stop the running job (keeping what it finished) and save.

        If the project cannot be saved where it is, the creator chooses: save a copy
        elsewhere, quit without saving, or stay.
        """
        s = self.session
        if s.busy:
            # Ask first, then cancel without blocking: the window stays responsive while the job
            # winds down, keeps what it finished (the session's cancel path), and closes itself.
            if not getattr(self, "_close_after_job", False):
                runner = s.runner
                name = texts.step_label(runner.step) if runner is not None else ""
                choice = dialogs.choose_action(
                    self, self.tr("Pekerjaan sedang berjalan"),
                    self.tr("Pekerjaan {step} sedang berjalan: hentikan dan tutup? Bagian yang sudah "
                            "selesai tetap disimpan.").format(step=name),
                    [self.tr("Hentikan dan tutup"), self.tr("Batal")])
                if choice != 0:
                    event.ignore()
                    return
                self._close_after_job = True
                self.statusBar().showMessage(self.tr("Menghentikan {step}… jendela akan tertutup sendiri.")
                                             .format(step=name))
                s.cancel()
            event.ignore()
            return
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
