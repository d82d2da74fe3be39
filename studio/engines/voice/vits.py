"""Neural Indonesian voice through transformers' VITS (Meta's MMS-TTS ``ind``), from a local folder.

Owns loading a VITS folder (``VitsModel`` + ``VitsTokenizer``, ``local_files_only``),
synthesising one scene phrase by phrase, and word timings taken from the model's own
predicted durations: VITS decides how many spectrogram frames each input character
lasts, so the frames of a word's characters say exactly when it is spoken.

Where the model comes from: ``settings.models.mms_tts`` (a folder the creator chose),
else the app's model folder / Hugging Face cache as the model manager finds
``mms-tts-ind``. Nothing is downloaded here: ``preflight`` says how to get the model
(``studio models download mms-tts-ind``, which shows its progress, or a folder copied
from a USB stick). MMS-TTS is licensed **CC-BY-NC 4.0 (non-commercial)**; the licence
goes into every AI-log record this engine writes.

MMS-TTS reads lower-case letters only: the normaliser (``engines.support.text_id``) turns
numbers, dates and acronyms into words first, and because its vocabulary has no
punctuation, sentences and clauses are synthesised separately and joined with short
pauses (otherwise a paragraph comes out as one breathless run). torch and transformers
are imported only inside methods.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.errors import EngineFailed, EngineUnavailable, Problem, UsageError
from studio.core.jobs import JobContext
from studio.core.project import WordTiming
from studio.core.settings import Settings
from studio.engines.base import (
    EngineBase,
    EngineInfo,
    Provenance,
    VoiceRequest,
    VoiceResult,
)
from studio.engines.support import memory
from studio.engines.support.text_id import normalize, split_words
from studio.engines.support.wav import write_wav

log = logging.getLogger(__name__)

KEY = "voice.vits"
MODEL_ID = "mms-tts-ind"
DEFAULT_LICENCE = "CC-BY-NC-4.0"
NOMINAL_WPM = 150.0
"""Words per minute taken as MMS-TTS's own pace (speaking_rate 1.0). Not measured here
(the model cannot be downloaded on the build machines): a requested rate is turned into
``speaking_rate = rate / NOMINAL_WPM``, and the real length comes from the audio."""
RATE_LIMITS = (0.6, 1.6)
SENTENCE_PAUSE = 0.32
CLAUSE_PAUSE = 0.14
_EDGE = 0.05
_PHRASE_END = re.compile(r"([.!?…]+|[,;:])[\"'”’»)\]]*$")

INFO = EngineInfo(
    key=KEY, kind="voice", name="MMS-TTS (VITS)", is_ai=True, licence=DEFAULT_LICENCE,
    description_id="Suara bahasa Indonesia dari model AI (Meta MMS-TTS), berjalan di komputer ini. "
                   "Lebih alami daripada espeak-ng. Lisensi model: CC-BY-NC 4.0 (non-komersial).",
    description_en="Indonesian speech from an AI model (Meta MMS-TTS) running on this computer. More "
                   "natural than espeak-ng. Model licence: CC-BY-NC 4.0 (non-commercial).",
)

def _missing(model_id: str = MODEL_ID) -> Problem:
    """The voice ``model_id`` is not here: how to get it (a regional voice names its language)."""
    from studio.core.languages import LANGUAGES

    lang = next((lang for lang in LANGUAGES if lang.voice_model == model_id), None)
    en = lang.name_en if lang else "Indonesian"
    idn = lang.name_id if lang else "Bahasa Indonesia"
    return Problem(
        f"The MMS-TTS {en} voice is not on this computer. Download it (about 145 MB, shown with "
        f"progress) with 'studio models download {model_id}' or in Settings → Models, or choose a "
        "folder that holds it (for example copied from a USB stick) in Settings.",
        f"Suara MMS-TTS {idn} belum ada di komputer ini. Unduh (sekitar 145 MB, dengan "
        f"kemajuan terlihat) dengan 'studio models download {model_id}' atau di Pengaturan → Model, "
        "atau pilih folder yang berisinya (misalnya salinan dari flashdisk) di Pengaturan.")


def _missing_libs() -> list[Problem]:
    out = []
    for module, pip in (("torch", "torch"), ("transformers", "transformers")):
        if importlib.util.find_spec(module) is None:
            out.append(Problem(f"The Python package {module} is not installed; install it with "
                               f"'pip install {pip}'.",
                               f"Paket Python {module} belum terpasang; pasang dengan 'pip install {pip}'."))
    return out


def _folder_problems(folder: Path) -> list[Problem]:
    """Why ``folder`` is not a VITS voice ([] when it looks whole). Cheap: nothing is read."""
    if not folder.is_dir():
        return [Problem(f"The voice model folder {folder} does not exist. Choose another folder in "
                        "Settings.",
                        f"Folder model suara {folder} tidak ada. Pilih folder lain di Pengaturan.")]
    missing = [n for n in ("config.json", "vocab.json") if not (folder / n).is_file()]
    if not any(folder.glob("*.safetensors")) and not any(folder.glob("*.bin")):
        missing.append("model.safetensors")
    if missing:
        return [Problem(f"The voice model folder {folder} is incomplete (missing {', '.join(missing)}). "
                        "It must be a transformers VITS folder such as facebook/mms-tts-ind.",
                        f"Folder model suara {folder} tidak lengkap (tidak ada {', '.join(missing)}). "
                        "Folder itu harus berisi model VITS transformers seperti facebook/mms-tts-ind.")]
    return []


def voice_model_for(language_tag: str) -> str:
    """The catalogue id of the MMS-TTS voice that reads ``language_tag``.

    Raises:
        EngineUnavailable: no voice model reads that language (the creator records it instead).
    """
    from studio.core.languages import language, language_name

    lang = language(language_tag or "id")
    if lang is None or not lang.voice_model:
        en, idn = language_name(language_tag, "en"), language_name(language_tag, "id")
        raise EngineUnavailable(
            f"No voice model the app knows reads {en}. Record the narration yourself on the Voice "
            "page (Record or Import), or choose another narration language.",
            f"Belum ada model suara yang bisa membaca {idn}. Rekam narasinya sendiri di langkah "
            "Suara (Rekam atau Impor), atau pilih bahasa narasi lain.")
    return lang.voice_model


def find_model_folder(settings: Settings | None = None, model_id: str = MODEL_ID) -> Path | None:
    """Where the MMS-TTS model ``model_id`` is on this computer (the model manager's places), or None."""
    try:
        from studio.engines.models import manager as model_manager
        from studio.engines.models.catalog import get_spec
    except ImportError:  # an older checkout without the model manager
        return None
    try:
        spec = get_spec(model_id)
    except Exception:  # noqa: BLE001 - a catalogue without this model: nothing found
        return None
    for loc in model_manager.locate(spec, settings):
        if loc.ok:
            return Path(loc.path)
    return None


def _licence_and_revision(folder: Path) -> tuple[str, str]:
    """The model card's licence (MMS-TTS's when the card has none) and a config hash."""
    try:
        from studio.engines.models.folders import config_revision, folder_licence
    except ImportError:
        return DEFAULT_LICENCE, ""
    licence = folder_licence(folder, default="")
    if not licence:
        licence = DEFAULT_LICENCE if "mms" in folder.as_posix().lower() else "lihat kartu model"
    # Small files only: hashing the weights would read 145 MB on every load.
    return licence, config_revision(folder, ("config.json", "vocab.json", "tokenizer_config.json"))


def _phrases(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, float]]:
    """Split spoken tokens into phrases: (first token, end token, pause after in seconds)."""
    out: list[tuple[int, int, float]] = []
    start = 0
    for i, (_, _, tok) in enumerate(tokens):
        m = _PHRASE_END.search(tok)
        if m is None and i + 1 < len(tokens):
            continue
        pause = 0.0
        if m is not None and i + 1 < len(tokens):
            pause = SENTENCE_PAUSE if m.group(1)[0] in ".!?…" else CLAUSE_PAUSE
        out.append((start, i + 1, pause))
        start = i + 1
    return out


