"""The creator's own clip on a scene card (issue 15): a strip of its frames and its settings.

``ClipPanel`` shows a thumbnail strip (frames across the chosen part, decoded off the
GUI thread by ``StripLoader`` through the pipeline's ``ClipReader``), the in and out
points as frame-stepping spin boxes showing ``mm:ss,ff``, the clip's sound (mute / keep
/ duck under the narration), the fit (crop / blurred fill), the speed (0.5×–2×) and
what a clip shorter than its scene does (hold the last frame — the default, said on
screen — or slow down). It only reports changes (``changed`` with ``edit_clip``'s
keyword arguments); the card applies them through ``pipeline.images.clips.edit_clip``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap, QValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from studio.core.project import CLIP_SHORT_DEFAULT, ClipAsset
from studio.ui import i18n, texts
from studio.ui.widgets.common import label

STRIP_FRAMES = 5


def frames_per_second(fps: float) -> int:
    """The whole frames counted per second in ``mm:ss,ff`` (a 29.97 fps clip counts 30)."""
    return max(1, int(round(fps or 30.0)))


def frame_clock(frame: int, fps: float) -> str:
    """``01:05,12``: minutes, seconds and the frame within that second."""
    n = frames_per_second(fps)
    secs, ff = divmod(max(0, int(frame)), n)
    minutes, secs = divmod(secs, 60)
    sep = "," if i18n.language() == "id" else "."
    return f"{minutes:02d}:{secs:02d}{sep}{ff:0{len(str(n - 1))}d}"


def parse_frame_clock(text: str, fps: float) -> int | None:
    """Inverse of ``frame_clock`` (``1:05,12``, ``65,12`` or ``0:03``); None if unreadable."""
    n = frames_per_second(fps)
    text = text.strip().replace(".", ",")
    whole, _, ff = text.partition(",")
    parts = whole.split(":") if whole else ["0"]
    if len(parts) > 2 or not all(p.strip().isdigit() for p in parts) or (ff and not ff.isdigit()):
        return None
    secs = int(parts[0]) * 60 + int(parts[1]) if len(parts) == 2 else int(parts[0])
    frame = int(ff or 0)
    return secs * n + frame if frame < n else None


class FrameSpin(QSpinBox):
    """A point in a clip, counted in frames (one arrow step = one frame), shown as ``mm:ss,ff``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fps = 30.0
        self.setKeyboardTracking(False)  # typing "01:0" must not apply an in point on the way
        self.setAccelerated(True)

    def set_fps(self, fps: float) -> None:
        self.fps = fps or 30.0

    def seconds(self) -> float:
        return round(self.value() / self.fps, 6)

    def set_seconds(self, value: float) -> None:
        self.setValue(int(round(value * self.fps)))

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt override
        return frame_clock(value, self.fps)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
        found = parse_frame_clock(text, self.fps)
        return self.value() if found is None else found

    def validate(self, text: str, pos: int) -> object:  # noqa: ANN401 - Qt override
        found = parse_frame_clock(text, self.fps)
        if found is None:
            return QValidator.State.Intermediate
        ok = self.minimum() <= found <= self.maximum()
        return QValidator.State.Acceptable if ok else QValidator.State.Intermediate


def _qimage(picture) -> QImage:  # noqa: ANN001 - PIL.Image
    rgb = picture.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    return QImage(data, rgb.width, rgb.height, rgb.width * 3, QImage.Format.Format_RGB888).copy()


def strip_times(start: float, end: float, count: int = STRIP_FRAMES) -> list[float]:
    """``count`` source times spread over ``start``..``end`` (the last a frame before ``end``)."""
    if end <= start:
        return [start]
    step = (end - start) / count
    return [start + step * (i + 0.5) if i else start for i in range(count)]


