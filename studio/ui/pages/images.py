"""Gambar & Video: a picture or the creator's own clip per scene; generate all, regenerate
one, import own photo or clip (button or drag from the file manager), Ken Burns.

Each card shows who made the picture (AI, no-AI illustration, own photo), whether it
still matches the scene's prompt, what the prompt safety rules changed before the
picture was drawn (read from the AI log: the record whose output is this file), and
lets the creator edit the prompt, roll a new seed, bring their own photo, and pick
the slow camera move (Ken Burns). "Perbesar ke ukuran video" (``images.upscale``)
enlarges new pictures to the frame with Lanczos + unsharp mask (no AI) when made.
A card holding a clip shows its frames and settings instead (``widgets.clip_card``).
"""

from __future__ import annotations

import random
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QWidget,
)

from studio.core.project import Scene
from studio.ui import dialogs, i18n, texts
from studio.ui.pages.base import Page
from studio.ui.widgets.clip_card import ClipCardMixin
from studio.ui.session.state import Session
from studio.ui.widgets.common import Card, ThumbnailLoader, button, clear_layout, label, set_tone


SAFETY_PREFIX = "Aturan keamanan prompt:"
"""How ``pipeline.images.step`` starts the AI-log note listing what the safety rules changed."""
UPSCALE_PREFIX = "Diperbesar dari"


def style_items() -> list[tuple[str, str]]:
    """(key, label) of the image styles the pipeline offers, in the UI language."""
    from studio.pipeline.images.step import STYLES

    lang = i18n.language()
    return [(key, p.label_id if lang == "id" else p.label_en) for key, p in STYLES.items()]


