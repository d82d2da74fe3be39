"""espeak-ng voice engine: rule-based (formant) speech with word timings from espeak's events.

Owns the ctypes binding to the ``libespeak-ng`` shipped by the PyPI ``espeakng-loader``
wheel (with its own ``espeak-ng-data``, which includes Indonesian ``id``), the mapping
from a requested speaking rate in words per minute to espeak's rate parameter, and the
word timings taken from espeak's own ``espeakEVENT_WORD`` events. What is spoken is the
script after ``engines.support.text_id.normalize`` (numbers, dates, money, acronyms and regional
spellings said as words); the timings are mapped back onto the script's written words.

espeak-ng is not an AI model (it follows pronunciation rules and drives a formant
synthesiser), so ``info.is_ai`` is False and the AI log records it as a tool.

The C library keeps global state (one voice, one callback), so every call goes
through one module-level lock and the library is initialised once per process.
"""

from __future__ import annotations

import bisect
import ctypes
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from studio.core.errors import EngineFailed, EngineUnavailable, Problem, UsageError
from studio.core.jobs import Cancelled, JobContext
from studio.core.project import WordTiming
from studio.core.settings import Settings
from studio.engines.base import (
    EngineBase,
    EngineInfo,
    Provenance,
    VoiceRequest,
    VoiceResult,
)
from studio.engines.support.text_id import normalize, speakable_text, split_words
from studio.engines.support.wav import write_wav

log = logging.getLogger(__name__)

KEY = "voice.espeak"

# speak_lib.h constants.
_AUDIO_OUTPUT_SYNCHRONOUS = 0x02
_INITIALIZE_DONT_EXIT = 0x8000  # without it espeak calls exit() on a bad data path
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1
_RATE = 1
_PITCH = 3
_EE_OK = 0

ESPEAK_RATE_MIN = 80
ESPEAK_RATE_MAX = 450

RATE_TABLE: tuple[tuple[int, float], ...] = (
    (80, 59.5), (100, 71.0), (120, 86.1), (140, 102.2), (160, 117.2), (175, 129.4),
    (200, 148.2), (225, 167.7), (250, 185.9), (275, 204.1), (300, 222.8), (350, 259.6),
    (400, 293.6), (450, 323.6),
)
"""(espeak rate, measured Indonesian words per minute) for the ``id`` voice.

Measured by ``tests/bench/voice_rate_bench.py``: six two-sentence Indonesian scene
narrations (weton, batik, rendang, ngaben...), words counted as ``core.timeline``
counts them, divided by the trimmed audio length, sentence pauses included, because
that is what a script's word budget has to fit into. Indonesian words are long, so
espeak's nominal rate overstates the real one by about a third.
"""

VOICES: tuple[tuple[str, str, str], ...] = (
    ("id", "Pria (standar)", "Male (standard)"),
    ("id+m3", "Pria (varian)", "Male (variant)"),
    ("id+f2", "Wanita", "Female"),
    ("id+f4", "Wanita, lebih lembut", "Female, softer"),
)
"""Indonesian voice variants offered to the creator: (espeak name, label id, label en)."""

INFO = EngineInfo(
    key=KEY, kind="voice", name="espeak-ng", is_ai=False, licence="GPL-3.0-or-later",
    description_id="Suara sintetis berbasis aturan (bukan AI), bekerja tanpa internet. "
                   "Terdengar seperti robot; cocok untuk draf atau demo.",
    description_en="Rule-based synthetic speech (not AI), works offline. Sounds robotic; "
                   "good for drafts and demos.",
)


def espeak_rate_for(rate_wpm: float) -> int:
    """espeak's rate parameter that gives ``rate_wpm`` real Indonesian words per minute."""
    rates = [r for r, _ in RATE_TABLE]
    wpms = [w for _, w in RATE_TABLE]
    rate = float(np.interp(float(rate_wpm), wpms, rates,
                           left=ESPEAK_RATE_MIN, right=ESPEAK_RATE_MAX))
    return int(round(min(max(rate, ESPEAK_RATE_MIN), ESPEAK_RATE_MAX)))


def words_per_minute(rate_wpm: float) -> float:
    """The real (measured) words per minute espeak speaks when ``rate_wpm`` is requested.

    Equal to the request inside espeak's range (about 60–325 wpm), clamped outside it.
    """
    rate = espeak_rate_for(rate_wpm)
    return float(np.interp(rate, [r for r, _ in RATE_TABLE], [w for _, w in RATE_TABLE]))


# Text hygiene and word tokens are shared by every voice engine (``engines.support.text_id``);
# these names stay importable from here for existing callers.
__all__ = ["EspeakVoiceEngine", "RATE_TABLE", "VOICES", "espeak_rate_for", "speakable_text",
           "split_words", "words_per_minute"]


