"""Subtitles from the room's server: ``POST /v1/audio/transcriptions`` (``verbose_json``, word times).

Speaches / faster-whisper-server, LocalAI and vLLM answer this. The language is
always sent (auto-detection fails on synthetic and regional speech). An answer
without segments, or with times outside the audio, is a sentence.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from studio.core.errors import MediaError, UsageError
from studio.core.jobs import JobContext
from studio.core.project import WordTiming
from studio.engines.base import (
    EngineInfo,
    TranscribeRequest,
    Transcript,
    TranscriptSegment,
)
from studio.engines.support.server_engine import ServerEngine, multipart, server_model
from studio.engines.support.wav import wav_bytes

TOOL_NAME = "Whisper (server kelas)"
MAX_UPLOAD = 50 * 1024 * 1024


def _silence_wav(seconds: float = 0.5, rate: int = 16000) -> bytes:
    import numpy as np

    return wav_bytes(np.zeros(int(seconds * rate), dtype=np.int16), rate)


class ServerTranscribeEngine(ServerEngine):
    """Speech to text on an OpenAI-compatible transcription endpoint."""

    capability = "transcribe"
    model_setting = "transcribe_model"
    what_en = "transcription server"
    what_id = "server transkripsi"
    info = EngineInfo(
        key="transcribe.server", kind="transcribe", name=TOOL_NAME, is_ai=True, online=True,
        licence="MIT (model Whisper)",
        description_id="Mentranskripsi narasi dengan Whisper di server kelas (API transkripsi kompatibel OpenAI).",
        description_en="Transcribes the narration with Whisper on the room's server (OpenAI-compatible "
                       "transcription API).")

    def _call(self, audio: bytes, name: str, language: str, prompt: str, ctx: JobContext) -> tuple[Any, Any]:
        fields = [("model", self.model), ("language", language), ("response_format", "verbose_json"),
                  ("timestamp_granularities[]", "segment"), ("timestamp_granularities[]", "word"),
                  ("temperature", "0")]
        if prompt:
            fields.append(("prompt", prompt))
        body, ctype = multipart(fields, [("file", name, audio, "audio/wav")])
        resp = self.client.request("POST", "/audio/transcriptions", body=body, content_type=ctype, ctx=ctx)
        self.client.raise_for_status(resp, model=self.model, path="/audio/transcriptions")
        try:
            data = resp.json()
        except ValueError:
            raise self.client.unusable("the answer is not JSON") from None
        if not isinstance(data, dict) or not isinstance(data.get("segments", []), list):
            raise self.client.unusable("the answer has no segments (is verbose_json supported?)")
        return resp, data

    def transcribe(self, request: TranscribeRequest, ctx: JobContext) -> Transcript:
        """Send one audio file; segments and word timings come back."""
        if not request.language:
            raise UsageError("Choose the narration language before transcribing (for example 'id').",
                             "Pilih bahasa narasi sebelum mentranskripsi (misalnya 'id').")
        path = Path(request.audio_path)
        if not path.is_file():
            raise MediaError(f"The audio file {path.name} does not exist.", f"Berkas audio {path.name} tidak ada.")
        if path.stat().st_size > MAX_UPLOAD:
            raise MediaError(f"{path.name} is larger than 50 MB; the server refuses such files.",
                             f"{path.name} lebih dari 50 MB; server menolak berkas sebesar itu.")
        started = time.perf_counter()
        ctx.check()
        resp, data = self._call(path.read_bytes(), path.name, request.language, request.initial_prompt, ctx)
        ctx.check()  # a transcript that arrives after a cancel is not used
        try:
            duration = float(data.get("duration") or 0.0)
            segments = tuple(TranscriptSegment(float(s["start"]), float(s["end"]), str(s.get("text", "")).strip())
                             for s in data.get("segments") or [])
            raw_words = list(data.get("words") or [])
            if not raw_words:
                for s in data.get("segments") or []:
                    raw_words.extend(s.get("words") or [])
            words = tuple(WordTiming(text=str(w["word"]).strip(), start=round(float(w["start"]), 3),
                                     end=round(max(float(w["end"]), float(w["start"])), 3))
                          for w in raw_words if str(w.get("word", "")).strip())
        except (KeyError, TypeError, ValueError, AttributeError):
            raise self.client.unusable("the segments or words are malformed") from None
        if not duration:
            duration = max([s.end for s in segments] + [0.0])
        if any(s.end < s.start or s.start < 0 for s in segments):
            raise self.client.unusable("a segment ends before it starts")
        prov = self.provenance(resp, data, prompt=request.initial_prompt, started=started,
                               params={"language": request.language, "response_format": "verbose_json",
                                       "word_timestamps": True, "words": len(words)})
        return Transcript(request.language, duration, segments, words, prov)

    def _probe_call(self, ctx: JobContext) -> str:
        resp, data = self._call(_silence_wav(), "tes.wav", "id", "", ctx)
        return server_model(resp, data, self.model)[0]
