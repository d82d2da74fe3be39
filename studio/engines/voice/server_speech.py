"""Narration from the room's server: ``POST /v1/audio/speech`` (``response_format: wav``).

The WAV is read by hand, not trusted: a header that claims more audio than came
(half a file), no ``data`` chunk, an unknown sample format or silence is a
sentence, and the scene keeps its previous voice. A streaming server's "unknown
length" header (0 or 0xFFFFFFFF) is accepted and the real length used. The file
written is always 16-bit mono PCM. The speech API gives no word timings, so the
subtitles step transcribes the narration.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path
from typing import Any

from studio.core.errors import UsageError
from studio.core.jobs import JobContext
from studio.engines.base import EngineInfo, VoiceRequest, VoiceResult
from studio.engines.support.server_engine import ServerEngine, server_model
from studio.engines.support.wav import write_wav

TOOL_NAME = "Suara AI (server kelas)"
_UNKNOWN_SIZES = (0, 0xFFFFFFFF, 0x7FFFFFFF)


class ServerSpeechEngine(ServerEngine):
    """Text to speech on an OpenAI-compatible speech endpoint."""

    capability = "speech"
    model_setting = "speech_model"
    what_en = "speech server"
    what_id = "server suara"
    info = EngineInfo(
        key="voice.server", kind="voice", name=TOOL_NAME, is_ai=True, online=True,
        licence="sesuai ketentuan model di server",
        description_id="Membacakan narasi dengan model suara di server kelas (API suara kompatibel OpenAI).",
        description_en="Speaks the narration with a voice model on the room's server (OpenAI-compatible "
                       "speech API).")

    @classmethod
    def from_settings(cls, settings: Any) -> ServerSpeechEngine:
        engine = super().from_settings(settings)
        engine.voice = settings.server.speech_voice or "alloy"
        return engine

    voice: str = "alloy"

    def pcm(self, raw: bytes) -> tuple[Any, int]:
        """Mono float samples and the sample rate of a WAV answer, or a sentence."""
        import numpy as np

        if len(raw) < 12 or raw[:4] != b"RIFF" or raw[8:12] != b"WAVE":
            raise self.client.unusable("the answer is not a WAV file")
        pos, fmt, data = 12, None, None
        while pos + 8 <= len(raw):
            cid, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
            body = pos + 8
            if cid == b"fmt ":
                if size < 16 or body + 16 > len(raw):
                    raise self.client.unusable("the WAV header is damaged")
                fmt = struct.unpack("<HHIIHH", raw[body:body + 16])
            elif cid == b"data":
                if size in _UNKNOWN_SIZES:
                    size = len(raw) - body  # a streamed WAV: the length was unknown when the header went out
                elif body + size > len(raw):
                    raise self.client.unusable(
                        f"the WAV is cut short ({len(raw) - body} of {size} bytes of sound arrived)")
                data = raw[body:body + size]
                break
            pos = body + size + (size & 1)
        if fmt is None or data is None:
            raise self.client.unusable("the WAV has no sound data")
        tag, channels, rate, _, _, bits = fmt
        if channels < 1 or not 8000 <= rate <= 192000:
            raise self.client.unusable(f"the WAV header says {channels} channels at {rate} Hz")
        if tag == 1 and bits == 16:
            samples = np.frombuffer(data[:len(data) // 2 * 2], "<i2").astype(np.float32) / 32768.0
        elif tag == 3 and bits == 32:
            samples = np.frombuffer(data[:len(data) // 4 * 4], "<f4").astype(np.float32)
        elif tag == 1 and bits == 32:
            samples = np.frombuffer(data[:len(data) // 4 * 4], "<i4").astype(np.float32) / 2**31
        else:
            raise self.client.unusable(f"the WAV uses an unknown sample format ({tag}, {bits} bit)")
        samples = samples[:len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
        if not np.all(np.isfinite(samples)):
            raise self.client.unusable("the WAV holds invalid samples")
        if len(samples) < rate // 20 or float(np.max(np.abs(samples), initial=0.0)) < 1e-4:
            raise self.client.unusable("the WAV holds no sound")
        return samples, int(rate)

    def _call(self, text: str, ctx: JobContext, speed: float = 1.0) -> tuple[Any, Any, int]:
        payload = {"model": self.model, "input": text, "voice": self.voice, "response_format": "wav",
                   "speed": round(speed, 2)}
        resp = self.client.post_json("/audio/speech", payload, accept="audio/wav", ctx=ctx)
        samples, rate = self.pcm(resp.body)
        return resp, samples, rate

    def synthesize(self, request: VoiceRequest, out_path: Path, ctx: JobContext) -> VoiceResult:
        """Speak ``request.text`` into a 16-bit mono WAV at ``out_path`` (the caller makes it atomic)."""

        text = request.text.strip()
        if not text:
            raise UsageError("This scene has no words to speak; write its narration first.",
                             "Adegan ini tidak punya kata untuk diucapkan; tulis narasinya dulu.")
        started = time.perf_counter()
        ctx.check()
        speed = max(0.5, min(2.0, float(request.rate_wpm or 150) / 150.0))
        resp, samples, rate = self._call(text, ctx, speed)
        ctx.check()  # a voice that arrives after a cancel is not used
        write_wav(out_path, samples, rate)
        prov = self.provenance(resp, None, prompt=text, started=started,
                               params={"voice": self.voice, "speed": round(speed, 2), "language": request.language})
        return VoiceResult(Path(out_path), len(samples) / rate, rate, (), prov)

    def _probe_call(self, ctx: JobContext) -> str:
        resp, _, _ = self._call("tes", ctx)
        return server_model(resp, None, self.model)[0]
