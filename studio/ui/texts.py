"""Shared UI words: step names, state names, origins, and number formatting.

Labels are marked with ``QT_TRANSLATE_NOOP`` so ``pyside6-lupdate`` collects them,
and translated when shown (the language can change while the app runs).
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from studio.ui import i18n

PAGES: tuple[str, ...] = ("start", "brief", "script", "images", "voice", "subtitles", "music", "export")
"""Page keys in order; every key but ``start`` is also a step in core.status."""

_STEP = {
    "start": QT_TRANSLATE_NOOP("Texts", "Mulai"),
    "brief": QT_TRANSLATE_NOOP("Texts", "Ide"),
    "script": QT_TRANSLATE_NOOP("Texts", "Naskah"),
    "images": QT_TRANSLATE_NOOP("Texts", "Gambar"),
    "voice": QT_TRANSLATE_NOOP("Texts", "Suara"),
    "subtitles": QT_TRANSLATE_NOOP("Texts", "Subtitle"),
    "music": QT_TRANSLATE_NOOP("Texts", "Musik"),
    "export": QT_TRANSLATE_NOOP("Texts", "Pratinjau & Ekspor"),
    "render": QT_TRANSLATE_NOOP("Texts", "Render pratinjau"),
    "import": QT_TRANSLATE_NOOP("Texts", "Impor"),
    "preview": QT_TRANSLATE_NOOP("Texts", "Pratinjau"),
}
_PAGE = {
    # The Gambar page holds stills and the creator's own clips (issue 15); the step (its jobs) is still "Gambar".
    "images": QT_TRANSLATE_NOOP("Texts", "Gambar & Video"),
}
_CLIP_ORIGIN = {
    "own": QT_TRANSLATE_NOOP("Texts", "Rekaman sendiri"),
}
_STATE = {
    "done": QT_TRANSLATE_NOOP("Texts", "selesai"),
    "stale": QT_TRANSLATE_NOOP("Texts", "perlu diperbarui"),
    "missing": QT_TRANSLATE_NOOP("Texts", "belum ada"),
    "partial": QT_TRANSLATE_NOOP("Texts", "sebagian"),
}
_IMAGE_ORIGIN = {
    "ai": QT_TRANSLATE_NOOP("Texts", "AI Studio Lokal"),
    "generated": QT_TRANSLATE_NOOP("Texts", "Ilustrasi tanpa AI"),
    "own": QT_TRANSLATE_NOOP("Texts", "Foto sendiri"),
}
_VOICE_ORIGIN = {
    "tts": QT_TRANSLATE_NOOP("Texts", "Suara sintetis"),
    "recorded": QT_TRANSLATE_NOOP("Texts", "Rekaman sendiri"),
    "imported": QT_TRANSLATE_NOOP("Texts", "Berkas impor"),
}
_MOTION = {
    "auto": QT_TRANSLATE_NOOP("Texts", "Otomatis"),
    "zoom_in": QT_TRANSLATE_NOOP("Texts", "Perbesar perlahan"),
    "zoom_out": QT_TRANSLATE_NOOP("Texts", "Perkecil perlahan"),
    "pan_left": QT_TRANSLATE_NOOP("Texts", "Geser ke kiri"),
    "pan_right": QT_TRANSLATE_NOOP("Texts", "Geser ke kanan"),
    "pan_up": QT_TRANSLATE_NOOP("Texts", "Geser ke atas"),
    "pan_down": QT_TRANSLATE_NOOP("Texts", "Geser ke bawah"),
    "still": QT_TRANSLATE_NOOP("Texts", "Diam"),
}
_CAPTION_STYLE = {
    "lower_third": QT_TRANSLATE_NOOP("Texts", "Bawah, kotak lembut"),
    "highlight": QT_TRANSLATE_NOOP("Texts", "Sorot kata demi kata"),
    "karaoke": QT_TRANSLATE_NOOP("Texts", "Besar di tengah"),
}

_ENGINE = {
    "script.template": QT_TRANSLATE_NOOP("Texts", "Templat naskah, tanpa AI"),
    "script.openai": QT_TRANSLATE_NOOP("Texts", "AI di server (kompatibel OpenAI)"),
    "script.local": QT_TRANSLATE_NOOP("Texts", "AI naskah di komputer ini"),
    "script.fast_local": QT_TRANSLATE_NOOP("Texts", "Naskah lokal cepat"),
    "image.placeholder": QT_TRANSLATE_NOOP("Texts", "Ilustrasi sementara, tanpa AI"),
    "image.diffusers": QT_TRANSLATE_NOOP("Texts", "Gambar AI di komputer ini (Stable Diffusion)"),
    "image.fast_local": QT_TRANSLATE_NOOP("Texts", "Gambar AI cepat di komputer ini (OpenVINO)"),
    "image.server": QT_TRANSLATE_NOOP("Texts", "Gambar AI dari server kelas"),
    "voice.espeak": QT_TRANSLATE_NOOP("Texts", "Suara sintetis sederhana, tanpa AI (espeak-ng)"),
    "voice.vits": QT_TRANSLATE_NOOP("Texts", "Suara AI MMS-TTS"),
    "voice.piper": QT_TRANSLATE_NOOP("Texts", "Suara AI Piper"),
    "voice.server": QT_TRANSLATE_NOOP("Texts", "Suara AI dari server kelas"),
    "transcribe.faster_whisper": QT_TRANSLATE_NOOP("Texts", "Pengenal suara Whisper (cepat)"),
    "transcribe.openai_whisper": QT_TRANSLATE_NOOP("Texts", "Pengenal suara Whisper (openai-whisper)"),
    "transcribe.server": QT_TRANSLATE_NOOP("Texts", "Pengenal suara Whisper dari server kelas"),
    "music.gamelan": QT_TRANSLATE_NOOP("Texts", "Gamelan buatan program, tanpa AI"),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("Texts", text)


def step_label(key: str) -> str:
    return _t(_STEP.get(key, key))


def page_label(key: str) -> str:
    """A page's name in the step list, menus and its title (the step's name unless the page holds more)."""
    return _t(_PAGE[key]) if key in _PAGE else step_label(key)


def clip_own_label() -> str:
    """The badge of a clip the creator recorded themselves."""
    return _t(_CLIP_ORIGIN["own"])


def engine_label(key: str) -> str | None:
    """An engine's plain name in the UI language ("Ilustrasi sementara, tanpa AI"), or None
    for an engine this table does not know (its tool name is shown then)."""
    return _t(_ENGINE[key]) if key in _ENGINE else None


def state_label(state: str) -> str:
    return _t(_STATE.get(state, state))


def image_origin_label(origin: str) -> str:
    return _t(_IMAGE_ORIGIN.get(origin, origin))


def voice_origin_label(origin: str) -> str:
    return _t(_VOICE_ORIGIN.get(origin, origin))


def motion_items() -> list[tuple[str, str]]:
    return [(key, _t(label)) for key, label in _MOTION.items()]


def caption_style_items() -> list[tuple[str, str]]:
    return [(key, _t(label)) for key, label in _CAPTION_STYLE.items()]


def number(value: float, digits: int = 1) -> str:
    """A number in the UI language's notation (Indonesian uses a decimal comma)."""
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if i18n.language() == "id" else text


