"""UI language: Bahasa Indonesia is the source language, English comes from Qt's translator.

Source strings in the code are Indonesian (``self.tr("Lanjut")``), because Indonesian
is the default and the app then starts with no translator at all. English lives in
``studio_en.ts`` (Qt Linguist XML, the file a translator edits) and is compiled to
``studio_en.qm``, which is committed so a plain ``pip install -e .`` works without a
build step (``tests/ui/test_i18n.py`` checks the .qm is exactly what the .ts compiles to).

Update after changing UI strings (from the repository root)::

    pyside6-lupdate studio/ui -extensions py -ts studio/ui/i18n/studio_en.ts
    # translate the new entries in studio_en.ts (Qt Linguist or a text editor)
    pyside6-lrelease studio/ui/i18n/studio_en.ts -qm studio/ui/i18n/studio_en.qm
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

log = logging.getLogger(__name__)

FOLDER = Path(__file__).resolve().parent
LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
_installed: QTranslator | None = None
_language = "id"


def qm_path(language: str) -> Path:
    return FOLDER / f"studio_{language}.qm"


def install(language: str) -> str:
    """Switch the UI language (widgets built afterwards use it); returns the language in use."""
    global _installed, _language
    app = QCoreApplication.instance()
    if _installed is not None and app is not None:
        app.removeTranslator(_installed)
        _installed = None
    _language = "id"
    # Numbers typed and shown in spin boxes follow the UI language ("0,50 dtk" in Indonesian).
    QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia) if language == "id"
                       else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    if language != "id" and app is not None:
        translator = QTranslator(app)
        if translator.load(str(qm_path(language))):
            app.installTranslator(translator)
            _installed = translator
            _language = language
        else:
            log.warning("no UI translation for %s; staying in Bahasa Indonesia", language)
    return _language


def language() -> str:
    """The UI language in use ("id" or "en"): also the language of error messages."""
    return _language


def tr(context: str, text: str) -> str:
    """Translate ``text`` outside a QObject (lupdate finds ``translate`` calls)."""
    return QCoreApplication.translate(context, text)