class ImageCard(ClipCardMixin, Card):
    """A scene's picture or clip with its badge and the actions on it."""

    def __init__(self, page: "ImagesPage", scene: Scene, index: int) -> None:
        super().__init__()
        self.page = page
        self.scene = scene
        self.scene_id = scene.id
        head = QHBoxLayout()
        head.addWidget(label(self.tr("Adegan {n}").format(n=index + 1), "h2"))
        head.addStretch(1)
        self.badge = label(role="badge")
        head.addWidget(self.badge)
        self.body.addLayout(head)
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # A thumbnail must not widen the card (a landscape picture would push a column out).
        self.picture.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.picture.setMinimumWidth(1)
        h = self.fontMetrics().height()
        self.picture.setFixedHeight(int(h * 11))
        self.picture.setStyleSheet("background: #e9edf2; border-radius: 6px;")
        self.body.addWidget(self.picture)
        from studio.ui.widgets.clip_panel import ClipPanel

        self.clip_panel = ClipPanel()
        self.clip_panel.hide()
        self.clip_panel.changed.connect(self._on_clip_changed)
        self.body.addWidget(self.clip_panel)
        self.picture.installEventFilter(self)  # a click on a clip's frame moves its focus point
        self.state = label(role="small", wrap=True)
        self.body.addWidget(self.state)
        self.safety = label(role="small", tone="ai", wrap=True)
        self.safety.hide()
        self.body.addWidget(self.safety)
        self._shown = ""
        self.prompt = QPlainTextEdit(scene.image_prompt)
        self.prompt.setFixedHeight(int(self.fontMetrics().lineSpacing() * 2.6 + 12))
        self.prompt.setPlaceholderText(self.tr("Prompt gambar"))
        self.prompt.textChanged.connect(self._on_prompt_changed)
        self.body.addWidget(self.prompt)
        self.motion_row = QWidget()
        motion_row = QHBoxLayout(self.motion_row)
        motion_row.setContentsMargins(0, 0, 0, 0)
        motion_row.addWidget(label(self.tr("Gerak"), "small"))
        self.motion = QComboBox()
        for key, text in texts.motion_items():
            self.motion.addItem(text, key)
        self.motion.setCurrentIndex(max(0, self.motion.findData(scene.motion)))
        self.motion.currentIndexChanged.connect(self._on_motion_changed)
        self.motion.setToolTip(self.tr("Gerak kamera pelan (efek Ken Burns) pada adegan ini"))
        motion_row.addWidget(self.motion, 1)
        self.body.addWidget(self.motion_row)
        actions = QHBoxLayout()
        self.regenerate_button = button(self.tr("Buat ulang"), tip=self.tr(
            "Buat ulang gambar dari prompt di atas"), slot=self._on_regenerate)
        self.seed_button = button(self.tr("Variasi baru"), tip=self.tr(
            "Gambar lain dari prompt yang sama (seed baru)"), slot=self._on_new_seed)
        self.own_button = button(self.tr("Foto sendiri…"), slot=self._on_own_photo)
        self.video_button = button(self.tr("Video…"), tip=self.tr(
            "Pakai klip video Anda sendiri (MP4, MOV, MKV, WebM, 3GP) untuk adegan ini. "
            "Bisa juga: seret berkas foto atau video ke kartu ini."), slot=self._on_video)
        self.remove_clip_button = button(self.tr("Lepas video"), tip=self.tr(
            "Lepas klip dari adegan ini; gambarnya (bila ada) tampil lagi"), slot=self._on_remove_clip)
        actions.addWidget(self.regenerate_button)
        actions.addWidget(self.seed_button)
        actions.addWidget(self.remove_clip_button)
        self.body.addLayout(actions)
        own_row = QHBoxLayout()
        own_row.addWidget(self.own_button)
        own_row.addWidget(self.video_button)
        self.body.addLayout(own_row)
        self.setAcceptDrops(True)
        from studio.ui.widgets.origin import OriginPicker

        # Where an imported picture came from: own work, or an AI tool used elsewhere.
        self.origin = OriginPicker()
        self.origin.setToolTip(self.tr("Asal gambar atau video yang Anda impor: karya sendiri, atau dibuat "
                                       "dengan alat AI lain (Bing Image Creator, Meta AI, Canva, CapCut…)."))
        self.origin.set_value(scene.clip.declared if scene.clip is not None
                              else getattr(scene.image, "declared", None))
        self.origin.committed.connect(self._on_origin_committed)
        self.body.addWidget(self.origin)
        # Cards in a row share the tallest one's height (a clip card): the room goes below.
        self.body.addStretch(1)
        # No update_view() here: the page calls it once the card is in ``page.cards``, since
        # a thumbnail already in the loader's cache arrives at once and is routed by that list.

    def _clip_mode(self, on: bool) -> None:
        """A clip card shows frames and clip settings; a still card the prompt and the camera move."""
        self.clip_panel.setVisible(on)
        for w in (self.prompt, self.motion_row, self.regenerate_button, self.seed_button):
            w.setVisible(not on)
        self.remove_clip_button.setVisible(on)
        h = self.fontMetrics().height()
        self.picture.setFixedHeight(int(h * (8 if on else 11)))

    def update_view(self) -> None:
        s = self.scene
        status = self.page.session.status()["images"]
        self._clip_mode(s.clip is not None)
        if s.clip is not None:
            text, tone = self.clip_badge()
            self.badge.setText(text)
            set_tone(self.badge, tone)
            self._shown = ""
            self.state.setText("")
            self.state.hide()  # the clip panel says what the clip is
            self.safety.hide()
            self.set_state("")
            self.show_clip()
            return
        self._strip_key = self._strip_shown = self._big = None
        self.picture.setToolTip("")
        self.state.show()
        if s.image is None:
            self.badge.setText(self.tr("Belum ada"))
            set_tone(self.badge, "")
            self.picture.setText(self.tr("Belum ada gambar"))
            self.picture.setPixmap(QPixmap())
            self.state.setText("")
        else:
            declared = getattr(s.image, "declared", None)
            self.badge.setText(declared.label("id") if declared is not None
                               else texts.image_origin_label(s.image.origin))
            set_tone(self.badge, "ai" if declared is not None and declared.is_ai
                     else {"ai": "ai", "own": "ok"}.get(s.image.origin, ""))
            path = self.page.session.root / s.image.path
            if self._shown != str(path):
                self.picture.setPixmap(QPixmap())
                self.picture.setText("…")
                self.page.thumbs.request(self.scene_id, str(path), 400, self.picture.height())
            # Placeholder art has no model to name ("placeholder v1"): say what it is instead.
            what = "" if s.image.origin == "generated" else (s.image.model or s.image.engine or "")
            size = f"{s.image.width}×{s.image.height}" if s.image.width and s.image.height else ""
            self.state.setText(" · ".join(t for t in (self.tr("Model: {name}").format(name=what) if what else "",
                                                      size) if t))
        self._show_notes()
        stale = s.id in status.stale
        self.set_state("stale" if stale else "")
        if stale:
            self.state.setText("⟳ " + self.tr("Perlu diperbarui: prompt atau pengaturan berubah."))

    def _show_notes(self) -> None:
        """What the prompt safety rules changed (and an upscale), from this picture's AI-log record."""
        notes = self.page.log_notes().get(self.scene.image.path, "") if self.scene.image is not None else ""
        lines = []
        for part in notes.split(". "):
            part = part.strip().rstrip(".")
            if part.startswith(SAFETY_PREFIX):
                lines.append("🛡 " + self.tr("Prompt disesuaikan oleh aturan keamanan: {changes}.").format(
                    changes=part[len(SAFETY_PREFIX):].strip()))
            elif part.startswith(UPSCALE_PREFIX):
                lines.append("⤢ " + part + ".")
        self.safety.setText("\n".join(lines))
        self.safety.setVisible(bool(lines))
        if lines:
            self.safety.setToolTip(notes)

    def show_thumbnail(self, image) -> None:  # noqa: ANN001 - QImage
        if self.scene.clip is not None:
            return  # the clip was put on the scene while its old picture was decoding
        if image.isNull():
            self.picture.setText(self.tr("Berkas gambar tidak terbaca"))
            return
        self.picture.setPixmap(QPixmap.fromImage(image))
        if self.scene.image is not None:
            self._shown = str(self.page.session.root / self.scene.image.path)

    def _on_prompt_changed(self) -> None:
        text = self.prompt.toPlainText()
        if text == self.scene.image_prompt:
            return
        self.scene.image_prompt = text
        human = ("script", self.scene_id) if self.scene.source in ("template", "ai") else None
        if human:
            self.scene.edited = True
        self.page.session.touch("scene", human=human, note="Creator edited the image prompt.")

    def _on_motion_changed(self) -> None:
        self.scene.motion = self.motion.currentData()
        self.page.session.touch("render")

    def _on_regenerate(self) -> None:
        self.page.session.run_step("images", scene_ids=[self.scene_id], force=True)

    def _on_new_seed(self) -> None:
        self.scene.image_seed = random.SystemRandom().randrange(1, 2**31 - 1)
        self.page.session.touch("scene")
        self.page.session.run_step("images", scene_ids=[self.scene_id], force=True)

    def _on_own_photo(self) -> None:
        src = dialogs.choose_file(self, self.tr("Pilih foto untuk adegan ini"), dialogs.IMAGE_FILTER)
        if src is None:
            return
        self.import_photo(src, self.origin.value())

    def _on_origin_committed(self) -> None:
        """The creator changed the declaration of the picture already imported: keep it and log it."""
        image = self.scene.image
        declared = self.origin.value()
        if self.scene.clip is not None:
            self._declare_clip(declared)
            return
        if image is None or image.origin != "own" or declared == image.declared:
            return
        from studio.pipeline.provenance import log_declared

        session = self.page.session
        if session.read_only or session.root is None:
            return
        image.declared = declared
        log_declared(session.root, "images", "replace", declared, scene_id=self.scene_id,
                     what=Path(image.path).name, outputs=[session.root / image.path],
                     note="" if declared else "The creator withdrew the declaration of this picture.")
        session.touch("scene")
        self.update_view()

    def import_photo(self, src, declared=None) -> None:  # noqa: ANN001 - Path, core.origin.Origin | None
        """Put ``src`` on this scene with the creator's declaration of where it came from."""
        scene_id = self.scene_id

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.images import step as images

            return images.import_own_image(snapshot, root, scene_id, src, declared=declared, ctx=ctx)

        def apply(project, asset) -> None:  # noqa: ANN001
            # A photo replaces a clip on the scene, as ``studio media`` does.
            scene = project.scene(scene_id)
            scene.image, scene.clip = asset, None

        self.page.session.run_task("import", call, apply)


