"""The preview: scrub any moment (drawn by the renderer's ``frame_at``) or play a draft render.

Frames are drawn off the GUI thread by ``pipeline.render.renderer.Renderer`` at a small size —
the same code that draws the export, so what you see is what export writes. Only the
latest slider position is drawn (``LatestOnly``), so scrubbing never queues up work.
Playback plays ``render/<slug>-draft.mp4`` (a quick half-resolution render) with
QtMultimedia; while it plays, ``positionChanged`` drives the subtitle table.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QStackedWidget, QVBoxLayout, QWidget

from studio.ui import texts
from studio.ui.jobs import LatestOnly
from studio.ui.widgets.common import button, label

log = logging.getLogger(__name__)

PREVIEW_HEIGHT = 640
"""Height of the scrub frames in pixels (a 9:16 frame is drawn at 360×640)."""


class FrameView(QLabel):
    """A frame scaled to fit, keeping its aspect."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(120, 140)  # it grows with the room; small screens and F11 need the height
        self.setStyleSheet("background: #101418; color: #c5ccd6; border-radius: 6px;")
        self._pix = QPixmap()

    def set_frame(self, pix: QPixmap) -> None:
        self._pix = pix
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if not self._pix.isNull():
            self.setPixmap(self._pix.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                            Qt.TransformationMode.SmoothTransformation))


