"""The clip side of a Gambar & Video card (issue 15): bring in a clip, edit it, drop files on it.

``ClipCardMixin`` is mixed into ``pages.images.ImageCard``. A clip comes in through the
"Video…" button or a file dragged from the file manager onto the card (a picture dropped
there becomes the scene's own photo); the import runs as a session job, off the GUI
thread, through ``pipeline.images.clips.import_clip`` like ``studio media``. Each change
in the card's ``ClipPanel`` goes through ``pipeline.images.clips.edit_clip``, the check
the command line applies, so the window cannot set what the CLI would refuse.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from studio.core.errors import StudioError
from studio.ui import dialogs, texts

PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")
CLIP_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm", ".3gp", ".m4v")
"""What ``pipeline.images.clips.import_clip`` takes (its ``CLIP_EXTENSIONS``; not imported here,
so that opening the page does not load the pipeline)."""


def dropped_file(mime: Any) -> Path | None:  # noqa: ANN401 - QMimeData
    """The first local picture or clip among dragged URLs, or None."""
    if mime is None or not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile():
            path = Path(url.toLocalFile())
            if path.suffix.lower() in PICTURE_SUFFIXES + CLIP_SUFFIXES:
                return path
    return None


class ClipCardMixin:
    """Clip actions of an ImageCard (needs ``page``, ``scene``, ``scene_id``, ``clip_panel``,
    ``picture``, ``origin`` and ``import_photo`` from the card)."""

    _strip_key: tuple | None = None
    _strip_shown: tuple | None = None
    _big: Any = None
    """The large frame as decoded (QImage), kept to redraw the focus mark on it."""

    # ------------------------------------------------------------------ import

    def _on_video(self) -> None:
        src = dialogs.choose_file(self, QCoreApplication.translate("ImageCard", "Pilih video untuk adegan ini"), dialogs.VIDEO_FILTER)
        if src is not None:
            self.import_file(src)

    def import_file(self, src: Path) -> None:
        """A picture or a clip onto this scene, with the declaration shown in the card's picker."""
        if Path(src).suffix.lower() in PICTURE_SUFFIXES:
            self.import_photo(src, self.origin.value())
        else:
            self.import_clip_file(src, self.origin.value())

    def import_clip_file(self, src: Path, declared: Any = None) -> None:  # noqa: ANN401 - Origin | None
        """Put the clip ``src`` on this scene (a session job: probed and copied off the GUI thread)."""
        scene_id = self.scene_id
        session = self.page.session

        def call(ctx, snapshot, root):  # noqa: ANN001, ANN202 - worker
            from studio.pipeline.images.clips import import_clip

            return import_clip(snapshot, root, scene_id, Path(src), declared=declared)

        def apply(project, result) -> None:  # noqa: ANN001
            project.scene(scene_id).clip = result.clip
            for warning in result.warnings:
                session.message.emit(warning)

        session.run_task("import", call, apply)

    def _on_remove_clip(self) -> None:
        """Take the clip off the scene: its picture (if any) shows again."""
        if self.scene.clip is None or self.page.session.read_only:
            return
        self.scene.clip = None
        self.page.session.touch("images")

    # ------------------------------------------------------------------ drag and drop

    def dragEnterEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if dropped_file(event.mimeData()) is not None and not self.page.session.busy:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        self.dragEnterEvent(event)

    def dropEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        path = dropped_file(event.mimeData())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_file(path)

    # ------------------------------------------------------------------ editing

    def _on_clip_changed(self, changes: dict) -> None:
        clip = self.scene.clip
        if clip is None:
            return
        if self.page.session.read_only:
            self.clip_panel.set_clip(clip)
            return
        from studio.pipeline.images.clips import edit_clip

        try:
            new = edit_clip(clip, **changes)
        except StudioError as exc:
            dialogs.show_error(self, exc)
            self.clip_panel.set_clip(clip)
            return
        self.scene.clip = new
        self.page.session.touch("render")

    def _declare_clip(self, declared: Any) -> None:  # noqa: ANN401 - Origin | None
        """The creator changed the declaration of the clip already on the scene: keep it and log it."""
        from studio.pipeline.provenance import log_declared

        clip = self.scene.clip
        session = self.page.session
        if clip is None or declared == clip.declared or session.read_only or session.root is None:
            return
        clip.declared = declared
        log_declared(session.root, "images", "replace", declared, scene_id=self.scene_id,
                     what=Path(clip.path).name, outputs=[session.root / clip.path],
                     note="" if declared else "The creator withdrew the declaration of this clip.")
        session.touch("scene")
        self.update_view()

    # ------------------------------------------------------------------ showing

    def clip_badge(self) -> tuple[str, str]:
        """(text, tone): "AI: <tool>" for a clip declared as made with AI, else "Rekaman sendiri"."""
        declared = self.scene.clip.declared
        if declared is not None and declared.is_ai:
            return declared.label("id"), "ai"
        return texts.clip_own_label(), "ok"

    def show_clip(self) -> None:
        """Fill the clip panel and ask for the strip when the chosen part changed."""
        from studio.ui.widgets.clip_panel import strip_times

        clip = self.scene.clip
        self.clip_panel.set_clip(clip)
        self._paint_big()
        path = str(self.page.session.root / clip.path)
        end = clip.start + clip.played
        # The large picture shows the frame at the point moved last (the out point's frame is
        # the last one before it), so scrubbing either handle shows where it lands.
        at_end = self.clip_panel.moved == "end" and clip.end is not None
        scrub = max(clip.start, end - 0.5 / (clip.fps or 30.0)) if at_end else clip.start
        key = (self.scene_id, path, round(clip.start, 4), round(end, 4), round(scrub, 4))
        if key in (self._strip_key, self._strip_shown):
            return
        self._strip_key = key
        if self._strip_shown is None:
            self.picture.setPixmap(self._empty_pixmap())
            self.picture.setText("…")
        self.page.strips.request(key, path, [*strip_times(clip.start, end), scrub],
                                 (400, max(1, self.picture.height())))

    def show_strip(self, key: tuple, images: list) -> None:
        """The strip decoded for ``key`` (ignored unless it is still the one wanted)."""
        from PySide6.QtGui import QPixmap

        if key != self._strip_key or self.scene.clip is None:
            return
        self._strip_key, self._strip_shown = None, key
        self.clip_panel.show_frames(images[:-1])
        if images and not images[-1].isNull():
            self._big = images[-1]
            self._paint_big()
        else:
            self._big = None
            self.picture.setPixmap(QPixmap())
            self.picture.setText(QCoreApplication.translate("ImageCard", "Video tidak terbaca"))

    def _paint_big(self) -> None:
        """The large frame; with "Potong" a ring marks the focus point the crop keeps in view."""
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QColor, QPainter, QPen, QPixmap

        clip = self.scene.clip
        if self._big is None or clip is None:
            return
        pixmap = QPixmap.fromImage(self._big)
        if clip.fit == "crop":
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            centre = QPointF(clip.focus_x * pixmap.width(), clip.focus_y * pixmap.height())
            radius = max(6.0, min(pixmap.width(), pixmap.height()) * 0.06)
            for colour, width in ((QColor(0, 0, 0, 160), 4), (QColor(255, 255, 255), 2)):
                painter.setPen(QPen(colour, width))
                painter.drawEllipse(centre, radius, radius)
            painter.end()
        self.picture.setText("")
        self.picture.setPixmap(pixmap)
        self.picture.setToolTip(QCoreApplication.translate(
            "ImageCard", "Klik pada gambar untuk memilih bagian yang tetap terlihat saat klip dipotong "
            "memenuhi bingkai.") if clip.fit == "crop" else "")

    def focus_at(self, x: float, y: float) -> tuple[float, float] | None:
        """The focus point (fractions of the upright frame) under a click at label position (x, y)."""
        pixmap = self.picture.pixmap()
        if self.scene.clip is None or pixmap is None or pixmap.isNull():
            return None
        # The pixmap is centred in the label.
        left = (self.picture.width() - pixmap.width()) / 2
        top = (self.picture.height() - pixmap.height()) / 2
        fx, fy = (x - left) / pixmap.width(), (y - top) / pixmap.height()
        if not (0.0 <= fx <= 1.0 and 0.0 <= fy <= 1.0):
            return None
        return round(fx, 3), round(fy, 3)

    def eventFilter(self, watched, event) -> bool:  # noqa: ANN001, N802 - Qt override
        from PySide6.QtCore import QEvent

        if (watched is self.picture and event.type() == QEvent.Type.MouseButtonPress
                and self.scene.clip is not None and self.scene.clip.fit == "crop"):
            point = self.focus_at(event.position().x(), event.position().y())
            if point is not None:
                self._on_clip_changed({"focus": point})
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _empty_pixmap() -> Any:  # noqa: ANN401 - QPixmap
        from PySide6.QtGui import QPixmap

        return QPixmap()


__all__ = ["CLIP_SUFFIXES", "ClipCardMixin", "PICTURE_SUFFIXES", "dropped_file"]
