"""faster-whisper transcription engine (CTranslate2 Whisper), word timestamps included.

Owns loading a CTranslate2 Whisper folder (the machine's ``settings.models.whisper``,
else the bundled multilingual base prepared by ``engines.models.whisper_base``), keeping it loaded
per engine instance, and turning faster-whisper's segment generator into a
``Transcript`` with progress by audio position and a cancel check between segments.

The language is always passed: Whisper's auto-detection picked Thai on espeak-ng
Indonesian in our measurements. faster_whisper is imported only inside methods.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from pathlib import Path
from typing import Any

from studio.core.errors import (
    EngineFailed,
    EngineUnavailable,
    MediaError,
    Problem,
    UsageError,
)
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
from studio.engines.models import whisper_base as models
from studio.engines.support import memory
from studio.engines.support.media_length import (
    MAX_TRANSCRIBE_SECONDS,
    refuse_longer_than,
)

log = logging.getLogger(__name__)

KEY = "transcribe.faster_whisper"
SAMPLE_RATE = 16000
VAD_MIN_SECONDS = 30.0
"""Files longer than this go through Silero VAD first. Long recordings have silences in
which Whisper invents text; short per-scene TTS files have none, and VAD there only risks
clipping a soft first syllable. (VAD does detect espeak-ng speech: same transcript.)"""
_REQUIRED_FILES = ("model.bin", "config.json")
_WHISPER_LANGUAGE = {"jv": "jw", "ind": "id", "jav": "jw", "sun": "su", "msa": "ms", "zsm": "ms"}
"""Project language codes (BCP-47 / ISO 639-3) that Whisper spells differently (Javanese is ``jw``)."""
REGIONAL_AS_INDONESIAN = frozenset({"ban", "min", "bug", "mad", "bjn", "ace", "sas", "mak", "bew", "gor",
                                    "nij", "rej", "tet", "mui", "btk", "bbc", "btx", "bts", "mad", "kge", "lbw"})
"""Regional languages of Indonesia that Whisper has no model language for: they are
transcribed as Indonesian (their closest Whisper language, and what most narration in
them mixes with), never left to auto-detection."""
SIZES = {"tiny": "faster-whisper-tiny", "base": "whisper-base", "small": "faster-whisper-small",
         "medium": "faster-whisper-medium", "large-v3": "faster-whisper-large-v3"}
"""Model size names the settings accept instead of a folder, and the catalogue id for each."""


def whisper_language(code: str) -> str:
    """The Whisper language for a project language code; never empty (no auto-detection).

    ``jv`` → ``jw``; Balinese, Minangkabau, Buginese... → ``id``; others pass through
    (Whisper refuses codes it does not know, with a clear error).
    """
    lang = (code or "").strip().lower().replace("_", "-").split("-")[0]
    if not lang:
        raise UsageError("Choose the narration language before transcribing (for example 'id').",
                         "Pilih bahasa narasi sebelum mentranskripsi (misalnya 'id').")
    if lang in REGIONAL_AS_INDONESIAN:
        return "id"
    return _WHISPER_LANGUAGE.get(lang, lang)

INFO = EngineInfo(
    key=KEY, kind="transcribe", name="Whisper (faster-whisper)", is_ai=True, licence="MIT",
    description_id="Model AI pengenal ucapan (Whisper) yang berjalan di komputer ini, tanpa "
                   "internet. Membuat waktu subtitle dan memeriksa narasi.",
    description_en="An AI speech-recognition model (Whisper) running on this computer, "
                   "offline. Times the subtitles and checks the narration.",
)


def _model_files_problem(folder: Path) -> Problem | None:
    if not folder.is_dir():
        return Problem(
            f"The Whisper model folder {folder} does not exist. Choose another folder in "
            "Settings, or clear the setting to use the bundled Whisper base.",
            f"Folder model Whisper {folder} tidak ada. Pilih folder lain di Pengaturan, atau "
            "kosongkan isian itu untuk memakai Whisper base bawaan.")
    missing = [n for n in _REQUIRED_FILES if not (folder / n).is_file()]
    if not (folder / "tokenizer.json").is_file() and not (folder / "vocabulary.txt").is_file() \
            and not (folder / "vocabulary.json").is_file():
        missing.append("tokenizer.json")
    if missing:
        return Problem(
            f"The Whisper model folder {folder} is incomplete (missing {', '.join(missing)}). "
            "It must be a CTranslate2 (faster-whisper) model folder.",
            f"Folder model Whisper {folder} tidak lengkap (tidak ada {', '.join(missing)}). "
            "Folder itu harus berisi model CTranslate2 (faster-whisper).")
    return None


def _folder_for_size(size: str) -> tuple[Path | None, Problem | None]:
    """The folder of the catalogued Whisper of ``size`` on this computer (None for the bundled
    base), or a Problem saying how to get it. Never downloads."""
    spec_id = SIZES[size]
    if spec_id == models.WHISPER_BASE.id:
        return None, None
    try:
        from studio.engines.models import manager as model_manager
        from studio.engines.models.catalog import get_spec

        spec = get_spec(spec_id)
        for loc in model_manager.locate(spec, None):
            if loc.ok:
                return Path(loc.path), None
    except Exception:  # noqa: BLE001 - not in the catalogue (or no manager): say how to get it
        pass
    return None, Problem(
        f"Whisper {size} is not on this computer. Download it with 'studio models download {spec_id}' "
        "(or in Settings → Models), or choose its folder in Settings.",
        f"Whisper {size} belum ada di komputer ini. Unduh dengan 'studio models download {spec_id}' "
        "(atau di Pengaturan → Model), atau pilih foldernya di Pengaturan.")


class FasterWhisperEngine(EngineBase):
    """Whisper through faster-whisper on the CPU; the model stays loaded until ``unload()``."""

    info = INFO

    def __init__(self, model_dir: str | Path | None = None, *, compute_type: str = "int8",
                 cpu_threads: int = 2, beam_size: int = 5) -> None:
        """``model_dir`` is a CTranslate2 folder, a size name (``base``, ``small``: the
        catalogued model of that size wherever the model manager finds it), or None for
        the bundled base. ``compute_type``: ``int8`` (default, fastest on CPU), ``int8_float32``,
        ``float32``."""
        self.size: str | None = None
        self._size_problem: Problem | None = None
        if isinstance(model_dir, str) and model_dir.strip().lower() in SIZES \
                and not Path(model_dir).expanduser().exists():
            self.size = model_dir.strip().lower()
            model_dir, self._size_problem = _folder_for_size(self.size)
        self.model_dir = Path(model_dir).expanduser() if model_dir else None
        self.compute_type = compute_type or "int8"
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        self._model: Any = None
        self._loaded_from: Path | None = None
        self._revision = ""
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "FasterWhisperEngine":
        m = settings.models
        return cls(m.whisper or None, compute_type=m.whisper_compute_type or "int8")

    # ------------------------------------------------------------ identity

    @property
    def model_name(self) -> str:
        if self.model_dir is None:
            return models.WHISPER_BASE.id if self.size in (None, "base") else f"whisper-{self.size}"
        return self.model_dir.name

    def preflight(self) -> list[Problem]:
        """faster-whisper is installed and a model folder is there (nothing is joined or loaded)."""
        problems: list[Problem] = []
        if importlib.util.find_spec("faster_whisper") is None:
            problems.append(Problem(
                "faster-whisper is not installed; install it with 'pip install faster-whisper'.",
                "faster-whisper belum terpasang; pasang dengan 'pip install faster-whisper'."))
        if self._size_problem is not None:
            problems.append(self._size_problem)
        elif self.model_dir is not None:
            problem = _model_files_problem(self.model_dir)
            if problem:
                problems.append(problem)
        else:
            ready, message = models.whisper_base_status()
            if not ready:
                err = models.missing_error()
                problems.append(Problem(err.message, err.message_id))
        return problems

    # ------------------------------------------------------------ model

    def _folder(self, ctx: JobContext | None) -> Path:
        if self._size_problem is not None:
            p = self._size_problem
            raise EngineUnavailable(str(p), p.text("id"), problems=[p])
        if self.model_dir is None:
            return models.ensure_whisper_base(ctx)
        problem = _model_files_problem(self.model_dir)
        if problem:
            raise EngineUnavailable(str(problem), problem.text("id"), problems=[problem])
        return self.model_dir

    def load(self, ctx: JobContext | None = None) -> Any:
        """The loaded ``WhisperModel`` (loads it on first use)."""
        with self._lock:
            if self._model is not None:
                return self._model
            folder = self._folder(ctx)
            try:
                from faster_whisper import WhisperModel
            except ImportError as exc:
                raise EngineUnavailable(
                    "faster-whisper is not installed; install it with 'pip install faster-whisper'.",
                    "faster-whisper belum terpasang; pasang dengan 'pip install faster-whisper'.",
                    details=str(exc)) from exc
            try:
                model = WhisperModel(str(folder), device="cpu", compute_type=self.compute_type,
                                     cpu_threads=self.cpu_threads, local_files_only=True)
            except (RuntimeError, ValueError, OSError) as exc:
                raise EngineFailed(
                    f"The Whisper model in {folder} could not be loaded; the folder may be "
                    "damaged or not a CTranslate2 model. Choose another folder in Settings.",
                    f"Model Whisper di {folder} tidak bisa dimuat; folder mungkin rusak atau "
                    "bukan model CTranslate2. Pilih folder lain di Pengaturan.",
                    details=f"{exc.__class__.__name__}: {exc}") from exc
            self._model = model
            self._loaded_from = folder
            self._revision = models.model_sha256(folder)[:12]
            return model

    def unload(self) -> None:
        """Free the model's memory (about 350 MB); the next call loads it again."""
        with self._lock:
            self._model = None
        memory.release()  # ~250 MB stay in glibc's arenas otherwise (longday_bench)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    # ------------------------------------------------------------ work

    def _decode(self, path: Path) -> Any:
        from faster_whisper.audio import decode_audio

        # decode_audio holds the whole file in memory: a 3-hour file is refused from its header first.
        refuse_longer_than(path, MAX_TRANSCRIBE_SECONDS)
        try:
            audio = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
        except Exception as exc:  # noqa: BLE001 - PyAV raises many types for bad files
            raise MediaError(
                f"{path.name} cannot be read as audio; it may be damaged or in an unsupported "
                "format. Try exporting it again as WAV or MP3.",
                f"{path.name} tidak bisa dibaca sebagai audio; mungkin rusak atau formatnya tidak "
                "didukung. Coba ekspor ulang sebagai WAV atau MP3.",
                details=f"{exc.__class__.__name__}: {exc}") from exc
        if len(audio) == 0:
            raise MediaError(f"{path.name} contains no sound (zero length).",
                             f"{path.name} tidak berisi suara (panjang nol).")
        return audio

    def transcribe(self, request: TranscribeRequest, ctx: JobContext) -> Transcript:
        """Transcribe one file with word timestamps.

        Progress is reported in seconds of audio; ``ctx.check()`` runs between
        segments. On cancel, the segments finished so far are attached to the
        ``Cancelled`` as ``partial`` (a Transcript).
        """
        if not request.language:
            raise UsageError(
                "Choose the narration language before transcribing (for example 'id').",
                "Pilih bahasa narasi sebelum mentranskripsi (misalnya 'id').")
        path = Path(request.audio_path)
        if not path.is_file():
            raise MediaError(f"The audio file {path.name} does not exist.",
                             f"Berkas audio {path.name} tidak ada.")
        t0 = time.perf_counter()
        ctx.check()
        audio = self._decode(path)  # a damaged or 3-hour file is refused before the model loads
        model = self.load(ctx)
        duration = len(audio) / SAMPLE_RATE
        vad = duration > VAD_MIN_SECONDS
        language = whisper_language(request.language)
        params: dict[str, Any] = {
            "language": language, "requested_language": request.language, "beam_size": self.beam_size,
            "word_timestamps": request.word_timestamps, "vad_filter": vad,
            "condition_on_previous_text": False, "compute_type": self.compute_type,
            "cpu_threads": self.cpu_threads,
        }
        ctx.progress(0, duration, "Mentranskripsi suara")
        try:
            segments_iter, info = model.transcribe(
                audio, language=language, task="transcribe", beam_size=self.beam_size,
                word_timestamps=request.word_timestamps, vad_filter=vad,
                # Each segment stands alone: conditioning on earlier text lets one
                # misheard phrase snowball into repeated hallucinations.
                condition_on_previous_text=False,
                initial_prompt=request.initial_prompt or None)
        except ValueError as exc:
            raise UsageError(
                f"Whisper does not know the language '{request.language}'. Use a language code "
                "such as 'id' (Indonesian) or 'jv' (Javanese).",
                f"Whisper tidak mengenal bahasa '{request.language}'. Pakai kode bahasa seperti "
                "'id' (Indonesia) atau 'jv' (Jawa).", details=str(exc)) from exc
        segments: list[TranscriptSegment] = []
        words: list[WordTiming] = []

        def result() -> Transcript:
            prov = Provenance(
                engine=KEY, tool=INFO.name, is_ai=True, model=self.model_name,
                model_revision=self._revision, licence=INFO.licence,
                prompt=request.initial_prompt, params=params,
                seconds=time.perf_counter() - t0)
            return Transcript(request.language, duration, tuple(segments), tuple(words), prov)

        try:
            for seg in segments_iter:
                segments.append(TranscriptSegment(float(seg.start), float(seg.end), seg.text.strip()))
                for w in seg.words or ():
                    text = w.word.strip()
                    if text:
                        words.append(WordTiming(text=text, start=round(float(w.start), 3),
                                                end=round(float(max(w.end, w.start)), 3)))
                ctx.progress(min(float(seg.end), duration), duration, "Mentranskripsi suara")
                ctx.check()
        except Cancelled as exc:
            exc.partial = result()
            raise
        except (RuntimeError, MemoryError) as exc:
            raise EngineFailed(
                "Whisper stopped while transcribing; close other programs to free memory and "
                "try again.",
                "Whisper berhenti saat mentranskripsi; tutup program lain agar memori cukup lalu "
                "coba lagi.", details=f"{exc.__class__.__name__}: {exc}") from exc
        ctx.progress(duration, duration, "Transkripsi selesai")
        return result()
