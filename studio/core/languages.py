"""The languages a video can be narrated and subtitled in, and what the app has for each.

One table answers every "which language" question: the name a creator reads, the code
Whisper knows it by, and which voice model (if any) can read it aloud. A regional language
with no voice is still offered: the creator records the narration and the app times and
subtitles it. Qt-free and torch-free.

Voice models are Meta's MMS-TTS VITS checkpoints (``facebook/mms-tts-<ISO 639-3>``,
CC-BY-NC-4.0, one model per language). Only repositories known to exist are named: Javanese
and Sundanese. Balinese, Minangkabau and Madurese have no checkpoint the app knows of, so
the app says so and offers the creator's own recording.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """One narration or subtitle language."""

    code: str
    """The project's code: ISO 639-1 where one exists (``id``, ``jv``, ``su``), else 639-3 (``ban``)."""
    name_id: str
    """How the creator says it: ``Basa Jawa``, ``Bahasa Indonesia``."""
    name_en: str
    iso3: str
    """ISO 639-3, as MMS-TTS names its checkpoints."""
    whisper: str = ""
    """Whisper's code for it; empty when Whisper has no such language (then it listens as Indonesian)."""
    voice_model: str = ""
    """Catalogue id of a voice model that reads it (``mms-tts-jav``); empty when none is known."""
    regional: bool = True
    """A regional language of Indonesia (for the "regional narration, Indonesian subtitles" rule)."""

    def name(self, language: str = "id") -> str:
        return self.name_id if language == "id" else self.name_en


LANGUAGES: tuple[Language, ...] = (
    Language("id", "Bahasa Indonesia", "Indonesian", "ind", whisper="id", voice_model="mms-tts-ind",
             regional=False),
    Language("jv", "Basa Jawa", "Javanese", "jav", whisper="jw", voice_model="mms-tts-jav"),
    Language("su", "Basa Sunda", "Sundanese", "sun", whisper="su", voice_model="mms-tts-sun"),
    Language("ban", "Basa Bali", "Balinese", "ban"),
    Language("min", "Baso Minang", "Minangkabau", "min"),
    Language("mad", "Basa Madhura", "Madurese", "mad"),
    Language("ms", "Bahasa Melayu", "Malay", "zlm", whisper="ms", regional=False),
    Language("en", "Bahasa Inggris", "English", "eng", whisper="en", regional=False),
)
"""Offered in this order; the first five are the ones the brief's language list leads with."""

_BY_CODE = {lang.code: lang for lang in LANGUAGES} | {lang.iso3: lang for lang in LANGUAGES}


def language_code(tag: str) -> str:
    """``id-ID`` / ``ID`` / ``id_ID`` / ``jav`` → the project's code (``id``, ``jv``)."""
    code = (tag or "").strip().lower().replace("_", "-").split("-")[0]
    lang = _BY_CODE.get(code)
    return lang.code if lang else code


def language(tag: str) -> Language | None:
    """The table's entry for ``tag`` (any of its spellings), or None for a language it does not list."""
    return _BY_CODE.get(language_code(tag))


def language_name(tag: str, ui_language: str = "id") -> str:
    """``Basa Jawa`` / ``Javanese`` for ``jv``; an unknown code is shown as the code itself."""
    lang = language(tag)
    if lang is None:
        return language_code(tag) or "?"
    return lang.name(ui_language)


def is_bilingual(narration: str, subtitles: str) -> bool:
    """True when the subtitles are in another language than the narration (each scene has two lines)."""
    return bool(subtitles.strip()) and language_code(narration) != language_code(subtitles)