class PreviewPanel(QWidget):
    """Scrubbable frame preview plus draft playback."""

    positionChanged = Signal(float)
    """The shown time changed (slider, seek, or playback), seconds."""

    def __init__(self, session, parent: QWidget | None = None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.session = session
        self.duration = 0.0
        self._renderer = None
        self._renderer_key: tuple | None = None
        self._frames = LatestOnly(self)
        self._frames.done.connect(self._on_frame)
        self._frames.errored.connect(self._on_frame_error)
        self._player = None
        self._video_widget = None
        self.frames_drawn = 0
        self.shown_t: float | None = None
        """Timeline time of the frame on screen."""
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget()
        self.view = FrameView()
        self.view.setText(self.tr("Pratinjau muncul di sini"))
        self.stack.addWidget(self.view)
        col.addWidget(self.stack, 1)
        row = QHBoxLayout()
        self.play_button = button("▶", "icon", tip=self.tr("Putar pratinjau (render draf)"),
                                  slot=self._on_play_clicked)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.valueChanged.connect(self._on_slider)
        self.time_label = label(role="small")
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        col.addLayout(row)
        self.note = label(role="small", wrap=True)
        col.addWidget(self.note)
        self._debounce = QTimer(self, singleShot=True, interval=30)
        self._debounce.timeout.connect(self._request)

    # ------------------------------------------------------------------ frames

    def reload(self) -> None:
        """The project changed: re-lay the timeline and redraw the current moment."""
        if not self.session.is_open:
            return
        tl = self.session.timeline()
        self.duration = tl.duration
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, int(round(self.duration * 10))))
        self.slider.blockSignals(False)
        self._renderer = None  # rebuilt (from a fresh snapshot) by the next request
        self._update_time()
        self._update_note()
        self._debounce.start()

    def seek(self, seconds: float) -> None:
        """Show the frame at ``seconds`` (and move playback there if it is playing)."""
        self.slider.setValue(int(round(seconds * 10)))
        if self._player is not None and self._player.playing:
            self._player.seek(seconds)

    def position(self) -> float:
        return self.slider.value() / 10.0

    def _on_slider(self, _value: int) -> None:
        self._update_time()
        self.positionChanged.emit(self.position())
        if self._player is None or not self._player.playing:
            self._debounce.start()

    def _update_time(self) -> None:
        self.time_label.setText(f"{texts.clock(self.position())} / {texts.clock(self.duration)}")

    def _request(self) -> None:
        if not self.session.is_open or self.duration <= 0:
            return
        from studio.core.status import render_inputs_hash

        project = self.session.project
        r = project.render
        height = min(PREVIEW_HEIGHT, r.height)
        width = max(2, int(round(r.width * height / r.height / 2)) * 2)
        key = (render_inputs_hash(project), width, height)
        if self._renderer is None or self._renderer_key != key:
            # A fresh snapshot per project state; the Renderer itself is built on the
            # worker (it pre-scales pictures), once, and reused while scrubbing.
            self._renderer_key = key
            self._renderer = {"snapshot": project.model_copy(deep=True), "root": self.session.root,
                              "size": (width, height)}
        holder = self._renderer

        def make():  # noqa: ANN202 - worker thread
            from studio.pipeline.render.renderer import Renderer

            if "r" not in holder:
                holder["r"] = Renderer(holder["snapshot"], holder["root"], size=holder["size"])
            return holder["r"]
        t = self.position()

        def draw() -> QImage:
            img = make().frame_at(t).convert("RGB")
            data = img.tobytes("raw", "RGB")
            return QImage(data, img.width, img.height, img.width * 3, QImage.Format.Format_RGB888).copy()

        self._frames.request(t, draw)

    def _on_frame(self, t: float, image: QImage) -> None:
        self.frames_drawn += 1
        self.shown_t = t
        self.view.set_frame(QPixmap.fromImage(image))

    def _on_frame_error(self, _t: float, exc: BaseException) -> None:
        from studio.ui.texts import error_text

        self.view.setPixmap(QPixmap())
        self.view.setText(self.tr("Pratinjau tidak bisa digambar: {err}").format(err=error_text(exc)))

    # ------------------------------------------------------------------ playback

    def draft_current(self) -> bool:
        """True when the draft render matches the project as it is now."""
        from studio.core.status import render_inputs_hash

        s = self.session
        return bool(s.draft_video and Path(s.draft_video).exists() and s.is_open
                    and s.draft_hash == render_inputs_hash(s.project))

    def _update_note(self) -> None:
        if self.draft_current():
            self.note.setText(self.tr("▶ memutar render draf (resolusi setengah)."))
        else:
            self.note.setText(self.tr("Geser untuk melihat tiap saat. Untuk memutar dengan suara, "
                                      "tekan ▶: video draf dirender dulu (cepat, resolusi setengah)."))

    def _on_play_clicked(self) -> None:
        if self._player is not None and self._player.playing:
            self._player.stop()
            self._show_frames()
            return
        if not self.draft_current():
            runner = self.session.run_draft_render()
            if runner is not None:
                runner.succeeded.connect(lambda _r: QTimer.singleShot(0, self._play_draft))
            return
        self._play_draft()

    def _play_draft(self) -> None:
        if not self.draft_current():
            return
        from PySide6.QtMultimediaWidgets import QVideoWidget

        from studio.ui.widgets.media import Player, output_devices

        if self._player is None:
            self._player = Player(self)
            self._video_widget = QVideoWidget()
            self.stack.addWidget(self._video_widget)
            self._player.media_player.setVideoOutput(self._video_widget)
            self._player.positionChanged.connect(self._on_play_position)
            self._player.playingChanged.connect(self._on_playing_changed)
            self._player.notice.connect(self.note.setText)
        self.stack.setCurrentWidget(self._video_widget)
        self._player.play(Path(self.session.draft_video), self.position())
        self.play_button.setText("■")
        self._update_note()
        if not output_devices():  # the video plays, silently: say why nothing is heard
            self.note.setText(self.tr("Tidak ada perangkat suara di komputer ini: video diputar tanpa suara."))

    def _on_play_position(self, seconds: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(int(round(seconds * 10)))
        self.slider.blockSignals(False)
        self._update_time()
        self.positionChanged.emit(seconds)

    def _on_playing_changed(self, playing: bool) -> None:
        if not playing:
            self._show_frames()

    def _show_frames(self) -> None:
        self.play_button.setText("▶")
        self.stack.setCurrentWidget(self.view)
        self._debounce.start()

    def stop(self) -> None:
        if self._player is not None:
            self._player.release()
        self._show_frames()