class StripLoader(QObject):
    """Decodes a few frames of a clip on the thread pool; ``loaded(key, [QImage])`` on the GUI thread.

    Frames come from ``pipeline.media.video.ClipReader`` (upright, scaled by the decoder),
    so the strip shows what the export will use. An unreadable clip gives an empty list.
    ``key[0]`` names the card: while its decode runs, newer requests replace each other and
    only the latest runs next (holding an arrow key on an in point must not queue hundreds
    of decodes on a 2-core laptop).
    """

    loaded = Signal(object, object)
    _done = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: set = set()
        self._queued: dict = {}
        self._done.connect(self._on_done)

    def _on_done(self, key: tuple, images: list) -> None:
        self._running.discard(key[0])
        self.loaded.emit(key, images)
        queued = self._queued.pop(key[0], None)
        if queued is not None:
            self.request(*queued)

    def request(self, key: tuple, path: str, times: list[float], size: tuple[int, int]) -> None:
        from PySide6.QtCore import QThreadPool

        from studio.ui.jobs import _Task

        def work() -> None:
            from studio.core.errors import StudioError
            from studio.pipeline.media.video import ClipReader

            images: list[QImage] = []
            reader = None
            try:
                reader = ClipReader(path, size)
                images = [_qimage(reader.frame(t)) for t in times]
            except (StudioError, OSError, ValueError):
                images = []
            finally:
                if reader is not None:
                    reader.close()
            try:
                self._done.emit(key, images)
            except RuntimeError:
                pass  # the loader went away with its page

        if key[0] in self._running:
            self._queued[key[0]] = (key, path, times, size)
            return
        self._running.add(key[0])
        QThreadPool.globalInstance().start(_Task(work))