class ImagesPage(Page):
    key = "images"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self._built = False
        self.intro.setText(self.tr("Satu gambar atau video per adegan. Buat gambar dengan AI, atau pakai "
                                   "foto dan video Anda sendiri (tombol, atau seret berkasnya ke kartu)."))
        self.generate_button = button(self.tr("Buat semua gambar"), "primary",
                                      slot=self._on_generate_clicked)
        self.generate_button.setToolTip(self.tr("Membuat gambar yang belum ada atau perlu diperbarui "
                                                "(Ctrl+Enter)"))
        self.head_actions.addWidget(self.generate_button)
        self.cut_button = button(self.tr("Potong rekaman panjang…"), slot=self._on_cut_clicked, tip=self.tr(
            "Satu video panjang dipotong menjadi adegan 1, 2, 3… di titik pergantian gambar"))
        self.head_actions.addWidget(self.cut_button)
        row = QHBoxLayout()
        row.addWidget(label(self.tr("Gaya gambar"), "muted"))
        self.style_combo = QComboBox()
        self.style_combo.currentIndexChanged.connect(self._on_style_changed)
        row.addWidget(self.style_combo)
        row.addSpacing(12)
        self.upscale_check = QCheckBox(self.tr("Perbesar ke ukuran video (tanpa AI)"))
        self.upscale_check.setToolTip(self.tr(
            "Gambar baru diperbesar ke ukuran bingkai video (Lanczos + penajaman ringan) saat dibuat. "
            "Tidak menambah detail, hanya tepi yang lebih tajam; tercatat di laporan AI."))
        self.upscale_check.toggled.connect(self._on_upscale_toggled)
        row.addWidget(self.upscale_check)
        row.addStretch(1)
        self.engine_label = label(role="muted")
        row.addWidget(self.engine_label)
        self.body.addLayout(row)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(12)
        self.scroll.setWidget(self.grid_host)
        self.body.addWidget(self.scroll, 1)
        self._recolumn = QTimer(self, singleShot=True, interval=0)
        self._recolumn.timeout.connect(self._check_columns)
        self.scroll.viewport().installEventFilter(self)
        self.cards: list[ImageCard] = []
        self._cols = 0
        self._notes: tuple[tuple[float, int], dict[str, str]] | None = None
        self.thumbs = ThumbnailLoader(self)
        self.thumbs.loaded.connect(self._on_thumbnail)
        from studio.ui.widgets.clip_panel import StripLoader

        self.strips = StripLoader(self)
        self.strips.loaded.connect(self._on_strip)

    def refresh(self, area: str = "all") -> None:
        if not self.session.is_open:
            return
        scenes = self.project.scenes
        same = self._built and len(scenes) == len(self.cards) and all(c.scene is s for c, s in zip(self.cards, scenes))
        if not same or area in ("all", "images", "import", "settings"):
            self._rebuild()
        elif area != "scene":
            for card in self.cards:
                card.update_view()
        self.style_combo.blockSignals(True)
        if not self.style_combo.count():
            for key, name in style_items():
                self.style_combo.addItem(name, key)
        idx = self.style_combo.findData(self.project.images.style)
        if idx < 0:
            self.style_combo.addItem(self.project.images.style, self.project.images.style)
            idx = self.style_combo.count() - 1
        self.style_combo.setCurrentIndex(idx)
        self.style_combo.blockSignals(False)
        self.upscale_check.blockSignals(True)
        self.upscale_check.setChecked(self.project.images.upscale)
        self.upscale_check.blockSignals(False)
        key = self.session.engine_key("image")
        self.engine_label.setText(self.tr("Mesin gambar: {name}").format(name=self.session.engine_name("image", key)))
        self.show_state_banner()

    def _columns(self) -> int:
        """As many columns as fit the scroll area without a horizontal scrollbar: measured on
        the cards themselves (their buttons and a thumbnail set their least width)."""
        unit = self.fontMetrics().horizontalAdvance("0") * 34
        if self.cards:
            unit = max(unit, max(c.minimumSizeHint().width() for c in self.cards))
        spacing = self.grid.horizontalSpacing()
        margins = self.grid.contentsMargins()
        width = (self.scroll.viewport().width() or 900) - margins.left() - margins.right()
        if self.scroll.verticalScrollBar().isHidden():
            width -= self.scroll.verticalScrollBar().sizeHint().width()  # it appears once rows overflow
        return max(1, min(4, (width + spacing) // (unit + spacing)))

    def _rebuild(self) -> None:
        self._built = True
        clear_layout(self.grid)
        self.cards = []
        cards = [ImageCard(self, scene, i) for i, scene in enumerate(self.project.scenes)]
        self.cards = cards
        self._place()
        for card in cards:
            card.update_view()
        if not self.cards:
            self.grid.addWidget(label(self.tr("Belum ada adegan. Buat naskah dulu di langkah Naskah."),
                                      "muted", wrap=True), 0, 0)
        self.grid.setRowStretch(self.grid.rowCount(), 1)

    def _on_thumbnail(self, scene_id: str, image) -> None:  # noqa: ANN001 - QImage
        if not self.session.is_open:
            return  # decoded after the project was closed (the window is closing)
        for card in self.cards:
            if card.scene_id == scene_id:
                card.show_thumbnail(image)

    def _on_strip(self, key: tuple, images: list) -> None:
        if not self.session.is_open:
            return
        for card in self.cards:
            if card.scene_id == key[0]:
                card.show_strip(key, images)

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        super().resizeEvent(event)
        self._recolumn.start()

    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802 - Qt override
        # The scroll area's viewport settles after the page (a scrollbar comes or goes): the
        # columns follow the room the cards really have.
        if watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self._recolumn.start()
        return super().eventFilter(watched, event)

    def _place(self) -> None:
        """Lay the cards out in as many columns as fit (the same card widgets, moved)."""
        cols = self._cols = self._columns()
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // cols, i % cols)
        for c in range(4):
            self.grid.setColumnStretch(c, 1 if c < cols else 0)
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        self.grid.setRowStretch(self.grid.rowCount(), 1)

    def _check_columns(self) -> None:
        if self.session.is_open and self.cards and self.isVisible() and self._columns() != self._cols:
            self._place()

    def _on_style_changed(self) -> None:
        if self.session.is_open:
            self.project.images.style = self.style_combo.currentData()
            self.session.touch("images-style")
            self.show_state_banner()
            for card in self.cards:
                card.update_view()

    def _on_upscale_toggled(self, on: bool) -> None:
        if self.session.is_open and self.project.images.upscale != on:
            self.project.images.upscale = on
            self.session.touch("images-upscale")

    def log_notes(self) -> dict[str, str]:
        """``{image path: AI-log note}`` of the records that made each picture (re-read when the log grows)."""
        import os

        from studio.core import ailog

        if not self.session.is_open:
            return {}
        path = self.session.root / ailog.LOG_FILE
        try:
            st = os.stat(path)
            stamp = (st.st_mtime, st.st_size)
        except OSError:
            return {}
        if self._notes is None or self._notes[0] != stamp:
            notes: dict[str, str] = {}
            for rec in ailog.read(self.session.root):
                if rec.step == "images":
                    for out in rec.outputs:
                        notes[out.path] = rec.note
            self._notes = (stamp, notes)
        return self._notes[1]

    def _on_generate_clicked(self) -> None:
        self.session.run_step("images")

    def _on_cut_clicked(self) -> None:
        src = dialogs.choose_file(self, self.tr("Pilih rekaman panjang"), dialogs.VIDEO_FILTER)
        if src is not None:
            from studio.ui.widgets.cut_dialog import CutDialog

            self.cut_dialog = CutDialog(self.session, src, self)
            self.cut_dialog.open()
            self.cut_dialog.start()

    def main_action(self) -> None:
        self._on_generate_clicked()

    def main_action_label(self) -> str:
        return self.tr("Buat gambar")

    def busy_changed(self, busy: bool) -> None:
        self.generate_button.setEnabled(not busy)
        self.cut_button.setEnabled(not busy)
        for card in self.cards:
            for b in (card.regenerate_button, card.seed_button, card.own_button, card.video_button,
                      card.remove_clip_button):
                b.setEnabled(not busy)
