"""openai-whisper as an alternative transcription backend, loading a checkpoint file the creator chose.

Owns loading an openai-whisper checkpoint (``.pt``) from a path — never a model *name*,
because ``whisper.load_model("base")`` downloads — decoding the audio itself with PyAV
(so no ``ffmpeg`` program is needed on PATH), and running Whisper window by window
(≤ 30 s, cut at the quietest moment) so a cancel lands between windows and progress
follows the audio position. The language is always passed (``whisper_language``).

openai-whisper is 15–40× slower than faster-whisper on a laptop CPU (research notes);
it is offered for creators who already have a fine-tuned openai-whisper checkpoint
(for example one trained on a regional language). torch and whisper are imported
only inside methods.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from pathlib import Path
from typing import Any

import av
import numpy as np

from studio.core.errors import (
    EngineFailed,
    MediaError,
    Problem,
    UsageError,
)
from studio.core.hashing import file_sha256
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import WordTiming
from studio.core.settings import Settings
from studio.engines.base import (
    EngineBase,
    EngineInfo,
    Provenance,
    TranscribeRequest,
    Transcript,
    TranscriptSegment,
)
from studio.engines.support import memory
from studio.engines.support.media_length import (
    MAX_TRANSCRIBE_SECONDS,
    refuse_longer_than,
)
from studio.engines.transcribe.whisper_ct2 import whisper_language

log = logging.getLogger(__name__)

KEY = "transcribe.openai_whisper"
SAMPLE_RATE = 16000
WINDOW = 30.0
"""Seconds of audio per call: Whisper's own context; longer files are cut at a quiet moment."""
_SEARCH = 5.0

INFO = EngineInfo(
    key=KEY, kind="transcribe", name="Whisper (openai-whisper)", is_ai=True, licence="MIT",
    description_id="Model AI pengenal ucapan Whisper lewat paket openai-whisper, dari berkas checkpoint "
                   "yang Anda pilih. Lebih lambat daripada faster-whisper.",
    description_en="The Whisper speech-recognition AI model through the openai-whisper package, from a "
                   "checkpoint file you choose. Slower than faster-whisper.",
)

# (n_text_state, n_text_layer) of the official multilingual sizes: their word-timestamp heads.
_SIZES = {(384, 4): "tiny", (512, 6): "base", (768, 12): "small", (1024, 24): "medium", (1280, 32): "large-v2"}


def decode_16k(path: Path) -> np.ndarray:
    """Mono float32 samples at 16 kHz from any audio file PyAV can read (a file longer than
    ``MAX_TRANSCRIBE_SECONDS`` is refused from its header, before decoding)."""
    refuse_longer_than(path, MAX_TRANSCRIBE_SECONDS)
    try:
        with av.open(str(path)) as container:
            stream = next((s for s in container.streams if s.type == "audio"), None)
            if stream is None:
                raise MediaError(f"{path.name} has no sound track.", f"{path.name} tidak punya jalur suara.")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            chunks = []
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except MediaError:
        raise
    except Exception as exc:  # noqa: BLE001 - PyAV raises many types for bad files
        raise MediaError(
            f"{path.name} cannot be read as audio; it may be damaged or in an unsupported format. Try "
            "exporting it again as WAV or MP3.",
            f"{path.name} tidak bisa dibaca sebagai audio; mungkin rusak atau formatnya tidak didukung. "
            "Coba ekspor ulang sebagai WAV atau MP3.", details=f"{exc.__class__.__name__}: {exc}") from exc
    audio = np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, dtype=np.float32)
    if len(audio) == 0:
        raise MediaError(f"{path.name} contains no sound (zero length).",
                         f"{path.name} tidak berisi suara (panjang nol).")
    return audio