class ClipPanel(QWidget):
    """The strip and the settings of one clip; ``changed(dict)`` carries ``edit_clip`` keywords."""

    changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clip: ClipAsset | None = None
        self.moved = "start"
        """The point the creator moved last ("start" or "end"): the card shows its frame large."""
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(6)
        strip = QHBoxLayout()
        strip.setSpacing(3)
        h = self.fontMetrics().height()
        self.frames: list[QLabel] = []
        for _ in range(STRIP_FRAMES):
            cell = QLabel()
            cell.setAlignment(Qt.AlignmentFlag.AlignCenter)
            cell.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            cell.setMinimumWidth(1)
            cell.setFixedHeight(int(h * 2.6))
            cell.setStyleSheet("background: #1f2933; border-radius: 3px;")
            strip.addWidget(cell, 1)
            self.frames.append(cell)
        box.addLayout(strip)
        self.facts = label(role="small", wrap=True)
        box.addWidget(self.facts)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(4)
        points = QHBoxLayout()
        self.in_spin = FrameSpin()
        self.out_spin = FrameSpin()
        self.in_spin.setToolTip(self.tr("Titik awal: panah atas/bawah menggeser satu bingkai (mm:dd,bb)"))
        self.out_spin.setToolTip(self.tr("Titik akhir: panah atas/bawah menggeser satu bingkai (mm:dd,bb)"))
        points.addWidget(self.in_spin, 1)
        points.addWidget(label("–"))
        points.addWidget(self.out_spin, 1)
        form.addRow(self.tr("Awal–akhir"), points)
        self.audio = QComboBox()
        for key, text in (("mute", self.tr("Bisukan")), ("keep", self.tr("Pertahankan")),
                          ("duck", self.tr("Rendahkan di bawah narasi"))):
            self.audio.addItem(text, key)
        form.addRow(self.tr("Suara klip"), self.audio)
        self.fit = QComboBox()
        self.fit.addItem(self.tr("Potong memenuhi bingkai"), "crop")
        self.fit.addItem(self.tr("Utuh di atas latar buram"), "blur")
        form.addRow(self.tr("Penempatan"), self.fit)
        self.speed = QDoubleSpinBox()
        self.speed.setRange(0.5, 2.0)
        self.speed.setSingleStep(0.25)
        self.speed.setDecimals(2)
        self.speed.setSuffix("×")
        self.speed.setKeyboardTracking(False)
        form.addRow(self.tr("Kecepatan"), self.speed)
        self.short = QComboBox()
        self.short.addItem(self.tr("tahan bingkai terakhir"), "hold")
        self.short.addItem(self.tr("perlambat"), "slow")
        self.short.setToolTip(self.tr("Bila klip lebih pendek dari adegan (narasinya). Bawaan: tahan "
                                      "bingkai terakhir. Memperlambat tidak pernah di bawah 0,5×."))
        form.addRow(self.tr("Klip lebih pendek"), self.short)
        box.addLayout(form)
        default = self.short.itemText(self.short.findData(CLIP_SHORT_DEFAULT))
        self.default_note = label(self.tr("Klip lebih pendek dari adegan: {what} (bawaan).").format(what=default),
                                  "small", wrap=True)
        box.addWidget(self.default_note)
        self.in_spin.valueChanged.connect(lambda _v: self._on_points("start"))
        self.out_spin.valueChanged.connect(lambda _v: self._on_points("end"))
        self.audio.activated.connect(lambda _i: self.changed.emit({"audio": self.audio.currentData()}))
        self.fit.activated.connect(lambda _i: self.changed.emit({"fit": self.fit.currentData()}))
        self.short.activated.connect(lambda _i: self.changed.emit({"short": self.short.currentData()}))
        self.speed.valueChanged.connect(lambda v: self.changed.emit({"speed": round(v, 2)}))

    def last_frame(self) -> int:
        clip = self.clip
        return max(1, int(round((clip.duration if clip else 0.0) * self.in_spin.fps)))

    def set_clip(self, clip: ClipAsset) -> None:
        """Show ``clip``'s settings (no ``changed`` while doing so)."""
        self.clip = clip
        widgets = (self.in_spin, self.out_spin, self.audio, self.fit, self.speed, self.short)
        for w in widgets:
            w.blockSignals(True)
        for spin in (self.in_spin, self.out_spin):
            spin.set_fps(clip.fps)
            spin.setRange(0, self.last_frame())
        self.in_spin.set_seconds(clip.start)
        self.out_spin.set_seconds(clip.duration if clip.end is None else min(clip.end, clip.duration or clip.end))
        # The in point stays a frame before the out point, so a step can never cross them.
        self.in_spin.setMaximum(max(0, self.out_spin.value() - 1))
        self.out_spin.setMinimum(self.in_spin.value() + 1)
        self.audio.setCurrentIndex(self.audio.findData(clip.audio))
        self.audio.setEnabled(clip.has_audio)
        self.audio.setToolTip("" if clip.has_audio else self.tr("Klip ini tidak punya suara sendiri."))
        self.fit.setCurrentIndex(self.fit.findData(clip.fit))
        self.speed.setValue(clip.speed)
        self.short.setCurrentIndex(self.short.findData(clip.short))
        for w in widgets:
            w.blockSignals(False)
        size = f"{clip.width}×{clip.height}" if clip.width and clip.height else ""
        fps = f"{texts.number(clip.fps, 0 if float(clip.fps).is_integer() else 2)} fps" if clip.fps else ""
        rotated = self.tr("diputar {n}°").format(n=clip.rotation) if clip.rotation else ""
        played = clip.played / clip.speed if clip.speed else clip.played
        plays = self.tr("tayang {value}").format(value=texts.seconds(played))
        self.facts.setText(" · ".join(t for t in (size, clip.codec, fps, rotated,
                                                  texts.seconds(clip.duration), plays) if t))

    def _on_points(self, moved: str) -> None:
        if self.clip is None:
            return
        self.moved = moved
        start, end = self.in_spin.seconds(), self.out_spin.seconds()
        if self.out_spin.value() >= self.last_frame():
            end = None  # up to the clip's end, whatever the last frame's exact time
        self.changed.emit({"start": start, "end": end})

    def show_frames(self, images: list) -> None:
        """Fill the strip with decoded frames (QImages); an empty list says the clip did not decode."""
        for i, cell in enumerate(self.frames):
            if i < len(images) and not images[i].isNull():
                cell.setText("")
                # To the strip's height; a cell narrower than the frame shows its middle.
                cell.setPixmap(QPixmap.fromImage(images[i].scaledToHeight(
                    cell.height(), Qt.TransformationMode.SmoothTransformation)))
            else:
                cell.setPixmap(QPixmap())
                cell.setText("?" if not images else "")

    def strip_filled(self) -> int:
        """How many strip cells show a frame (for tests and the card's state)."""
        return sum(1 for c in self.frames if c.pixmap() is not None and not c.pixmap().isNull())


__all__ = ["ClipPanel", "FrameSpin", "StripLoader", "frame_clock", "parse_frame_clock", "strip_times"]
