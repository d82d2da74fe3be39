"""Playing and recording sound with QtMultimedia (loaded only when first used).

``Player`` plays one file at a time (a scene's voice, the music bed, a draft video's
sound). ``MicRecorder`` records the microphone to a file; on a machine without an
input device it says so in words instead of failing silently.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal

log = logging.getLogger(__name__)


def output_devices() -> list[str]:
    """Names of the speakers and headsets Qt can see (empty list when there are none)."""
    from PySide6.QtMultimedia import QMediaDevices

    return [d.description() for d in QMediaDevices.audioOutputs()]


def input_devices() -> list[str]:
    """Names of the microphones Qt can see (empty list when there are none)."""
    from PySide6.QtMultimedia import QMediaDevices

    return [d.description() for d in QMediaDevices.audioInputs()]


class Player(QObject):
    """One QMediaPlayer for audio files; ``positionChanged`` in seconds.

    Why every call to the player is queued: QtMultimedia's ffmpeg backend destroys objects in
    its own audio thread, and a Python-made QObject (our QAudioOutput, the player itself) asks
    Python for overrides while it is disconnected there, which needs the GIL. A direct
    ``stop()`` from Python holds the GIL while it waits for that thread's connection mutex:
    the window froze for good (issue 16). Calls queued to the player run from the event loop,
    where PySide has released the GIL, so both orders are the same and nothing can deadlock.
    Teardown goes the same way (``dispose`` → ``deleteLater``), never a destructor under Python.
    """

    positionChanged = Signal(float)
    playingChanged = Signal(bool)
    errored = Signal(str)
    notice = Signal(str)
    """A sentence for the creator about a play that cannot be heard or did not work."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._player = None
        self._output = None
        self.current: Path | None = None
        self._pending_start: float | None = None
        """Where to start once the new source has loaded (a seek before that is lost)."""
        from PySide6.QtCore import QCoreApplication

        app = QCoreApplication.instance()
        if app is not None:  # the window closing: the players go down through the event loop
            app.aboutToQuit.connect(self.dispose)

    def _ensure(self):  # noqa: ANN202 - QMediaPlayer
        if self._player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self._player = QMediaPlayer(self)
            self._output = QAudioOutput(self)
            self._player.setAudioOutput(self._output)
            self._player.positionChanged.connect(self._on_position)
            self._player.playbackStateChanged.connect(self._on_state)
            self._player.errorOccurred.connect(self._on_error)
            self._player.mediaStatusChanged.connect(self._on_media_status)
        return self._player

    def _queue(self, method: str, *args) -> None:  # noqa: ANN002 - Q_ARG values
        """Call the player's slot ``method`` from the event loop (see the class docstring)."""
        from PySide6.QtCore import QMetaObject, Qt

        if self._player is None:
            return
        QMetaObject.invokeMethod(self._player, method, Qt.ConnectionType.QueuedConnection, *args)

    @property
    def media_player(self):  # noqa: ANN201 - QMediaPlayer (for a QVideoWidget)
        return self._ensure()

    def play(self, path: Path, start: float = 0.0) -> None:
        from PySide6.QtCore import Q_ARG

        self._ensure()
        if not output_devices():
            self.notice.emit(self.tr("Tidak ada perangkat suara di komputer ini, jadi tidak ada yang "
                                     "terdengar. Sambungkan speaker atau headset, lalu putar lagi."))
        if self.current != Path(path):
            self._queue("setSource", Q_ARG(QUrl, QUrl.fromLocalFile(str(path))))
            self.current = Path(path)
            self._pending_start = start or None
        elif start:
            self._queue("setPosition", Q_ARG("qint64", int(start * 1000)))
        self._queue("play")

    def toggle(self, path: Path) -> None:
        if self.playing and self.current == Path(path):
            self.stop()
        else:
            self.play(path)

    def seek(self, seconds: float) -> None:
        from PySide6.QtCore import Q_ARG

        self._queue("setPosition", Q_ARG("qint64", int(seconds * 1000)))

    def stop(self) -> None:
        self._queue("stop")

    def release(self) -> None:
        """Stop and forget the source (so the file can be replaced or deleted)."""
        from PySide6.QtCore import Q_ARG

        self._queue("stop")
        self._queue("setSource", Q_ARG(QUrl, QUrl()))
        self.current = None
        self._pending_start = None

    def dispose(self) -> None:
        """Stop, and let the event loop destroy the player and its output (see the class docstring)."""
        if self._player is None:
            return
        self.release()
        player, output = self._player, self._output
        self._player = self._output = None
        player.deleteLater()
        if output is not None:
            output.deleteLater()

    @property
    def playing(self) -> bool:
        if self._player is None:
            return False
        from PySide6.QtMultimedia import QMediaPlayer

        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def _on_position(self, ms: int) -> None:
        self.positionChanged.emit(ms / 1000.0)

    def _on_error(self, _error, text: str) -> None:  # noqa: ANN001
        self.errored.emit(text)
        self.notice.emit(self.tr("Berkas tidak bisa diputar: {err}").format(err=text))

    def _on_media_status(self, status) -> None:  # noqa: ANN001
        from PySide6.QtCore import Q_ARG
        from PySide6.QtMultimedia import QMediaPlayer

        loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
        if status in loaded and self._pending_start is not None:
            start, self._pending_start = self._pending_start, None
            self._queue("setPosition", Q_ARG("qint64", int(start * 1000)))

    def _on_state(self, _state) -> None:  # noqa: ANN001
        self.playingChanged.emit(self.playing)