def windows(audio: np.ndarray, rate: int = SAMPLE_RATE, window: float = WINDOW) -> list[tuple[int, int]]:
    """Cut points (start, end samples) of ≤ ``window`` s pieces, each cut at the quietest
    50 ms in the last ``_SEARCH`` s of its window (so a word is rarely split)."""
    n = len(audio)
    size = int(window * rate)
    out: list[tuple[int, int]] = []
    start = 0
    hop = int(0.05 * rate)
    while n - start > size:
        lo = start + size - int(_SEARCH * rate)
        seg = audio[lo:start + size]
        frames = len(seg) // hop
        energy = (seg[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1) if frames else np.zeros(1)
        cut = lo + int(np.argmin(energy)) * hop + hop // 2 if frames else start + size
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


class OpenAIWhisperEngine(EngineBase):
    """Whisper through openai-whisper on the CPU, from a checkpoint file."""

    info = INFO

    def __init__(self, checkpoint: str | Path | None = None, *, threads: int = 1, beam_size: int | None = None,
                 max_tokens: int | None = None) -> None:
        self.checkpoint = Path(checkpoint).expanduser() if checkpoint else None
        self.threads = max(1, int(threads))
        self.beam_size = beam_size
        self.max_tokens = max_tokens
        """Tokens decoded per window at most (None: Whisper's default of 224)."""
        self._model: Any = None
        self._revision = ""
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "OpenAIWhisperEngine":
        return cls(settings.models.openai_whisper or None, threads=getattr(settings, "torch_threads", 1) or 1)

    @property
    def model_name(self) -> str:
        return self.checkpoint.name if self.checkpoint else ""

    def preflight(self) -> list[Problem]:
        """openai-whisper is installed and the checkpoint file exists (nothing is loaded)."""
        problems: list[Problem] = []
        if importlib.util.find_spec("whisper") is None or importlib.util.find_spec("torch") is None:
            problems.append(Problem(
                "openai-whisper is not installed. Install it without the GPU-only 'triton' package: "
                "'pip install numba tiktoken more-itertools tqdm' then 'pip install --no-deps openai-whisper'.",
                "openai-whisper belum terpasang. Pasang tanpa paket 'triton' (khusus GPU): "
                "'pip install numba tiktoken more-itertools tqdm' lalu 'pip install --no-deps openai-whisper'."))
        if self.checkpoint is None:
            problems.append(Problem(
                "Choose an openai-whisper checkpoint file (.pt) in Settings; this engine never downloads one.",
                "Pilih berkas checkpoint openai-whisper (.pt) di Pengaturan; mesin ini tidak pernah mengunduh."))
        elif not self.checkpoint.is_file():
            problems.append(Problem(
                f"The openai-whisper checkpoint {self.checkpoint} does not exist; choose the .pt file in Settings.",
                f"Checkpoint openai-whisper {self.checkpoint} tidak ada; pilih berkas .pt di Pengaturan."))
        return problems

    def load(self, ctx: JobContext | None = None) -> Any:
        if ctx is not None:
            ctx.check()
        with self._lock:
            if self._model is not None:
                return self._model
            self._raise_unless_ready()
            assert self.checkpoint is not None
            import torch
            import whisper

            torch.set_num_threads(self.threads)
            try:
                # A path, never a name: load_model("base") would download.
                model = whisper.load_model(str(self.checkpoint.resolve()), device="cpu")
            except Exception as exc:  # noqa: BLE001 - torch.load raises pickle, zip and key errors alike
                raise EngineFailed(
                    f"The openai-whisper checkpoint {self.checkpoint.name} could not be loaded; it may be "
                    "damaged or not an openai-whisper checkpoint.",
                    f"Checkpoint openai-whisper {self.checkpoint.name} tidak bisa dimuat; mungkin rusak atau "
                    "bukan checkpoint openai-whisper.", details=f"{exc.__class__.__name__}: {exc}") from exc
            dims = model.dims
            size = _SIZES.get((dims.n_text_state, dims.n_text_layer))
            if size is not None and dims.n_vocab == 51865:
                # Word timestamps need the heads that track alignment; official sizes have known ones.
                model.set_alignment_heads(whisper._ALIGNMENT_HEADS[size])
            self._revision = file_sha256(self.checkpoint)[:12]
            self._model = model
            return model

    def unload(self) -> None:
        with self._lock:
            self._model = None
        memory.release()  # give the freed pages back to the OS

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def transcribe(self, request: TranscribeRequest, ctx: JobContext) -> Transcript:
        """Transcribe one file with word timestamps, window by window.

        Progress is in seconds of audio; cancel is checked between windows, and the
        windows finished so far are attached to ``Cancelled.partial``.
        """
        if not request.language:
            raise UsageError(
                "Choose the narration language before transcribing (for example 'id').",
                "Pilih bahasa narasi sebelum mentranskripsi (misalnya 'id').")
        path = Path(request.audio_path)
        if not path.is_file():
            raise MediaError(f"The audio file {path.name} does not exist.", f"Berkas audio {path.name} tidak ada.")
        t0 = time.perf_counter()
        ctx.check()
        language = whisper_language(request.language)
        import whisper.tokenizer

        if language not in whisper.tokenizer.LANGUAGES:
            raise UsageError(
                f"Whisper does not know the language '{request.language}'. Use a language code such as 'id' "
                "(Indonesian) or 'jv' (Javanese).",
                f"Whisper tidak mengenal bahasa '{request.language}'. Pakai kode bahasa seperti 'id' "
                "(Indonesia) atau 'jv' (Jawa).")
        audio = decode_16k(path)  # a damaged or 3-hour file is refused before the model loads
        model = self.load()
        duration = len(audio) / SAMPLE_RATE
        params: dict[str, Any] = {"language": language, "requested_language": request.language,
                                  "word_timestamps": request.word_timestamps, "temperature": 0.0,
                                  "beam_size": self.beam_size, "condition_on_previous_text": False,
                                  "threads": self.threads}
        segments: list[TranscriptSegment] = []
        words: list[WordTiming] = []

        def result() -> Transcript:
            prov = Provenance(engine=KEY, tool=INFO.name, is_ai=True, model=self.model_name,
                              model_revision=self._revision, licence=INFO.licence,
                              prompt=request.initial_prompt, params=params, seconds=time.perf_counter() - t0)
            return Transcript(request.language, duration, tuple(segments), tuple(words), prov)

        options: dict[str, Any] = {}
        if self.beam_size:
            options["beam_size"] = self.beam_size
        if self.max_tokens:
            options["sample_len"] = self.max_tokens
        ctx.progress(0, duration, "Mentranskripsi suara")
        try:
            for a, b in windows(audio):
                ctx.check()
                offset = a / SAMPLE_RATE
                try:
                    out = model.transcribe(
                        audio[a:b], language=language, task="transcribe", fp16=False, temperature=0.0,
                        word_timestamps=request.word_timestamps, condition_on_previous_text=False,
                        initial_prompt=request.initial_prompt or None, verbose=None, **options)
                except (RuntimeError, ValueError) as exc:
                    raise EngineFailed(
                        "Whisper stopped while transcribing; close other programs to free memory and try again.",
                        "Whisper berhenti saat mentranskripsi; tutup program lain agar memori cukup lalu coba lagi.",
                        details=f"{exc.__class__.__name__}: {exc}") from exc
                for seg in out.get("segments", []):
                    text = str(seg.get("text", "")).strip()
                    start = min(float(seg["start"]) + offset, duration)
                    end = min(max(float(seg["end"]) + offset, start), duration)
                    segments.append(TranscriptSegment(start, end, text))
                    for w in seg.get("words") or ():
                        word = str(w.get("word", "")).strip()
                        if word:
                            ws = min(float(w["start"]) + offset, duration)
                            words.append(WordTiming(text=word, start=round(ws, 3),
                                                    end=round(min(max(float(w["end"]) + offset, ws), duration), 3)))
                ctx.progress(b / SAMPLE_RATE, duration, "Mentranskripsi suara")
        except Cancelled as exc:
            exc.partial = result()
            raise
        ctx.progress(duration, duration, "Transkripsi selesai")
        return result()


__all__ = ["KEY", "OpenAIWhisperEngine", "decode_16k", "windows"]