def seconds(value: float, digits: int = 1) -> str:
    """``74,2 dtk`` / ``74.2 s``."""
    return number(value, digits) + (" dtk" if i18n.language() == "id" else " s")


def clock(value: float) -> str:
    """``1:05,3`` minutes:seconds with tenths (for cue times)."""
    centis = int(round(max(0.0, value) * 100))
    minutes, rest = divmod(centis, 6000)
    secs, frac = divmod(rest, 100)
    sep = "," if i18n.language() == "id" else "."
    return f"{minutes}:{secs:02d}{sep}{frac:02d}"


def parse_clock(text: str) -> float:
    """Inverse of ``clock``; also accepts plain seconds ("12,5"). TimeEntryError if unreadable."""
    import math

    from studio.core.errors import TimeEntryError

    try:
        total = 0.0
        for part in text.strip().replace(",", ".").split(":"):
            total = total * 60 + float(part)
        if not math.isfinite(total):
            raise ValueError(total)
    except ValueError:
        raise TimeEntryError(f"'{text.strip()}' is not a time; write it like 0:05,20.",
                             f"'{text.strip()}' bukan waktu; tulis seperti 0:05,20.") from None
    return total


def error_text(exc: BaseException) -> str:
    """An exception's message in the UI language (StudioError knows both languages)."""
    text = getattr(exc, "text", None)
    if callable(text):
        try:
            return str(text(i18n.language()))
        except TypeError:
            pass
    return str(exc) or exc.__class__.__name__
