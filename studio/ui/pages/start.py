"""Mulai: create a project in a folder, open a recent one, or open the demo project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from studio.core import storage
from studio.core.errors import StudioError
from studio.core.presets import DEFAULT_PRESET
from studio.ui import dialogs, i18n
from studio.ui.pages.base import Page, display_name
from studio.ui.session.state import Session
from studio.ui.widgets.common import button, label


class StartPage(Page):
    key = "start"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.title.setText(self.tr("Selamat datang di Studio Lokal"))
        self.intro.setText(self.tr(
            "Dari ide sampai video pendek tentang budaya daerah Anda, langkah demi langkah, "
            "dengan catatan jujur tentang AI yang dipakai."))
        body = self.scroll_body()
        row = QHBoxLayout()
        row.setSpacing(16)
        body.addLayout(row, 1)

        # -- new project
        new_box = QGroupBox(self.tr("Proyek baru"))
        form = QFormLayout(new_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(self.tr("mis. Weton: Hitungan Hari Lahir Orang Jawa"))
        form.addRow(self.tr("Judul video"), self.title_edit)
        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText(self.tr("Folder baru atau kosong untuk proyek ini"))
        browse = button(self.tr("Pilih…"), slot=self._on_browse_clicked)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form.addRow(self.tr("Folder proyek"), folder_row)
        self.preset_combo = QComboBox()
        self.preset_info = label(role="small", wrap=True)
        form.addRow(self.tr("Lomba / platform"), self.preset_combo)
        form.addRow("", self.preset_info)
        self.create_button = button(self.tr("Buat proyek"), "primary", slot=self._on_create_clicked)
        form.addRow("", self.create_button)
        self.create_error = label(tone="bad", wrap=True)
        self.create_error.hide()
        form.addRow("", self.create_error)
        steps = label(self.tr(
            "<b>Tujuh langkah</b><br>"
            "1. <b>Ide</b> — judul, daerah, tema, fakta kunci<br>"
            "2. <b>Naskah</b> — disusun dari ide, lalu Anda sunting<br>"
            "3. <b>Gambar</b> — satu gambar per adegan, atau foto Anda<br>"
            "4. <b>Suara</b> — narasi sintetis atau rekaman Anda<br>"
            "5. <b>Subtitle</b> — teks yang pas dengan suara<br>"
            "6. <b>Musik</b> — gamelan bebas royalti atau musik Anda<br>"
            "7. <b>Pratinjau &amp; Ekspor</b> — periksa aturan lomba, lalu ekspor"), wrap=True)
        steps.setStyleSheet("padding-top: 0.8em;")
        form.addRow("", steps)
        row.addWidget(new_box, 3)

        # -- open
        open_box = QGroupBox(self.tr("Buka proyek"))
        col = QVBoxLayout(open_box)
        # The sample project first: on a 1024×600 screen it must not sit below the fold.
        col.addWidget(label(self.tr("Belum pernah mencoba?"), "h2"))
        col.addWidget(label(self.tr("Proyek contoh tentang weton Jawa berjalan sepenuhnya luring: "
                                    "cocok untuk pelatihan dan demo di proyektor."), "muted", wrap=True))
        self.demo_button = button(self.tr("Buka proyek contoh"), slot=self._on_demo_clicked)
        col.addWidget(self.demo_button)
        col.addSpacing(8)
        col.addWidget(label(self.tr("Proyek terakhir"), "h2"))
        self.recent_list = QListWidget()
        self.recent_list.setWordWrap(True)
        self.recent_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.recent_list.itemActivated.connect(self._on_recent_activated)
        col.addWidget(self.recent_list, 1)
        buttons = QHBoxLayout()
        self.open_button = button(self.tr("Buka yang dipilih"), slot=self._on_open_selected)
        self.browse_open_button = button(self.tr("Buka folder lain…"), slot=self._on_open_other)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.browse_open_button)
        col.addLayout(buttons)
        # For trainers: the folder holding every participant's project folder.
        self.class_button = button(self.tr("Buka folder kelas…"), slot=self.open_class_folder,
                                   tip=self.tr("Untuk pelatih: jalankan langkah yang belum selesai di semua "
                                               "proyek peserta dalam satu folder."))
        col.addWidget(self.class_button)
        col.addSpacing(8)
        col.addWidget(label(self.tr("Juri"), "h2"))
        col.addWidget(label(self.tr("Periksa satu folder berisi karya lomba sekaligus: aturan, "
                                    "AI yang diakui, keutuhan paket, dan karya ganda."), "muted", wrap=True))
        self.jury_button = button(self.tr("Buka tabel juri…"), slot=self._on_jury_clicked)
        col.addWidget(self.jury_button)
        row.addWidget(open_box, 2)
        self.jury_dialog: QWidget | None = None

        self.current = label(role="muted", wrap=True)
        body.addWidget(self.current)
        self._fill_presets()
        self.preset_combo.currentIndexChanged.connect(self._on_preset_changed)

    # ------------------------------------------------------------------ data

    def _fill_presets(self) -> None:
        from studio.core.presets import competition_presets

        self.preset_combo.clear()
        try:
            presets = competition_presets()
        except StudioError as exc:
            self.preset_info.setText(dialogs.error_message(exc))
            return
        order = sorted(presets.values(), key=lambda p: (p.id != DEFAULT_PRESET, p.name))
        for preset in order:
            self.preset_combo.addItem(display_name(preset), preset.id)
        self._on_preset_changed()

    def _on_preset_changed(self) -> None:
        from studio.core.presets import get_preset

        pid = self.preset_combo.currentData()
        if not pid:
            return
        p = get_preset(pid)
        # Preset descriptions exist in Indonesian only.
        desc = p.description if i18n.language() == "id" else ""
        self.preset_info.setText(self.tr("{desc} Durasi {lo:g}–{hi:g} detik, {w}×{h}.").format(
            desc=desc, lo=p.duration.min, hi=p.duration.max, w=p.video.width, h=p.video.height))

    def refresh(self, area: str = "all") -> None:
        self.recent_list.clear()
        for path in self.session.settings.recent_projects:
            folder = Path(path)
            if not (folder / storage.PROJECT_FILE).exists():
                continue
            item = QListWidgetItem(f"{folder.name}  —  {folder.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(folder))
            item.setToolTip(str(folder))
            self.recent_list.addItem(item)
        if self.recent_list.count():
            self.recent_list.setCurrentRow(0)
        else:
            empty = QListWidgetItem(self.tr("Belum ada proyek. Buat proyek baru atau buka proyek contoh."))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent_list.addItem(empty)
        self.open_button.setEnabled(self.recent_list.currentItem() is not None
                                    and self.recent_list.currentItem().data(Qt.ItemDataRole.UserRole) is not None)
        if self.session.is_open:
            self.current.setText(self.tr("Proyek yang sedang terbuka: {title} ({folder})").format(
                title=self.project.brief.title or self.tr("tanpa judul"), folder=self.session.root))
        else:
            self.current.setText("")

    def readiness(self) -> tuple[bool, str]:
        if self.session.is_open:
            return True, ""
        return False, self.tr("Buat proyek baru atau buka proyek dulu.")

    def go_next(self) -> None:
        if not self.session.is_open:
            self.next_bar.hint.show_message(self.readiness()[1], "warn",
                                            [(self.tr("Buka proyek contoh"), self._on_demo_clicked)])
            return
        super().go_next()

    def main_action(self) -> None:
        self._on_create_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat proyek")

    # ------------------------------------------------------------------ actions

    def _on_browse_clicked(self) -> None:
        folder = dialogs.choose_folder(self, self.tr("Pilih folder untuk proyek baru"))
        if folder is not None:
            self.folder_edit.setText(str(folder))

    def _on_create_clicked(self) -> None:
        text = self.folder_edit.text().strip()
        self.create_error.hide()
        if not text:
            self._create_failed(self.tr("Tulis atau pilih folder untuk proyek dulu."))
            return
        folder = Path(text).expanduser()
        if folder.exists() and folder.is_dir() and any(folder.iterdir()) \
                and not (folder / storage.PROJECT_FILE).exists():
            # A non-empty folder that is not a project: make a subfolder named after the title.
            from studio.core.paths import slugify

            folder = folder / slugify(self.title_edit.text(), "proyek-video")
        try:
            self.session.new_project(folder, self.preset_combo.currentData() or DEFAULT_PRESET,
                                     title=self.title_edit.text())
        except StudioError as exc:
            self._create_failed(dialogs.error_message(exc))
            return
        self.title_edit.clear()
        self.folder_edit.clear()
        self.navigate.emit("brief")

    def _create_failed(self, text: str) -> None:
        self.create_error.setText(text)
        self.create_error.show()

    def _open(self, folder: Path) -> None:
        # The window says why a project is refused (and offers its backup when it can).
        self.openProject.emit(folder)

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self._open(Path(path))

    def _on_open_selected(self) -> None:
        item = self.recent_list.currentItem()
        if item is not None:
            self._on_recent_activated(item)

    def _on_open_other(self) -> None:
        folder = dialogs.choose_folder(self, self.tr("Pilih folder proyek"))
        if folder is not None:
            self._open(folder)

    def open_class_folder(self, folder: Path | None = None) -> "QWidget":
        """Open the batch table (Folder kelas) for ``folder`` (or one chosen in the dialog); returns it."""
        from studio.ui.batch_dialog import BatchDialog

        self.batch_dialog = BatchDialog(self, self.session.settings, folder)
        self.batch_dialog.open()
        return self.batch_dialog

    def _on_demo_clicked(self) -> None:
        try:
            self.session.open_demo()
        except StudioError as exc:
            self.failed.emit(exc, self.tr("Proyek contoh tidak bisa dibuka"))
            return
        self.navigate.emit(self.session.resume_page())

    def _on_jury_clicked(self) -> None:
        """The jury's table in its own window (it needs no open project)."""
        from studio.ui.jury_view import JuryDialog

        if self.jury_dialog is None:
            self.jury_dialog = JuryDialog(self)
        self.jury_dialog.show()
        self.jury_dialog.raise_()