@dataclass
class _Loaded:
    model: Any
    tokenizer: Any
    folder: Path
    sample_rate: int
    hop: int
    revision: str
    licence: str


class VitsVoiceEngine(EngineBase):
    """Indonesian speech from a transformers VITS model (MMS-TTS ``ind``) in a local folder."""

    info = INFO
    controls: tuple[str, ...] = ("rate",)
    """What the creator can set for this engine (no pitch: VITS has no pitch control)."""

    def __init__(self, model_dir: str | Path | None = None, *, settings: Settings | None = None,
                 threads: int = 1, seed: int = 1234) -> None:
        self.model_dir = Path(model_dir).expanduser() if model_dir else None
        self.settings = settings
        self.threads = max(1, int(threads))
        self.seed = int(seed)
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()
        self.model_id = MODEL_ID
        """Which language's checkpoint ``folder`` finds (the request's language chooses it).
        ``model_dir`` (the folder chosen in Settings) is the Indonesian voice's: another
        language's checkpoint is looked up in the model folders by its catalogue id."""

    @classmethod
    def from_settings(cls, settings: Settings) -> "VitsVoiceEngine":
        return cls(settings.models.mms_tts or None, settings=settings,
                   threads=getattr(settings, "torch_threads", 1) or 1)

    def variants(self) -> list[tuple[str, str, str]]:
        """MMS-TTS ``ind`` has one voice."""
        return []

    # ------------------------------------------------------------ where the model is

    def folder(self) -> Path | None:
        if self.model_dir is not None and self.model_id == MODEL_ID:
            try:
                from studio.engines.models.folders import snapshot_of

                return snapshot_of(self.model_dir)
            except ImportError:
                return self.model_dir
        return find_model_folder(self.settings, self.model_id)

    def use_language(self, language_tag: str) -> None:
        """Switch to the checkpoint that reads ``language_tag`` (unloading another one)."""
        wanted = voice_model_for(language_tag)
        if wanted != self.model_id:
            self.unload()
            self.model_id = wanted

    def preflight(self) -> list[Problem]:
        """torch and transformers are installed and a VITS folder is there (nothing is loaded)."""
        problems = _missing_libs()
        folder = self.folder()
        if folder is None:
            problems.append(_missing(self.model_id))
        else:
            problems += _folder_problems(folder)
        return problems

    # ------------------------------------------------------------ loading

    def load(self, ctx: JobContext | None = None) -> _Loaded:
        if ctx is not None:
            ctx.check()
        with self._lock:
            if self._loaded is not None:
                return self._loaded
            self._raise_unless_ready()
            folder = self.folder()
            assert folder is not None
            import torch
            from transformers import VitsModel, VitsTokenizer

            torch.set_num_threads(self.threads)
            try:
                tokenizer = VitsTokenizer.from_pretrained(str(folder), local_files_only=True)
                model = VitsModel.from_pretrained(str(folder), local_files_only=True)
            except (OSError, ValueError, RuntimeError) as exc:
                raise EngineFailed(
                    f"The voice model in {folder} could not be loaded; the folder may be damaged. "
                    "Download it again or choose another folder in Settings.",
                    f"Model suara di {folder} tidak bisa dimuat; folder mungkin rusak. Unduh ulang "
                    "atau pilih folder lain di Pengaturan.",
                    details=f"{exc.__class__.__name__}: {exc}") from exc
            model.eval()
            if getattr(tokenizer, "phonemize", False) or getattr(tokenizer, "is_uroman", False):
                log.info("VITS tokenizer in %s phonemizes/romanizes: no word timings from durations", folder)
            licence, revision = _licence_and_revision(folder)
            self._loaded = _Loaded(
                model=model, tokenizer=tokenizer, folder=folder,
                sample_rate=int(model.config.sampling_rate), hop=int(np.prod(model.config.upsample_rates)),
                revision=revision, licence=licence)
            return self._loaded

    def unload(self) -> None:
        with self._lock:
            self._loaded = None
        memory.release()  # give the freed pages back to the OS

    # ------------------------------------------------------------ synthesis

    def _phrase_audio(self, m: _Loaded, text: str, speaking_rate: float
                      ) -> tuple[np.ndarray, list[tuple[int, int]] | None]:
        """Audio of one phrase, and the sample span of each of its words (None if unknown)."""
        import torch

        words = text.split()
        prepared = m.tokenizer.prepare_for_tokenization(text)[0]
        inputs = m.tokenizer(text, return_tensors="pt")
        ids = inputs["input_ids"]
        if ids.shape[-1] <= 1 or not prepared.strip():
            return np.zeros(0, dtype=np.float32), None
        captured: dict[str, Any] = {}

        def hook(_module, _inputs, output) -> None:  # noqa: ANN001 - torch hook signature
            captured["log_duration"] = output

        handle = m.model.duration_predictor.register_forward_hook(hook)
        try:
            with torch.random.fork_rng(devices=[]), torch.inference_mode():
                torch.manual_seed(self.seed)
                out = m.model(**inputs, speaking_rate=speaking_rate)
        finally:
            handle.remove()
        length = int(out.sequence_lengths[0])
        audio = out.waveform[0, :length].float().cpu().numpy()
        log_duration = captured.get("log_duration")
        if log_duration is None:
            return audio, None
        # The same arithmetic VitsModel.forward uses to expand the text to frames.
        frames = torch.ceil(torch.exp(log_duration) / speaking_rate)[0, 0].cpu().numpy().astype(np.int64)
        return audio, self._word_spans(m, prepared, words, frames, len(audio))

    @staticmethod
    def _word_spans(m: _Loaded, prepared: str, words: list[str], frames: np.ndarray,
                    n_samples: int) -> list[tuple[int, int]] | None:
        """Sample span of each word from per-token frame counts (None if the text does not map)."""
        tok = m.tokenizer
        if getattr(tok, "phonemize", False):
            return None
        blank = bool(getattr(tok, "add_blank", True))
        if len(frames) != (2 * len(prepared) + 1 if blank else len(prepared)):
            return None
        ends = np.cumsum(frames) * m.hop
        starts = ends - frames * m.hop
        spans: list[tuple[int, int]] = []
        cursor = 0
        for word in words:
            said = tok.prepare_for_tokenization(word)[0].strip()
            if not said:
                spans.append((spans[-1][1] if spans else 0, spans[-1][1] if spans else 0))
                continue
            at = prepared.find(said, cursor)
            if at < 0:
                return None
            first, last = at, at + len(said) - 1
            cursor = last + 1
            a = 2 * first + 1 if blank else first
            b = 2 * last + 1 if blank else last
            spans.append((int(min(starts[a], n_samples)), int(min(ends[b], n_samples))))
        return spans

    def synthesize(self, request: VoiceRequest, out_path: Path, ctx: JobContext) -> VoiceResult:
        """Speak ``request.text`` into a 16-bit mono WAV at ``out_path``, phrase by phrase.

        Raises:
            UsageError: nothing speakable in the text.
            EngineUnavailable: the model or its libraries are missing (nothing downloads).
            Cancelled: between phrases (nothing is written).
        """
        t0 = time.perf_counter()
        speech = normalize(request.text, request.language)
        if not speech.written:
            raise UsageError("This scene has no words to speak; write its narration first.",
                             "Adegan ini tidak punya kata untuk diucapkan; tulis narasinya dulu.")
        ctx.check()
        self.use_language(request.language)
        m = self.load()
        tokens = split_words(speech.spoken)
        rate = float(np.clip(float(request.rate_wpm or NOMINAL_WPM) / NOMINAL_WPM, *RATE_LIMITS))
        sr = m.sample_rate
        parts: list[np.ndarray] = [np.zeros(int(_EDGE * sr), dtype=np.float32)]
        offset = len(parts[0])
        timed: list[tuple[int, WordTiming]] = []
        phrases = _phrases(tokens)
        for n, (a, b, pause) in enumerate(phrases):
            ctx.check()
            ctx.substep(n, len(phrases))
            text = " ".join(tok for _, _, tok in tokens[a:b])
            try:
                audio, spans = self._phrase_audio(m, text, rate)
            except (RuntimeError, ValueError) as exc:
                raise EngineFailed("The voice model could not speak this text.",
                                   "Model suara tidak bisa mengucapkan teks ini.",
                                   details=f"{exc.__class__.__name__}: {exc}") from exc
            if spans is not None and len(spans) == b - a:
                for (pos, _, tok), (s0, s1) in zip(tokens[a:b], spans):
                    timed.append((pos, WordTiming(text=tok, start=round((offset + s0) / sr, 3),
                                                  end=round((offset + s1) / sr, 3))))
            parts.append(audio.astype(np.float32))
            offset += len(audio)
            if pause:
                parts.append(np.zeros(int(pause * sr), dtype=np.float32))
                offset += int(pause * sr)
        ctx.check()
        parts.append(np.zeros(int(_EDGE * sr), dtype=np.float32))
        samples = np.concatenate(parts)
        if not np.any(np.abs(samples) > 1e-4):
            raise EngineFailed("The voice model produced no sound for this text.",
                               "Model suara tidak menghasilkan suara untuk teks ini.")
        peak = float(np.max(np.abs(samples)))
        if peak > 1.0:
            samples = samples / peak  # VITS can overshoot; never clip
        duration = len(samples) / sr
        # Words of phrases whose characters did not map keep no timing; then none do (Whisper times them).
        words = speech.written_timings(timed) if len(timed) == len(tokens) else []
        write_wav(out_path, samples, sr)
        ctx.substep(len(phrases), max(1, len(phrases)))
        prov = Provenance(
            engine=KEY, tool=INFO.name, is_ai=True, model=m.folder.name, model_revision=m.revision,
            licence=m.licence, prompt=speech.spoken,
            params={"language": request.language, "rate_wpm": request.rate_wpm, "speaking_rate": round(rate, 3),
                    "seed": self.seed, "phrases": len(phrases), "normalised": speech.changed,
                    "word_timings": "durations" if words else "none"},
            seed=self.seed, seconds=time.perf_counter() - t0,
            note=f"Suara AI MMS-TTS (VITS) dari {m.folder.name}; lisensi model {m.licence}"
                 + (" (non-komersial)." if "NC" in m.licence.upper() else "."))
        return VoiceResult(Path(out_path), duration, sr, tuple(words), prov)


__all__ = ["KEY", "VitsVoiceEngine", "find_model_folder"]

