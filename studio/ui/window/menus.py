"""The window's menus and keyboard shortcuts (Berkas, Langkah, Tampilan, Bantuan).

Built again on every rebuild (language, presentation mode); the old actions are
disabled first so no shortcut is ever bound twice.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu

from studio.ui import dialogs, texts


class MenusMixin:
    """Mixed into ``MainWindow`` (which provides the slots the actions call)."""

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
        act(m, "class-folder", self.tr("Buka folder kelas…"), lambda: self.pages["start"].open_class_folder())
        act(m, "save", self.tr("Simpan"), self._on_save, QKeySequence.StandardKey.Save)
        act(m, "save-copy", self.tr("Simpan salinan ke…"), self.save_copy_dialog, "Ctrl+Shift+S")
        m.addSeparator()
        act(m, "settings", self.tr("Pengaturan…"), self.open_settings, "Ctrl+,")
        m.addSeparator()
        act(m, "quit", self.tr("Keluar"), self.close, QKeySequence.StandardKey.Quit)

        m = bar.addMenu(self.tr("&Langkah"))
        for i, key in enumerate(texts.PAGES):
            act(m, f"go-{key}", texts.page_label(key), lambda k=key: self.go(k), f"Alt+{i}")
        m.addSeparator()
        act(m, "run", self.tr("Jalankan langkah ini"), self.run_main_action, "Ctrl+Return")
        act(m, "run-all", self.tr("Jalankan semua langkah"), self.run_all_steps, "Ctrl+Shift+Return")
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


    def _show_shortcuts(self) -> None:
        text = self.tr(
            "Ctrl+N  proyek baru\nCtrl+O  buka proyek\nCtrl+S  simpan\n"
            "Ctrl+Enter  jalankan langkah ini\nCtrl+E  ekspor\nEsc  batalkan pekerjaan\n"
            "Alt+0 … Alt+7 (atau F2 … F8)  pindah langkah\nCtrl+PgDown  lanjut\n"
            "F11  mode presentasi\nCtrl+,  pengaturan")
        self.last_error = dialogs.ErrorDialog(self, self.tr("Pintasan papan ketik"), text, "")
        self.last_error.open()
