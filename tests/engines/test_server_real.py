"""The transcription engine against a real faster-whisper-server (PyPI), where it is installed.

``pip install faster-whisper-server==0.0.3`` (extra ``room``); skipped without it. That
server has no ``GET /v1/models`` (the probe then goes straight to its tiny request) and
its ``verbose_json`` carries segments but no word times.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from studio.core.jobs import JobContext
from studio.engines.base import TranscribeRequest, VoiceRequest
from studio.engines.models.whisper_base import ensure_whisper_base
from studio.engines.transcribe.server_transcribe import ServerTranscribeEngine
from studio.engines.voice.espeak import EspeakVoiceEngine

pytestmark = pytest.mark.skipif(importlib.util.find_spec("faster_whisper_server") is None
                                or not shutil.which("faster-whisper-server"),
                                reason="faster-whisper-server is not installed (pip install '.[room]')")


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([shutil.which("faster-whisper-server"), str(ensure_whisper_base()), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        # Start-up imports torch and loads Whisper: seconds when idle, minutes on a loaded CI box.
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(url + "/health", timeout=5).read()
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stderr.read().decode()[-2000:])
                if time.monotonic() > deadline:
                    pytest.fail("faster-whisper-server did not answer /health within 300 s of starting.")
                time.sleep(0.5)
        yield url + "/v1"
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_real_faster_whisper_server_transcribes_indonesian_speech(server, tmp_path):
    wav = tmp_path / "v.wav"
    EspeakVoiceEngine().synthesize(VoiceRequest(text="Sawah di lereng gunung dijaga oleh warga desa."), wav,
                                   JobContext("voice"))
    engine = ServerTranscribeEngine(server, "whisper-1")
    assert engine.probe().ok
    t = engine.transcribe(TranscribeRequest(audio_path=wav, language="id"), JobContext("subtitles"))
    assert t.segments and "oleh" in t.text.lower()  # Whisper base on espeak speech: close, not exact
    assert abs(t.segments[-1].end - t.duration) < 0.5
    assert t.provenance.params["server_model_source"] == "requested"