# ---------------------------------------------------------------- the C library


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    """``espeak_EVENT`` from speak_lib.h."""

    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", _EventId)]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


@dataclass
class _Run:
    """What one synthesis collects through the callback."""

    ctx: JobContext | None
    text_len: int
    chunks: list[np.ndarray] = field(default_factory=list)
    words: list[tuple[int, int]] = field(default_factory=list)
    """(0-based character position, sample index) of each WORD event."""
    aborted: bool = False


class _Espeak:
    """The loaded library; one per process, used only under ``_lock``."""

    def __init__(self) -> None:
        import espeakng_loader

        self.lib = ctypes.CDLL(espeakng_loader.get_library_path())
        self.data_path = espeakng_loader.get_data_path()
        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_Synchronize.restype = ctypes.c_int
        self.sample_rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0,
                                                 self.data_path.encode(), _INITIALIZE_DONT_EXIT)
        if self.sample_rate <= 0:
            raise OSError(f"espeak_Initialize returned {self.sample_rate}")
        self.version = (lib.espeak_Info(None) or b"").decode(errors="replace").split()[0]
        self.run: _Run | None = None
        # Keep a reference: ctypes frees the trampoline if the Python object dies.
        self._callback = _CALLBACK(self._on_synth)
        lib.espeak_SetSynthCallback(self._callback)

    def _on_synth(self, wav, n, events) -> int:  # noqa: ANN001 - ctypes callback
        run = self.run
        if run is None:
            return 0
        try:
            if n > 0 and wav:
                run.chunks.append(np.ctypeslib.as_array(wav, shape=(n,)).copy())
            i = 0
            last_pos = 0
            while events and events[i].type != _EVENT_LIST_TERMINATED:
                ev = events[i]
                if ev.type == _EVENT_WORD:
                    sample = ev.sample if ev.sample > 0 else int(ev.audio_position * self.sample_rate / 1000)
                    run.words.append((ev.text_position - 1, sample))
                    last_pos = ev.text_position
                i += 1
            if run.ctx is not None:
                if run.ctx.cancelled:
                    run.aborted = True
                    return 1  # tells espeak to stop synthesising
                if last_pos:
                    run.ctx.substep(last_pos, max(run.text_len, 1))
        except Exception:  # noqa: BLE001 - an exception must never cross into C
            log.exception("espeak callback failed")
            run.aborted = True
            return 1
        return 0

    def phonemes(self, text: str, voice: str) -> str:
        """IPA phonemes espeak would speak for ``text`` (clause by clause, space-joined)."""
        if self.lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
            return ""
        buf = ctypes.create_string_buffer(text.encode("utf-8"))
        ptr = ctypes.c_void_p(ctypes.addressof(buf))
        out = []
        while ptr.value:
            chunk = self.lib.espeak_TextToPhonemes(ctypes.byref(ptr), _CHARS_UTF8, 0x02)  # IPA
            if chunk:
                out.append(chunk.decode("utf-8", errors="replace"))
        return " ".join(out)

    def has_voice(self, name: str) -> bool:
        return self.lib.espeak_SetVoiceByName(name.encode()) == _EE_OK

    def synthesize(self, text: str, voice: str, rate: int, pitch: int,
                   ctx: JobContext | None) -> _Run:
        lib = self.lib
        if lib.espeak_SetVoiceByName(voice.encode()) != _EE_OK:
            raise EngineFailed(
                f"espeak-ng has no voice called '{voice}'. Choose an Indonesian voice such as 'id'.",
                f"espeak-ng tidak punya suara bernama '{voice}'. Pilih suara Indonesia seperti 'id'.")
        lib.espeak_SetParameter(_RATE, int(rate), 0)
        lib.espeak_SetParameter(_PITCH, int(pitch), 0)
        data = text.encode("utf-8")
        buf = ctypes.create_string_buffer(data)
        run = _Run(ctx, len(text))
        self.run = run
        try:
            err = lib.espeak_Synth(buf, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            lib.espeak_Synchronize()
        finally:
            self.run = None
        if err != _EE_OK and not run.aborted:
            raise EngineFailed(f"espeak-ng could not speak this text (error {err}).",
                               f"espeak-ng tidak bisa mengucapkan teks ini (galat {err}).")
        return run


_lock = threading.Lock()
_instance: _Espeak | None = None
_load_error: str | None = None


def _espeak() -> _Espeak:
    """The initialised library (call with ``_lock`` held)."""
    global _instance, _load_error
    if _instance is None:
        if _load_error is not None:
            raise EngineUnavailable(*_unavailable_texts(), details=_load_error)
        try:
            _instance = _Espeak()
        except (ImportError, OSError, AttributeError, RuntimeError) as exc:
            _load_error = f"{exc.__class__.__name__}: {exc}"
            raise EngineUnavailable(*_unavailable_texts(), details=_load_error) from exc
    return _instance


def _unavailable_texts() -> tuple[str, str]:
    return ("espeak-ng could not be loaded. Reinstall it with 'pip install --force-reinstall "
            "espeakng-loader', or choose another voice engine in Settings.",
            "espeak-ng tidak bisa dimuat. Pasang ulang dengan 'pip install --force-reinstall "
            "espeakng-loader', atau pilih mesin suara lain di Pengaturan.")


# ---------------------------------------------------------------- timing helpers

_FRAME = 0.01  # seconds per envelope frame
_SILENCE_DB = -50.0  # dBFS; espeak's voiced frames sit around -20 dBFS RMS
_KEEP = 0.05  # seconds of silence kept at each end of the file
_SILENCE_AMPLITUDE = 32768 * 10 ** (_SILENCE_DB / 20)


def _voiced_frames(samples: np.ndarray, rate: int) -> np.ndarray:
    """Boolean per 10 ms frame: is anything audible there?"""
    hop = max(1, int(rate * _FRAME))
    n = len(samples) // hop
    if n == 0:
        return np.zeros(0, dtype=bool)
    frames = samples[: n * hop].astype(np.float32).reshape(n, hop) / 32768.0
    rms = np.sqrt(np.mean(frames * frames, axis=1) + 1e-12)
    return 20 * np.log10(rms) > _SILENCE_DB


def _word_timings(tokens: list[tuple[int, int, str]], events: list[tuple[int, int]],
                  rate: int, voiced: np.ndarray, offset: float, duration: float
                  ) -> list[WordTiming]:
    """Start of each token from the first WORD event inside it; end where its voice stops."""
    if not tokens or not events:
        return []
    starts_idx = [t[0] for t in tokens]
    first: dict[int, float] = {}
    for pos, sample in events:
        i = bisect.bisect_right(starts_idx, pos) - 1
        if i < 0:
            i = 0
        if pos >= tokens[i][1] and i + 1 < len(tokens):
            i += 1  # a position in the gap between tokens belongs to the next one
        t = sample / rate - offset
        if i not in first or t < first[i]:
            first[i] = t
    starts: list[float | None] = [first.get(i) for i in range(len(tokens))]
    # Tokens espeak gave no event for (rare) share the time around them by length.
    known = [i for i, s in enumerate(starts) if s is not None]
    for i in range(len(tokens)):
        if starts[i] is not None:
            continue
        prev = max((k for k in known if k < i), default=None)
        nxt = min((k for k in known if k > i), default=None)
        lo = starts[prev] if prev is not None else 0.0
        hi = starts[nxt] if nxt is not None else duration
        a = prev if prev is not None else -1
        b = nxt if nxt is not None else len(tokens)
        starts[i] = lo + (hi - lo) * (i - a) / (b - a)
    clean: list[float] = []
    for s in starts:
        s = min(max(float(s), 0.0), duration)
        clean.append(max(s, clean[-1]) if clean else s)
    words: list[WordTiming] = []
    for i, (_, _, tok) in enumerate(tokens):
        start = clean[i]
        nominal = clean[i + 1] if i + 1 < len(tokens) else duration
        # Walk back over the pause before the next word so the word ends with its sound.
        lo = max(0, int((start + offset) / _FRAME))
        # Only frames wholly before the next word: the frame it starts in is voiced by it.
        hi = min(int((nominal + offset) / _FRAME), len(voiced))
        seg = np.nonzero(voiced[lo:hi])[0]
        end = nominal
        if len(seg):
            end = min(nominal, (lo + seg[-1] + 1) * _FRAME - offset + 0.02)
        end = min(max(end, start + 0.01), duration) if start < duration else duration
        words.append(WordTiming(text=tok, start=round(start, 3), end=round(max(end, start), 3)))
    return words


# ---------------------------------------------------------------- the engine


class EspeakVoiceEngine(EngineBase):
    """Indonesian speech from espeak-ng, with word timings from espeak's events."""

    info = INFO
    controls: tuple[str, ...] = ("rate", "pitch", "variant")
    """What the creator can set for this engine (the voice page shows these)."""

    @classmethod
    def from_settings(cls, settings: Settings) -> "EspeakVoiceEngine":
        return cls()

    def variants(self) -> list[tuple[str, str, str]]:
        """Voice variants: (value for ``VoiceRequest.voice``, Indonesian label, English label)."""
        return list(VOICES)

    def preflight(self) -> list[Problem]:
        """The library loads and has an Indonesian voice (no synthesis, no network)."""
        try:
            with _lock:
                ok = _espeak().has_voice("id")
        except EngineUnavailable as exc:
            return [Problem(exc.message, exc.message_id)]
        if not ok:
            return [Problem("espeak-ng is installed without its Indonesian voice; reinstall "
                            "espeakng-loader.",
                            "espeak-ng terpasang tanpa suara bahasa Indonesia; pasang ulang "
                            "espeakng-loader.")]
        return []

    def version(self) -> str:
        with _lock:
            return _espeak().version

    def phonemes(self, text: str, voice: str = "id", *, language: str = "id") -> str:
        """The IPA phonemes this engine speaks for ``text`` after normalising it (for
        checking pronunciation without listening)."""
        spoken = normalize(text, language).spoken
        with _lock:
            return _espeak().phonemes(spoken, voice)

    @staticmethod
    def words_per_minute(rate_wpm: float) -> float:
        """The measured words per minute for a requested rate (see ``RATE_TABLE``)."""
        return words_per_minute(rate_wpm)

    def synthesize(self, request: VoiceRequest, out_path: Path, ctx: JobContext) -> VoiceResult:
        """Speak ``request.text`` into a 16-bit mono WAV at ``out_path``.

        Leading and trailing silence is trimmed to 50 ms; word timings are relative to
        the start of the written file.

        Raises:
            UsageError: nothing speakable in the text.
            EngineFailed: espeak-ng produced no audio.
            Cancelled: the user cancelled (nothing is written).
        """
        t0 = time.perf_counter()
        speech = normalize(request.text, request.language)
        if not speech.written:
            raise UsageError("This scene has no words to speak; write its narration first.",
                             "Adegan ini tidak punya kata untuk diucapkan; tulis narasinya dulu.")
        text = speech.spoken
        tokens = split_words(text)
        voice = request.voice or request.language or "id"
        rate = espeak_rate_for(request.rate_wpm)
        pitch = int(min(max(request.pitch, 0), 100))
        ctx.check()
        with _lock:
            engine = _espeak()
            run = engine.synthesize(text, voice, rate, pitch, ctx)
            sr = engine.sample_rate
            version = engine.version
        if run.aborted:
            ctx.check()
            raise Cancelled(ctx.step)
        audio = np.concatenate(run.chunks) if run.chunks else np.zeros(0, dtype=np.int16)
        voiced = _voiced_frames(audio, sr)
        idx = np.nonzero(voiced)[0]
        if len(idx) == 0:
            raise EngineFailed("espeak-ng produced no sound for this text.",
                               "espeak-ng tidak menghasilkan suara untuk teks ini.")
        # Trim at sample precision (frames would move every time by 10 ms steps).
        loud = np.nonzero(np.abs(audio.astype(np.int32)) > _SILENCE_AMPLITUDE)[0]
        keep = int(_KEEP * sr)
        first = int(loud[0]) - keep if len(loud) else int(idx[0] * _FRAME * sr) - keep
        last = int(loud[-1]) + 1 + keep if len(loud) else int((idx[-1] + 1) * _FRAME * sr) + keep
        # Exactly 50 ms of silence at each end: espeak sometimes starts on its first sample.
        lead = np.zeros(max(0, -first), dtype=np.int16)
        tail = np.zeros(max(0, last - len(audio)), dtype=np.int16)
        trimmed = np.concatenate([lead, audio[max(0, first):min(len(audio), last)], tail])
        duration = len(trimmed) / sr
        spoken_words = _word_timings(tokens, run.words, sr, voiced, first / sr, duration)
        words = speech.written_timings([(tok[0], w) for tok, w in zip(tokens, spoken_words)]) \
            if spoken_words else []
        write_wav(out_path, trimmed.astype(np.int16), sr)
        prov = Provenance(
            engine=KEY, tool="espeak-ng", is_ai=False, model=f"espeak-ng {voice}",
            model_revision=version, licence=INFO.licence, prompt=text,
            params={"voice": voice, "language": request.language, "rate_wpm": request.rate_wpm,
                    "espeak_rate": rate, "pitch": pitch,
                    "measured_wpm": round(words_per_minute(request.rate_wpm), 1),
                    "normalised": speech.changed},
            seconds=time.perf_counter() - t0,
            note="Suara sintetis berbasis aturan (espeak-ng), bukan model AI.")
        return VoiceResult(Path(out_path), duration, sr, tuple(words), prov)