class MicRecorder(QObject):
    """Record the default microphone to a file."""

    recordingChanged = Signal(bool)
    durationChanged = Signal(float)
    finished = Signal(object)
    """The Path written, after ``stop()``."""
    errored = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = None
        self._recorder = None
        self._input = None
        self.path: Path | None = None

    def available(self) -> bool:
        return bool(input_devices())

    def start(self, path: Path) -> bool:
        """Start recording into ``path`` (its suffix may change to what the backend writes)."""
        from PySide6.QtMultimedia import (
            QAudioInput,
            QMediaCaptureSession,
            QMediaFormat,
            QMediaRecorder,
        )

        if not self.available():
            self.errored.emit(self.tr("Tidak ada mikrofon yang terdeteksi. Sambungkan mikrofon (atau "
                                      "izinkan akses mikrofon di pengaturan sistem), lalu coba lagi. "
                                      "Anda juga bisa merekam dengan ponsel lalu memakai “Impor…”."))
            return False
        self._session = QMediaCaptureSession(self)
        self._input = QAudioInput(self)
        self._session.setAudioInput(self._input)
        self._recorder = QMediaRecorder(self)
        self._session.setRecorder(self._recorder)
        fmt = QMediaFormat()
        fmt.setFileFormat(QMediaFormat.FileFormat.Wave)
        fmt.setAudioCodec(QMediaFormat.AudioCodec.Wave)
        self._recorder.setMediaFormat(fmt)
        self._recorder.setQuality(QMediaRecorder.Quality.HighQuality)
        self.path = Path(path)
        self._recorder.setOutputLocation(QUrl.fromLocalFile(str(self.path)))
        self._recorder.durationChanged.connect(lambda ms: self.durationChanged.emit(ms / 1000.0))
        self._recorder.errorOccurred.connect(lambda _e, text: self.errored.emit(text))
        self._recorder.recorderStateChanged.connect(self._on_state)
        self._recorder.record()
        self.recordingChanged.emit(True)
        return True

    @property
    def recording(self) -> bool:
        if self._recorder is None:
            return False
        from PySide6.QtMultimedia import QMediaRecorder

        return self._recorder.recorderState() == QMediaRecorder.RecorderState.RecordingState

    def stop(self) -> None:
        if self._recorder is not None:
            self._recorder.stop()

    def _on_state(self, state) -> None:  # noqa: ANN001
        from PySide6.QtMultimedia import QMediaRecorder

        if state == QMediaRecorder.RecorderState.StoppedState:
            self.recordingChanged.emit(False)
            written = self._recorder.actualLocation().toLocalFile() if self._recorder else ""
            path = Path(written) if written else self.path
            if path is not None and path.exists() and path.stat().st_size > 0:
                self.finished.emit(path)
            else:
                self.errored.emit(self.tr("Rekaman tidak tersimpan. Periksa mikrofon lalu coba lagi."))
