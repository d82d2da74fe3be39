"""Piper voices (``.onnx`` + ``.onnx.json``) chosen by the creator, through the piper-tts package.

Owns finding the voice file (``settings.models.piper_voice``: the ``.onnx`` file or a
folder holding one; else a Piper voice the model manager prepared), loading it once,
synthesising sentence by sentence (cancel between sentences) and word timings from
Piper's phoneme alignments when the voice provides them: Piper can report how many
samples each phoneme lasts (the ``onnx`` package patches the model in memory for
that), and the space phonemes between words give each word's span. When the
alignments are missing or do not line up with the words, no timings are returned and
the subtitle step times the words with Whisper instead (never a guess passed off as
the engine's own events).

The text is normalised for Indonesian first (``engines.support.text_id``) when the project is
in Indonesian or a regional language, whatever the voice. piper is imported only
inside methods.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.core.errors import EngineFailed, Problem, UsageError
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
from studio.engines.support.text_id import normalize, split_words
from studio.engines.support.wav import write_wav

log = logging.getLogger(__name__)

KEY = "voice.piper"
NOMINAL_WPM = 140.0
"""Words per minute at ``length_scale`` 1.0: measured 134–143 wpm for a medium Piper
voice on Indonesian text (research notes); a requested rate scales ``length_scale``."""
RATE_LIMITS = (0.6, 1.7)
_EDGE = 0.05
_PUNCT_PHONEMES = set(".,;:!?¡¿—…\"«»“”()'-")

INFO = EngineInfo(
    key=KEY, kind="voice", name="Piper", is_ai=True,
    licence="GPL-3.0-or-later (piper-tts); the voice: see its model card",
    description_id="Suara AI Piper dari berkas suara (.onnx) yang Anda pilih, berjalan di komputer ini "
                   "tanpa internet.",
    description_en="Piper AI speech from a voice file (.onnx) you choose, running on this computer "
                   "without internet.",
)


def _problem_missing_file() -> Problem:
    return Problem(
        "No Piper voice is chosen. Choose a Piper voice file (.onnx, with its .onnx.json beside it) in "
        "Settings, for example an Indonesian voice copied from a USB stick.",
        "Belum ada suara Piper yang dipilih. Pilih berkas suara Piper (.onnx, dengan .onnx.json di "
        "sebelahnya) di Pengaturan, misalnya suara bahasa Indonesia yang disalin dari flashdisk.")


def find_voice_file(path: Path) -> Path | None:
    """The ``.onnx`` voice at ``path`` (a file, or the first one with a config in a folder)."""
    path = Path(path).expanduser()
    if path.is_file():
        return path
    if path.is_dir():
        for onnx in sorted(path.rglob("*.onnx")):
            if Path(f"{onnx}.json").is_file() or onnx.with_suffix(".json").is_file():
                return onnx
    return None


def config_path_for(onnx: Path) -> Path:
    beside = Path(f"{onnx}.json")
    return beside if beside.is_file() else onnx.with_suffix(".json")


def voice_problems(path: Path) -> list[Problem]:
    """Why ``path`` is not a usable Piper voice ([] when it is). Reads only the small JSON."""
    onnx = find_voice_file(path)
    if onnx is None:
        return [Problem(f"{path} is not a Piper voice: choose the .onnx file (its .onnx.json must be "
                        "beside it).",
                        f"{path} bukan suara Piper: pilih berkas .onnx (berkas .onnx.json harus ada di "
                        "sebelahnya).")]
    config = config_path_for(onnx)
    if not config.is_file():
        return [Problem(f"The Piper voice {onnx.name} has no {onnx.name}.json beside it; copy both files.",
                        f"Suara Piper {onnx.name} tidak punya {onnx.name}.json di sebelahnya; salin "
                        "kedua berkas.")]
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
        int(data["audio"]["sample_rate"])
        dict(data["phoneme_id_map"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [Problem(f"{config.name} is not a Piper voice configuration ({exc.__class__.__name__}).",
                        f"{config.name} bukan konfigurasi suara Piper ({exc.__class__.__name__}).")]
    return []


def _card_licence(folder: Path) -> str:
    for name in ("MODEL_CARD", "MODEL_CARD.md", "README.md"):
        card = folder / name
        if card.is_file():
            m = re.search(r"licen[cs]e\s*[:=]\s*([^\n]+)", card.read_text(encoding="utf-8", errors="replace"),
                          re.IGNORECASE)
            if m:
                return m.group(1).strip().strip("*` ")
    return "lihat kartu model"


@dataclass
class _Loaded:
    voice: Any
    path: Path
    config: dict[str, Any]
    alignments: bool
    revision: str
    licence: str

    @property
    def sample_rate(self) -> int:
        return int(self.config["audio"]["sample_rate"])

    @property
    def language(self) -> str:
        lang = self.config.get("language") or {}
        return str(lang.get("code") or (self.config.get("espeak") or {}).get("voice") or "")


class PiperVoiceEngine(EngineBase):
    """Speech from a Piper voice file the creator chose."""

    info = INFO
    controls: tuple[str, ...] = ("rate", "variant")
    """Rate, and the speaker of a multi-speaker voice (no pitch control in Piper)."""

    def __init__(self, voice_path: str | Path | None = None, *, settings: Settings | None = None,
                 alignments: bool = True) -> None:
        self.voice_path = Path(voice_path).expanduser() if voice_path else None
        self.settings = settings
        self.want_alignments = alignments
        self._loaded: _Loaded | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> "PiperVoiceEngine":
        return cls(settings.models.piper_voice or None, settings=settings)

    def _path(self) -> Path | None:
        if self.voice_path is not None:
            return self.voice_path
        try:
            from studio.engines.models import manager as model_manager
            from studio.engines.models.catalog import catalog

            for spec in catalog().values():
                if spec.engine == KEY:
                    for loc in model_manager.locate(spec, self.settings):
                        if loc.ok and find_voice_file(loc.path) is not None:
                            return Path(loc.path)
        except Exception:  # noqa: BLE001 - no model manager or catalogue: nothing found
            return None
        return None

    def preflight(self) -> list[Problem]:
        """piper-tts is installed and a voice file with its config is chosen (nothing is loaded)."""
        problems: list[Problem] = []
        if importlib.util.find_spec("piper") is None:
            problems.append(Problem("piper-tts is not installed; install it with 'pip install piper-tts'.",
                                    "piper-tts belum terpasang; pasang dengan 'pip install piper-tts'."))
        path = self._path()
        if path is None:
            problems.append(_problem_missing_file())
        else:
            problems += voice_problems(path)
        return problems

    def speakers(self) -> list[str]:
        """Speaker names of a multi-speaker voice ([] for a single-speaker one)."""
        path = self._path()
        onnx = find_voice_file(path) if path else None
        if onnx is None:
            return []
        try:
            data = json.loads(config_path_for(onnx).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        return list((data.get("speaker_id_map") or {}).keys())

    def unload(self) -> None:
        with self._lock:
            self._loaded = None

    def variants(self) -> list[tuple[str, str, str]]:
        """The speakers of a multi-speaker voice as (value, label id, label en)."""
        return [(name, name, name) for name in self.speakers()]

    def load(self, ctx: JobContext | None = None) -> _Loaded:
        if ctx is not None:
            ctx.check()
        with self._lock:
            if self._loaded is not None:
                return self._loaded
            self._raise_unless_ready()
            path = self._path()
            assert path is not None
            onnx = find_voice_file(path)
            assert onnx is not None
            from piper import PiperVoice

            config = config_path_for(onnx)
            use_alignments = self.want_alignments and importlib.util.find_spec("onnx") is not None
            try:
                voice = PiperVoice.load(onnx, config_path=config, include_alignments=use_alignments)
            except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types for bad files
                raise EngineFailed(
                    f"The Piper voice {onnx.name} could not be loaded; the file may be damaged. Copy it "
                    "again or choose another voice in Settings.",
                    f"Suara Piper {onnx.name} tidak bisa dimuat; berkas mungkin rusak. Salin ulang atau "
                    "pilih suara lain di Pengaturan.", details=f"{exc.__class__.__name__}: {exc}") from exc
            data = json.loads(config.read_text(encoding="utf-8"))
            import hashlib

            revision = hashlib.sha256(config.read_bytes()).hexdigest()[:12]
            self._loaded = _Loaded(voice, onnx, data, use_alignments, revision, _card_licence(onnx.parent))
            return self._loaded

    def voice_language(self) -> str:
        """The voice's language code as its config states it (``id_ID``, ``en_US``...)."""
        path = self._path()
        onnx = find_voice_file(path) if path else None
        if onnx is None:
            return ""
        try:
            data = json.loads(config_path_for(onnx).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        return str((data.get("language") or {}).get("code") or (data.get("espeak") or {}).get("voice") or "")

    @staticmethod
    def _chunk_words(chunk: Any, offset: int) -> list[tuple[int, int]] | None:
        """Sample span of each phoneme word of one sentence chunk, from its alignments."""
        alignments = getattr(chunk, "phoneme_alignments", None)
        if not alignments:
            return None
        spans: list[tuple[int, int]] = []
        pos = offset
        current: list[int] | None = None
        for a in alignments:
            n = int(a.num_samples)
            ph = a.phoneme
            if ph == " " or ph in ("^", "$") or all(c in _PUNCT_PHONEMES for c in ph):
                if current is not None:
                    spans.append((current[0], current[1]))
                    current = None
            else:
                if current is None:
                    current = [pos, pos + n]
                else:
                    current[1] = pos + n
            pos += n
        if current is not None:
            spans.append((current[0], current[1]))
        return spans

    def synthesize(self, request: VoiceRequest, out_path: Path, ctx: JobContext) -> VoiceResult:
        """Speak ``request.text`` with the chosen Piper voice into a 16-bit mono WAV."""
        t0 = time.perf_counter()
        speech = normalize(request.text, request.language)
        if not speech.written:
            raise UsageError("This scene has no words to speak; write its narration first.",
                             "Adegan ini tidak punya kata untuk diucapkan; tulis narasinya dulu.")
        ctx.check()
        m = self.load()
        from piper import SynthesisConfig

        rate = float(np.clip(float(request.rate_wpm or NOMINAL_WPM) / NOMINAL_WPM, *RATE_LIMITS))
        base_scale = float((m.config.get("inference") or {}).get("length_scale", 1.0) or 1.0)
        speaker_map = m.config.get("speaker_id_map") or {}
        speaker = speaker_map.get(request.voice) if request.voice in speaker_map else None
        syn = SynthesisConfig(length_scale=base_scale / rate, speaker_id=speaker)
        sr = m.sample_rate
        edge = int(_EDGE * sr)
        parts = [np.zeros(edge, dtype=np.float32)]
        offset = edge
        spans: list[tuple[int, int]] = []
        aligned = m.alignments
        sentences = max(1, speech.spoken.count(".") + speech.spoken.count("!") + speech.spoken.count("?"))
        try:
            for n, chunk in enumerate(m.voice.synthesize(speech.spoken, syn_config=syn,
                                                         include_alignments=m.alignments)):
                ctx.check()
                ctx.substep(min(n + 1, sentences), sentences)
                audio = np.asarray(chunk.audio_float_array, dtype=np.float32)
                if aligned:
                    found = self._chunk_words(chunk, offset)
                    if found is None:
                        aligned = False
                    else:
                        spans += found
                parts.append(audio)
                offset += len(audio)
        except (RuntimeError, ValueError) as exc:
            raise EngineFailed("The Piper voice could not speak this text.",
                               "Suara Piper tidak bisa mengucapkan teks ini.",
                               details=f"{exc.__class__.__name__}: {exc}") from exc
        ctx.check()
        parts.append(np.zeros(edge, dtype=np.float32))
        samples = np.concatenate(parts)
        if not np.any(np.abs(samples) > 1e-4):
            raise EngineFailed("The Piper voice produced no sound for this text.",
                               "Suara Piper tidak menghasilkan suara untuk teks ini.")
        tokens = split_words(speech.spoken)
        words: list[WordTiming] = []
        if aligned and len(spans) == len(tokens):
            timed = [(pos, WordTiming(text=tok, start=round(a / sr, 3), end=round(b / sr, 3)))
                     for (pos, _, tok), (a, b) in zip(tokens, spans)]
            words = speech.written_timings(timed)
        elif aligned:
            log.info("Piper phoneme words (%d) do not match the text's words (%d): Whisper will time them",
                     len(spans), len(tokens))
        write_wav(out_path, samples, sr)
        lang = m.language
        note = f"Suara AI Piper ({m.path.stem}); lisensi suara: {m.licence}."
        family = (request.language or "").split("-")[0].lower()
        if family and lang and not lang.lower().startswith(family) and not (
                family in ("jv", "su", "ban") and lang.lower().startswith("id")):
            note += f" Catatan: bahasa suara ini {lang}, bukan bahasa narasi ({request.language})."
        prov = Provenance(
            engine=KEY, tool=INFO.name, is_ai=True, model=m.path.stem, model_revision=m.revision,
            licence=m.licence, prompt=speech.spoken,
            params={"language": request.language, "voice_language": lang, "rate_wpm": request.rate_wpm,
                    "length_scale": round(base_scale / rate, 3), "speaker": request.voice if speaker is not None
                    else "", "normalised": speech.changed, "word_timings": "alignments" if words else "none"},
            seconds=time.perf_counter() - t0, note=note)
        return VoiceResult(Path(out_path), len(samples) / sr, sr, tuple(words), prov)


__all__ = ["KEY", "PiperVoiceEngine", "find_voice_file", "voice_problems"]
